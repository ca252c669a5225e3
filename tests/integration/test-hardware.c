/* Hardware added through the details' core on a real libvirtd and QEMU (TCG), seen from inside
 * the running tiny guest on its serial console: a virtio disk hot-plugged shows as /dev/vdb with
 * its size and goes on hot-unplug; a new volume and its drive added in one change the same way,
 * and a refused one leaves no volume; a NIC hot-plugged shows in /sys/class/net and goes; a virtiofs
 * folder added while off mounts after start and a file written on the host reads back byte for
 * byte; an emulated TPM 2.0 added while off makes /dev/tpm0. A new machine's platform as the
 * spec writes it (UEFI with Secure Boot and Microsoft's keys, SMM, a TPM) boots the tiny guest's
 * kernel directly: the guest's kernel says Secure Boot is on, /sys/firmware/efi and /dev/tpm0
 * exist; deleting it through the core removes its NVRAM file and its TPM state. Secure Boot turned
 * on in Details for a UEFI machine that has started once takes effect at its next start. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-device-xml.h"
#include "vmd-domain-xml.h"
#include "vmd-error.h"
#include "vmd-guest-fixture.h"
#include "vmd-machine-details.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

#define DISK_MIB 48
#define SHARE_TAG "vmdshare"
#define SHARE_BYTES (1024 * 1024)
/* Ceilings only: TCG under a loaded CI machine is slow, the waits end as soon as the guest
 * answers. */
#define BOOT_MS 120000
#define GUEST_SECONDS 60

typedef struct {
  VmdGuestFixture guest;
  char           *share_dir;   /* host side of the virtiofs folder */
  guint           command;     /* numbers the answers on the serial log */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  vmd_guest_fixture_set_up (&fixture->guest, "vmdesk-hardware");
  fixture->share_dir = g_strdup_printf ("/var/lib/libvirt/images/vmdesk-hardware-share-%d", getpid ());
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *swtpm_log = g_strdup_printf ("/var/log/swtpm/libvirt/qemu/%s-swtpm.log",
                                                fixture->guest.name);

  /* Undefining the domain removes its TPM state; its swtpm log stays unless removed. */
  vmd_guest_fixture_tear_down (&fixture->guest);
  vmd_guest_fixture_remove_dir (fixture->share_dir);
  g_unlink (swtpm_log);
  g_free (fixture->share_dir);
}

/* The fixture's domain, with memfd shared memory when virtiofs needs it. */
static void
define_guest (Fixture  *fixture,
              gboolean  shared_memory)
{
  g_autofree char *xml = vmd_guest_fixture_domain_xml (&fixture->guest, 1);
  g_auto(GStrv) parts = g_strsplit (xml, "</memory>", 2);
  g_autofree char *with_backing = g_strjoinv ("</memory><memoryBacking><source type='memfd'/>"
                                              "<access mode='shared'/></memoryBacking>", parts);
  virDomainPtr domain = virDomainDefineXML (fixture->guest.handle, shared_memory ? with_backing : xml);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  g_assert_nonnull (domain);
  virDomainFree (domain);
}

static gboolean
machine_known (gpointer user_data)
{
  return vmd_guest_fixture_find (user_data) != NULL;
}

static gboolean
finish_edit (VmdMachineDetails  *details,
             GAsyncResult      **result)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  gboolean ok;

  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, result, 120000));
  ok = vmd_machine_details_edit_finish (details, *result, &note, &error);
  g_assert_no_error (error);
  if (note != NULL)
    g_test_message ("note: %s", note);
  g_clear_object (result);
  return ok;
}

static VmdMachineDetails *
load_details (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  VmdMachineDetails *details;

  g_assert_true (vmd_test_wait_until (machine_known, &fixture->guest, 5000));
  details = vmd_machine_details_new (vmd_guest_fixture_find (&fixture->guest));
  vmd_machine_details_reload_async (details, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result));
  return details;
}

static void
attach (VmdMachineDetails *details,
        const char        *device_xml)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 t0 = g_get_monotonic_time ();

  vmd_machine_details_attach_device_async (details, device_xml, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result));
  g_test_message ("attached in %.2f s", (g_get_monotonic_time () - t0) / 1e6);
}

