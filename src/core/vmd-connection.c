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
  virConnectPtr       rename_watch;  /* the handle our rename callback is registered on */
  int                 rename_callback;
  GListStore         *machines;      /* of VmdMachine, sorted by name */
  GHashTable         *by_uuid;       /* uuid -> VmdMachine, borrowed from machines */
  GHashTable         *dormant;       /* uuid -> VmdMachine (owned): listed before, not now */
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

/* --- words for the user ---------------------------------------------------------------------- */

char *
vmd_connection_title_for_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *scheme = parsed != NULL ? g_uri_get_scheme (parsed) : NULL;
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;
  const char *path = parsed != NULL ? g_uri_get_path (parsed) : NULL;

  if (scheme == NULL)
    return g_strdup (uri);
  if (g_str_has_prefix (scheme, "qemu") && host != NULL && *host != '\0')
    return g_strdup_printf (_("QEMU/KVM on %s"), host);
  if (g_str_equal (scheme, "qemu") && g_strcmp0 (path, "/session") == 0)
    return g_strdup (_("QEMU/KVM User session"));
  if (g_str_equal (scheme, "qemu") && g_strcmp0 (path, "/system") == 0)
    return g_strdup (_("QEMU/KVM"));
  if (g_str_equal (scheme, "test"))
    return g_strdup_printf (_("Test driver (%s)"), uri);
  return g_strdup (uri);
}

/* Keeps libvirt's words, and says first what the user can do about the common cases. */
char *
vmd_connection_describe_failure (const char *uri,
                                 const char *libvirt_message)
{
  if (strstr (libvirt_message, "Failed to connect socket") != NULL ||
      strstr (libvirt_message, "No such file or directory") != NULL ||
      strstr (libvirt_message, "Connection refused") != NULL)
    return g_strdup_printf (_("The libvirt daemon is not running for %s. Start it (for example "
                              "“systemctl start libvirtd”) and VM Desk will connect. (%s)"),
                            uri, libvirt_message);
  if (strstr (libvirt_message, "Permission denied") != NULL ||
      strstr (libvirt_message, "authentication") != NULL)
    return g_strdup_printf (_("You are not allowed to use %s. Ask for membership of the "
                              "“libvirt” group. (%s)"), uri, libvirt_message);
  return g_strdup_printf (_("Could not connect to %s: %s"), uri, libvirt_message);
}

/* libvirt-gobject 4.0 knows only the event details of its time: for newer ones (a rename, a
 * definition from a snapshot) it warns "code should not be reached", emits nothing and carries
 * on. The warning says nothing a user could act on, so it is dropped; every other message
 * passes through unchanged. The rename it does not emit, watch_for_renames catches. */
gboolean
vmd_connection_is_unknown_event_warning (const char *log_domain,
                                         const char *message)
{
  /* libvirt-gobject logs without a domain of its own. */
  return (log_domain == NULL || *log_domain == '\0') && message != NULL &&
         strstr (message, "domain_event_cb: code should not be reached") != NULL;
}

static void
on_libvirt_gobject_log (const char     *log_domain,
                        GLogLevelFlags  level,
                        const char     *message,
                        gpointer        user_data)
{
  /* Dropped, not re-logged: a message logged from inside a log handler aborts. */
  if (!vmd_connection_is_unknown_event_warning (log_domain, message))
    g_log_default_handler (log_domain, level, message, user_data);
}

/* libvirt writes to sockets the other end may have closed (a keepalive, a call racing a dead
 * daemon), and its documentation asks clients to ignore SIGPIPE, as virsh does: the write then
 * fails, the connection closes, and the list reconnects, instead of the process being killed. */
void
vmd_connection_ignore_sigpipe (void)
{
  signal (SIGPIPE, SIG_IGN);
}

void
vmd_connection_quiet_unknown_events (void)
{
  g_log_set_handler (NULL, G_LOG_LEVEL_WARNING, on_libvirt_gobject_log, NULL);
}

/* The system daemon is opened by default only where its socket is there for us to use. */
gboolean
vmd_connection_system_available (void)
{
  const char *sockets[] = { "/run/libvirt/libvirt-sock", "/run/libvirt/virtqemud-sock" };

  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    if (access (sockets[i], R_OK | W_OK) == 0)
      return TRUE;
  return FALSE;
}

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

static int
compare_machines (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  return g_utf8_collate (vmd_machine_get_name ((VmdMachine *) a),
                         vmd_machine_get_name ((VmdMachine *) b));
}

static int
compare_machine_ptrs (gconstpointer a,
                      gconstpointer b)
{
  return compare_machines (*(VmdMachine **) a, *(VmdMachine **) b, NULL);
}

