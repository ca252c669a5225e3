/* VmdHwHostdevPage: a USB or PCI device of the host passed through to the guest, chosen from
 * libvirt's node devices (vmd_node_devices_list_async) with their vendor and product names; a
 * PCI device a host driver holds is refused, with the command that frees it. */
#pragma once

#include "vmd-hw-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_HW_HOSTDEV_PAGE (vmd_hw_hostdev_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdHwHostdevPage, vmd_hw_hostdev_page, VMD, HW_HOSTDEV_PAGE, VmdHwPage)

G_END_DECLS
