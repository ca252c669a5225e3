/* VmdNetworkSpec: addresses are parsed with GInetAddress and compared bit by bit, so IPv4 and
 * IPv6 take the same path; XML is built with libxml2, which escapes what the user typed. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <libxml/tree.h>

#include "vmd-error.h"
#include "vmd-network-spec.h"

#define BRIDGE_MAX 15

typedef struct {
  GSocketFamily family;
  guint8        network[16];
  guint8        gateway[16];
  gsize         size;
  guint         prefix;
} Subnet;

/* --- names ------------------------------------------------------------------------------------- */

/* Names become file names on the host and words in virsh: no "/", no control characters, no
 * leading "-" or ".", no spaces at the ends. */
gboolean
vmd_resource_name_check (const char  *name,
                         GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (*stripped == '\0')
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("Give it a name."));
  else if (strchr (name, '/') != NULL)
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("A name cannot contain “/”."));
  else if (!g_str_equal (stripped, name))
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                         _("A name cannot start or end with a space."));
  else if (name[0] == '-' || name[0] == '.')
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                         _("A name cannot start with “-” or “.”."));
  else if (!g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) > 64)
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                         _("A name can have at most 64 characters."));
  else
    {
      for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
        if (g_unichar_iscntrl (g_utf8_get_char (p)))
          {
            g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                 _("A name cannot contain control characters such as a line break."));
            return FALSE;
          }
      return TRUE;
    }
  return FALSE;
}

static gboolean
interface_name_ok (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > BRIDGE_MAX)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
empty (const char *text)
{
  return text == NULL || *text == '\0';
}

/* --- addresses --------------------------------------------------------------------------------- */

static gboolean
same_bits (const guint8 *a,
           const guint8 *b,
           guint         bits)
{
  for (guint i = 0; i < bits; i++)
    if (((a[i / 8] >> (7 - i % 8)) & 1) != ((b[i / 8] >> (7 - i % 8)) & 1))
      return FALSE;
  return TRUE;
}

static const char *
family_word (GSocketFamily family)
{
  return family == G_SOCKET_FAMILY_IPV6 ? "IPv6" : "IPv4";
}

static gboolean
parse_address (const char     *text,
               GSocketFamily   family,
               guint8         *bytes,
               GError        **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);

  if (address == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS, _("“%s” is not an %s address."),
                   text, family_word (family));
      return FALSE;
    }
  if (g_inet_address_get_family (address) != family)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                   _("“%s” is an %s address: this field takes an %s address."), text,
                   family_word (g_inet_address_get_family (address)), family_word (family));
      return FALSE;
    }
  memcpy (bytes, g_inet_address_to_bytes (address), g_inet_address_get_native_size (address));
  return TRUE;
}

static gboolean
parse_prefix (const char    *text,
              GSocketFamily  family,
              guint         *prefix,
              GError       **error)
{
  guint max = family == G_SOCKET_FAMILY_IPV6 ? 126 : 30;
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 8, max, &value, NULL))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                   _("The prefix “%s” is not a number from 8 to %u."), text, max);
      return FALSE;
    }
  *prefix = (guint) value;
  return TRUE;
}

/* "address/prefix": the network (host bits cleared) and the host's own address on it (the one
 * given, or the first). */
static gboolean
parse_subnet (const char     *text,
              GSocketFamily   family,
              Subnet         *subnet,
              GError        **error)
{
  g_auto(GStrv) parts = g_strsplit (text, "/", 2);

  memset (subnet, 0, sizeof *subnet);
  subnet->family = family;
  subnet->size = family == G_SOCKET_FAMILY_IPV6 ? 16 : 4;
  if (g_strv_length (parts) != 2)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                   _("Write the subnet as address/prefix, for example %s."),
                   family == G_SOCKET_FAMILY_IPV6 ? "fd00:100::/64" : "192.168.100.0/24");
      return FALSE;
    }
  if (!parse_address (g_strstrip (parts[0]), family, subnet->gateway, error) ||
      !parse_prefix (g_strstrip (parts[1]), family, &subnet->prefix, error))
    return FALSE;
  memcpy (subnet->network, subnet->gateway, subnet->size);
  for (guint i = subnet->prefix; i < subnet->size * 8; i++)
    subnet->network[i / 8] &= ~(1 << (7 - i % 8));
  if (memcmp (subnet->network, subnet->gateway, subnet->size) == 0)
    subnet->gateway[subnet->size - 1] |= 1;
  return TRUE;
}