static void
add_machine (VmdConnection *self,
             VmdMachine    *machine)
{
  vmd_machine_set_connection (machine, self);
  g_hash_table_insert (self->by_uuid, g_strdup (vmd_machine_get_uuid (machine)), machine);
  g_list_store_insert_sorted (self->machines, machine, compare_machines, NULL);
}

/* libvirt may report one removal twice (stop of a transient domain, then undefine). */
static void
remove_machine_by_uuid (VmdConnection *self,
                        const char    *uuid)
{
  VmdMachine *found = g_hash_table_lookup (self->by_uuid, uuid);
  g_autoptr(VmdMachine) machine = found != NULL ? g_object_ref (found) : NULL;
  guint position;

  if (machine == NULL)
    return;
  /* Out of the table first: what listens to the list's items-changed looks machines up there. */
  g_hash_table_remove (self->by_uuid, uuid);
  if (g_list_store_find (self->machines, machine, &position))
    g_list_store_remove (self->machines, position);
  vmd_machine_mark_deleted (machine);
}

/* A machine listed before the connection was lost comes back as the same object, so every
 * window that holds it simply carries on; a new one is made only for a domain never seen. */
static VmdMachine *
revive_or_new_machine (VmdConnection   *self,
                       GVirDomain      *domain,
                       VmdMachineState  state)
{
  g_autoptr(VmdMachine) machine = NULL;
  g_autofree char *uuid = NULL;

  if (g_hash_table_steal_extended (self->dormant, gvir_domain_get_uuid (domain),
                                   (gpointer *) &uuid, (gpointer *) &machine))
    {
      vmd_machine_set_domain (machine, domain);
      vmd_machine_set_state (machine, state);
      vmd_machine_set_name (machine, gvir_domain_get_name (domain));
      vmd_machine_set_connected (machine, TRUE);
    }
  else
    machine = vmd_machine_new (domain, state);
  return g_steal_pointer (&machine);
}

/* Listed machines wait, unlisted, for the connection to come back. */
static void
make_machines_dormant (VmdConnection *self)
{
  GHashTableIter iter;
  gpointer uuid, machine;

  g_hash_table_iter_init (&iter, self->by_uuid);
  while (g_hash_table_iter_next (&iter, &uuid, &machine))
    {
      vmd_machine_set_connected (machine, FALSE);
      g_hash_table_insert (self->dormant, g_strdup (uuid), g_object_ref (machine));
    }
  g_hash_table_remove_all (self->by_uuid);
  g_list_store_remove_all (self->machines);
}

/* Those the daemon did not list again were deleted meanwhile (or the connection is gone). */
static void
delete_dormant_machines (VmdConnection *self)
{
  GHashTableIter iter;
  gpointer machine;
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);

  g_hash_table_iter_init (&iter, self->dormant);
  while (g_hash_table_iter_next (&iter, NULL, &machine))
    g_ptr_array_add (gone, g_object_ref (machine));
  g_hash_table_remove_all (self->dormant);
  for (guint i = 0; i < gone->len; i++)
    vmd_machine_mark_deleted (gone->pdata[i]);
}

static void
on_domain_added (GVirConnection *gconn,
                 GVirDomain     *domain,
                 VmdConnection  *self)
{
  g_autoptr(VmdMachine) machine = NULL;

  if (g_hash_table_contains (self->by_uuid, gvir_domain_get_uuid (domain)))
    return;
  machine = revive_or_new_machine (self, domain, VMD_MACHINE_STATE_UNKNOWN);
  add_machine (self, machine);
  vmd_machine_refresh_state_async (machine);
}

static void
on_domain_removed (GVirConnection *gconn,
                   GVirDomain     *domain,
                   VmdConnection  *self)
{
  remove_machine_by_uuid (self, gvir_domain_get_uuid (domain));
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
  if (self->rename_watch != NULL)
    {
      virConnectDomainEventDeregisterAny (self->rename_watch, self->rename_callback);
      g_clear_pointer (&self->rename_watch, virConnectClose);
    }
  if (self->pending_step != NULL)
    abandon_open (self);
  if (self->gconn != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->gconn, self);
      gvir_connection_close (self->gconn);
      g_clear_object (&self->gconn);
    }
  make_machines_dormant (self);
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

/* --- renames ------------------------------------------------------------------------------------ */

/* libvirt-gobject drops DEFINED/RENAMED (it warns and emits nothing), and a domain handle keeps
 * the name it was looked up by: the new name comes from our own lifecycle callback. The machine
 * moves to its new place in the sorted list. */
