/* Faults VM Desk must survive, with the real daemons: libvirtd killed and restarted under a
 * running guest and an open serial console, a QEMU killed, remote URIs that refuse or never
 * answer. Every case runs a watchdog: a 50 ms timer whose largest gap between ticks is the
 * longest the main loop was kept from running; over 200 ms fails the case. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-guest-fixture.h"
#include "vmd-test-util.h"

#define URI "qemu:///system"
#define MAX_STALL_US (200 * 1000)
#define RECONNECT_LIMIT_US (5 * G_USEC_PER_SEC)

/* A subprocess runs with -q: what it has to say goes to stderr, which the test log keeps. */
static void G_GNUC_PRINTF (1, 2)
note (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (g_test_subprocess ())
    g_printerr ("# %s\n", message);
  else
    g_test_message ("%s", message);
}

/* --- watchdog -------------------------------------------------------------------------------- */

typedef struct {
  gint64 last;
  gint64 max_gap;
  guint  id;
} Watchdog;

static gboolean
on_watchdog_tick (gpointer user_data)
{
  Watchdog *dog = user_data;
  gint64 now = g_get_monotonic_time ();

  dog->max_gap = MAX (dog->max_gap, now - dog->last);
  dog->last = now;
  return G_SOURCE_CONTINUE;
}

static void
watchdog_start (Watchdog *dog)
{
  dog->last = g_get_monotonic_time ();
  dog->max_gap = 0;
  dog->id = g_timeout_add (50, on_watchdog_tick, dog);
}

/* The gap since the last tick counts too: a stall that is still going on. */
static void
watchdog_check (Watchdog   *dog,
                const char *what)
{
  on_watchdog_tick (dog);
  g_clear_handle_id (&dog->id, g_source_remove);
  note ("%s: longest main-loop gap %.0f ms (50 ms timer)", what, dog->max_gap / 1000.0);
  if (dog->max_gap > MAX_STALL_US + 50 * 1000)
    g_error ("%s: the main loop stalled for %.0f ms (limit %d ms)", what, dog->max_gap / 1000.0,
             MAX_STALL_US / 1000);
}

/* --- waiting ---------------------------------------------------------------------------------- */

/* Runs the main loop for ms milliseconds. */
static void
spin (guint ms)
{
  vmd_test_spin (ms);
}

typedef struct {
  VmdConnection      *connection;
  VmdConnectionState  state;
} ConnectionWait;

static gboolean
connection_in_state (gpointer user_data)
{
  ConnectionWait *wait = user_data;

  return vmd_connection_get_state (wait->connection) == wait->state;
}

static gboolean
wait_for_connection (VmdConnection      *connection,
                     VmdConnectionState  state,
                     guint               timeout_ms)
{
  ConnectionWait wait = { connection, state };

  return vmd_test_wait_until (connection_in_state, &wait, timeout_ms);
}

/* --- the daemon ------------------------------------------------------------------------------- */

static char *
harness_script (const char *name)
{
  g_autofree char *fixtures = g_path_get_dirname (g_getenv ("VMDESK_TINY_GUEST_DIR"));
  g_autofree char *tests = g_path_get_dirname (fixtures);

  return g_build_filename (tests, "harness", name, NULL);
}

/* libvirtd's pid from its pid file, if that process is a libvirtd; else 0. */
static pid_t
libvirtd_pid (void)
{
  g_autofree char *text = NULL;
  g_autofree char *comm_path = NULL;
  g_autofree char *comm = NULL;
  gint64 pid;

  if (!g_file_get_contents ("/run/libvirtd.pid", &text, NULL, NULL))
    return 0;
  pid = g_ascii_strtoll (g_strstrip (text), NULL, 10);
  if (pid <= 1)
    return 0;
  comm_path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/comm", pid);
  if (!g_file_get_contents (comm_path, &comm, NULL, NULL) || !g_str_equal (g_strstrip (comm), "libvirtd"))
    return 0;
  return (pid_t) pid;
}

/* Gone, or a zombie its reaper has not collected yet. */
static gboolean
process_gone (gpointer user_data)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", GPOINTER_TO_INT (user_data));
  g_autofree char *stat = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  after = strrchr (stat, ')');
  return after != NULL && after[1] == ' ' && after[2] == 'Z';
}

