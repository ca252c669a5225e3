/* VmdSerialView: one text console of a machine (virsh console) in a terminal. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_TYPE_SERIAL_VIEW (vmd_serial_view_get_type ())
G_DECLARE_FINAL_TYPE (VmdSerialView, vmd_serial_view, VMD, SERIAL_VIEW, GtkBox)

GtkWidget *vmd_serial_view_new          (VmdMachine    *machine,
                                         gboolean       remote);
void       vmd_serial_view_set_consoles (VmdSerialView *self,
                                         GPtrArray     *consoles);
void       vmd_serial_view_disconnect   (VmdSerialView *self,
                                         const char    *message);
gboolean   vmd_serial_view_get_attached (VmdSerialView *self);

G_END_DECLS
