/* The devices of a definition that the Disks and Network pages do not show (shared folders,
 * TPM, sound, watchdog, channels, host devices...), each with a line for the user and the
 * XPath that finds it again for vmd_machine_details_detach_device_async(). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *kind;      /* "Shared folder", translated */
  char *detail;    /* "/srv/share → share" */
  char *xpath;     /* "/domain/devices/filesystem[1]" */
} VmdDeviceEntry;

void       vmd_device_entry_free (VmdDeviceEntry *entry);
/* Of VmdDeviceEntry, in the definition's order by kind; empty when domain_xml is NULL or does
 * not parse. The PCI root controllers, which no machine can lose, are left out. */
GPtrArray *vmd_device_list       (const char     *domain_xml);

G_END_DECLS
