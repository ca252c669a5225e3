/* External snapshots of UEFI machines, for libvirt older than 10.10: libvirt takes them (disk
 * overlays, memory state) but cannot revert to them or delete them, nor keep the NVRAM with
 * them. VM Desk copies the NVRAM beside the overlays and reverts and deletes them itself, each
 * step undone when a later one fails. Worker-thread calls on a raw domain handle. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/* libvirt takes internal snapshots of UEFI machines, NVRAM included, from this release. */
#define VMD_SNAPSHOT_LIBVIRT_UEFI_VERSION 10010000UL

gboolean vmd_snapshot_external_needed      (virDomainPtr   domain);
gboolean vmd_snapshot_external_is_external (const char    *snapshot_xml);

gboolean vmd_snapshot_external_create      (virDomainPtr   domain,
                                            const char    *name,
                                            const char    *description,
                                            GError       **error);
gboolean vmd_snapshot_external_revert      (virDomainPtr   domain,
                                            const char    *name,
                                            GError       **error);
gboolean vmd_snapshot_external_delete      (virDomainPtr   domain,
                                            const char    *name,
                                            GError       **error);

/* For tests: the next reverts and deletes fail at their step number step (1 is the first),
 * as a real failure there would; 0 turns it off. */
void     vmd_snapshot_external_set_fail_at (guint          step);

G_END_DECLS
