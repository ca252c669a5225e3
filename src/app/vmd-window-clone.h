/* The main window's Clone…: opens the features module's dialog for a machine and selects the
 * clone in the list once its connection lists it. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-features.h"
#include "vmd-machine-list.h"

G_BEGIN_DECLS

void vmd_window_clone_machine (GtkWindow         *window,
                               const VmdFeatures *features,
                               VmdMachineList    *list,
                               VmdMachine        *machine);

G_END_DECLS
