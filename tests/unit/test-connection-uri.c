/* vmd_connection_uri_check: the form of a libvirt URI, before anything is opened. */
#include "config.h"

#include <string.h>

#include "vmd-connection-uri.h"
#include "vmd-error.h"

static void
test_good_uris (void)
{
  const char *uris[] = {
    "qemu:///system", "qemu:///session", " qemu:///system ", "QEMU:///system",
    "qemu+ssh://root@host.example/system", "qemu+ssh://user@192.0.2.1:2222/system",
    "qemu+libssh2://user@host/system?known_hosts=/tmp/k", "qemu+tls://host.example/system",
    "qemu+tcp://[2001:db8::1]:16509/system", "qemu+unix:///system",
    "qemu+unix:///session?socket=/run/user/1000/libvirt/virtqemud-sock",
    "qemu+ext:///system?command=/usr/bin/ssh-wrapper", "qemu://host.example/system",
    "test:///default", "test:///tmp/machines.xml", "lxc:///", "xen:///system",
    "qemu:///embed?root=/tmp/embed",
  };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!vmd_connection_uri_check (uris[i], &error))
        g_error ("%s refused: %s", uris[i], error->message);
    }
}

static void
test_bad_uris_say_what_is_wrong (void)
{
  const struct { const char *uri; const char *says; } cases[] = {
    { "", "Type a libvirt URI" },
    { "   ", "Type a libvirt URI" },
    { "not a uri", "not a URI" },
    { "bogus:///nothing", "“bogus” is not a libvirt driver" },
    { "qemu+carrier-pigeon://host/system", "“carrier-pigeon” is not a transport" },
    { "qemu+ssh:///system", "needs the name of the computer" },
    { "qemu+tcp:///system", "needs the name of the computer" },
    { "qemu+unix://host/system", "leave the host out" },
    { "qemu+ext:///system", "needs the program to run" },
    { "qemu:/system", "“//” after the driver" },
    { "qemu:///nothing", "ends in /system" },
    { "qemu+ssh://user@host", "ends in /system" },
    { "qemu+ssh://user@host/", "ends in /system" },
    { "test:///", "ends in /default" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      if (vmd_connection_uri_check (cases[i].uri, &error))
        g_error ("“%s” accepted", cases[i].uri);
      g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
      if (strstr (error->message, cases[i].says) == NULL)
        g_error ("“%s”: “%s” does not say “%s”", cases[i].uri, error->message, cases[i].says);
    }
}

/* The message stands beside the field the URI was typed in: it does not repeat it. */
static void
test_message_does_not_repeat_the_uri (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vmd_connection_uri_check ("bogus:///nothing", &error));
  g_assert_null (strstr (error->message, "bogus:///nothing"));
}

static void
test_null_is_refused (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vmd_connection_uri_check (NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
}

/* Add Connection's fields: the URI built, and each bad field refused with a word about it. */
static void
test_build (void)
{
  const struct { const char *transport, *user, *host, *expect; } good[] = {
    { NULL, "ignored", "ignored", "qemu:///system" },
    { "ssh", "alice", "server.example.org", "qemu+ssh://alice@server.example.org/system" },
    { "libssh", "", " 10.0.0.2 ", "qemu+libssh://10.0.0.2/system" },
    { "tls", NULL, "host", "qemu+tls://host/system" },
    { "ssh", "root", "fe80::1", "qemu+ssh://root@[fe80::1]/system" },
  };
  const struct { const char *transport, *user, *host, *says; } bad[] = {
    { "ssh", "alice", "", "name or address" },
    { "ssh", "alice", "a b", "character" },
    { "ssh", "alice", "host/system", "character" },
    { "ssh", "al@ce", "host", "user name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = vmd_connection_uri_build (good[i].transport, good[i].user,
                                                       good[i].host, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (uri, ==, good[i].expect);
      g_assert_true (vmd_connection_uri_check (uri, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = vmd_connection_uri_build (bad[i].transport, bad[i].user, bad[i].host,
                                                       &error);

      g_assert_null (uri);
      g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, bad[i].says));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connection-uri/good", test_good_uris);
  g_test_add_func ("/connection-uri/bad-says-what-is-wrong", test_bad_uris_say_what_is_wrong);
  g_test_add_func ("/connection-uri/no-repeat", test_message_does_not_repeat_the_uri);
  g_test_add_func ("/connection-uri/null", test_null_is_refused);
  g_test_add_func ("/connection-uri/build", test_build);
  return g_test_run ();
}
