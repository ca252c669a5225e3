/* VmdGuestAddresses: each refresh asks the three sources in a worker thread; the agent and ARP
 * fail quietly where there is none. An address is listed once, from the first source that
 * knows it (lease, then agent, then ARP). Loopback and link-local addresses are left out: they
 * reach nothing from outside. Refreshes that cross keep the newest answer. */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-guest-addresses.h"
#include "vmd-machine.h"

struct _VmdGuestAddresses
{
  GObject     parent_instance;

  VmdMachine *machine;       /* weak */
  GPtrArray  *entries;       /* of VmdGuestAddress */
  char       *text;
  guint       generation;
};

G_DEFINE_FINAL_TYPE (VmdGuestAddresses, vmd_guest_addresses, G_TYPE_OBJECT)

enum { PROP_0, PROP_TEXT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
address_free (VmdGuestAddress *address)
{
  g_free (address->interface);
  g_free (address->mac);
  g_free (address->address);
  g_free (address);
}

const char *
vmd_address_source_to_string (VmdAddressSource source)
{
  switch (source)
    {
    case VMD_ADDRESS_SOURCE_LEASE: return _("DHCP lease");
    case VMD_ADDRESS_SOURCE_AGENT: return _("guest agent");
    case VMD_ADDRESS_SOURCE_ARP:   return _("ARP");
    default:                       return "";
    }
}

/* --- asking libvirt (worker thread) ----------------------------------------------------------- */

typedef struct {
  virDomainPtr domain;
  guint        generation;
} Query;

static void
query_free (Query *query)
{
  g_clear_pointer (&query->domain, virDomainFree);
  g_free (query);
}

static gboolean
worth_showing (const char *address)
{
  g_autoptr(GInetAddress) parsed = g_inet_address_new_from_string (address);

  return parsed != NULL && !g_inet_address_get_is_loopback (parsed) &&
         !g_inet_address_get_is_link_local (parsed);
}

static gboolean
listed (GPtrArray  *found,
        const char *address)
{
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (((VmdGuestAddress *) found->pdata[i])->address, address) == 0)
      return TRUE;
  return FALSE;
}

static void
ask_source (virDomainPtr      domain,
            VmdAddressSource  source,
            GPtrArray        *found)
{
  static const unsigned int sources[] = {
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE,
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT,
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP,
  };
  virDomainInterfacePtr *ifaces = NULL;
  int n = virDomainInterfaceAddresses (domain, &ifaces, sources[source], 0);

  for (int i = 0; i < n; i++)
    {
      for (unsigned int j = 0; j < ifaces[i]->naddrs; j++)
        {
          virDomainIPAddressPtr ip = &ifaces[i]->addrs[j];
          VmdGuestAddress *address;

          if (ip->addr == NULL || !worth_showing (ip->addr) || listed (found, ip->addr))
            continue;
          address = g_new0 (VmdGuestAddress, 1);
          address->interface = g_strdup (ifaces[i]->name);
          address->mac = g_strdup (ifaces[i]->hwaddr);
          address->address = g_strdup (ip->addr);
          address->prefix = ip->prefix;
          address->ipv6 = ip->type == VIR_IP_ADDR_TYPE_IPV6;
          address->source = source;
          g_ptr_array_add (found, address);
        }
      virDomainInterfaceFree (ifaces[i]);
    }
  free (ifaces);
  virResetLastError ();
}

static int
compare_addresses (gconstpointer a, gconstpointer b)
{
  const VmdGuestAddress *x = *(VmdGuestAddress **) a, *y = *(VmdGuestAddress **) b;

  if (x->ipv6 != y->ipv6)
    return x->ipv6 ? 1 : -1;
  return g_strcmp0 (x->address, y->address);
}

static void
query_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Query *query = task_data;
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) address_free);

  if (virDomainIsActive (query->domain) == 1)
    for (VmdAddressSource s = VMD_ADDRESS_SOURCE_LEASE; s <= VMD_ADDRESS_SOURCE_ARP; s++)
      ask_source (query->domain, s, found);
  virResetLastError ();
  g_ptr_array_sort (found, compare_addresses);
  g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

/* --- applying ---------------------------------------------------------------------------------- */