static void
detach (VmdMachineDetails *details,
        const char        *xpath)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 t0 = g_get_monotonic_time ();

  vmd_machine_details_detach_device_async (details, xpath, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result));
  g_test_message ("detached in %.2f s", (g_get_monotonic_time () - t0) / 1e6);
}

/* --- the guest's serial console ------------------------------------------------------------- */

/* Types a line on the shell on ttyS0 through a non-blocking console stream pumped by the main
 * loop; what the guest sends back is dropped here, the serial log being what the test reads. */
static void
type_line (Fixture    *fixture,
           const char *line)
{
  virDomainPtr domain = virDomainLookupByName (fixture->guest.handle, fixture->guest.name);
  virStreamPtr stream = virStreamNew (fixture->guest.handle, VIR_STREAM_NONBLOCK);
  g_autofree char *text = g_strdup_printf ("%s\r", line);
  gsize length = strlen (text), done = 0;
  gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gint64 settle = 0;
  char sink[4096];

  /* Open a second after the last byte, so the daemon has passed it all to the guest's pty. */
  g_assert_cmpint (virDomainOpenConsole (domain, NULL, stream, VIR_DOMAIN_CONSOLE_FORCE), ==, 0);
  while (g_get_monotonic_time () < until && (done < length || g_get_monotonic_time () < settle))
    {
      int n = done < length ? virStreamSend (stream, text + done, length - done) : -2;

      g_assert_cmpint (n, !=, -1);
      if (n > 0 && (done += n) == length)
        settle = g_get_monotonic_time () + G_USEC_PER_SEC;
      while (virStreamRecv (stream, sink, sizeof sink) > 0)
        ;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_cmpuint (done, ==, length);
  virStreamAbort (stream);
  virStreamFree (stream);
  virDomainFree (domain);
  virResetLastError ();
}

typedef struct {
  const char *serial_log;
  const char *marker;
  char       *answer;
} Answer;

/* The answer's line: after the marker, up to the line's end (the guest's shell ends lines with
 * CR LF). The typed command carries the marker split by quotes, so only the output matches. */
static gboolean
answer_arrived (gpointer user_data)
{
  Answer *answer = user_data;
  g_autofree char *log = NULL;
  const char *start;
  const char *end;

  if (!g_file_get_contents (answer->serial_log, &log, NULL, NULL) ||
      (start = strstr (log, answer->marker)) == NULL)
    return FALSE;
  start += strlen (answer->marker);
  end = strstr (start, " }}");
  if (end == NULL)
    return FALSE;
  /* The wait asks once more after the first yes. */
  g_free (answer->answer);
  answer->answer = g_strndup (start, end - start);
  return TRUE;
}

/* Runs command in the guest's shell and returns what it printed on one line. */
static char *
guest_run (Fixture    *fixture,
           const char *command)
{
  guint number = ++fixture->command;
  g_autofree char *marker = g_strdup_printf ("{{%u ", number);
  g_autofree char *line = g_strdup_printf ("printf '{''{%u %%s }}\\n' \"$({ %s; } 2>&1 | tr '\\n' ' ')\"",
                                           number, command);
  Answer answer = { fixture->guest.serial_log, marker, NULL };
  gint64 t0 = g_get_monotonic_time ();

  type_line (fixture, line);
  if (!vmd_test_wait_until (answer_arrived, &answer, (GUEST_SECONDS + 60) * 1000))
    {
      g_autofree char *log = NULL;

      g_file_get_contents (fixture->guest.serial_log, &log, NULL, NULL);
      g_error ("no answer to '%s' on the serial console:\n%s", command, log);
    }
  g_strstrip (answer.answer);
  g_test_message ("guest: %s -> '%s' (%.2f s)", command, answer.answer,
                  (g_get_monotonic_time () - t0) / 1e6);
  return answer.answer;
}

/* A shell loop in the guest, so the wait is the guest's own: up to GUEST_SECONDS for condition,
 * then the answer of report. */
static char *
guest_wait (Fixture    *fixture,
            const char *condition,
            const char *report)
{
  g_autofree char *command = g_strdup_printf (
    "i=0; until %s || [ $i -ge %u ]; do sleep 0.1; i=$((i+1)); done; %s",
    condition, GUEST_SECONDS * 10, report);

  return guest_run (fixture, command);
}

static void
start_guest (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  VmdMachine *machine;

  g_assert_true (vmd_guest_fixture_wait_for_state (&fixture->guest, VMD_MACHINE_STATE_SHUT_OFF, 5000));
  machine = vmd_guest_fixture_find (&fixture->guest);
  vmd_machine_run_action_async (machine, VMD_MACHINE_ACTION_START, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 60000));
  vmd_machine_run_action_finish (machine, result, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_guest_fixture_wait_for_state (&fixture->guest, VMD_MACHINE_STATE_RUNNING, 5000));
  g_assert_true (vmd_guest_fixture_wait_for_banner (fixture->guest.serial_log, BOOT_MS));
  g_test_message ("guest ready after %.1f s", (g_get_monotonic_time () - started) / 1e6);
  /* The kernel's own lines (a device probed) never land inside an answer on the console. */
  g_free (guest_run (fixture, "dmesg -n 1"));
}

