/* VmdBridgeSettings: copy, free and the checks that need no NetworkManager. */
#include "config.h"

#include <glib/gi18n.h>
#include <NetworkManager.h>

#include "vmd-address-validation.h"
#include "vmd-bridge-settings.h"
#include "vmd-error.h"

VmdBridgeSettings *
vmd_bridge_settings_new (void)
{
  VmdBridgeSettings *settings = g_new0 (VmdBridgeSettings, 1);

  settings->name = g_strdup ("br0");
  settings->dhcp = TRUE;
  return settings;
}

void
vmd_bridge_settings_free (VmdBridgeSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->name);
  g_free (settings->address);
  g_free (settings->gateway);
  g_free (settings->dns);
  g_free (settings->port);
  g_free (settings);
}

/* The assistant leaves the port empty for a bridge without one. */
gboolean
vmd_bridge_settings_has_port (const VmdBridgeSettings *settings)
{
  return settings->port != NULL && *settings->port != '\0';
}

/* libnm's own rule for interface names (it is pure: no NetworkManager is asked), then the IPv4
 * fields with the messages the assistant shows beside them. */
gboolean
vmd_bridge_settings_validate (const VmdBridgeSettings  *settings,
                              GError                  **error)
{
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) dns = NULL;

  if (settings->name == NULL || !nm_utils_is_valid_iface_name (settings->name, &local))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("“%s” cannot be an interface name: use up to 15 letters and digits, such as "
                     "br0."), settings->name != NULL ? settings->name : "");
      return FALSE;
    }
  if (settings->dhcp)
    return TRUE;
  if (!vmd_ipv4_parse_address_prefix (settings->address, NULL, NULL, error) ||
      !vmd_ipv4_check_gateway (settings->gateway, settings->address, error))
    return FALSE;
  dns = vmd_ipv4_parse_dns (settings->dns, error);
  return dns != NULL;
}
