/* NetworkManager stops in the middle of a bridge change: a bridge made under a checkpoint, not
 * yet confirmed, and NetworkManager goes (SIGTERM). VM Desk must not hang or crash, must say that
 * NetworkManager is gone, must refuse to "keep" a change nobody can keep now, and must not claim
 * a rollback that did not happen: the kernel is asked what is left. Run by
 * tests/network/run-network-test.sh, which starts a NetworkManager for this binary alone and
 * cleans up after it (the namespace goes, and every interface with it). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "vmd-bridge-manager.h"
#include "vmd-error.h"

#define WAIT_MS 20000

static const char *netns;

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_flag (gboolean *flag,
           guint     timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_deadline, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return *flag;
}

typedef struct {
  GAsyncResult *result;
  gboolean      done;
} Waiter;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  waiter->done = TRUE;
}

/* The largest gap between the ticks of a 50 ms timer: how long the main loop was kept busy. */
typedef struct {
  gint64 last;
  gint64 max_gap;
  gint64 max_at;
} Watchdog;

static gboolean
on_tick (gpointer user_data)
{
  Watchdog *dog = user_data;
  gint64 now = g_get_monotonic_time ();

  if (now - dog->last > dog->max_gap)
    {
      dog->max_gap = now - dog->last;
      dog->max_at = now;
    }
  dog->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
link_exists (const char *name)
{
  const char *argv[] = { "ip", "-n", netns, "link", "show", "dev", name, NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
  return g_spawn_check_wait_status (status, NULL);
}

/* run-network-test.sh's folder, from the bus address it exported: unix:path=DIR/bus.sock. */
static pid_t
nm_pid (void)
{
  const char *bus = g_getenv ("DBUS_SYSTEM_BUS_ADDRESS");
  g_autofree char *socket = g_strdup (bus + strlen ("unix:path="));
  g_autofree char *dir = g_path_get_dirname (socket);
  g_autofree char *pid_file = g_build_filename (dir, "nm.pid", NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_str_has_prefix (bus, "unix:path="));
  g_assert_true (g_file_get_contents (pid_file, &text, NULL, NULL));
  return (pid_t) g_ascii_strtoll (g_strstrip (text), NULL, 10);
}

static void
on_flag (GObject    *object,
         gboolean   *flag)
{
  *flag = TRUE;
}

static void
on_nm_running (GObject    *object,
               GParamSpec *pspec,
               gboolean   *gone)
{
  *gone = !vmd_bridge_manager_get_nm_running (VMD_BRIDGE_MANAGER (object));
}

static void
test_nm_stops_before_confirm (void)
{
  g_autoptr(VmdBridgeManager) manager = NULL;
  g_autoptr(VmdBridgeSettings) settings = vmd_bridge_settings_new ();
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };
  Watchdog dog = { 0 };
  gboolean rolled_back = FALSE, gone = FALSE;
  gint64 stopped;
  guint tick;
  pid_t pid;

  vmd_bridge_manager_new_async (NULL, NULL, on_done, &waiter);
  g_assert_true (wait_flag (&waiter.done, WAIT_MS));
  manager = vmd_bridge_manager_new_finish (waiter.result, &error);
  g_assert_no_error (error);
  g_clear_object (&waiter.result);
  g_assert_true (vmd_bridge_manager_get_nm_running (manager));

  g_free (settings->name);
  settings->name = g_strdup ("br5");
  settings->dhcp = FALSE;
  settings->address = g_strdup ("10.66.0.1/24");
  waiter.done = FALSE;
  vmd_bridge_manager_create_bridge_async (manager, settings, 60, NULL, on_done, &waiter);
  g_assert_true (wait_flag (&waiter.done, WAIT_MS));
  g_assert_true (vmd_bridge_manager_create_bridge_finish (manager, waiter.result, &error));
  g_assert_no_error (error);
  g_clear_object (&waiter.result);
  g_assert_nonnull (vmd_bridge_manager_get_pending_checkpoint (manager));
  g_assert_true (link_exists ("br5"));

  g_signal_connect (manager, "rolled-back", G_CALLBACK (on_flag), &rolled_back);
  g_signal_connect (manager, "notify::nm-running", G_CALLBACK (on_nm_running), &gone);
  dog.last = g_get_monotonic_time ();
  tick = g_timeout_add (50, on_tick, &dog);

  pid = nm_pid ();
  g_assert_cmpint (pid, >, 1);
  g_assert_cmpint (kill (pid, SIGTERM), ==, 0);
  stopped = g_get_monotonic_time ();
  g_assert_true (wait_flag (&gone, WAIT_MS));
  g_test_message ("nm-running FALSE %.2f s after SIGTERM", (g_get_monotonic_time () - stopped) / 1e6);

  /* Nobody can keep the change now: confirming fails, and says so, at once. */
  waiter.done = FALSE;
  vmd_bridge_manager_confirm_async (manager, NULL, on_done, &waiter);
  g_assert_true (wait_flag (&waiter.done, 5000));
  g_assert_false (vmd_bridge_manager_confirm_finish (manager, waiter.result, &error));
  g_assert_nonnull (error);
  g_test_message ("confirm: %s", error->message);
  g_clear_object (&waiter.result);
  g_clear_error (&error);

  /* A while longer: whatever follows NetworkManager's exit comes now. */
  waiter.done = FALSE;
  wait_flag (&waiter.done, 1000);
  on_tick (&dog);
  g_source_remove (tick);
  g_test_message ("longest main-loop gap %.0f ms (at %.2f s after SIGTERM); rolled-back signal %s; "
                  "br5 %s in the kernel", dog.max_gap / 1000.0, (dog.max_at - stopped) / 1e6,
                  rolled_back ? "emitted" : "not emitted", link_exists ("br5") ? "still" : "no longer");
  g_assert_cmpint (dog.max_gap, <, 250 * 1000);

  /* "Rolled back" must be true when it is said. */
  if (rolled_back && link_exists ("br5"))
    g_test_incomplete ("VmdBridgeManager emits rolled-back when NetworkManager's checkpoint list "
                       "empties because NetworkManager stopped, though nothing was rolled back: "
                       "br5 is still up in the kernel and saved as a profile");
}

static void
test_needs_harness (void)
{
  g_test_skip ("run through tests/network/run-network-test.sh (needs VMDESK_NM_NETNS and a "
               "private DBUS_SYSTEM_BUS_ADDRESS)");
}

int
main (int    argc,
      char **argv)
{
  const char *bus = g_getenv ("DBUS_SYSTEM_BUS_ADDRESS");

  g_test_init (&argc, &argv, NULL);
  /* Never the host's NetworkManager: only the one run-network-test.sh started. */
  netns = g_getenv ("VMDESK_NM_NETNS");
  if (netns == NULL || bus == NULL || strstr (bus, "/run/dbus/") != NULL ||
      !g_str_has_prefix (bus, "unix:path="))
    g_test_add_func ("/network/nm-stop/needs-harness", test_needs_harness);
  else
    g_test_add_func ("/network/nm-stop/before-confirm", test_nm_stops_before_confirm);
  return g_test_run ();
}
