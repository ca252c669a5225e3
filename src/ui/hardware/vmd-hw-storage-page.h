/* VmdHwStoragePage: a disk, CD or floppy drive on a new volume in any pool of the connection, a
 * volume chosen in the pool browser, or a file; its bus, cache and discard modes. A new volume
 * and its drive are added together or not at all. */
#pragma once

#include "vmd-hw-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_HW_STORAGE_PAGE (vmd_hw_storage_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdHwStoragePage, vmd_hw_storage_page, VMD, HW_STORAGE_PAGE, VmdHwPage)

G_END_DECLS
