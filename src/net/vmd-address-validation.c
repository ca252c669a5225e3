/* IPv4 validation for the bridge settings. Each message names what the user typed and shows a
 * good example, because it is shown right under the field as they type. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vmd-address-validation.h"
#include "vmd-error.h"

#define EXAMPLE "192.168.1.80"
#define ROUTER_EXAMPLE "192.168.1.1"

/* 0.0.0.0/8 ("this network"), 240.0.0.0/4 (reserved, with 255.255.255.255, the broadcast of
 * every network) and 224.0.0.0/4 (multicast) are nobody's address, whatever the field. */
static gboolean
is_this_network (guint32 address)
{
  return (address >> 24) == 0;
}

static gboolean
is_reserved (guint32 address)
{
  return (address >> 28) == 0xf;
}

static gboolean
is_multicast (guint32 address)
{
  return (address >> 28) == 0xe;
}

static gboolean
is_loopback (guint32 address)
{
  return (address >> 24) == 127;
}

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* The message quotes the input, which need not be UTF-8 (found by tests/fuzz/fuzz-address);
   * a GtkLabel given such text warns and shows nothing. */
  if (!g_utf8_validate (message, -1, NULL))
    {
      char *valid = g_utf8_make_valid (message, -1);

      g_free (message);
      message = valid;
    }
  g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS, message);
  return FALSE;
}

static gboolean
looks_like_ipv6 (const char *text)
{
  struct in6_addr addr6;

  return strchr (text, ':') != NULL && inet_pton (AF_INET6, text, &addr6) == 1;
}

/* address is in host byte order, for the subnet arithmetic. */
gboolean
vmd_ipv4_parse_address (const char  *text,
                        guint32     *address,
                        GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  struct in_addr addr;

  if (*stripped == '\0')
    return invalid (error, _("Enter an IPv4 address, such as %s."), EXAMPLE);
  if (looks_like_ipv6 (stripped))
    return invalid (error, _("“%s” is an IPv6 address; this field takes an IPv4 address, such as "
                             "%s."), stripped, EXAMPLE);
  /* inet_pton takes only the four-number form, unlike inet_aton ("10.1" or "0x0a000001"). */
  if (inet_pton (AF_INET, stripped, &addr) != 1)
    return invalid (error, _("“%s” is not an IPv4 address: write four numbers from 0 to 255 "
                             "separated by dots, such as %s."), stripped, EXAMPLE);
  if (address != NULL)
    *address = g_ntohl (addr.s_addr);
  return TRUE;
}

static gboolean
parse_prefix (const char  *text,
              guint       *prefix,
              GError     **error)
{
  guint64 value = 0;

  if (*text == '\0')
    return invalid (error, _("Add the prefix length after the slash, such as %s/24."), EXAMPLE);
  if (!g_ascii_string_to_unsigned (text, 10, 1, 32, &value, NULL))
    return invalid (error, _("The prefix length must be a number from 1 to 32 (24 for "
                             "255.255.255.0); “%s” is not."), text);
  *prefix = value;
  return TRUE;
}

