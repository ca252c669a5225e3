/* The SSH host key check's pure parts: the fingerprint as ssh-keygen prints it, and known,
 * unknown or changed from what the host offered and what known_hosts has. */
#include "config.h"

#include "vmd-host-key.h"

#define ED_BLOB "AAAAC3NzaC1lZDI1NTE5AAAAIFwAph2uc3aW1bpzNsw5TCuBX63b5jNnDjD2UydC3xud"
#define ED_OTHER "AAAAC3NzaC1lZDI1NTE5AAAAIHc9L1q5c0hz3mWcXq8Bq0Q3o2n8s6ZyN9o6jEw4lH2x"
#define RSA_BLOB "AAAAB3NzaC1yc2EAAAADAQABAAABAQC7"

/* `ssh-keygen -l -E sha256` of ED_BLOB said SHA256:ydqgzZ2an9HFbMn1SQxgnCXvucrGo0XhEalgpBX9uL8. */
static void
test_fingerprint (void)
{
  g_autofree char *fingerprint = vmd_host_key_fingerprint (ED_BLOB);

  g_assert_cmpstr (fingerprint, ==, "SHA256:ydqgzZ2an9HFbMn1SQxgnCXvucrGo0XhEalgpBX9uL8");
  g_assert_null (vmd_host_key_fingerprint (""));
}

static void
test_classify (void)
{
  const char *scanned = "# host:22 SSH-2.0-OpenSSH_9.2p1 Debian-2\n"
                        "host ssh-rsa " RSA_BLOB "\n"
                        "host ssh-ed25519 " ED_BLOB "\n";
  const struct { const char *known; VmdHostKeyStatus status; } cases[] = {
    { NULL, VMD_HOST_KEY_UNKNOWN },
    { "", VMD_HOST_KEY_UNKNOWN },
    /* ssh-keygen -F prints a comment, then the line (here a hashed one). */
    { "# Host host found: line 3\n|1|abc=|def= ssh-ed25519 " ED_BLOB "\n", VMD_HOST_KEY_KNOWN },
    { "host ssh-rsa " RSA_BLOB " comment\n", VMD_HOST_KEY_KNOWN },
    { "host ssh-ed25519 " ED_OTHER "\n", VMD_HOST_KEY_CHANGED },
    /* A revoked key is no trust. */
    { "@revoked host ssh-ed25519 " ED_BLOB "\n", VMD_HOST_KEY_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *type = NULL;
      g_autofree char *blob = NULL;

      g_assert_cmpint (vmd_host_key_classify (scanned, cases[i].known, &type, &blob), ==,
                       cases[i].status);
      /* The key shown is the one ssh prefers, or the one that matched. */
      if (i == 3)
        g_assert_cmpstr (type, ==, "ssh-rsa");
      else
        g_assert_cmpstr (blob, ==, ED_BLOB);
    }
}

static void
test_nothing_offered (void)
{
  g_autofree char *type = NULL;
  g_autofree char *blob = NULL;

  vmd_host_key_classify ("# nothing\n", NULL, &type, &blob);
  g_assert_null (type);
  g_assert_null (blob);
}

static void
check_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdHostKey) key = vmd_host_key_check_finish (result, &error);

  g_assert_null (key);
  g_assert_nonnull (error);
  *(gboolean *) user_data = TRUE;
}

/* A local URI has no host key: said at once, nothing run. */
static void
test_not_ssh (void)
{
  gboolean done = FALSE;

  vmd_host_key_check_async ("qemu:///system", NULL, NULL, check_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_applies_and_file (void)
{
  g_autofree char *given = vmd_host_key_known_hosts_for (
    "qemu+libssh://u@h/system?keyfile=/k&known_hosts=/tmp/kh&sshauth=privkey");
  g_autofree char *openssh = vmd_host_key_known_hosts_for ("qemu+ssh://u@h/system?known_hosts=/tmp/kh");
  g_autofree char *home = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);

  g_assert_true (vmd_host_key_applies_to ("qemu+ssh://u@h/system"));
  g_assert_true (vmd_host_key_applies_to ("qemu+libssh2://h/system"));
  g_assert_false (vmd_host_key_applies_to ("qemu:///system"));
  g_assert_false (vmd_host_key_applies_to ("qemu+tls://h/system"));
  g_assert_false (vmd_host_key_applies_to ("qemu+ssh:///system"));
  g_assert_cmpstr (given, ==, "/tmp/kh");
  /* OpenSSH has no such parameter: it reads the user's file. */
  g_assert_cmpstr (openssh, ==, home);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/host-key/fingerprint", test_fingerprint);
  g_test_add_func ("/host-key/classify", test_classify);
  g_test_add_func ("/host-key/nothing-offered", test_nothing_offered);
  g_test_add_func ("/host-key/not-ssh", test_not_ssh);
  g_test_add_func ("/host-key/applies-and-file", test_applies_and_file);
  return g_test_run ();
}
