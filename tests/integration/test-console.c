/* The tiny guest's consoles through VmdMachine, on a real libvirtd and QEMU (TCG here): the
 * console devices and graphics read from its XML, the serial stream byte for byte (a few MiB
 * of base64 from the guest, checked with md5sum), a busy console taken over, and the QEMU
 * monitor answering an HMP command. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-guest-fixture.h"
#include "vmd-test-util.h"

#define URI "qemu:///system"
#define STREAM_KIB 3072

typedef struct {
  VmdConnection *connection;
  virConnectPtr  handle;
  char          *name;
  char          *pool_name;
  char          *pool_dir;
  VmdMachine    *machine;
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
    "    <cmdline>console=tty0 console=ttyS0</cmdline>"
    "  </os>"
    "  <on_reboot>destroy</on_reboot>"
    "  <devices>"
    "    <serial type='pty'><target port='0'/></serial>"
    "    <console type='pty'><target type='serial' port='0'/></console>"
    "    <graphics type='spice'><listen type='none'/></graphics>"
    "    <video><model type='qxl'/></video>"
    "    <memballoon model='none'/>"
    "  </devices>"
    "</domain>",
    fixture->name, fixture->pool_dir, fixture->pool_dir);
}

static gboolean
machine_known (gpointer user_data)
{
  Fixture *fixture = user_data;

  return vmd_connection_find_machine (fixture->connection, fixture->name) != NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  virDomainPtr domain;

  g_assert_nonnull (g_getenv ("VMDESK_TINY_GUEST_DIR"));
  fixture->name = g_strdup_printf ("vmdesk-console-%d", getpid ());
  fixture->pool_name = g_strdup_printf ("vmdesk-console-pool-%d", getpid ());
  fixture->pool_dir = g_strdup_printf ("/var/lib/libvirt/images/%s", fixture->pool_name);
  /* QEMU runs as libvirt-qemu: the kernel and initrd go into a folder it may read. */
  g_assert_cmpint (g_mkdir_with_parents (fixture->pool_dir, 0755), ==, 0);
  vmd_guest_fixture_copy_boot_files (fixture->pool_dir);

  fixture->connection = vmd_test_open_connection (URI, 5000, &error);
  g_assert_no_error (error);
  g_object_get (vmd_connection_get_gvir (fixture->connection), "handle", &fixture->handle, NULL);

  xml = domain_xml (fixture);
  /* Autodestroy: a test that crashes leaves no guest running behind it. */
  domain = virDomainCreateXML (fixture->handle, xml, VIR_DOMAIN_START_AUTODESTROY);
  g_assert_nonnull (domain);
  virDomainFree (domain);
  g_assert_true (vmd_test_wait_until (machine_known, fixture, 5000));
  fixture->machine = g_object_ref (vmd_connection_find_machine (fixture->connection, fixture->name));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  virDomainPtr domain = virDomainLookupByName (fixture->handle, fixture->name);

  if (domain != NULL)
    {
      virDomainDestroy (domain);
      virDomainFree (domain);
    }
  vmd_guest_fixture_remove_dir (fixture->pool_dir);
  g_clear_object (&fixture->machine);
  virConnectClose (fixture->handle);
  g_clear_object (&fixture->connection);
  g_free (fixture->name);
  g_free (fixture->pool_name);
  g_free (fixture->pool_dir);
}

/* --- a serial stream on the main loop, as the serial view reads it ------------------------ */

typedef struct {
  VmdConsoleStream *stream;
  GString          *received;
  gboolean          closed;
} Reader;

static void
on_received (VmdConsoleStream *stream,
             const char       *data,
             guint             size,
             Reader           *reader)
{
  g_string_append_len (reader->received, data, size);
}

static void
on_ended (VmdConsoleStream *stream,
          Reader           *reader)
{
  reader->closed = TRUE;
}

