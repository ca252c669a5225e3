/* VmdNetworksPage: Connection Details › Virtual Networks: the connection's networks with their
 * bridge, state, subnets, machines and DHCP leases; add, start, stop, autostart, delete, edit
 * XML. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-resources.h"

G_BEGIN_DECLS

#define VMD_TYPE_NETWORKS_PAGE (vmd_networks_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdNetworksPage, vmd_networks_page, VMD, NETWORKS_PAGE, GtkPaned)

void vmd_networks_page_set_resources (VmdNetworksPage *self,
                                      VmdResources    *resources);

G_END_DECLS
