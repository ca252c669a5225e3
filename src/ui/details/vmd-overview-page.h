/* VmdOverviewPage: the machine's name (renamed while it is off), title and description (a form
 * each, one conflict bar for both), what it is (UUID, state, OS, emulator, type, firmware), and
 * whether it starts with the host. */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_OVERVIEW_PAGE (vmd_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdOverviewPage, vmd_overview_page, VMD, OVERVIEW_PAGE, VmdDetailsPage)

G_END_DECLS
