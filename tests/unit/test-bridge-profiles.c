/* The bridge's NetworkManager profiles, built and matched without a NetworkManager
 * (src/net/vmd-bridge-profiles.c): what the bridge and its port carry (STP, addresses,
 * gateway, DNS, autoconnect-slaves, master and slave-type), that NetworkManager's own checks
 * pass, and which saved profile gives a NIC back its settings. */
#include "config.h"

#include "vmd-bridge-profiles.h"
#include "vmd-error.h"

static VmdBridgeSettings *
static_settings (void)
{
  VmdBridgeSettings *settings = vmd_bridge_settings_new ();

  settings->dhcp = FALSE;
  settings->address = g_strdup ("192.168.1.80/24");
  settings->gateway = g_strdup (" 192.168.1.1 ");
  settings->dns = g_strdup ("192.168.1.1, 9.9.9.9");
  settings->port = g_strdup ("veth0");
  return settings;
}

static void
assert_verifies (NMConnection *connection)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (nm_connection_verify (connection, &error));
  g_assert_no_error (error);
}

/* A profile as nmcli or another program would have saved it. */
static NMConnection *
saved_profile (const char *id,
               const char *type,
               const char *interface,
               const char *master)
{
  NMConnection *connection = nm_simple_connection_new ();
  NMSetting *s_con = nm_setting_connection_new ();
  g_autofree char *uuid = nm_utils_uuid_generate ();

  g_object_set (s_con, NM_SETTING_CONNECTION_ID, id, NM_SETTING_CONNECTION_UUID, uuid,
                NM_SETTING_CONNECTION_TYPE, type, NM_SETTING_CONNECTION_INTERFACE_NAME, interface,
                NULL);
  if (master != NULL)
    g_object_set (s_con, NM_SETTING_CONNECTION_MASTER, master,
                  NM_SETTING_CONNECTION_SLAVE_TYPE, NM_SETTING_BRIDGE_SETTING_NAME, NULL);
  nm_connection_add_setting (connection, s_con);
  return connection;
}

/* --- the bridge ---------------------------------------------------------------------------- */

static void
test_bridge_static (void)
{
  g_autoptr(VmdBridgeSettings) settings = static_settings ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NMConnection) bridge = vmd_bridge_profiles_new_bridge (settings, &error);
  NMSettingConnection *s_con;
  NMSettingIPConfig *s_ip4, *s_ip6;
  NMIPAddress *address;

  g_assert_no_error (error);
  g_assert_nonnull (bridge);
  assert_verifies (bridge);
  s_con = nm_connection_get_setting_connection (bridge);
  g_assert_cmpstr (nm_setting_connection_get_id (s_con), ==, "br0");
  g_assert_cmpstr (nm_connection_get_connection_type (bridge), ==, NM_SETTING_BRIDGE_SETTING_NAME);
  g_assert_cmpstr (nm_connection_get_interface_name (bridge), ==, "br0");
  g_assert_true (g_uuid_string_is_valid (nm_connection_get_uuid (bridge)));
  /* Rollback re-activates the bridge: its ports must come up with it. */
  g_assert_cmpint (nm_setting_connection_get_autoconnect_slaves (s_con), ==,
                   NM_SETTING_CONNECTION_AUTOCONNECT_SLAVES_YES);
  g_assert_false (nm_setting_bridge_get_stp (nm_connection_get_setting_bridge (bridge)));

  s_ip4 = nm_connection_get_setting_ip4_config (bridge);
  g_assert_cmpstr (nm_setting_ip_config_get_method (s_ip4), ==, NM_SETTING_IP4_CONFIG_METHOD_MANUAL);
  g_assert_cmpuint (nm_setting_ip_config_get_num_addresses (s_ip4), ==, 1);
  address = nm_setting_ip_config_get_address (s_ip4, 0);
  g_assert_cmpstr (nm_ip_address_get_address (address), ==, "192.168.1.80");
  g_assert_cmpuint (nm_ip_address_get_prefix (address), ==, 24);
  g_assert_cmpstr (nm_setting_ip_config_get_gateway (s_ip4), ==, "192.168.1.1");
  g_assert_cmpuint (nm_setting_ip_config_get_num_dns (s_ip4), ==, 2);
  g_assert_cmpstr (nm_setting_ip_config_get_dns (s_ip4, 0), ==, "192.168.1.1");
  g_assert_cmpstr (nm_setting_ip_config_get_dns (s_ip4, 1), ==, "9.9.9.9");
  s_ip6 = nm_connection_get_setting_ip6_config (bridge);
  g_assert_cmpstr (nm_setting_ip_config_get_method (s_ip6), ==, NM_SETTING_IP6_CONFIG_METHOD_AUTO);
  g_assert_true (nm_setting_ip_config_get_may_fail (s_ip6));
  /* The caller's settings are read, never changed. */
  g_assert_cmpstr (settings->gateway, ==, " 192.168.1.1 ");
}