static char *
bytes_to_string (const guint8  *bytes,
                 GSocketFamily  family)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_bytes (bytes, family);

  return g_inet_address_to_string (address);
}

static gboolean
is_broadcast (const Subnet *subnet,
              const guint8 *bytes)
{
  if (subnet->family != G_SOCKET_FAMILY_IPV4)
    return FALSE;
  for (guint i = subnet->prefix; i < 32; i++)
    if (((bytes[i / 8] >> (7 - i % 8)) & 1) == 0)
      return FALSE;
  return TRUE;
}

/* An address for a guest: inside the subnet, neither its network, broadcast nor host address. */
static gboolean
check_guest_address (const Subnet  *subnet,
                     const char    *text,
                     guint8        *bytes,
                     GError       **error)
{
  g_autofree char *network = NULL;

  if (!parse_address (text, subnet->family, bytes, error))
    return FALSE;
  network = bytes_to_string (subnet->network, subnet->family);
  if (!same_bits (bytes, subnet->network, subnet->prefix))
    g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                 _("%s is outside the subnet %s/%u."), text, network, subnet->prefix);
  else if (memcmp (bytes, subnet->gateway, subnet->size) == 0)
    g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                 _("%s is the host's own address on this network."), text);
  else if (memcmp (bytes, subnet->network, subnet->size) == 0 || is_broadcast (subnet, bytes))
    g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                 _("%s is the subnet's network or broadcast address."), text);
  else
    return TRUE;
  return FALSE;
}

static gboolean
check_range (const Subnet  *subnet,
             const char    *start,
             const char    *end,
             GError       **error)
{
  guint8 first[16], last[16];

  if (empty (start) && empty (end))
    return TRUE;
  if (empty (start) || empty (end))
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                           _("A DHCP range needs both its first and its last address."));
      return FALSE;
    }
  if (!check_guest_address (subnet, start, first, error) ||
      !check_guest_address (subnet, end, last, error))
    return FALSE;
  if (memcmp (first, last, subnet->size) > 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                   _("The DHCP range starts at %s, after its end %s."), start, end);
      return FALSE;
    }
  return TRUE;
}

/* Two subnets overlap when the shorter prefix of the two is the same in both. */
static gboolean
check_overlap (const Subnet              *subnet,
               const VmdNetworkContext   *context,
               GError                   **error)
{
  for (guint i = 0; context != NULL && i < context->networks->len; i++)
    {
      VmdNetworkNeighbour *other = context->networks->pdata[i];

      for (guint j = 0; other->subnets != NULL && other->subnets[j] != NULL; j++)
        {
          Subnet theirs;

          if (!parse_subnet (other->subnets[j], subnet->family, &theirs, NULL))
            continue;
          if (same_bits (subnet->network, theirs.network, MIN (subnet->prefix, theirs.prefix)))
            {
              g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                           _("This subnet overlaps %s of the network “%s”."), other->subnets[j],
                           other->name);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* --- checking the spec ---------------------------------------------------------------------------- */

static gboolean
check_name (const VmdNetworkSpec *spec, const VmdNetworkContext *context, GError **error)
{
  if (!vmd_resource_name_check (spec->name, error))
    return FALSE;
  for (guint i = 0; context != NULL && i < context->networks->len; i++)
    if (g_strcmp0 (((VmdNetworkNeighbour *) context->networks->pdata[i])->name, spec->name) == 0)
      {
        g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                     _("There is a network called “%s” already."), spec->name);
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_bridge (const VmdNetworkSpec *spec, const VmdNetworkContext *context, GError **error)
{
  if (empty (spec->bridge))
    return TRUE;
  if (!interface_name_ok (spec->bridge))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("A bridge name has 1 to %d letters, digits, “-”, “_” or “.”."), BRIDGE_MAX);
      return FALSE;
    }
  for (guint i = 0; context != NULL && i < context->networks->len; i++)
    {
      VmdNetworkNeighbour *other = context->networks->pdata[i];

      if (g_strcmp0 (other->bridge, spec->bridge) == 0)
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                       _("The bridge %s is the network “%s”'s."), spec->bridge, other->name);
          return FALSE;
        }
    }
  if (context != NULL && context->interfaces != NULL &&
      g_strv_contains ((const char * const *) context->interfaces, spec->bridge))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                   _("The host has an interface called %s already."), spec->bridge);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_forward (const VmdNetworkSpec *spec, GError **error)
{
  gboolean forwards = spec->mode == VMD_NETWORK_MODE_NAT || spec->mode == VMD_NETWORK_MODE_ROUTED;

  if (empty (spec->forward_dev))
    return TRUE;
  if (!forwards)
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                         _("Only NAT and routed networks forward through a device."));
  else if (!interface_name_ok (spec->forward_dev))
    g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                 _("“%s” is not an interface name."), spec->forward_dev);
  else
    return TRUE;
  return FALSE;
}

