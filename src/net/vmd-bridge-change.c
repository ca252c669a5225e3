/* VmdBridgeChange: the checkpoint, the steps and the waits of one change (see the header).
 * Each call in flight holds a reference to the task it serves; self->applying holds one more
 * until apply returns, because waiting on the activations' states holds none. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-bridge-change.h"
#include "vmd-error.h"
#include "vmd-nm-util.h"

#define ACTIVATION_TIMEOUT_S 30

typedef enum {
  STEP_ADD,        /* add the profile, in memory only, and bring it up */
  STEP_DELETE,
  STEP_ACTIVATE,   /* bring a saved profile up */
} StepKind;

typedef struct {
  StepKind      kind;
  NMConnection *profile;   /* STEP_ADD: as built, then NetworkManager's NMRemoteConnection of it */
  NMDevice     *device;    /* brought up on it; NULL: on the software device the profile makes */
  char         *what;      /* STEP_ADD: the start of the sentence if adding fails */
} Step;

struct _VmdBridgeChange
{
  GObject               parent_instance;

  NMClient             *client;
  guint                 timeout_s;
  GPtrArray            *steps;          /* of Step, run in order */
  VmdBridgeUndo        *undo;           /* NULL once a step deletes a profile */
  VmdBridgeChangeState  state;
  char                 *checkpoint;
  gulong                checkpoints_id;

  GTask                *applying;       /* apply's task, until it returns */
  guint                 next;           /* the next step to run... */
  guint                 next_up;        /* ...and the next to bring up once all have run */
  GPtrArray            *waiting;        /* of NMActiveConnection */
  guint                 timeout_id;
  GError               *failure;        /* why apply failed, while it rolls back */
};

G_DEFINE_FINAL_TYPE (VmdBridgeChange, vmd_bridge_change, G_TYPE_OBJECT)