static void
test_bridge_dhcp_stp (void)
{
  g_autoptr(VmdBridgeSettings) settings = vmd_bridge_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NMConnection) bridge = NULL;
  NMSettingIPConfig *s_ip4;

  g_free (settings->name);
  settings->name = g_strdup ("vmbr7");
  settings->stp = TRUE;
  bridge = vmd_bridge_profiles_new_bridge (settings, &error);
  g_assert_no_error (error);
  assert_verifies (bridge);
  g_assert_cmpstr (nm_connection_get_id (bridge), ==, "vmbr7");
  g_assert_cmpstr (nm_connection_get_interface_name (bridge), ==, "vmbr7");
  g_assert_true (nm_setting_bridge_get_stp (nm_connection_get_setting_bridge (bridge)));
  s_ip4 = nm_connection_get_setting_ip4_config (bridge);
  g_assert_cmpstr (nm_setting_ip_config_get_method (s_ip4), ==, NM_SETTING_IP4_CONFIG_METHOD_AUTO);
  g_assert_cmpuint (nm_setting_ip_config_get_num_addresses (s_ip4), ==, 0);
  g_assert_null (nm_setting_ip_config_get_gateway (s_ip4));
  g_assert_cmpuint (nm_setting_ip_config_get_num_dns (s_ip4), ==, 0);
}

/* No gateway and no DNS servers are fine: an isolated bridge for virtual machines only. */
static void
test_bridge_no_gateway (void)
{
  g_autoptr(VmdBridgeSettings) settings = static_settings ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NMConnection) bridge = NULL;
  NMSettingIPConfig *s_ip4;

  g_clear_pointer (&settings->gateway, g_free);
  g_free (settings->dns);
  settings->dns = g_strdup ("");
  bridge = vmd_bridge_profiles_new_bridge (settings, &error);
  g_assert_no_error (error);
  assert_verifies (bridge);
  s_ip4 = nm_connection_get_setting_ip4_config (bridge);
  g_assert_null (nm_setting_ip_config_get_gateway (s_ip4));
  g_assert_cmpuint (nm_setting_ip_config_get_num_dns (s_ip4), ==, 0);
  g_assert_cmpuint (nm_setting_ip_config_get_num_addresses (s_ip4), ==, 1);
}

static void
test_bridge_bad_address (void)
{
  g_autoptr(VmdBridgeSettings) settings = static_settings ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NMConnection) bridge = NULL;

  g_free (settings->address);
  settings->address = g_strdup ("192.168.1.80");
  bridge = vmd_bridge_profiles_new_bridge (settings, &error);
  g_assert_null (bridge);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS);
}

/* --- the port ------------------------------------------------------------------------------ */

static void
test_port_with_previous (void)
{
  g_autofree char *previous = nm_utils_uuid_generate ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NMConnection) port = vmd_bridge_profiles_new_port ("br0", "veth0", previous, &error);
  NMSettingConnection *s_con;
  NMSettingUser *s_user;

  g_assert_no_error (error);
  assert_verifies (port);
  s_con = nm_connection_get_setting_connection (port);
  g_assert_cmpstr (nm_setting_connection_get_id (s_con), ==, "br0-port-veth0");
  g_assert_cmpstr (nm_connection_get_connection_type (port), ==, NM_SETTING_WIRED_SETTING_NAME);
  g_assert_cmpstr (nm_connection_get_interface_name (port), ==, "veth0");
  /* libnm 1.42: master and slave-type, not controller and port-type. */
  g_assert_cmpstr (nm_setting_connection_get_master (s_con), ==, "br0");
  g_assert_cmpstr (nm_setting_connection_get_slave_type (s_con), ==, NM_SETTING_BRIDGE_SETTING_NAME);
  g_assert_cmpint (nm_setting_connection_get_autoconnect_priority (s_con), ==,
                   VMD_BRIDGE_PORT_AUTOCONNECT_PRIORITY);
  g_assert_nonnull (nm_connection_get_setting_wired (port));
  g_assert_nonnull (nm_connection_get_setting_bridge_port (port));
  /* A port has no addresses of its own: the bridge has them. */
  g_assert_null (nm_connection_get_setting_ip4_config (port));
  g_assert_null (nm_connection_get_setting_ip6_config (port));
  s_user = NM_SETTING_USER (nm_connection_get_setting_by_name (port, NM_SETTING_USER_SETTING_NAME));
  g_assert_nonnull (s_user);
  g_assert_cmpstr (nm_setting_user_get_data (s_user, VMD_BRIDGE_PREVIOUS_PROFILE_KEY), ==, previous);
}

static void
test_port_without_previous (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NMConnection) port = vmd_bridge_profiles_new_port ("br0", "eth1", NULL, &error);

  g_assert_no_error (error);
  assert_verifies (port);
  g_assert_cmpstr (nm_connection_get_id (port), ==, "br0-port-eth1");
  g_assert_null (nm_connection_get_setting_by_name (port, NM_SETTING_USER_SETTING_NAME));
  g_assert_true (vmd_bridge_profiles_is_port_of (port, "br0", NULL));
}

/* --- recognising a bridge, its ports, and a NIC's previous profile ----------------------------- */