static gboolean
daemon_answers (void)
{
  virConnectPtr conn = virConnectOpen (URI);

  if (conn == NULL)
    return FALSE;
  virConnectClose (conn);
  return TRUE;
}

/* The daemon gets a daemon's environment, not the test's (G_DEBUG=fatal-criticals, sanitizer
 * options, a UI session's marker that would have it killed with the session). */
static GStrv
daemon_environment (void)
{
  const char *keep[] = { "PATH", "LANG", "LC_ALL", "HOME", "TZ" };
  GStrv env = g_new0 (char *, G_N_ELEMENTS (keep) + 1);
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (keep); i++)
    if (g_getenv (keep[i]) != NULL)
      env[n++] = g_strdup_printf ("%s=%s", keep[i], g_getenv (keep[i]));
  return env;
}

/* libvirt-up.sh in the background: the main loop (and the watchdog) keep running meanwhile. */
static GSubprocess *
daemon_up_start (void)
{
  g_autofree char *script = harness_script ("libvirt-up.sh");
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_auto(GStrv) env = daemon_environment ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawn (launcher, &error, script, NULL);
  g_assert_no_error (error);
  return process;
}

static void
on_daemon_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
flag_set (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static gboolean
daemon_up_wait (GSubprocess *process,
                guint        timeout_ms)
{
  gboolean done = FALSE;

  g_subprocess_wait_async (process, NULL, on_daemon_up, &done);
  if (!vmd_test_wait_until (flag_set, &done, timeout_ms))
    return FALSE;
  return g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0;
}

/* Whatever happened, the daemon is left running for whoever comes next. */
static void
ensure_daemon_up (void)
{
  g_autofree char *script = harness_script ("libvirt-up.sh");
  const char *argv[] = { script, NULL };
  g_auto(GStrv) env = daemon_environment ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (daemon_answers ())
    return;
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Clients of libvirtd other than this process (other test runs sharing the daemon), as
 * virt-admin lists them; NULL when virt-admin cannot tell. */
static GPtrArray *
foreign_clients (void)
{
  const char *list_argv[] = { "virt-admin", "-q", "-c", "libvirtd:///system", "client-list", "libvirtd", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *foreign = g_ptr_array_new_with_free_func (g_free);
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) list_argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_ptr_array_unref (foreign);
      return NULL;
    }
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", 2);
      g_autofree char *info = NULL;
      const char *pid_line;
      const char *info_argv[] = { "virt-admin", "-q", "-c", "libvirtd:///system", "client-info", "libvirtd",
                                  fields[0], NULL };

      if (fields[0] == NULL || !g_ascii_isdigit (fields[0][0]))
        continue;
      if (!g_spawn_sync (NULL, (char **) info_argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                         NULL, NULL, &info, NULL, &status, NULL) ||
          !g_spawn_check_wait_status (status, NULL))
        continue;  /* gone meanwhile */
      pid_line = strstr (info, "unix_process_id");
      if (pid_line != NULL && (pid_t) g_ascii_strtoll (strchr (pid_line, ':') + 1, NULL, 10) == getpid ())
        continue;
      g_ptr_array_add (foreign, g_strdup_printf ("client %s%s%.*s", fields[0],
                                                 pid_line != NULL ? ", pid " : "",
                                                 pid_line != NULL ? (int) strcspn (strchr (pid_line, ':') + 1, "\n") : 0,
                                                 pid_line != NULL ? strchr (pid_line, ':') + 1 : ""));
    }
  return foreign;
}

/* Killing libvirtd under another test run (a developer's, sharing this daemon) would fail it:
 * wait up to 30 s for the daemon to be ours alone. VMDESK_FAULTS_FORCE=1 kills it regardless. */
static gboolean
daemon_is_ours_alone (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  if (g_strcmp0 (g_getenv ("VMDESK_FAULTS_FORCE"), "1") == 0)
    return TRUE;
  while (TRUE)
    {
      g_autoptr(GPtrArray) foreign = foreign_clients ();
      g_autofree char *list = NULL;

      if (foreign == NULL || foreign->len == 0)
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        {
          g_ptr_array_add (foreign, NULL);
          list = g_strjoinv ("; ", (char **) foreign->pdata);
          g_test_skip_printf ("other clients use libvirtd (%s): not killing it under them "
                              "(VMDESK_FAULTS_FORCE=1 to do it anyway)", list);
          return FALSE;
        }
      spin (1000);
    }
}

