/* Cloning on the real daemon with the tiny guest: the clone boots (its banner on its own serial
 * log), has its own UUID and MAC, and its disk is a copy (written through qemu-io, the original
 * unchanged); a Cancel while a 1 GiB disk is copied leaves no volume and no domain behind. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-guest-fixture.h"
#include "vmd-machine-clone.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

#define MAC "52:54:00:4c:10:0e"

typedef struct {
  VmdGuestFixture  guest;
  char            *clone_name;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  vmd_guest_fixture_set_up (&fixture->guest, "vmdesk-it-clone");
  fixture->clone_name = g_strdup_printf ("%s-clone", fixture->guest.name);
}

/* The TPM state goes with each machine, so no swtpm folder outlives the test. */
static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  const char *names[] = { fixture->clone_name, fixture->guest.name };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      virDomainPtr domain = virDomainLookupByName (fixture->guest.handle, names[i]);

      if (domain != NULL)
        {
          virDomainDestroy (domain);
          virDomainUndefineFlags (domain, VIR_DOMAIN_UNDEFINE_TPM | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
          virDomainFree (domain);
        }
      virResetLastError ();
    }
  vmd_guest_fixture_tear_down (&fixture->guest);
  g_free (fixture->clone_name);
}

static gboolean
guest_listed (gpointer guest)
{
  return vmd_guest_fixture_find (guest) != NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The fixture's guest with a NIC of a known MAC and, when given, a raw second disk. */
static void
define_guest (Fixture    *fixture,
              const char *raw_disk)
{
  g_autofree char *xml = vmd_guest_fixture_domain_xml (&fixture->guest, 1);
  const char *extra = "<interface type='user'><mac address='" MAC "'/><model type='virtio'/>"
                      "</interface><tpm model='tpm-tis'><backend type='emulator' version='2.0'/>"
                      "</tpm><memballoon";
  g_auto(GStrv) parts = g_strsplit (xml, "<memballoon", 2);
  g_autofree char *disk = raw_disk == NULL ? g_strdup ("") : g_strdup_printf (
    "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='%s'/>"
    "<target dev='vdb' bus='virtio'/></disk>", raw_disk);
  g_autofree char *full = g_strconcat (parts[0], disk, extra, parts[1], NULL);
  virDomainPtr domain = virDomainDefineXML (fixture->guest.handle, full);

  g_assert_nonnull (domain);
  virDomainFree (domain);
  g_assert_true (vmd_test_wait_until (guest_listed, &fixture->guest, 10000));
}

static VmdClonePlan *
read_plan (Fixture *fixture)
{
  VmdMachine *machine = vmd_guest_fixture_find (&fixture->guest);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VmdClonePlan *plan;

  vmd_machine_clone_plan_async (machine, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 30000));
  plan = vmd_machine_clone_plan_finish (machine, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plan->name, ==, fixture->clone_name);
  return plan;
}

static char *
inactive_xml (Fixture    *fixture,
              const char *name)
{
  virDomainPtr domain = virDomainLookupByName (fixture->guest.handle, name);
  char *xml;

  g_assert_nonnull (domain);
  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  virDomainFree (domain);
  return xml;
}

/* qemu-io's pattern check over the first MiB: TRUE when every byte is `pattern`. */
static gboolean
qemu_io (const char *path,
         const char *command)
{
  const char *argv[] = { "qemu-io", "-f", "qcow2", "-c", command, path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, NULL));
  g_test_message ("qemu-io %s %s: %s%s", command, path, out, err);
  return g_spawn_check_wait_status (status, NULL) && strstr (out, "verification failed") == NULL &&
         (err == NULL || strstr (err, "verification failed") == NULL);
}

static void
start_once (Fixture    *fixture,
            const char *name,
            const char *serial_log)
{
  virDomainPtr domain = virDomainLookupByName (fixture->guest.handle, name);

  g_unlink (serial_log);
  g_assert_cmpint (virDomainCreate (domain), ==, 0);
  g_assert_true (vmd_guest_fixture_wait_for_banner (serial_log, 180000));
  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  virDomainFree (domain);
}

/* libvirt 9.0 keeps it in /var/lib/libvirt/swtpm/UUID/tpm2/tpm2-00.permall. */
static void
assert_same_tpm_state (const char *original_uuid,
                       const char *clone_uuid)
{
  g_autofree char *a = g_build_filename ("/var/lib/libvirt/swtpm", original_uuid, "tpm2", "tpm2-00.permall", NULL);
  g_autofree char *b = g_build_filename ("/var/lib/libvirt/swtpm", clone_uuid, "tpm2", "tpm2-00.permall", NULL);
  g_autofree char *bytes_a = NULL;
  g_autofree char *bytes_b = NULL;
  gsize len_a = 0, len_b = 0;
  GStatBuf st_a, st_b;

  g_assert_true (g_file_get_contents (a, &bytes_a, &len_a, NULL));
  g_assert_true (g_file_get_contents (b, &bytes_b, &len_b, NULL));
  g_assert_cmpmem (bytes_a, len_a, bytes_b, len_b);
  g_assert_cmpint (g_stat (a, &st_a), ==, 0);
  g_assert_cmpint (g_stat (b, &st_b), ==, 0);
  g_assert_cmpuint (st_a.st_uid, ==, st_b.st_uid);
  g_test_message ("TPM state %s copied to %s (%" G_GSIZE_FORMAT " bytes, uid %u)", a, b, len_b,
                  (guint) st_b.st_uid);
}