static GPtrArray *
saved_profiles (void)
{
  GPtrArray *connections = g_ptr_array_new_with_free_func (g_object_unref);

  /* 0: made by nmcli: named apart from its interface. 1: its port, naming it by UUID. */
  g_ptr_array_add (connections, saved_profile ("lan-bridge", NM_SETTING_BRIDGE_SETTING_NAME, "br0", NULL));
  g_ptr_array_add (connections, saved_profile ("br0-eth2", NM_SETTING_WIRED_SETTING_NAME, "eth2",
                                               nm_connection_get_uuid (connections->pdata[0])));
  /* 2: another bridge's port on veth0; 3: a plain profile for eth1; 4, 5: for veth0. */
  g_ptr_array_add (connections, saved_profile ("br9-port-veth0", NM_SETTING_WIRED_SETTING_NAME, "veth0", "br9"));
  g_ptr_array_add (connections, saved_profile ("eth1-lan", NM_SETTING_WIRED_SETTING_NAME, "eth1", NULL));
  g_ptr_array_add (connections, saved_profile ("veth0-lan", NM_SETTING_WIRED_SETTING_NAME, "veth0", NULL));
  g_ptr_array_add (connections, saved_profile ("veth0-lab", NM_SETTING_WIRED_SETTING_NAME, "veth0", NULL));
  return connections;
}

static void
test_match_bridge_and_ports (void)
{
  g_autoptr(GPtrArray) connections = saved_profiles ();
  g_autoptr(GPtrArray) by_interface = vmd_bridge_profiles_find_bridges (connections, "br0");
  g_autoptr(GPtrArray) by_name = vmd_bridge_profiles_find_bridges (connections, "lan-bridge");
  g_autoptr(GPtrArray) none = vmd_bridge_profiles_find_bridges (connections, "eth1");
  g_autoptr(NMConnection) bond_port = saved_profile ("bond-port", NM_SETTING_WIRED_SETTING_NAME, "eth3", "br0");

  g_assert_cmpuint (by_interface->len, ==, 1);
  g_assert_true (by_interface->pdata[0] == connections->pdata[0]);
  g_assert_cmpuint (by_name->len, ==, 1);
  g_assert_cmpuint (none->len, ==, 0);

  g_assert_true (vmd_bridge_profiles_is_port_of (connections->pdata[1], "br0", by_interface));
  g_assert_false (vmd_bridge_profiles_is_port_of (connections->pdata[2], "br0", by_interface));
  g_assert_true (vmd_bridge_profiles_is_port_of (connections->pdata[2], "br9", none));
  g_assert_false (vmd_bridge_profiles_is_port_of (connections->pdata[4], "br0", by_interface));
  g_object_set (nm_connection_get_setting_connection (bond_port),
                NM_SETTING_CONNECTION_SLAVE_TYPE, NM_SETTING_BOND_SETTING_NAME, NULL);
  g_assert_false (vmd_bridge_profiles_is_port_of (bond_port, "br0", by_interface));
}

static void
test_previous_noted (void)
{
  g_autoptr(GPtrArray) connections = saved_profiles ();
  NMConnection *lab = connections->pdata[5];
  g_autoptr(NMConnection) port = vmd_bridge_profiles_new_port ("br0", "veth0",
                                                               nm_connection_get_uuid (lab), NULL);

  g_assert_true (vmd_bridge_profiles_find_previous (connections, port) == lab);
}

/* The noted profile was deleted meanwhile, or the port is not ours: any plain wired profile of
 * that NIC (not another bridge's port, not another NIC's). */
static void
test_previous_fallback (void)
{
  g_autoptr(GPtrArray) connections = saved_profiles ();
  g_autofree char *gone = nm_utils_uuid_generate ();
  g_autoptr(NMConnection) noted = vmd_bridge_profiles_new_port ("br0", "veth0", gone, NULL);
  g_autoptr(NMConnection) unnoted = vmd_bridge_profiles_new_port ("br0", "veth0", NULL, NULL);
  g_autoptr(NMConnection) lonely = vmd_bridge_profiles_new_port ("br0", "eth7", NULL, NULL);

  g_assert_true (vmd_bridge_profiles_find_previous (connections, noted) == connections->pdata[4]);
  g_assert_true (vmd_bridge_profiles_find_previous (connections, unnoted) == connections->pdata[4]);
  g_assert_null (vmd_bridge_profiles_find_previous (connections, lonely));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bridge-profiles/bridge/static", test_bridge_static);
  g_test_add_func ("/bridge-profiles/bridge/dhcp-stp", test_bridge_dhcp_stp);
  g_test_add_func ("/bridge-profiles/bridge/no-gateway", test_bridge_no_gateway);
  g_test_add_func ("/bridge-profiles/bridge/bad-address", test_bridge_bad_address);
  g_test_add_func ("/bridge-profiles/port/with-previous", test_port_with_previous);
  g_test_add_func ("/bridge-profiles/port/without-previous", test_port_without_previous);
  g_test_add_func ("/bridge-profiles/match/bridge-and-ports", test_match_bridge_and_ports);
  g_test_add_func ("/bridge-profiles/previous/noted", test_previous_noted);
  g_test_add_func ("/bridge-profiles/previous/fallback", test_previous_fallback);
  return g_test_run ();
}