/* --- the tests ----------------------------------------------------------------------------- */

static char *
create_volume (Fixture *fixture,
               guint64  mib)
{
  g_autofree char *xml = g_strdup_printf (
    "<volume><name>hot-%d.qcow2</name><capacity unit='MiB'>%" G_GUINT64_FORMAT "</capacity>"
    "<target><format type='qcow2'/></target></volume>", getpid (), mib);
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->guest.handle, fixture->guest.pool_name);
  virStorageVolPtr vol;
  char *path;
  char *copy;

  g_assert_nonnull (pool);
  vol = virStorageVolCreateXML (pool, xml, 0);
  g_assert_nonnull (vol);
  path = virStorageVolGetPath (vol);
  copy = g_strdup (path);
  free (path);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
  return copy;
}

static void
test_disk_hotplug (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = NULL;
  g_autofree char *path = create_volume (fixture, DISK_MIB);
  g_autofree char *xml = vmd_disk_device_xml ("disk", "virtio", "vdb", path, "qcow2");
  g_autofree char *before = NULL;
  g_autofree char *size = NULL;
  g_autofree char *gone = NULL;

  define_guest (fixture, FALSE);
  start_guest (fixture);
  details = load_details (fixture);
  before = guest_run (fixture, "ls /sys/block");
  g_assert_null (strstr (before, "vdb"));

  attach (details, xml);
  size = guest_wait (fixture, "[ -e /sys/block/vdb/size ]", "cat /sys/block/vdb/size");
  g_assert_cmpuint (g_ascii_strtoull (size, NULL, 10) * 512, ==, (guint64) DISK_MIB * 1024 * 1024);
  g_free (guest_run (fixture, "ls -l /dev/vdb"));

  detach (details, "/domain/devices/disk[target/@dev='vdb']");
  gone = guest_wait (fixture, "! [ -e /sys/block/vdb ]", "ls /sys/block");
  g_assert_null (strstr (gone, "vdb"));
}

static gboolean
volume_exists (Fixture    *fixture,
               const char *name)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->guest.handle, fixture->guest.pool_name);
  virStorageVolPtr vol;

  g_assert_nonnull (pool);
  virStoragePoolRefresh (pool, 0);
  vol = virStorageVolLookupByName (pool, name);
  virStoragePoolFree (pool);
  if (vol == NULL)
    {
      virResetLastError ();
      return FALSE;
    }
  virStorageVolFree (vol);
  return TRUE;
}

/* Add Hardware's storage on the running guest: a new volume made and hot-plugged in one change
 * shows as /dev/vdb of its size; a SATA drive, which QEMU cannot hot-plug, is refused by libvirt
 * with its reason, and the volume made for it is deleted again, the definition unchanged. */
