/* Volume upload and download over libvirt streams, as VmdJob work: progress in bytes, Cancel
 * between chunks, and nothing half-done left behind (the volume made for an upload is deleted,
 * a download's partial file removed). */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "vmd-job.h"

G_BEGIN_DECLS

typedef struct _VmdVolumeTransfer VmdVolumeTransfer;

VmdVolumeTransfer *vmd_volume_download_new  (virStorageVolPtr   volume,
                                             const char        *file);
VmdVolumeTransfer *vmd_volume_upload_new    (virStoragePoolPtr  pool,
                                             const char        *file,
                                             const char        *name);
void               vmd_volume_transfer_free (VmdVolumeTransfer *transfer);

gboolean           vmd_volume_download_func (VmdJob            *job,
                                             gpointer           transfer,
                                             GCancellable      *cancellable,
                                             GError           **error);
gboolean           vmd_volume_upload_func   (VmdJob            *job,
                                             gpointer           transfer,
                                             GCancellable      *cancellable,
                                             GError           **error);

G_END_DECLS