static void
test_boots_and_copies (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(VmdClonePlan) plan = NULL;
  g_autoptr(VmdJob) job = vmd_job_new ("clone");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *original_xml = NULL;
  g_autoptr(VmdXml) doc = NULL;
  g_autoptr(VmdXml) original = NULL;
  g_autofree char *copy_path = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *original_uuid = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *log = NULL;
  define_guest (fixture, NULL);
  g_assert_true (qemu_io (fixture->guest.disk_path, "write -P 0xab 0 1M"));
  /* A first start makes the TPM's state (swtpm_setup), which the clone then gets a copy of. */
  original_xml = inactive_xml (fixture, fixture->guest.name);
  original = vmd_xml_parse (original_xml, NULL);
  original_uuid = vmd_xml_string (original, NULL, "/domain/uuid");
  start_once (fixture, fixture->guest.name, fixture->guest.serial_log);
  plan = read_plan (fixture);
  g_assert_true (plan->has_tpm);
  g_assert_nonnull (plan->tpm_state_dir);
  vmd_machine_clone_run (vmd_guest_fixture_find (&fixture->guest), plan, job, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 120000));
  g_assert_true (vmd_job_run_finish (job, result, &error));
  g_assert_no_error (error);

  xml = inactive_xml (fixture, fixture->clone_name);
  doc = vmd_xml_parse (xml, NULL);
  uuid = vmd_xml_string (doc, NULL, "/domain/uuid");
  g_assert_cmpstr (uuid, !=, original_uuid);
  assert_same_tpm_state (original_uuid, uuid);
  mac = vmd_xml_string (doc, NULL, "/domain/devices/interface/mac/@address");
  g_assert_nonnull (mac);
  g_assert_cmpstr (mac, !=, MAC);
  copy_path = vmd_xml_string (doc, NULL, "/domain/devices/disk[target/@dev='vda']/source/@file");
  g_assert_cmpstr (copy_path, !=, fixture->guest.disk_path);
  log = vmd_xml_string (doc, NULL, "/domain/devices/serial/log/@file");
  g_assert_cmpstr (log, !=, fixture->guest.serial_log);

  /* The copy has the original's bytes; a write to it leaves the original as it was. */
  g_assert_true (qemu_io (copy_path, "read -P 0xab 0 1M"));
  g_assert_true (qemu_io (copy_path, "write -P 0xcd 0 1M"));
  g_assert_true (qemu_io (fixture->guest.disk_path, "read -P 0xab 0 1M"));
  g_assert_true (qemu_io (copy_path, "read -P 0xcd 0 1M"));

  start_once (fixture, fixture->clone_name, log);
}

/* A raw file of `size` bytes, none of them zero, so no copy can skip it as a hole. */
static void
fill_raw (const char *path,
          gsize       size)
{
  g_autofree char *chunk = g_malloc (4 << 20);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  g_assert_cmpint (fd, >=, 0);
  memset (chunk, 0x5a, 4 << 20);
  for (gsize done = 0; done < size; done += 4 << 20)
    g_assert_cmpint (write (fd, chunk, 4 << 20), ==, 4 << 20);
  g_assert_cmpint (close (fd), ==, 0);
}

static char *
pool_volumes (Fixture *fixture)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->guest.handle, fixture->guest.pool_name);
  virStorageVolPtr *vols = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  char *joined;
  int n;

  g_assert_nonnull (pool);
  g_assert_cmpint (virStoragePoolRefresh (pool, 0), ==, 0);
  n = virStoragePoolListAllVolumes (pool, &vols, 0);
  for (int i = 0; i < n; i++)
    g_ptr_array_add (names, (char *) virStorageVolGetName (vols[i]));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  joined = g_strjoinv (" ", (char **) names->pdata);
  for (int i = 0; i < n; i++)
    virStorageVolFree (vols[i]);
  free (vols);
  virStoragePoolFree (pool);
  return joined;
}

static gboolean
copy_under_way (gpointer user_data)
{
  VmdJob *job = user_data;

  return (vmd_job_get_bytes_done (job) > 0 &&
          vmd_job_get_bytes_done (job) < vmd_job_get_bytes_total (job)) || vmd_job_get_finished (job);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *raw = g_build_filename (fixture->guest.pool_dir, "big.img", NULL);
  g_autoptr(VmdClonePlan) plan = NULL;
  g_autoptr(VmdJob) job = vmd_job_new ("clone");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 started, cancelled;
  guint64 seen;

  fill_raw (raw, (gsize) 1 << 30);
  define_guest (fixture, raw);
  plan = read_plan (fixture);
  before = pool_volumes (fixture);
  started = g_get_monotonic_time ();
  vmd_machine_clone_run (vmd_guest_fixture_find (&fixture->guest), plan, job, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (copy_under_way, job, 60000));
  seen = vmd_job_get_bytes_done (job);
  /* Half way, not before or after: the copy is under way when Cancel comes. */
  g_assert_false (vmd_job_get_finished (job));
  g_assert_cmpuint (seen, <, vmd_job_get_bytes_total (job));
  cancelled = g_get_monotonic_time ();
  vmd_job_cancel (job);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 120000));
  g_test_message ("cancelled after %.2f s at %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                  " bytes; over %.2f s later", (cancelled - started) / 1e6, seen,
                  vmd_job_get_bytes_total (job), (g_get_monotonic_time () - cancelled) / 1e6);
  g_assert_false (vmd_job_run_finish (job, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (vmd_job_get_state (job), ==, VMD_JOB_STATE_CANCELLED);
  after = pool_volumes (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_null (virDomainLookupByName (fixture->guest.handle, fixture->clone_name));
  virResetLastError ();
}

int
main (int   argc,
      char *argv[])
{
  vmd_test_init (&argc, &argv);
  g_test_add ("/clone/boots-and-copies", Fixture, NULL, fixture_set_up, test_boots_and_copies,
              fixture_tear_down);
  g_test_add ("/clone/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  return g_test_run ();
}
