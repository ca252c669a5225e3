/* VmdBridgeManager: libnm's NMClient behind a small API. Every change (create a bridge, delete
 * one) runs under an NM checkpoint created with DELETE_NEW_CONNECTIONS and DISCONNECT_NEW_DEVICES
 * and a rollback timeout: if the user does not confirm in time, the app dies, or a step fails,
 * NetworkManager puts the old settings back. Only confirm destroys the checkpoint.
 *
 * NetworkManager keeps checkpoints in memory only: if it stops before the user keeps a change,
 * nothing is rolled back. So a new bridge's profiles are added in memory only and written to disk
 * on confirm, and the manager remembers what it added; when NetworkManager is back it undoes the
 * change itself (deletes what is left of it, gives the NIC its previous profile back) and only
 * then says "rolled-back". */
#include "config.h"

#include <glib/gi18n.h>
#include <NetworkManager.h>

#include "vmd-address-validation.h"
#include "vmd-bridge-manager.h"
#include "vmd-error.h"

/* Stored on the port profile: the NIC's profile before it became a port, to give it back. */
#define PREVIOUS_PROFILE_KEY "vmdesk.previous-profile"
#define ACTIVATION_TIMEOUT_S 30
/* Above the default 0, so at boot the port profile wins over the NIC's previous one. */
#define PORT_AUTOCONNECT_PRIORITY 10

/* What a pending create added, to undo it by hand if NetworkManager stops before confirm. */
typedef struct {
  GPtrArray *added;      /* of char *: UUIDs of the profiles the change added */
  char      *bridge;     /* the new bridge's interface */
  char      *nic;        /* the NIC made its port, or NULL */
  char      *previous;   /* UUID of the NIC's profile before, or NULL */
} Undo;

struct _VmdBridgeManager
{
  GObject   parent_instance;

  NMClient *client;
  char     *checkpoint;   /* the change awaiting confirmation, or NULL; kept while NetworkManager
                           * is away after it stopped before confirm, until the change is undone */
  Undo     *undo;         /* for a pending create, or NULL */
  char     *interrupted;  /* why the pending change cannot be kept, once NetworkManager stopped */
  gboolean  undoing;
};

G_DEFINE_FINAL_TYPE (VmdBridgeManager, vmd_bridge_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NM_RUNNING,
  PROP_PENDING_CHECKPOINT,
  PROP_INTERRUPTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { CHANGED, ROLLED_BACK, N_SIGNALS };
static guint signals[N_SIGNALS];

/* --- settings and listings ------------------------------------------------------------------ */

VmdBridgeSettings *
vmd_bridge_settings_new (void)
{
  VmdBridgeSettings *settings = g_new0 (VmdBridgeSettings, 1);

  settings->name = g_strdup ("br0");
  settings->dhcp = TRUE;
  return settings;
}

VmdBridgeSettings *
vmd_bridge_settings_copy (const VmdBridgeSettings *settings)
{
  VmdBridgeSettings *copy = g_new0 (VmdBridgeSettings, 1);

  copy->name = g_strdup (settings->name);
  copy->stp = settings->stp;
  copy->dhcp = settings->dhcp;
  copy->address = g_strdup (settings->address);
  copy->gateway = g_strdup (settings->gateway);
  copy->dns = g_strdup (settings->dns);
  copy->port = g_strdup (settings->port);
  return copy;
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

static GStrv
ip4_addresses (NMIPConfig *config)
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

static NMDevice *
find_controller (VmdBridgeManager *self,
                 NMDevice         *port)
{
  const GPtrArray *devices = nm_client_get_devices (self->client);

  for (guint i = 0; i < devices->len; i++)
    {
      const GPtrArray *ports = nm_device_get_ports (devices->pdata[i]);

      for (guint j = 0; ports != NULL && j < ports->len; j++)
        if (ports->pdata[j] == port)
          return devices->pdata[i];
    }
  return NULL;
}

/* Of VmdNetDevice, for the Host window. */
GPtrArray *
vmd_bridge_manager_dup_devices (VmdBridgeManager *self)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_net_device_free);
  const GPtrArray *devices;

  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), result);

  devices = nm_client_get_devices (self->client);
  for (guint i = 0; i < devices->len; i++)
    {
      NMDevice *device = devices->pdata[i];
      NMActiveConnection *active = nm_device_get_active_connection (device);
      NMDevice *controller = find_controller (self, device);
      const GPtrArray *ports = nm_device_get_ports (device);
      g_autoptr(GStrvBuilder) port_names = g_strv_builder_new ();
      VmdNetDevice *info = g_new0 (VmdNetDevice, 1);

      info->interface = g_strdup (nm_device_get_iface (device));
      info->kind = g_strdup (nm_device_get_type_description (device));
      info->state = g_strdup (describe_state (nm_device_get_state (device)));
      info->profile = active != NULL ? g_strdup (nm_active_connection_get_id (active)) : NULL;
      info->controller = controller != NULL ? g_strdup (nm_device_get_iface (controller)) : NULL;
      info->addresses = ip4_addresses (nm_device_get_ip4_config (device));
      for (guint j = 0; ports != NULL && j < ports->len; j++)
        g_strv_builder_add (port_names, nm_device_get_iface (ports->pdata[j]));
      info->ports = g_strv_builder_end (port_names);
      g_ptr_array_add (result, info);
    }
  return result;
}

static gboolean
profile_is_active (VmdBridgeManager *self,
                   const char       *uuid)
{
  const GPtrArray *active = nm_client_get_active_connections (self->client);

  for (guint i = 0; i < active->len; i++)
    if (g_strcmp0 (nm_active_connection_get_uuid (active->pdata[i]), uuid) == 0)
      return TRUE;
  return FALSE;
}

/* Of VmdNetProfile. */
GPtrArray *
vmd_bridge_manager_dup_profiles (VmdBridgeManager *self)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_net_profile_free);
  const GPtrArray *connections;

  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), result);

  connections = nm_client_get_connections (self->client);
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
      profile->active = profile_is_active (self, profile->uuid);
      profile->saved = !nm_remote_connection_get_unsaved (NM_REMOTE_CONNECTION (connection)) &&
                       !(nm_remote_connection_get_flags (NM_REMOTE_CONNECTION (connection)) &
                         NM_SETTINGS_CONNECTION_FLAG_UNSAVED);
      g_ptr_array_add (result, profile);
    }
  return result;
}

gboolean
vmd_bridge_manager_get_nm_running (VmdBridgeManager *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), FALSE);
  return nm_client_get_nm_running (self->client);
}

/* Why the pending change can no longer be kept (NetworkManager stopped before confirm; it is
 * undone when NetworkManager is back), or NULL. */
const char *
vmd_bridge_manager_get_interrupted (VmdBridgeManager *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), NULL);
  return self->interrupted;
}

const char *
vmd_bridge_manager_get_pending_checkpoint (VmdBridgeManager *self)
{
  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), NULL);
  return self->checkpoint;
}

/* --- checks before anything changes ------------------------------------------------------------ */

static gboolean
check_nm (VmdBridgeManager  *self,
          GError           **error)
{
  if (nm_client_get_nm_running (self->client))
    return TRUE;
  g_set_error_literal (error, VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING,
                       _("NetworkManager is not running. VM Desk makes bridges through it: start "
                         "it (“systemctl start NetworkManager”) and try again. Nothing was "
                         "changed."));
  return FALSE;
}

