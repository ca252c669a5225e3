/* VmdHostCheck: can this host run machines with KVM, and if not, what to do about it. Like
 * virt-host-validate, but each item carries a fix in words. Reads a root prefix, so tests can
 * feed it fake /proc, /sys, /dev and /etc trees. */
#pragma once

#include <gio/gio.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "vmd-host-check-item.h"

G_BEGIN_DECLS

typedef enum {
  VMD_KVM_UNKNOWN,       /* not asked yet */
  VMD_KVM_USABLE,        /* machines run at full speed */
  VMD_KVM_DOUBTFUL,      /* offered, but the CPU shows no vmx/svm: nested or paravirtual KVM */
  VMD_KVM_UNAVAILABLE,   /* machines run emulated (TCG) */
} VmdKvmSupport;

VmdKvmSupport vmd_kvm_support_decide (gboolean    local,
                                      const char *cpu_flag,
                                      gboolean    dev_kvm_present,
                                      gboolean    libvirt_offers_kvm);

#define VMD_TYPE_HOST_CHECK (vmd_host_check_get_type ())
G_DECLARE_FINAL_TYPE (VmdHostCheck, vmd_host_check, VMD, HOST_CHECK, GObject)

VmdHostCheck     *vmd_host_check_new        (const char          *root,
                                             GVirConnection      *connection,
                                             gboolean             session);
GListModel       *vmd_host_check_get_items  (VmdHostCheck        *self);
VmdHostCheckItem *vmd_host_check_find_item  (VmdHostCheck        *self,
                                             const char          *id);
VmdKvmSupport     vmd_host_check_get_kvm_support (VmdHostCheck   *self);
const char       *vmd_host_check_get_vendor_module (VmdHostCheck *self);

void              vmd_host_check_run_async  (VmdHostCheck        *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean          vmd_host_check_run_finish (VmdHostCheck        *self,
                                             GAsyncResult        *result,
                                             GError             **error);

char             *vmd_host_check_session_bridge_problem (const char *root,
                                                        const char *bridge);

G_END_DECLS