/* --- guests ------------------------------------------------------------------------------------ */

typedef struct {
  VmdConnection *connection;
  char          *prefix;
  char          *pool_dir;
  GPtrArray     *names;      /* domains this fixture defined */
} Fixture;

static virConnectPtr
open_raw (void)
{
  virConnectPtr conn = virConnectOpen (URI);

  g_assert_nonnull (conn);
  return conn;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_assert_nonnull (g_getenv ("VMDESK_TINY_GUEST_DIR"));
  ensure_daemon_up ();
  /* A case run in a subprocess (to survive its own failure) names things after its parent, so
   * that the parent can clean up after it. */
  fixture->prefix = g_strdup_printf ("vmdesk-faults-%d", g_test_subprocess () ? getppid () : getpid ());
  /* QEMU runs as libvirt-qemu: the kernel and initrd go where it may read them. */
  fixture->pool_dir = g_strdup_printf ("/var/lib/libvirt/images/%s", fixture->prefix);
  g_assert_cmpint (g_mkdir_with_parents (fixture->pool_dir, 0755), ==, 0);
  vmd_guest_fixture_copy_boot_files (fixture->pool_dir);
  fixture->names = g_ptr_array_new_with_free_func (g_free);
}

static void
clean_up (Fixture *fixture)
{
  virDomainPtr *domains = NULL;
  virConnectPtr conn;
  int n;

  ensure_daemon_up ();
  /* Every domain of this run, also those a failed subprocess left. */
  conn = open_raw ();
  n = virConnectListAllDomains (conn, &domains, 0);
  for (int i = 0; i < n; i++)
    {
      if (g_str_has_prefix (virDomainGetName (domains[i]), fixture->prefix))
        {
          virDomainDestroy (domains[i]);
          virDomainUndefine (domains[i]);
        }
      virDomainFree (domains[i]);
    }
  free (domains);
  virResetLastError ();
  virConnectClose (conn);
  vmd_guest_fixture_remove_dir (fixture->pool_dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->connection);
  clean_up (fixture);
  g_ptr_array_unref (fixture->names);
  g_free (fixture->prefix);
  g_free (fixture->pool_dir);
}

/* The tiny guest booting its kernel (tiny_guest) or an empty machine that sits in its BIOS: a
 * QEMU process all the same, for a fraction of the CPU. Defined and started; returns its name. */
static const char *
start_guest (Fixture    *fixture,
             const char *suffix,
             gboolean    tiny_guest)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", fixture->prefix, suffix);
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *boot = tiny_guest
    ? g_markup_printf_escaped ("<kernel>%s/vmlinuz</kernel><initrd>%s/initrd</initrd>"
                               "<cmdline>console=ttyS0</cmdline>", fixture->pool_dir, fixture->pool_dir)
    : g_strdup ("");
  /* Both parts are markup already. */
  g_autofree char *xml = g_strdup_printf (
    "<domain type='qemu'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>%d</memory>"
    "  <vcpu>1</vcpu>"
    "  <os><type arch='x86_64' machine='pc'>hvm</type>%s</os>"
    "  <on_reboot>destroy</on_reboot>"
    "  <devices>"
    "    <serial type='pty'><target port='0'/></serial>"
    "    <console type='pty'><target type='serial' port='0'/></console>"
    "    <memballoon model='none'/>"
    "  </devices>"
    "</domain>", escaped, tiny_guest ? 256 : 32, boot);
  virConnectPtr conn = open_raw ();
  virDomainPtr domain;

  domain = virDomainDefineXML (conn, xml);
  g_assert_nonnull (domain);
  g_ptr_array_add (fixture->names, g_steal_pointer (&name));
  g_assert_cmpint (virDomainCreate (domain), ==, 0);
  virDomainFree (domain);
  virConnectClose (conn);
  return fixture->names->pdata[fixture->names->len - 1];
}

static void
define_stopped (Fixture    *fixture,
                const char *suffix)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", fixture->prefix, suffix);
  g_autofree char *xml = g_markup_printf_escaped (
    "<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>"
    "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>", name);
  virConnectPtr conn = open_raw ();
  virDomainPtr domain = virDomainDefineXML (conn, xml);

  g_assert_nonnull (domain);
  g_ptr_array_add (fixture->names, g_steal_pointer (&name));
  virDomainFree (domain);
  virConnectClose (conn);
}

