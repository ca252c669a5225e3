/* VmdConnection: opens one libvirt URI, lists its domains once and then follows libvirt's
 * events (never re-listing: fetch_domains makes new GVirDomain objects and drops handlers),
 * samples statistics in bulk, and reconnects with backoff when the daemon goes away. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-connection.h"
#include "vmd-core-enums.h"
#include "vmd-definition-watch.h"
#include "vmd-machine-table.h"
#include "vmd-error.h"
#include "vmd-stats-sampler.h"

#define MAX_BACKOFF_S 4
#define KEEPALIVE_COUNT 3

typedef struct _OpenStep OpenStep;

struct _VmdConnection
{
  GObject             parent_instance;

  char               *uri;
  char               *title;
  VmdConnectionState  state;
  char               *error_message;
  guint               stats_interval_ms;

  GVirConnection     *gconn;
  virConnectPtr       close_watch;   /* the handle our close callback is registered on */
  VmdDefinitionWatch *definition_watch;
  VmdMachineTable    *table;         /* the machines, listed or waiting for us to come back */
  VmdStatsSampler    *sampler;
  GCancellable       *cancellable;
  VmdHostFacts       *host_facts;    /* made on first use */
  VmdResources       *resources;     /* made on first use */

  guint               reconnect_id;
  guint               backoff_s;
  gboolean            reconnecting;

  guint               open_timeout_s;
  guint               keepalive_s;
  guint               open_timeout_id;
  OpenStep           *pending_step;  /* the open under way, if any (owned by its callbacks) */
};

