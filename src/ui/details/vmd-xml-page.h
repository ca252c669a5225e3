/* VmdXmlPage: a machine's persistent definition in a source view; applies it through
 * VmdMachineDetails over the definition it started from only, shows libvirt's refusal in place,
 * what the Apply changed when libvirt accepts, and the three versions when it changed elsewhere.
 * Closing the window over edits not applied asks first. */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_XML_PAGE (vmd_xml_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdXmlPage, vmd_xml_page, VMD, XML_PAGE, VmdDetailsPage)

G_END_DECLS
