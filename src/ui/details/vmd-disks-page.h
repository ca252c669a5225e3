/* VmdDisksPage: the machine's disks and CD drives with their sizes; Add Disk (a new volume or an
 * existing file, a CD drive), Remove (asking, and whether to delete the volume), Eject and
 * Insert for a CD or floppy, also while the machine runs. */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_DISKS_PAGE (vmd_disks_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdDisksPage, vmd_disks_page, VMD, DISKS_PAGE, VmdDetailsPage)

G_END_DECLS