G_DEFINE_FINAL_TYPE (VmdConnection, vmd_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_TITLE,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_STATS_INTERVAL,
  PROP_OPEN_TIMEOUT,
  PROP_KEEPALIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { STATS_UPDATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void start_open (VmdConnection *self, GTask *task);
static void abandon_open (VmdConnection *self);

/* --- state --------------------------------------------------------------------------------- */

static void
set_state (VmdConnection      *self,
           VmdConnectionState  state,
           const char         *error_message)
{
  if (g_strcmp0 (self->error_message, error_message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (error_message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
on_domain_added (GVirConnection *gconn,
                 GVirDomain     *domain,
                 VmdConnection  *self)
{
  vmd_machine_table_add (self->table, domain, VMD_MACHINE_STATE_UNKNOWN);
}

static void
on_domain_removed (GVirConnection *gconn,
                   GVirDomain     *domain,
                   VmdConnection  *self)
{
  vmd_machine_table_remove (self->table, gvir_domain_get_uuid (domain));
}

static void
on_stats_sampled (VmdStatsSampler *sampler,
                  VmdConnection   *self)
{
  g_signal_emit (self, signals[STATS_UPDATED], 0);
}

/* --- losing the daemon and getting it back ----------------------------------------------------- */

static void on_libvirt_closed (virConnectPtr conn, int reason, void *opaque);

static void
forget_connection (VmdConnection *self)
{
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (self->sampler != NULL)
    vmd_stats_sampler_stop (self->sampler);
  g_clear_object (&self->sampler);
  if (self->close_watch != NULL)
    {
      virConnectUnregisterCloseCallback (self->close_watch, on_libvirt_closed);
      g_clear_pointer (&self->close_watch, virConnectClose);
    }
  g_clear_pointer (&self->definition_watch, vmd_definition_watch_free);
  if (self->pending_step != NULL)
    abandon_open (self);
  if (self->gconn != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->gconn, self);
      gvir_connection_close (self->gconn);
      g_clear_object (&self->gconn);
    }
  vmd_machine_table_put_to_sleep (self->table);
}

static gboolean
on_reconnect_due (gpointer user_data)
{
  VmdConnection *self = user_data;

  self->reconnect_id = 0;
  start_open (self, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (VmdConnection *self)
{
  self->reconnecting = TRUE;
  self->backoff_s = self->backoff_s == 0 ? 1 : MIN (self->backoff_s * 2, MAX_BACKOFF_S);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  /* Not g_timeout_add_seconds: its coalescing may add up to a second to the wait, and the
   * list must be back within 5 s of the daemon (4 s of backoff at most, and the open). */
  self->reconnect_id = g_timeout_add (self->backoff_s * 1000, on_reconnect_due, self);
}

static gboolean
on_lost_idle (gpointer user_data)
{
  VmdConnection *self = user_data;
  g_autofree char *message = NULL;

  if (self->state != VMD_CONNECTION_STATE_CONNECTED)
    return G_SOURCE_REMOVE;
  forget_connection (self);
  message = g_strdup_printf (_("The connection to %s was lost. Reconnecting…"), self->uri);
  set_state (self, VMD_CONNECTION_STATE_LOST, message);
  self->backoff_s = 0;
  schedule_reconnect (self);
  return G_SOURCE_REMOVE;
}

/* Runs from libvirt's event loop, which is GLib's: leave the teardown to an idle so libvirt is
 * not inside its own callback when we unregister it. */
static void
on_libvirt_closed (virConnectPtr  conn,
                   int            reason,
                   void          *opaque)
{
  if (reason == VIR_CONNECT_CLOSE_REASON_CLIENT)
    return;
  g_idle_add_full (G_PRIORITY_DEFAULT, on_lost_idle, g_object_ref (opaque), g_object_unref);
}

/* A network cut silently (a laptop leaving the Wi-Fi, a VPN dropping) never closes the socket:
 * without keepalive the list would show the last states forever. Unanswered for KEEPALIVE_COUNT
 * intervals, libvirt closes the connection, and on_libvirt_closed reconnects as for a daemon that
 * went away. */
static void
start_keepalive (VmdConnection *self,
                 virConnectPtr  handle)
{
  if (self->keepalive_s == 0)
    return;
  if (virConnectSetKeepAlive (handle, (int) self->keepalive_s, KEEPALIVE_COUNT) < 0)
    virResetLastError ();  /* a driver without keepalive: nothing to watch */
}

static void
watch_for_close (VmdConnection *self)
{
  virConnectPtr handle = NULL;

  g_object_get (self->gconn, "handle", &handle, NULL);
  if (handle == NULL)
    return;
  if (virConnectRegisterCloseCallback (handle, on_libvirt_closed, self, NULL) < 0)
    {
      /* Some drivers (test:///) never close by themselves and do not support it. */
      virResetLastError ();
      virConnectClose (handle);
      return;
    }
  self->close_watch = handle;
  start_keepalive (self, handle);
}

/* --- definitions: renames, updates, devices ------------------------------------------------- */

static void
on_definition_changed (const char *uuid,
                       const char *new_name,
                       gpointer    user_data)
{
  VmdConnection *self = user_data;
  VmdMachine *machine = vmd_machine_table_lookup (self->table, uuid);

  if (machine == NULL)
    return;
  if (new_name != NULL)
    vmd_machine_table_rename (self->table, machine, new_name);
  vmd_machine_definition_changed (machine);
}

/* A peer-to-peer migration with the source undefined sends no UNDEFINED event, and libvirt-gobject
 * decides "persistent" when the STOPPED event arrives, which may be before the definition goes:
 * the machine would stay listed, shut off, although the host no longer has it. Asked again: */
static void
check_gone_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  virConnectPtr handle = NULL;
  virDomainPtr domain;

  g_object_get (vmd_connection_get_gvir (source), "handle", &handle, NULL);
  domain = handle != NULL ? virDomainLookupByUUIDString (handle, task_data) : NULL;
  g_task_return_boolean (task, handle != NULL && domain == NULL &&
                                virGetLastErrorCode () == VIR_ERR_NO_DOMAIN);
  g_clear_pointer (&domain, virDomainFree);
  virResetLastError ();
  g_clear_pointer (&handle, virConnectClose);
}

static void
on_gone_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VmdConnection *self = VMD_CONNECTION (source);

  if (g_task_propagate_boolean (G_TASK (result), NULL))
    vmd_machine_table_remove (self->table, g_task_get_task_data (G_TASK (result)));
}

/* Forgets the machine uuid if its host no longer has it (after a migration away). */
void
vmd_connection_forget_if_gone (VmdConnection *self,
                               const char    *uuid)
{
  g_autoptr(GTask) task = NULL;

  if (self->gconn == NULL || self->state != VMD_CONNECTION_STATE_CONNECTED)
    return;
  task = g_task_new (self, self->cancellable, on_gone_checked, NULL);
  g_task_set_task_data (task, g_strdup (uuid), g_free);
  g_task_run_in_thread (task, check_gone_in_thread);
}

static void
on_migrated_away (const char *uuid,
                  gpointer    user_data)
{
  vmd_connection_forget_if_gone (user_data, uuid);
}

static void
watch_definitions (VmdConnection *self)
{
  static const VmdDefinitionWatchCallbacks callbacks = { on_definition_changed, on_migrated_away };
  virConnectPtr handle = NULL;

  g_object_get (self->gconn, "handle", &handle, NULL);
  if (handle == NULL)
    return;
  self->definition_watch = vmd_definition_watch_new (handle, &callbacks, self);
  virConnectClose (handle);
}

/* --- opening ----------------------------------------------------------------------------------- */

typedef struct {
  virConnectPtr  conn;
  GList         *domains;     /* of GVirDomain */
  GHashTable    *states;      /* uuid -> VmdMachineState */
} InitialLoad;

static void
load_drop_domains (InitialLoad *load)
{
  g_list_free_full (g_steal_pointer (&load->domains), g_object_unref);
}

static void
initial_load_free (InitialLoad *load)
{
  g_clear_pointer (&load->conn, virConnectClose);
  g_list_free_full (load->domains, g_object_unref);
  g_clear_pointer (&load->states, g_hash_table_unref);
  g_free (load);
}

struct _OpenStep {
  VmdConnection *self;
  GTask         *task;   /* the caller's, or NULL for a reconnection */
  gboolean       stale;  /* abandoned (timed out, closed): its late answer is dropped */
};

static OpenStep *
open_step_new (VmdConnection *self,
               GTask         *task)
{
  OpenStep *step = g_new0 (OpenStep, 1);

  step->self = g_object_ref (self);
  step->task = task != NULL ? g_object_ref (task) : NULL;
  return step;
}

static void
open_step_free (OpenStep *step)
{
  g_clear_object (&step->self);
  g_clear_object (&step->task);
  g_free (step);
}

static void
close_in_thread_func (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  gvir_connection_close (GVIR_CONNECTION (source));
  g_task_return_boolean (task, TRUE);
}

/* gvir_connection_open holds the GVirConnection's lock for as long as libvirt waits for the
 * server, which may be forever, and closing an open remote connection waits for one more
 * answer: neither may stop the main loop. */
static void
close_in_thread (GVirConnection *gconn)
{
  g_autoptr(GTask) task = g_task_new (gconn, NULL, NULL, NULL);

  g_task_set_source_tag (task, close_in_thread);
  g_task_run_in_thread (task, close_in_thread_func);
}

/* The open under way has ended, one way or the other. */
static void
end_open (VmdConnection *self)
{
  self->pending_step = NULL;
  g_clear_handle_id (&self->open_timeout_id, g_source_remove);
}

/* Leaves the open under way to finish in its thread, unwaited for; its caller hears now. */
static void
abandon_open (VmdConnection *self)
{
  OpenStep *step = self->pending_step;
  g_autoptr(GTask) task = g_steal_pointer (&step->task);

  step->stale = TRUE;
  end_open (self);
  if (self->gconn != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->gconn, self);
      close_in_thread (self->gconn);
      g_clear_object (&self->gconn);
    }
  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The connection to %s was closed before it opened"), self->uri);
}

static void fail_open (VmdConnection *self, GTask *task, GError *error);

static gboolean
on_open_timed_out (gpointer user_data)
{
  VmdConnection *self = user_data;
  g_autoptr(GTask) task = NULL;

  self->open_timeout_id = 0;
  if (self->pending_step == NULL)
    return G_SOURCE_REMOVE;
  task = g_steal_pointer (&self->pending_step->task);
  abandon_open (self);
  fail_open (self, task,
             g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                          _("it is not answering (no reply within %u seconds). Check the address, "
                            "the network, and that libvirtd runs there."),
                          self->open_timeout_s));
  return G_SOURCE_REMOVE;
}

static void
fail_open (VmdConnection *self,
           GTask         *task,
           GError        *error)
{
  g_autofree char *message = NULL;

  end_open (self);
  forget_connection (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, VMD_CONNECTION_STATE_DISCONNECTED, NULL);
  else if (self->reconnecting)
    {
      message = g_strdup_printf (_("The connection to %s was lost. Reconnecting…"), self->uri);
      set_state (self, VMD_CONNECTION_STATE_LOST, message);
      schedule_reconnect (self);
    }
  else
    {
      message = vmd_connection_describe_failure (self->uri, error->message);
      set_state (self, VMD_CONNECTION_STATE_FAILED, message);
    }

  if (task != NULL)
    g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, "%s",
                             message != NULL ? message : error->message);
  g_error_free (error);
}

/* Opening (the test driver parses its whole XML file) and listing run in worker threads, and
 * leave megabytes freed but kept by glibc's per-thread arenas. Given back after each step, they
 * never add to what the list allocates next: at N = 1000 the peak is 2.4 MiB lower. */
static void
give_back_freed_memory (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

/* One bulk call for every domain's state, instead of a call per domain. */
static void
load_states_in_thread (GTask        *task,
                       gpointer      source,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  InitialLoad *load = task_data;
  virDomainStatsRecordPtr *records = NULL;
  int n = virConnectGetAllDomainStats (load->conn, VIR_DOMAIN_STATS_STATE, &records, 0);

  load->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < n; i++)
    {
      char uuid[VIR_UUID_STRING_BUFLEN];
      int state = -1, reason = 0;

      if (virDomainGetUUIDString (records[i]->dom, uuid) < 0)
        continue;
      for (int p = 0; p < records[i]->nparams; p++)
        {
          if (g_str_equal (records[i]->params[p].field, "state.state"))
            state = records[i]->params[p].value.i;
          else if (g_str_equal (records[i]->params[p].field, "state.reason"))
            reason = records[i]->params[p].value.i;
        }
      g_hash_table_insert (load->states, g_strdup (uuid),
                           GINT_TO_POINTER (vmd_machine_state_from_libvirt (state, reason)));
    }
  if (records != NULL)
    virDomainStatsRecordListFree (records);
  g_task_return_boolean (task, TRUE);
}

static void
finish_open (VmdConnection *self,
             GTask         *task,
             InitialLoad   *load)
{
  end_open (self);
  vmd_machine_table_add_all (self->table, load->domains, load->states);

  self->reconnecting = FALSE;
  self->backoff_s = 0;
  set_state (self, VMD_CONNECTION_STATE_CONNECTED, NULL);

  self->sampler = vmd_stats_sampler_new (self->gconn, vmd_machine_table_get_index (self->table),
                                         self->stats_interval_ms);
  g_signal_connect_object (self->sampler, "sampled", G_CALLBACK (on_stats_sampled), self, 0);
  vmd_stats_sampler_start (self->sampler);

  give_back_freed_memory ();

  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
on_states_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OpenStep *step = user_data;
  InitialLoad *load = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!step->stale && !g_task_propagate_boolean (G_TASK (result), &error))
    fail_open (step->self, step->task, error);
  else if (!step->stale)
    finish_open (step->self, step->task, load);
  /* The domains carry signal handlers: they must not be freed by the worker thread, which may
   * drop the task's last reference after this callback. */
  load_drop_domains (load);
  open_step_free (step);
}

static void
on_domains_fetched (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  OpenStep *step = user_data;
  VmdConnection *self = step->self;
  g_autoptr(GTask) load_task = NULL;
  GError *error = NULL;
  InitialLoad *load;

  if (step->stale)
    {
      open_step_free (step);
      return;
    }
  if (!gvir_connection_fetch_domains_finish (GVIR_CONNECTION (source), result, &error))
    {
      fail_open (self, step->task, error);
      open_step_free (step);
      return;
    }

  load = g_new0 (InitialLoad, 1);
  load->domains = gvir_connection_get_domains (self->gconn);
  g_object_get (self->gconn, "handle", &load->conn, NULL);
  load_task = g_task_new (NULL, self->cancellable, on_states_loaded, step);
  g_task_set_source_tag (load_task, on_domains_fetched);
  g_task_set_task_data (load_task, load, (GDestroyNotify) initial_load_free);
  g_task_run_in_thread (load_task, load_states_in_thread);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenStep *step = user_data;
  VmdConnection *self = step->self;
  GError *error = NULL;

  if (step->stale)
    {
      /* It answered after all, too late: close what it opened, as it may still be slow. */
      if (gvir_connection_open_finish (GVIR_CONNECTION (source), result, NULL))
        close_in_thread (GVIR_CONNECTION (source));
      open_step_free (step);
      return;
    }
  if (!gvir_connection_open_finish (GVIR_CONNECTION (source), result, &error))
    {
      fail_open (self, step->task, error);
      open_step_free (step);
      return;
    }

  give_back_freed_memory ();
  /* Events first, so nothing defined while the list loads is missed; duplicates are ignored. */
  g_signal_connect (self->gconn, "domain-added", G_CALLBACK (on_domain_added), self);
  g_signal_connect (self->gconn, "domain-removed", G_CALLBACK (on_domain_removed), self);
  watch_for_close (self);
  watch_definitions (self);
  gvir_connection_fetch_domains_async (self->gconn, self->cancellable, on_domains_fetched, step);
}

static void
start_open (VmdConnection *self,
            GTask         *task)
{
  set_state (self, VMD_CONNECTION_STATE_CONNECTING,
             self->reconnecting ? self->error_message : NULL);
  g_clear_object (&self->cancellable);
  self->cancellable = task != NULL && g_task_get_cancellable (task) != NULL
                        ? g_object_ref (g_task_get_cancellable (task))
                        : g_cancellable_new ();
  self->gconn = gvir_connection_new (self->uri);
  self->pending_step = open_step_new (self, task);
  self->open_timeout_id = g_timeout_add (self->open_timeout_s * 1000, on_open_timed_out, self);
  gvir_connection_open_async (self->gconn, self->cancellable, on_opened, self->pending_step);
}

void
vmd_connection_open_async (VmdConnection       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VMD_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_connection_open_async);
  if (self->state == VMD_CONNECTION_STATE_CONNECTING || self->state == VMD_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                               _("%s is already open"), self->uri);
      return;
    }
  self->reconnecting = FALSE;
  start_open (self, task);
}

