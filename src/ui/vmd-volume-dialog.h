/* VmdVolumeDialog: New Volume in a pool: name, qcow2 or raw, size, and optionally a backing
 * volume of the same pool for a thin copy. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-storage-pool.h"

G_BEGIN_DECLS

#define VMD_TYPE_VOLUME_DIALOG (vmd_volume_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdVolumeDialog, vmd_volume_dialog, VMD, VOLUME_DIALOG, GtkDialog)

GtkWidget *vmd_volume_dialog_new (GtkWindow      *parent,
                                  VmdStoragePool *pool);

G_END_DECLS
