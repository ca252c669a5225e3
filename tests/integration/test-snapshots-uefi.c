/* Snapshots of a UEFI machine on the real daemon (issue 15), libvirt 9.0 and OVMF under TCG:
 * external snapshots with the NVRAM copied, VM Desk's own revert and delete. A marker on the
 * disk comes back with a revert and survives the delete, which leaves no unused image; every
 * step of the revert and the delete made to fail leaves the definition, the disk files and the
 * NVRAM byte for byte as they were; a snapshot taken while running comes back running where it
 * was (a counter on the serial console goes on from its value then); a snapshot on top of another
 * keeps what it needs when the other is deleted; two names that make the same file name are
 * refused before anything changes. The revert of a running machine is not made to fail: its undo
 * starts the machine again, which changes its NVRAM. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vmd-error.h"
#include "vmd-guest-fixture.h"
#include "vmd-machine-details.h"
#include "vmd-snapshot-external.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

typedef VmdGuestFixture Fixture;

static char *
uefi_xml (Fixture *fixture)
{
  return g_strdup_printf (
    "<domain type='qemu'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>256</memory>"
    "  <vcpu>1</vcpu>"
    "  <os firmware='efi'>"
    "    <type arch='x86_64' machine='q35'>hvm</type>"
    "    <kernel>%s/vmlinuz</kernel>"
    "    <initrd>%s/initrd</initrd>"
    "    <cmdline>console=ttyS0</cmdline>"
    "  </os>"
    "  <features><acpi/></features>"
    "  <on_reboot>destroy</on_reboot>"
    "  <devices>"
    "    <disk type='file' device='disk'>"
    "      <driver name='qemu' type='qcow2'/>"
    "      <source file='%s'/>"
    "      <target dev='vda' bus='virtio'/>"
    "    </disk>"
    "    <serial type='pty'><log file='%s' append='off'/><target port='0'/></serial>"
    "    <console type='pty'><target type='serial' port='0'/></console>"
    "  </devices>"
    "</domain>",
    fixture->name, fixture->pool_dir, fixture->pool_dir, fixture->disk_path, fixture->serial_log);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *xml = NULL;
  virDomainPtr domain;

  vmd_guest_fixture_set_up (fixture, "vmdesk-snapuefi");
  xml = uefi_xml (fixture);
  domain = virDomainDefineXML (fixture->handle, xml);
  g_assert_nonnull (domain);
  virDomainFree (domain);
}

/* The NVRAM goes with the machine, and VM Desk's files with the pool directory. */
static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  virDomainPtr domain = virDomainLookupByName (fixture->handle, fixture->name);

  vmd_snapshot_external_set_fail_at (0);
  if (domain != NULL)
    {
      virDomainDestroy (domain);
      virDomainUndefineFlags (domain, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM);
      virDomainFree (domain);
    }
  vmd_guest_fixture_tear_down (fixture);
}

/* --- the guest ---------------------------------------------------------------------------------- */

static virDomainPtr
lookup (Fixture *fixture)
{
  virDomainPtr domain = virDomainLookupByName (fixture->handle, fixture->name);

  g_assert_nonnull (domain);
  return domain;
}

static void
start_guest (Fixture *fixture)
{
  virDomainPtr domain = lookup (fixture);
  gint64 started = g_get_monotonic_time ();

  g_assert_cmpint (virDomainCreate (domain), ==, 0);
  virDomainFree (domain);
  g_assert_true (vmd_guest_fixture_wait_for_banner (fixture->serial_log, 240000));
  g_test_message ("UEFI guest ready after %.1f s", (g_get_monotonic_time () - started) / 1e6);
}

static void
stop_guest (Fixture *fixture)
{
  virDomainPtr domain = lookup (fixture);

  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  virDomainFree (domain);
}

/* One line typed on the serial console, through a blocking console stream on a connection of
 * its own (the fixture's runs on the main loop's events). */
