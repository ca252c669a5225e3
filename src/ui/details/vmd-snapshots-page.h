/* VmdSnapshotsPage: the machine's snapshots, oldest first; Create (with the memory of a running
 * machine), Revert and Delete (asking first), and why a machine cannot have snapshots. */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_SNAPSHOTS_PAGE (vmd_snapshots_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdSnapshotsPage, vmd_snapshots_page, VMD, SNAPSHOTS_PAGE, VmdDetailsPage)

G_END_DECLS
