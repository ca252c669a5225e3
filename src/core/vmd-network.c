/* VmdNetwork: the object lives as long as the network (keyed by UUID in VmdResources); its
 * handle is swapped when the connection is made again. Operations take a reference to the
 * handle into the worker thread and read nothing else of the object there. */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "vmd-blocking.h"
#include "vmd-error.h"
#include "vmd-network.h"
#include "vmd-xml.h"

struct _VmdNetwork
{
  GObject         parent_instance;
  VmdNetworkInfo *info;
};

G_DEFINE_FINAL_TYPE (VmdNetwork, vmd_network, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_BRIDGE,
  PROP_ACTIVE,
  PROP_AUTOSTART,
  PROP_XML,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* --- reading libvirt (worker thread) ----------------------------------------------------------- */

static guint
prefix_of_netmask (const char *netmask)
{
  g_autoptr(GInetAddress) mask = g_inet_address_new_from_string (netmask);
  const guint8 *bytes = mask != NULL ? g_inet_address_to_bytes (mask) : NULL;
  guint prefix = 0;

  for (gsize i = 0; bytes != NULL && i < g_inet_address_get_native_size (mask); i++)
    for (int bit = 7; bit >= 0; bit--)
      prefix += (bytes[i] >> bit) & 1;
  return prefix;
}

/* "address/prefix" of every <ip> (IPv4 with netmask= or prefix=, IPv6 with prefix=). */
GStrv
vmd_network_subnets_from_xml (const char *xml)
{
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, NULL);
  g_autoptr(GPtrArray) ips = doc != NULL ? vmd_xml_nodes (doc, NULL, "/network/ip") : NULL;
  g_autoptr(GStrvBuilder) subnets = g_strv_builder_new ();

  for (guint i = 0; ips != NULL && i < ips->len; i++)
    {
      g_autofree char *address = vmd_xml_string (doc, ips->pdata[i], "@address");
      g_autofree char *netmask = vmd_xml_string (doc, ips->pdata[i], "@netmask");
      guint64 prefix = vmd_xml_uint (doc, ips->pdata[i], "@prefix", G_MAXUINT64);

      if (address == NULL)
        continue;
      if (prefix == G_MAXUINT64)
        prefix = netmask != NULL ? prefix_of_netmask (netmask) : (strchr (address, ':') ? 64 : 24);
      g_autofree char *subnet = g_strdup_printf ("%s/%u", address, (guint) prefix);

      g_strv_builder_add (subnets, subnet);
    }
  return g_strv_builder_end (subnets);
}

VmdNetworkInfo *
vmd_network_info_load (virNetworkPtr   handle,
                       VmdDomainUsage *usage)
{
  VmdNetworkInfo *info = g_new0 (VmdNetworkInfo, 1);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  char *bridge = virNetworkGetBridgeName (handle);
  int autostart = 0;
  g_autoptr(VmdXml) doc = NULL;

  virNetworkRef (handle);
  info->handle = handle;
  info->name = g_strdup (virNetworkGetName (handle));
  virNetworkGetUUIDString (handle, uuid);
  info->uuid = g_strdup (uuid);
  info->bridge = g_strdup (bridge);
  free (bridge);
  info->active = virNetworkIsActive (handle) == 1;
  info->persistent = virNetworkIsPersistent (handle) == 1;
  info->autostart = virNetworkGetAutostart (handle, &autostart) == 0 && autostart;
  /* The definition, not the running state; a driver without inactive XML gives the one. */
  info->xml = virNetworkGetXMLDesc (handle, VIR_NETWORK_XML_INACTIVE);
  if (info->xml == NULL)
    info->xml = virNetworkGetXMLDesc (handle, 0);
  doc = info->xml != NULL ? vmd_xml_parse (info->xml, NULL) : NULL;
  info->forward_mode = doc == NULL ? NULL
    : vmd_xml_exists (doc, NULL, "/network/forward[not(@mode)]") ? g_strdup ("nat")
    : vmd_xml_string (doc, NULL, "/network/forward/@mode");
  info->subnets = info->xml != NULL ? vmd_network_subnets_from_xml (info->xml) : NULL;
  info->machines = usage != NULL ? vmd_domain_usage_users (usage->networks, info->name) : NULL;
  virResetLastError ();
  return info;
}