static guint32
netmask (guint prefix)
{
  return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

static char *
format_address (guint32 address)
{
  struct in_addr addr = { .s_addr = g_htonl (address) };
  char buf[INET_ADDRSTRLEN];

  return g_strdup (inet_ntop (AF_INET, &addr, buf, sizeof buf));
}

/* A host address: not the network's own address nor its broadcast, nor loopback, multicast or
 * 0.0.0.0, none of which a bridge can use. */
static gboolean
check_host_address (const char  *text,
                    guint32      address,
                    guint        prefix,
                    GError     **error)
{
  guint32 mask = netmask (prefix);
  g_autofree char *network = format_address (address & mask);
  g_autofree char *first_host = format_address ((address & mask) + 1);

  if (address == 0)
    return invalid (error, _("0.0.0.0 means “no address”; enter this computer's address, such as "
                             "%s."), EXAMPLE);
  if (address == 0xffffffffu)
    return invalid (error, _("255.255.255.255 is the broadcast address of every network, not one "
                             "computer's; enter this computer's address, such as %s."), EXAMPLE);
  if (is_this_network (address))
    return invalid (error, _("“%s” is in 0.0.0.0/8 (“this network”), which no computer may have "
                             "as its address."), text);
  if (is_loopback (address))
    return invalid (error, _("“%s” is a loopback address, only reachable from this computer."), text);
  if (is_multicast (address))
    return invalid (error, _("“%s” is a multicast address; a bridge needs a unicast one."), text);
  if (is_reserved (address))
    return invalid (error, _("“%s” is in the reserved range 240.0.0.0/4, which no network uses; "
                             "enter this computer's address, such as %s."), text, EXAMPLE);
  if (prefix <= 30 && (address & ~mask) == 0)
    return invalid (error, _("“%s” is the address of the network %s/%u itself; choose a host in "
                             "it, such as %s."), text, network, prefix,
                    first_host);
  if (prefix <= 30 && (address & ~mask) == ~mask)
    return invalid (error, _("“%s” is the broadcast address of %s/%u; choose a host in it."),
                    text, network, prefix);
  return TRUE;
}

/* "192.168.1.80/24" -> "192.168.1.80" and 24. */
gboolean
vmd_ipv4_parse_address_prefix (const char  *text,
                               char       **address,
                               guint       *prefix,
                               GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  char *slash = strchr (stripped, '/');
  guint32 value = 0;
  guint length = 0;

  if (*stripped == '\0')
    return invalid (error, _("Enter an IPv4 address with its prefix length, such as %s/24."),
                    EXAMPLE);
  if (slash == NULL)
    {
      if (!vmd_ipv4_parse_address (stripped, NULL, error))
        return FALSE;
      return invalid (error, _("Add the prefix length after a slash, such as %s/24."), stripped);
    }
  *slash = '\0';
  if (!vmd_ipv4_parse_address (stripped, &value, error) ||
      !parse_prefix (slash + 1, &length, error) ||
      !check_host_address (stripped, value, length, error))
    return FALSE;
  if (address != NULL)
    *address = format_address (value);
  if (prefix != NULL)
    *prefix = length;
  return TRUE;
}

/* A router's address: one computer's, not a range's or the loopback's. */
static gboolean
check_router_address (const char  *text,
                      guint32      gw,
                      GError     **error)
{
  if (gw == 0)
    return invalid (error, _("0.0.0.0 means “no address”: leave the gateway empty for no default "
                             "route, or enter the router's address, such as %s."), ROUTER_EXAMPLE);
  if (gw == 0xffffffffu)
    return invalid (error, _("255.255.255.255 is the broadcast address of every network, not a "
                             "router's; enter the router's address, such as %s."), ROUTER_EXAMPLE);
  if (is_this_network (gw))
    return invalid (error, _("“%s” is in 0.0.0.0/8 (“this network”), not a router's address."), text);
  if (is_loopback (gw))
    return invalid (error, _("“%s” is a loopback address, not a router's."), text);
  if (is_multicast (gw))
    return invalid (error, _("“%s” is a multicast address, not a router's."), text);
  if (is_reserved (gw))
    return invalid (error, _("“%s” is in the reserved range 240.0.0.0/4, not a router's address."),
                    text);
  return TRUE;
}

/* In the subnet, and not its network or broadcast address (a /31 or /32 has neither). */
static gboolean
check_router_in_subnet (const char  *text,
                        guint32      gw,
                        const char  *address,
                        guint        prefix,
                        GError     **error)
{
  guint32 mask = netmask (prefix);
  guint32 host = 0;
  g_autofree char *network = NULL;
  g_autofree char *first_host = NULL;

  vmd_ipv4_parse_address (address, &host, NULL);
  network = format_address (host & mask);
  first_host = format_address ((host & mask) + 1);
  if (gw == host)
    return invalid (error, _("The gateway cannot be this computer's own address (%s)."), address);
  if ((gw & mask) != (host & mask))
    return invalid (error, _("The gateway %s is outside the network %s/%u, so this computer could "
                             "not reach it. Use a router in that network, or change the prefix "
                             "length."), text, network, prefix);
  if (prefix <= 30 && (gw & ~mask) == 0)
    return invalid (error, _("The gateway %s is the address of the network %s/%u itself, not a "
                             "router in it; a router often has the first address, %s."),
                    text, network, prefix, first_host);
  if (prefix <= 30 && (gw & ~mask) == ~mask)
    return invalid (error, _("The gateway %s is the broadcast address of %s/%u, not a router in "
                             "it."), text, network, prefix);
  return TRUE;
}

/* An empty gateway is fine (no default route); one outside the subnet is not reachable. */
gboolean
vmd_ipv4_check_gateway (const char  *gateway,
                        const char  *address_prefix,
                        GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (gateway != NULL ? gateway : ""));
  g_autofree char *address = NULL;
  guint32 gw = 0;
  guint prefix = 0;

  if (*stripped == '\0')
    return TRUE;
  if (!vmd_ipv4_parse_address (stripped, &gw, error) ||
      !check_router_address (stripped, gw, error))
    return FALSE;
  /* Without a valid address there is no subnet to compare with; its own field says why. */
  if (!vmd_ipv4_parse_address_prefix (address_prefix, &address, &prefix, NULL))
    return TRUE;
  return check_router_in_subnet (stripped, gw, address, prefix, error);
}

/* A DNS server may be on this computer (a local resolver on 127.0.0.1), nowhere else special. */
static gboolean
check_dns_server (const char  *text,
                  guint32      address,
                  GError     **error)
{
  if (address == 0)
    return invalid (error, _("0.0.0.0 means “no address”, not a DNS server's; enter a server such "
                             "as %s."), ROUTER_EXAMPLE);
  if (address == 0xffffffffu)
    return invalid (error, _("255.255.255.255 is the broadcast address of every network, not a "
                             "DNS server's."));
  if (is_this_network (address))
    return invalid (error, _("“%s” is in 0.0.0.0/8 (“this network”), not a DNS server's "
                             "address."), text);
  if (is_multicast (address))
    return invalid (error, _("“%s” is a multicast address, not a DNS server's."), text);
  if (is_reserved (address))
    return invalid (error, _("“%s” is in the reserved range 240.0.0.0/4, not a DNS server's "
                             "address."), text);
  return TRUE;
}

/* DNS servers separated by commas, semicolons or spaces; empty gives an empty list. */
GStrv
vmd_ipv4_parse_dns (const char  *text,
                    GError     **error)
{
  g_auto(GStrv) words = g_strsplit_set (text != NULL ? text : "", ",; \t", -1);
  g_autoptr(GStrvBuilder) servers = g_strv_builder_new ();

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      guint32 value = 0;

      if (*words[i] == '\0')
        continue;
      if (!vmd_ipv4_parse_address (words[i], &value, &local) ||
          !check_dns_server (words[i], value, &local))
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS, _("DNS server: %s"),
                       local->message);
          return NULL;
        }
      g_strv_builder_add (servers, words[i]);
    }
  return g_strv_builder_end (servers);
}