static gboolean
check_ipv4 (const VmdNetworkSpec *spec, const VmdNetworkContext *context, Subnet *subnet,
            GError **error)
{
  if (empty (spec->ipv4))
    {
      if (spec->mode == VMD_NETWORK_MODE_NAT ||
          (spec->mode == VMD_NETWORK_MODE_ROUTED && empty (spec->ipv6)))
        {
          g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                               spec->mode == VMD_NETWORK_MODE_NAT
                                 ? _("A NAT network needs an IPv4 subnet.")
                                 : _("A routed network needs an IPv4 or IPv6 subnet."));
          return FALSE;
        }
      return TRUE;
    }
  return parse_subnet (spec->ipv4, G_SOCKET_FAMILY_IPV4, subnet, error) &&
         check_overlap (subnet, context, error);
}

static gboolean
check_dns_domain (const char *domain, GError **error)
{
  g_auto(GStrv) labels = NULL;

  if (empty (domain))
    return TRUE;
  labels = g_strsplit (domain, ".", -1);
  for (guint i = 0; strlen (domain) <= 253 && labels[i] != NULL; i++)
    {
      gsize n = strlen (labels[i]);
      gboolean ok = n > 0 && n <= 63 && labels[i][0] != '-' && labels[i][n - 1] != '-';

      for (gsize k = 0; ok && k < n; k++)
        ok = g_ascii_isalnum (labels[i][k]) || labels[i][k] == '-';
      if (!ok)
        break;
      if (labels[i + 1] == NULL)
        return TRUE;
    }
  g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
               _("“%s” is not a DNS domain: use letters, digits and “-”, in parts joined by “.”."),
               domain);
  return FALSE;
}

/* Six pairs of hex digits joined by ":", the first even (not a multicast address). */
static gboolean
mac_ok (const char *mac)
{
  if (mac == NULL || strlen (mac) != 17)
    return FALSE;
  for (int i = 0; i < 17; i++)
    if (i % 3 == 2 ? mac[i] != ':' : !g_ascii_isxdigit (mac[i]))
      return FALSE;
  return (g_ascii_xdigit_value (mac[1]) & 1) == 0;
}

static gboolean
check_hosts (const VmdNetworkSpec *spec, const Subnet *subnet, gboolean have_ipv4, GError **error)
{
  for (guint i = 0; spec->hosts != NULL && i < spec->hosts->len; i++)
    {
      VmdNetworkHost *host = spec->hosts->pdata[i];
      guint8 bytes[16];

      if (!have_ipv4)
        g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                             _("Static hosts need an IPv4 subnet."));
      else if (!mac_ok (host->mac))
        g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                     _("“%s” is not a MAC address such as 52:54:00:12:34:56."), host->mac ? host->mac : "");
      else if (!check_guest_address (subnet, host->address != NULL ? host->address : "", bytes, error))
        return FALSE;
      else
        continue;
      return FALSE;
    }
  return TRUE;
}

/* The first problem, with the field it is about (a VMD_NETWORK_FIELD_*). */
gboolean
vmd_network_spec_validate (const VmdNetworkSpec     *spec,
                           const VmdNetworkContext  *context,
                           const char              **field,
                           GError                  **error)
{
  Subnet v4, v6;
  const char *where = NULL;

  if (!check_name (spec, context, error))
    where = VMD_NETWORK_FIELD_NAME;
  else if (!check_bridge (spec, context, error))
    where = VMD_NETWORK_FIELD_BRIDGE;
  else if (!check_forward (spec, error))
    where = VMD_NETWORK_FIELD_FORWARD_DEV;
  else if (!check_ipv4 (spec, context, &v4, error))
    where = VMD_NETWORK_FIELD_IPV4;
  else if (!empty (spec->ipv4) && !check_range (&v4, spec->dhcp4_start, spec->dhcp4_end, error))
    where = VMD_NETWORK_FIELD_DHCP4;
  else if (empty (spec->ipv4) && !(empty (spec->dhcp4_start) && empty (spec->dhcp4_end)))
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                           _("A DHCP range needs an IPv4 subnet."));
      where = VMD_NETWORK_FIELD_DHCP4;
    }
  else if (!empty (spec->ipv6) && (!parse_subnet (spec->ipv6, G_SOCKET_FAMILY_IPV6, &v6, error) ||
                                   !check_overlap (&v6, context, error)))
    where = VMD_NETWORK_FIELD_IPV6;
  else if (!empty (spec->ipv6) && !check_range (&v6, spec->dhcp6_start, spec->dhcp6_end, error))
    where = VMD_NETWORK_FIELD_DHCP6;
  else if (empty (spec->ipv6) && !(empty (spec->dhcp6_start) && empty (spec->dhcp6_end)))
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS,
                           _("A DHCPv6 range needs an IPv6 subnet."));
      where = VMD_NETWORK_FIELD_DHCP6;
    }
  else if (!check_dns_domain (spec->domain, error))
    where = VMD_NETWORK_FIELD_DOMAIN;
  else if (!check_hosts (spec, &v4, !empty (spec->ipv4), error))
    where = VMD_NETWORK_FIELD_HOSTS;
  if (field != NULL)
    *field = where;
  return where == NULL;
}

