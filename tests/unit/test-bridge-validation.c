/* The bridge assistant's IPv4 fields: what passes, and what each refusal says. */
#include "config.h"

#include <string.h>

#include "vmd-address-validation.h"
#include "vmd-error.h"

typedef struct {
  const char *text;
  gboolean    valid;
  const char *address;      /* what a valid text parses to */
  guint       prefix;
  const char *message;      /* a part of the refusal */
} AddressCase;

static const AddressCase address_cases[] = {
  { "192.168.1.80/24",     TRUE,  "192.168.1.80", 24, NULL },
  { "  10.0.0.5/8 ",       TRUE,  "10.0.0.5",      8, NULL },
  { "172.16.4.1/32",       TRUE,  "172.16.4.1",   32, NULL },
  { "192.168.1.0/31",      TRUE,  "192.168.1.0",  31, NULL },
  { "",                    FALSE, NULL, 0, "Enter an IPv4 address" },
  { "   ",                 FALSE, NULL, 0, "Enter an IPv4 address" },
  { "192.168.1.80",        FALSE, NULL, 0, "Add the prefix length" },
  { "192.168.1.80/",       FALSE, NULL, 0, "Add the prefix length" },
  { "192.168.1.80/33",     FALSE, NULL, 0, "from 1 to 32" },
  { "192.168.1.80/0",      FALSE, NULL, 0, "from 1 to 32" },
  { "192.168.1.80/-1",     FALSE, NULL, 0, "from 1 to 32" },
  { "192.168.1.80/24x",    FALSE, NULL, 0, "from 1 to 32" },
  { "192.168.1.80/255.255.255.0", FALSE, NULL, 0, "from 1 to 32" },
  { "256.1.1.1/24",        FALSE, NULL, 0, "not an IPv4 address" },
  { "192.168.1/24",        FALSE, NULL, 0, "not an IPv4 address" },
  { "192.168.1.80.1/24",   FALSE, NULL, 0, "not an IPv4 address" },
  { "hello",               FALSE, NULL, 0, "not an IPv4 address" },
  { "0x0a000001/8",        FALSE, NULL, 0, "not an IPv4 address" },
  { "fe80::1/64",          FALSE, NULL, 0, "IPv6" },
  { "2001:db8::5",         FALSE, NULL, 0, "IPv6" },
  { "192.168.1.0/24",      FALSE, NULL, 0, "network 192.168.1.0/24 itself" },
  { "192.168.1.255/24",    FALSE, NULL, 0, "broadcast" },
  { "127.0.0.1/8",         FALSE, NULL, 0, "loopback" },
  { "224.0.0.5/24",        FALSE, NULL, 0, "multicast" },
  { "0.0.0.0/24",          FALSE, NULL, 0, "no address" },
  /* Special whatever the prefix: a /32 has no network or broadcast address of its own. */
  { "255.255.255.255/32",  FALSE, NULL, 0, "broadcast address of every network" },
  { "255.255.255.255/24",  FALSE, NULL, 0, "broadcast address of every network" },
  { "0.0.0.0/32",          FALSE, NULL, 0, "no address" },
  { "0.1.2.3/8",           FALSE, NULL, 0, "0.0.0.0/8" },
  { "240.0.0.1/24",        FALSE, NULL, 0, "reserved range 240.0.0.0/4" },
  { "224.0.0.1/32",        FALSE, NULL, 0, "multicast" },
  { "239.255.255.250/32",  FALSE, NULL, 0, "multicast" },
  { "127.0.0.1/32",        FALSE, NULL, 0, "loopback" },
  { "10.0.0.0/8",          FALSE, NULL, 0, "network 10.0.0.0/8 itself" },
  { "10.255.255.255/8",    FALSE, NULL, 0, "broadcast address of 10.0.0.0/8" },
  { "192.168.1.4/30",      FALSE, NULL, 0, "network 192.168.1.4/30 itself" },
  { "192.168.1.7/30",      FALSE, NULL, 0, "broadcast" },
  /* ... but these are hosts. */
  { "192.168.1.5/30",      TRUE,  "192.168.1.5",  30, NULL },
  { "192.168.1.1/31",      TRUE,  "192.168.1.1",  31, NULL },
  { "169.254.10.20/16",    TRUE,  "169.254.10.20", 16, NULL },
  { "223.255.255.254/24",  TRUE,  "223.255.255.254", 24, NULL },
  { "1.0.0.1/32",          TRUE,  "1.0.0.1",      32, NULL },
};