static gboolean
check_permission (VmdBridgeManager  *self,
                  GError           **error)
{
  const NMClientPermission needed[] = {
    NM_CLIENT_PERMISSION_SETTINGS_MODIFY_SYSTEM,
    NM_CLIENT_PERMISSION_NETWORK_CONTROL,
    NM_CLIENT_PERMISSION_CHECKPOINT_ROLLBACK,
  };

  /* UNKNOWN (not fetched yet) goes on: NetworkManager itself refuses then. */
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    if (nm_client_get_permission_result (self->client, needed[i]) == NM_CLIENT_PERMISSION_RESULT_NO)
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

static GError *
nm_failure (const GError *error,
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

static gboolean
name_in_use (VmdBridgeManager *self,
             const char       *name)
{
  const GPtrArray *connections = nm_client_get_connections (self->client);

  if (nm_client_get_device_by_iface (self->client, name) != NULL)
    return TRUE;
  for (guint i = 0; i < connections->len; i++)
    if (g_strcmp0 (nm_connection_get_interface_name (connections->pdata[i]), name) == 0 ||
        g_strcmp0 (nm_connection_get_id (connections->pdata[i]), name) == 0)
      return TRUE;
  return FALSE;
}

/* The NIC must be a wired Ethernet device that is not already someone's port. */
static NMDevice *
find_port_device (VmdBridgeManager  *self,
                  const char        *name,
                  GError           **error)
{
  NMDevice *device = nm_client_get_device_by_iface (self->client, name);
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
  if ((controller = find_controller (self, device)) != NULL)
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
vmd_bridge_manager_suggest_settings (VmdBridgeManager  *self,
                                     const char        *port,
                                     GError           **error)
{
  g_autoptr(VmdBridgeSettings) settings = vmd_bridge_settings_new ();
  NMDevice *device;
  NMActiveConnection *active;
  NMRemoteConnection *profile;
  NMSettingIPConfig *s_ip4;
  NMIPConfig *config;
  g_auto(GStrv) addresses = NULL;
  const char *const *dns;

  g_return_val_if_fail (VMD_IS_BRIDGE_MANAGER (self), NULL);

  if (!check_nm (self, error) || (device = find_port_device (self, port, error)) == NULL)
    return NULL;
  settings->port = g_strdup (port);
  active = nm_device_get_active_connection (device);
  profile = active != NULL ? nm_active_connection_get_connection (active) : NULL;
  s_ip4 = profile != NULL ? nm_connection_get_setting_ip4_config (NM_CONNECTION (profile)) : NULL;
  if (s_ip4 == NULL ||
      g_strcmp0 (nm_setting_ip_config_get_method (s_ip4), NM_SETTING_IP4_CONFIG_METHOD_MANUAL) != 0)
    return g_steal_pointer (&settings);

  config = nm_device_get_ip4_config (device);
  addresses = ip4_addresses (config);
  settings->dhcp = FALSE;
  settings->address = g_strdup (addresses[0]);
  settings->gateway = g_strdup (config != NULL ? nm_ip_config_get_gateway (config) : NULL);
  dns = config != NULL ? nm_ip_config_get_nameservers (config) : NULL;
  settings->dns = dns != NULL ? g_strjoinv (", ", (char **) dns) : NULL;
  return g_steal_pointer (&settings);
}

/* --- profiles ------------------------------------------------------------------------------- */

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

/* Every property is set when the profile is added: changing an active bridge later (nmcli's
 * "con add" then "con mod") would leave it on DHCP with STP on until it is brought up again. */
static NMConnection *
build_bridge (const VmdBridgeSettings  *settings,
              GError                  **error)
{
  g_autoptr(NMConnection) connection = new_profile (settings->name, NM_SETTING_BRIDGE_SETTING_NAME,
                                                    settings->name);
  NMSetting *s_bridge = nm_setting_bridge_new ();
  NMSetting *s_ip4 = nm_setting_ip4_config_new ();
  NMSetting *s_ip6 = nm_setting_ip6_config_new ();

  /* Rollback re-activates the bridge and can drop its port, unless ports come up with it. */
  g_object_set (nm_connection_get_setting_connection (connection),
                NM_SETTING_CONNECTION_AUTOCONNECT_SLAVES, NM_SETTING_CONNECTION_AUTOCONNECT_SLAVES_YES,
                NULL);
  g_object_set (s_bridge, NM_SETTING_BRIDGE_STP, settings->stp, NULL);
  nm_connection_add_setting (connection, s_bridge);

  if (settings->dhcp)
    g_object_set (s_ip4, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP4_CONFIG_METHOD_AUTO, NULL);
  else
    {
      g_autofree char *address = NULL;
      g_auto(GStrv) dns = vmd_ipv4_parse_dns (settings->dns, NULL);
      guint prefix = 0;
      NMIPAddress *ip;

      if (!vmd_ipv4_parse_address_prefix (settings->address, &address, &prefix, error) ||
          (ip = nm_ip_address_new (AF_INET, address, prefix, error)) == NULL)
        return NULL;
      g_object_set (s_ip4, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP4_CONFIG_METHOD_MANUAL, NULL);
      nm_setting_ip_config_add_address (NM_SETTING_IP_CONFIG (s_ip4), ip);
      nm_ip_address_unref (ip);
      if (settings->gateway != NULL && *g_strstrip (settings->gateway) != '\0')
        g_object_set (s_ip4, NM_SETTING_IP_CONFIG_GATEWAY, settings->gateway, NULL);
      for (guint i = 0; dns != NULL && dns[i] != NULL; i++)
        nm_setting_ip_config_add_dns (NM_SETTING_IP_CONFIG (s_ip4), dns[i]);
    }
  nm_connection_add_setting (connection, s_ip4);
  /* IPv6 as NetworkManager's default profile would have it, without waiting for it. */
  g_object_set (s_ip6, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP6_CONFIG_METHOD_AUTO,
                NM_SETTING_IP_CONFIG_MAY_FAIL, TRUE, NULL);
  nm_connection_add_setting (connection, s_ip6);

  if (!nm_connection_normalize (connection, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&connection);
}

/* libnm 1.42 has no controller/port-type yet: master + slave-type. */
static NMConnection *
build_port (const char  *bridge,
            const char  *nic,
            const char  *previous_uuid,
            GError     **error)
{
  g_autofree char *id = g_strdup_printf ("%s-port-%s", bridge, nic);
  g_autoptr(NMConnection) connection = new_profile (id, NM_SETTING_WIRED_SETTING_NAME, nic);

  g_object_set (nm_connection_get_setting_connection (connection),
                NM_SETTING_CONNECTION_MASTER, bridge,
                NM_SETTING_CONNECTION_SLAVE_TYPE, NM_SETTING_BRIDGE_SETTING_NAME,
                NM_SETTING_CONNECTION_AUTOCONNECT_PRIORITY, PORT_AUTOCONNECT_PRIORITY,
                NULL);
  nm_connection_add_setting (connection, nm_setting_wired_new ());
  nm_connection_add_setting (connection, nm_setting_bridge_port_new ());
  if (previous_uuid != NULL)
    {
      NMSetting *s_user = nm_setting_user_new ();

      if (!nm_setting_user_set_data (NM_SETTING_USER (s_user), PREVIOUS_PROFILE_KEY,
                                     previous_uuid, error))
        {
          g_object_unref (s_user);
          return NULL;
        }
      nm_connection_add_setting (connection, s_user);
    }
  if (!nm_connection_normalize (connection, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&connection);
}

/* --- one change under a checkpoint ----------------------------------------------------------- */

typedef struct {
  VmdBridgeSettings *settings;     /* create */
  char              *name;         /* delete: the bridge's name */
  guint              timeout_s;
  GPtrArray         *devices;      /* of NMDevice: what the checkpoint covers; empty = all */
  GPtrArray         *doomed;       /* of NMRemoteConnection: delete */
  NMConnection      *bridge;       /* create: profiles to add */
  NMConnection      *port;
  NMDevice          *port_device;
  char              *previous;     /* create: UUID of the port NIC's active profile before */
  GPtrArray         *activate;     /* of NMConnection: bring up, in order... */
  GPtrArray         *activate_on;  /* ...each on this NMDevice, or NULL for a new one */
  GPtrArray         *waiting;      /* of NMActiveConnection */
  char              *checkpoint;
  guint              pending;
  guint              timeout_id;
  gboolean           finished;
} Change;

static void
object_unref0 (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static Change *
change_new (guint timeout_s)
{
  Change *change = g_new0 (Change, 1);

  change->timeout_s = timeout_s;
  change->devices = g_ptr_array_new_with_free_func (g_object_unref);
  change->doomed = g_ptr_array_new_with_free_func (g_object_unref);
  change->activate = g_ptr_array_new_with_free_func (g_object_unref);
  change->activate_on = g_ptr_array_new_with_free_func (object_unref0);
  change->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  return change;
}

static void
change_free (Change *change)
{
  g_clear_handle_id (&change->timeout_id, g_source_remove);
  vmd_bridge_settings_free (change->settings);
  g_free (change->name);
  g_ptr_array_unref (change->devices);
  g_ptr_array_unref (change->doomed);
  g_clear_object (&change->bridge);
  g_clear_object (&change->port);
  g_clear_object (&change->port_device);
  g_free (change->previous);
  g_ptr_array_unref (change->activate);
  g_ptr_array_unref (change->activate_on);
  g_ptr_array_unref (change->waiting);
  g_free (change->checkpoint);
  g_free (change);
}

static void
undo_free (Undo *undo)
{
  if (undo == NULL)
    return;
  g_ptr_array_unref (undo->added);
  g_free (undo->bridge);
  g_free (undo->nic);
  g_free (undo->previous);
  g_free (undo);
}

static void
set_interrupted (VmdBridgeManager *self,
                 const char       *message)
{
  if (g_strcmp0 (self->interrupted, message) == 0)
    return;
  g_free (self->interrupted);
  self->interrupted = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERRUPTED]);
}

/* The pending change is over (kept, rolled back or undone): nothing left to undo by hand. */
static void
forget_pending (VmdBridgeManager *self)
{
  g_clear_pointer (&self->undo, undo_free);
}

static void
set_checkpoint (VmdBridgeManager *self,
                const char       *path)
{
  if (g_strcmp0 (self->checkpoint, path) == 0)
    return;
  g_free (self->checkpoint);
  self->checkpoint = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_CHECKPOINT]);
}

static void
stop_waiting (GTask *task)
{
  Change *change = g_task_get_task_data (task);

  g_clear_handle_id (&change->timeout_id, g_source_remove);
  for (guint i = 0; i < change->waiting->len; i++)
    g_signal_handlers_disconnect_by_data (change->waiting->pdata[i], task);
}

static void
change_succeeded (GTask *task)
{
  Change *change = g_task_get_task_data (task);

  if (change->finished)
    return;
  change->finished = TRUE;
  stop_waiting (task);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_failure_rolled_back (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  GError *failure = g_object_steal_data (G_OBJECT (task), "failure");
  g_autoptr(GHashTable) results = NULL;
  g_autoptr(GError) error = NULL;
  Change *change = g_task_get_task_data (task);

  results = nm_client_checkpoint_rollback_finish (NM_CLIENT (source), result, &error);
  if (results != NULL)
    g_task_return_new_error (task, failure->domain, failure->code, "%s %s", failure->message,
                             _("The previous network settings were restored."));
  else
    g_task_return_new_error (task, failure->domain, failure->code,
                             _("%s Restoring the previous network settings failed too (%s); "
                               "NetworkManager restores them by itself within %u seconds."),
                             failure->message, error->message, change->timeout_s);
  g_error_free (failure);
  g_object_unref (task);
}

/* Takes error. With a checkpoint in place, NetworkManager puts everything back before the
 * caller hears of the failure. */
static void note_interrupted (VmdBridgeManager *self);

static void
change_failed (GTask  *task,
               GError *error)
{
  VmdBridgeManager *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);

  if (change->finished)
    {
      g_error_free (error);
      return;
    }
  change->finished = TRUE;
  stop_waiting (task);
  if (change->checkpoint == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* NetworkManager went away mid-change: its checkpoint went with it, so the change stays
   * pending, to be undone by hand when NetworkManager is back. */
  if (!nm_client_get_nm_running (self->client) &&
      g_strcmp0 (self->checkpoint, change->checkpoint) == 0)
    {
      note_interrupted (self);
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING, "%s %s", error->message,
                               self->interrupted);
      g_error_free (error);
      g_object_unref (task);
      return;
    }
  if (g_strcmp0 (self->checkpoint, change->checkpoint) == 0)
    {
      set_checkpoint (self, NULL);
      forget_pending (self);
    }
  g_object_set_data_full (G_OBJECT (task), "failure", error, (GDestroyNotify) g_error_free);
  /* Not the task's cancellable: a cancelled change must still be undone. */
  nm_client_checkpoint_rollback (self->client, change->checkpoint, NULL, on_failure_rolled_back, task);
}

/* Before NetworkManager's own rollback, and never longer than ACTIVATION_TIMEOUT_S. */
static guint
activation_timeout (Change *change)
{
  return MIN (ACTIVATION_TIMEOUT_S, MAX (change->timeout_s, 1));
}

static gboolean
on_activation_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Change *change = g_task_get_task_data (task);

  change->timeout_id = 0;
  change_failed (task, g_error_new (VMD_ERROR, VMD_ERROR_FAILED,
                                    _("The network did not come up within %u seconds."),
                                    activation_timeout (change)));
  return G_SOURCE_REMOVE;
}

static void
check_waiting (GTask *task)
{
  Change *change = g_task_get_task_data (task);

  for (guint i = 0; i < change->waiting->len; i++)
    {
      NMActiveConnection *active = change->waiting->pdata[i];
      NMActiveConnectionState state = nm_active_connection_get_state (active);

      if (state == NM_ACTIVE_CONNECTION_STATE_DEACTIVATING ||
          state == NM_ACTIVE_CONNECTION_STATE_DEACTIVATED)
        {
          change_failed (task, g_error_new (VMD_ERROR, VMD_ERROR_FAILED,
                                            _("“%s” could not be brought up (NetworkManager "
                                              "reason %d)."),
                                            nm_active_connection_get_id (active),
                                            (int) nm_active_connection_get_state_reason (active)));
          return;
        }
      if (state != NM_ACTIVE_CONNECTION_STATE_ACTIVATED)
        return;
    }
  change_succeeded (task);
}

static void
on_active_state (NMActiveConnection *active,
                 GParamSpec         *pspec,
                 GTask              *task)
{
  check_waiting (task);
}

static void
wait_until_active (GTask *task)
{
  Change *change = g_task_get_task_data (task);

  for (guint i = 0; i < change->waiting->len; i++)
    g_signal_connect (change->waiting->pdata[i], "notify::" NM_ACTIVE_CONNECTION_STATE,
                      G_CALLBACK (on_active_state), task);
  change->timeout_id = g_timeout_add_seconds (activation_timeout (change), on_activation_timeout, task);
  check_waiting (task);
}

static void activate_next (GTask *task);

static void
on_activated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;   /* the in-flight call's reference */
  Change *change = g_task_get_task_data (task);
  GError *error = NULL;
  NMActiveConnection *active = nm_client_activate_connection_finish (NM_CLIENT (source), result, &error);

  if (active == NULL)
    {
      change_failed (task, nm_failure (error, _("Could not bring the bridge up")));
      g_error_free (error);
      return;
    }
  g_ptr_array_add (change->waiting, active);
  activate_next (task);
}

