/* VmdHostWindow: Host Details. The KVM check with its fixes, and NetworkManager's devices and
 * profiles with the bridge actions. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_HOST_WINDOW (vmd_host_window_get_type ())
G_DECLARE_FINAL_TYPE (VmdHostWindow, vmd_host_window, VMD, HOST_WINDOW, GtkWindow)

GtkWidget *vmd_host_window_new       (GtkWindow   *parent,
                                      GListModel  *connections);

G_END_DECLS
