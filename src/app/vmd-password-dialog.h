/* VmdPasswordDialog: one question of ssh's (a password, a key's passphrase) asked in VM Desk's
 * own window; the answer goes back to the request and is not kept. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-askpass.h"

G_BEGIN_DECLS

#define VMD_TYPE_PASSWORD_DIALOG (vmd_password_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdPasswordDialog, vmd_password_dialog, VMD, PASSWORD_DIALOG, GtkDialog)

GtkWidget *vmd_password_dialog_new (GtkWindow         *parent,
                                    VmdAskpassRequest *request);

G_END_DECLS
