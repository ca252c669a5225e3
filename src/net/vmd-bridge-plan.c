/* Checks and step lists for creating and deleting a bridge. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-bridge-plan.h"
#include "vmd-bridge-profiles.h"
#include "vmd-error.h"
#include "vmd-nm-util.h"

gboolean
vmd_bridge_plan_check_nm (NMClient  *client,
                          GError   **error)
{
  if (nm_client_get_nm_running (client))
    return TRUE;
  g_set_error_literal (error, VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING,
                       _("NetworkManager is not running. VM Desk makes bridges through it: start "
                         "it (“systemctl start NetworkManager”) and try again. Nothing was "
                         "changed."));
  return FALSE;
}

/* What a bridge change asks NetworkManager to do: add and delete profiles, activate them, and
 * create, confirm or roll back a checkpoint. */
static const NMClientPermission needed[] = {
  NM_CLIENT_PERMISSION_SETTINGS_MODIFY_SYSTEM,
  NM_CLIENT_PERMISSION_NETWORK_CONTROL,
  NM_CLIENT_PERMISSION_CHECKPOINT_ROLLBACK,
};

gboolean
vmd_bridge_plan_check_permission (NMClient  *client,
                                  GError   **error)
{
  /* UNKNOWN (not fetched yet) goes on: NetworkManager itself refuses then. */
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    if (nm_client_get_permission_result (client, needed[i]) == NM_CLIENT_PERMISSION_RESULT_NO)
      {
        g_set_error_literal (error, VMD_ERROR, VMD_ERROR_PERMISSION_DENIED,
                             _("You are not allowed to change this computer's network settings. "
                               "An administrator can allow it (polkit: "
                               "org.freedesktop.NetworkManager.settings.modify.system). Nothing "
                               "was changed."));
        return FALSE;
      }
  return TRUE;
}

/* TRUE when polkit lets the user make the change only after authenticating: NetworkManager then
 * waits for the desktop's polkit agent (libnm allows interaction) and so does the change. */
gboolean
vmd_bridge_plan_needs_authorization (NMClient *client)
{
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    if (nm_client_get_permission_result (client, needed[i]) == NM_CLIENT_PERMISSION_RESULT_AUTH)
      return TRUE;
  return FALSE;
}

static gboolean
name_in_use (NMClient   *client,
             const char *name)
{
  const GPtrArray *connections = nm_client_get_connections (client);

  if (nm_client_get_device_by_iface (client, name) != NULL)
    return TRUE;
  for (guint i = 0; i < connections->len; i++)
    if (g_strcmp0 (nm_connection_get_interface_name (connections->pdata[i]), name) == 0 ||
        g_strcmp0 (nm_connection_get_id (connections->pdata[i]), name) == 0)
      return TRUE;
  return FALSE;
}

/* The NIC must be a managed wired Ethernet device that is not already someone's port. */
NMDevice *
vmd_bridge_plan_find_port (NMClient    *client,
                           const char  *name,
                           GError     **error)
{
  NMDevice *device = nm_client_get_device_by_iface (client, name);
  NMDevice *controller;

  if (device == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                   _("There is no network interface called “%s”. Nothing was changed."), name);
      return NULL;
    }
  if (NM_IS_DEVICE_WIFI (device))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE,
                   _("“%s” is a Wi-Fi adapter, and Wi-Fi cannot be a bridge port: the access point "
                     "only accepts the address of this computer, not those of its virtual "
                     "machines. Use NAT instead (libvirt's “default” network), which works over "
                     "Wi-Fi. Nothing was changed."), name);
      return NULL;
    }
  if (!NM_IS_DEVICE_ETHERNET (device))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE,
                   _("“%s” is a %s device; only a wired Ethernet adapter can be the bridge's port. "
                     "Nothing was changed."), name, nm_device_get_type_description (device));
      return NULL;
    }
  if (nm_device_get_state (device) == NM_DEVICE_STATE_UNMANAGED)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE,
                   _("NetworkManager does not manage “%s”, so it cannot make it a port. Let "
                     "NetworkManager manage it first. Nothing was changed."), name);
      return NULL;
    }
  if ((controller = vmd_nm_find_controller (client, device)) != NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                   _("“%s” is already a port of “%s”. Nothing was changed."), name,
                   nm_device_get_iface (controller));
      return NULL;
    }
  return device;
}