static void
test_address_prefix (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (address_cases); i++)
    {
      const AddressCase *c = &address_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *address = NULL;
      guint prefix = 0;
      gboolean ok = vmd_ipv4_parse_address_prefix (c->text, &address, &prefix, &error);

      g_test_message ("“%s” -> %s", c->text, ok ? address : error->message);
      g_assert_cmpint (ok, ==, c->valid);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (address, ==, c->address);
          g_assert_cmpuint (prefix, ==, c->prefix);
        }
      else
        {
          g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS);
          g_assert_nonnull (strstr (error->message, c->message));
        }
    }
}

typedef struct {
  const char *gateway;
  const char *address;
  gboolean    valid;
  const char *message;
} GatewayCase;

static const GatewayCase gateway_cases[] = {
  { "192.168.1.1",   "192.168.1.80/24", TRUE,  NULL },
  { "",              "192.168.1.80/24", TRUE,  NULL },   /* no default route */
  { "10.1.2.3",      "10.0.0.5/8",      TRUE,  NULL },
  { "192.168.2.1",   "192.168.1.80/24", FALSE, "outside the network 192.168.1.0/24" },
  { "10.0.0.1",      "192.168.1.80/24", FALSE, "outside" },
  { "192.168.1.80",  "192.168.1.80/24", FALSE, "own address" },
  { "192.168.1",     "192.168.1.80/24", FALSE, "not an IPv4 address" },
  { "fe80::1",       "192.168.1.80/24", FALSE, "IPv6" },
  { "gateway",       "192.168.1.80/24", FALSE, "not an IPv4 address" },
  /* The address field is wrong: it says so itself, the gateway alone is fine. */
  { "192.168.1.1",   "junk",            TRUE,  NULL },
  /* The network's own address or its broadcast is no router. */
  { "192.168.1.0",   "192.168.1.80/24", FALSE, "address of the network 192.168.1.0/24 itself" },
  { "192.168.1.255", "192.168.1.80/24", FALSE, "broadcast address of 192.168.1.0/24" },
  { "10.0.0.0",      "10.0.0.5/8",      FALSE, "network 10.0.0.0/8 itself" },
  { "10.255.255.255", "10.0.0.5/8",     FALSE, "broadcast" },
  { "192.168.1.4",   "192.168.1.5/30",  FALSE, "itself" },
  { "192.168.1.7",   "192.168.1.5/30",  FALSE, "broadcast" },
  { "192.168.1.6",   "192.168.1.5/30",  TRUE,  NULL },
  { "192.168.1.0",   "192.168.1.1/31",  TRUE,  NULL },   /* a /31 has no such addresses */
  { "192.168.1.254", "192.168.1.80/24", TRUE,  NULL },
  /* Nobody's address, even when the address field gives no subnet to compare with. */
  { "0.0.0.0",       "192.168.1.80/24", FALSE, "leave the gateway empty" },
  { "0.0.0.0",       "junk",            FALSE, "no address" },
  { "255.255.255.255", "192.168.1.80/24", FALSE, "broadcast address of every network" },
  { "255.255.255.255", "junk",          FALSE, "broadcast address of every network" },
  { "224.0.0.1",     "192.168.1.80/24", FALSE, "multicast" },
  { "127.0.0.1",     "127.0.0.5/8",     FALSE, "loopback" },
  { "127.0.0.1",     "junk",            FALSE, "loopback" },
  { "0.0.0.1",       "junk",            FALSE, "0.0.0.0/8" },
  { "250.1.1.1",     "junk",            FALSE, "reserved" },
};