/* One at a time, in order: the bridge before its port. */
static void
activate_next (GTask *task)
{
  VmdBridgeManager *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  guint next = change->waiting->len;

  if (change->finished)
    return;
  if (next >= change->activate->len)
    {
      wait_until_active (task);
      return;
    }
  nm_client_activate_connection_async (self->client, change->activate->pdata[next],
                                       change->activate_on->pdata[next], NULL,
                                       g_task_get_cancellable (task), on_activated, g_object_ref (task));
}

static void
on_port_added (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;   /* the in-flight call's reference */
  VmdBridgeManager *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  GError *error = NULL;
  NMRemoteConnection *port = nm_client_add_connection2_finish (NM_CLIENT (source), result, NULL, &error);

  if (port == NULL)
    {
      change_failed (task, nm_failure (error, _("Could not add the bridge's port")));
      g_error_free (error);
      return;
    }
  if (self->undo != NULL)
    g_ptr_array_add (self->undo->added, g_strdup (nm_connection_get_uuid (NM_CONNECTION (port))));
  g_ptr_array_add (change->activate, port);
  g_ptr_array_add (change->activate_on, g_object_ref (change->port_device));
  activate_next (task);
}

static void
on_bridge_added (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;   /* the in-flight call's reference */
  VmdBridgeManager *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  GError *error = NULL;
  NMRemoteConnection *bridge = nm_client_add_connection2_finish (NM_CLIENT (source), result, NULL, &error);

  if (bridge == NULL)
    {
      change_failed (task, nm_failure (error, _("Could not add the bridge")));
      g_error_free (error);
      return;
    }
  if (self->undo != NULL)
    g_ptr_array_add (self->undo->added, g_strdup (nm_connection_get_uuid (NM_CONNECTION (bridge))));
  g_ptr_array_add (change->activate, bridge);
  g_ptr_array_add (change->activate_on, NULL);
  if (change->port == NULL)
    {
      activate_next (task);
      return;
    }
  nm_client_add_connection2 (self->client,
                             nm_connection_to_dbus (change->port, NM_CONNECTION_SERIALIZE_ALL),
                             NM_SETTINGS_ADD_CONNECTION2_FLAG_IN_MEMORY |
                             NM_SETTINGS_ADD_CONNECTION2_FLAG_BLOCK_AUTOCONNECT,
                             NULL, TRUE, g_task_get_cancellable (task), on_port_added, g_object_ref (task));
}

