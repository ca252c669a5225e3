/* NetworkManager stops in the middle of a bridge change: a bridge (with veth0 as its port) made
 * under a checkpoint, not yet confirmed, and NetworkManager goes (SIGTERM). NetworkManager keeps
 * checkpoints in memory only, so nothing is rolled back then. VM Desk must not hang or crash,
 * must say that NetworkManager is gone, must refuse to "keep" a change nobody can keep now, and
 * must not claim a rollback that did not happen; when NetworkManager is started again it undoes
 * the change itself and only then says "rolled-back": br5 and its profiles gone, veth0 back on
 * its profile and address. The kernel is asked what is left. Run by
 * tests/network/run-network-test.sh, which starts a NetworkManager for this binary alone (and
 * says how to start it again) and cleans up after it (the namespace goes, and every interface
 * with it). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "vmd-bridge-manager.h"
#include "vmd-error.h"
#include "vmd-nm-test-util.h"

#define WAIT_MS 20000

static const char *netns;

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

/* `ip -n NS -j ARGS...`; NULL if ip failed (for example: no such device). */
static gboolean
has_address (const char *device,
             const char *address,
             guint       prefix)
{
  g_autofree char *out = vmd_nm_test_ip_json ("addr", "show", "dev", device, NULL);
  g_autofree char *expected = g_strdup_printf ("\"local\":\"%s\",\"prefixlen\":%u", address, prefix);

  return out != NULL && strstr (out, expected) != NULL;
}

static gboolean
profile_exists (VmdBridgeManager *manager,
                const char       *id)
{
  g_autoptr(GPtrArray) profiles = vmd_bridge_manager_dup_profiles (manager);

  return vmd_nm_test_find_profile (profiles, id) != NULL;
}

static gboolean
profile_active (VmdBridgeManager *manager,
                const char       *id)
{
  g_autoptr(GPtrArray) profiles = vmd_bridge_manager_dup_profiles (manager);
  VmdNetProfile *profile = vmd_nm_test_find_profile (profiles, id);

  return profile != NULL && profile->active;
}

/* Polls every 100 ms until check () holds or timeout_ms pass. */
typedef gboolean (*Check) (VmdBridgeManager *manager);

typedef struct {
  VmdBridgeManager *manager;
  Check             check;
  gboolean          holds;
} Poll;