enum { STATE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Saving the added profiles to disk, before the checkpoint is destroyed. */
typedef struct {
  guint   pending;
  GError *error;     /* the first profile that could not be saved */
} Keep;

static void apply_failed (VmdBridgeChange *self,
                          GError          *error);

/* --- the step list ------------------------------------------------------------------------ */

static void
step_free (Step *step)
{
  g_clear_object (&step->profile);
  g_clear_object (&step->device);
  g_free (step->what);
  g_free (step);
}

static void
undo_free (VmdBridgeUndo *undo)
{
  g_ptr_array_unref (undo->profiles);
  g_ptr_array_unref (undo->devices);
  g_ptr_array_unref (undo->nics);
  g_ptr_array_unref (undo->previous);
  g_free (undo);
}

static VmdBridgeUndo *
undo_new (void)
{
  VmdBridgeUndo *undo = g_new0 (VmdBridgeUndo, 1);

  undo->profiles = g_ptr_array_new_with_free_func (g_free);
  undo->devices = g_ptr_array_new_with_free_func (g_free);
  undo->nics = g_ptr_array_new_with_free_func (g_free);
  undo->previous = g_ptr_array_new_with_free_func (g_free);
  return undo;
}

/* rollback_timeout_s: NetworkManager restores the previous settings by itself after this long
 * unless the change is kept. */
VmdBridgeChange *
vmd_bridge_change_new (NMClient *client,
                       guint     rollback_timeout_s)
{
  VmdBridgeChange *self = g_object_new (VMD_TYPE_BRIDGE_CHANGE, NULL);

  self->client = g_object_ref (client);
  self->timeout_s = rollback_timeout_s;
  return self;
}

static void
add_step (VmdBridgeChange *self,
          StepKind         kind,
          NMConnection    *profile,
          NMDevice        *device,
          const char      *what)
{
  Step *step = g_new0 (Step, 1);

  g_return_if_fail (self->state == VMD_BRIDGE_CHANGE_READY);
  step->kind = kind;
  step->profile = g_object_ref (profile);
  step->device = device != NULL ? g_object_ref (device) : NULL;
  step->what = g_strdup (what);
  g_ptr_array_add (self->steps, step);
}

/* Added in memory and brought up, in the order of the list: the bridge before its port. The
 * undo record notes what a NIC was on before, for the recovery to bring it back. */
void
vmd_bridge_change_add_profile (VmdBridgeChange *self,
                               NMConnection    *profile,
                               NMDevice        *device,
                               const char      *what)
{
  NMActiveConnection *previous = device != NULL ? nm_device_get_active_connection (device) : NULL;

  g_return_if_fail (VMD_IS_BRIDGE_CHANGE (self));
  add_step (self, STEP_ADD, profile, device, what);
  if (self->undo == NULL)
    return;
  g_ptr_array_add (self->undo->profiles, g_strdup (nm_connection_get_uuid (profile)));
  if (device == NULL)
    g_ptr_array_add (self->undo->devices, g_strdup (nm_connection_get_interface_name (profile)));
  else if (previous != NULL)
    {
      g_ptr_array_add (self->undo->nics, g_strdup (nm_device_get_iface (device)));
      g_ptr_array_add (self->undo->previous, g_strdup (nm_active_connection_get_uuid (previous)));
    }
}

/* A deleted profile is gone from disk at once: such a change cannot be undone by hand when
 * NetworkManager forgets its checkpoint, so it has no undo record. */
void
vmd_bridge_change_delete_profile (VmdBridgeChange    *self,
                                  NMRemoteConnection *profile)
{
  g_return_if_fail (VMD_IS_BRIDGE_CHANGE (self));
  add_step (self, STEP_DELETE, NM_CONNECTION (profile), NULL, NULL);
  g_clear_pointer (&self->undo, undo_free);
}

/* Brought up after every add and delete has run, in the order of the list. */
void
vmd_bridge_change_activate (VmdBridgeChange    *self,
                            NMRemoteConnection *profile,
                            NMDevice           *device)
{
  g_return_if_fail (VMD_IS_BRIDGE_CHANGE (self));
  add_step (self, STEP_ACTIVATE, NM_CONNECTION (profile), device, NULL);
}

/* --- state ---------------------------------------------------------------------------------- */

/* Its checkpoint is NetworkManager's and can still be kept or rolled back. */
static gboolean
is_live (VmdBridgeChange *self)
{
  return self->state == VMD_BRIDGE_CHANGE_APPLYING || self->state == VMD_BRIDGE_CHANGE_APPLIED;
}

static void
set_state (VmdBridgeChange      *self,
           VmdBridgeChangeState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  if (!is_live (self))
    g_clear_signal_handler (&self->checkpoints_id, self->client);
  /* A listener may let go of its change (the manager forgets one that is over). */
  g_object_ref (self);
  g_signal_emit (self, signals[STATE_CHANGED], 0);
  g_object_unref (self);
}

/* NetworkManager drops a checkpoint when its time runs out, after rolling back. The list also
 * empties when NetworkManager stops, and then nothing was rolled back. */
static void
on_checkpoints_changed (NMClient        *client,
                        GParamSpec      *pspec,
                        VmdBridgeChange *self)
{
  if (!is_live (self) || vmd_nm_checkpoint_exists (client, self->checkpoint))
    return;
  set_state (self, vmd_nm_present (client) ? VMD_BRIDGE_CHANGE_EXPIRED : VMD_BRIDGE_CHANGE_INTERRUPTED);
}

/* NetworkManager stopped: checkpoints live in its memory, so this one is gone, and nothing was
 * rolled back. */
void
vmd_bridge_change_interrupt (VmdBridgeChange *self)
{
  g_return_if_fail (VMD_IS_BRIDGE_CHANGE (self));
  if (is_live (self))
    set_state (self, VMD_BRIDGE_CHANGE_INTERRUPTED);
}

VmdBridgeChangeState
vmd_bridge_change_get_state (VmdBridgeChange *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_CHANGE (self), VMD_BRIDGE_CHANGE_READY);
  return self->state;
}

/* The checkpoint's D-Bus path, from APPLYING on; NULL before. */
const char *
vmd_bridge_change_get_checkpoint (VmdBridgeChange *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_CHANGE (self), NULL);
  return self->checkpoint;
}

/* NULL: the change deleted profiles, and only NetworkManager's checkpoint could undo it. */
const VmdBridgeUndo *
vmd_bridge_change_get_undo (VmdBridgeChange *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_CHANGE (self), NULL);
  return self->undo;
}

/* --- waiting for the profiles to come up ----------------------------------------------------- */

static void
stop_waiting (VmdBridgeChange *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  for (guint i = 0; i < self->waiting->len; i++)
    g_signal_handlers_disconnect_by_data (self->waiting->pdata[i], self);
}

