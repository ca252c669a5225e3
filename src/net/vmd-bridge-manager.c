/* VmdBridgeManager: libnm's NMClient behind the small API the Host window and the bridge
 * assistant use. Every change (create a bridge, delete one) is a VmdBridgeChange: made under
 * an NM checkpoint with a rollback timeout, so if the user does not confirm in time, the app
 * dies, or a step fails, NetworkManager puts the old settings back. Only confirm keeps it.
 *
 * The work is in parts: vmd-bridge-plan says what a create or delete changes (and refuses it
 * with a reason), VmdBridgeChange runs it, VmdBridgeRecovery undoes a change NetworkManager
 * forgot because it stopped before confirm. The manager holds the change that awaits confirm,
 * follows NetworkManager for the listings, and says what happened. */
#include "config.h"

#include <glib/gi18n.h>
#include <NetworkManager.h>

#include "vmd-bridge-change.h"
#include "vmd-bridge-manager.h"
#include "vmd-bridge-plan.h"
#include "vmd-bridge-recovery.h"
#include "vmd-error.h"
#include "vmd-net-listing.h"
#include "vmd-nm-util.h"

struct _VmdBridgeManager
{
  GObject            parent_instance;

  NMClient          *client;
  VmdBridgeChange   *pending;    /* from its checkpoint until kept, rolled back or undone; kept
                                  * while NetworkManager is away after it stopped before confirm */
  VmdBridgeRecovery *recovery;   /* says why the pending change cannot be kept, and undoes it */
};

G_DEFINE_FINAL_TYPE (VmdBridgeManager, vmd_bridge_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NM_RUNNING,
  PROP_PENDING_CHECKPOINT,
  PROP_INTERRUPTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { CHANGED, ROLLED_BACK, N_SIGNALS };
static guint signals[N_SIGNALS];

/* --- listings ------------------------------------------------------------------------------ */

/* Of VmdNetDevice, for the Host window. */
GPtrArray *
vmd_bridge_manager_dup_devices (VmdBridgeManager *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), NULL);
  return vmd_net_listing_devices (self->client);
}

/* Of VmdNetProfile. */
GPtrArray *
vmd_bridge_manager_dup_profiles (VmdBridgeManager *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), NULL);
  return vmd_net_listing_profiles (self->client);
}

gboolean
vmd_bridge_manager_get_nm_running (VmdBridgeManager *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), FALSE);
  return nm_client_get_nm_running (self->client);
}

/* Why the pending change can no longer be kept (NetworkManager stopped before confirm; it is
 * undone when NetworkManager is back), or NULL. */
const char *
vmd_bridge_manager_get_interrupted (VmdBridgeManager *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), NULL);
  return vmd_bridge_recovery_get_message (self->recovery);
}

/* A change would wait for the user to authenticate to polkit. */
gboolean
vmd_bridge_manager_needs_authorization (VmdBridgeManager *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), FALSE);
  return vmd_bridge_plan_needs_authorization (self->client);
}

const char *
vmd_bridge_manager_get_pending_checkpoint (VmdBridgeManager *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), NULL);
  return self->pending != NULL ? vmd_bridge_change_get_checkpoint (self->pending) : NULL;
}

/* --- checks before anything changes ------------------------------------------------------------ */

/* NetworkManager there, the right to change its settings, and no other change in the way. */
static gboolean
may_change (VmdBridgeManager  *self,
            GError           **error)
{
  if (!vmd_bridge_plan_check_nm (self->client, error) ||
      !vmd_bridge_plan_check_permission (self->client, error))
    return FALSE;
  if (self->pending == NULL)
    return TRUE;
  g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                       _("Keep or undo the previous network change first."));
  return FALSE;
}

/* The NIC's current IPv4 settings, offered as the new bridge's: it takes over the NIC's place. */
VmdBridgeSettings *
vmd_bridge_manager_suggest_settings (VmdBridgeManager  *self,
                                     const char        *port,
                                     GError           **error)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), NULL);
  return vmd_bridge_plan_suggest (self->client, port, error);
}

/* --- the pending change ---------------------------------------------------------------------- */

static void
forget_pending (VmdBridgeManager *self)
{
  if (self->pending == NULL)
    return;
  g_clear_object (&self->pending);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_CHECKPOINT]);
}

