/* A real libvirtd and QEMU (TCG here): the tiny guest defined, started through VmdMachine, its
 * state and CPU statistics followed, shut down (forced off when ACPI does not reach busybox),
 * and deleted with its disk. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-test-util.h"

#define URI "qemu:///system"

typedef struct {
  VmdConnection *connection;
  virConnectPtr  handle;
  char          *name;
  char          *pool_name;
  char          *pool_dir;
  char          *disk_path;
  char          *serial_log;
} Fixture;

static void
copy_fixture_file (const char *name,
                   const char *to_dir)
{
  g_autofree char *from = g_build_filename (g_getenv ("VMDESK_TINY_GUEST_DIR"), name, NULL);
  g_autofree char *to = g_build_filename (to_dir, name, NULL);
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_chmod (to, 0644);
}

/* QEMU runs as libvirt-qemu and cannot read a checkout below /root: the guest's files go into
 * a pool directory of their own under libvirt's images folder. */
static void
make_pool_and_disk (Fixture *fixture)
{
  g_autofree char *pool_xml = g_strdup_printf (
    "<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>",
    fixture->pool_name, fixture->pool_dir);
  const char *vol_xml =
    "<volume><name>disk.qcow2</name><capacity unit='MiB'>64</capacity>"
    "<target><format type='qcow2'/></target></volume>";
  virStoragePoolPtr pool = virStoragePoolCreateXML (fixture->handle, pool_xml, VIR_STORAGE_POOL_CREATE_WITH_BUILD);
  virStorageVolPtr vol;

  g_assert_nonnull (pool);
  vol = virStorageVolCreateXML (pool, vol_xml, 0);
  g_assert_nonnull (vol);
  fixture->disk_path = virStorageVolGetPath (vol);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
  copy_fixture_file ("vmlinuz", fixture->pool_dir);
  copy_fixture_file ("initrd", fixture->pool_dir);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (g_getenv ("VMDESK_TINY_GUEST_DIR"));
  fixture->name = g_strdup_printf ("vmdesk-it-%d", getpid ());
  fixture->pool_name = g_strdup_printf ("vmdesk-it-pool-%d", getpid ());
  fixture->pool_dir = g_strdup_printf ("/var/lib/libvirt/images/%s", fixture->pool_name);
  fixture->serial_log = g_build_filename (fixture->pool_dir, "serial.log", NULL);

  fixture->connection = vmd_test_open_connection (URI, 500, &error);
  g_assert_no_error (error);
  g_object_get (vmd_connection_get_gvir (fixture->connection), "handle", &fixture->handle, NULL);
  make_pool_and_disk (fixture);
}

/* Whatever a failed assertion left behind goes, so the next run starts clean. */
static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  virDomainPtr domain = virDomainLookupByName (fixture->handle, fixture->name);
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->handle, fixture->pool_name);
  g_autoptr(GDir) dir = g_dir_open (fixture->pool_dir, 0, NULL);
  const char *entry;

  if (domain != NULL)
    {
      virDomainDestroy (domain);
      virDomainUndefine (domain);
      virDomainFree (domain);
    }
  if (pool != NULL)
    {
      virStoragePoolDestroy (pool);
      virStoragePoolFree (pool);
    }
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->pool_dir, entry, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->pool_dir);
  virConnectClose (fixture->handle);
  g_clear_object (&fixture->connection);
  g_free (fixture->name);
  g_free (fixture->pool_name);
  g_free (fixture->pool_dir);
  g_free (fixture->disk_path);
  g_free (fixture->serial_log);
}

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
    "    <memballoon model='virtio'/>"
    "  </devices>"
    "</domain>",
    fixture->name, fixture->pool_dir, fixture->pool_dir, fixture->disk_path, fixture->serial_log);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_arrived (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static void
run_action (VmdMachine       *machine,
            VmdMachineAction  action)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_machine_run_action_async (machine, action, NULL, store_result, &result);
  g_assert_true (vmd_test_wait_until (result_arrived, &result, 30000));
  vmd_machine_run_action_finish (machine, result, &error);
  g_assert_no_error (error);
}

typedef struct {
  Fixture         *fixture;
  VmdMachineState  state;
} StateWait;