static void
test_new_volume_hotplug (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  VmdNewVolume good = { fixture->guest.pool_name, "new-virtio.qcow2", "qcow2", (guint64) DISK_MIB << 20 };
  VmdNewVolume refused = { fixture->guest.pool_name, "new-sata.img", "raw", (guint64) DISK_MIB << 20 };
  virDomainPtr domain;
  char *xml;

  define_guest (fixture, FALSE);
  start_guest (fixture);
  details = load_details (fixture);
  vmd_machine_details_add_storage_async (details, &(VmdDiskSpec) { "disk", "virtio" }, &good, VMD_HW_ATTACH_LIVE,
                                         NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result));
  size = guest_wait (fixture, "[ -e /sys/block/vdb/size ]", "cat /sys/block/vdb/size");
  g_assert_cmpuint (g_ascii_strtoull (size, NULL, 10) * 512, ==, (guint64) DISK_MIB * 1024 * 1024);

  domain = virDomainLookupByName (fixture->guest.handle, fixture->guest.name);
  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  before = g_strdup (xml);
  free (xml);
  vmd_machine_details_add_storage_async (details, &(VmdDiskSpec) { "disk", "sata" }, &refused, VMD_HW_ATTACH_LIVE,
                                         NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 120000));
  g_assert_false (vmd_machine_details_edit_finish (details, result, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_false (volume_exists (fixture, "new-sata.img"));
  g_assert_true (volume_exists (fixture, "new-virtio.qcow2"));
  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  after = g_strdup (xml);
  free (xml);
  virDomainFree (domain);
  g_assert_cmpstr (after, ==, before);
}

/* The NICs in the guest's /sys/class/net, lo aside. */
static char *
guest_nics (Fixture *fixture)
{
  return guest_run (fixture, "ls /sys/class/net | grep -v '^lo$'");
}

static char *
live_mac (Fixture *fixture)
{
  virDomainPtr domain = virDomainLookupByName (fixture->guest.handle, fixture->guest.name);
  char *xml = virDomainGetXMLDesc (domain, 0);
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, NULL);

  free (xml);
  virDomainFree (domain);
  return vmd_xml_string (doc, NULL, "/domain/devices/interface/mac/@address");
}

static void
test_nic_hotplug (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = NULL;
  g_autoptr(GError) error = NULL;
  VmdNewNic nic = { "user", NULL, "virtio" };
  g_autofree char *xml = vmd_nic_device_xml (&nic, &error);
  g_autofree char *before = NULL;
  g_autofree char *address = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  define_guest (fixture, FALSE);
  start_guest (fixture);
  details = load_details (fixture);
  before = guest_nics (fixture);
  g_assert_cmpstr (before, ==, "");

  attach (details, xml);
  mac = live_mac (fixture);
  g_assert_nonnull (mac);
  address = guest_wait (fixture, "[ -e /sys/class/net/eth0/address ]", "cat /sys/class/net/eth0/address");
  g_assert_cmpstr (address, ==, mac);

  detach (details, "/domain/devices/interface");
  after = guest_wait (fixture, "! [ -e /sys/class/net/eth0 ]", "ls /sys/class/net | grep -v '^lo$'");
  g_assert_cmpstr (after, ==, "");
}

/* SHARE_BYTES of random data in the shared folder; returns their MD5. */
static char *
write_share_file (Fixture *fixture)
{
  g_autofree guint32 *data = g_new (guint32, SHARE_BYTES / 4);
  g_autofree char *path = g_build_filename (fixture->share_dir, "data.bin", NULL);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < SHARE_BYTES / 4; i++)
    data[i] = g_random_int ();
  g_assert_cmpint (g_mkdir (fixture->share_dir, 0755), ==, 0);
  g_file_set_contents (path, (const char *) data, SHARE_BYTES, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_MD5, (const guchar *) data, SHARE_BYTES);
}