static void
add_bridge (GTask *task)
{
  VmdBridgeManager *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);

  /* BLOCK_AUTOCONNECT: nothing comes up before we ask, in our order. IN_MEMORY: nothing reaches
   * the disk before the user keeps it (confirm saves), so a change NetworkManager forgets when it
   * stops (checkpoints live in its memory) is not found on disk at the next start. */
  nm_client_add_connection2 (self->client,
                             nm_connection_to_dbus (change->bridge, NM_CONNECTION_SERIALIZE_ALL),
                             NM_SETTINGS_ADD_CONNECTION2_FLAG_IN_MEMORY |
                             NM_SETTINGS_ADD_CONNECTION2_FLAG_BLOCK_AUTOCONNECT,
                             NULL, TRUE, g_task_get_cancellable (task), on_bridge_added, g_object_ref (task));
}

static void
on_profile_deleted (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;   /* the in-flight call's reference */
  Change *change = g_task_get_task_data (task);
  GError *error = NULL;

  change->pending--;
  if (!nm_remote_connection_delete_finish (NM_REMOTE_CONNECTION (source), result, &error))
    {
      change_failed (task, nm_failure (error, _("Could not delete a profile of the bridge")));
      g_error_free (error);
    }
  if (change->pending == 0 && !change->finished)
    activate_next (task);
}

static void
delete_profiles (GTask *task)
{
  Change *change = g_task_get_task_data (task);

  change->pending = change->doomed->len;
  for (guint i = 0; i < change->doomed->len; i++)
    nm_remote_connection_delete_async (change->doomed->pdata[i], g_task_get_cancellable (task),
                                       on_profile_deleted, g_object_ref (task));
}

static void
on_checkpoint_created (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;   /* the in-flight call's reference */
  VmdBridgeManager *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autoptr(NMCheckpoint) checkpoint = NULL;
  GError *error = NULL;

  checkpoint = nm_client_checkpoint_create_finish (NM_CLIENT (source), result, &error);
  if (checkpoint == NULL)
    {
      GError *failure = nm_failure (error, _("Could not save the current network settings to "
                                             "come back to; nothing was changed"));

      g_error_free (error);
      change_failed (task, failure);
      return;
    }
  change->checkpoint = g_strdup (nm_object_get_path (NM_OBJECT (checkpoint)));
  forget_pending (self);
  set_interrupted (self, NULL);
  if (change->bridge != NULL)
    {
      self->undo = g_new0 (Undo, 1);
      self->undo->added = g_ptr_array_new_with_free_func (g_free);
      self->undo->bridge = g_strdup (change->settings->name);
      self->undo->nic = change->port_device != NULL ?
                        g_strdup (nm_device_get_iface (change->port_device)) : NULL;
      self->undo->previous = g_strdup (change->previous);
    }
  set_checkpoint (self, change->checkpoint);
  if (change->bridge != NULL)
    add_bridge (task);
  else
    delete_profiles (task);
}

/* Each call in flight holds a reference to the task, and the change holds one of its own from
 * here until it returns (waiting on signals holds none otherwise). */
static void
start_change (VmdBridgeManager *self,
              GTask            *task)
{
  Change *change = g_task_get_task_data (task);

  /* Over all devices: NetworkManager takes DISCONNECT_NEW_DEVICES only with an empty device
   * list, and without it a rolled-back bridge could stay behind. */
  g_object_ref (task);
  nm_client_checkpoint_create (self->client, change->devices, change->timeout_s,
                               NM_CHECKPOINT_CREATE_FLAG_DELETE_NEW_CONNECTIONS |
                               NM_CHECKPOINT_CREATE_FLAG_DISCONNECT_NEW_DEVICES,
                               g_task_get_cancellable (task), on_checkpoint_created,
                               g_object_ref (task));
}

/* Create and delete start alike: a task that carries a fresh change for prepare_create or
 * prepare_delete to fill in, then for start_change. */
static GTask *
change_task_new (VmdBridgeManager    *self,
                 guint                rollback_timeout_s,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, change_new (rollback_timeout_s), (GDestroyNotify) change_free);
  return task;
}