static pid_t
qemu_pid (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/run/libvirt/qemu/%s.pid", name);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return (pid_t) g_ascii_strtoll (g_strstrip (text), NULL, 10);
}

/* "name=State" for each machine of ours, sorted: what the list shows of them. */
static char *
describe_machines (Fixture *fixture)
{
  GListModel *machines = vmd_connection_get_machines (fixture->connection);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (machines); i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (machines, i);

      if (g_str_has_prefix (vmd_machine_get_name (machine), fixture->prefix))
        g_ptr_array_add (lines, g_strdup_printf ("%s=%s", vmd_machine_get_name (machine),
                                                 vmd_machine_state_to_label (vmd_machine_get_state (machine))));
    }
  g_ptr_array_add (lines, NULL);
  return g_strjoinv (" ", (char **) lines->pdata);
}

static void
open_connection (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_test_open_connection (URI, 500, &error);
  g_assert_no_error (error);
}

/* --- a console that loses its daemon ---------------------------------------------------------- */

typedef struct {
  VmdConsoleStream *stream;
  gboolean          ended;
  gsize             received;
} Console;

static void
on_console_received (VmdConsoleStream *stream,
                     const char       *data,
                     guint             size,
                     Console          *console)
{
  console->received += size;
}

static void
on_console_ended (VmdConsoleStream *stream,
                  Console          *console)
{
  console->ended = TRUE;
}

static void
console_open (Console    *console,
              VmdMachine *machine)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  memset (console, 0, sizeof *console);
  vmd_machine_open_console_async (machine, NULL, TRUE, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  console->stream = vmd_machine_open_console_finish (machine, result, &error);
  g_assert_no_error (error);
  g_signal_connect (console->stream, "received", G_CALLBACK (on_console_received), console);
  g_signal_connect (console->stream, "ended", G_CALLBACK (on_console_ended), console);
}

static void
console_close (Console *console)
{
  g_signal_handlers_disconnect_by_data (console->stream, console);
  g_clear_object (&console->stream);
}

static gboolean
console_ended (gpointer user_data)
{
  return ((Console *) user_data)->ended;
}

/* --- libvirtd killed and restarted ------------------------------------------------------------- */

typedef struct {
  gint64             when;
  VmdConnectionState state;
} StateChange;

static void
on_state_changed (VmdConnection *connection,
                  GParamSpec    *pspec,
                  GArray        *changes)
{
  StateChange change = { g_get_monotonic_time (), vmd_connection_get_state (connection) };

  g_array_append_val (changes, change);
}

static void
on_connected_changed (VmdMachine *machine,
                      GParamSpec *pspec,
                      GString    *seen)
{
  g_string_append_c (seen, vmd_machine_get_connected (machine) ? 'T' : 'F');
}

