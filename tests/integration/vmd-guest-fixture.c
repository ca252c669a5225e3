/* The tiny guest's fixture: every step asserts, so a broken host fails the test at set-up
 * instead of somewhere in the middle of it. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vmd-guest-fixture.h"
#include "vmd-test-util.h"

#define URI "qemu:///system"

/* Copies one of the tiny guest's files (VMDESK_TINY_GUEST_DIR) into to_dir, readable by QEMU's
 * user; returns the copy's path. */
char *
vmd_guest_fixture_copy_file (const char *name,
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
  return g_steal_pointer (&to);
}

/* The kernel and initrd the guest's <os> boots directly. */
void
vmd_guest_fixture_copy_boot_files (const char *to_dir)
{
  g_free (vmd_guest_fixture_copy_file ("vmlinuz", to_dir));
  g_free (vmd_guest_fixture_copy_file ("initrd", to_dir));
}

/* Whatever a test left in dir goes, then dir itself. */
void
vmd_guest_fixture_remove_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *entry;

  while (listing != NULL && (entry = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static gboolean
banner_seen (gpointer user_data)
{
  const char *serial_log = user_data;
  g_autofree char *log = NULL;

  return g_file_get_contents (serial_log, &log, NULL, NULL) &&
         strstr (log, "VMDESK TINY GUEST READY") != NULL;
}

/* The guest's /init prints the banner once its shell is up on ttyS0. */
gboolean
vmd_guest_fixture_wait_for_banner (const char *serial_log,
                                   guint       timeout_ms)
{
  return vmd_test_wait_until (banner_seen, (gpointer) serial_log, timeout_ms);
}

/* QEMU runs as libvirt-qemu and cannot read a checkout below /root: the guest's files go into
 * a pool directory of their own under libvirt's images folder. */
static void
make_pool_and_disk (VmdGuestFixture *fixture)
{
  g_autofree char *pool_xml = g_strdup_printf (
    "<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>",
    fixture->pool_name, fixture->pool_dir);
  const char *vol_xml =
    "<volume><name>disk.qcow2</name><capacity unit='MiB'>64</capacity>"
    "<target><format type='qcow2'/></target></volume>";
  virStoragePoolPtr pool = virStoragePoolCreateXML (fixture->handle, pool_xml,
                                                    VIR_STORAGE_POOL_CREATE_WITH_BUILD);
  virStorageVolPtr vol;

  g_assert_nonnull (pool);
  vol = virStorageVolCreateXML (pool, vol_xml, 0);
  g_assert_nonnull (vol);
  fixture->disk_path = virStorageVolGetPath (vol);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
  vmd_guest_fixture_copy_boot_files (fixture->pool_dir);
}

/* Names the guest and its pool after prefix and this process, opens both connections and makes
 * the pool with an empty 64 MiB qcow2 disk; the domain itself is the test's to define. */
void
vmd_guest_fixture_set_up (VmdGuestFixture *fixture,
                          const char      *prefix)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (g_getenv ("VMDESK_TINY_GUEST_DIR"));
  fixture->name = g_strdup_printf ("%s-%d", prefix, getpid ());
  fixture->pool_name = g_strdup_printf ("%s-pool-%d", prefix, getpid ());
  fixture->pool_dir = g_strdup_printf ("/var/lib/libvirt/images/%s", fixture->pool_name);
  fixture->serial_log = g_build_filename (fixture->pool_dir, "serial.log", NULL);

  fixture->connection = vmd_test_open_connection (URI, 500, &error);
  g_assert_no_error (error);
  g_object_get (vmd_connection_get_gvir (fixture->connection), "handle", &fixture->handle, NULL);
  make_pool_and_disk (fixture);
}

/* Whatever a failed assertion left behind goes, so the next run starts clean; snapshots first,
 * as undefine refuses a domain that has them. */
void
vmd_guest_fixture_tear_down (VmdGuestFixture *fixture)
{
  virDomainPtr domain = virDomainLookupByName (fixture->handle, fixture->name);
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->handle, fixture->pool_name);

  if (domain != NULL)
    {
      virDomainDestroy (domain);
      /* A UEFI guest's NVRAM and an emulated TPM's state go too, when a test left them. */
      if (virDomainUndefineFlags (domain, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM |
                                          VIR_DOMAIN_UNDEFINE_TPM) < 0)
        virDomainUndefineFlags (domain, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
      virDomainFree (domain);
    }
  if (pool != NULL)
    {
      virStoragePoolDestroy (pool);
      virStoragePoolFree (pool);
    }
  vmd_guest_fixture_remove_dir (fixture->pool_dir);
  virConnectClose (fixture->handle);
  g_clear_object (&fixture->connection);
  g_free (fixture->name);
  g_free (fixture->pool_name);
  g_free (fixture->pool_dir);
  free (fixture->disk_path);
  g_free (fixture->iso_path);
  g_free (fixture->serial_log);
}

/* The guest booting its kernel from the pool, its disk as vda, the ISO as a CD when the fixture
 * has one, and the serial console logged for vmd_guest_fixture_wait_for_banner. One vCPU runs;
 * max_vcpus above 1 leaves room to add more. */
char *
vmd_guest_fixture_domain_xml (VmdGuestFixture *fixture,
                              guint            max_vcpus)
{
  g_autofree char *vcpu = max_vcpus > 1
    ? g_strdup_printf ("<vcpu current='1'>%u</vcpu>", max_vcpus)
    : g_strdup ("<vcpu>1</vcpu>");
  g_autofree char *cdrom = fixture->iso_path != NULL
    ? g_strdup_printf (
        "    <disk type='file' device='cdrom'>"
        "      <driver name='qemu' type='raw'/>"
        "      <source file='%s'/>"
        "      <target dev='hdc' bus='ide'/>"
        "      <readonly/>"
        "    </disk>", fixture->iso_path)
    : g_strdup ("");

  return g_strdup_printf (
    "<domain type='qemu'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>256</memory>"
    "  %s"
    "  <os>"
    "    <type arch='x86_64' machine='%s'>hvm</type>"
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
    "%s"
    "    <serial type='pty'><log file='%s' append='off'/><target port='0'/></serial>"
    "    <console type='pty'><target type='serial' port='0'/></console>"
    "    <memballoon model='virtio'/>"
    "  </devices>"
    "</domain>",
    fixture->name, vcpu, fixture->machine_type != NULL ? fixture->machine_type : "pc",
    fixture->pool_dir, fixture->pool_dir, fixture->disk_path, cdrom,
    fixture->serial_log);
}

VmdMachine *
vmd_guest_fixture_find (VmdGuestFixture *fixture)
{
  return vmd_connection_find_machine (fixture->connection, fixture->name);
}

gboolean
vmd_guest_fixture_wait_for_state (VmdGuestFixture *fixture,
                                  VmdMachineState  state,
                                  guint            timeout_ms)
{
  return vmd_test_wait_for_machine_state (fixture->connection, fixture->name, state, timeout_ms);
}
