/* VmdConnectionOverviewPage: Connection Details › Overview: the URI, its state, the host's
 * processors, memory and KVM verdict (from VmdHostFacts), and how many networks and pools. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"

G_BEGIN_DECLS

#define VMD_TYPE_CONNECTION_OVERVIEW_PAGE (vmd_connection_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdConnectionOverviewPage, vmd_connection_overview_page, VMD, CONNECTION_OVERVIEW_PAGE, GtkGrid)

void vmd_connection_overview_page_set_connection (VmdConnectionOverviewPage *self,
                                                  VmdConnection             *connection);

G_END_DECLS