static void
on_lifecycle_event (virConnectPtr  conn,
                    virDomainPtr   domain,
                    int            event,
                    int            detail,
                    void          *opaque)
{
  VmdConnection *self = opaque;
  char uuid[VIR_UUID_STRING_BUFLEN];
  g_autoptr(VmdMachine) machine = NULL;
  guint position;

  if (event != VIR_DOMAIN_EVENT_DEFINED || detail != VIR_DOMAIN_EVENT_DEFINED_RENAMED ||
      virDomainGetUUIDString (domain, uuid) < 0 ||
      !g_hash_table_contains (self->by_uuid, uuid))
    return;
  machine = g_object_ref (g_hash_table_lookup (self->by_uuid, uuid));
  if (g_list_store_find (self->machines, machine, &position))
    g_list_store_remove (self->machines, position);
  vmd_machine_set_name (machine, virDomainGetName (domain));
  g_list_store_insert_sorted (self->machines, machine, compare_machines, NULL);
}

static void
watch_for_renames (VmdConnection *self)
{
  virConnectPtr handle = NULL;

  g_object_get (self->gconn, "handle", &handle, NULL);
  if (handle == NULL)
    return;
  self->rename_callback = virConnectDomainEventRegisterAny (handle, NULL,
                                                            VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                            VIR_DOMAIN_EVENT_CALLBACK (on_lifecycle_event),
                                                            self, NULL);
  if (self->rename_callback < 0)
    {
      virResetLastError ();
      virConnectClose (handle);
      return;
    }
  self->rename_watch = handle;
}

/* --- opening ----------------------------------------------------------------------------------- */

typedef struct {
  virConnectPtr  conn;
  GList         *domains;     /* of GVirDomain */
  GHashTable    *states;      /* uuid -> VmdMachineState */
} InitialLoad;

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
  g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func (g_object_unref);

  end_open (self);

  for (GList *l = load->domains; l != NULL; l = l->next)
    {
      GVirDomain *domain = l->data;
      const char *uuid = gvir_domain_get_uuid (domain);
      VmdMachine *machine;

      if (g_hash_table_contains (self->by_uuid, uuid))
        continue;
      machine = revive_or_new_machine (self, domain,
                                       GPOINTER_TO_INT (g_hash_table_lookup (load->states, uuid)));
      if (vmd_machine_get_state (machine) == VMD_MACHINE_STATE_UNKNOWN)
        vmd_machine_refresh_state_async (machine);
      vmd_machine_set_connection (machine, self);
      g_hash_table_insert (self->by_uuid, g_strdup (uuid), machine);
      g_ptr_array_add (machines, machine);
    }
  /* One items-changed for the whole list, not one per machine. */
  g_ptr_array_sort (machines, compare_machine_ptrs);
  g_list_store_splice (self->machines, 0, 0, machines->pdata, machines->len);
  delete_dormant_machines (self);

  self->reconnecting = FALSE;
  self->backoff_s = 0;
  set_state (self, VMD_CONNECTION_STATE_CONNECTED, NULL);

  self->sampler = vmd_stats_sampler_new (self->gconn, self->by_uuid, self->stats_interval_ms);
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
  GError *error = NULL;

  if (step->stale)
    {
      open_step_free (step);
      return;
    }
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    fail_open (step->self, step->task, error);
  else
    finish_open (step->self, step->task, g_task_get_task_data (G_TASK (result)));
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
  watch_for_renames (self);
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
  return G_LIST_MODEL (self->machines);
}

VmdMachine *
vmd_connection_find_machine_by_uuid (VmdConnection *self,
                                     const char    *uuid)
{
  g_return_val_if_fail (VMD_IS_CONNECTION (self), NULL);
  return g_hash_table_lookup (self->by_uuid, uuid);
}

/* The connection among connections that lists machine, or NULL. (transfer full) */
VmdConnection *
vmd_connection_find_owner (GListModel *connections,
                           VmdMachine *machine)
{
  guint n = g_list_model_get_n_items (connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (connections, i);

      if (vmd_connection_find_machine_by_uuid (connection, vmd_machine_get_uuid (machine)) == machine)
        return g_steal_pointer (&connection);
    }
  return NULL;
}

VmdMachine *
vmd_connection_find_machine (VmdConnection *self,
                             const char    *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->machines));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i);

      if (g_strcmp0 (vmd_machine_get_name (machine), name) == 0)
        return machine;
    }
  return NULL;
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
  delete_dormant_machines (self);
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
  g_clear_object (&self->machines);
  g_clear_pointer (&self->by_uuid, g_hash_table_unref);
  g_clear_pointer (&self->dormant, g_hash_table_unref);
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
  self->machines = g_list_store_new (VMD_TYPE_MACHINE);
  self->by_uuid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->dormant = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

VmdConnection *
vmd_connection_new (const char *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);
  return g_object_new (VMD_TYPE_CONNECTION, "uri", uri, NULL);
}
