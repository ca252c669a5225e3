/* Fuzzes the bridge assistant's IPv4 validators (src/net/vmd-address-validation.c) and checks
 * what they accept against rules written here again, independently, with inet_pton():
 * an accepted host address is a unicast one and, up to /30, neither its network's nor its
 * broadcast address; an accepted gateway is such an address inside that network; an accepted
 * DNS server is no special address but loopback. Input: three lines, address/prefix, gateway,
 * DNS servers. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "vmd-address-validation.h"

static guint32
parse (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  struct in_addr addr;

  if (inet_pton (AF_INET, stripped, &addr) != 1)
    {
      fprintf (stderr, "accepted “%s”, which inet_pton() refuses\n", text);
      abort ();
    }
  return g_ntohl (addr.s_addr);
}

/* 0/8, 224/4 (multicast), 240/4 (reserved, 255.255.255.255): nobody's address. */
static gboolean
nobodys (guint32 address)
{
  return (address >> 24) == 0 || address >= 0xe0000000u;
}

static void
require (gboolean    condition,
         const char *what,
         const char *text)
{
  if (condition)
    return;
  fprintf (stderr, "rule broken: %s (input “%s”)\n", what, text);
  abort ();
}

static void
check_message (const GError *error)
{
  require (error != NULL && error->message[0] != '\0', "a refusal has a message", "");
  require (g_utf8_validate (error->message, -1, NULL), "the message is UTF-8", error->message);
}

static gboolean
check_address (const char *text,
               guint32    *host,
               guint      *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  guint32 mask;

  if (!vmd_ipv4_parse_address_prefix (text, &address, prefix, &error))
    return check_message (error), FALSE;
  *host = parse (address);
  mask = *prefix == 0 ? 0 : 0xffffffffu << (32 - *prefix);
  require (*prefix >= 1 && *prefix <= 32, "prefix 1..32", text);
  require (!nobodys (*host) && (*host >> 24) != 127, "a unicast host address", text);
  require (*prefix > 30 || ((*host & ~mask) != 0 && (*host & ~mask) != ~mask),
           "not the network or broadcast address", text);
  return TRUE;
}

static void
check_gateway (const char *text,
               const char *address_text,
               gboolean    have_address,
               guint32     host,
               guint       prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  guint32 gw, mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);

  if (!vmd_ipv4_check_gateway (text, address_text, &error))
    return check_message (error);
  if (*stripped == '\0')
    return;
  gw = parse (stripped);
  require (!nobodys (gw) && (gw >> 24) != 127, "a unicast gateway", text);
  if (!have_address)
    return;
  require (gw != host, "not this computer's address", text);
  require ((gw & mask) == (host & mask), "inside the network", text);
  require (prefix > 30 || ((gw & ~mask) != 0 && (gw & ~mask) != ~mask),
           "not the network or broadcast address", text);
}

static void
check_dns (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) servers = vmd_ipv4_parse_dns (text, &error);

  if (servers == NULL)
    return check_message (error);
  require (error == NULL, "no error with a list", text);
  for (guint i = 0; servers[i] != NULL; i++)
    require (!nobodys (parse (servers[i])), "a unicast DNS server", servers[i]);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", 3);
  guint n = g_strv_length (lines);
  const char *address = n > 0 ? lines[0] : "";
  const char *gateway = n > 1 ? lines[1] : "";
  const char *dns = n > 2 ? lines[2] : "";
  guint32 host = 0;
  guint prefix = 0;
  gboolean have_address = check_address (address, &host, &prefix);

  check_gateway (gateway, address, have_address, host, prefix);
  check_dns (dns);
  /* The plain parser too, with each line as it comes. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      guint32 value = 0;

      if (vmd_ipv4_parse_address (lines[i], &value, &error))
        require (parse (lines[i]) == value, "the parsed value is the address", lines[i]);
      else
        check_message (error);
    }
  return 0;
}
