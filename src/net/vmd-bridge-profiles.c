/* Profiles of a bridge and its port, built whole before NetworkManager sees them. */
#include "config.h"

#include "vmd-address-validation.h"
#include "vmd-bridge-profiles.h"

static NMConnection *
new_profile (const char *id,
             const char *type,
             const char *interface)
{
  NMConnection *connection = nm_simple_connection_new ();
  NMSetting *s_con = nm_setting_connection_new ();
  g_autofree char *uuid = nm_utils_uuid_generate ();

  g_object_set (s_con,
                NM_SETTING_CONNECTION_ID, id,
                NM_SETTING_CONNECTION_UUID, uuid,
                NM_SETTING_CONNECTION_TYPE, type,
                NM_SETTING_CONNECTION_INTERFACE_NAME, interface,
                NULL);
  nm_connection_add_setting (connection, s_con);
  return connection;
}

/* A fixed address, its gateway and DNS servers; the settings were validated before. */
static gboolean
set_manual_ipv4 (NMSettingIPConfig        *s_ip4,
                 const VmdBridgeSettings  *settings,
                 GError                  **error)
{
  g_autofree char *address = NULL;
  g_autofree char *gateway = g_strstrip (g_strdup (settings->gateway != NULL ? settings->gateway : ""));
  g_auto(GStrv) dns = vmd_ipv4_parse_dns (settings->dns, NULL);
  guint prefix = 0;
  NMIPAddress *ip;

  if (!vmd_ipv4_parse_address_prefix (settings->address, &address, &prefix, error) ||
      (ip = nm_ip_address_new (AF_INET, address, prefix, error)) == NULL)
    return FALSE;
  g_object_set (s_ip4, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP4_CONFIG_METHOD_MANUAL, NULL);
  nm_setting_ip_config_add_address (s_ip4, ip);
  nm_ip_address_unref (ip);
  if (*gateway != '\0')
    g_object_set (s_ip4, NM_SETTING_IP_CONFIG_GATEWAY, gateway, NULL);
  for (guint i = 0; dns != NULL && dns[i] != NULL; i++)
    nm_setting_ip_config_add_dns (s_ip4, dns[i]);
  return TRUE;
}

/* Every property is set before the profile is added: changing an active bridge later (nmcli's
 * "con add" then "con mod") would leave it on DHCP with STP on until it is brought up again. */