static void
type_line (Fixture    *fixture,
           const char *line)
{
  virConnectPtr conn = virConnectOpen ("qemu:///system");
  virDomainPtr domain = virDomainLookupByName (conn, fixture->name);
  virStreamPtr stream = virStreamNew (conn, 0);
  g_autofree char *data = g_strconcat (line, "\n", NULL);

  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainOpenConsole (domain, NULL, stream, VIR_DOMAIN_CONSOLE_FORCE), ==, 0);
  g_assert_cmpint (virStreamSend (stream, data, strlen (data)), ==, (int) strlen (data));
  g_usleep (300000);
  virStreamAbort (stream);
  virStreamFree (stream);
  virDomainFree (domain);
  virConnectClose (conn);
}

typedef struct {
  const char *log;
  const char *text;
} LogWait;

static gboolean
log_has (gpointer user_data)
{
  LogWait *wait = user_data;
  g_autofree char *log = NULL;

  return g_file_get_contents (wait->log, &log, NULL, NULL) && strstr (log, wait->text) != NULL;
}

/* Asks until the guest answers: under TCG a line typed too early can be lost. */
static gboolean
ask_until (Fixture    *fixture,
           const char *line,
           const char *answer)
{
  LogWait wait = { fixture->serial_log, answer };

  for (guint i = 0; i < 20; i++)
    {
      type_line (fixture, line);
      if (vmd_test_wait_until (log_has, &wait, 5000))
        return TRUE;
    }
  return FALSE;
}

/* The marker is the disk's first bytes, written from the host while the machine is off. */
static void
write_marker (Fixture    *fixture,
              const char *top,
              const char *marker)
{
  g_autofree char *file = g_build_filename (fixture->pool_dir, "marker.in", NULL);
  g_autofree char *data = g_strnfill (512, '\n');
  g_autofree char *command = g_strdup_printf ("write -s %s 0 512", file);
  const char *argv[] = { "qemu-io", "-f", "qcow2", "-c", command, top, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  memcpy (data, marker, strlen (marker));
  g_assert_true (g_file_set_contents (file, data, 512, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_unlink (file);
}

/* The guest reads the marker off its disk. */
static void
assert_marker (Fixture    *fixture,
               const char *marker)
{
  if (!ask_until (fixture, "head -c 10 /dev/vda", marker))
    {
      g_autofree char *log = NULL;

      g_file_get_contents (fixture->serial_log, &log, NULL, NULL);
      g_error ("the guest did not read %s; its console: %s", marker, log);
    }
}

static char *
disk_top (Fixture *fixture)
{
  virDomainPtr domain = lookup (fixture);
  char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, NULL);
  char *top = vmd_xml_string (doc, NULL, "/domain/devices/disk[target/@dev='vda']/source/@file");

  g_assert_nonnull (top);
  free (xml);
  virDomainFree (domain);
  return top;
}

/* --- the machine's state, byte for byte --------------------------------------------------------- */

static char *
file_sum (const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return g_strdup ("(none)");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) data, length);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/* Every snapshot's record, by name. */
static void
append_snapshots (GString      *state,
                  virDomainPtr  domain)
{
  virDomainSnapshotPtr *snapshots = NULL;
  int n = virDomainListAllSnapshots (domain, &snapshots, 0);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (n, >=, 0);
  for (int i = 0; i < n; i++)
    {
      char *xml = virDomainSnapshotGetXMLDesc (snapshots[i], VIR_DOMAIN_SNAPSHOT_XML_SECURE);

      g_ptr_array_add (records, g_strdup_printf ("%s current=%d\n%s", virDomainSnapshotGetName (snapshots[i]),
                                                 virDomainSnapshotIsCurrent (snapshots[i], 0), xml));
      free (xml);
      virDomainSnapshotFree (snapshots[i]);
    }
  free (snapshots);
  g_ptr_array_sort (records, compare_names);
  for (guint i = 0; i < records->len; i++)
    g_string_append_printf (state, "\n%s", (char *) records->pdata[i]);
}

/* The definition, every file of the pool directory (but the console log), the NVRAM and the
 * snapshots' records. */
static char *
machine_state (Fixture *fixture)
{
  virDomainPtr domain = lookup (fixture);
  char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
  g_autofree char *nvram_file = g_strdup_printf ("/var/lib/libvirt/qemu/nvram/%s_VARS.fd", fixture->name);
  g_autofree char *nvram = file_sum (nvram_file);
  g_autoptr(GDir) dir = g_dir_open (fixture->pool_dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *state = g_string_new (xml);
  const char *entry;

  free (xml);
  append_snapshots (state, domain);
  virDomainFree (domain);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_strcmp0 (entry, "serial.log") != 0)
      g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (fixture->pool_dir, names->pdata[i], NULL);
      g_autofree char *sum = file_sum (path);

      g_string_append_printf (state, "\n%s %s", (char *) names->pdata[i], sum);
    }
  g_string_append_printf (state, "\nnvram %s", nvram);
  return g_string_free (state, FALSE);
}

