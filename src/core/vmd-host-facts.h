/* VmdHostFacts: what one connection's host offers, asked once and read by every window and the
 * installer: whether KVM is usable (one answer, from one place), the checks behind it, the
 * domain capabilities that matter for new machines, host bridges, libvirt networks and the
 * default pool. */
#pragma once

#include <gio/gio.h>

#include "vmd-host-check.h"
#include "vmd-host-platform.h"

G_BEGIN_DECLS

typedef struct _VmdConnection VmdConnection;

#define VMD_TYPE_HOST_FACTS (vmd_host_facts_get_type ())
/* A libvirt network, and the taps of running machines, for the Host window. */
typedef struct {
  char     *network;     /* "default" */
  char     *bridge;      /* "virbr0", or NULL */
  gboolean  active;
} VmdHostNetwork;

typedef struct {
  char *machine;         /* the domain's name */
  char *tap;             /* "vnet0" */
  char *bridge;          /* the bridge it is a port of, or NULL (user networking, macvtap) */
  char *network;         /* the libvirt network it was taken from, or NULL */
} VmdHostTap;

void vmd_host_network_free (VmdHostNetwork *network);
void vmd_host_tap_free     (VmdHostTap     *tap);

G_DECLARE_FINAL_TYPE (VmdHostFacts, vmd_host_facts, VMD, HOST_FACTS, GObject)

VmdHostFacts       *vmd_host_facts_new               (VmdConnection       *connection,
                                                      const char          *root);

void                vmd_host_facts_ensure_async      (VmdHostFacts        *self,
                                                      gboolean             again,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean            vmd_host_facts_ensure_finish     (VmdHostFacts        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

gboolean            vmd_host_facts_get_ready         (VmdHostFacts        *self);
gboolean            vmd_host_facts_get_is_local      (VmdHostFacts        *self);
gboolean            vmd_host_facts_get_is_session    (VmdHostFacts        *self);
VmdKvmSupport       vmd_host_facts_get_kvm           (VmdHostFacts        *self);
const char         *vmd_host_facts_get_kvm_summary   (VmdHostFacts        *self);
gboolean            vmd_host_facts_get_kvm_default   (VmdHostFacts        *self);
gboolean            vmd_host_facts_get_kvm_offered   (VmdHostFacts        *self);
const char         *vmd_host_facts_describe_kvm_choice (VmdHostFacts      *self);
GListModel         *vmd_host_facts_get_check_items   (VmdHostFacts        *self);
gboolean            vmd_host_facts_get_uefi_available (VmdHostFacts       *self);
void                vmd_host_facts_get_platform      (VmdHostFacts        *self,
                                                      VmdHostPlatform     *platform);
guint64             vmd_host_facts_get_memory_mib    (VmdHostFacts        *self);
guint               vmd_host_facts_get_cpus          (VmdHostFacts        *self);
const char * const *vmd_host_facts_get_bridges       (VmdHostFacts        *self);
GHashTable         *vmd_host_facts_get_session_bridge_problems (VmdHostFacts *self);
GPtrArray          *vmd_host_facts_get_networks      (VmdHostFacts        *self);
GPtrArray          *vmd_host_facts_get_taps          (VmdHostFacts        *self);
const char         *vmd_host_facts_get_pool_path     (VmdHostFacts        *self);
guint64             vmd_host_facts_get_pool_free     (VmdHostFacts        *self);

G_END_DECLS
