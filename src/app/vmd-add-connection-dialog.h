/* VmdAddConnectionDialog: asks for a libvirt URI to open, e.g. qemu+ssh://user@host/system. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_ADD_CONNECTION_DIALOG (vmd_add_connection_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdAddConnectionDialog, vmd_add_connection_dialog, VMD, ADD_CONNECTION_DIALOG,
                      GtkDialog)

GtkWidget  *vmd_add_connection_dialog_new          (GtkWindow              *parent,
                                                    GListModel             *connections);
char       *vmd_add_connection_dialog_dup_uri      (VmdAddConnectionDialog *self);
gboolean    vmd_add_connection_dialog_get_remember (VmdAddConnectionDialog *self);

G_END_DECLS
