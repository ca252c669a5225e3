/* VmdBridgeManager: NetworkManager's devices and profiles, and bridges for virtual machines made
 * and removed under a checkpoint, so a change the user does not confirm is rolled back by
 * NetworkManager itself and the host is never left offline. */
#pragma once

#include <gio/gio.h>

#include "vmd-bridge-settings.h"

G_BEGIN_DECLS

/* One network interface as NetworkManager sees it. */
typedef struct {
  char  *interface;      /* "veth0" */
  char  *kind;           /* "ethernet", "bridge", "wifi", "loopback", ... */
  char  *state;          /* words: "connected", "disconnected", "unmanaged", ... */
  char  *profile;        /* the active profile's name, or NULL */
  char  *controller;     /* the bridge it is a port of, or NULL */
  GStrv  addresses;      /* "192.168.1.80/24", ... */
  GStrv  ports;          /* a bridge's ports */
} VmdNetDevice;

/* One saved NetworkManager profile. */
typedef struct {
  char     *id;
  char     *uuid;
  char     *kind;        /* "bridge", "802-3-ethernet", ... */
  char     *interface;   /* or NULL */
  char     *controller;  /* the bridge this profile is a port of, or NULL */
  gboolean  active;
  gboolean  saved;       /* on disk, not only in NetworkManager's memory */
} VmdNetProfile;

void vmd_net_device_free  (VmdNetDevice  *device);
void vmd_net_profile_free (VmdNetProfile *profile);

#define VMD_TYPE_BRIDGE_MANAGER (vmd_bridge_manager_get_type ())
G_DECLARE_FINAL_TYPE (VmdBridgeManager, vmd_bridge_manager, VMD, BRIDGE_MANAGER, GObject)

void                vmd_bridge_manager_new_async        (GDBusConnection          *bus,
                                                         GCancellable             *cancellable,
                                                         GAsyncReadyCallback       callback,
                                                         gpointer                  user_data);
VmdBridgeManager   *vmd_bridge_manager_new_finish       (GAsyncResult             *result,
                                                         GError                  **error);

gboolean            vmd_bridge_manager_get_nm_running   (VmdBridgeManager         *self);
gboolean            vmd_bridge_manager_needs_authorization (VmdBridgeManager      *self);
const char         *vmd_bridge_manager_get_pending_checkpoint (VmdBridgeManager   *self);
const char         *vmd_bridge_manager_get_interrupted  (VmdBridgeManager         *self);
GPtrArray          *vmd_bridge_manager_dup_devices      (VmdBridgeManager         *self);
GPtrArray          *vmd_bridge_manager_dup_profiles     (VmdBridgeManager         *self);
VmdBridgeSettings  *vmd_bridge_manager_suggest_settings (VmdBridgeManager         *self,
                                                         const char               *port,
                                                         GError                  **error);

void                vmd_bridge_manager_create_bridge_async  (VmdBridgeManager        *self,
                                                             const VmdBridgeSettings *settings,
                                                             guint                    rollback_timeout_s,
                                                             GCancellable            *cancellable,
                                                             GAsyncReadyCallback      callback,
                                                             gpointer                 user_data);
gboolean            vmd_bridge_manager_create_bridge_finish (VmdBridgeManager        *self,
                                                             GAsyncResult            *result,
                                                             GError                 **error);
void                vmd_bridge_manager_delete_bridge_async  (VmdBridgeManager        *self,
                                                             const char              *name,
                                                             guint                    rollback_timeout_s,
                                                             GCancellable            *cancellable,
                                                             GAsyncReadyCallback      callback,
                                                             gpointer                 user_data);
gboolean            vmd_bridge_manager_delete_bridge_finish (VmdBridgeManager        *self,
                                                             GAsyncResult            *result,
                                                             GError                 **error);
void                vmd_bridge_manager_confirm_async        (VmdBridgeManager        *self,
                                                             GCancellable            *cancellable,
                                                             GAsyncReadyCallback      callback,
                                                             gpointer                 user_data);
gboolean            vmd_bridge_manager_confirm_finish       (VmdBridgeManager        *self,
                                                             GAsyncResult            *result,
                                                             GError                 **error);
void                vmd_bridge_manager_rollback_async       (VmdBridgeManager        *self,
                                                             GCancellable            *cancellable,
                                                             GAsyncReadyCallback      callback,
                                                             gpointer                 user_data);
gboolean            vmd_bridge_manager_rollback_finish      (VmdBridgeManager        *self,
                                                             GAsyncResult            *result,
                                                             GError                 **error);

G_END_DECLS