void
vmd_network_info_free (VmdNetworkInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->handle, virNetworkFree);
  g_free (info->name);
  g_free (info->uuid);
  g_free (info->bridge);
  g_free (info->forward_mode);
  free (info->xml);
  g_strfreev (info->subnets);
  g_strfreev (info->machines);
  g_free (info);
}

void
vmd_network_lease_free (VmdNetworkLease *lease)
{
  g_free (lease->mac);
  g_free (lease->address);
  g_free (lease->hostname);
  g_free (lease);
}

/* (element-type VmdNetworkLease), sorted by address; in a worker thread. */
GPtrArray *
vmd_network_read_leases (virNetworkPtr   handle,
                         GError        **error)
{
  virNetworkDHCPLeasePtr *leases = NULL;
  int n = virNetworkGetDHCPLeases (handle, NULL, &leases, 0);
  GPtrArray *found;

  if (n < 0)
    {
      vmd_error_set_from_libvirt (error, _("The DHCP leases could not be read"));
      return NULL;
    }
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_network_lease_free);
  for (int i = 0; i < n; i++)
    {
      VmdNetworkLease *lease = g_new0 (VmdNetworkLease, 1);

      lease->mac = g_strdup (leases[i]->mac);
      lease->address = g_strdup (leases[i]->ipaddr);
      lease->prefix = leases[i]->prefix;
      lease->hostname = g_strdup (leases[i]->hostname);
      lease->expiry = leases[i]->expirytime;
      g_ptr_array_add (found, lease);
      virNetworkDHCPLeaseFree (leases[i]);
    }
  free (leases);
  return found;
}

/* --- operations (worker thread) ----------------------------------------------------------------- */

typedef struct {
  virNetworkPtr handle;
  char         *name;
  char         *xml;
  gboolean      flag;
} Op;

static void
op_free (Op *op)
{
  g_clear_pointer (&op->handle, virNetworkFree);
  g_free (op->name);
  g_free (op->xml);
  g_free (op);
}

static Op *
op_new (VmdNetwork *self)
{
  Op *op = g_new0 (Op, 1);

  virNetworkRef (self->info->handle);
  op->handle = self->info->handle;
  op->name = g_strdup (self->info->name);
  return op;
}

static gboolean
start_in_thread (gpointer data, GCancellable *cancellable, GError **error)
{
  Op *op = data;

  return virNetworkCreate (op->handle) == 0 || vmd_error_libvirt_failed (error, _("The network “%s” did not start"), op->name);
}

static gboolean
stop_in_thread (gpointer data, GCancellable *cancellable, GError **error)
{
  Op *op = data;

  return virNetworkDestroy (op->handle) == 0 || vmd_error_libvirt_failed (error, _("The network “%s” did not stop"), op->name);
}

static gboolean
autostart_in_thread (gpointer data, GCancellable *cancellable, GError **error)
{
  Op *op = data;

  return virNetworkSetAutostart (op->handle, op->flag) == 0 ||
         vmd_error_libvirt_failed (error, _("Autostart of the network “%s” was not changed"), op->name);
}

/* Machines that are running on the network would lose their NICs' link: say who they are. */
static gboolean
check_unused (Op      *op,
              GError **error)
{
  g_autoptr(VmdDomainUsage) usage = vmd_domain_usage_scan (virNetworkGetConnect (op->handle), TRUE);
  g_auto(GStrv) users = vmd_domain_usage_users (usage->networks, op->name);
  g_autofree char *names = NULL;

  if (users == NULL)
    return TRUE;
  names = g_strjoinv (", ", users);
  g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
               g_dngettext (GETTEXT_PACKAGE,
                            "The network “%s” is in use by the running machine %s: shut it down "
                            "or move its network card to another network first.",
                            "The network “%s” is in use by the running machines %s: shut them "
                            "down or move their network cards to another network first.",
                            g_strv_length (users)),
               op->name, names);
  return FALSE;
}

