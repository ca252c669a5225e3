/* The NetworkManager profiles of a bridge for virtual machines, built and recognised without
 * asking NetworkManager: the bridge's profile, a NIC's port profile, and which saved profile
 * gives a NIC back its previous settings when its bridge goes. Pure functions over
 * NMConnection, tested without a NetworkManager (tests/unit/test-bridge-profiles.c). */
#pragma once

#include <NetworkManager.h>

#include "vmd-bridge-settings.h"

G_BEGIN_DECLS

/* Set on a port profile: the UUID of the NIC's profile before it became a port. */
#define VMD_BRIDGE_PREVIOUS_PROFILE_KEY "vmdesk.previous-profile"
/* Above the default 0, so at boot the port profile wins over the NIC's previous one. */
#define VMD_BRIDGE_PORT_AUTOCONNECT_PRIORITY 10

NMConnection *vmd_bridge_profiles_new_bridge    (const VmdBridgeSettings  *settings,
                                                 GError                  **error);
NMConnection *vmd_bridge_profiles_new_port      (const char               *bridge,
                                                 const char               *nic,
                                                 const char               *previous_uuid,
                                                 GError                  **error);

gboolean      vmd_bridge_profiles_is_bridge     (NMConnection             *connection,
                                                 const char               *name);
GPtrArray    *vmd_bridge_profiles_find_bridges  (const GPtrArray          *connections,
                                                 const char               *name);
gboolean      vmd_bridge_profiles_is_port_of    (NMConnection             *connection,
                                                 const char               *name,
                                                 const GPtrArray          *bridges);
NMConnection *vmd_bridge_profiles_find_previous (const GPtrArray          *connections,
                                                 NMConnection             *port);

G_END_DECLS
