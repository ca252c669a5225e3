/* Starts the second host (idempotent) and moves the test into the first host's network
 * namespace, where both hosts' libvirtd and the second host's sshd can be reached; builds the
 * URIs and paths tests use to reach it. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmd-second-host.h"

#define NETNS_A "vmdesk-libvirt"
#define B_ROOT  "/var/lib/vmdesk-host-b"

static gboolean
in_namespace_a (void)
{
  struct stat self, a;

  return stat ("/proc/self/ns/net", &self) == 0 &&
         stat ("/run/netns/" NETNS_A, &a) == 0 &&
         self.st_ino == a.st_ino && self.st_dev == a.st_dev;
}

static void
start_second_host (void)
{
  const char *harness = g_getenv ("VMDESK_HARNESS_DIR");
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (harness);
  script = g_build_filename (harness, "second-host-up.sh", NULL);
  {
    const char *argv[] = { script, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                       &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      g_error ("second-host-up.sh: %s", error->message);
  }
}

/* Called first in main: in the root namespace, starts the second host and runs this test
 * again inside the first host's namespace (argv passed on, no shell). */
void
vmd_second_host_enter (int    argc,
                       char **argv)
{
  g_autoptr(GPtrArray) args = NULL;
  g_autofree char *self = NULL;

  if (in_namespace_a ())
    return;
  start_second_host ();
  self = g_file_read_link ("/proc/self/exe", NULL);
  g_assert_nonnull (self);
  args = g_ptr_array_new ();
  g_ptr_array_add (args, (char *) "ip");
  g_ptr_array_add (args, (char *) "netns");
  g_ptr_array_add (args, (char *) "exec");
  g_ptr_array_add (args, (char *) NETNS_A);
  g_ptr_array_add (args, self);
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);
  execvp ("ip", (char **) args->pdata);
  g_error ("ip netns exec: %s", g_strerror (errno));
}

/* libssh: the key made at test time and the known_hosts file given (NULL: the right one). */
char *
vmd_second_host_libssh_uri (const char *known_hosts_file)
{
  return g_strdup_printf ("qemu+libssh://" VMD_SECOND_HOST_USER "@" VMD_SECOND_HOST_ADDRESS
                          "/system?keyfile=" VMD_SECOND_HOST_CLIENT "/id_ed25519"
                          "&known_hosts=%s&sshauth=privkey",
                          known_hosts_file != NULL ? known_hosts_file
                                                   : VMD_SECOND_HOST_CLIENT "/known_hosts");
}

/* OpenSSH's client, with the test bed's configuration (key, known_hosts) through a wrapper. */
char *
vmd_second_host_ssh_uri (void)
{
  return g_strdup ("qemu+ssh://" VMD_SECOND_HOST_USER "@" VMD_SECOND_HOST_ADDRESS
                   "/system?command=" VMD_SECOND_HOST_CLIENT "/ssh");
}

/* B's daemon through its socket, behind SSH's back, for setting up and checking as virsh would. */
char *
vmd_second_host_local_uri (void)
{
  return g_strdup ("qemu:///system?socket=/run/vmdesk-host-b/run-libvirt/libvirt-sock");
}

/* Where a file B sees at path_on_b (under /var/lib/libvirt) is for this test. */
char *
vmd_second_host_outside (const char *path_on_b)
{
  g_assert_true (g_str_has_prefix (path_on_b, "/var/lib/libvirt/"));
  return g_strconcat (B_ROOT "/lib/", path_on_b + strlen ("/var/lib/libvirt/"), NULL);
}

char *
vmd_second_host_password (void)
{
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (VMD_SECOND_HOST_CLIENT "/password", &text, NULL, NULL));
  return g_strdup (g_strstrip (text));
}