static gboolean
check_no_pending (VmdBridgeManager  *self,
                  GError           **error)
{
  if (self->checkpoint == NULL)
    return TRUE;
  g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                       _("Keep or undo the previous network change first."));
  return FALSE;
}

/* --- create -------------------------------------------------------------------------------- */

static gboolean
prepare_create (VmdBridgeManager         *self,
                Change                   *change,
                const VmdBridgeSettings  *settings,
                GError                  **error)
{
  NMDevice *device = NULL;
  NMActiveConnection *previous = NULL;

  if (!check_nm (self, error) || !check_permission (self, error) || !check_no_pending (self, error) ||
      !vmd_bridge_settings_validate (settings, error))
    return FALSE;
  if (name_in_use (self, settings->name))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                   _("A network interface or profile called “%s” exists already. Choose another "
                     "name. Nothing was changed."), settings->name);
      return FALSE;
    }
  if (settings->port != NULL && *settings->port != '\0')
    {
      if ((device = find_port_device (self, settings->port, error)) == NULL)
        return FALSE;
      previous = nm_device_get_active_connection (device);
      change->port_device = g_object_ref (device);
      if (previous != NULL)
        change->previous = g_strdup (nm_active_connection_get_uuid (previous));
    }

  change->settings = vmd_bridge_settings_copy (settings);
  if ((change->bridge = build_bridge (settings, error)) == NULL)
    return FALSE;
  if (device != NULL &&
      (change->port = build_port (settings->name, settings->port,
                                  previous != NULL ? nm_active_connection_get_uuid (previous) : NULL,
                                  error)) == NULL)
    return FALSE;
  return TRUE;
}

/* Adds and brings up the bridge (and its port), then leaves the checkpoint pending: the caller
 * asks the user and calls confirm, or rollback; without either, NetworkManager rolls back when
 * rollback_timeout_s runs out. */
void
vmd_bridge_manager_create_bridge_async (VmdBridgeManager        *self,
                                        const VmdBridgeSettings *settings,
                                        guint                    rollback_timeout_s,
                                        GCancellable            *cancellable,
                                        GAsyncReadyCallback      callback,
                                        gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VMD_IS_BRIDGE_MANAGER (self));
  g_return_if_fail (settings != NULL);

  task = change_task_new (self, rollback_timeout_s, vmd_bridge_manager_create_bridge_async,
                          cancellable, callback, user_data);
  if (prepare_create (self, g_task_get_task_data (task), settings, &error))
    start_change (self, task);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

gboolean
vmd_bridge_manager_create_bridge_finish (VmdBridgeManager  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- delete -------------------------------------------------------------------------------- */

static gboolean
is_bridge_profile (NMConnection *connection,
                   const char   *name)
{
  return g_strcmp0 (nm_connection_get_connection_type (connection), NM_SETTING_BRIDGE_SETTING_NAME) == 0 &&
         (g_strcmp0 (nm_connection_get_interface_name (connection), name) == 0 ||
          g_strcmp0 (nm_connection_get_id (connection), name) == 0);
}

static gboolean
is_port_of (NMConnection *connection,
            const char   *name,
            GPtrArray    *bridges)
{
  NMSettingConnection *s_con = nm_connection_get_setting_connection (connection);
  const char *master = s_con != NULL ? nm_setting_connection_get_master (s_con) : NULL;

  if (master == NULL ||
      g_strcmp0 (nm_setting_connection_get_slave_type (s_con), NM_SETTING_BRIDGE_SETTING_NAME) != 0)
    return FALSE;
  if (g_str_equal (master, name))
    return TRUE;
  for (guint i = 0; i < bridges->len; i++)
    if (g_strcmp0 (master, nm_connection_get_uuid (bridges->pdata[i])) == 0)
      return TRUE;
  return FALSE;
}

/* The NIC's profile from before it became a port: the one we noted, else any plain profile
 * for that interface. */
static NMRemoteConnection *
find_previous_profile (VmdBridgeManager *self,
                       NMConnection     *port,
                       const char       *nic)
{
  NMSettingUser *s_user = NM_SETTING_USER (nm_connection_get_setting_by_name (port, NM_SETTING_USER_SETTING_NAME));
  const char *uuid = s_user != NULL ? nm_setting_user_get_data (s_user, PREVIOUS_PROFILE_KEY) : NULL;
  NMRemoteConnection *noted = uuid != NULL ? nm_client_get_connection_by_uuid (self->client, uuid) : NULL;
  const GPtrArray *connections = nm_client_get_connections (self->client);

  if (noted != NULL)
    return noted;
  for (guint i = 0; i < connections->len; i++)
    {
      NMConnection *candidate = connections->pdata[i];
      NMSettingConnection *s_con = nm_connection_get_setting_connection (candidate);

      if (g_strcmp0 (nm_connection_get_interface_name (candidate), nic) == 0 &&
          g_strcmp0 (nm_connection_get_connection_type (candidate), NM_SETTING_WIRED_SETTING_NAME) == 0 &&
          s_con != NULL && nm_setting_connection_get_master (s_con) == NULL)
        return connections->pdata[i];
    }
  return NULL;
}

static gboolean
prepare_delete (VmdBridgeManager  *self,
                Change            *change,
                const char        *name,
                GError           **error)
{
  const GPtrArray *connections = nm_client_get_connections (self->client);
  g_autoptr(GPtrArray) bridges = g_ptr_array_new ();

  if (!check_nm (self, error) || !check_permission (self, error) || !check_no_pending (self, error))
    return FALSE;
  change->name = g_strdup (name);
  for (guint i = 0; i < connections->len; i++)
    if (is_bridge_profile (connections->pdata[i], name))
      g_ptr_array_add (bridges, connections->pdata[i]);
  if (bridges->len == 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                   _("NetworkManager has no bridge called “%s”. Nothing was changed."), name);
      return FALSE;
    }

  for (guint i = 0; i < connections->len; i++)
    {
      NMConnection *port = connections->pdata[i];
      const char *nic = nm_connection_get_interface_name (port);
      NMDevice *device = nic != NULL ? nm_client_get_device_by_iface (self->client, nic) : NULL;
      NMRemoteConnection *previous;

      if (!is_port_of (port, name, bridges))
        continue;
      g_ptr_array_add (change->doomed, g_object_ref (port));
      if (device == NULL)
        continue;
      if ((previous = find_previous_profile (self, port, nic)) != NULL)
        {
          g_ptr_array_add (change->activate, g_object_ref (previous));
          g_ptr_array_add (change->activate_on, g_object_ref (device));
        }
    }
  for (guint i = 0; i < bridges->len; i++)
    g_ptr_array_add (change->doomed, g_object_ref (bridges->pdata[i]));
  return TRUE;
}

/* Deletes the bridge's and its ports' profiles and brings each NIC's previous profile back up,
 * under a checkpoint like create. */
void
vmd_bridge_manager_delete_bridge_async (VmdBridgeManager    *self,
                                        const char          *name,
                                        guint                rollback_timeout_s,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VMD_IS_BRIDGE_MANAGER (self));
  g_return_if_fail (name != NULL);

  task = change_task_new (self, rollback_timeout_s, vmd_bridge_manager_delete_bridge_async,
                          cancellable, callback, user_data);
  if (prepare_delete (self, g_task_get_task_data (task), name, &error))
    start_change (self, task);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

