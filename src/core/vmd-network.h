/* VmdNetwork: one libvirt virtual network of a connection, kept current by VmdResources from
 * libvirt's network events: state, bridge, subnets, the machines on it; and its operations
 * (start, stop, autostart, delete, edit XML, DHCP leases), each in a worker thread. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "vmd-domain-usage.h"

G_BEGIN_DECLS

/* What the worker thread reads of a network; the object takes it over on the main loop. */
typedef struct {
  virNetworkPtr  handle;
  char          *name;
  char          *uuid;
  char          *bridge;
  char          *forward_mode;   /* "nat", "route", "open", ... or NULL (isolated) */
  char          *xml;
  gboolean       active;
  gboolean       autostart;
  gboolean       persistent;
  GStrv          subnets;        /* "192.168.100.1/24", "fd00::1/64" */
  GStrv          machines;       /* every machine with a NIC on it */
} VmdNetworkInfo;

typedef struct {
  char   *mac;
  char   *address;
  guint   prefix;
  char   *hostname;
  gint64  expiry;                /* seconds since the epoch */
} VmdNetworkLease;

VmdNetworkInfo *vmd_network_info_load  (virNetworkPtr   handle,
                                        VmdDomainUsage *usage);
void            vmd_network_info_free  (VmdNetworkInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdNetworkInfo, vmd_network_info_free)
void            vmd_network_lease_free (VmdNetworkLease *lease);
GStrv           vmd_network_subnets_from_xml (const char *xml);

#define VMD_TYPE_NETWORK (vmd_network_get_type ())
G_DECLARE_FINAL_TYPE (VmdNetwork, vmd_network, VMD, NETWORK, GObject)

VmdNetwork         *vmd_network_new                (VmdNetworkInfo      *info);
void                vmd_network_update             (VmdNetwork          *self,
                                                    VmdNetworkInfo      *info);
const char         *vmd_network_get_name           (VmdNetwork          *self);
const char         *vmd_network_get_uuid           (VmdNetwork          *self);
const char         *vmd_network_get_bridge         (VmdNetwork          *self);
const char         *vmd_network_get_forward_mode   (VmdNetwork          *self);
const char         *vmd_network_get_xml            (VmdNetwork          *self);
gboolean            vmd_network_get_active         (VmdNetwork          *self);
gboolean            vmd_network_get_autostart      (VmdNetwork          *self);
gboolean            vmd_network_get_persistent     (VmdNetwork          *self);
const char * const *vmd_network_get_subnets        (VmdNetwork          *self);
const char * const *vmd_network_get_machines       (VmdNetwork          *self);
char               *vmd_network_describe_mode      (VmdNetwork          *self);
virNetworkPtr       vmd_network_get_handle         (VmdNetwork          *self);

void                vmd_network_start_async        (VmdNetwork          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void                vmd_network_stop_async         (VmdNetwork          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void                vmd_network_set_autostart_async (VmdNetwork         *self,
                                                    gboolean             autostart,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void                vmd_network_delete_async       (VmdNetwork          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void                vmd_network_define_xml_async   (VmdNetwork          *self,
                                                    const char          *xml,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean            vmd_network_operation_finish   (VmdNetwork          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void                vmd_network_get_leases_async   (VmdNetwork          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray          *vmd_network_get_leases_finish  (VmdNetwork          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
GPtrArray          *vmd_network_read_leases        (virNetworkPtr        handle,
                                                    GError             **error);

G_END_DECLS
