/* VmdEmptyState: what the main window shows while there is no machine at all: what VM Desk does,
 * a New Machine button, and each connection's status in full. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_EMPTY_STATE (vmd_empty_state_get_type ())
G_DECLARE_FINAL_TYPE (VmdEmptyState, vmd_empty_state, VMD, EMPTY_STATE, GtkBox)

void     vmd_empty_state_set_connections (VmdEmptyState *self,
                                          GListModel    *connections);
gboolean vmd_empty_state_get_empty       (VmdEmptyState *self);

G_END_DECLS
