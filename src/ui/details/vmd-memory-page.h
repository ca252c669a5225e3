/* VmdMemoryPage: the maximum and current memory (a form), and what the running machine has. */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_MEMORY_PAGE (vmd_memory_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdMemoryPage, vmd_memory_page, VMD, MEMORY_PAGE, VmdDetailsPage)

G_END_DECLS
