/* What creating or deleting a bridge changes, read from NetworkManager's present devices and
 * profiles: the checks that refuse it with a reason ("Nothing was changed."), then the step
 * list of the VmdBridgeChange that does it; and the settings a new bridge would take over from
 * its NIC. Nothing here changes anything. */
#pragma once

#include <NetworkManager.h>

#include "vmd-bridge-change.h"
#include "vmd-bridge-settings.h"

G_BEGIN_DECLS

gboolean           vmd_bridge_plan_check_nm         (NMClient                 *client,
                                                     GError                  **error);
gboolean           vmd_bridge_plan_needs_authorization (NMClient            *client);
gboolean           vmd_bridge_plan_check_permission (NMClient                 *client,
                                                     GError                  **error);
VmdBridgeSettings *vmd_bridge_plan_suggest          (NMClient                 *client,
                                                     const char               *port,
                                                     GError                  **error);
NMDevice        *vmd_bridge_plan_find_port (NMClient                 *client,
                                            const char               *name,
                                            GError                  **error);
VmdBridgeChange *vmd_bridge_plan_create    (NMClient                 *client,
                                            const VmdBridgeSettings  *settings,
                                            guint                     rollback_timeout_s,
                                            GError                  **error);
VmdBridgeChange *vmd_bridge_plan_delete    (NMClient                 *client,
                                            const char               *name,
                                            guint                     rollback_timeout_s,
                                            GError                  **error);

G_END_DECLS
