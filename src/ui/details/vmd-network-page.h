/* VmdNetworkPage: the machine's network interfaces (type, source, model, MAC, link, tap); Add
 * (a virtual network, a bridge or user mode), Remove, and the link set up or down. */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_NETWORK_PAGE (vmd_network_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdNetworkPage, vmd_network_page, VMD, NETWORK_PAGE, VmdDetailsPage)

G_END_DECLS