static void
test_virtiofs (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = NULL;
  g_autofree char *md5 = write_share_file (fixture);
  g_autofree char *xml = g_strdup_printf (
    "<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/>"
    "<source dir='%s'/><target dir='" SHARE_TAG "'/></filesystem>", fixture->share_dir);
  g_autofree char *mounted = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *expected = g_strdup_printf ("%s  /mnt/data.bin", md5);

  define_guest (fixture, TRUE);
  details = load_details (fixture);
  attach (details, xml);
  start_guest (fixture);

  mounted = guest_run (fixture, "mkdir -p /mnt && mount -t virtiofs " SHARE_TAG " /mnt && echo mounted");
  g_assert_cmpstr (mounted, ==, "mounted");
  sum = guest_run (fixture, "md5sum /mnt/data.bin");
  g_test_message ("host md5 %s", md5);
  g_assert_cmpstr (sum, ==, expected);
}

static void
test_tpm (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = NULL;
  g_autofree char *tpm = NULL;

  define_guest (fixture, FALSE);
  details = load_details (fixture);
  attach (details, "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>");
  start_guest (fixture);

  tpm = guest_wait (fixture, "[ -e /dev/tpm0 ]",
                    "ls /dev/tpm0 && cat /sys/class/tpm/tpm0/tpm_version_major");
  g_assert_cmpstr (tpm, ==, "/dev/tpm0 2");
}

/* The domain's UUID, and the files libvirt keeps beside it for UEFI and the TPM. */
static void
platform_files (Fixture  *fixture,
                char    **nvram,
                char    **tpm_dir)
{
  virDomainPtr domain = virDomainLookupByName (fixture->guest.handle, fixture->guest.name);
  char uuid[VIR_UUID_STRING_BUFLEN];

  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainGetUUIDString (domain, uuid), ==, 0);
  virDomainFree (domain);
  *nvram = g_strdup_printf ("/var/lib/libvirt/qemu/nvram/%s_VARS.fd", fixture->guest.name);
  *tpm_dir = g_strdup_printf ("/var/lib/libvirt/swtpm/%s", uuid);
}

static void
test_uefi_secure_boot (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const VmdPlatformSettings platform = { .uefi = TRUE, .secure_boot = TRUE, .tpm = TRUE };
  g_autofree char *plain = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *efi = NULL;
  g_autofree char *secure = NULL;
  g_autofree char *tpm = NULL;
  g_autofree char *nvram = NULL;
  g_autofree char *tpm_dir = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachine) machine = NULL;
  virDomainPtr domain;

  fixture->guest.machine_type = "q35";
  plain = vmd_guest_fixture_domain_xml (&fixture->guest, 1);
  xml = vmd_domain_xml_set_platform (plain, &platform, &error);
  g_assert_no_error (error);
  domain = virDomainDefineXML (fixture->guest.handle, xml);
  g_assert_nonnull (domain);
  virDomainFree (domain);
  g_assert_true (vmd_test_wait_until (machine_known, &fixture->guest, 5000));
  start_guest (fixture);

  efi = guest_run (fixture, "[ -d /sys/firmware/efi ] && echo efi || echo bios");
  g_assert_cmpstr (efi, ==, "efi");
  secure = guest_run (fixture, "dmesg | grep -c 'secureboot: Secure boot enabled'");
  g_assert_cmpstr (secure, ==, "1");
  tpm = guest_wait (fixture, "[ -e /dev/tpm0 ]",
                    "ls /dev/tpm0 && cat /sys/class/tpm/tpm0/tpm_version_major");
  g_assert_cmpstr (tpm, ==, "/dev/tpm0 2");

  platform_files (fixture, &nvram, &tpm_dir);
  g_assert_true (g_file_test (nvram, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (tpm_dir, G_FILE_TEST_IS_DIR));
  machine = g_object_ref (vmd_guest_fixture_find (&fixture->guest));
  vmd_machine_delete_async (machine, NULL, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 120000));
  g_assert_true (vmd_machine_delete_finish (machine, result, &error));
  g_assert_no_error (error);
  domain = virDomainLookupByName (fixture->guest.handle, fixture->guest.name);
  virResetLastError ();
  g_assert_null (domain);
  g_assert_false (g_file_test (nvram, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (tpm_dir, G_FILE_TEST_EXISTS));
}

static gboolean
inactive_has (Fixture    *fixture,
              const char *expr)
{
  virDomainPtr domain = virDomainLookupByName (fixture->guest.handle, fixture->guest.name);
  g_autofree char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, NULL);

  virDomainFree (domain);
  return vmd_xml_exists (doc, NULL, expr);
}

