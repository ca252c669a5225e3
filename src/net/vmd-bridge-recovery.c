/* VmdBridgeRecovery: note a change NetworkManager forgot, undo it when NetworkManager is back.
 *
 * The undo runs right after NetworkManager is back, before libnm's cache has every profile and
 * device (a profile shows up there only once its settings are fetched): each step asks
 * NetworkManager over D-Bus instead, one call at a time, each reply handed to the next step. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-bridge-recovery.h"
#include "vmd-error.h"
#include "vmd-nm-util.h"

/* As long as a change waits for its profiles to come up. */
#define UNDO_WAIT_S 30

typedef void (*ReplyFunc) (VmdBridgeRecovery *self,
                           GVariant          *reply,
                           const GError      *error);

struct _VmdBridgeRecovery
{
  GObject          parent_instance;

  NMClient        *client;
  VmdBridgeChange *change;        /* interrupted and not undone yet, or NULL */
  char            *message;       /* why the change cannot be kept, or why undoing it failed */
  gboolean         undoing;

  /* The undo under way: */
  ReplyFunc        then;          /* takes the reply of the call in flight */
  guint            profile;       /* the next added profile to delete */
  guint            device;        /* the software device being deleted */
  guint            nic;           /* the NIC being given its previous profile back */
  guint            tries;         /* of the current wait, every 100 ms */
  char            *previous;      /* D-Bus path of that NIC's previous profile */
  GError          *device_error;  /* deleting the software device failed */
};

G_DEFINE_FINAL_TYPE (VmdBridgeRecovery, vmd_bridge_recovery, G_TYPE_OBJECT)

enum { MESSAGE_CHANGED, FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_message (VmdBridgeRecovery *self,
             const char        *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  g_signal_emit (self, signals[MESSAGE_CHANGED], 0);
}

/* Why the pending change can no longer be kept, or why undoing it failed; NULL otherwise. */
const char *
vmd_bridge_recovery_get_message (VmdBridgeRecovery *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_RECOVERY (self), NULL);
  return self->message;
}

/* The change's checkpoint died with NetworkManager: it stays pending (not keepable) until
 * NetworkManager is back and it is undone by hand. The first note of a change counts. */
void
vmd_bridge_recovery_note_interrupted (VmdBridgeRecovery *self,
                                      VmdBridgeChange   *change)
{
  g_return_if_fail (VMD_IS_BRIDGE_RECOVERY (self));
  if (self->message != NULL)
    return;
  g_set_object (&self->change, change);
  if (vmd_bridge_change_get_undo (change) != NULL)
    set_message (self, _("NetworkManager stopped before the change was kept; the change will "
                         "be undone when it is back."));
  else
    set_message (self, _("NetworkManager stopped before the change was kept. The bridge's "
                         "profiles were already deleted, so the deletion stays."));
}

/* A new change has its checkpoint: the story of the last one is over. */
void
vmd_bridge_recovery_reset (VmdBridgeRecovery *self)
{
  g_return_if_fail (VMD_IS_BRIDGE_RECOVERY (self));
  g_return_if_fail (!self->undoing);
  g_clear_object (&self->change);
  set_message (self, NULL);
}

/* --- calls to NetworkManager ---------------------------------------------------------------- */

static const VmdBridgeUndo *
undo_of (VmdBridgeRecovery *self)
{
  return vmd_bridge_change_get_undo (self->change);
}

static void
on_reply (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  VmdBridgeRecovery *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = nm_client_dbus_call_finish (NM_CLIENT (source), result, &error);
  ReplyFunc then = self->then;

  self->then = NULL;
  then (self, reply, error);
}

static void
call (VmdBridgeRecovery *self,
      const char        *path,
      const char        *interface,
      const char        *method,
      GVariant          *parameters,
      const char        *reply_type,
      ReplyFunc          then)
{
  self->then = then;
  nm_client_dbus_call (self->client, path, interface, method, parameters,
                       G_VARIANT_TYPE (reply_type), 10000, NULL, on_reply, self);
}

/* GetConnectionByUuid and GetDeviceByIpIface answer with an object path, and fail when there
 * is none. */
static const char *
reply_path (GVariant *reply)
{
  const char *path = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(&o)", &path);
  return path;
}

static void
find_profile (VmdBridgeRecovery *self,
              const char        *uuid,
              ReplyFunc          then)
{
  call (self, NM_DBUS_PATH_SETTINGS, NM_DBUS_INTERFACE_SETTINGS, "GetConnectionByUuid",
        g_variant_new ("(s)", uuid), "(o)", then);
}

static void
find_device (VmdBridgeRecovery *self,
             const char        *interface,
             ReplyFunc          then)
{
  call (self, NM_DBUS_PATH, NM_DBUS_INTERFACE, "GetDeviceByIpIface",
        g_variant_new ("(s)", interface), "(o)", then);
}

/* --- the end ----------------------------------------------------------------------------- */