/* A change has its checkpoint: it is the pending one now, and an earlier one's story is over. */
static void
adopt_pending (VmdBridgeManager *self,
               VmdBridgeChange  *change)
{
  vmd_bridge_recovery_reset (self->recovery);
  g_set_object (&self->pending, change);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_CHECKPOINT]);
}

static void
on_change_state (VmdBridgeChange  *change,
                 VmdBridgeManager *self)
{
  VmdBridgeChangeState state = vmd_bridge_change_get_state (change);

  if (state == VMD_BRIDGE_CHANGE_APPLYING)
    adopt_pending (self, change);
  if (change != self->pending)
    return;
  switch (state)
    {
    case VMD_BRIDGE_CHANGE_INTERRUPTED:
      vmd_bridge_recovery_note_interrupted (self->recovery, change);
      break;
    case VMD_BRIDGE_CHANGE_EXPIRED:
      forget_pending (self);
      g_signal_emit (self, signals[ROLLED_BACK], 0,
                     _("Nobody kept the new settings in time, so NetworkManager restored the "
                       "previous ones."));
      break;
    case VMD_BRIDGE_CHANGE_ROLLED_BACK:
    case VMD_BRIDGE_CHANGE_KEPT:
      forget_pending (self);
      break;
    case VMD_BRIDGE_CHANGE_READY:
    case VMD_BRIDGE_CHANGE_APPLYING:
    case VMD_BRIDGE_CHANGE_APPLIED:
    default:
      break;
    }
}

/* What the caller hears once NetworkManager stopped before the change was kept. cause: the
 * step of a create or delete that failed then, or NULL. */
static GError *
interrupted_error (VmdBridgeManager *self,
                   const GError     *cause)
{
  const char *why = vmd_bridge_recovery_get_message (self->recovery);

  if (why == NULL)
    why = "";
  if (cause != NULL)
    return g_error_new (VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING, "%s %s", cause->message, why);
  return g_error_new (VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING, _("NetworkManager is not running. %s"), why);
}

/* The end of a change's apply, keep or roll back, for the manager's own task. */
static void
on_change_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdBridgeManager *self = g_task_get_source_object (task);
  VmdBridgeChange *change = VMD_BRIDGE_CHANGE (source);
  g_autoptr(GError) error = NULL;
  gboolean applying = g_task_get_source_tag (G_TASK (result)) == vmd_bridge_change_apply_async;

  if (vmd_bridge_change_finish (change, result, &error))
    g_task_return_boolean (task, TRUE);
  else if (vmd_bridge_change_get_state (change) == VMD_BRIDGE_CHANGE_INTERRUPTED)
    g_task_return_error (task, interrupted_error (self, applying ? error : NULL));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static GTask *
