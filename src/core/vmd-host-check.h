/* VmdHostCheck: can this host run machines with KVM, and if not, what to do about it. Like
 * virt-host-validate, but each item carries a fix in words. Reads a root prefix, so tests can
 * feed it fake /proc, /sys, /dev and /etc trees. */
#pragma once

#include <gio/gio.h>
#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

typedef enum {
  VMD_HOST_CHECK_STATUS_OK,
  VMD_HOST_CHECK_STATUS_WARNING,
  VMD_HOST_CHECK_STATUS_FAILED,
} VmdHostCheckStatus;

#define VMD_TYPE_HOST_CHECK_ITEM (vmd_host_check_item_get_type ())
G_DECLARE_FINAL_TYPE (VmdHostCheckItem, vmd_host_check_item, VMD, HOST_CHECK_ITEM, GObject)

const char         *vmd_host_check_item_get_id     (VmdHostCheckItem *self);
const char         *vmd_host_check_item_get_title  (VmdHostCheckItem *self);
VmdHostCheckStatus  vmd_host_check_item_get_status (VmdHostCheckItem *self);
const char         *vmd_host_check_item_get_detail (VmdHostCheckItem *self);
const char         *vmd_host_check_item_get_fix    (VmdHostCheckItem *self);

#define VMD_TYPE_HOST_CHECK (vmd_host_check_get_type ())
G_DECLARE_FINAL_TYPE (VmdHostCheck, vmd_host_check, VMD, HOST_CHECK, GObject)

VmdHostCheck     *vmd_host_check_new        (const char          *root,
                                             GVirConnection      *connection,
                                             gboolean             session);
GListModel       *vmd_host_check_get_items  (VmdHostCheck        *self);
VmdHostCheckItem *vmd_host_check_find_item  (VmdHostCheck        *self,
                                             const char          *id);
gboolean          vmd_host_check_kvm_usable (VmdHostCheck        *self);

void              vmd_host_check_run_async  (VmdHostCheck        *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean          vmd_host_check_run_finish (VmdHostCheck        *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* libvirt's virtual networks and the tap devices of running machines, for the Host window. */
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

void              vmd_host_network_free            (VmdHostNetwork      *network);
void              vmd_host_tap_free                (VmdHostTap          *tap);
void              vmd_host_check_list_networks_async  (VmdHostCheck        *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          vmd_host_check_list_networks_finish (VmdHostCheck        *self,
                                                       GAsyncResult        *result,
                                                       GPtrArray          **networks,
                                                       GPtrArray          **taps,
                                                       GError             **error);

G_END_DECLS