/* Takes error. */
static void
undo_finish (VmdBridgeRecovery *self,
             GError            *error)
{
  self->undoing = FALSE;
  g_clear_error (&self->device_error);
  g_clear_pointer (&self->previous, g_free);
  /* Gone again halfway: still pending, tried again when it is back. */
  if (error != NULL && !vmd_nm_present (self->client))
    {
      g_debug ("undo: NetworkManager went away again: %s", error->message);
      g_error_free (error);
      g_object_unref (self);
      return;
    }
  g_clear_object (&self->change);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("NetworkManager stopped before the change was "
                                                    "kept, and undoing the change now that it is "
                                                    "back failed: %s"), error->message);

      set_message (self, message);
      g_error_free (error);
    }
  else
    set_message (self, NULL);
  g_signal_emit (self, signals[FINISHED], 0, error == NULL);
  g_object_unref (self);
}

/* --- 3. each NIC on its previous profile again, activated ------------------------------------ */

static void undo_next_nic (VmdBridgeRecovery *self);

static const char *
current_nic (VmdBridgeRecovery *self)
{
  return undo_of (self)->nics->pdata[self->nic];
}

static void
skip_nic (VmdBridgeRecovery *self)
{
  self->nic++;
  undo_next_nic (self);
}

/* libnm's cache has the device and its active profile by now: they came up after the undo
 * began. */
static gboolean
nic_on_previous (VmdBridgeRecovery *self)
{
  NMDevice *device = nm_client_get_device_by_iface (self->client, current_nic (self));
  NMActiveConnection *active = device != NULL ? nm_device_get_active_connection (device) : NULL;

  return active != NULL &&
         g_strcmp0 (nm_active_connection_get_uuid (active), undo_of (self)->previous->pdata[self->nic]) == 0 &&
         nm_active_connection_get_state (active) == NM_ACTIVE_CONNECTION_STATE_ACTIVATED;
}

static gboolean
on_wait_nic (gpointer user_data)
{
  VmdBridgeRecovery *self = user_data;

  if (nic_on_previous (self))
    skip_nic (self);
  else if (++self->tries >= UNDO_WAIT_S * 10)
    undo_finish (self, g_error_new (VMD_ERROR, VMD_ERROR_FAILED,
                                    _("“%s” did not come back up on its previous profile."),
                                    current_nic (self)));
  else
    return G_SOURCE_CONTINUE;
  return G_SOURCE_REMOVE;
}

static void
on_nic_activated (VmdBridgeRecovery *self,
                  GVariant          *reply,
                  const GError      *error)
{
  if (error != NULL)
    {
      undo_finish (self, vmd_nm_error (error, _("Could not bring the previous profile back up")));
      return;
    }
  self->tries = 0;
  g_timeout_add (100, on_wait_nic, self);
}

static void
on_nic_found (VmdBridgeRecovery *self,
              GVariant          *reply,
              const GError      *error)
{
  const char *nic = reply_path (reply);

  if (nic == NULL)
    {
      g_debug ("undo: no device %s: %s", current_nic (self), error->message);
      skip_nic (self);
      return;
    }
  g_debug ("undo: bringing %s up again on %s", self->previous, current_nic (self));
  call (self, NM_DBUS_PATH, NM_DBUS_INTERFACE, "ActivateConnection",
        g_variant_new ("(ooo)", self->previous, nic, "/"), "(o)", on_nic_activated);
}

static void
on_previous_found (VmdBridgeRecovery *self,
                   GVariant          *reply,
                   const GError      *error)
{
  const char *previous = reply_path (reply);

  if (previous == NULL)
    {
      /* Deleted meanwhile: nothing to give back. */
      g_debug ("undo: no previous profile for %s: %s", current_nic (self), error->message);
      skip_nic (self);
      return;
    }
  g_free (self->previous);
  self->previous = g_strdup (previous);
  find_device (self, current_nic (self), on_nic_found);
}

static void
undo_next_nic (VmdBridgeRecovery *self)
{
  if (self->nic >= undo_of (self)->nics->len)
    undo_finish (self, NULL);
  else
    find_profile (self, undo_of (self)->previous->pdata[self->nic], on_previous_found);
}

/* --- 2. the software devices, if they outlived their profiles ------------------------------------
 * NetworkManager restarted without the profile it had in memory and found br5 in the kernel:
 * deleted as a software device, then waited for until NetworkManager's devices (which follow
 * the kernel's) no longer have it. */

static void undo_next_device (VmdBridgeRecovery *self);
static void on_device_checked (VmdBridgeRecovery *self,
                               GVariant          *reply,
                               const GError      *error);

static const char *
current_device (VmdBridgeRecovery *self)
{
  return undo_of (self)->devices->pdata[self->device];
}

static void
skip_device (VmdBridgeRecovery *self)
{
  self->device++;
  undo_next_device (self);
}

static gboolean
on_recheck_device (gpointer user_data)
{
  VmdBridgeRecovery *self = user_data;

  find_device (self, current_device (self), on_device_checked);
  return G_SOURCE_REMOVE;
}

