/* libnm facts and errors shared by the bridge manager, its change and its recovery. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-error.h"
#include "vmd-nm-util.h"

/* nm-running can lag a moment behind the name owner when NetworkManager goes. */
gboolean
vmd_nm_present (NMClient *client)
{
  return nm_client_get_nm_running (client) && nm_client_get_dbus_name_owner (client) != NULL;
}

gboolean
vmd_nm_checkpoint_exists (NMClient   *client,
                          const char *path)
{
  const GPtrArray *checkpoints = nm_client_get_checkpoints (client);

  for (guint i = 0; i < checkpoints->len; i++)
    if (g_strcmp0 (nm_object_get_path (checkpoints->pdata[i]), path) == 0)
      return TRUE;
  return FALSE;
}

/* what: the step that failed, as the start of a sentence. NetworkManager's own message is kept. */
GError *
vmd_nm_error (const GError *error,
              const char   *what)
{
  if (g_error_matches (error, NM_MANAGER_ERROR, NM_MANAGER_ERROR_PERMISSION_DENIED) ||
      g_error_matches (error, NM_SETTINGS_ERROR, NM_SETTINGS_ERROR_PERMISSION_DENIED) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED))
    return g_error_new (VMD_ERROR, VMD_ERROR_PERMISSION_DENIED,
                        _("%s: you are not allowed to change this computer's network settings. "
                          "An administrator can allow it. (%s)"), what, error->message);
  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
    return g_error_new (VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING,
                        _("%s: NetworkManager is not running. (%s)"), what, error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  return g_error_new (VMD_ERROR, VMD_ERROR_FAILED, "%s: %s", what, error->message);
}

/* The device port is a port of, or NULL. */
NMDevice *
vmd_nm_find_controller (NMClient *client,
                        NMDevice *port)
{
  const GPtrArray *devices = nm_client_get_devices (client);

  for (guint i = 0; i < devices->len; i++)
    {
      const GPtrArray *ports = nm_device_get_ports (devices->pdata[i]);

      for (guint j = 0; ports != NULL && j < ports->len; j++)
        if (ports->pdata[j] == port)
          return devices->pdata[i];
    }
  return NULL;
}

/* "192.168.1.80/24", ...: a device's IPv4 addresses as a user writes them. */
GStrv
vmd_nm_ip4_addresses (NMIPConfig *config)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GPtrArray *addresses = config != NULL ? nm_ip_config_get_addresses (config) : NULL;

  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    {
      NMIPAddress *address = addresses->pdata[i];
      g_autofree char *text = g_strdup_printf ("%s/%u", nm_ip_address_get_address (address),
                                               nm_ip_address_get_prefix (address));

      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}
