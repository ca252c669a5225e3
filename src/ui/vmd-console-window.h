/* VmdConsoleWindow: one window per machine with its Graphics, Serial and Monitor views. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"
#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_TYPE_CONSOLE_WINDOW (vmd_console_window_get_type ())
G_DECLARE_FINAL_TYPE (VmdConsoleWindow, vmd_console_window, VMD, CONSOLE_WINDOW, GtkApplicationWindow)

VmdConsoleWindow *vmd_console_window_present_for (GtkApplication *application,
                                                  VmdConnection  *connection,
                                                  VmdMachine     *machine);
gboolean          vmd_console_window_get_ready   (VmdConsoleWindow *self);
void              vmd_console_window_open        (GtkApplication *application,
                                                  GListModel     *connections,
                                                  VmdMachine     *machine);
void              vmd_console_window_open_when_found (GtkApplication *application,
                                                      GListModel     *connections,
                                                      const char     *name);

G_END_DECLS
