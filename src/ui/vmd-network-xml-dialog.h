/* VmdNetworkXmlDialog: a network's definition as XML to edit; Apply defines it again
 * (libvirt's refusal is shown in place, the text kept). A running network takes it when it is
 * started again. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-network.h"

G_BEGIN_DECLS

#define VMD_TYPE_NETWORK_XML_DIALOG (vmd_network_xml_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdNetworkXmlDialog, vmd_network_xml_dialog, VMD, NETWORK_XML_DIALOG, GtkDialog)

GtkWidget *vmd_network_xml_dialog_new (GtkWindow  *parent,
                                       VmdNetwork *network);

G_END_DECLS
