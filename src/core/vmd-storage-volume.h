/* VmdStorageVolume: one volume of a storage pool, listed by its VmdStoragePool: name, path,
 * format, sizes, the machines that use it; delete (refused while one does), resize, clone, and
 * download to a file as a VmdJob. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "vmd-domain-usage.h"
#include "vmd-job.h"

G_BEGIN_DECLS

typedef struct {
  virStorageVolPtr  handle;
  char             *name;
  char             *key;
  char             *path;
  char             *format;       /* "qcow2", "raw", ... or NULL */
  char             *backing;      /* the backing file's path, or NULL */
  guint64           capacity;
  guint64           allocation;
  GStrv             users;        /* machines with it as a disk */
} VmdStorageVolumeInfo;

VmdStorageVolumeInfo *vmd_storage_volume_info_load (virStorageVolPtr  handle,
                                                    const char       *pool_name,
                                                    VmdDomainUsage   *usage);
void                  vmd_storage_volume_info_free (VmdStorageVolumeInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdStorageVolumeInfo, vmd_storage_volume_info_free)

#define VMD_TYPE_STORAGE_VOLUME (vmd_storage_volume_get_type ())
G_DECLARE_FINAL_TYPE (VmdStorageVolume, vmd_storage_volume, VMD, STORAGE_VOLUME, GObject)

VmdStorageVolume   *vmd_storage_volume_new            (VmdStorageVolumeInfo *info);
void                vmd_storage_volume_update         (VmdStorageVolume     *self,
                                                       VmdStorageVolumeInfo *info);
const char         *vmd_storage_volume_get_name       (VmdStorageVolume     *self);
const char         *vmd_storage_volume_get_key        (VmdStorageVolume     *self);
const char         *vmd_storage_volume_get_path       (VmdStorageVolume     *self);
const char         *vmd_storage_volume_get_format     (VmdStorageVolume     *self);
const char         *vmd_storage_volume_get_backing    (VmdStorageVolume     *self);
guint64             vmd_storage_volume_get_capacity   (VmdStorageVolume     *self);
guint64             vmd_storage_volume_get_allocation (VmdStorageVolume     *self);
const char * const *vmd_storage_volume_get_users      (VmdStorageVolume     *self);
virStorageVolPtr    vmd_storage_volume_get_handle     (VmdStorageVolume     *self);

void                vmd_storage_volume_delete_async   (VmdStorageVolume     *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
void                vmd_storage_volume_resize_async   (VmdStorageVolume     *self,
                                                       guint64               capacity,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
void                vmd_storage_volume_clone_async    (VmdStorageVolume     *self,
                                                       const char           *name,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean            vmd_storage_volume_operation_finish (VmdStorageVolume   *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

VmdJob             *vmd_storage_volume_download       (VmdStorageVolume     *self,
                                                       const char           *file,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);

G_END_DECLS