gboolean
vmd_connection_open_finish (VmdConnection  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
vmd_connection_close (VmdConnection *self)
{
  g_return_if_fail (VMD_IS_CONNECTION (self));

  g_cancellable_cancel (self->cancellable);
  self->reconnecting = FALSE;
  forget_connection (self);
  set_state (self, VMD_CONNECTION_STATE_DISCONNECTED, NULL);
}

/* --- accessors ------------------------------------------------------------------------------- */

const char *
vmd_connection_get_uri (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return self->uri;
}

const char *
vmd_connection_get_title (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return self->title;
}

VmdConnectionState
vmd_connection_get_state (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), VMD_CONNECTION_STATE_DISCONNECTED);
  return self->state;
}

const char *
vmd_connection_get_error_message (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return self->error_message;
}

GListModel *
vmd_connection_get_machines (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return vmd_machine_table_get_model (self->table);
}

VmdMachine *
vmd_connection_find_machine_by_uuid (VmdConnection *self,
                                     const char    *uuid)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return vmd_machine_table_lookup (self->table, uuid);
}

/* The connection that lists machine now, or NULL. (transfer full) */
VmdConnection *
vmd_connection_find_owner (GListModel *connections,
                           VmdMachine *machine)
{
  VmdConnection *owner = vmd_machine_get_connection (machine);

  return owner != NULL && vmd_connection_find_machine_by_uuid (owner, vmd_machine_get_uuid (machine)) == machine
           ? g_object_ref (owner) : NULL;
}