static gboolean
delete_in_thread (gpointer data, GCancellable *cancellable, GError **error)
{
  Op *op = data;

  if (!check_unused (op, error))
    return FALSE;
  if (virNetworkIsActive (op->handle) == 1 && virNetworkDestroy (op->handle) < 0)
    return vmd_error_libvirt_failed (error, _("The network “%s” did not stop"), op->name);
  if (virNetworkIsPersistent (op->handle) == 1 && virNetworkUndefine (op->handle) < 0)
    return vmd_error_libvirt_failed (error, _("The network “%s” was not deleted"), op->name);
  virResetLastError ();
  return TRUE;
}

/* libvirt keeps the running network as it is until it is restarted; the definition is what
 * it says back, and a changed name or UUID would make a second network: refused. */
static gboolean
define_in_thread (gpointer data, GCancellable *cancellable, GError **error)
{
  Op *op = data;
  g_autoptr(VmdXml) doc = vmd_xml_parse (op->xml, error);
  g_autofree char *name = doc != NULL ? vmd_xml_string (doc, NULL, "/network/name") : NULL;
  virNetworkPtr defined;

  if (doc == NULL)
    return FALSE;
  if (g_strcmp0 (name, op->name) != 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("The network's name cannot be changed here (“%s” is not “%s”): create a "
                     "new network instead."), name != NULL ? name : "", op->name);
      return FALSE;
    }
  defined = virNetworkDefineXML (virNetworkGetConnect (op->handle), op->xml);
  if (defined == NULL)
    return vmd_error_libvirt_failed (error, _("The network “%s” was not changed"), op->name);
  virNetworkFree (defined);
  return TRUE;
}

static void
run (VmdNetwork          *self,
     VmdBlockingFunc      func,
     Op                  *op,
     GCancellable        *cancellable,
     GAsyncReadyCallback  callback,
     gpointer             user_data)
{
  vmd_blocking_run_async (self, vmd_network_start_async, func, op, (GDestroyNotify) op_free,
                          cancellable, callback, user_data);
}

void
vmd_network_start_async (VmdNetwork *self, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (VMD_IS_NETWORK (self));
  run (self, start_in_thread, op_new (self), cancellable, callback, user_data);
}

void
vmd_network_stop_async (VmdNetwork *self, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (VMD_IS_NETWORK (self));
  run (self, stop_in_thread, op_new (self), cancellable, callback, user_data);
}

void
vmd_network_set_autostart_async (VmdNetwork *self, gboolean autostart, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  Op *op;

  g_return_if_fail (VMD_IS_NETWORK (self));
  op = op_new (self);
  op->flag = autostart;
  run (self, autostart_in_thread, op, cancellable, callback, user_data);
}

void
vmd_network_delete_async (VmdNetwork *self, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (VMD_IS_NETWORK (self));
  run (self, delete_in_thread, op_new (self), cancellable, callback, user_data);
}

void
vmd_network_define_xml_async (VmdNetwork *self, const char *xml, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  Op *op;

  g_return_if_fail (VMD_IS_NETWORK (self));
  op = op_new (self);
  op->xml = g_strdup (xml);
  run (self, define_in_thread, op, cancellable, callback, user_data);
}

gboolean
vmd_network_operation_finish (VmdNetwork    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return vmd_blocking_run_finish (self, result, error);
}

static void
free_network_handle (gpointer handle)
{
  virNetworkFree (handle);
}

