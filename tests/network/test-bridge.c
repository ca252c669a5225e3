/* VmdBridgeManager against a real NetworkManager in its own network namespace on a private bus
 * (tests/network/run-network-test.sh starts both). The kernel's view is read with `ip -n NS`.
 * The cases run in order and build on each other: br0 is made, then left, then deleted. */
#include "config.h"

#include <grp.h>
#include <string.h>
#include <unistd.h>

#include "vmd-bridge-manager.h"
#include "vmd-error.h"
#include "vmd-nm-test-util.h"

#define WAIT_MS 20000

static const char *netns;
static VmdBridgeManager *manager;

/* --- waiting ------------------------------------------------------------------------------ */

static GAsyncResult *
await (VmdNmTestWaiter *waiter)
{
  g_assert_true (vmd_nm_test_wait_flag (&waiter->done, WAIT_MS));
  return waiter->result;
}

static VmdBridgeManager *
new_manager (GDBusConnection *bus)
{
  VmdNmTestWaiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  VmdBridgeManager *result;

  vmd_bridge_manager_new_async (bus, NULL, vmd_nm_test_waiter_done, &waiter);
  result = vmd_bridge_manager_new_finish (await (&waiter), &error);
  g_assert_no_error (error);
  g_object_unref (waiter.result);
  return result;
}

static gboolean
create_bridge (const VmdBridgeSettings  *settings,
               guint                     timeout_s,
               GError                  **error)
{
  VmdNmTestWaiter waiter = { 0 };
  gboolean ok;

  vmd_bridge_manager_create_bridge_async (manager, settings, timeout_s, NULL, vmd_nm_test_waiter_done,
                                          &waiter);
  ok = vmd_bridge_manager_create_bridge_finish (manager, await (&waiter), error);
  g_object_unref (waiter.result);
  return ok;
}

static gboolean
delete_bridge (const char  *name,
               guint        timeout_s,
               GError     **error)
{
  VmdNmTestWaiter waiter = { 0 };
  gboolean ok;

  vmd_bridge_manager_delete_bridge_async (manager, name, timeout_s, NULL, vmd_nm_test_waiter_done,
                                          &waiter);
  ok = vmd_bridge_manager_delete_bridge_finish (manager, await (&waiter), error);
  g_object_unref (waiter.result);
  return ok;
}

static gboolean
confirm (GError **error)
{
  VmdNmTestWaiter waiter = { 0 };
  gboolean ok;

  vmd_bridge_manager_confirm_async (manager, NULL, vmd_nm_test_waiter_done, &waiter);
  ok = vmd_bridge_manager_confirm_finish (manager, await (&waiter), error);
  g_object_unref (waiter.result);
  return ok;
}

static gboolean
rollback (GError **error)
{
  VmdNmTestWaiter waiter = { 0 };
  gboolean ok;

  vmd_bridge_manager_rollback_async (manager, NULL, vmd_nm_test_waiter_done, &waiter);
  ok = vmd_bridge_manager_rollback_finish (manager, await (&waiter), error);
  g_object_unref (waiter.result);
  return ok;
}

/* --- what the kernel and NetworkManager say ------------------------------------------------------ */

static gboolean link_gone_flag;