static void
apply_succeeded (VmdBridgeChange *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->applying);

  stop_waiting (self);
  if (self->state == VMD_BRIDGE_CHANGE_APPLYING)
    set_state (self, VMD_BRIDGE_CHANGE_APPLIED);
  g_task_return_boolean (task, TRUE);
}

/* Before NetworkManager's own rollback, and never longer than ACTIVATION_TIMEOUT_S. */
static guint
activation_timeout (VmdBridgeChange *self)
{
  return MIN (ACTIVATION_TIMEOUT_S, MAX (self->timeout_s, 1));
}

static gboolean
on_activation_timeout (gpointer user_data)
{
  VmdBridgeChange *self = user_data;

  self->timeout_id = 0;
  apply_failed (self, g_error_new (VMD_ERROR, VMD_ERROR_FAILED,
                                   _("The network did not come up within %u seconds."),
                                   activation_timeout (self)));
  return G_SOURCE_REMOVE;
}

static void
check_waiting (VmdBridgeChange *self)
{
  for (guint i = 0; i < self->waiting->len; i++)
    {
      NMActiveConnection *active = self->waiting->pdata[i];
      NMActiveConnectionState state = nm_active_connection_get_state (active);

      if (state == NM_ACTIVE_CONNECTION_STATE_DEACTIVATING ||
          state == NM_ACTIVE_CONNECTION_STATE_DEACTIVATED)
        {
          apply_failed (self, g_error_new (VMD_ERROR, VMD_ERROR_FAILED,
                                           _("“%s” could not be brought up (NetworkManager "
                                             "reason %d)."),
                                           nm_active_connection_get_id (active),
                                           (int) nm_active_connection_get_state_reason (active)));
          return;
        }
      if (state != NM_ACTIVE_CONNECTION_STATE_ACTIVATED)
        return;
    }
  apply_succeeded (self);
}

static void
on_active_state (NMActiveConnection *active,
                 GParamSpec         *pspec,
                 VmdBridgeChange    *self)
{
  check_waiting (self);
}

static void
wait_until_active (VmdBridgeChange *self)
{
  for (guint i = 0; i < self->waiting->len; i++)
    g_signal_connect (self->waiting->pdata[i], "notify::" NM_ACTIVE_CONNECTION_STATE,
                      G_CALLBACK (on_active_state), self);
  self->timeout_id = g_timeout_add_seconds (activation_timeout (self), on_activation_timeout, self);
  check_waiting (self);
}

/* --- running the steps ------------------------------------------------------------------------ */

/* A call of apply's has ended: TRUE to go on; FALSE when apply is over already or the call
 * failed (then apply fails with what, NetworkManager's message after it). */
static gboolean
call_succeeded (GTask        *task,
                const GError *error,
                const char   *what)
{
  VmdBridgeChange *self = g_task_get_source_object (task);

  if (task != self->applying)
    return FALSE;
  if (error == NULL)
    return TRUE;
  apply_failed (self, vmd_nm_error (error, what));
  return FALSE;
}

/* The same for a call that made an object (or NULL and error): the object to go on with, or
 * NULL. */
static gpointer
call_result (GTask        *task,
             gpointer      object,
             const GError *error,
             const char   *what)
{
  if (call_succeeded (task, error, what))
    return object;
  g_clear_object (&object);
  return NULL;
}

static void bring_up_next (VmdBridgeChange *self);

static void
on_activated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  VmdBridgeChange *self = g_task_get_source_object (task);
  NMActiveConnection *active = nm_client_activate_connection_finish (NM_CLIENT (source), result, &error);

  if ((active = call_result (task, active, error, _("Could not bring the bridge up"))) == NULL)
    return;
  g_ptr_array_add (self->waiting, active);
  bring_up_next (self);
}

/* The step at *cursor or after it that is not of kind passed, moving the cursor past it; NULL
 * at the end. */
static Step *
take_step (VmdBridgeChange *self,
           guint           *cursor,
           StepKind         passed)
{
  while (*cursor < self->steps->len)
    {
      Step *step = self->steps->pdata[(*cursor)++];

      if (step->kind != passed)
        return step;
    }
  return NULL;
}