manager_task_new (VmdBridgeManager    *self,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/* Every _finish of the manager's. */
static gboolean
manager_task_finish (VmdBridgeManager  *self,
                     GAsyncResult      *result,
                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Create (settings) and delete (name) alike: the change planned, then applied; or the caller
 * told why there is none. */
static void
start_change (VmdBridgeManager        *self,
              const VmdBridgeSettings *settings,
              const char              *name,
              guint                    rollback_timeout_s,
              gpointer                 source_tag,
              GCancellable            *cancellable,
              GAsyncReadyCallback      callback,
              gpointer                 user_data)
{
  g_autoptr(GTask) task = manager_task_new (self, source_tag, cancellable, callback, user_data);
  g_autoptr(VmdBridgeChange) change = NULL;
  GError *error = NULL;

  if (may_change (self, &error))
    change = settings != NULL ?
             vmd_bridge_plan_create (self->client, settings, rollback_timeout_s, &error) :
             vmd_bridge_plan_delete (self->client, name, rollback_timeout_s, &error);
  if (change == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_signal_connect_object (change, "state-changed", G_CALLBACK (on_change_state), self, 0);
  vmd_bridge_change_apply_async (change, cancellable, on_change_done, g_steal_pointer (&task));
}

/* Adds and brings up the bridge (and its port), then leaves the checkpoint pending: the caller
 * asks the user and calls confirm, or rollback; without either, NetworkManager rolls back when
 * rollback_timeout_s runs out. */
void
vmd_bridge_manager_create_bridge_async (VmdBridgeManager        *self,
                                        const VmdBridgeSettings *settings,
                                        guint                    rollback_timeout_s,
                                        GCancellable            *cancellable,
                                        GAsyncReadyCallback      callback,
                                        gpointer                 user_data)
{
  g_return_if_fail (VMD_IS_BRIDGE_MANAGER (self) && settings != NULL);
  start_change (self, settings, NULL, rollback_timeout_s, vmd_bridge_manager_create_bridge_async,
                cancellable, callback, user_data);
}

/* Deletes the bridge's and its ports' profiles and brings each NIC's previous profile back up,
 * under a checkpoint like create. */
void
vmd_bridge_manager_delete_bridge_async (VmdBridgeManager    *self,
                                        const char          *name,
                                        guint                rollback_timeout_s,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (VMD_IS_BRIDGE_MANAGER (self) && name != NULL);
  start_change (self, NULL, name, rollback_timeout_s, vmd_bridge_manager_delete_bridge_async,
                cancellable, callback, user_data);
}

gboolean
vmd_bridge_manager_create_bridge_finish (VmdBridgeManager  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  return manager_task_finish (self, result, error);
}

gboolean
vmd_bridge_manager_delete_bridge_finish (VmdBridgeManager  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  return manager_task_finish (self, result, error);
}

/* --- keep or undo ---------------------------------------------------------------------------- */

/* The change confirm or rollback acts on, or NULL once task has been told why there is none. */
static VmdBridgeChange *
change_to_answer (VmdBridgeManager *self,
                  GTask            *task,
                  const char       *nothing_pending)
{
  if (self->pending == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE, "%s", nothing_pending);
      return NULL;
    }
  /* Undone by hand when NetworkManager is back; nothing can be asked of it before. */
  if (vmd_bridge_recovery_get_message (self->recovery) != NULL || !vmd_nm_present (self->client))
    {
      g_task_return_error (task, interrupted_error (self, NULL));
      return NULL;
    }
  return self->pending;
}

/* Writes the new profiles to disk, then destroys the checkpoint. */
void
vmd_bridge_manager_confirm_async (VmdBridgeManager    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VmdBridgeChange *change;

  g_return_if_fail (VMD_IS_BRIDGE_MANAGER (self));

  task = manager_task_new (self, vmd_bridge_manager_confirm_async, cancellable, callback, user_data);
  change = change_to_answer (self, task, _("There is no network change waiting to be kept."));
  if (change != NULL)
    vmd_bridge_change_keep_async (change, cancellable, on_change_done, g_object_ref (task));
}

gboolean
vmd_bridge_manager_confirm_finish (VmdBridgeManager  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  return manager_task_finish (self, result, error);
}

void
vmd_bridge_manager_rollback_async (VmdBridgeManager    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VmdBridgeChange *change;

  g_return_if_fail (VMD_IS_BRIDGE_MANAGER (self));

  task = manager_task_new (self, vmd_bridge_manager_rollback_async, cancellable, callback, user_data);
  change = change_to_answer (self, task, _("There is no network change to undo."));
  if (change != NULL)
    vmd_bridge_change_roll_back_async (change, on_change_done, g_object_ref (task));
}

gboolean
vmd_bridge_manager_rollback_finish (VmdBridgeManager  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  return manager_task_finish (self, result, error);
}

/* --- following NetworkManager ---------------------------------------------------------------- */

static void
emit_changed (VmdBridgeManager *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_nm_running_changed (NMClient         *client,
                       GParamSpec       *pspec,
                       VmdBridgeManager *self)
{
  if (!nm_client_get_nm_running (client) && self->pending != NULL)
    vmd_bridge_change_interrupt (self->pending);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NM_RUNNING]);
  emit_changed (self);
}

/* The interrupted change is over: undone, or no longer pending. */
static void
on_recovery_finished (VmdBridgeRecovery *recovery,
                      gboolean           undone,
                      VmdBridgeManager  *self)
{
  forget_pending (self);
  if (undone)
    g_signal_emit (self, signals[ROLLED_BACK], 0,
                   _("NetworkManager stopped before the change was kept; now that it is back, the "
                     "change was undone."));
  emit_changed (self);
}

static void
on_recovery_message (VmdBridgeRecovery *recovery,
                     VmdBridgeManager  *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERRUPTED]);
}