static gboolean
on_poll (gpointer user_data)
{
  Poll *poll = user_data;

  poll->holds = poll->check (poll->manager);
  return poll->holds ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean
wait_until (VmdBridgeManager *manager,
            Check             check,
            guint             timeout_ms)
{
  Poll poll = { manager, check, check (manager) };
  guint id;

  if (poll.holds)
    return TRUE;
  id = g_timeout_add (100, on_poll, &poll);
  if (!vmd_nm_test_wait_flag (&poll.holds, timeout_ms))
    g_source_remove (id);
  return poll.holds;
}

static gboolean
br5_gone (VmdBridgeManager *manager)
{
  return !vmd_nm_test_link_exists ("br5");
}

static gboolean
veth0_back (VmdBridgeManager *manager)
{
  return profile_active (manager, "veth0-lan") && has_address ("veth0", "10.77.0.2", 24);
}

static gboolean
keyfile_exists (const char *id)
{
  g_autofree char *name = g_strdup_printf ("%s.nmconnection", id);
  g_autofree char *path = g_build_filename (g_getenv ("VMDESK_NM_DIR"), "etc-nm",
                                            "system-connections", name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
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
on_rolled_back (VmdBridgeManager *manager,
                const char       *reason,
                char            **said)
{
  g_free (*said);
  *said = g_strdup (reason);
}

static void
on_nm_running (GObject    *object,
               GParamSpec *pspec,
               gboolean   *running)
{
  *running = vmd_bridge_manager_get_nm_running (VMD_BRIDGE_MANAGER (object));
}

/* data: NULL to start NetworkManager again with its /run kept (a service restart: the profiles
 * it had in memory come back), "--fresh-run" with /run emptied (as after a reboot). */
static void
test_nm_stops_before_confirm (gconstpointer data)
{
  const char *start_option = data;
  g_autoptr(VmdBridgeManager) manager = NULL;
  g_autoptr(VmdBridgeSettings) settings = vmd_bridge_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *restart = NULL;
  g_autofree char *rolled_back = NULL;
  g_autofree char *master = NULL;
  VmdNmTestWaiter waiter = { 0 };
  Watchdog dog = { 0 };
  gboolean running = TRUE, never = FALSE;   /* never: to wait a while on */
  gint64 stopped, restarted;
  guint tick;
  pid_t pid;

  vmd_bridge_manager_new_async (NULL, NULL, vmd_nm_test_waiter_done, &waiter);
  g_assert_true (vmd_nm_test_wait_flag (&waiter.done, WAIT_MS));
  manager = vmd_bridge_manager_new_finish (waiter.result, &error);
  g_assert_no_error (error);
  g_clear_object (&waiter.result);
  g_assert_true (vmd_bridge_manager_get_nm_running (manager));

  /* veth0 on a profile of its own first: the one the bridge takes over, and the undo gives back. */
  if (!profile_exists (manager, "veth0-lan"))
    vmd_nm_test_run ("nmcli connection add type ethernet con-name veth0-lan ifname veth0 ipv4.method manual "
         "ipv4.addresses 10.77.0.2/24 ipv6.method disabled");
  vmd_nm_test_run ("nmcli connection up veth0-lan");
  g_assert_true (wait_until (manager, veth0_back, WAIT_MS));

  g_free (settings->name);
  settings->name = g_strdup ("br5");
  settings->dhcp = FALSE;
  settings->address = g_strdup ("10.66.0.1/24");
  settings->port = g_strdup ("veth0");
  waiter.done = FALSE;
  vmd_bridge_manager_create_bridge_async (manager, settings, 60, NULL, vmd_nm_test_waiter_done,
                                          &waiter);
  g_assert_true (vmd_nm_test_wait_flag (&waiter.done, WAIT_MS));
  g_assert_true (vmd_bridge_manager_create_bridge_finish (manager, waiter.result, &error));
  g_assert_no_error (error);
  g_clear_object (&waiter.result);
  g_assert_nonnull (vmd_bridge_manager_get_pending_checkpoint (manager));
  g_assert_true (vmd_nm_test_link_exists ("br5"));
  g_assert_true (has_address ("br5", "10.66.0.1", 24));
  master = vmd_nm_test_link_master ("veth0");
  g_assert_cmpstr (master, ==, "br5");
  g_clear_pointer (&master, g_free);
  /* Not kept yet: nothing of it on disk. */
  g_assert_true (profile_exists (manager, "br5"));
  g_assert_false (keyfile_exists ("br5"));
  g_assert_false (keyfile_exists ("br5-port-veth0"));

  g_signal_connect (manager, "rolled-back", G_CALLBACK (on_rolled_back), &rolled_back);
  g_signal_connect (manager, "notify::nm-running", G_CALLBACK (on_nm_running), &running);
  dog.last = g_get_monotonic_time ();
  tick = g_timeout_add (50, on_tick, &dog);

  pid = nm_pid ();
  g_assert_cmpint (pid, >, 1);
  g_assert_cmpint (kill (pid, SIGTERM), ==, 0);
  stopped = g_get_monotonic_time ();
  while (running && g_get_monotonic_time () - stopped < WAIT_MS * 1000)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (running);
  g_test_message ("nm-running FALSE %.2f s after SIGTERM", (g_get_monotonic_time () - stopped) / 1e6);

  /* Nobody can keep the change now: confirming fails, and says so, at once. */
  g_assert_nonnull (vmd_bridge_manager_get_interrupted (manager));
  g_test_message ("interrupted: %s", vmd_bridge_manager_get_interrupted (manager));
  waiter.done = FALSE;
  vmd_bridge_manager_confirm_async (manager, NULL, vmd_nm_test_waiter_done, &waiter);
  g_assert_true (vmd_nm_test_wait_flag (&waiter.done, 5000));
  g_assert_false (vmd_bridge_manager_confirm_finish (manager, waiter.result, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING);
  g_assert_nonnull (strstr (error->message, "NetworkManager is not running"));
  g_test_message ("confirm: %s", error->message);
  g_clear_object (&waiter.result);
  g_clear_error (&error);

  /* A while longer: whatever follows NetworkManager's exit comes now. Nothing was rolled back,
   * and nothing says so. */
  vmd_nm_test_wait_flag (&never, 1000);
  on_tick (&dog);
  g_source_remove (tick);
  g_test_message ("longest main-loop gap %.0f ms (at %.2f s after SIGTERM); br5 %s in the kernel",
                  dog.max_gap / 1000.0, (dog.max_at - stopped) / 1e6,
                  vmd_nm_test_link_exists ("br5") ? "still" : "no longer");
  g_assert_cmpint (dog.max_gap, <, 250 * 1000);
  g_assert_null (rolled_back);
  g_assert_true (vmd_nm_test_link_exists ("br5"));
  g_assert_nonnull (vmd_bridge_manager_get_pending_checkpoint (manager));
  g_assert_false (keyfile_exists ("br5"));

  /* NetworkManager again, as nm-up.sh started it: the change is undone, then said so. */
  restart = g_strdup_printf ("%s %s %s %s", g_getenv ("VMDESK_NM_START"), netns,
                             g_getenv ("VMDESK_NM_DIR"), start_option != NULL ? start_option : "");
  restarted = g_get_monotonic_time ();
  vmd_nm_test_run (restart);
  g_test_message ("NetworkManager restarted in %.2f s", (g_get_monotonic_time () - restarted) / 1e6);
  restarted = g_get_monotonic_time ();
  while (rolled_back == NULL && g_get_monotonic_time () - restarted < 10 * G_USEC_PER_SEC)
    vmd_nm_test_wait_flag (&never, 100);
  g_assert_nonnull (rolled_back);
  g_test_message ("rolled-back %.2f s after NetworkManager was back: %s",
                  (g_get_monotonic_time () - restarted) / 1e6, rolled_back);
  g_assert_true (vmd_bridge_manager_get_nm_running (manager));
  g_assert_null (vmd_bridge_manager_get_pending_checkpoint (manager));
  g_assert_null (vmd_bridge_manager_get_interrupted (manager));

  g_assert_false (profile_exists (manager, "br5"));
  g_assert_false (profile_exists (manager, "br5-port-veth0"));
  g_assert_false (keyfile_exists ("br5"));
  g_assert_false (keyfile_exists ("br5-port-veth0"));
  g_assert_true (wait_until (manager, br5_gone, 5000));
  master = vmd_nm_test_link_master ("veth0");
  g_assert_null (master);
  g_assert_true (wait_until (manager, veth0_back, 5000));
  g_test_message ("veth0 back on veth0-lan with 10.77.0.2/24 %.2f s after NetworkManager was back",
                  (g_get_monotonic_time () - restarted) / 1e6);

  /* Nothing pending: confirm says so plainly. */
  waiter.done = FALSE;
  vmd_bridge_manager_confirm_async (manager, NULL, vmd_nm_test_waiter_done, &waiter);
  g_assert_true (vmd_nm_test_wait_flag (&waiter.done, 5000));
  g_assert_false (vmd_bridge_manager_confirm_finish (manager, waiter.result, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_clear_object (&waiter.result);
}

static void
test_needs_harness (void)
{
  g_test_skip ("run through tests/network/run-network-test.sh (needs VMDESK_NM_NETNS, "
               "VMDESK_NM_START, VMDESK_NM_DIR and a private DBUS_SYSTEM_BUS_ADDRESS)");
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
      !g_str_has_prefix (bus, "unix:path=") || g_getenv ("VMDESK_NM_START") == NULL ||
      g_getenv ("VMDESK_NM_DIR") == NULL)
    g_test_add_func ("/network/nm-stop/needs-harness", test_needs_harness);
  else
    {
      g_test_add_data_func ("/network/nm-stop/before-confirm/restart", NULL,
                            test_nm_stops_before_confirm);
      g_test_add_data_func ("/network/nm-stop/before-confirm/reboot", "--fresh-run",
                            test_nm_stops_before_confirm);
    }
  return g_test_run ();
}
