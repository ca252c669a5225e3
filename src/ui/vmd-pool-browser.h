/* VmdPoolBrowser: a connection's storage pools and the selected pool's volumes, to choose a
 * pool or a volume from: the Storage page shows it, and the creation assistant and Add
 * Hardware can take it as their disk chooser. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-resources.h"

G_BEGIN_DECLS

#define VMD_TYPE_POOL_BROWSER (vmd_pool_browser_get_type ())
G_DECLARE_FINAL_TYPE (VmdPoolBrowser, vmd_pool_browser, VMD, POOL_BROWSER, GtkPaned)

GtkWidget        *vmd_pool_browser_new                 (void);
void              vmd_pool_browser_set_resources       (VmdPoolBrowser *self,
                                                        VmdResources   *resources);
VmdStoragePool   *vmd_pool_browser_get_selected_pool   (VmdPoolBrowser *self);
VmdStorageVolume *vmd_pool_browser_get_selected_volume (VmdPoolBrowser *self);
gboolean          vmd_pool_browser_select_pool         (VmdPoolBrowser *self,
                                                        const char     *name);
gboolean          vmd_pool_browser_select_volume       (VmdPoolBrowser *self,
                                                        const char     *name);

G_END_DECLS
