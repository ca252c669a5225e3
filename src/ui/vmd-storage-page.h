/* VmdStoragePage: Connection Details › Storage: the pools (with their space) and volumes in a
 * VmdPoolBrowser; add, start, stop, refresh, autostart and delete pools; create, delete,
 * resize, clone, upload and download volumes, transfers shown in a VmdJobProgress. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-resources.h"

G_BEGIN_DECLS

#define VMD_TYPE_STORAGE_PAGE (vmd_storage_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdStoragePage, vmd_storage_page, VMD, STORAGE_PAGE, GtkBox)

void vmd_storage_page_set_resources (VmdStoragePage *self,
                                     VmdResources   *resources);

G_END_DECLS