NMConnection *
vmd_bridge_profiles_new_bridge (const VmdBridgeSettings  *settings,
                                GError                  **error)
{
  g_autoptr(NMConnection) connection = new_profile (settings->name, NM_SETTING_BRIDGE_SETTING_NAME,
                                                    settings->name);
  NMSetting *s_bridge = nm_setting_bridge_new ();
  NMSetting *s_ip4 = nm_setting_ip4_config_new ();
  NMSetting *s_ip6;

  /* Rollback re-activates the bridge and can drop its port, unless ports come up with it. */
  g_object_set (nm_connection_get_setting_connection (connection),
                NM_SETTING_CONNECTION_AUTOCONNECT_SLAVES, NM_SETTING_CONNECTION_AUTOCONNECT_SLAVES_YES,
                NULL);
  g_object_set (s_bridge, NM_SETTING_BRIDGE_STP, settings->stp, NULL);
  nm_connection_add_setting (connection, s_bridge);
  nm_connection_add_setting (connection, s_ip4);
  if (settings->dhcp)
    g_object_set (s_ip4, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP4_CONFIG_METHOD_AUTO, NULL);
  else if (!set_manual_ipv4 (NM_SETTING_IP_CONFIG (s_ip4), settings, error))
    return NULL;
  /* IPv6 as NetworkManager's default profile would have it, without waiting for it. */
  s_ip6 = nm_setting_ip6_config_new ();
  g_object_set (s_ip6, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP6_CONFIG_METHOD_AUTO,
                NM_SETTING_IP_CONFIG_MAY_FAIL, TRUE, NULL);
  nm_connection_add_setting (connection, s_ip6);

  if (!nm_connection_normalize (connection, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&connection);
}

/* libnm 1.42 has no controller/port-type yet: master + slave-type. previous_uuid (or NULL) is
 * kept on the profile, so deleting the bridge later gives the NIC its own profile back even in
 * another run of the program. */
NMConnection *
vmd_bridge_profiles_new_port (const char  *bridge,
                              const char  *nic,
                              const char  *previous_uuid,
                              GError     **error)
{
  g_autofree char *id = g_strdup_printf ("%s-port-%s", bridge, nic);
  g_autoptr(NMConnection) connection = new_profile (id, NM_SETTING_WIRED_SETTING_NAME, nic);

  g_object_set (nm_connection_get_setting_connection (connection),
                NM_SETTING_CONNECTION_MASTER, bridge,
                NM_SETTING_CONNECTION_SLAVE_TYPE, NM_SETTING_BRIDGE_SETTING_NAME,
                NM_SETTING_CONNECTION_AUTOCONNECT_PRIORITY, VMD_BRIDGE_PORT_AUTOCONNECT_PRIORITY,
                NULL);
  nm_connection_add_setting (connection, nm_setting_wired_new ());
  nm_connection_add_setting (connection, nm_setting_bridge_port_new ());
  if (previous_uuid != NULL)
    {
      NMSetting *s_user = nm_setting_user_new ();

      nm_connection_add_setting (connection, s_user);
      if (!nm_setting_user_set_data (NM_SETTING_USER (s_user), VMD_BRIDGE_PREVIOUS_PROFILE_KEY,
                                     previous_uuid, error))
        return NULL;
    }
  if (!nm_connection_normalize (connection, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&connection);
}

/* By interface or by name: a bridge made by nmcli may carry either. */
gboolean
vmd_bridge_profiles_is_bridge (NMConnection *connection,
                               const char   *name)
{
  return g_strcmp0 (nm_connection_get_connection_type (connection), NM_SETTING_BRIDGE_SETTING_NAME) == 0 &&
         (g_strcmp0 (nm_connection_get_interface_name (connection), name) == 0 ||
          g_strcmp0 (nm_connection_get_id (connection), name) == 0);
}

/* Of the NMConnections in connections, not referenced. */
GPtrArray *
vmd_bridge_profiles_find_bridges (const GPtrArray *connections,
                                  const char      *name)
{
  GPtrArray *bridges = g_ptr_array_new ();

  for (guint i = 0; i < connections->len; i++)
    if (vmd_bridge_profiles_is_bridge (connections->pdata[i], name))
      g_ptr_array_add (bridges, connections->pdata[i]);
  return bridges;
}

/* A port names its bridge by interface or by the bridge profile's UUID (bridges: the bridge's
 * profiles, or NULL to match by interface only). */
gboolean
vmd_bridge_profiles_is_port_of (NMConnection    *connection,
                                const char      *name,
                                const GPtrArray *bridges)
{
  NMSettingConnection *s_con = nm_connection_get_setting_connection (connection);
  const char *master = s_con != NULL ? nm_setting_connection_get_master (s_con) : NULL;

  if (master == NULL ||
      g_strcmp0 (nm_setting_connection_get_slave_type (s_con), NM_SETTING_BRIDGE_SETTING_NAME) != 0)
    return FALSE;
  if (g_str_equal (master, name))
    return TRUE;
  for (guint i = 0; bridges != NULL && i < bridges->len; i++)
    if (g_strcmp0 (master, nm_connection_get_uuid (bridges->pdata[i])) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_plain_wired (NMConnection *connection,
                const char   *nic)
{
  NMSettingConnection *s_con = nm_connection_get_setting_connection (connection);

  return g_strcmp0 (nm_connection_get_interface_name (connection), nic) == 0 &&
         g_strcmp0 (nm_connection_get_connection_type (connection), NM_SETTING_WIRED_SETTING_NAME) == 0 &&
         s_con != NULL && nm_setting_connection_get_master (s_con) == NULL;
}

/* The profile to bring a port's NIC back on when its bridge goes: the one noted on the port,
 * else any plain wired profile for that interface (the port may not be ours), else NULL. */
NMConnection *
vmd_bridge_profiles_find_previous (const GPtrArray *connections,
                                   NMConnection    *port)
{
  NMSettingUser *s_user = NM_SETTING_USER (nm_connection_get_setting_by_name (port, NM_SETTING_USER_SETTING_NAME));
  const char *noted = s_user != NULL ? nm_setting_user_get_data (s_user, VMD_BRIDGE_PREVIOUS_PROFILE_KEY) : NULL;
  const char *nic = nm_connection_get_interface_name (port);

  for (guint i = 0; noted != NULL && i < connections->len; i++)
    if (g_strcmp0 (nm_connection_get_uuid (connections->pdata[i]), noted) == 0)
      return connections->pdata[i];
  for (guint i = 0; i < connections->len; i++)
    if (is_plain_wired (connections->pdata[i], nic))
      return connections->pdata[i];
  return NULL;
}
