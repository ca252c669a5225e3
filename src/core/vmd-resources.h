/* VmdResources: one per connection (vmd_connection_get_resources): its virtual networks and
 * storage pools as GListModels of VmdNetwork and VmdStoragePool, kept current from libvirt's
 * network and pool events (libvirt-gobject has none); creating networks and pools; and the
 * DHCP leases watched for VmdGuestAddresses. */
#pragma once

#include <gio/gio.h>

#include "vmd-network.h"
#include "vmd-network-spec.h"
#include "vmd-storage-pool.h"
#include "vmd-storage-spec.h"

G_BEGIN_DECLS

typedef struct _VmdConnection VmdConnection;
typedef struct _VmdMachine VmdMachine;
typedef struct _VmdGuestAddresses VmdGuestAddresses;

#define VMD_TYPE_RESOURCES (vmd_resources_get_type ())
G_DECLARE_FINAL_TYPE (VmdResources, vmd_resources, VMD, RESOURCES, GObject)

VmdResources      *vmd_resources_new                   (VmdConnection       *connection);
VmdConnection     *vmd_resources_get_connection        (VmdResources        *self);
GListModel        *vmd_resources_get_networks          (VmdResources        *self);
GListModel        *vmd_resources_get_pools             (VmdResources        *self);
gboolean           vmd_resources_get_loaded            (VmdResources        *self);
VmdNetwork        *vmd_resources_find_network          (VmdResources        *self,
                                                        const char          *name);
VmdStoragePool    *vmd_resources_find_pool             (VmdResources        *self,
                                                        const char          *name);
VmdNetworkContext *vmd_resources_network_context       (VmdResources        *self);

void               vmd_resources_reload_async          (VmdResources        *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           vmd_resources_reload_finish         (VmdResources        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

void               vmd_resources_create_network_async  (VmdResources        *self,
                                                        const VmdNetworkSpec *spec,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
void               vmd_resources_create_pool_async     (VmdResources        *self,
                                                        const VmdPoolSpec   *spec,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           vmd_resources_create_finish         (VmdResources        *self,
                                                        GAsyncResult        *result,
                                                        const char         **field,
                                                        GError             **error);

VmdGuestAddresses *vmd_resources_get_addresses         (VmdResources        *self,
                                                        VmdMachine          *machine);
void               vmd_resources_set_lease_interval    (VmdResources        *self,
                                                        guint                interval_ms);

G_END_DECLS
