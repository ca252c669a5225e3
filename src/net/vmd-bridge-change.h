/* VmdBridgeChange: one change of NetworkManager's profiles under a checkpoint. Creating and
 * deleting a bridge are both one of these, with different step lists: the checkpoint covers
 * every device with DELETE_NEW_CONNECTIONS and DISCONNECT_NEW_DEVICES, the steps run in order,
 * the profiles to bring up are brought up in order and waited for, and a failed step rolls the
 * checkpoint back. Then the change waits: keep writes the profiles it added to disk and
 * destroys the checkpoint; roll back, or NetworkManager's own timer, restores what was there. */
#pragma once

#include <NetworkManager.h>

G_BEGIN_DECLS

typedef enum {
  VMD_BRIDGE_CHANGE_READY,        /* its steps are being listed */
  VMD_BRIDGE_CHANGE_APPLYING,     /* under its checkpoint, the steps running */
  VMD_BRIDGE_CHANGE_APPLIED,      /* waiting to be kept or rolled back */
  VMD_BRIDGE_CHANGE_INTERRUPTED,  /* NetworkManager stopped before keep: the checkpoint died with
                                   * it and nothing was rolled back */
  VMD_BRIDGE_CHANGE_EXPIRED,      /* nobody kept it in time: NetworkManager rolled back */
  VMD_BRIDGE_CHANGE_ROLLED_BACK,  /* on request, or after a step failed */
  VMD_BRIDGE_CHANGE_KEPT,
} VmdBridgeChangeState;

/* What a change added, for VmdBridgeRecovery to take away by hand when NetworkManager forgot
 * the change (it stopped before keep). Owned by the change. */
typedef struct {
  GPtrArray *profiles;   /* of char *: UUIDs of the profiles it adds, in memory until kept */
  GPtrArray *devices;    /* of char *: the software devices they make ("br0") */
  GPtrArray *nics;       /* of char *: interfaces it moves to a new profile... */
  GPtrArray *previous;   /* of char *: ...and the UUID of the profile each had before */
} VmdBridgeUndo;

#define VMD_TYPE_BRIDGE_CHANGE (vmd_bridge_change_get_type ())
G_DECLARE_FINAL_TYPE (VmdBridgeChange, vmd_bridge_change, VMD, BRIDGE_CHANGE, GObject)

VmdBridgeChange      *vmd_bridge_change_new            (NMClient            *client,
                                                        guint                rollback_timeout_s);
void                  vmd_bridge_change_add_profile    (VmdBridgeChange     *self,
                                                        NMConnection        *profile,
                                                        NMDevice            *device,
                                                        const char          *what);
void                  vmd_bridge_change_delete_profile (VmdBridgeChange     *self,
                                                        NMRemoteConnection  *profile);
void                  vmd_bridge_change_activate       (VmdBridgeChange     *self,
                                                        NMRemoteConnection  *profile,
                                                        NMDevice            *device);

void                  vmd_bridge_change_apply_async    (VmdBridgeChange     *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
void                  vmd_bridge_change_keep_async     (VmdBridgeChange     *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
void                  vmd_bridge_change_roll_back_async (VmdBridgeChange    *self,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
gboolean              vmd_bridge_change_finish         (VmdBridgeChange     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                  vmd_bridge_change_interrupt      (VmdBridgeChange     *self);

VmdBridgeChangeState  vmd_bridge_change_get_state      (VmdBridgeChange     *self);
const char           *vmd_bridge_change_get_checkpoint (VmdBridgeChange     *self);
const VmdBridgeUndo  *vmd_bridge_change_get_undo       (VmdBridgeChange     *self);

G_END_DECLS
