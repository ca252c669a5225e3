/* VmdCloneDialog: Clone… for a shut-off machine: the name, what becomes of each disk, the pool
 * for the copies, then the copy's progress with Cancel. Emits "cloned" with the clone's name. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_TYPE_CLONE_DIALOG (vmd_clone_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdCloneDialog, vmd_clone_dialog, VMD, CLONE_DIALOG, GtkDialog)

GtkWidget *vmd_clone_dialog_new (GtkWindow  *parent,
                                 VmdMachine *machine);

G_END_DECLS
