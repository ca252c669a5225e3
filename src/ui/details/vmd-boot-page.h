/* VmdBootPage: the boot order, the boot menu and direct kernel boot, as one form. */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_BOOT_PAGE (vmd_boot_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdBootPage, vmd_boot_page, VMD, BOOT_PAGE, VmdDetailsPage)

G_END_DECLS