static void
on_device_checked (VmdBridgeRecovery *self,
                   GVariant          *reply,
                   const GError      *error)
{
  if (reply_path (reply) == NULL)
    skip_device (self);
  else if (++self->tries < (self->device_error != NULL ? 50 : UNDO_WAIT_S * 10))
    g_timeout_add (100, on_recheck_device, self);
  else if (self->device_error != NULL)
    undo_finish (self, g_steal_pointer (&self->device_error));
  else
    undo_finish (self, g_error_new (VMD_ERROR, VMD_ERROR_FAILED, _("“%s” is still there."),
                                    current_device (self)));
}

static void
on_device_deleted (VmdBridgeRecovery *self,
                   GVariant          *reply,
                   const GError      *error)
{
  /* Failing because NetworkManager removed it first is fine: the check decides. */
  if (error != NULL)
    {
      g_debug ("undo: deleting device %s: %s", current_device (self), error->message);
      self->device_error = vmd_nm_error (error, _("Could not delete the bridge"));
    }
  self->tries = 0;
  find_device (self, current_device (self), on_device_checked);
}

static void
on_device_found (VmdBridgeRecovery *self,
                 GVariant          *reply,
                 const GError      *error)
{
  const char *device = reply_path (reply);

  if (device == NULL)
    {
      skip_device (self);
      return;
    }
  g_debug ("undo: deleting device %s", current_device (self));
  call (self, device, NM_DBUS_INTERFACE_DEVICE, "Delete", g_variant_new ("()"), "()",
        on_device_deleted);
}

static void
undo_next_device (VmdBridgeRecovery *self)
{
  g_clear_error (&self->device_error);
  if (self->device >= undo_of (self)->devices->len)
    undo_next_nic (self);
  else
    find_device (self, current_device (self), on_device_found);
}

/* --- 1. the profiles the change added, those NetworkManager still has ----------------------------
 * In-memory ones come back when only NetworkManager restarted (/run stays), not after a reboot.
 * Deleting the bridge's profile also takes down the bridge NetworkManager made for it. */

static void undo_next_profile (VmdBridgeRecovery *self);

static void
on_profile_deleted (VmdBridgeRecovery *self,
                    GVariant          *reply,
                    const GError      *error)
{
  if (error != NULL)
    undo_finish (self, vmd_nm_error (error, _("Could not delete a profile of the bridge")));
  else
    undo_next_profile (self);
}

static void
on_profile_found (VmdBridgeRecovery *self,
                  GVariant          *reply,
                  const GError      *error)
{
  const char *profile = reply_path (reply);

  if (profile == NULL)
    {
      undo_next_profile (self);
      return;
    }
  g_debug ("undo: deleting profile %s", (const char *) undo_of (self)->profiles->pdata[self->profile - 1]);
  call (self, profile, NM_DBUS_INTERFACE_SETTINGS_CONNECTION, "Delete", g_variant_new ("()"), "()",
        on_profile_deleted);
}

static void
undo_next_profile (VmdBridgeRecovery *self)
{
  const VmdBridgeUndo *undo = undo_of (self);

  if (self->profile >= undo->profiles->len)
    undo_next_device (self);
  else
    find_profile (self, undo->profiles->pdata[self->profile++], on_profile_found);
}

/* --- when ---------------------------------------------------------------------------------- */

/* NetworkManager is back and done starting: undo what it forgot. A deletion cannot be undone:
 * its profiles were deleted from disk at once, so it is only no longer pending. */
static void
maybe_undo (VmdBridgeRecovery *self)
{
  if (self->message == NULL || self->change == NULL || self->undoing ||
      !vmd_nm_present (self->client) || nm_client_get_startup (self->client))
    return;
  if (undo_of (self) == NULL)
    {
      g_clear_object (&self->change);
      g_signal_emit (self, signals[FINISHED], 0, FALSE);
      return;
    }
  /* Held until the undo ends, whoever lets go of the recovery meanwhile. */
  g_object_ref (self);
  self->undoing = TRUE;
  self->profile = self->device = self->nic = 0;
  undo_next_profile (self);
}

VmdBridgeRecovery *
vmd_bridge_recovery_new (NMClient *client)
{
  VmdBridgeRecovery *self = g_object_new (VMD_TYPE_BRIDGE_RECOVERY, NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "notify::" NM_CLIENT_NM_RUNNING, G_CALLBACK (maybe_undo), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::" NM_CLIENT_STARTUP, G_CALLBACK (maybe_undo), self,
                           G_CONNECT_SWAPPED);
  return self;
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_bridge_recovery_finalize (GObject *object)
{
  VmdBridgeRecovery *self = VMD_BRIDGE_RECOVERY (object);

  g_clear_object (&self->change);
  g_clear_object (&self->client);
  g_free (self->message);
  g_free (self->previous);
  g_clear_error (&self->device_error);
  G_OBJECT_CLASS (vmd_bridge_recovery_parent_class)->finalize (object);
}

static void
vmd_bridge_recovery_class_init (VmdBridgeRecoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_bridge_recovery_finalize;

  /* vmd_bridge_recovery_get_message says what it is now. */
  signals[MESSAGE_CHANGED] = g_signal_new ("message-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The interrupted change is over: undone (TRUE), or dropped, being a deletion or having
   * failed to be undone (FALSE; the message says why). */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
vmd_bridge_recovery_init (VmdBridgeRecovery *self)
{
}