static void
libvirtd_restart (Fixture *fixture)
{
  g_autoptr(GString) connected_seen = g_string_new (NULL);
  g_autoptr(VmdMachine) held = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (StateChange));
  g_autoptr(GSubprocess) up = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *lost_message = NULL;
  const char *guest;
  Watchdog dog = { 0 };
  Console console;
  gint64 killed, lost, upped, reconnected, previous = 0;
  guint attempts = 0;
  pid_t daemon, guest_qemu;

  guest = start_guest (fixture, "guest", TRUE);
  define_stopped (fixture, "off");
  guest_qemu = qemu_pid (guest);
  g_assert_cmpint (guest_qemu, >, 0);
  open_connection (fixture);
  g_assert_true (vmd_test_wait_for_machine_state (fixture->connection, guest,
                                                 VMD_MACHINE_STATE_RUNNING, 2000));
  before = describe_machines (fixture);
  note ("before: %s", before);
  console_open (&console, vmd_connection_find_machine (fixture->connection, guest));
  /* What a window holds: the same object must come back with the daemon. */
  held = g_object_ref (vmd_connection_find_machine (fixture->connection, guest));
  g_signal_connect (held, "notify::connected", G_CALLBACK (on_connected_changed), connected_seen);

  g_signal_connect (fixture->connection, "notify::state", G_CALLBACK (on_state_changed), changes);
  watchdog_start (&dog);
  daemon = libvirtd_pid ();
  g_assert_cmpint (daemon, >, 0);
  g_assert_cmpint (kill (daemon, SIGKILL), ==, 0);
  killed = g_get_monotonic_time ();
  g_assert_true (vmd_test_wait_until (process_gone, GINT_TO_POINTER (daemon), 5000));

  g_assert_true (wait_for_connection (fixture->connection, VMD_CONNECTION_STATE_LOST, 2000));
  lost = g_get_monotonic_time ();
  lost_message = g_strdup (vmd_connection_get_error_message (fixture->connection));
  note ("LOST %.2f s after the kill: “%s”", (lost - killed) / 1e6, lost_message);
  g_assert_nonnull (strstr (lost_message, "lost"));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (fixture->connection)), ==, 0);
  /* libvirt 9 does not end a console stream whose connection died (no HANGUP, no ERROR): the
   * console view must follow the machine and the connection, not only its stream. */
  vmd_test_wait_until (console_ended, &console, 1000);
  note ("the open console's stream %s when the daemon died (%" G_GSIZE_FORMAT
        " bytes read before)", console.ended ? "ended" : "did NOT end", console.received);
  /* Closed on the dead connection without a critical (GVirStream's finish logged one here). */
  console_close (&console);

  /* Down long enough for three attempts (after 1, 2 and 4 s) to fail. */
  spin (7500);
  g_assert_cmpint (vmd_connection_get_state (fixture->connection), !=, VMD_CONNECTION_STATE_CONNECTED);
  up = daemon_up_start ();
  g_assert_true (daemon_up_wait (up, 60000));
  upped = g_get_monotonic_time ();
  note ("libvirt-up.sh done %.2f s after the kill", (upped - killed) / 1e6);

  g_assert_true (wait_for_connection (fixture->connection, VMD_CONNECTION_STATE_CONNECTED, 8000));
  reconnected = g_get_monotonic_time ();
  note ("CONNECTED %.2f s after the daemon was back", (reconnected - upped) / 1e6);
  g_assert_cmpint (reconnected - upped, <, RECONNECT_LIMIT_US);

  /* Backoff: the attempts (CONNECTING) came 1, 2, 4 s apart, give or take the attempt itself. */
  for (guint i = 0; i < changes->len; i++)
    {
      StateChange *change = &g_array_index (changes, StateChange, i);

      if (change->state != VMD_CONNECTION_STATE_CONNECTING)
        continue;
      if (previous != 0 || attempts == 0)
        {
          gint64 since = change->when - (previous != 0 ? previous : lost);
          double expected = attempts == 0 ? 1.0 : attempts == 1 ? 2.0 : 4.0;

          note ("attempt %u after %.2f s (backoff %.0f s)", attempts + 1, since / 1e6, expected);
          g_assert_cmpfloat (since / 1e6, >=, expected - 0.1);
          g_assert_cmpfloat (since / 1e6, <=, expected + 0.5);
        }
      previous = change->when;
      attempts++;
    }
  g_assert_cmpuint (attempts, >=, 4);

  g_assert_true (vmd_test_wait_for_machine_state (fixture->connection, guest,
                                                 VMD_MACHINE_STATE_RUNNING, 2000));
  after = describe_machines (fixture);
  note ("after: %s", after);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (vmd_connection_find_machine (fixture->connection, guest) == held);
  g_assert_true (vmd_machine_get_connected (held));
  g_assert_cmpstr (connected_seen->str, ==, "FT");
  g_signal_handlers_disconnect_by_data (held, connected_seen);
  g_assert_cmpint (qemu_pid (guest), ==, guest_qemu);
  g_assert_false (process_gone (GINT_TO_POINTER (guest_qemu)));
  watchdog_check (&dog, "libvirtd restart");

  /* The console opens again on the machine the new connection brought. */
  console_open (&console, vmd_connection_find_machine (fixture->connection, guest));
  g_assert_false (console.ended);
  console_close (&console);
}

/* The daemon is killed in a subprocess: however that ends (an assertion aborts it), the parent
 * brings the daemon back and removes the guests before it reports. */
static void
test_libvirtd_restart (Fixture       *fixture,
                       gconstpointer  user_data)
{
  if (g_test_subprocess ())
    {
      libvirtd_restart (fixture);
      return;
    }
  if (!daemon_is_ours_alone ())
    return;
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  clean_up (fixture);
  g_test_trap_assert_passed ();
}

/* --- QEMU killed ------------------------------------------------------------------------------ */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static gboolean
stopped (gpointer user_data)
{
  VmdMachine *machine = user_data;

  return vmd_machine_get_state (machine) == VMD_MACHINE_STATE_SHUT_OFF ||
         vmd_machine_get_state (machine) == VMD_MACHINE_STATE_CRASHED;
}

