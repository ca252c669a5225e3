/* The ssh command line that carries a remote machine's display (VmdSshTunnel): built from the
 * connection's URI as libvirt builds its own ssh's, and refused for URIs not over SSH. */
#include "config.h"

#include "vmd-error.h"
#include "vmd-ssh-tunnel.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

static char *
joined (const char *uri,
        const char *listen,
        int         port)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = vmd_ssh_tunnel_build_argv (uri, listen, port, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (argv);
  return g_strjoinv (" ", argv);
}

static void
test_argv (void)
{
  const struct { const char *uri; const char *listen; int port; const char *argv; } cases[] = {
    { "qemu+ssh://host.example/system", "127.0.0.1", 5900,
      "ssh -T -e none -W 127.0.0.1:5900 -- host.example" },
    { "qemu+ssh://alice@host.example:2222/system", "127.0.0.1", 5901,
      "ssh -p 2222 -l alice -T -e none -W 127.0.0.1:5901 -- host.example" },
    /* keyfile= and known_hosts=, and the ssh program of command= (ssh transport only). */
    { "qemu+ssh://bob@10.0.0.2/system?keyfile=/k/id_ed25519&known_hosts=/k/known&command=/k/ssh",
      "127.0.0.1", 5900,
      "/k/ssh -l bob -i /k/id_ed25519 -T -e none -o UserKnownHostsFile=/k/known "
      "-W 127.0.0.1:5900 -- 10.0.0.2" },
    { "qemu+libssh://bob@10.0.0.2/system?keyfile=/k/id&known_hosts=/k/known&sshauth=privkey&command=/x",
      "127.0.0.1", 5900,
      "ssh -l bob -i /k/id -T -e none -o UserKnownHostsFile=/k/known -W 127.0.0.1:5900 -- 10.0.0.2" },
    { "qemu+libssh2://h/system?no_tty=1&no_verify=1", "10.1.2.3", 5930,
      "ssh -T -e none -o BatchMode=yes -o StrictHostKeyChecking=no -W 10.1.2.3:5930 -- h" },
    /* Every interface: the host's own loopback; IPv6 addresses in brackets. */
    { "qemu+ssh://h/system", "0.0.0.0", 5900, "ssh -T -e none -W 127.0.0.1:5900 -- h" },
    { "qemu+ssh://h/system", "", 5900, "ssh -T -e none -W 127.0.0.1:5900 -- h" },
    { "qemu+ssh://h/system", "::", 5900, "ssh -T -e none -W [::1]:5900 -- h" },
    { "qemu+ssh://h/system", "fd00::5", 5900, "ssh -T -e none -W [fd00::5]:5900 -- h" },
    /* A user name that looks like an option stays the value of -l. */
    { "qemu+ssh://-oProxyCommand=x@h/system", "127.0.0.1", 5900,
      "ssh -l -oProxyCommand=x -T -e none -W 127.0.0.1:5900 -- h" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *argv = joined (cases[i].uri, cases[i].listen, cases[i].port);

      g_assert_cmpstr (argv, ==, cases[i].argv);
    }
}

/* The first ssh offers its connection to the next ones. */
static void
test_shared (void)
{
  g_auto(GStrv) argv = vmd_ssh_tunnel_build_argv ("qemu+ssh://h/system", "127.0.0.1", 5900,
                                                  "/run/x/c", NULL);
  g_autofree char *line = g_strjoinv (" ", argv);

  g_assert_cmpstr (line, ==, "ssh -T -e none -o ControlMaster=auto -o ControlPath=/run/x/c "
                             "-W 127.0.0.1:5900 -- h");
}

static void
test_refused (void)
{
  const struct { const char *uri; int port; } cases[] = {
    { "qemu:///system", 5900 },
    { "qemu+tls://host/system", 5900 },
    { "qemu+tcp://host/system", 5900 },
    { "qemu+ssh:///system", 5900 },
    { "not a uri", 5900 },
    { "qemu+ssh://host/system", 0 },
    { "qemu+ssh://host/system", -1 },
    { "qemu+ssh://host/system", 70000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = vmd_ssh_tunnel_build_argv (cases[i].uri, "127.0.0.1", cases[i].port, NULL,
                                                      &error);

      g_assert_null (argv);
      g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
    }
  g_assert_true (vmd_ssh_tunnel_applies_to ("qemu+libssh://u@h/system"));
  g_assert_false (vmd_ssh_tunnel_applies_to ("qemu+unix:///system"));
  g_assert_false (vmd_ssh_tunnel_applies_to (NULL));
}

/* ssh that cannot start: an error at once, nothing left running. */
static void
test_no_ssh (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdSshTunnel) tunnel =
    vmd_ssh_tunnel_new ("qemu+ssh://h/system?command=/nonexistent/ssh", "127.0.0.1", 5900, &error);

  g_assert_no_error (error);
  g_assert_cmpint (vmd_ssh_tunnel_open_fd (tunnel, &error), ==, -1);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
  vmd_ssh_tunnel_close (tunnel);
}

/* An ssh that fails (here a stand-in that prints and exits 255): "failed" carries what it said,
 * and the socket ends. */
static void
on_failed (VmdSshTunnel *tunnel,
           const char   *message,
           char        **said)
{
  *said = g_strdup (message);
}

static void
test_failure_reported (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vmdesk-ssh-XXXXXX", NULL);
  g_autofree char *fake = g_build_filename (dir, "ssh", NULL);
  g_autofree char *uri = g_strdup_printf ("qemu+ssh://h/system?command=%s", fake);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdSshTunnel) tunnel = NULL;
  g_autofree char *said = NULL;
  char byte;
  int fd;

  g_assert_true (g_file_set_contents (fake, "#!/bin/sh\necho '@@@@' >&2\necho 'banner' >&2\n"
                                      "echo 'channel 0: open failed: connect failed: Connection "
                                      "refused' >&2\necho 'stdio forwarding failed' >&2\n"
                                      "exit 255\n", -1, NULL));
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  tunnel = vmd_ssh_tunnel_new (uri, "127.0.0.1", 5900, &error);
  g_signal_connect (tunnel, "failed", G_CALLBACK (on_failed), &said);
  fd = vmd_ssh_tunnel_open_fd (tunnel, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (read (fd, &byte, 1), ==, 0);
  close (fd);
  while (said == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (g_strrstr (said, ": channel 0: open failed: connect failed: Connection refused "
                                      "stdio forwarding failed"));
  g_assert_cmpstr (vmd_ssh_tunnel_get_failure (tunnel), ==, said);
  g_unlink (fake);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ssh-tunnel/argv", test_argv);
  g_test_add_func ("/ssh-tunnel/shared", test_shared);
  g_test_add_func ("/ssh-tunnel/refused", test_refused);
  g_test_add_func ("/ssh-tunnel/no-ssh", test_no_ssh);
  g_test_add_func ("/ssh-tunnel/failure-reported", test_failure_reported);
  return g_test_run ();
}