gboolean
vmd_bridge_manager_delete_bridge_finish (VmdBridgeManager  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- keep or undo ---------------------------------------------------------------------------- */

static gboolean
checkpoint_exists (VmdBridgeManager *self,
                   const char       *path)
{
  const GPtrArray *checkpoints = nm_client_get_checkpoints (self->client);

  for (guint i = 0; i < checkpoints->len; i++)
    if (g_strcmp0 (nm_object_get_path (checkpoints->pdata[i]), path) == 0)
      return TRUE;
  return FALSE;
}

/* nm-running can lag a moment behind the name owner when NetworkManager goes. */
static gboolean
nm_present (VmdBridgeManager *self)
{
  return nm_client_get_nm_running (self->client) &&
         nm_client_get_dbus_name_owner (self->client) != NULL;
}

static GError *
interrupted_error (VmdBridgeManager *self)
{
  return g_error_new (VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING, _("NetworkManager is not running. %s"),
                      self->interrupted != NULL ? self->interrupted : "");
}

typedef struct {
  char   *path;      /* the checkpoint to destroy */
  guint   pending;   /* profiles being written to disk */
  GError *error;     /* the first that could not be */
} Keep;

static void
keep_free (Keep *keep)
{
  g_free (keep->path);
  g_clear_error (&keep->error);
  g_free (keep);
}

static void
on_confirmed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdBridgeManager *self = g_task_get_source_object (task);
  Keep *keep = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (nm_client_checkpoint_destroy_finish (NM_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else if (!nm_present (self))
    g_task_return_error (task, nm_failure (error, _("Could not keep the new network settings")));
  else if (!checkpoint_exists (self, keep->path))
    g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_ROLLED_BACK,
                             _("Too late: the time ran out and NetworkManager restored the "
                               "previous network settings."));
  else
    g_task_return_error (task, nm_failure (error, _("Could not keep the new network settings")));
}

/* Every profile is on disk: destroying the checkpoint is what keeps the change. */
static void
destroy_checkpoint (GTask *task)
{
  VmdBridgeManager *self = g_task_get_source_object (task);
  Keep *keep = g_task_get_task_data (task);

  if (self->interrupted != NULL)
    {
      g_task_return_error (task, interrupted_error (self));
      return;
    }
  if (g_strcmp0 (self->checkpoint, keep->path) != 0)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_ROLLED_BACK,
                               _("Too late: the time ran out and NetworkManager restored the "
                                 "previous network settings."));
      return;
    }
  if (keep->error != NULL)
    {
      /* The checkpoint stays: undo, or NetworkManager's timer, restores the previous settings. */
      g_task_return_error (task, nm_failure (keep->error, _("Could not save the new network "
                                                            "settings to disk, so they were not "
                                                            "kept")));
      return;
    }
  /* Cleared now, so its disappearance from NetworkManager's list is not taken for a rollback. */
  set_checkpoint (self, NULL);
  forget_pending (self);
  nm_client_checkpoint_destroy (self->client, keep->path, g_task_get_cancellable (task), on_confirmed,
                                g_object_ref (task));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Keep *keep = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = nm_remote_connection_update2_finish (NM_REMOTE_CONNECTION (source), result, &error);
  if (reply == NULL && keep->error == NULL)
    keep->error = error;
  else if (reply == NULL)
    g_error_free (error);
  if (--keep->pending == 0)
    destroy_checkpoint (task);
}

/* The profiles a create added live in NetworkManager's memory until now: write them to disk
 * first, then destroy the checkpoint. */
void
vmd_bridge_manager_confirm_async (VmdBridgeManager    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Keep *keep;

  g_return_if_fail (VMD_IS_BRIDGE_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_bridge_manager_confirm_async);
  if (self->checkpoint == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                               _("There is no network change waiting to be kept."));
      return;
    }
  if (self->interrupted != NULL || !nm_present (self))
    {
      g_task_return_error (task, interrupted_error (self));
      return;
    }
  keep = g_new0 (Keep, 1);
  keep->path = g_strdup (self->checkpoint);
  g_task_set_task_data (task, keep, (GDestroyNotify) keep_free);
  for (guint i = 0; self->undo != NULL && i < self->undo->added->len; i++)
    {
      NMRemoteConnection *profile = nm_client_get_connection_by_uuid (self->client,
                                                                      self->undo->added->pdata[i]);

      if (profile == NULL)
        continue;
      keep->pending++;
      nm_remote_connection_update2 (profile, NULL, NM_SETTINGS_UPDATE2_FLAG_TO_DISK, NULL,
                                    cancellable, on_saved, g_object_ref (task));
    }
  if (keep->pending == 0)
    destroy_checkpoint (task);
}

gboolean
vmd_bridge_manager_confirm_finish (VmdBridgeManager  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_rolled_back (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GHashTable) results = NULL;
  g_autoptr(GError) error = NULL;

  results = nm_client_checkpoint_rollback_finish (NM_CLIENT (source), result, &error);
  if (results != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, nm_failure (error, _("Could not restore the previous network "
                                                    "settings")));
}

void
vmd_bridge_manager_rollback_async (VmdBridgeManager    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (VMD_IS_BRIDGE_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_bridge_manager_rollback_async);
  if (self->checkpoint == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                               _("There is no network change to undo."));
      return;
    }
  /* Undone by hand when NetworkManager is back; nothing can be asked of it before. */
  if (self->interrupted != NULL || !nm_present (self))
    {
      g_task_return_error (task, interrupted_error (self));
      return;
    }
  path = g_strdup (self->checkpoint);
  set_checkpoint (self, NULL);
  forget_pending (self);
  nm_client_checkpoint_rollback (self->client, path, NULL, on_rolled_back, g_steal_pointer (&task));
}

gboolean
vmd_bridge_manager_rollback_finish (VmdBridgeManager  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- NetworkManager stopped before confirm ----------------------------------------------------- */

/* Its checkpoint died with it and nothing was rolled back: the change stays pending (not
 * keepable) until NetworkManager is back and it is undone by hand. */
static void
note_interrupted (VmdBridgeManager *self)
{
  if (self->checkpoint == NULL || self->interrupted != NULL)
    return;
  if (self->undo != NULL)
    set_interrupted (self, _("NetworkManager stopped before the change was kept; the change will "
                             "be undone when it is back."));
  else
    set_interrupted (self, _("NetworkManager stopped before the change was kept. The bridge's "
                             "profiles were already deleted, so the deletion stays."));
}

/* The undo runs right after NetworkManager is back, before libnm's cache has every profile and
 * device (a profile shows up there only once its settings are fetched): each step asks
 * NetworkManager over D-Bus instead. */
typedef struct {
  VmdBridgeManager *self;
  guint             next;          /* the next added profile to delete */
  guint             tries;         /* of the current wait, every 100 ms */
  char             *previous;      /* D-Bus path of the NIC's previous profile */
  GError           *device_error;  /* deleting the bridge device failed */
} UndoRun;

static void undo_next_profile (UndoRun *run);
static void undo_delete_device (UndoRun *run);
static void undo_reactivate (UndoRun *run);

static void
undo_finish (UndoRun *run,
             GError  *error)
{
  VmdBridgeManager *self = run->self;
  gboolean undone = self->undo != NULL && error == NULL;

  self->undoing = FALSE;
  g_clear_error (&run->device_error);
  g_free (run->previous);
  g_free (run);
  /* Gone again halfway: still pending, tried again when it is back. */
  if (error != NULL && !nm_present (self))
    {
      g_debug ("undo: NetworkManager went away again: %s", error->message);
      g_error_free (error);
      g_object_unref (self);
      return;
    }
  set_checkpoint (self, NULL);
  forget_pending (self);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("NetworkManager stopped before the change was "
                                                    "kept, and undoing the change now that it is "
                                                    "back failed: %s"), error->message);

      set_interrupted (self, message);
      g_error_free (error);
    }
  else
    set_interrupted (self, NULL);
  if (undone)
    g_signal_emit (self, signals[ROLLED_BACK], 0,
                   _("NetworkManager stopped before the change was kept; now that it is back, the "
                     "change was undone."));
  g_signal_emit (self, signals[CHANGED], 0);
  g_object_unref (self);
}