/* One at a time, in order, then wait for all. */
static void
bring_up_next (VmdBridgeChange *self)
{
  Step *step = take_step (self, &self->next_up, STEP_DELETE);

  if (step == NULL)
    {
      wait_until_active (self);
      return;
    }
  nm_client_activate_connection_async (self->client, step->profile, step->device, NULL,
                                       g_task_get_cancellable (self->applying), on_activated,
                                       g_object_ref (self->applying));
}

static void run_next_step (VmdBridgeChange *self);

static void
on_added (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  VmdBridgeChange *self = g_task_get_source_object (task);
  Step *step = self->steps->pdata[self->next - 1];
  NMRemoteConnection *added = nm_client_add_connection2_finish (NM_CLIENT (source), result, NULL, &error);

  if ((added = call_result (task, added, error, step->what)) == NULL)
    return;
  g_object_unref (step->profile);
  step->profile = NM_CONNECTION (added);
  run_next_step (self);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  nm_remote_connection_delete_finish (NM_REMOTE_CONNECTION (source), result, &error);
  if (call_succeeded (task, error, _("Could not delete a profile of the bridge")))
    run_next_step (g_task_get_source_object (task));
}

/* Adds and deletes, one at a time in order; then what is to come up.
 * BLOCK_AUTOCONNECT: nothing comes up before we ask, in our order. IN_MEMORY: nothing reaches
 * the disk before the user keeps it (keep saves), so a change NetworkManager forgets when it
 * stops (checkpoints live in its memory) is not found on disk at the next start. */
static void
run_next_step (VmdBridgeChange *self)
{
  GCancellable *cancellable = g_task_get_cancellable (self->applying);
  Step *step = take_step (self, &self->next, STEP_ACTIVATE);

  if (step == NULL)
    bring_up_next (self);
  else if (step->kind == STEP_DELETE)
    nm_remote_connection_delete_async (NM_REMOTE_CONNECTION (step->profile), cancellable,
                                       on_deleted, g_object_ref (self->applying));
  else
    nm_client_add_connection2 (self->client,
                               nm_connection_to_dbus (step->profile, NM_CONNECTION_SERIALIZE_ALL),
                               NM_SETTINGS_ADD_CONNECTION2_FLAG_IN_MEMORY |
                               NM_SETTINGS_ADD_CONNECTION2_FLAG_BLOCK_AUTOCONNECT,
                               NULL, TRUE, cancellable, on_added, g_object_ref (self->applying));
}

/* --- apply ---------------------------------------------------------------------------------- */

static void
on_failure_rolled_back (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdBridgeChange *self = g_task_get_source_object (task);
  g_autoptr(GError) failure = g_steal_pointer (&self->failure);
  g_autoptr(GHashTable) results = NULL;
  g_autoptr(GError) error = NULL;

  results = nm_client_checkpoint_rollback_finish (NM_CLIENT (source), result, &error);
  if (results != NULL)
    g_task_return_new_error (task, failure->domain, failure->code, "%s %s", failure->message,
                             _("The previous network settings were restored."));
  else
    g_task_return_new_error (task, failure->domain, failure->code,
                             _("%s Restoring the previous network settings failed too (%s); "
                               "NetworkManager restores them by itself within %u seconds."),
                             failure->message, error->message, self->timeout_s);
}

/* Takes error. With a checkpoint in place, NetworkManager puts everything back before the
 * caller hears of the failure. */
static void
apply_failed (VmdBridgeChange *self,
              GError          *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->applying);

  stop_waiting (self);
  /* NetworkManager went away mid-change: its checkpoint went with it, so the change stays
   * pending, to be undone by hand when NetworkManager is back. */
  if (is_live (self) && !nm_client_get_nm_running (self->client))
    set_state (self, VMD_BRIDGE_CHANGE_INTERRUPTED);
  if (self->state == VMD_BRIDGE_CHANGE_INTERRUPTED)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING, "%s", error->message);
      g_error_free (error);
      return;
    }
  /* No checkpoint yet, or it is over already: nothing to roll back. */
  if (!is_live (self))
    {
      g_task_return_error (task, error);
      return;
    }
  self->failure = error;
  set_state (self, VMD_BRIDGE_CHANGE_ROLLED_BACK);
  /* Not the task's cancellable: a cancelled change must still be undone. */
  nm_client_checkpoint_rollback (self->client, self->checkpoint, NULL, on_failure_rolled_back,
                                 g_steal_pointer (&task));
}