static VmdMachine *
find (Fixture *fixture)
{
  return vmd_connection_find_machine (fixture->connection, fixture->name);
}

static gboolean
in_state (gpointer user_data)
{
  StateWait *wait = user_data;
  VmdMachine *machine = find (wait->fixture);

  return machine != NULL && vmd_machine_get_state (machine) == wait->state;
}

static gboolean
wait_for_state (Fixture         *fixture,
                VmdMachineState  state,
                guint            timeout_ms)
{
  StateWait wait = { fixture, state };

  return vmd_test_wait_until (in_state, &wait, timeout_ms);
}

static gboolean
banner_seen (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *log = NULL;

  return g_file_get_contents (fixture->serial_log, &log, NULL, NULL) &&
         strstr (log, "VMDESK TINY GUEST READY") != NULL;
}

static gboolean
cpu_busy_and_memory_known (gpointer user_data)
{
  VmdMachine *machine = user_data;

  return vmd_machine_get_cpu_usage (machine) > 0.0 && vmd_machine_get_memory_kib (machine) > 0;
}

static gboolean
machine_gone (gpointer user_data)
{
  return find (user_data) == NULL;
}

static void
test_tiny_guest_lifecycle (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *xml = domain_xml (fixture);
  g_autoptr(GPtrArray) choices = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { fixture->disk_path, NULL };
  virDomainPtr domain;
  VmdMachine *machine;
  gint64 started;

  /* Defined behind the app's back, as virsh would: the list learns it from the event. */
  domain = virDomainDefineXML (fixture->handle, xml);
  g_assert_nonnull (domain);
  virDomainFree (domain);
  g_assert_true (wait_for_state (fixture, VMD_MACHINE_STATE_SHUT_OFF, 1000));
  machine = find (fixture);

  started = g_get_monotonic_time ();
  run_action (machine, VMD_MACHINE_ACTION_START);
  g_assert_true (wait_for_state (fixture, VMD_MACHINE_STATE_RUNNING, 1000));
  g_assert_true (vmd_test_wait_until (cpu_busy_and_memory_known, machine, 10000));
  g_test_message ("CPU %.1f%%, memory %" G_GUINT64_FORMAT " KiB",
                  vmd_machine_get_cpu_usage (machine), vmd_machine_get_memory_kib (machine));
  g_assert_cmpuint (vmd_machine_get_memory_kib (machine), ==, 256 * 1024);
  g_assert_true (vmd_test_wait_until (banner_seen, fixture, 90000));
  g_test_message ("banner after %.1f s", (g_get_monotonic_time () - started) / 1e6);

  /* busybox has no ACPI daemon of its own: give the power button a moment, then force. */
  run_action (machine, VMD_MACHINE_ACTION_SHUTDOWN);
  if (!wait_for_state (fixture, VMD_MACHINE_STATE_SHUT_OFF, 5000))
    {
      g_test_message ("ACPI shutdown not honoured by the guest; forcing off");
      run_action (machine, VMD_MACHINE_ACTION_FORCE_OFF);
      g_assert_true (wait_for_state (fixture, VMD_MACHINE_STATE_SHUT_OFF, 1000));
    }
  g_assert_cmpfloat (vmd_machine_get_cpu_usage (machine), ==, 0.0);

  vmd_machine_list_disks_async (machine, NULL, store_result, &result);
  g_assert_true (vmd_test_wait_until (result_arrived, &result, 10000));
  choices = vmd_machine_list_disks_finish (machine, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (choices->len, ==, 1);
  g_assert_true (((VmdDiskChoice *) choices->pdata[0])->deletable);
  g_clear_object (&result);

  vmd_machine_delete_async (machine, paths, NULL, store_result, &result);
  g_assert_true (vmd_test_wait_until (result_arrived, &result, 10000));
  vmd_machine_delete_finish (machine, result, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_until (machine_gone, fixture, 1000));
  g_assert_false (g_file_test (fixture->disk_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fixture->serial_log, G_FILE_TEST_EXISTS));
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_test_add ("/integration/tiny-guest/lifecycle", Fixture, NULL,
              fixture_set_up, test_tiny_guest_lifecycle, fixture_tear_down);
  return g_test_run ();
}
