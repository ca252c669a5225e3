/* Test helpers: every wait is bounded, so a broken event path fails instead of hanging. */
#include "config.h"

#include <libvirt-gobject/libvirt-gobject.h>

#include "vmd-test-util.h"

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Every wait is for an event, and its ceiling only matters when the event never comes: it is
 * stretched (4 times, or VMDESK_TEST_WAIT_SCALE; valgrind's setup asks for 20) so that a loaded
 * CI machine, valgrind or the sanitizers never fail a test that works. */
static guint
wait_scale (void)
{
  const char *scale = g_getenv ("VMDESK_TEST_WAIT_SCALE");
  guint64 value = 0;

  if (scale == NULL || !g_ascii_string_to_unsigned (scale, 10, 1, 100, &value, NULL))
    return 4;
  return (guint) value;
}

gboolean
vmd_test_wait_until (VmdTestCondition condition,
                     gpointer         user_data,
                     guint            timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms * wait_scale (), on_timeout, &timed_out);

  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (user_data);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *waiter = user_data;
  GError *error = NULL;

  if (vmd_connection_open_finish (VMD_CONNECTION (source), result, &error))
    g_task_return_boolean (waiter, TRUE);
  else
    g_task_return_error (waiter, error);
  g_object_unref (waiter);
}

static gboolean
task_completed (gpointer task)
{
  return g_task_get_completed (task);
}

static void
nothing (GObject *source, GAsyncResult *result, gpointer user_data)
{
}

gboolean
vmd_test_open (VmdConnection  *connection,
               GError        **error)
{
  g_autoptr(GTask) waiter = g_task_new (NULL, NULL, nothing, NULL);

  vmd_connection_open_async (connection, NULL, on_opened, g_object_ref (waiter));
  if (!vmd_test_wait_until (task_completed, waiter, 30000))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "opening %s timed out",
                   vmd_connection_get_uri (connection));
      return FALSE;
    }
  return g_task_propagate_boolean (waiter, error);
}

VmdConnection *
vmd_test_open_connection (const char  *uri,
                          guint        stats_interval_ms,
                          GError     **error)
{
  g_autoptr(VmdConnection) connection = g_object_new (VMD_TYPE_CONNECTION, "uri", uri,
                                                      "stats-interval", stats_interval_ms, NULL);

  if (!vmd_test_open (connection, error))
    return NULL;
  return g_steal_pointer (&connection);
}

char *
vmd_test_data_uri (const char *file_name)
{
  return g_strdup_printf ("test://%s/%s", TEST_DATA_DIR, file_name);
}

/* An async callback for tests: user_data is a GAsyncResult ** that starts NULL and receives a
 * reference, for vmd_test_result_arrived to wait on and the caller to free. */
void
vmd_test_store_result (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
vmd_test_result_arrived (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

typedef struct {
  VmdConnection   *connection;
  const char      *name;
  VmdMachineState  state;
} MachineStateWait;

static gboolean
machine_in_state (gpointer user_data)
{
  MachineStateWait *wait = user_data;
  VmdMachine *machine = vmd_connection_find_machine (wait->connection, wait->name);

  return machine != NULL && vmd_machine_get_state (machine) == wait->state;
}

/* TRUE once the connection lists a machine called name in that state. */
gboolean
vmd_test_wait_for_machine_state (VmdConnection   *connection,
                                 const char      *name,
                                 VmdMachineState  state,
                                 guint            timeout_ms)
{
  MachineStateWait wait = { connection, name, state };

  return vmd_test_wait_until (machine_in_state, &wait, timeout_ms);
}

void
vmd_test_init (int    *argc,
               char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);
  /* GTest makes warnings fatal. libvirt-gobject warns (g_warn_if_reached, which the fatal
   * handler of GTest never sees) on event details it does not know, from any domain on a shared
   * daemon: not ours to fail on. Criticals stay fatal; the app's own handler drops that one
   * warning, as it does for users. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  vmd_connection_quiet_unknown_events ();
  vmd_connection_ignore_sigpipe ();  /* as the app: a dead daemon must not kill the test */
  if (!gvir_init_object_check (argc, argv, &error))
    g_error ("libvirt-gobject: %s", error->message);
}

/* libosinfo's database, loaded (once per process) before the test goes on. */
VmdOsCatalog *
vmd_test_loaded_catalog (void)
{
  g_autoptr(GError) error = NULL;
  VmdOsCatalog *catalog = vmd_os_catalog_get_default ();

  g_assert_true (vmd_os_catalog_load_sync (catalog, &error));
  g_assert_no_error (error);
  return catalog;
}

static gboolean
spin_done (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for ms milliseconds, exactly: a pause, not a wait for an event. */
void
vmd_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, spin_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}
