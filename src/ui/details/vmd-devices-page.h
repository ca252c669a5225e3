/* VmdDevicesPage: the machine's other devices (shared folders, TPM, sound, channels, host
 * devices...), each removable; disks and network cards have their own pages. */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_DEVICES_PAGE (vmd_devices_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdDevicesPage, vmd_devices_page, VMD, DEVICES_PAGE, VmdDetailsPage)

G_END_DECLS