/* --- through the details model, as the page does -------------------------------------------------- */

static gboolean
machine_known (gpointer user_data)
{
  return vmd_guest_fixture_find (user_data) != NULL;
}

static VmdMachineDetails *
load_details (Fixture *fixture)
{
  g_assert_true (vmd_test_wait_until (machine_known, fixture, 5000));
  return vmd_machine_details_new (vmd_guest_fixture_find (fixture));
}

typedef void (*SnapshotCall) (VmdMachineDetails *, const char *, GCancellable *, GAsyncReadyCallback, gpointer);

static gboolean
on_snapshot (VmdMachineDetails  *details,
             SnapshotCall        call,
             const char         *name,
             GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  call (details, name, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 300000));
  return vmd_machine_details_edit_finish (details, result, NULL, error);
}

static void
create_snapshot (VmdMachineDetails *details,
                 const char        *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_machine_details_create_snapshot_async (details, name, NULL, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 300000));
  vmd_machine_details_edit_finish (details, result, NULL, &error);
  g_assert_no_error (error);
}

/* Fails the call at step 1, 2, ... each time checking nothing changed, until it gets through. */
static void
fail_each_step (Fixture           *fixture,
                VmdMachineDetails *details,
                SnapshotCall       call,
                const char        *name,
                guint              at_least)
{
  g_autofree char *before = machine_state (fixture);
  guint step;

  for (step = 1; step < 20; step++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      vmd_snapshot_external_set_fail_at (step);
      if (on_snapshot (details, call, name, &error))
        break;
      g_test_message ("step %u failed: %s", step, error->message);
      g_assert_nonnull (strstr (error->message, "Injected failure"));
      after = machine_state (fixture);
      g_assert_cmpstr (after, ==, before);
    }
  vmd_snapshot_external_set_fail_at (0);
  g_assert_cmpuint (step, >, at_least);
}

static GPtrArray *
list_snapshots (VmdMachineDetails *details)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  vmd_machine_details_list_snapshots_async (details, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 30000));
  list = vmd_machine_details_list_snapshots_finish (details, result, &error);
  g_assert_no_error (error);
  return list;
}

/* The images under the machine's disk, as qemu-img reads them ("image: PATH" lines). */
static GStrv
disk_chain (Fixture *fixture)
{
  g_autofree char *top = disk_top (fixture);
  const char *argv[] = { "qemu-img", "info", "-U", "--backing-chain", top, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) chain = g_strv_builder_new ();
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "image: "))
      g_strv_builder_add (chain, lines[i] + strlen ("image: "));
  return g_strv_builder_end (chain);
}

/* Every qcow2 left in the pool is the machine's disk or under it, and no memory file, NVRAM
 * copy or file set aside is left. */
