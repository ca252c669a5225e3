/* A remote host over SSH (issue 16), against the second libvirt host of
 * tests/harness/second-host-up.sh: VmdConnection opens qemu+libssh:// and qemu+ssh:// with a
 * key, lists, starts, reads and types on the serial console through the remote stream, and
 * forces off a machine there; a host key it does not know, or one that changed, is refused. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vmd-askpass.h"
#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-guest-fixture.h"
#include "vmd-host-key.h"
#include "vmd-second-host.h"
#include "vmd-serial-reader.h"
#include "vmd-test-util.h"

typedef struct {
  VmdConnection *connection;
  virConnectPtr  handle;       /* B's daemon over its socket, as virsh there would be */
  char          *name;
  char          *dir;          /* B's view: /var/lib/libvirt/images/NAME */
  char          *dir_outside;  /* the same folder from here */
} Fixture;

static char *
domain_xml (Fixture *fixture)
{
  return g_strdup_printf (
    "<domain type='qemu'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>256</memory>"
    "  <vcpu>1</vcpu>"
    "  <os>"
    "    <type arch='x86_64' machine='pc'>hvm</type>"
    "    <kernel>%s/vmlinuz</kernel>"
    "    <initrd>%s/initrd</initrd>"
    "    <cmdline>console=ttyS0</cmdline>"
    "  </os>"
    "  <on_reboot>destroy</on_reboot>"
    "  <devices>"
    "    <serial type='pty'><target port='0'/></serial>"
    "    <console type='pty'><target type='serial' port='0'/></console>"
    "    <memballoon model='none'/>"
    "  </devices>"
    "</domain>",
    fixture->name, fixture->dir, fixture->dir);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *local = vmd_second_host_local_uri ();
  g_autofree char *xml = NULL;
  virDomainPtr domain;

  g_assert_nonnull (g_getenv ("VMDESK_TINY_GUEST_DIR"));
  fixture->name = g_strdup_printf ("vmdesk-remote-%d", getpid ());
  fixture->dir = g_strdup_printf ("/var/lib/libvirt/images/%s", fixture->name);
  fixture->dir_outside = vmd_second_host_outside (fixture->dir);
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir_outside, 0755), ==, 0);
  vmd_guest_fixture_copy_boot_files (fixture->dir_outside);

  fixture->handle = virConnectOpen (local);
  g_assert_nonnull (fixture->handle);
  xml = domain_xml (fixture);
  domain = virDomainDefineXML (fixture->handle, xml);
  g_assert_nonnull (domain);
  virDomainFree (domain);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  virDomainPtr domain = virDomainLookupByName (fixture->handle, fixture->name);

  if (domain != NULL)
    {
      virDomainDestroy (domain);
      virDomainUndefine (domain);
      virDomainFree (domain);
    }
  virConnectClose (fixture->handle);
  if (fixture->connection != NULL)
    vmd_connection_close (fixture->connection);
  g_clear_object (&fixture->connection);
  vmd_guest_fixture_remove_dir (fixture->dir_outside);
  g_free (fixture->name);
  g_free (fixture->dir);
  g_free (fixture->dir_outside);
}

/* The connection stays in the fixture whether it opened or not, for its state to be read. */
static gboolean
open_remote (Fixture     *fixture,
             const char  *uri,
             GError     **error)
{
  g_test_message ("opening %s", uri);
  fixture->connection = vmd_connection_new (uri);
  return vmd_test_open (fixture->connection, error);
}

static void
run_action (VmdMachine       *machine,
            VmdMachineAction  action)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_machine_run_action_async (machine, action, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 60000));
  vmd_machine_run_action_finish (machine, result, &error);
  g_assert_no_error (error);
}

static gboolean
machine_listed (gpointer user_data)
{
  Fixture *fixture = user_data;

  return vmd_connection_find_machine (fixture->connection, fixture->name) != NULL;
}

/* Start, console both ways, force off: everything over the one SSH connection. */
static void
check_lifecycle_and_console (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  VmdSerialReader reader = { 0, };
  VmdMachine *machine;

  g_assert_true (vmd_test_wait_until (machine_listed, fixture, 10000));
  machine = vmd_connection_find_machine (fixture->connection, fixture->name);
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_SHUT_OFF);

  run_action (machine, VMD_MACHINE_ACTION_START);
  g_assert_true (vmd_test_wait_for_machine_state (fixture->connection, fixture->name,
                                                  VMD_MACHINE_STATE_RUNNING, 30000));

  vmd_serial_reader_start (&reader, vmd_serial_reader_open (machine, FALSE, &error));
  g_assert_no_error (error);
  vmd_serial_reader_wait_prompt (&reader);
  /* Split, so that the echo of the command cannot match. */
  vmd_serial_reader_send_line (&reader, "echo remote-''$(hostname)-ok");
  g_assert_true (vmd_serial_reader_wait_for (&reader, "remote-", 20000));
  g_assert_true (vmd_serial_reader_wait_for (&reader, "-ok", 20000));
  vmd_serial_reader_stop (&reader);

  run_action (machine, VMD_MACHINE_ACTION_FORCE_OFF);
  g_assert_true (vmd_test_wait_for_machine_state (fixture->connection, fixture->name,
                                                  VMD_MACHINE_STATE_SHUT_OFF, 30000));
}

