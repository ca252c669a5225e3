/* VmdConnectionDetailsWindow: one connection's Overview, Virtual Networks and Storage, each a
 * page widget of its own; the header's list picks the connection. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"

G_BEGIN_DECLS

#define VMD_TYPE_CONNECTION_DETAILS_WINDOW (vmd_connection_details_window_get_type ())
G_DECLARE_FINAL_TYPE (VmdConnectionDetailsWindow, vmd_connection_details_window, VMD, CONNECTION_DETAILS_WINDOW,
                      GtkWindow)

GtkWidget *vmd_connection_details_window_new       (GtkWindow                  *parent,
                                                    GListModel                 *connections,
                                                    VmdConnection              *connection);
void       vmd_connection_details_window_show_page (VmdConnectionDetailsWindow *self,
                                                    const char                 *page);

G_END_DECLS
