/* VmdWindow: the main window, the machine list with its lifecycle actions. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_WINDOW (vmd_window_get_type ())
G_DECLARE_FINAL_TYPE (VmdWindow, vmd_window, VMD, WINDOW, GtkApplicationWindow)

VmdWindow *vmd_window_new (GtkApplication *application,
                           GListModel     *connections,
                           GSettings      *settings);
void       vmd_window_show_error (VmdWindow  *self,
                                  const char *message);

G_END_DECLS
