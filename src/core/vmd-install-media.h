/* VmdInstallMedia: an installer ISO or install tree (a local folder): its volume ID, the OS
 * libosinfo recognises in it, and the kernel and initrd inside it for a direct kernel boot. */
#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

#include "vmd-os-catalog.h"

G_BEGIN_DECLS

#define VMD_TYPE_INSTALL_MEDIA (vmd_install_media_get_type ())
G_DECLARE_FINAL_TYPE (VmdInstallMedia, vmd_install_media, VMD, INSTALL_MEDIA, GObject)

gboolean         vmd_install_media_check_iso        (const char          *path,
                                                     GError             **error);
gboolean         vmd_install_media_check_location   (const char          *location,
                                                     GError             **error);
gboolean         vmd_install_media_location_is_tree (const char          *location);
char            *vmd_install_media_dup_local_path   (const char          *location,
                                                     GError             **error);

VmdInstallMedia *vmd_install_media_load             (const char          *location,
                                                     VmdOsCatalog        *catalog,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
void             vmd_install_media_load_async       (const char          *location,
                                                     VmdOsCatalog        *catalog,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
VmdInstallMedia *vmd_install_media_load_finish      (GAsyncResult        *result,
                                                     GError             **error);

const char      *vmd_install_media_get_path         (VmdInstallMedia     *self);
const char      *vmd_install_media_get_volume_id    (VmdInstallMedia     *self);
OsinfoOs        *vmd_install_media_get_os           (VmdInstallMedia     *self);
const char      *vmd_install_media_get_kernel_path  (VmdInstallMedia     *self);
const char      *vmd_install_media_get_initrd_path  (VmdInstallMedia     *self);
gboolean         vmd_install_media_can_kernel_boot  (VmdInstallMedia     *self);
gboolean         vmd_install_media_is_tree          (VmdInstallMedia     *self);

gboolean         vmd_install_media_extract_kernel   (VmdInstallMedia     *self,
                                                     const char          *dest_dir,
                                                     const char          *prefix,
                                                     char               **kernel_out,
                                                     char               **initrd_out,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
void             vmd_install_media_set_max_file_size (VmdInstallMedia    *self,
                                                      guint64             bytes);

G_END_DECLS
