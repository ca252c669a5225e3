/* The Host window's listings: NetworkManager's devices and saved profiles as plain structs
 * (declared with the manager's API), copied out of libnm's cache so the window keeps nothing
 * of libnm. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-net-listing.h"
#include "vmd-nm-util.h"

void
vmd_net_device_free (VmdNetDevice *device)
{
  g_free (device->interface);
  g_free (device->kind);
  g_free (device->state);
  g_free (device->profile);
  g_free (device->controller);
  g_strfreev (device->addresses);
  g_strfreev (device->ports);
  g_free (device);
}

void
vmd_net_profile_free (VmdNetProfile *profile)
{
  g_free (profile->id);
  g_free (profile->uuid);
  g_free (profile->kind);
  g_free (profile->interface);
  g_free (profile->controller);
  g_free (profile);
}
static const char *
describe_state (NMDeviceState state)
{
  switch (state)
    {
    case NM_DEVICE_STATE_UNMANAGED:    return _("unmanaged");
    case NM_DEVICE_STATE_UNAVAILABLE:  return _("unavailable");
    case NM_DEVICE_STATE_DISCONNECTED: return _("disconnected");
    case NM_DEVICE_STATE_ACTIVATED:    return _("connected");
    case NM_DEVICE_STATE_DEACTIVATING: return _("disconnecting");
    case NM_DEVICE_STATE_FAILED:       return _("failed");
    case NM_DEVICE_STATE_PREPARE:
    case NM_DEVICE_STATE_CONFIG:
    case NM_DEVICE_STATE_NEED_AUTH:
    case NM_DEVICE_STATE_IP_CONFIG:
    case NM_DEVICE_STATE_IP_CHECK:
    case NM_DEVICE_STATE_SECONDARIES:  return _("connecting");
    case NM_DEVICE_STATE_UNKNOWN:
    default:                           return _("unknown");
    }
}

/* Of VmdNetDevice, for the Host window's list of interfaces. */
GPtrArray *
vmd_net_listing_devices (NMClient *client)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_net_device_free);
  const GPtrArray *devices;

  devices = nm_client_get_devices (client);
  for (guint i = 0; i < devices->len; i++)
    {
      NMDevice *device = devices->pdata[i];
      NMActiveConnection *active = nm_device_get_active_connection (device);
      NMDevice *controller = vmd_nm_find_controller (client, device);
      const GPtrArray *ports = nm_device_get_ports (device);
      g_autoptr(GStrvBuilder) port_names = g_strv_builder_new ();
      VmdNetDevice *info = g_new0 (VmdNetDevice, 1);

      info->interface = g_strdup (nm_device_get_iface (device));
      info->kind = g_strdup (nm_device_get_type_description (device));
      info->state = g_strdup (describe_state (nm_device_get_state (device)));
      info->profile = active != NULL ? g_strdup (nm_active_connection_get_id (active)) : NULL;
      info->controller = controller != NULL ? g_strdup (nm_device_get_iface (controller)) : NULL;
      info->addresses = vmd_nm_ip4_addresses (nm_device_get_ip4_config (device));
      for (guint j = 0; ports != NULL && j < ports->len; j++)
        g_strv_builder_add (port_names, nm_device_get_iface (ports->pdata[j]));
      info->ports = g_strv_builder_end (port_names);
      g_ptr_array_add (result, info);
    }
  return result;
}

static gboolean
profile_is_active (NMClient   *client,
                   const char *uuid)
{
  const GPtrArray *active = nm_client_get_active_connections (client);

  for (guint i = 0; i < active->len; i++)
    if (g_strcmp0 (nm_active_connection_get_uuid (active->pdata[i]), uuid) == 0)
      return TRUE;
  return FALSE;
}

/* Of VmdNetProfile. */
GPtrArray *
vmd_net_listing_profiles (NMClient *client)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_net_profile_free);
  const GPtrArray *connections;

  connections = nm_client_get_connections (client);
  for (guint i = 0; i < connections->len; i++)
    {
      NMConnection *connection = connections->pdata[i];
      NMSettingConnection *s_con = nm_connection_get_setting_connection (connection);
      VmdNetProfile *profile = g_new0 (VmdNetProfile, 1);

      profile->id = g_strdup (nm_connection_get_id (connection));
      profile->uuid = g_strdup (nm_connection_get_uuid (connection));
      profile->kind = g_strdup (nm_connection_get_connection_type (connection));
      profile->interface = g_strdup (nm_connection_get_interface_name (connection));
      profile->controller = s_con != NULL ? g_strdup (nm_setting_connection_get_master (s_con)) : NULL;
      profile->active = profile_is_active (client, profile->uuid);
      profile->saved = !nm_remote_connection_get_unsaved (NM_REMOTE_CONNECTION (connection)) &&
                       !(nm_remote_connection_get_flags (NM_REMOTE_CONNECTION (connection)) &
                         NM_SETTINGS_CONNECTION_FLAG_UNSAVED);
      g_ptr_array_add (result, profile);
    }
  return result;
}
