/* VmdHwNetworkPage: a network card on a libvirt network, a host bridge, macvtap (direct) on a
 * host interface or user mode; its model and MAC address (made by libvirt, or typed and
 * checked). */
#pragma once

#include "vmd-hw-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_HW_NETWORK_PAGE (vmd_hw_network_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdHwNetworkPage, vmd_hw_network_page, VMD, HW_NETWORK_PAGE, VmdHwPage)

G_END_DECLS