/* The NIC's current IPv4 settings, offered as the new bridge's: it takes over the NIC's place. */
VmdBridgeSettings *
vmd_bridge_plan_suggest (NMClient    *client,
                         const char  *port,
                         GError     **error)
{
  g_autoptr(VmdBridgeSettings) settings = vmd_bridge_settings_new ();
  NMDevice *device;
  NMActiveConnection *active;
  NMRemoteConnection *profile;
  NMSettingIPConfig *s_ip4;
  NMIPConfig *config;
  g_auto(GStrv) addresses = NULL;
  const char *const *dns;

  if (!vmd_bridge_plan_check_nm (client, error) || (device = vmd_bridge_plan_find_port (client, port, error)) == NULL)
    return NULL;
  settings->port = g_strdup (port);
  active = nm_device_get_active_connection (device);
  profile = active != NULL ? nm_active_connection_get_connection (active) : NULL;
  s_ip4 = profile != NULL ? nm_connection_get_setting_ip4_config (NM_CONNECTION (profile)) : NULL;
  if (s_ip4 == NULL ||
      g_strcmp0 (nm_setting_ip_config_get_method (s_ip4), NM_SETTING_IP4_CONFIG_METHOD_MANUAL) != 0)
    return g_steal_pointer (&settings);

  config = nm_device_get_ip4_config (device);
  addresses = vmd_nm_ip4_addresses (config);
  settings->dhcp = FALSE;
  settings->address = g_strdup (addresses[0]);
  settings->gateway = g_strdup (config != NULL ? nm_ip_config_get_gateway (config) : NULL);
  dns = config != NULL ? nm_ip_config_get_nameservers (config) : NULL;
  settings->dns = dns != NULL ? g_strjoinv (", ", (char **) dns) : NULL;
  return g_steal_pointer (&settings);
}

/* Adds the bridge's profile, then the port's (the NIC's previous profile noted on it), and
 * brings both up in that order. */
VmdBridgeChange *
vmd_bridge_plan_create (NMClient                 *client,
                        const VmdBridgeSettings  *settings,
                        guint                     rollback_timeout_s,
                        GError                  **error)
{
  g_autoptr(NMConnection) bridge = NULL;
  g_autoptr(NMConnection) port = NULL;
  NMDevice *device = NULL;
  NMActiveConnection *previous = NULL;
  VmdBridgeChange *change;

  if (!vmd_bridge_settings_validate (settings, error))
    return NULL;
  if (name_in_use (client, settings->name))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                   _("A network interface or profile called “%s” exists already. Choose another "
                     "name. Nothing was changed."), settings->name);
      return NULL;
    }
  if (vmd_bridge_settings_has_port (settings) &&
      (device = vmd_bridge_plan_find_port (client, settings->port, error)) == NULL)
    return NULL;
  previous = device != NULL ? nm_device_get_active_connection (device) : NULL;
  if ((bridge = vmd_bridge_profiles_new_bridge (settings, error)) == NULL)
    return NULL;
  if (device != NULL &&
      (port = vmd_bridge_profiles_new_port (settings->name, settings->port,
                                            previous != NULL ? nm_active_connection_get_uuid (previous) : NULL,
                                            error)) == NULL)
    return NULL;

  change = vmd_bridge_change_new (client, rollback_timeout_s);
  vmd_bridge_change_add_profile (change, bridge, NULL, _("Could not add the bridge"));
  if (port != NULL)
    vmd_bridge_change_add_profile (change, port, device, _("Could not add the bridge's port"));
  return change;
}

/* Each port's profile goes, its NIC's previous profile is brought back up on it, and the
 * bridge's profiles go (NetworkManager then removes the bridge). */
VmdBridgeChange *
vmd_bridge_plan_delete (NMClient    *client,
                        const char  *name,
                        guint        rollback_timeout_s,
                        GError     **error)
{
  const GPtrArray *connections = nm_client_get_connections (client);
  g_autoptr(GPtrArray) bridges = vmd_bridge_profiles_find_bridges (connections, name);
  VmdBridgeChange *change;

  if (bridges->len == 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                   _("NetworkManager has no bridge called “%s”. Nothing was changed."), name);
      return NULL;
    }
  change = vmd_bridge_change_new (client, rollback_timeout_s);
  for (guint i = 0; i < connections->len; i++)
    {
      NMConnection *port = connections->pdata[i];
      const char *nic = nm_connection_get_interface_name (port);
      NMDevice *device = nic != NULL ? nm_client_get_device_by_iface (client, nic) : NULL;
      NMConnection *previous;

      if (!vmd_bridge_profiles_is_port_of (port, name, bridges))
        continue;
      vmd_bridge_change_delete_profile (change, NM_REMOTE_CONNECTION (port));
      previous = device != NULL ? vmd_bridge_profiles_find_previous (connections, port) : NULL;
      if (previous != NULL)
        vmd_bridge_change_activate (change, NM_REMOTE_CONNECTION (previous), device);
    }
  for (guint i = 0; i < bridges->len; i++)
    vmd_bridge_change_delete_profile (change, NM_REMOTE_CONNECTION (bridges->pdata[i]));
  return change;
}
