/* VmdAddHardwareDialog: Details › Add Hardware. A sidebar of device kinds over a stack of their
 * pages (VmdHwPage); Add is on only while the shown page's input is valid for the machine's
 * current definition. It says "added" with what to tell the user, then closes. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine-details.h"

G_BEGIN_DECLS

#define VMD_TYPE_ADD_HARDWARE_DIALOG (vmd_add_hardware_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdAddHardwareDialog, vmd_add_hardware_dialog, VMD, ADD_HARDWARE_DIALOG, GtkDialog)

GtkWidget *vmd_add_hardware_dialog_new (GtkWindow         *parent,
                                        VmdMachineDetails *details);

G_END_DECLS
