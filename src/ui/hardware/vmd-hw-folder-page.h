/* VmdHwFolderPage: a host folder shared with the guest through virtiofs, in one step: the
 * shared memory it needs comes with it when the machine has none. */
#pragma once

#include "vmd-hw-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_HW_FOLDER_PAGE (vmd_hw_folder_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdHwFolderPage, vmd_hw_folder_page, VMD, HW_FOLDER_PAGE, VmdHwPage)

G_END_DECLS
