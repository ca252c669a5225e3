/* VmdNetworkDialog: Create Virtual Network: the fields of a VmdNetworkSpec, each checked as it
 * is typed with the problem beside it; Create makes and starts the network. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-resources.h"

G_BEGIN_DECLS

#define VMD_TYPE_NETWORK_DIALOG (vmd_network_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdNetworkDialog, vmd_network_dialog, VMD, NETWORK_DIALOG, GtkDialog)

GtkWidget *vmd_network_dialog_new (GtkWindow    *parent,
                                   VmdResources *resources);

G_END_DECLS