static void
test_qemu_killed (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const char *victim = start_guest (fixture, "victim", FALSE);
  const char *bystander = start_guest (fixture, "bystander", FALSE);
  VmdMachine *victim_machine, *bystander_machine;
  Watchdog dog = { 0 };
  guint bystander_changes = 0;
  pid_t pid;
  gint64 killed;

  open_connection (fixture);
  g_assert_true (vmd_test_wait_for_machine_state (fixture->connection, victim,
                                                 VMD_MACHINE_STATE_RUNNING, 2000));
  g_assert_true (vmd_test_wait_for_machine_state (fixture->connection, bystander,
                                                 VMD_MACHINE_STATE_RUNNING, 2000));
  victim_machine = vmd_connection_find_machine (fixture->connection, victim);
  bystander_machine = vmd_connection_find_machine (fixture->connection, bystander);
  g_signal_connect (bystander_machine, "notify::state", G_CALLBACK (count_notify), &bystander_changes);
  pid = qemu_pid (victim);
  g_assert_cmpint (pid, >, 0);

  watchdog_start (&dog);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  killed = g_get_monotonic_time ();
  g_assert_true (vmd_test_wait_until (stopped, victim_machine, 1000));
  note ("%s shows “%s” %.3f s after kill -9 of its QEMU", victim,
                  vmd_machine_state_to_label (vmd_machine_get_state (victim_machine)),
                  (g_get_monotonic_time () - killed) / 1e6);
  /* Anything else that would follow comes now. */
  spin (1000);
  g_assert_cmpint (vmd_connection_get_state (fixture->connection), ==, VMD_CONNECTION_STATE_CONNECTED);
  g_assert_true (vmd_connection_find_machine (fixture->connection, bystander) == bystander_machine);
  g_assert_cmpint (vmd_machine_get_state (bystander_machine), ==, VMD_MACHINE_STATE_RUNNING);
  g_assert_cmpuint (bystander_changes, ==, 0);
  g_assert_cmpint (qemu_pid (bystander), >, 0);
  watchdog_check (&dog, "QEMU killed");
}

/* --- remote URIs that do not answer ----------------------------------------------------------- */

static gboolean
ref_count_is_one (gpointer user_data)
{
  return G_OBJECT (user_data)->ref_count == 1;
}

/* Opens uri; returns the error, after checking the connection says it (FAILED, a message). */
static GError *
open_expecting_failure (VmdConnection *connection,
                        guint          timeout_ms,
                        double        *seconds)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();

  vmd_connection_open_async (connection, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, timeout_ms));
  *seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_false (vmd_connection_open_finish (connection, result, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_FAILED);
  g_assert_nonnull (vmd_connection_get_error_message (connection));
  note ("after %.2f s: %s", *seconds, vmd_connection_get_error_message (connection));
  return error;
}

static void
test_remote_refused (void)
{
  g_autoptr(VmdConnection) connection = vmd_connection_new ("qemu+tcp://127.0.0.1:1/system");
  g_autoptr(GError) error = NULL;
  Watchdog dog = { 0 };
  double seconds;

  watchdog_start (&dog);
  error = open_expecting_failure (connection, 10000, &seconds);
  g_assert_nonnull (strstr (vmd_connection_get_error_message (connection), "127.0.0.1"));
  g_assert_cmpfloat (seconds, <, 5.0);
  spin (200);
  watchdog_check (&dog, "closed port");
  g_assert_true (vmd_test_wait_until (ref_count_is_one, connection, 5000));
}

/* A server that accepts (the kernel completes the handshake) and never reads nor answers. */
static void
test_remote_silent (void)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t length = sizeof address;
  int server = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_autoptr(VmdConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  Watchdog dog = { 0 };
  double seconds;

  g_assert_cmpint (server, >=, 0);
  g_assert_cmpint (bind (server, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (server, 8), ==, 0);
  g_assert_cmpint (getsockname (server, (struct sockaddr *) &address, &length), ==, 0);
  uri = g_strdup_printf ("qemu+tcp://127.0.0.1:%u/system", ntohs (address.sin_port));
  connection = g_object_new (VMD_TYPE_CONNECTION, "uri", uri, "open-timeout", 2, NULL);

  watchdog_start (&dog);
  error = open_expecting_failure (connection, 10000, &seconds);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (vmd_connection_get_error_message (connection), "not answering"));
  g_assert_cmpfloat (seconds, >=, 1.5);
  g_assert_cmpfloat (seconds, <, 4.0);
  /* The app stays usable meanwhile: closing the connection does not wait for the stuck open. */
  vmd_connection_close (connection);
  spin (300);
  watchdog_check (&dog, "silent server");

  /* The server goes away: libvirt's open in its thread returns at last, and nothing of it stays. */
  close (server);
  g_assert_true (vmd_test_wait_until (ref_count_is_one, connection, 10000));
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_DISCONNECTED);
}