static void
on_checkpoint_created (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdBridgeChange *self = g_task_get_source_object (task);
  g_autoptr(NMCheckpoint) checkpoint = NULL;
  g_autoptr(GError) error = NULL;

  checkpoint = nm_client_checkpoint_create_finish (NM_CLIENT (source), result, &error);
  if (checkpoint == NULL)
    {
      apply_failed (self, vmd_nm_error (error, _("Could not save the current network settings to "
                                                 "come back to; nothing was changed")));
      return;
    }
  self->checkpoint = g_strdup (nm_object_get_path (NM_OBJECT (checkpoint)));
  self->checkpoints_id = g_signal_connect (self->client, "notify::" NM_CLIENT_CHECKPOINTS,
                                           G_CALLBACK (on_checkpoints_changed), self);
  set_state (self, VMD_BRIDGE_CHANGE_APPLYING);
  run_next_step (self);
}

/* Makes the checkpoint, runs the steps and waits until every profile brought up is active. On
 * success the change is APPLIED and waits for keep or roll back; on failure it is rolled back,
 * or INTERRUPTED when NetworkManager went away meanwhile (the error is then
 * VMD_ERROR_NM_NOT_RUNNING). Once only. */
void
vmd_bridge_change_apply_async (VmdBridgeChange     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GPtrArray) all_devices = g_ptr_array_new ();
  GTask *task;

  g_return_if_fail (VMD_IS_BRIDGE_CHANGE (self));
  g_return_if_fail (self->state == VMD_BRIDGE_CHANGE_READY && self->applying == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_bridge_change_apply_async);
  self->applying = g_object_ref (task);
  /* Over all devices: NetworkManager takes DISCONNECT_NEW_DEVICES only with an empty device
   * list, and without it a rolled-back bridge could stay behind. */
  nm_client_checkpoint_create (self->client, all_devices, self->timeout_s,
                               NM_CHECKPOINT_CREATE_FLAG_DELETE_NEW_CONNECTIONS |
                               NM_CHECKPOINT_CREATE_FLAG_DISCONNECT_NEW_DEVICES,
                               cancellable, on_checkpoint_created, task);
}

/* --- keep --------------------------------------------------------------------------------- */

static GError *
too_late_error (void)
{
  return g_error_new_literal (VMD_ERROR, VMD_ERROR_ROLLED_BACK,
                              _("Too late: the time ran out and NetworkManager restored the "
                                "previous network settings."));
}

/* Why a change that is not live cannot be kept. An INTERRUPTED one's story is the caller's to
 * tell (it knows whether the change will be undone). */
static GError *
not_keepable_error (VmdBridgeChange *self)
{
  if (self->state == VMD_BRIDGE_CHANGE_EXPIRED)
    return too_late_error ();
  if (self->state == VMD_BRIDGE_CHANGE_INTERRUPTED)
    return g_error_new (VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING, _("NetworkManager is not running. %s"), "");
  return g_error_new_literal (VMD_ERROR, VMD_ERROR_INVALID_STATE,
                              _("There is no network change waiting to be kept."));
}

static void
keep_free (Keep *keep)
{
  g_clear_error (&keep->error);
  g_free (keep);
}

