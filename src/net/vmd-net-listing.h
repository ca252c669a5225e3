/* NetworkManager's devices and profiles listed for VmdBridgeManager's dup_devices and
 * dup_profiles. */
#pragma once

#include <NetworkManager.h>

#include "vmd-bridge-manager.h"

G_BEGIN_DECLS

GPtrArray *vmd_net_listing_devices  (NMClient *client);
GPtrArray *vmd_net_listing_profiles (NMClient *client);

G_END_DECLS