/* Closing a connection whose open hangs (the user removes it, the app quits) answers at once. */
static void
test_remote_close_while_opening (void)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t length = sizeof address;
  int server = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_autoptr(VmdConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  Watchdog dog = { 0 };
  gint64 closed;

  g_assert_cmpint (server, >=, 0);
  g_assert_cmpint (bind (server, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (server, 8), ==, 0);
  g_assert_cmpint (getsockname (server, (struct sockaddr *) &address, &length), ==, 0);
  uri = g_strdup_printf ("qemu+tcp://127.0.0.1:%u/system", ntohs (address.sin_port));
  connection = vmd_connection_new (uri);

  watchdog_start (&dog);
  vmd_connection_open_async (connection, NULL, vmd_test_store_result, &result);
  spin (500);
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_CONNECTING);
  closed = g_get_monotonic_time ();
  vmd_connection_close (connection);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 1000));
  note ("the open answered %.3f s after close", (g_get_monotonic_time () - closed) / 1e6);
  g_assert_false (vmd_connection_open_finish (connection, result, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_DISCONNECTED);
  spin (300);
  watchdog_check (&dog, "close while opening");

  g_clear_object (&result);
  close (server);
  g_assert_true (vmd_test_wait_until (ref_count_is_one, connection, 10000));
}

/* --- a network that goes silent: a relay to the daemon's socket that can stop passing bytes ---- */

#define DAEMON_SOCKET "/run/libvirt/libvirt-sock"

typedef struct {
  char    *dir;
  char    *path;
  int      listener;
  GArray  *fds;       /* pairs: the client's end, then the daemon's */
  GThread *thread;
  gint     frozen;    /* atomic: as a cut cable, nothing passes and nothing is refused */
  gint     stop;
} Relay;

