/* VmdDetailsWindow: one machine's details, a page each (src/ui/details/vmd-details-pages.c),
 * each change applied through VmdMachineDetails. One window per machine. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_TYPE_DETAILS_WINDOW (vmd_details_window_get_type ())
G_DECLARE_FINAL_TYPE (VmdDetailsWindow, vmd_details_window, VMD, DETAILS_WINDOW, GtkWindow)

GtkWidget *vmd_details_window_present       (GtkApplication *application,
                                             VmdConnection  *connection,
                                             VmdMachine     *machine);
void       vmd_details_window_show_by_name  (GtkApplication *application,
                                             GListModel     *connections,
                                             const char     *name);

G_END_DECLS