static gboolean
on_poll_link (gpointer user_data)
{
  link_gone_flag = !vmd_nm_test_link_exists (user_data);
  return link_gone_flag ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* NetworkManager removes a software device a moment after its profile goes. */
static gboolean
wait_link_gone (const char *name)
{
  guint id;
  gboolean ok;

  link_gone_flag = !vmd_nm_test_link_exists (name);
  if (link_gone_flag)
    return TRUE;
  id = g_timeout_add (100, on_poll_link, (gpointer) name);
  ok = vmd_nm_test_wait_flag (&link_gone_flag, 10000);
  if (!ok)
    g_source_remove (id);
  return ok;
}

static void
assert_has_address (const char *device,
                    const char *address,
                    guint       prefix)
{
  g_autofree char *out = vmd_nm_test_ip_json ("addr", "show", "dev", device, NULL);
  g_autofree char *expected = g_strdup_printf ("\"local\":\"%s\",\"prefixlen\":%u", address, prefix);

  g_assert_nonnull (out);
  g_assert_nonnull (strstr (out, expected));
}

static gboolean
profile_active (const char *id)
{
  g_autoptr(GPtrArray) profiles = vmd_bridge_manager_dup_profiles (manager);
  VmdNetProfile *profile = vmd_nm_test_find_profile (profiles, id);

  return profile != NULL && profile->active;
}

/* Written to disk, not only in NetworkManager's memory. */
static gboolean
profile_saved (const char *id)
{
  g_autoptr(GPtrArray) profiles = vmd_bridge_manager_dup_profiles (manager);
  VmdNetProfile *profile = vmd_nm_test_find_profile (profiles, id);

  g_assert_nonnull (profile);
  return profile->saved;
}

/* The keyfile in NetworkManager's private /etc/NetworkManager/system-connections: nm-up.sh
 * bind-mounts DIR/etc-nm there, and DIR is where the bus socket is. */
static gboolean
keyfile_exists (const char *id)
{
  const char *bus = g_getenv ("DBUS_SYSTEM_BUS_ADDRESS");
  g_autofree char *dir = g_path_get_dirname (bus + strlen ("unix:path="));
  g_autofree char *name = g_strdup_printf ("%s.nmconnection", id);
  g_autofree char *path = g_build_filename (dir, "etc-nm", "system-connections", name, NULL);

  g_assert_true (g_str_has_prefix (bus, "unix:path="));
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
profile_exists (const char *id)
{
  g_autoptr(GPtrArray) profiles = vmd_bridge_manager_dup_profiles (manager);

  return vmd_nm_test_find_profile (profiles, id) != NULL;
}

static gboolean profile_active_flag;

static gboolean
on_poll_profile (gpointer user_data)
{
  profile_active_flag = profile_active (user_data);
  return profile_active_flag ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean
wait_profile_active (const char *id)
{
  guint id_poll;
  gboolean ok;

  profile_active_flag = profile_active (id);
  if (profile_active_flag)
    return TRUE;
  id_poll = g_timeout_add (100, on_poll_profile, (gpointer) id);
  ok = vmd_nm_test_wait_flag (&profile_active_flag, WAIT_MS);
  if (!ok)
    g_source_remove (id_poll);
  return ok;
}

static void
run_nmcli (const char *command)
{
  g_autofree char *line = g_strdup_printf ("nmcli %s", command);

  vmd_nm_test_run (line);
}

static VmdBridgeSettings *
br0_settings (void)
{
  VmdBridgeSettings *settings = vmd_bridge_settings_new ();

  g_free (settings->name);
  settings->name = g_strdup ("br0");
  settings->stp = FALSE;
  settings->dhcp = FALSE;
  settings->address = g_strdup ("192.168.1.80/24");
  settings->gateway = g_strdup ("192.168.1.1");
  settings->dns = g_strdup ("192.168.1.1");
  settings->port = g_strdup ("veth0");
  return settings;
}

/* --- the cases ------------------------------------------------------------------------------ */

/* A bus where nobody owns NetworkManager's name: a clear error, nothing attempted. */
static void
test_nm_not_running (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(VmdBridgeManager) lonely = NULL;
  g_autoptr(VmdBridgeSettings) settings = br0_settings ();
  g_autoptr(GError) error = NULL;
  VmdNmTestWaiter waiter = { 0 };

  g_test_dbus_up (bus);
  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  lonely = new_manager (connection);
  g_assert_false (vmd_bridge_manager_get_nm_running (lonely));
  vmd_bridge_manager_create_bridge_async (lonely, settings, 10, NULL, vmd_nm_test_waiter_done, &waiter);
  g_assert_false (vmd_bridge_manager_create_bridge_finish (lonely, await (&waiter), &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING);
  g_test_message ("%s", error->message);
  g_object_unref (waiter.result);
  g_clear_object (&lonely);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_clear_object (&connection);
  g_test_dbus_down (bus);
}

/* An unprivileged user (nobody) is refused with a clear message and nothing changes. The check
 * runs in a subprocess that drops root before it connects to the bus. */
static void
test_permission_denied (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GDBusConnection) connection = NULL;
      g_autoptr(VmdBridgeManager) user_manager = NULL;
      g_autoptr(VmdBridgeSettings) settings = br0_settings ();
      g_autoptr(GError) error = NULL;
      VmdNmTestWaiter waiter = { 0 };

      g_assert_cmpint (setgroups (0, NULL), ==, 0);
      g_assert_cmpint (setregid (65534, 65534), ==, 0);
      g_assert_cmpint (setreuid (65534, 65534), ==, 0);
      connection = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"),
                                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                           G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                           NULL, NULL, &error);
      g_assert_no_error (error);
      user_manager = new_manager (connection);
      g_assert_true (vmd_bridge_manager_get_nm_running (user_manager));
      vmd_bridge_manager_create_bridge_async (user_manager, settings, 10, NULL, vmd_nm_test_waiter_done,
                                              &waiter);
      g_assert_false (vmd_bridge_manager_create_bridge_finish (user_manager, await (&waiter), &error));
      g_assert_error (error, VMD_ERROR, VMD_ERROR_PERMISSION_DENIED);
      g_printerr ("%s\n", error->message);
      g_object_unref (waiter.result);
      g_assert_null (vmd_bridge_manager_get_pending_checkpoint (user_manager));
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*not allowed*");
  g_assert_false (profile_exists ("br0"));
  g_assert_false (vmd_nm_test_link_exists ("br0"));
}

/* veth0 gets a profile of its own first: the one the bridge takes over and delete gives back. */
static void
test_nic_profile (void)
{
  g_autoptr(VmdBridgeSettings) suggested = NULL;
  g_autoptr(GError) error = NULL;

  run_nmcli ("connection add type ethernet con-name veth0-lan ifname veth0 ipv4.method manual "
             "ipv4.addresses 10.77.0.2/24 ipv6.method disabled");
  run_nmcli ("connection up veth0-lan");
  g_assert_true (wait_profile_active ("veth0-lan"));
  assert_has_address ("veth0", "10.77.0.2", 24);

  suggested = vmd_bridge_manager_suggest_settings (manager, "veth0", &error);
  g_assert_no_error (error);
  g_assert_false (suggested->dhcp);
  g_assert_cmpstr (suggested->address, ==, "10.77.0.2/24");
  g_assert_cmpstr (suggested->port, ==, "veth0");
}

static void
test_create_br0 (void)
{
  g_autoptr(VmdBridgeSettings) settings = br0_settings ();
  g_autoptr(GError) error = NULL;
  g_autofree char *master = NULL;
  g_autofree char *details = NULL;
  gint64 start = g_get_monotonic_time ();

  create_bridge (settings, 60, &error);
  g_assert_no_error (error);
  g_test_message ("create took %.2f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_nonnull (vmd_bridge_manager_get_pending_checkpoint (manager));
  /* Until it is kept, the change lives in NetworkManager's memory only. */
  g_assert_false (profile_saved ("br0"));
  g_assert_false (profile_saved ("br0-port-veth0"));
  g_assert_false (keyfile_exists ("br0"));
  confirm (&error);
  g_assert_no_error (error);
  g_assert_null (vmd_bridge_manager_get_pending_checkpoint (manager));
  /* Kept: on disk, so it comes back when NetworkManager (or the computer) restarts. */
  g_assert_true (profile_saved ("br0"));
  g_assert_true (profile_saved ("br0-port-veth0"));
  g_assert_true (keyfile_exists ("br0"));
  g_assert_true (keyfile_exists ("br0-port-veth0"));

  assert_has_address ("br0", "192.168.1.80", 24);
  master = vmd_nm_test_link_master ("veth0");
  g_assert_cmpstr (master, ==, "br0");
  details = vmd_nm_test_ip_json ("-d", "link", "show", "dev", "br0", NULL);
  g_assert_nonnull (strstr (details, "\"stp_state\":0"));
  g_assert_true (profile_active ("br0"));
  g_assert_false (profile_active ("veth0-lan"));
}

static void
test_listing (void)
{
  g_autoptr(GPtrArray) devices = vmd_bridge_manager_dup_devices (manager);
  gboolean seen_bridge = FALSE, seen_port = FALSE;

  for (guint i = 0; i < devices->len; i++)
    {
      VmdNetDevice *device = devices->pdata[i];

      g_test_message ("%s %s %s profile=%s controller=%s", device->interface, device->kind,
                      device->state, device->profile, device->controller);
      if (g_str_equal (device->interface, "br0"))
        {
          seen_bridge = TRUE;
          g_assert_cmpstr (device->kind, ==, "bridge");
          g_assert_true (g_strv_contains ((const char * const *) device->ports, "veth0"));
          g_assert_true (g_strv_contains ((const char * const *) device->addresses, "192.168.1.80/24"));
        }
      if (g_str_equal (device->interface, "veth0"))
        {
          seen_port = TRUE;
          g_assert_cmpstr (device->controller, ==, "br0");
        }
    }
  g_assert_true (seen_bridge && seen_port);
}

static void
test_refusals (void)
{
  g_autoptr(VmdBridgeSettings) settings = br0_settings ();
  g_autoptr(GPtrArray) before = vmd_bridge_manager_dup_profiles (manager);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) exists = NULL;
  g_autoptr(GError) loopback = NULL;
  g_autoptr(GError) unmanaged = NULL;
  g_autoptr(GError) taken = NULL;
  g_autoptr(GError) invalid = NULL;

  g_assert_false (create_bridge (settings, 10, &exists));
  g_assert_error (exists, VMD_ERROR, VMD_ERROR_EXISTS);

  g_free (settings->name);
  settings->name = g_strdup ("br9");
  g_free (settings->port);
  settings->port = g_strdup ("lo");
  g_assert_false (create_bridge (settings, 10, &loopback));
  g_assert_error (loopback, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE);

  g_free (settings->port);
  settings->port = g_strdup ("veth1");
  g_assert_false (create_bridge (settings, 10, &unmanaged));
  g_assert_error (unmanaged, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE);

  g_free (settings->port);
  settings->port = g_strdup ("veth0");
  g_assert_false (create_bridge (settings, 10, &taken));
  g_assert_error (taken, VMD_ERROR, VMD_ERROR_INVALID_STATE);

  g_free (settings->gateway);
  settings->gateway = g_strdup ("10.0.0.1");
  g_assert_false (create_bridge (settings, 10, &invalid));
  g_assert_error (invalid, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS);

  g_test_message ("%s | %s | %s | %s | %s", exists->message, loopback->message, unmanaged->message,
                  taken->message, invalid->message);
  after = vmd_bridge_manager_dup_profiles (manager);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_null (vmd_bridge_manager_get_pending_checkpoint (manager));
}

static void
on_rolled_back (VmdBridgeManager *self,
                const char       *reason,
                gboolean         *flag)
{
  g_test_message ("rolled-back: %s", reason);
  *flag = TRUE;
}

/* Nobody answers "Keep these settings?": NetworkManager undoes the change by itself. */
static void
test_unconfirmed_rolls_back (void)
{
  g_autoptr(VmdBridgeSettings) settings = vmd_bridge_settings_new ();
  g_autoptr(GError) error = NULL;
  gboolean rolled_back = FALSE;
  gulong id = g_signal_connect (manager, "rolled-back", G_CALLBACK (on_rolled_back), &rolled_back);
  gint64 start;

  g_free (settings->name);
  settings->name = g_strdup ("br1");
  settings->dhcp = FALSE;
  settings->address = g_strdup ("10.88.0.1/24");
  create_bridge (settings, 3, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_nm_test_link_exists ("br1"));
  assert_has_address ("br1", "10.88.0.1", 24);
  g_assert_true (profile_exists ("br1"));

  start = g_get_monotonic_time ();
  g_assert_true (vmd_nm_test_wait_flag (&rolled_back, 15000));
  g_test_message ("rolled back %.1f s after the change", (g_get_monotonic_time () - start) / 1e6);
  g_signal_handler_disconnect (manager, id);
  g_assert_null (vmd_bridge_manager_get_pending_checkpoint (manager));
  g_assert_false (profile_exists ("br1"));
  g_assert_true (wait_link_gone ("br1"));
  g_assert_false (profile_exists ("br1"));
  /* br0, confirmed before, is untouched. */
  assert_has_address ("br0", "192.168.1.80", 24);

  g_assert_false (confirm (&error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
}

static void
test_explicit_rollback (void)
{
  g_autoptr(VmdBridgeSettings) settings = vmd_bridge_settings_new ();
  g_autoptr(GError) error = NULL;

  g_free (settings->name);
  settings->name = g_strdup ("br2");
  settings->dhcp = FALSE;
  settings->address = g_strdup ("10.99.0.1/24");
  create_bridge (settings, 60, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_nm_test_link_exists ("br2"));
  rollback (&error);
  g_assert_no_error (error);
  g_assert_true (wait_link_gone ("br2"));
  g_assert_false (profile_exists ("br2"));
}

static void
test_delete_br0 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) missing = NULL;
  g_autofree char *master = NULL;

  delete_bridge ("br0", 60, &error);
  g_assert_no_error (error);
  confirm (&error);
  g_assert_no_error (error);

  g_assert_true (wait_link_gone ("br0"));
  g_assert_false (profile_exists ("br0"));
  g_assert_false (profile_exists ("br0-port-veth0"));
  master = vmd_nm_test_link_master ("veth0");
  g_assert_null (master);
  g_assert_true (wait_profile_active ("veth0-lan"));
  assert_has_address ("veth0", "10.77.0.2", 24);

  g_assert_false (delete_bridge ("br0", 60, &missing));
  g_assert_error (missing, VMD_ERROR, VMD_ERROR_NOT_FOUND);
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
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Never the host's NetworkManager: only the one run-network-test.sh started. */
  netns = g_getenv ("VMDESK_NM_NETNS");
  if (netns == NULL || bus == NULL || strstr (bus, "/run/dbus/") != NULL)
    {
      g_test_add_func ("/network/bridge/needs-harness", test_needs_harness);
      return g_test_run ();
    }
  manager = new_manager (NULL);
  g_assert_true (vmd_bridge_manager_get_nm_running (manager));

  g_test_add_func ("/network/bridge/nm-not-running", test_nm_not_running);
  g_test_add_func ("/network/bridge/permission-denied", test_permission_denied);
  g_test_add_func ("/network/bridge/nic-profile", test_nic_profile);
  g_test_add_func ("/network/bridge/create", test_create_br0);
  g_test_add_func ("/network/bridge/listing", test_listing);
  g_test_add_func ("/network/bridge/refusals", test_refusals);
  g_test_add_func ("/network/bridge/unconfirmed-rolls-back", test_unconfirmed_rolls_back);
  g_test_add_func ("/network/bridge/explicit-rollback", test_explicit_rollback);
  g_test_add_func ("/network/bridge/delete", test_delete_br0);

  status = g_test_run ();
  g_clear_object (&manager);
  return status;
}