static void
test_libssh_key (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *uri = vmd_second_host_libssh_uri (NULL);
  g_autoptr(GError) error = NULL;

  open_remote (fixture, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vmd_connection_get_state (fixture->connection), ==,
                   VMD_CONNECTION_STATE_CONNECTED);
  check_lifecycle_and_console (fixture);
}

static void
test_ssh_key (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *uri = vmd_second_host_ssh_uri ();
  g_autoptr(GError) error = NULL;

  open_remote (fixture, uri, &error);
  g_assert_no_error (error);
  check_lifecycle_and_console (fixture);
}

/* Without a way to ask the user, a host whose key is not known is not talked to. */
static void
test_unknown_host_key_refused (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autofree char *empty = g_build_filename (g_get_tmp_dir (), "vmdesk-remote-kh-XXXXXX", NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  int fd = g_mkstemp (empty);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  uri = vmd_second_host_libssh_uri (empty);
  open_remote (fixture, uri, &error);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_CONNECTED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "not known"));
  g_assert_cmpint (vmd_connection_get_state (fixture->connection), ==,
                   VMD_CONNECTION_STATE_FAILED);
  g_unlink (empty);
}

/* A key that is not the one known for this address: refused, saying so. */
static void
test_changed_host_key_refused (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autofree char *uri = vmd_second_host_libssh_uri (VMD_SECOND_HOST_CLIENT "/known_hosts_changed");
  g_autoptr(GError) error = NULL;

  open_remote (fixture, uri, &error);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_CONNECTED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "has changed"));
  g_assert_null (strstr (error->message, "libvirt” group"));
}

static VmdHostKey *
check_host_key (const char *known_hosts)
{
  g_autofree char *uri = vmd_second_host_libssh_uri (known_hosts);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VmdHostKey *key;

  vmd_host_key_check_async (uri, known_hosts, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 30000));
  key = vmd_host_key_check_finish (result, &error);
  g_assert_no_error (error);
  return key;
}

/* What ssh-keygen says of the second host's key, to compare with what the user is shown. */
static char *
real_fingerprint (void)
{
  const char *argv[] = { "ssh-keygen", "-l", "-E", "sha256", "-f",
                         "/run/vmdesk-host-b/host/ssh_host_ed25519_key.pub", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, NULL, NULL));
  fields = g_strsplit (out, " ", 3);
  return g_strdup (fields[1]);
}

/* Unknown: shown with its fingerprint, refused by the connection until accepted; accepted, it is
 * known and the connection opens. */
