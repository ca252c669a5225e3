/* VmdSpiceView: a machine's graphical display over SPICE, with its toolbar. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_TYPE_SPICE_VIEW (vmd_spice_view_get_type ())
G_DECLARE_FINAL_TYPE (VmdSpiceView, vmd_spice_view, VMD, SPICE_VIEW, GtkBox)

GtkWidget *vmd_spice_view_new             (VmdMachine     *machine,
                                           const char     *remote_uri);
void       vmd_spice_view_connect         (VmdSpiceView   *self,
                                           VmdConsoleInfo *info);
void       vmd_spice_view_disconnect      (VmdSpiceView   *self,
                                           const char     *message);
void       vmd_spice_view_set_fullscreen  (VmdSpiceView   *self,
                                           gboolean        fullscreen);
gboolean   vmd_spice_view_get_keyboard_grabbed (VmdSpiceView *self);

G_END_DECLS