static void
leases_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *leases = vmd_network_read_leases (task_data, &error);

  if (leases != NULL)
    g_task_return_pointer (task, leases, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
vmd_network_get_leases_async (VmdNetwork *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VMD_IS_NETWORK (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_network_get_leases_async);
  virNetworkRef (self->info->handle);
  g_task_set_task_data (task, self->info->handle, free_network_handle);
  g_task_run_in_thread (task, leases_in_thread);
}

GPtrArray *
vmd_network_get_leases_finish (VmdNetwork    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- the object ----------------------------------------------------------------------------------- */

void
vmd_network_update (VmdNetwork     *self,
                    VmdNetworkInfo *info)
{
  g_return_if_fail (VMD_IS_NETWORK (self));
  vmd_network_info_free (self->info);
  self->info = info;
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 1; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
vmd_network_get_name (VmdNetwork *self)
{
  return self->info->name;
}

const char *
vmd_network_get_uuid (VmdNetwork *self)
{
  return self->info->uuid;
}

const char *
vmd_network_get_bridge (VmdNetwork *self)
{
  return self->info->bridge;
}

const char *
vmd_network_get_forward_mode (VmdNetwork *self)
{
  return self->info->forward_mode;
}

const char *
vmd_network_get_xml (VmdNetwork *self)
{
  return self->info->xml;
}

gboolean
vmd_network_get_active (VmdNetwork *self)
{
  return self->info->active;
}

gboolean
vmd_network_get_autostart (VmdNetwork *self)
{
  return self->info->autostart;
}

gboolean
vmd_network_get_persistent (VmdNetwork *self)
{
  return self->info->persistent;
}

const char * const *
vmd_network_get_subnets (VmdNetwork *self)
{
  return (const char * const *) self->info->subnets;
}

const char * const *
vmd_network_get_machines (VmdNetwork *self)
{
  return (const char * const *) self->info->machines;
}

virNetworkPtr
vmd_network_get_handle (VmdNetwork *self)
{
  return self->info->handle;
}

/* "NAT", "Routed", "Isolated", "Open", or libvirt's own word for the others. */
char *
vmd_network_describe_mode (VmdNetwork *self)
{
  const char *mode = self->info->forward_mode;

  if (mode == NULL)
    return g_strdup (_("Isolated"));
  if (g_str_equal (mode, "nat"))
    return g_strdup (_("NAT"));
  if (g_str_equal (mode, "route"))
    return g_strdup (_("Routed"));
  if (g_str_equal (mode, "open"))
    return g_strdup (_("Open"));
  return g_strdup (mode);
}

static void
vmd_network_finalize (GObject *object)
{
  vmd_network_info_free (VMD_NETWORK (object)->info);
  G_OBJECT_CLASS (vmd_network_parent_class)->finalize (object);
}

static void
vmd_network_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VmdNetwork *self = VMD_NETWORK (object);

  switch (prop_id)
    {
    case PROP_NAME:      g_value_set_string (value, self->info->name); break;
    case PROP_BRIDGE:    g_value_set_string (value, self->info->bridge); break;
    case PROP_ACTIVE:    g_value_set_boolean (value, self->info->active); break;
    case PROP_AUTOSTART: g_value_set_boolean (value, self->info->autostart); break;
    case PROP_XML:       g_value_set_string (value, self->info->xml); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_network_class_init (VmdNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vmd_network_finalize;
  object_class->get_property = vmd_network_get_property;
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_BRIDGE] = g_param_spec_string ("bridge", NULL, NULL, NULL, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);
  properties[PROP_AUTOSTART] = g_param_spec_boolean ("autostart", NULL, NULL, FALSE, flags);
  properties[PROP_XML] = g_param_spec_string ("xml", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_network_init (VmdNetwork *self)
{
}

/* Takes info over. */
VmdNetwork *
vmd_network_new (VmdNetworkInfo *info)
{
  VmdNetwork *self = g_object_new (VMD_TYPE_NETWORK, NULL);

  self->info = info;
  return self;
}