static VmdConsoleStream *
open_console (Fixture   *fixture,
              gboolean   force,
              GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_machine_open_console_async (fixture->machine, NULL, force, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  return vmd_machine_open_console_finish (fixture->machine, result, error);
}

static void
reader_start (Reader           *reader,
              VmdConsoleStream *stream)
{
  reader->stream = stream;
  reader->received = g_string_new (NULL);
  g_signal_connect (stream, "received", G_CALLBACK (on_received), reader);
  g_signal_connect (stream, "ended", G_CALLBACK (on_ended), reader);
}

static void
reader_stop (Reader *reader)
{
  g_signal_handlers_disconnect_by_data (reader->stream, reader);
  g_clear_object (&reader->stream);
  g_string_free (reader->received, TRUE);
}

/* The stream queues what it cannot send at once and sends it from the main loop. */
static void
send_line (VmdConsoleStream *stream,
           const char       *line)
{
  g_autofree char *data = g_strconcat (line, "\n", NULL);

  vmd_console_stream_send (stream, data, strlen (data));
}

typedef struct {
  Reader     *reader;
  const char *text;
} TextWait;

static gboolean
text_seen (gpointer user_data)
{
  TextWait *wait = user_data;

  return strstr (wait->reader->received->str, wait->text) != NULL;
}

static gboolean
wait_for_text (Reader     *reader,
               const char *text,
               guint       timeout_ms)
{
  TextWait wait = { reader, text };

  return vmd_test_wait_until (text_seen, &wait, timeout_ms);
}

/* The shell prompt, poked with Enter until it answers: the banner may have gone by before the
 * stream was opened, and under TCG the guest can take a while to boot. */
static void
wait_for_prompt (Reader *reader)
{
  for (guint i = 0; i < 60; i++)
    {
      send_line (reader->stream, "");
      if (wait_for_text (reader, "tiny# ", 2000))
        return;
    }
  g_error ("no shell prompt on the serial console; received: %s", reader->received->str);
}

/* Between "BEGIN\n" and "END": the payload as the terminal got it, carriage returns removed
 * (the guest's tty turns \n into \r\n), so it can be decoded and compared with the guest's sum. */
static char *
payload_between (const char *text,
                 const char *begin,
                 const char *end)
{
  const char *start = strstr (text, begin);
  const char *stop;
  GString *clean;

  g_assert_nonnull (start);
  start += strlen (begin);
  stop = strstr (start, end);
  g_assert_nonnull (stop);
  clean = g_string_sized_new (stop - start);
  for (const char *p = start; p < stop; p++)
    if (*p != '\r')
      g_string_append_c (clean, *p);
  return g_string_free (clean, FALSE);
}

static char *
md5_of_base64 (const char *text)
{
  gsize length = 0;
  g_autofree guchar *raw = g_base64_decode (text, &length);

  g_test_message ("decoded %" G_GSIZE_FORMAT " bytes", length);
  g_assert_cmpuint (length, ==, STREAM_KIB * 1024);
  return g_compute_checksum_for_data (G_CHECKSUM_MD5, raw, length);
}

static void
test_console_info (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(VmdConsoleInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  VmdConsoleDevice *device;

  vmd_machine_read_consoles_async (fixture->machine, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  info = vmd_machine_read_consoles_finish (fixture->machine, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->consoles->len, ==, 1);
  device = info->consoles->pdata[0];
  g_assert_cmpstr (device->alias, ==, "serial0");
  g_assert_cmpstr (info->graphics_type, ==, "spice");
  g_assert_null (info->graphics_listen);
}

static void
test_stream_exact (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *received_md5 = NULL;
  g_autofree char *guest_md5 = NULL;
  Reader reader = { 0, };
  const char *sum;
  gint64 started;

  reader_start (&reader, open_console (fixture, FALSE, &error));
  g_assert_no_error (error);
  wait_for_prompt (&reader);

  /* No echo, so the payload comes as base64 lines between two markers and its checksum after
   * them. The markers have '-', which base64 never prints, and are split in the command, so
   * that neither the payload nor an echo of the command can match them. */
  send_line (reader.stream, "stty -echo");
  g_assert_true (wait_for_text (&reader, "stty -echo", 5000));
  g_string_truncate (reader.received, 0);
  command = g_strdup_printf (
    "dd if=/dev/urandom of=/tmp/blob bs=1024 count=%d 2>/dev/null; "
    "echo -BEG''IN-; base64 /tmp/blob; echo -EN''D-; md5sum /tmp/blob; echo -DO''NE-", STREAM_KIB);
  started = g_get_monotonic_time ();
  send_line (reader.stream, command);
  g_assert_true (wait_for_text (&reader, "-DONE-", 100000));
  g_test_message ("%" G_GSIZE_FORMAT " bytes in %.1f s", reader.received->len,
                  (g_get_monotonic_time () - started) / 1e6);

  payload = payload_between (reader.received->str, "-BEGIN-\r\n", "-END-");
  /* base64 printed \n line ends, turned into \r\n by the tty and back above. */
  received_md5 = md5_of_base64 (payload);
  sum = strstr (reader.received->str, "-END-");
  sum = strchr (sum, '\n') + 1;
  guest_md5 = g_strndup (sum, 32);
  g_assert_cmpstr (received_md5, ==, guest_md5);
  reader_stop (&reader);
}

static gboolean
reader_closed (gpointer user_data)
{
  return ((Reader *) user_data)->closed;
}

static void
test_busy_and_force (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  VmdConsoleStream *second;
  Reader first = { 0, };
  Reader taker = { 0, };

  reader_start (&first, open_console (fixture, FALSE, &error));
  g_assert_no_error (error);

  second = open_console (fixture, FALSE, &error);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_CONSOLE_BUSY);
  g_assert_null (second);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Taking over ends the first client's stream and gives us a working one. */
  reader_start (&taker, open_console (fixture, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_until (reader_closed, &first, 10000));
  wait_for_prompt (&taker);
  reader_stop (&taker);
  /* A stream the daemon broke off is let go of quietly (GVirStream logged a critical here). */
  reader_stop (&first);
}

static void
test_monitor_info_status (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  vmd_machine_monitor_command_async (fixture->machine, "info status", NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  reply = vmd_machine_monitor_command_finish (fixture->machine, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (reply, "VM status: running"));
  g_clear_object (&result);

  vmd_machine_monitor_command_async (fixture->machine, "no-such-command", NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  g_clear_pointer (&reply, g_free);
  reply = vmd_machine_monitor_command_finish (fixture->machine, result, &error);
  /* HMP reports unknown commands in its answer, not as a failure. */
  g_assert_no_error (error);
  g_assert_nonnull (strstr (reply, "unknown command"));
}

static void
test_graphics_fd (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  vmd_machine_open_graphics_fd_async (fixture->machine, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  fd = vmd_machine_open_graphics_fd_finish (fixture->machine, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
}

/* libvirt-gobject 4.0 warns about domain events it has no signal for (a guest's own shutdown
 * request, a crash report), from any domain on the daemon, which other tests share. */
static gboolean
ignore_unknown_event_warning (const char     *domain,
                              GLogLevelFlags  level,
                              const char     *message,
                              gpointer        user_data)
{
  return strstr (message, "domain_event_cb: code should not be reached") == NULL;
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);
  g_test_log_set_fatal_handler (ignore_unknown_event_warning, NULL);

  g_test_add ("/integration/console/info", Fixture, NULL,
              fixture_set_up, test_console_info, fixture_tear_down);
  g_test_add ("/integration/console/stream-exact", Fixture, NULL,
              fixture_set_up, test_stream_exact, fixture_tear_down);
  g_test_add ("/integration/console/busy-and-force", Fixture, NULL,
              fixture_set_up, test_busy_and_force, fixture_tear_down);
  g_test_add ("/integration/console/monitor", Fixture, NULL,
              fixture_set_up, test_monitor_info_status, fixture_tear_down);
  g_test_add ("/integration/console/graphics-fd", Fixture, NULL,
              fixture_set_up, test_graphics_fd, fixture_tear_down);
  return g_test_run ();
}