/* --- XML ------------------------------------------------------------------------------------------ */

static xmlNode *
add (xmlNode    *parent,
     const char *name)
{
  return xmlNewChild (parent, NULL, BAD_CAST name, NULL);
}

static void
set (xmlNode    *node,
     const char *name,
     const char *value)
{
  if (!empty (value))
    xmlNewProp (node, BAD_CAST name, BAD_CAST value);
}

static void
add_ip (xmlNode              *root,
        const VmdNetworkSpec *spec,
        const char           *cidr,
        GSocketFamily         family,
        const char           *start,
        const char           *end)
{
  Subnet subnet;
  g_autofree char *gateway = NULL;
  g_autofree char *prefix = NULL;
  xmlNode *ip, *dhcp = NULL;

  if (empty (cidr) || !parse_subnet (cidr, family, &subnet, NULL))
    return;
  gateway = bytes_to_string (subnet.gateway, family);
  prefix = g_strdup_printf ("%u", subnet.prefix);
  ip = add (root, "ip");
  if (family == G_SOCKET_FAMILY_IPV6)
    set (ip, "family", "ipv6");
  set (ip, "address", gateway);
  set (ip, "prefix", prefix);
  if (!empty (start))
    {
      dhcp = add (ip, "dhcp");
      set (add (dhcp, "range"), "start", start);
      set (xmlGetLastChild (dhcp), "end", end);
    }
  for (guint i = 0; family == G_SOCKET_FAMILY_IPV4 && spec->hosts != NULL && i < spec->hosts->len; i++)
    {
      VmdNetworkHost *host = spec->hosts->pdata[i];
      xmlNode *node;

      if (dhcp == NULL)
        dhcp = add (ip, "dhcp");
      node = add (dhcp, "host");
      set (node, "mac", host->mac);
      set (node, "name", host->hostname);
      set (node, "ip", host->address);
    }
}

static void
add_forward (xmlNode              *root,
             const VmdNetworkSpec *spec)
{
  static const char *modes[] = { "nat", "route", NULL, "open" };
  xmlNode *forward;

  if (modes[spec->mode] == NULL)
    return;
  forward = add (root, "forward");
  set (forward, "mode", modes[spec->mode]);
  if (spec->mode != VMD_NETWORK_MODE_OPEN)
    set (forward, "dev", spec->forward_dev);
}

/* The spec must be valid. */
char *
vmd_network_spec_to_xml (const VmdNetworkSpec *spec)
{
  xmlDoc *doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNode *root = xmlNewNode (NULL, BAD_CAST "network");
  xmlNode *bridge;
  xmlBuffer *buffer = xmlBufferCreate ();
  char *xml;

  xmlDocSetRootElement (doc, root);
  xmlNewTextChild (root, NULL, BAD_CAST "name", BAD_CAST spec->name);
  add_forward (root, spec);
  bridge = add (root, "bridge");
  set (bridge, "name", spec->bridge);
  set (bridge, "stp", "on");
  set (bridge, "delay", "0");
  if (!empty (spec->domain))
    {
      xmlNode *domain = add (root, "domain");

      set (domain, "name", spec->domain);
      set (domain, "localOnly", "yes");
    }
  add_ip (root, spec, spec->ipv4, G_SOCKET_FAMILY_IPV4, spec->dhcp4_start, spec->dhcp4_end);
  add_ip (root, spec, spec->ipv6, G_SOCKET_FAMILY_IPV6, spec->dhcp6_start, spec->dhcp6_end);
  xmlNodeDump (buffer, doc, root, 0, 1);
  xml = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  xmlFreeDoc (doc);
  return xml;
}

