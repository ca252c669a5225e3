/* VmdBridgeRecovery: the undo of a change NetworkManager forgot. Checkpoints live in its
 * memory only, so when NetworkManager stops before a change is kept nothing is rolled back;
 * when it starts again, the change's in-memory profiles may come back (a service restart keeps
 * /run) and its bridge may still be in the kernel. The recovery notes the interrupted change,
 * and once NetworkManager is back and done starting, takes away what the change added and
 * brings each NIC back up on its previous profile. */
#pragma once

#include <NetworkManager.h>

#include "vmd-bridge-change.h"

G_BEGIN_DECLS

#define VMD_TYPE_BRIDGE_RECOVERY (vmd_bridge_recovery_get_type ())
G_DECLARE_FINAL_TYPE (VmdBridgeRecovery, vmd_bridge_recovery, VMD, BRIDGE_RECOVERY, GObject)

VmdBridgeRecovery *vmd_bridge_recovery_new              (NMClient          *client);
void               vmd_bridge_recovery_note_interrupted (VmdBridgeRecovery *self,
                                                         VmdBridgeChange   *change);
void               vmd_bridge_recovery_reset            (VmdBridgeRecovery *self);
const char        *vmd_bridge_recovery_get_message      (VmdBridgeRecovery *self);

G_END_DECLS