static void
force_off (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VmdMachine *machine = vmd_guest_fixture_find (&fixture->guest);

  vmd_machine_run_action_async (machine, VMD_MACHINE_ACTION_FORCE_OFF, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 60000));
  vmd_machine_run_action_finish (machine, result, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_guest_fixture_wait_for_state (&fixture->guest, VMD_MACHINE_STATE_SHUT_OFF, 30000));
}

/* Details' firmware change: refused while running; UEFI without Secure Boot, started once (its
 * NVRAM made from the template without keys), then Secure Boot on: the next start makes the
 * NVRAM afresh with Microsoft's keys, so the guest's kernel sees Secure Boot on. */
static void
test_firmware_change (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const VmdPlatformSettings platform = { .uefi = TRUE };
  g_autofree char *plain = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(VmdMachineDetails) details = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain;

  fixture->guest.machine_type = "q35";
  plain = vmd_guest_fixture_domain_xml (&fixture->guest, 1);
  xml = vmd_domain_xml_set_platform (plain, &platform, &error);
  g_assert_no_error (error);
  domain = virDomainDefineXML (fixture->guest.handle, xml);
  g_assert_nonnull (domain);
  virDomainFree (domain);
  details = load_details (fixture);
  start_guest (fixture);
  before = guest_run (fixture, "dmesg | grep -c 'secureboot: Secure boot enabled'");
  g_assert_cmpstr (before, ==, "0");

  vmd_machine_details_set_firmware_async (details, TRUE, TRUE, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 120000));
  g_assert_false (vmd_machine_details_edit_finish (details, result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_test_message ("while running: %s", error->message);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_false (inactive_has (fixture, "/domain/os/firmware/feature[@name='secure-boot'][@enabled='yes']"));

  force_off (fixture);
  vmd_machine_details_set_firmware_async (details, TRUE, TRUE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result));
  g_assert_true (inactive_has (fixture, "/domain/os/firmware/feature[@name='secure-boot'][@enabled='yes']"));
  g_assert_true (inactive_has (fixture, "/domain/features/smm[@state='on']"));
  g_assert_true (inactive_has (fixture, "/domain/metadata/*[namespace-uri()='" VMD_FIRMWARE_NS "']"));

  start_guest (fixture);
  after = guest_run (fixture, "dmesg | grep -c 'secureboot: Secure boot enabled'");
  g_assert_cmpstr (after, ==, "1");
  g_assert_false (inactive_has (fixture, "/domain/metadata/*[namespace-uri()='" VMD_FIRMWARE_NS "']"));
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

  /* The UEFI boots are slow under TCG: meson runs them as integration-platform, with a time limit
   * of their own. Not registered here rather than skipped, since a skip counts as a failure. */
  if (g_strcmp0 (g_getenv ("VMDESK_HARDWARE_PART"), "platform") == 0)
    {
      g_test_add ("/integration/hardware/platform/uefi-secure-boot", Fixture, NULL,
                  fixture_set_up, test_uefi_secure_boot, fixture_tear_down);
      g_test_add ("/integration/hardware/platform/firmware-change", Fixture, NULL,
                  fixture_set_up, test_firmware_change, fixture_tear_down);
      return g_test_run ();
    }
  g_test_add ("/integration/hardware/disk-hotplug", Fixture, NULL,
              fixture_set_up, test_disk_hotplug, fixture_tear_down);
  g_test_add ("/integration/hardware/new-volume-hotplug", Fixture, NULL,
              fixture_set_up, test_new_volume_hotplug, fixture_tear_down);
  g_test_add ("/integration/hardware/nic-hotplug", Fixture, NULL,
              fixture_set_up, test_nic_hotplug, fixture_tear_down);
  g_test_add ("/integration/hardware/virtiofs", Fixture, NULL,
              fixture_set_up, test_virtiofs, fixture_tear_down);
  g_test_add ("/integration/hardware/tpm", Fixture, NULL,
              fixture_set_up, test_tpm, fixture_tear_down);
  return g_test_run ();
}
