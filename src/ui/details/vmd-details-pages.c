/* The list of details pages. A new page (a hardware page, say) is:
 *   - a VmdDetailsPage subclass in src/ui/details/, with its template in
 *     ui-resources/ui/details/ (registered in the gresource file and POTFILES.in);
 *   - for its changes, a typed change in a src/core/vmd-machine-details-AREA.c, or for a new
 *     device type, a typed description and its XML writer in vmd-device-xml.c, attached with
 *     vmd_machine_details_attach_device_async();
 *   - one line below.
 * The window makes every page with the machine's VmdMachineDetails and shows the errors and notes
 * it emits; no other page or the window changes. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-boot-page.h"
#include "vmd-devices-page.h"
#include "vmd-details-pages.h"
#include "vmd-disks-page.h"
#include "vmd-memory-page.h"
#include "vmd-network-page.h"
#include "vmd-overview-page.h"
#include "vmd-snapshots-page.h"
#include "vmd-vcpus-page.h"
#include "vmd-xml-page.h"

static const VmdDetailsPageEntry pages[] = {
  { "overview",  N_("Overview"),  vmd_overview_page_get_type },
  { "vcpus",     N_("vCPUs"),     vmd_vcpus_page_get_type },
  { "memory",    N_("Memory"),    vmd_memory_page_get_type },
  { "boot",      N_("Boot"),      vmd_boot_page_get_type },
  { "disks",     N_("Disks"),     vmd_disks_page_get_type },
  { "network",   N_("Network"),   vmd_network_page_get_type },
  { "devices",   N_("Other Devices"), vmd_devices_page_get_type },
  { "snapshots", N_("Snapshots"), vmd_snapshots_page_get_type },
  { "xml",       N_("XML"),       vmd_xml_page_get_type },
};

const VmdDetailsPageEntry *
vmd_details_pages (guint *n_pages)
{
  *n_pages = G_N_ELEMENTS (pages);
  return pages;
}
