/* VmdPreferencesWindow: the settings a user may change, each bound to GSettings. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_PREFERENCES_WINDOW (vmd_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (VmdPreferencesWindow, vmd_preferences_window, VMD, PREFERENCES_WINDOW, GtkDialog)

GtkWidget *vmd_preferences_window_new (GtkWindow *parent,
                                       GSettings *settings);

G_END_DECLS