static void
test_gateway (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (gateway_cases); i++)
    {
      const GatewayCase *c = &gateway_cases[i];
      g_autoptr(GError) error = NULL;
      gboolean ok = vmd_ipv4_check_gateway (c->gateway, c->address, &error);

      g_test_message ("gateway “%s” for %s -> %s", c->gateway, c->address,
                      ok ? "ok" : error->message);
      g_assert_cmpint (ok, ==, c->valid);
      if (!ok)
        {
          g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS);
          g_assert_nonnull (strstr (error->message, c->message));
        }
    }
}

typedef struct {
  const char *text;
  const char *servers[3];   /* NULL-terminated; all NULL with a message means refused */
  const char *message;
} DnsCase;

static const DnsCase dns_cases[] = {
  { "192.168.1.1",            { "192.168.1.1", NULL },            NULL },
  { "1.1.1.1, 9.9.9.9",       { "1.1.1.1", "9.9.9.9", NULL },     NULL },
  { "1.1.1.1;9.9.9.9 ",       { "1.1.1.1", "9.9.9.9", NULL },     NULL },
  { "",                       { NULL },                           NULL },
  { "1.1.1.1, dns.example",   { NULL },                           "not an IPv4 address" },
  { "2606:4700::1111",        { NULL },                           "IPv6" },
  { "0.0.0.0",                { NULL },                           "no address" },
  { "1.1.1.1, 0.0.0.0",       { NULL },                           "no address" },
  { "255.255.255.255",        { NULL },                           "broadcast address of every network" },
  { "9.9.9.9 255.255.255.255", { NULL },                          "broadcast" },
  { "224.0.0.251",            { NULL },                           "multicast" },
  { "0.8.8.8",                { NULL },                           "0.0.0.0/8" },
  { "240.1.1.1",              { NULL },                           "reserved" },
  /* A resolver on this computer (dnsmasq, systemd-resolved) is a DNS server like any other. */
  { "127.0.0.53",             { "127.0.0.53", NULL },             NULL },
  { "192.168.1.255",          { "192.168.1.255", NULL },          NULL },  /* no subnet to know */
};

static void
test_dns (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (dns_cases); i++)
    {
      const DnsCase *c = &dns_cases[i];
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) servers = vmd_ipv4_parse_dns (c->text, &error);

      g_test_message ("dns “%s” -> %s", c->text, error != NULL ? error->message : "ok");
      if (c->message != NULL)
        {
          g_assert_null (servers);
          g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_ADDRESS);
          g_assert_nonnull (strstr (error->message, c->message));
          g_assert_true (g_str_has_prefix (error->message, "DNS server"));
          continue;
        }
      g_assert_no_error (error);
      g_assert_true (g_strv_equal ((const char * const *) servers, c->servers));
    }
}

/* The messages quote what was typed; bytes that are not UTF-8 (not from a GtkEntry, but the
 * validators take any string) must not make them invalid for a GtkLabel. Found by fuzzing. */
static void
test_message_utf8 (void)
{
  const char *inputs[] = { "9.9.9\xae" "9", "\xff\xfe/24", "192.168.1.80/2\xc3" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) address_error = NULL;
      g_autoptr(GError) gateway_error = NULL;
      g_autoptr(GError) dns_error = NULL;

      g_assert_false (vmd_ipv4_parse_address_prefix (inputs[i], NULL, NULL, &address_error));
      g_assert_false (vmd_ipv4_check_gateway (inputs[i], "192.168.1.80/24", &gateway_error));
      g_assert_null (vmd_ipv4_parse_dns (inputs[i], &dns_error));
      g_assert_true (g_utf8_validate (address_error->message, -1, NULL));
      g_assert_true (g_utf8_validate (gateway_error->message, -1, NULL));
      g_assert_true (g_utf8_validate (dns_error->message, -1, NULL));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bridge-validation/address-prefix", test_address_prefix);
  g_test_add_func ("/bridge-validation/gateway", test_gateway);
  g_test_add_func ("/bridge-validation/dns", test_dns);
  g_test_add_func ("/bridge-validation/message-utf8", test_message_utf8);

  return g_test_run ();
}