static void
assert_no_unused_image (Fixture *fixture)
{
  g_auto(GStrv) chain = disk_chain (fixture);
  g_autoptr(GDir) dir = g_dir_open (fixture->pool_dir, 0, NULL);
  const char *entry;

  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->pool_dir, entry, NULL);

      g_assert_false (g_str_has_suffix (entry, ".nvram") || g_str_has_suffix (entry, ".mem") ||
                      g_str_has_suffix (entry, ".vmd-undo"));
      if (g_str_has_suffix (entry, ".qcow2") && !g_strv_contains ((const char * const *) chain, path))
        g_error ("%s is left, and nothing uses it", path);
    }
  g_test_message ("the disk's chain: %u images", g_strv_length (chain));
}

/* --- the tests ---------------------------------------------------------------------------------- */

static void
test_off (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *overlay = NULL;
  VmdSnapshotInfo *info;

  write_marker (fixture, fixture->disk_path, "MARKER-AAA");
  start_guest (fixture);   /* its first start makes its NVRAM */
  assert_marker (fixture, "MARKER-AAA");
  stop_guest (fixture);

  create_snapshot (details, "before");
  list = list_snapshots (details);
  g_assert_cmpuint (list->len, ==, 1);
  info = list->pdata[0];
  g_assert_true (info->external);
  g_assert_false (info->has_memory);
  overlay = disk_top (fixture);
  g_assert_cmpstr (overlay, !=, fixture->disk_path);
  write_marker (fixture, overlay, "MARKER-BBB");

  fail_each_step (fixture, details, vmd_machine_details_revert_snapshot_async, "before", 5);
  g_assert_false (g_file_test (overlay, G_FILE_TEST_EXISTS));   /* nothing needed it */
  start_guest (fixture);
  assert_marker (fixture, "MARKER-AAA");
  stop_guest (fixture);

  fail_each_step (fixture, details, vmd_machine_details_delete_snapshot_async, "before", 3);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = list_snapshots (details);
  g_assert_cmpuint (list->len, ==, 0);
  assert_no_unused_image (fixture);
  start_guest (fixture);
  assert_marker (fixture, "MARKER-AAA");
}

/* A snapshot taken on top of another: deleting the parent keeps the images the child needs
 * (each step of it made to fail leaves both records as they were);
 * reverting to the child and deleting it leaves only the chain the disk is on; it still boots. */
static void
test_tree (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture);
  g_autoptr(GPtrArray) list = NULL;
  g_auto(GStrv) chain = NULL;

  create_snapshot (details, "a");
  create_snapshot (details, "b");
  list = list_snapshots (details);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((VmdSnapshotInfo *) list->pdata[1])->parent, ==, "a");

  fail_each_step (fixture, details, vmd_machine_details_delete_snapshot_async, "a", 4);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = list_snapshots (details);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_null (((VmdSnapshotInfo *) list->pdata[0])->parent);
  chain = disk_chain (fixture);
  g_assert_cmpuint (g_strv_length (chain), ==, 3);   /* b's overlay, a's (b's image), the disk */
  g_assert_true (g_file_test (fixture->disk_path, G_FILE_TEST_EXISTS));

  fail_each_step (fixture, details, vmd_machine_details_revert_snapshot_async, "b", 5);
  fail_each_step (fixture, details, vmd_machine_details_delete_snapshot_async, "b", 3);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = list_snapshots (details);
  g_assert_cmpuint (list->len, ==, 0);
  assert_no_unused_image (fixture);
  start_guest (fixture);
}

/* A name with spaces makes a file name without; a second name that makes the same file is refused
 * before anything changes. */