static void
on_destroyed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdBridgeChange *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (nm_client_checkpoint_destroy_finish (NM_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else if (vmd_nm_present (self->client) && !vmd_nm_checkpoint_exists (self->client, self->checkpoint))
    g_task_return_error (task, too_late_error ());
  else
    g_task_return_error (task, vmd_nm_error (error, _("Could not keep the new network settings")));
}

/* Every profile is on disk: destroying the checkpoint is what keeps the change. */
static void
destroy_checkpoint (GTask *task)
{
  VmdBridgeChange *self = g_task_get_source_object (task);
  Keep *keep = g_task_get_task_data (task);

  if (!is_live (self))
    {
      g_task_return_error (task, not_keepable_error (self));
      return;
    }
  if (keep->error != NULL)
    {
      /* The checkpoint stays: roll back, or NetworkManager's timer, restores the previous settings. */
      g_task_return_error (task, vmd_nm_error (keep->error, _("Could not save the new network "
                                                              "settings to disk, so they were not "
                                                              "kept")));
      return;
    }
  /* Over now, so the checkpoint's disappearance from NetworkManager's list is not taken for an
   * expiry. */
  set_state (self, VMD_BRIDGE_CHANGE_KEPT);
  nm_client_checkpoint_destroy (self->client, self->checkpoint, g_task_get_cancellable (task),
                                on_destroyed, g_object_ref (task));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Keep *keep = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = nm_remote_connection_update2_finish (NM_REMOTE_CONNECTION (source), result, &error);
  if (reply == NULL && keep->error == NULL)
    keep->error = g_steal_pointer (&error);
  if (--keep->pending == 0)
    destroy_checkpoint (task);
}

/* The profiles the change added live in NetworkManager's memory until now: they are written to
 * disk first, then the checkpoint is destroyed. */
void
vmd_bridge_change_keep_async (VmdBridgeChange     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Keep *keep = g_new0 (Keep, 1);

  g_return_if_fail (VMD_IS_BRIDGE_CHANGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_bridge_change_keep_async);
  g_task_set_task_data (task, keep, (GDestroyNotify) keep_free);
  for (guint i = 0; i < self->steps->len; i++)
    {
      Step *step = self->steps->pdata[i];
      NMRemoteConnection *profile = step->kind != STEP_ADD ? NULL :
        nm_client_get_connection_by_uuid (self->client, nm_connection_get_uuid (step->profile));

      if (profile == NULL)
        continue;
      keep->pending++;
      nm_remote_connection_update2 (profile, NULL, NM_SETTINGS_UPDATE2_FLAG_TO_DISK, NULL,
                                    cancellable, on_saved, g_object_ref (task));
    }
  if (keep->pending == 0)
    destroy_checkpoint (task);
}

/* --- roll back -------------------------------------------------------------------------------- */

static void
on_rolled_back (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GHashTable) results = NULL;
  g_autoptr(GError) error = NULL;

  results = nm_client_checkpoint_rollback_finish (NM_CLIENT (source), result, &error);
  if (results != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, vmd_nm_error (error, _("Could not restore the previous network "
                                                      "settings")));
}

/* Not cancellable: once asked, the previous settings must come back. */
void
vmd_bridge_change_roll_back_async (VmdBridgeChange     *self,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VMD_IS_BRIDGE_CHANGE (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, vmd_bridge_change_roll_back_async);
  if (!is_live (self))
    {
      g_task_return_error (task, self->state == VMD_BRIDGE_CHANGE_INTERRUPTED ?
                           not_keepable_error (self) :
                           g_error_new_literal (VMD_ERROR, VMD_ERROR_INVALID_STATE,
                                                _("There is no network change to undo.")));
      return;
    }
  set_state (self, VMD_BRIDGE_CHANGE_ROLLED_BACK);
  nm_client_checkpoint_rollback (self->client, self->checkpoint, NULL, on_rolled_back,
                                 g_steal_pointer (&task));
}

/* Ends apply, keep or roll back. */
gboolean
vmd_bridge_change_finish (VmdBridgeChange  *self,
                          GAsyncResult     *result,
                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_bridge_change_dispose (GObject *object)
{
  VmdBridgeChange *self = VMD_BRIDGE_CHANGE (object);

  /* A live checkpoint is left to NetworkManager's timeout: it rolls back by itself. */
  stop_waiting (self);
  if (self->client != NULL)
    g_clear_signal_handler (&self->checkpoints_id, self->client);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (vmd_bridge_change_parent_class)->dispose (object);
}

static void
vmd_bridge_change_finalize (GObject *object)
{
  VmdBridgeChange *self = VMD_BRIDGE_CHANGE (object);

  g_ptr_array_unref (self->steps);
  g_clear_pointer (&self->undo, undo_free);
  g_free (self->checkpoint);
  g_ptr_array_unref (self->waiting);
  g_clear_error (&self->failure);
  G_OBJECT_CLASS (vmd_bridge_change_parent_class)->finalize (object);
}

static void
vmd_bridge_change_class_init (VmdBridgeChangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_bridge_change_dispose;
  object_class->finalize = vmd_bridge_change_finalize;

  /* vmd_bridge_change_get_state says what it is now. */
  signals[STATE_CHANGED] = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_bridge_change_init (VmdBridgeChange *self)
{
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  self->undo = undo_new ();
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}