/* virbr0, virbr1, ...: the first that no network and no host interface has. */
char *
vmd_network_suggest_bridge (const VmdNetworkContext *context)
{
  for (guint n = 0;; n++)
    {
      g_autofree char *name = g_strdup_printf ("virbr%u", n);
      gboolean taken = context->interfaces != NULL &&
                       g_strv_contains ((const char * const *) context->interfaces, name);

      for (guint i = 0; !taken && i < context->networks->len; i++)
        taken = g_strcmp0 (((VmdNetworkNeighbour *) context->networks->pdata[i])->bridge, name) == 0;
      if (!taken)
        return g_steal_pointer (&name);
    }
}

/* --- plumbing --------------------------------------------------------------------------------------- */

static void
host_free (VmdNetworkHost *host)
{
  g_free (host->mac);
  g_free (host->address);
  g_free (host->hostname);
  g_free (host);
}

VmdNetworkSpec *
vmd_network_spec_new (void)
{
  VmdNetworkSpec *spec = g_new0 (VmdNetworkSpec, 1);

  spec->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) host_free);
  spec->autostart = TRUE;
  return spec;
}

void
vmd_network_spec_add_host (VmdNetworkSpec *spec,
                           const char     *mac,
                           const char     *address,
                           const char     *hostname)
{
  VmdNetworkHost *host = g_new0 (VmdNetworkHost, 1);

  host->mac = g_strdup (mac);
  host->address = g_strdup (address);
  host->hostname = g_strdup (hostname);
  g_ptr_array_add (spec->hosts, host);
}

VmdNetworkSpec *
vmd_network_spec_copy (const VmdNetworkSpec *spec)
{
  VmdNetworkSpec *copy = vmd_network_spec_new ();

  copy->name = g_strdup (spec->name);
  copy->mode = spec->mode;
  copy->bridge = g_strdup (spec->bridge);
  copy->forward_dev = g_strdup (spec->forward_dev);
  copy->ipv4 = g_strdup (spec->ipv4);
  copy->dhcp4_start = g_strdup (spec->dhcp4_start);
  copy->dhcp4_end = g_strdup (spec->dhcp4_end);
  copy->ipv6 = g_strdup (spec->ipv6);
  copy->dhcp6_start = g_strdup (spec->dhcp6_start);
  copy->dhcp6_end = g_strdup (spec->dhcp6_end);
  copy->domain = g_strdup (spec->domain);
  copy->autostart = spec->autostart;
  for (guint i = 0; i < spec->hosts->len; i++)
    {
      VmdNetworkHost *host = spec->hosts->pdata[i];

      vmd_network_spec_add_host (copy, host->mac, host->address, host->hostname);
    }
  return copy;
}

void
vmd_network_spec_free (VmdNetworkSpec *spec)
{
  g_free (spec->name);
  g_free (spec->bridge);
  g_free (spec->forward_dev);
  g_free (spec->ipv4);
  g_free (spec->dhcp4_start);
  g_free (spec->dhcp4_end);
  g_free (spec->ipv6);
  g_free (spec->dhcp6_start);
  g_free (spec->dhcp6_end);
  g_free (spec->domain);
  g_ptr_array_unref (spec->hosts);
  g_free (spec);
}

static void
neighbour_free (VmdNetworkNeighbour *neighbour)
{
  g_free (neighbour->name);
  g_free (neighbour->bridge);
  g_strfreev (neighbour->subnets);
  g_free (neighbour);
}

VmdNetworkContext *
vmd_network_context_new (void)
{
  VmdNetworkContext *context = g_new0 (VmdNetworkContext, 1);

  context->networks = g_ptr_array_new_with_free_func ((GDestroyNotify) neighbour_free);
  return context;
}

void
vmd_network_context_add (VmdNetworkContext  *context,
                         const char         *name,
                         const char         *bridge,
                         const char * const *subnets)
{
  VmdNetworkNeighbour *neighbour = g_new0 (VmdNetworkNeighbour, 1);

  neighbour->name = g_strdup (name);
  neighbour->bridge = g_strdup (bridge);
  neighbour->subnets = g_strdupv ((GStrv) subnets);
  g_ptr_array_add (context->networks, neighbour);
}

void
vmd_network_context_free (VmdNetworkContext *context)
{
  g_ptr_array_unref (context->networks);
  g_strfreev (context->interfaces);
  g_free (context);
}