static int
unix_socket_to (const char *path,
                gboolean    listen_there)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_strlcpy (address.sun_path, path, sizeof address.sun_path);
  if (listen_there)
    g_assert_true (bind (fd, (struct sockaddr *) &address, sizeof address) == 0 && listen (fd, 16) == 0);
  else
    g_assert_cmpint (connect (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  return fd;
}

/* Copies what one end has to the other; FALSE when that end is done. */
static gboolean
relay_pass (int from,
            int to)
{
  char buffer[65536];
  ssize_t n = read (from, buffer, sizeof buffer);

  for (ssize_t done = 0; n > 0 && done < n;)
    {
      ssize_t w = send (to, buffer + done, n - done, MSG_NOSIGNAL);

      if (w <= 0)
        return FALSE;
      done += w;
    }
  return n > 0;
}

static void
relay_poll_once (Relay *relay)
{
  guint n = 1 + relay->fds->len;
  struct pollfd polled[n];

  polled[0] = (struct pollfd) { .fd = relay->listener, .events = POLLIN };
  for (guint i = 0; i < relay->fds->len; i++)
    polled[i + 1] = (struct pollfd) { .fd = g_array_index (relay->fds, int, i), .events = POLLIN };
  if (poll (polled, n, 50) <= 0)
    return;
  for (guint i = relay->fds->len; i > 0; i--)
    {
      int fd = polled[i].fd, partner = g_array_index (relay->fds, int, (i - 1) ^ 1);

      if (polled[i].revents != 0 && !relay_pass (fd, partner))
        {
          guint pair = (i - 1) & ~1u;

          close (g_array_index (relay->fds, int, pair));
          close (g_array_index (relay->fds, int, pair + 1));
          g_array_remove_range (relay->fds, pair, 2);
          return;  /* the indices moved: poll again */
        }
    }
  if (polled[0].revents & POLLIN)
    {
      int client = accept (relay->listener, NULL, NULL);
      int daemon = unix_socket_to (DAEMON_SOCKET, FALSE);

      g_array_append_val (relay->fds, client);
      g_array_append_val (relay->fds, daemon);
    }
}

static gpointer
relay_thread (gpointer data)
{
  Relay *relay = data;

  while (!g_atomic_int_get (&relay->stop))
    {
      if (g_atomic_int_get (&relay->frozen))
        g_usleep (20000);
      else
        relay_poll_once (relay);
    }
  return NULL;
}

static Relay *
relay_start (void)
{
  Relay *relay = g_new0 (Relay, 1);

  relay->dir = g_dir_make_tmp ("vmdesk-relay-XXXXXX", NULL);
  relay->path = g_build_filename (relay->dir, "sock", NULL);
  relay->listener = unix_socket_to (relay->path, TRUE);
  relay->fds = g_array_new (FALSE, FALSE, sizeof (int));
  relay->thread = g_thread_new ("relay", relay_thread, relay);
  return relay;
}

static void
relay_free (Relay *relay)
{
  g_atomic_int_set (&relay->stop, 1);
  g_thread_join (relay->thread);
  for (guint i = 0; i < relay->fds->len; i++)
    close (g_array_index (relay->fds, int, i));
  g_array_unref (relay->fds);
  close (relay->listener);
  g_unlink (relay->path);
  g_rmdir (relay->dir);
  g_free (relay->path);
  g_free (relay->dir);
  g_free (relay);
}

static gboolean
connection_is (VmdConnection      *connection,
               VmdConnectionState  state)
{
  return vmd_connection_get_state (connection) == state;
}

static gboolean
is_lost (gpointer connection)
{
  return connection_is (connection, VMD_CONNECTION_STATE_LOST);
}

static gboolean
is_connected (gpointer connection)
{
  return connection_is (connection, VMD_CONNECTION_STATE_CONNECTED);
}

/* The daemon's answers stop, the socket stays open: keepalive notices, the list says it lost the
 * connection, and it reconnects when the answers come back. */
static void
test_silent_network (void)
{
  Relay *relay = relay_start ();
  g_autofree char *uri = g_strdup_printf ("qemu:///system?socket=%s", relay->path);
  g_autoptr(VmdConnection) connection = g_object_new (VMD_TYPE_CONNECTION, "uri", uri,
                                                      "keepalive-interval", 1, "open-timeout", 3, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  Watchdog dog = { 0 };
  gint64 cut;

  vmd_connection_open_async (connection, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  g_assert_true (vmd_connection_open_finish (connection, result, NULL));

  watchdog_start (&dog);
  cut = g_get_monotonic_time ();
  g_atomic_int_set (&relay->frozen, 1);
  g_assert_true (vmd_test_wait_until (is_lost, connection, 15000));
  note ("lost %.2f s after the network went silent (keepalive every 1 s, 3 unanswered)",
        (g_get_monotonic_time () - cut) / 1e6);
  g_assert_cmpfloat ((g_get_monotonic_time () - cut) / 1e6, >=, 2.0);
  g_assert_nonnull (strstr (vmd_connection_get_error_message (connection), "lost"));

  cut = g_get_monotonic_time ();
  g_atomic_int_set (&relay->frozen, 0);
  g_assert_true (vmd_test_wait_until (is_connected, connection, 20000));
  note ("connected again %.2f s after the network came back", (g_get_monotonic_time () - cut) / 1e6);
  watchdog_check (&dog, "silent network");

  g_clear_object (&result);  /* the open's task holds the connection */
  vmd_connection_close (connection);
  g_assert_true (vmd_test_wait_until (ref_count_is_one, connection, 10000));
  relay_free (relay);
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_test_add ("/integration/faults/libvirtd-restart", Fixture, NULL,
              fixture_set_up, test_libvirtd_restart, fixture_tear_down);
  g_test_add ("/integration/faults/qemu-killed", Fixture, NULL,
              fixture_set_up, test_qemu_killed, fixture_tear_down);
  g_test_add_func ("/integration/faults/remote-refused", test_remote_refused);
  g_test_add_func ("/integration/faults/remote-silent", test_remote_silent);
  g_test_add_func ("/integration/faults/remote-close-while-opening", test_remote_close_while_opening);
  g_test_add_func ("/integration/faults/silent-network", test_silent_network);
  return g_test_run ();
}