static void
undo_call (UndoRun             *run,
           const char          *path,
           const char          *interface,
           const char          *method,
           GVariant            *parameters,
           const char          *reply_type,
           GAsyncReadyCallback  callback)
{
  nm_client_dbus_call (run->self->client, path, interface, method, parameters,
                       G_VARIANT_TYPE (reply_type), 10000, NULL, callback, run);
}

/* A D-Bus object path from a reply, or NULL (and why, in error). */
static char *
undo_path (GObject       *source,
           GAsyncResult  *result,
           GError       **error)
{
  g_autoptr(GVariant) reply = nm_client_dbus_call_finish (NM_CLIENT (source), result, error);
  char *path = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(o)", &path);
  return path;
}

/* 3. The NIC on its previous profile again, activated. */

static gboolean
nic_on_previous (VmdBridgeManager *self)
{
  NMDevice *device = nm_client_get_device_by_iface (self->client, self->undo->nic);
  NMActiveConnection *active = device != NULL ? nm_device_get_active_connection (device) : NULL;

  return active != NULL && g_strcmp0 (nm_active_connection_get_uuid (active), self->undo->previous) == 0 &&
         nm_active_connection_get_state (active) == NM_ACTIVE_CONNECTION_STATE_ACTIVATED;
}

static gboolean
on_wait_nic (gpointer user_data)
{
  UndoRun *run = user_data;

  if (nic_on_previous (run->self))
    undo_finish (run, NULL);
  else if (++run->tries >= ACTIVATION_TIMEOUT_S * 10)
    undo_finish (run, g_error_new (VMD_ERROR, VMD_ERROR_FAILED,
                                   _("“%s” did not come back up on its previous profile."),
                                   run->self->undo->nic));
  else
    return G_SOURCE_CONTINUE;
  return G_SOURCE_REMOVE;
}

static void
on_undo_activated (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  UndoRun *run = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = nm_client_dbus_call_finish (NM_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      GError *failure = nm_failure (error, _("Could not bring the previous profile back up"));

      g_error_free (error);
      undo_finish (run, failure);
      return;
    }
  run->tries = 0;
  g_timeout_add (100, on_wait_nic, run);
}

static void
on_undo_nic_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  UndoRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *nic = undo_path (source, result, &error);

  if (nic == NULL)
    {
      g_debug ("undo: no device %s: %s", run->self->undo->nic, error->message);
      undo_finish (run, NULL);
      return;
    }
  g_debug ("undo: bringing %s up again on %s", run->self->undo->previous, run->self->undo->nic);
  undo_call (run, NM_DBUS_PATH, NM_DBUS_INTERFACE, "ActivateConnection",
             g_variant_new ("(ooo)", run->previous, nic, "/"), "(o)", on_undo_activated);
}

static void
on_undo_previous_found (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  UndoRun *run = user_data;
  g_autoptr(GError) error = NULL;

  run->previous = undo_path (source, result, &error);
  if (run->previous == NULL)
    {
      /* Deleted meanwhile: nothing to give back. */
      g_debug ("undo: no profile %s: %s", run->self->undo->previous, error->message);
      undo_finish (run, NULL);
      return;
    }
  undo_call (run, NM_DBUS_PATH, NM_DBUS_INTERFACE, "GetDeviceByIpIface",
             g_variant_new ("(s)", run->self->undo->nic), "(o)", on_undo_nic_found);
}

static void
undo_reactivate (UndoRun *run)
{
  Undo *undo = run->self->undo;

  if (undo->nic == NULL || undo->previous == NULL)
    {
      undo_finish (run, NULL);
      return;
    }
  undo_call (run, NM_DBUS_PATH_SETTINGS, NM_DBUS_INTERFACE_SETTINGS, "GetConnectionByUuid",
             g_variant_new ("(s)", undo->previous), "(o)", on_undo_previous_found);
}

/* 2. The bridge device, if it outlived its profile (NetworkManager restarted without the profile
 *    it had in memory and found br5 in the kernel): deleted as a software device. */

static void undo_check_device (UndoRun *run);

