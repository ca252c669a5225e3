/* VmdDeleteDialog: asks before deleting a machine, and which of its disks go with it. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_TYPE_DELETE_DIALOG (vmd_delete_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdDeleteDialog, vmd_delete_dialog, VMD, DELETE_DIALOG, GtkDialog)

GtkWidget  *vmd_delete_dialog_new              (GtkWindow       *parent,
                                                VmdMachine      *machine);
VmdMachine *vmd_delete_dialog_get_machine      (VmdDeleteDialog *self);
char      **vmd_delete_dialog_dup_chosen_paths (VmdDeleteDialog *self);

G_END_DECLS
