/* VmdCreationAssistant: the New Virtual Machine wizard (virt-manager's, virt-install's answers). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_CREATION_ASSISTANT (vmd_creation_assistant_get_type ())
G_DECLARE_FINAL_TYPE (VmdCreationAssistant, vmd_creation_assistant, VMD, CREATION_ASSISTANT, GtkAssistant)

GtkWidget *vmd_creation_assistant_new (GtkWindow  *parent,
                                       GListModel *connections,
                                       GSettings  *settings);

G_END_DECLS