static gboolean
on_recheck_device (gpointer user_data)
{
  undo_check_device (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_device_checked (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  UndoRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *device = undo_path (source, result, &error);

  if (device == NULL)
    undo_reactivate (run);
  else if (++run->tries < (run->device_error != NULL ? 50 : ACTIVATION_TIMEOUT_S * 10))
    g_timeout_add (100, on_recheck_device, run);
  else if (run->device_error != NULL)
    undo_finish (run, g_error_copy (run->device_error));
  else
    undo_finish (run, g_error_new (VMD_ERROR, VMD_ERROR_FAILED, _("“%s” is still there."),
                                   run->self->undo->bridge));
}

/* Gone from NetworkManager's devices, which follow the kernel's. */
static void
undo_check_device (UndoRun *run)
{
  undo_call (run, NM_DBUS_PATH, NM_DBUS_INTERFACE, "GetDeviceByIpIface",
             g_variant_new ("(s)", run->self->undo->bridge), "(o)", on_device_checked);
}

static void
on_undo_device_deleted (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  UndoRun *run = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  /* Failing because NetworkManager removed it first is fine: the check below decides. */
  reply = nm_client_dbus_call_finish (NM_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      g_debug ("undo: deleting device %s: %s", run->self->undo->bridge, error->message);
      run->device_error = nm_failure (error, _("Could not delete the bridge"));
      g_error_free (error);
    }
  run->tries = 0;
  undo_check_device (run);
}

static void
on_undo_device_found (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  UndoRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *device = undo_path (source, result, &error);

  if (device == NULL)
    {
      undo_reactivate (run);
      return;
    }
  g_debug ("undo: deleting device %s", run->self->undo->bridge);
  undo_call (run, device, NM_DBUS_INTERFACE_DEVICE, "Delete", g_variant_new ("()"), "()",
             on_undo_device_deleted);
}

static void
undo_delete_device (UndoRun *run)
{
  undo_call (run, NM_DBUS_PATH, NM_DBUS_INTERFACE, "GetDeviceByIpIface",
             g_variant_new ("(s)", run->self->undo->bridge), "(o)", on_undo_device_found);
}

/* 1. The profiles the change added, those NetworkManager still has: in-memory ones come back
 *    when only NetworkManager restarted (/run stays), not after a reboot. Deleting the bridge's
 *    profile also takes down the bridge NetworkManager made for it. */

static void
on_undo_profile_deleted (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  UndoRun *run = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = nm_client_dbus_call_finish (NM_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      GError *failure = nm_failure (error, _("Could not delete a profile of the bridge"));

      g_error_free (error);
      undo_finish (run, failure);
      return;
    }
  undo_next_profile (run);
}

static void
on_undo_profile_found (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  UndoRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = undo_path (source, result, &error);

  if (profile == NULL)
    {
      undo_next_profile (run);
      return;
    }
  g_debug ("undo: deleting profile %s", (const char *) run->self->undo->added->pdata[run->next - 1]);
  undo_call (run, profile, NM_DBUS_INTERFACE_SETTINGS_CONNECTION, "Delete", g_variant_new ("()"),
             "()", on_undo_profile_deleted);
}

static void
undo_next_profile (UndoRun *run)
{
  Undo *undo = run->self->undo;

  if (run->next >= undo->added->len)
    {
      undo_delete_device (run);
      return;
    }
  undo_call (run, NM_DBUS_PATH_SETTINGS, NM_DBUS_INTERFACE_SETTINGS, "GetConnectionByUuid",
             g_variant_new ("(s)", (const char *) undo->added->pdata[run->next++]), "(o)",
             on_undo_profile_found);
}

/* NetworkManager is back and done starting: undo what it forgot. */
static void
maybe_undo (VmdBridgeManager *self)
{
  UndoRun *run;

  if (self->interrupted == NULL || self->checkpoint == NULL || self->undoing ||
      !nm_present (self) || nm_client_get_startup (self->client))
    return;
  if (self->undo == NULL)
    {
      /* A deletion: already on disk, nothing to undo. */
      set_checkpoint (self, NULL);
      g_signal_emit (self, signals[CHANGED], 0);
      return;
    }
  self->undoing = TRUE;
  run = g_new0 (UndoRun, 1);
  run->self = g_object_ref (self);
  undo_next_profile (run);
}

/* --- following NetworkManager ---------------------------------------------------------------- */

static void
emit_changed (VmdBridgeManager *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* NetworkManager drops a checkpoint when its time runs out, after rolling back. The list also
 * empties when NetworkManager stops, and then nothing was rolled back. */
static void
on_checkpoints_changed (NMClient         *client,
                        GParamSpec       *pspec,
                        VmdBridgeManager *self)
{
  if (self->checkpoint == NULL || self->interrupted != NULL ||
      checkpoint_exists (self, self->checkpoint))
    return;
  if (!nm_present (self))
    {
      note_interrupted (self);
      return;
    }
  set_checkpoint (self, NULL);
  forget_pending (self);
  g_signal_emit (self, signals[ROLLED_BACK], 0,
                 _("Nobody kept the new settings in time, so NetworkManager restored the previous "
                   "ones."));
}

static void
on_nm_running_changed (NMClient         *client,
                       GParamSpec       *pspec,
                       VmdBridgeManager *self)
{
  if (!nm_client_get_nm_running (client))
    note_interrupted (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NM_RUNNING]);
  emit_changed (self);
  maybe_undo (self);
}

static void
watch_device (VmdBridgeManager *self,
              NMDevice         *device)
{
  g_signal_connect_object (device, "notify::" NM_DEVICE_STATE, G_CALLBACK (emit_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
on_device_added (NMClient         *client,
                 NMDevice         *device,
                 VmdBridgeManager *self)
{
  watch_device (self, device);
  emit_changed (self);
}

static void
follow_client (VmdBridgeManager *self)
{
  const char *changes[] = {
    NM_CLIENT_DEVICE_REMOVED, NM_CLIENT_CONNECTION_ADDED, NM_CLIENT_CONNECTION_REMOVED,
    NM_CLIENT_ACTIVE_CONNECTION_ADDED, NM_CLIENT_ACTIVE_CONNECTION_REMOVED,
  };
  const GPtrArray *devices = nm_client_get_devices (self->client);

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    g_signal_connect_object (self->client, changes[i], G_CALLBACK (emit_changed), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, NM_CLIENT_DEVICE_ADDED, G_CALLBACK (on_device_added), self, 0);
  g_signal_connect_object (self->client, "notify::" NM_CLIENT_CHECKPOINTS,
                           G_CALLBACK (on_checkpoints_changed), self, 0);
  g_signal_connect_object (self->client, "notify::" NM_CLIENT_NM_RUNNING,
                           G_CALLBACK (on_nm_running_changed), self, 0);
  g_signal_connect_object (self->client, "notify::" NM_CLIENT_STARTUP,
                           G_CALLBACK (maybe_undo), self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < devices->len; i++)
    watch_device (self, devices->pdata[i]);
}

static void
on_client_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) client = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, &error);
  VmdBridgeManager *self;

  if (client == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NM_NOT_RUNNING,
                               _("Could not reach the system message bus to ask NetworkManager: %s"),
                               error->message);
      return;
    }
  self = g_object_new (VMD_TYPE_BRIDGE_MANAGER, NULL);
  self->client = NM_CLIENT (g_steal_pointer (&client));
  follow_client (self);
  g_task_return_pointer (task, self, g_object_unref);
}

/* bus: NULL for the system bus (DBUS_SYSTEM_BUS_ADDRESS is honoured), or a private one. A
 * NetworkManager that is not running is not an error here: see get_nm_running. */
void
vmd_bridge_manager_new_async (GDBusConnection     *bus,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_bridge_manager_new_async);
  g_async_initable_new_async (NM_TYPE_CLIENT, G_PRIORITY_DEFAULT, cancellable, on_client_ready, task,
                              NM_CLIENT_DBUS_CONNECTION, bus, NULL);
}

VmdBridgeManager *
vmd_bridge_manager_new_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_bridge_manager_dispose (GObject *object)
{
  VmdBridgeManager *self = VMD_BRIDGE_MANAGER (object);

  /* A pending checkpoint is left to NetworkManager's timeout: it rolls back by itself. */
  g_clear_object (&self->client);
  G_OBJECT_CLASS (vmd_bridge_manager_parent_class)->dispose (object);
}

static void
vmd_bridge_manager_finalize (GObject *object)
{
  VmdBridgeManager *self = VMD_BRIDGE_MANAGER (object);

  g_free (self->checkpoint);
  g_free (self->interrupted);
  undo_free (self->undo);
  G_OBJECT_CLASS (vmd_bridge_manager_parent_class)->finalize (object);
}

static void
vmd_bridge_manager_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VmdBridgeManager *self = VMD_BRIDGE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_NM_RUNNING:
      g_value_set_boolean (value, self->client != NULL && nm_client_get_nm_running (self->client));
      break;
    case PROP_PENDING_CHECKPOINT:
      g_value_set_string (value, self->checkpoint);
      break;
    case PROP_INTERRUPTED:
      g_value_set_string (value, self->interrupted);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_bridge_manager_class_init (VmdBridgeManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_bridge_manager_dispose;
  object_class->finalize = vmd_bridge_manager_finalize;
  object_class->get_property = vmd_bridge_manager_get_property;

  properties[PROP_NM_RUNNING] =
    g_param_spec_boolean ("nm-running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING_CHECKPOINT] =
    g_param_spec_string ("pending-checkpoint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* NetworkManager stopped before the pending change was kept: why it cannot be kept now. */
  properties[PROP_INTERRUPTED] =
    g_param_spec_string ("interrupted", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Devices, profiles or their states changed: listings are stale. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A pending change was undone, with the reason as a sentence: by NetworkManager because nobody
   * confirmed it in time, or by the manager once NetworkManager came back after it stopped
   * before confirm. Never emitted when nothing was undone. */
  signals[ROLLED_BACK] = g_signal_new ("rolled-back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vmd_bridge_manager_init (VmdBridgeManager *self)
{
}