static void
test_host_key_accepted (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *dir = g_dir_make_tmp ("vmdesk-known-XXXXXX", NULL);
  g_autofree char *ssh_dir = g_build_filename (dir, "ssh", NULL);
  g_autofree char *known_hosts = g_build_filename (ssh_dir, "known_hosts", NULL);
  g_autofree char *expected = real_fingerprint ();
  g_autofree char *uri = vmd_second_host_libssh_uri (known_hosts);
  g_autoptr(VmdHostKey) key = check_host_key (known_hosts);
  g_autoptr(VmdHostKey) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (key->status, ==, VMD_HOST_KEY_UNKNOWN);
  g_assert_cmpstr (key->key_type, ==, "ssh-ed25519");
  g_assert_cmpstr (key->fingerprint, ==, expected);
  g_assert_cmpstr (key->host, ==, VMD_SECOND_HOST_ADDRESS);

  open_remote (fixture, uri, &error);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_clear_object (&fixture->connection);

  g_assert_true (vmd_host_key_accept (key, known_hosts, &error));
  g_assert_no_error (error);
  again = check_host_key (known_hosts);
  g_assert_cmpint (again->status, ==, VMD_HOST_KEY_KNOWN);
  g_assert_true (open_remote (fixture, uri, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_until (machine_listed, fixture, 10000));

  g_unlink (known_hosts);
  g_rmdir (ssh_dir);
  g_rmdir (dir);
}

/* Changed: said so before anything is sent, and not accepted over the old key. */
static void
test_host_key_changed (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(VmdHostKey) key = check_host_key (VMD_SECOND_HOST_CLIENT "/known_hosts_changed");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (key->status, ==, VMD_HOST_KEY_CHANGED);
  g_assert_false (vmd_host_key_accept (key, VMD_SECOND_HOST_CLIENT "/known_hosts_changed", &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_PERMISSION_DENIED);
}

/* --- a password typed into VM Desk's prompt (qemu+ssh, SSH_ASKPASS) ---------------------------- */

typedef struct {
  char     *answer;    /* NULL: cancel */
  char     *prompt;
  gboolean  secret;
  guint     asked;
} Asker;

static void
on_ask (VmdAskpass        *askpass,
        VmdAskpassRequest *request,
        Asker             *asker)
{
  asker->asked++;
  g_free (asker->prompt);
  asker->prompt = g_strdup (vmd_askpass_request_get_prompt (request));
  asker->secret = vmd_askpass_request_is_secret (request);
  if (asker->answer != NULL)
    vmd_askpass_request_reply (request, asker->answer);
  else
    vmd_askpass_request_cancel (request);
}

static VmdAskpass *
start_askpass (Asker *asker)
{
  g_autoptr(GError) error = NULL;
  VmdAskpass *askpass = vmd_askpass_new (g_getenv ("VMDESK_ASKPASS_HELPER"), &error);

  g_assert_no_error (error);
  g_setenv ("SSH_ASKPASS", vmd_askpass_get_program (askpass), TRUE);
  /* ssh asks through SSH_ASKPASS only with a display named; the app has one. */
  if (g_getenv ("DISPLAY") == NULL)
    g_setenv ("DISPLAY", ":0", TRUE);
  g_signal_connect (askpass, "ask", G_CALLBACK (on_ask), asker);
  return askpass;
}

static void
test_ssh_password (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Asker asker = { vmd_second_host_password (), NULL, FALSE, 0 };
  g_autoptr(VmdAskpass) askpass = start_askpass (&asker);
  g_autoptr(GError) error = NULL;

  open_remote (fixture, "qemu+ssh://" VMD_SECOND_HOST_USER "@" VMD_SECOND_HOST_ADDRESS
               "/system?command=" VMD_SECOND_HOST_CLIENT "/ssh_password", &error);
  g_assert_no_error (error);
  g_test_message ("asked %u time(s): %s", asker.asked, asker.prompt);
  g_assert_cmpuint (asker.asked, ==, 1);
  g_assert_true (asker.secret);
  g_assert_nonnull (strstr (asker.prompt, "password"));
  g_assert_true (vmd_test_wait_until (machine_listed, fixture, 10000));
  g_free (asker.answer);
  g_free (asker.prompt);
}

/* Cancelled in the prompt: not connected, and said so. */
static void
test_ssh_password_cancelled (Fixture       *fixture,
                             gconstpointer  user_data)
{
  Asker asker = { NULL, NULL, FALSE, 0 };
  g_autoptr(VmdAskpass) askpass = start_askpass (&asker);
  g_autoptr(GError) error = NULL;

  open_remote (fixture, "qemu+ssh://" VMD_SECOND_HOST_USER "@" VMD_SECOND_HOST_ADDRESS
               "/system?command=" VMD_SECOND_HOST_CLIENT "/ssh_password", &error);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_CONNECTED);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (asker.asked, ==, 1);
  g_free (asker.prompt);
}

static gboolean
ignore_unknown_event_warning (const char     *log_domain,
                              GLogLevelFlags  level,
                              const char     *message,
                              gpointer        user_data)
{
  return strstr (message, "domain_event_cb: code should not be reached") == NULL;
}

int
main (int argc, char *argv[])
{
  vmd_second_host_enter (argc, argv);
  vmd_test_init (&argc, &argv);
  g_test_log_set_fatal_handler (ignore_unknown_event_warning, NULL);

  g_test_add ("/integration/remote/libssh-key", Fixture, NULL,
              fixture_set_up, test_libssh_key, fixture_tear_down);
  g_test_add ("/integration/remote/ssh-key", Fixture, NULL,
              fixture_set_up, test_ssh_key, fixture_tear_down);
  g_test_add ("/integration/remote/unknown-host-key-refused", Fixture, NULL,
              fixture_set_up, test_unknown_host_key_refused, fixture_tear_down);
  g_test_add ("/integration/remote/changed-host-key-refused", Fixture, NULL,
              fixture_set_up, test_changed_host_key_refused, fixture_tear_down);
  g_test_add ("/integration/remote/host-key-accepted", Fixture, NULL,
              fixture_set_up, test_host_key_accepted, fixture_tear_down);
  g_test_add ("/integration/remote/host-key-changed", Fixture, NULL,
              fixture_set_up, test_host_key_changed, fixture_tear_down);
  g_test_add ("/integration/remote/ssh-password", Fixture, NULL,
              fixture_set_up, test_ssh_password, fixture_tear_down);
  g_test_add ("/integration/remote/ssh-password-cancelled", Fixture, NULL,
              fixture_set_up, test_ssh_password_cancelled, fixture_tear_down);
  return g_test_run ();
}