static void
set_entries (VmdGuestAddresses *self,
             GPtrArray         *entries)
{
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < entries->len; i++)
    g_strv_builder_add (words, ((VmdGuestAddress *) entries->pdata[i])->address);
  list = g_strv_builder_end (words);
  text = g_strjoinv (", ", list);
  g_ptr_array_unref (self->entries);
  self->entries = entries;
  if (g_strcmp0 (text, self->text) != 0)
    {
      g_free (self->text);
      self->text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
    }
}

static void
on_queried (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdGuestAddresses) self = user_data;
  Query *query = g_task_get_task_data (G_TASK (result));
  GPtrArray *entries = g_task_propagate_pointer (G_TASK (result), NULL);

  if (entries == NULL)
    return;
  if (query->generation != self->generation)
    {
      g_ptr_array_unref (entries);
      return;
    }
  set_entries (self, entries);
}

void
vmd_guest_addresses_refresh (VmdGuestAddresses *self)
{
  GVirDomain *gdomain;
  g_autoptr(GTask) task = NULL;
  Query *query;

  g_return_if_fail (VMD_IS_GUEST_ADDRESSES (self));
  gdomain = self->machine != NULL ? vmd_machine_get_domain (self->machine) : NULL;
  if (gdomain == NULL || !vmd_machine_get_connected (self->machine))
    return;
  if (vmd_machine_get_state (self->machine) == VMD_MACHINE_STATE_SHUT_OFF)
    {
      set_entries (self, g_ptr_array_new_with_free_func ((GDestroyNotify) address_free));
      return;
    }
  query = g_new0 (Query, 1);
  g_object_get (gdomain, "handle", &query->domain, NULL);
  query->generation = ++self->generation;
  task = g_task_new (NULL, NULL, on_queried, g_object_ref (self));
  g_task_set_task_data (task, query, (GDestroyNotify) query_free);
  g_task_run_in_thread (task, query_in_thread);
}

/* (element-type VmdGuestAddress) (transfer none) */
GPtrArray *
vmd_guest_addresses_get_entries (VmdGuestAddresses *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_ADDRESSES (self), NULL);
  return self->entries;
}

/* "192.168.100.23, fd00::17": IPv4 first; "" when there is none. */
const char *
vmd_guest_addresses_get_text (VmdGuestAddresses *self)
{
  g_return_val_if_fail (VMD_IS_GUEST_ADDRESSES (self), NULL);
  return self->text;
}

gboolean
vmd_guest_addresses_has (VmdGuestAddresses *self,
                         const char        *address)
{
  g_return_val_if_fail (VMD_IS_GUEST_ADDRESSES (self), FALSE);
  return listed (self->entries, address);
}

static void
on_machine_state (VmdGuestAddresses *self)
{
  vmd_guest_addresses_refresh (self);
}

static void
vmd_guest_addresses_dispose (GObject *object)
{
  VmdGuestAddresses *self = VMD_GUEST_ADDRESSES (object);

  if (self->machine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->machine, self);
      g_object_remove_weak_pointer (G_OBJECT (self->machine), (gpointer *) &self->machine);
      self->machine = NULL;
    }
  G_OBJECT_CLASS (vmd_guest_addresses_parent_class)->dispose (object);
}

static void
vmd_guest_addresses_finalize (GObject *object)
{
  VmdGuestAddresses *self = VMD_GUEST_ADDRESSES (object);

  g_ptr_array_unref (self->entries);
  g_free (self->text);
  G_OBJECT_CLASS (vmd_guest_addresses_parent_class)->finalize (object);
}

static void
vmd_guest_addresses_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_TEXT: g_value_set_string (value, VMD_GUEST_ADDRESSES (object)->text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_guest_addresses_class_init (VmdGuestAddressesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_guest_addresses_dispose;
  object_class->finalize = vmd_guest_addresses_finalize;
  object_class->get_property = vmd_guest_addresses_get_property;
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, "",
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_guest_addresses_init (VmdGuestAddresses *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) address_free);
  self->text = g_strdup ("");
}

VmdGuestAddresses *
vmd_guest_addresses_new (VmdMachine *machine)
{
  VmdGuestAddresses *self = g_object_new (VMD_TYPE_GUEST_ADDRESSES, NULL);

  self->machine = machine;
  g_object_add_weak_pointer (G_OBJECT (machine), (gpointer *) &self->machine);
  g_signal_connect_swapped (machine, "notify::state", G_CALLBACK (on_machine_state), self);
  g_signal_connect_swapped (machine, "notify::connected", G_CALLBACK (on_machine_state), self);
  vmd_guest_addresses_refresh (self);
  return self;
}