static void
test_names (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *top = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  create_snapshot (details, "before my update");
  top = disk_top (fixture);
  g_assert_true (g_str_has_prefix (top, fixture->pool_dir));
  g_assert_true (g_str_has_suffix (top, "-vda-before_my_update.qcow2"));
  before = machine_state (fixture);
  vmd_machine_details_create_snapshot_async (details, "before_my update", NULL, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 60000));
  g_assert_false (vmd_machine_details_edit_finish (details, result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_EXISTS);
  after = machine_state (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (on_snapshot (details, vmd_machine_details_delete_snapshot_async, "before my update", NULL));
  assert_no_unused_image (fixture);
}

/* TICKn. once a second; the highest n the console has shown. */
static guint
last_tick (Fixture *fixture)
{
  g_autofree char *log = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("TICK([0-9]+)\\.", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint last = 0;

  if (!g_file_get_contents (fixture->serial_log, &log, NULL, NULL))
    return 0;
  g_regex_match (regex, log, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *n = g_match_info_fetch (match, 1);

      last = MAX (last, (guint) atoi (n));
      g_match_info_next (match, NULL);
    }
  return last;
}

static gboolean
ticked_past (gpointer user_data)
{
  gpointer *args = user_data;

  return last_tick (args[0]) > GPOINTER_TO_UINT (args[1]);
}

static void
wait_for_tick (Fixture *fixture,
               guint    past)
{
  gpointer args[] = { fixture, GUINT_TO_POINTER (past) };

  g_assert_true (vmd_test_wait_until (ticked_past, args, 120000));
}

static void
test_running (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture);
  g_autoptr(GPtrArray) list = NULL;
  guint before, after, resumed;
  virDomainPtr domain;

  start_guest (fixture);
  /* Typed until it ticks (busybox's line editor can eat a line), started only once. */
  g_assert_true (ask_until (fixture, "[ -n \"$C\" ] || { C=1; i=0; while true; do i=$((i+1)); echo TICK$i.; "
                                     "sleep 1; done & }", "TICK2."));
  before = last_tick (fixture);
  create_snapshot (details, "running");
  after = last_tick (fixture);
  g_test_message ("snapshot taken between ticks %u and %u", before, after);
  list = list_snapshots (details);
  g_assert_true (((VmdSnapshotInfo *) list->pdata[0])->has_memory);
  g_assert_true (((VmdSnapshotInfo *) list->pdata[0])->external);
  wait_for_tick (fixture, after + 10);

  g_assert_true (on_snapshot (details, vmd_machine_details_revert_snapshot_async, "running", NULL));
  domain = lookup (fixture);
  g_assert_cmpint (virDomainIsActive (domain), ==, 1);
  virDomainFree (domain);
  /* The console log starts again with the restored QEMU: its ticks are the resumed counter's. */
  wait_for_tick (fixture, 0);
  {
    g_autofree char *log = NULL;
    g_autoptr(GRegex) regex = g_regex_new ("TICK([0-9]+)\\.", 0, 0, NULL);
    g_autoptr(GMatchInfo) match = NULL;
    g_autofree char *n = NULL;

    g_assert_true (g_file_get_contents (fixture->serial_log, &log, NULL, NULL));
    g_assert_true (g_regex_match (regex, log, 0, &match));
    n = g_match_info_fetch (match, 1);
    resumed = (guint) atoi (n);
  }
  g_test_message ("the counter went on from %u", resumed);
  g_assert_cmpuint (resumed, >=, before);
  g_assert_cmpuint (resumed, <=, after + 2);

  /* Its memory file goes back in place too when a later step fails. */
  fail_each_step (fixture, details, vmd_machine_details_delete_snapshot_async, "running", 4);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = list_snapshots (details);
  g_assert_cmpuint (list->len, ==, 0);
  assert_no_unused_image (fixture);
}

int
main (int    argc,
      char **argv)
{
  vmd_test_init (&argc, &argv);
  g_test_add ("/integration/snapshots-uefi/off", Fixture, NULL, fixture_set_up, test_off, fixture_tear_down);
  g_test_add ("/integration/snapshots-uefi/names", Fixture, NULL, fixture_set_up, test_names, fixture_tear_down);
  g_test_add ("/integration/snapshots-uefi/tree", Fixture, NULL, fixture_set_up, test_tree, fixture_tear_down);
  g_test_add ("/integration/snapshots-uefi/running", Fixture, NULL, fixture_set_up, test_running,
              fixture_tear_down);
  return g_test_run ();
}
