/* What the bridge's parts (manager, plan, change, recovery) all ask of libnm: whether
 * NetworkManager is really there, whether a checkpoint still exists, which bridge a device is
 * a port of, its addresses, and its errors as VMD_ERRORs a user can read. */
#pragma once

#include <NetworkManager.h>

G_BEGIN_DECLS

gboolean  vmd_nm_present           (NMClient     *client);
gboolean  vmd_nm_checkpoint_exists (NMClient     *client,
                                    const char   *path);
GError   *vmd_nm_error             (const GError *error,
                                    const char   *what);
NMDevice *vmd_nm_find_controller   (NMClient     *client,
                                    NMDevice     *port);
GStrv     vmd_nm_ip4_addresses     (NMIPConfig   *config);

G_END_DECLS
