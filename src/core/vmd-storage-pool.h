/* VmdStoragePool: one storage pool of a connection, kept current by VmdResources from
 * libvirt's pool events, with its volumes as a GListModel of VmdStorageVolume; its operations
 * (start, stop, autostart, refresh, delete with or without contents, create a volume, upload a
 * file as a new volume) run in worker threads. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "vmd-domain-usage.h"
#include "vmd-job.h"
#include "vmd-storage-spec.h"
#include "vmd-storage-volume.h"

G_BEGIN_DECLS

typedef struct {
  virStoragePoolPtr  handle;
  char              *name;
  char              *uuid;
  char              *type;          /* "dir", "logical", ... */
  char              *target_path;
  char              *source;        /* the device, host:export, volume group... for the user */
  char              *xml;
  gboolean           active;
  gboolean           autostart;
  gboolean           persistent;
  guint64            capacity;
  guint64            allocation;
  guint64            available;
  GPtrArray         *volumes;       /* of VmdStorageVolumeInfo, sorted by name */
} VmdStoragePoolInfo;

VmdStoragePoolInfo *vmd_storage_pool_info_load (virStoragePoolPtr   handle,
                                                VmdDomainUsage     *usage);
void                vmd_storage_pool_info_free (VmdStoragePoolInfo *info);

#define VMD_TYPE_STORAGE_POOL (vmd_storage_pool_get_type ())
G_DECLARE_FINAL_TYPE (VmdStoragePool, vmd_storage_pool, VMD, STORAGE_POOL, GObject)

VmdStoragePool   *vmd_storage_pool_new             (VmdStoragePoolInfo  *info);
void              vmd_storage_pool_update          (VmdStoragePool      *self,
                                                    VmdStoragePoolInfo  *info);
const char       *vmd_storage_pool_get_name        (VmdStoragePool      *self);
const char       *vmd_storage_pool_get_uuid        (VmdStoragePool      *self);
const char       *vmd_storage_pool_get_pool_type   (VmdStoragePool      *self);
const char       *vmd_storage_pool_get_target_path (VmdStoragePool      *self);
const char       *vmd_storage_pool_get_source      (VmdStoragePool      *self);
const char       *vmd_storage_pool_get_xml         (VmdStoragePool      *self);
gboolean          vmd_storage_pool_get_active      (VmdStoragePool      *self);
gboolean          vmd_storage_pool_get_autostart   (VmdStoragePool      *self);
guint64           vmd_storage_pool_get_capacity    (VmdStoragePool      *self);
guint64           vmd_storage_pool_get_allocation  (VmdStoragePool      *self);
guint64           vmd_storage_pool_get_available   (VmdStoragePool      *self);
GListModel       *vmd_storage_pool_get_volumes     (VmdStoragePool      *self);
VmdStorageVolume *vmd_storage_pool_find_volume     (VmdStoragePool      *self,
                                                    const char          *name);

void              vmd_storage_pool_start_async     (VmdStoragePool      *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void              vmd_storage_pool_stop_async      (VmdStoragePool      *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void              vmd_storage_pool_set_autostart_async (VmdStoragePool  *self,
                                                    gboolean             autostart,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void              vmd_storage_pool_refresh_async   (VmdStoragePool      *self,
                                                    gboolean             rescan,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void              vmd_storage_pool_delete_async    (VmdStoragePool      *self,
                                                    gboolean             with_contents,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          vmd_storage_pool_operation_finish (VmdStoragePool     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void              vmd_storage_pool_create_volume_async  (VmdStoragePool      *self,
                                                    const VmdVolumeSpec *spec,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          vmd_storage_pool_create_volume_finish (VmdStoragePool      *self,
                                                    GAsyncResult        *result,
                                                    const char         **field,
                                                    GError             **error);

VmdJob           *vmd_storage_pool_upload          (VmdStoragePool      *self,
                                                    const char          *file,
                                                    const char          *name,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

G_END_DECLS