VmdMachine *
vmd_connection_find_machine (VmdConnection *self,
                             const char    *name)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return vmd_machine_table_find_by_name (self->table, name);
}

GVirConnection *
vmd_connection_get_gvir (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return self->gconn;
}

/* What this connection's host offers. The app reads the real host; tests point
 * VMDESK_HOST_ROOT at a fake /proc, /sys and /dev tree. */
VmdHostFacts *
vmd_connection_get_host_facts (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);

  if (self->host_facts == NULL)
    self->host_facts = vmd_host_facts_new (self, g_getenv ("VMDESK_HOST_ROOT"));
  return self->host_facts;
}

/* Networks, pools and guest addresses, made on first use. */
VmdResources *
vmd_connection_get_resources (VmdConnection *self)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  if (self->resources == NULL)
    self->resources = vmd_resources_new (self);
  return self->resources;
}

guint
vmd_connection_get_stats_calls (VmdConnection *self)
{
  return self->sampler != NULL ? vmd_stats_sampler_get_n_calls (self->sampler) : 0;
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_connection_dispose (GObject *object)
{
  VmdConnection *self = VMD_CONNECTION (object);

  g_cancellable_cancel (self->cancellable);
  forget_connection (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->host_facts);
  g_clear_object (&self->resources);
  G_OBJECT_CLASS (vmd_connection_parent_class)->dispose (object);
}

static void
vmd_connection_finalize (GObject *object)
{
  VmdConnection *self = VMD_CONNECTION (object);

  g_free (self->uri);
  g_free (self->title);
  g_free (self->error_message);
  g_clear_pointer (&self->table, vmd_machine_table_free);
  G_OBJECT_CLASS (vmd_connection_parent_class)->finalize (object);
}

static void
vmd_connection_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VmdConnection *self = VMD_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI:            g_value_set_string (value, self->uri); break;
    case PROP_TITLE:          g_value_set_string (value, self->title); break;
    case PROP_STATE:          g_value_set_enum (value, self->state); break;
    case PROP_ERROR_MESSAGE:  g_value_set_string (value, self->error_message); break;
    case PROP_STATS_INTERVAL: g_value_set_uint (value, self->stats_interval_ms); break;
    case PROP_OPEN_TIMEOUT:   g_value_set_uint (value, self->open_timeout_s); break;
    case PROP_KEEPALIVE:      g_value_set_uint (value, self->keepalive_s); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_connection_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VmdConnection *self = VMD_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI:
      self->uri = g_value_dup_string (value);
      self->title = vmd_connection_title_for_uri (self->uri);
      break;
    case PROP_STATS_INTERVAL:
      self->stats_interval_ms = g_value_get_uint (value);
      break;
    case PROP_OPEN_TIMEOUT:
      self->open_timeout_s = g_value_get_uint (value);
      break;
    case PROP_KEEPALIVE:
      self->keepalive_s = g_value_get_uint (value);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_connection_class_init (VmdConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_connection_dispose;
  object_class->finalize = vmd_connection_finalize;
  object_class->get_property = vmd_connection_get_property;
  object_class->set_property = vmd_connection_set_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, VMD_TYPE_CONNECTION_STATE,
                       VMD_CONNECTION_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATS_INTERVAL] =
    g_param_spec_uint ("stats-interval", NULL, NULL, 100, 3600000, 1000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* A server that accepts and never answers would keep an open waiting forever: give up after
   * this many seconds, and say so. */
  properties[PROP_OPEN_TIMEOUT] =
    g_param_spec_uint ("open-timeout", NULL, NULL, 1, 3600, 30,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Seconds between keepalive messages; 0 turns them off. virsh's default interval. */
  properties[PROP_KEEPALIVE] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, 3600, 5,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[STATS_UPDATED] = g_signal_new ("stats-updated", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
vmd_connection_init (VmdConnection *self)
{
  self->table = vmd_machine_table_new (self);
}

VmdConnection *
vmd_connection_new (const char *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);
  return g_object_new (VMD_TYPE_CONNECTION, "uri", uri, NULL);
}