static void
watch_device (VmdBridgeManager *self,
              NMDevice         *device)
{
  g_signal_connect_object (device, "notify::" NM_DEVICE_STATE, G_CALLBACK (emit_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
on_device_added (NMClient         *client,
                 NMDevice         *device,
                 VmdBridgeManager *self)
{
  watch_device (self, device);
  emit_changed (self);
}

/* The recovery follows NetworkManager's return after the manager has heard of it. */
static void
follow_client (VmdBridgeManager *self)
{
  const char *changes[] = {
    NM_CLIENT_DEVICE_REMOVED, NM_CLIENT_CONNECTION_ADDED, NM_CLIENT_CONNECTION_REMOVED,
    NM_CLIENT_ACTIVE_CONNECTION_ADDED, NM_CLIENT_ACTIVE_CONNECTION_REMOVED,
  };
  const GPtrArray *devices = nm_client_get_devices (self->client);

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    g_signal_connect_object (self->client, changes[i], G_CALLBACK (emit_changed), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, NM_CLIENT_DEVICE_ADDED, G_CALLBACK (on_device_added), self, 0);
  g_signal_connect_object (self->client, "notify::" NM_CLIENT_NM_RUNNING,
                           G_CALLBACK (on_nm_running_changed), self, 0);
  for (guint i = 0; i < devices->len; i++)
    watch_device (self, devices->pdata[i]);

  self->recovery = vmd_bridge_recovery_new (self->client);
  g_signal_connect_object (self->recovery, "finished", G_CALLBACK (on_recovery_finished), self, 0);
  g_signal_connect_object (self->recovery, "message-changed", G_CALLBACK (on_recovery_message),
                           self, 0);
}

static void
on_client_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) client = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, &error);
  VmdBridgeManager *self;

  if (client == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING,
                               _("Could not reach the system message bus to ask NetworkManager: %s"),
                               error->message);
      return;
    }
  self = g_object_new (VMD_TYPE_BRIDGE_MANAGER, NULL);
  self->client = NM_CLIENT (g_steal_pointer (&client));
  follow_client (self);
  g_task_return_pointer (task, self, g_object_unref);
}

/* bus: NULL for the system bus (DBUS_SYSTEM_BUS_ADDRESS is honoured), or a private one. A
 * NetworkManager that is not running is not an error here: see get_nm_running. */
void
vmd_bridge_manager_new_async (GDBusConnection     *bus,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_bridge_manager_new_async);
  g_async_initable_new_async (NM_TYPE_CLIENT, G_PRIORITY_DEFAULT, cancellable, on_client_ready, task,
                              NM_CLIENT_DBUS_CONNECTION, bus, NULL);
}

VmdBridgeManager *
vmd_bridge_manager_new_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_bridge_manager_dispose (GObject *object)
{
  VmdBridgeManager *self = VMD_BRIDGE_MANAGER (object);

  /* A pending checkpoint is left to NetworkManager's timeout: it rolls back by itself. */
  g_clear_object (&self->pending);
  g_clear_object (&self->recovery);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (vmd_bridge_manager_parent_class)->dispose (object);
}

static void
vmd_bridge_manager_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VmdBridgeManager *self = VMD_BRIDGE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_NM_RUNNING:
      g_value_set_boolean (value, self->client != NULL && nm_client_get_nm_running (self->client));
      break;
    case PROP_PENDING_CHECKPOINT:
      g_value_set_string (value, self->pending != NULL ? vmd_bridge_change_get_checkpoint (self->pending) : NULL);
      break;
    case PROP_INTERRUPTED:
      g_value_set_string (value, self->recovery != NULL ? vmd_bridge_recovery_get_message (self->recovery) : NULL);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_bridge_manager_class_init (VmdBridgeManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_bridge_manager_dispose;
  object_class->get_property = vmd_bridge_manager_get_property;

  properties[PROP_NM_RUNNING] =
    g_param_spec_boolean ("nm-running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING_CHECKPOINT] =
    g_param_spec_string ("pending-checkpoint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* NetworkManager stopped before the pending change was kept: why it cannot be kept now. */
  properties[PROP_INTERRUPTED] =
    g_param_spec_string ("interrupted", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Devices, profiles or their states changed: listings are stale. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A pending change was undone, with the reason as a sentence: by NetworkManager because nobody
   * confirmed it in time, or by the manager once NetworkManager came back after it stopped
   * before confirm. Never emitted when nothing was undone. */
  signals[ROLLED_BACK] = g_signal_new ("rolled-back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vmd_bridge_manager_init (VmdBridgeManager *self)
{
}
