/* Add Hardware's kinds (vmd-device-xml-hw.c): each writer's element read back through VmdXml and
 * compared element by element, and the bad inputs each refused with the field and message they
 * belong to, the definition they were checked against left as it was. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-connection.h"
#include "vmd-device-list.h"
#include "vmd-device-xml.h"
#include "vmd-error.h"
#include "vmd-machine-details.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

#define DOMAIN \
  "<domain type='kvm'><name>hw</name><memory unit='MiB'>512</memory>" \
  "<devices><disk type='file' device='disk'><source file='/x.qcow2'/><target dev='vda' bus='virtio'/></disk>" \
  "<interface type='network'><mac address='52:54:00:AA:BB:CC'/><source network='default'/></interface>" \
  "<filesystem type='mount'><driver type='virtiofs'/><source dir='/srv'/><target dir='data'/></filesystem>" \
  "</devices></domain>"

#define DOMAIN_TPM \
  "<domain type='kvm'><name>hw</name><devices><tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>" \
  "</devices></domain>"

static void
assert_at (const char *xml,
           const char *expr,
           const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, &error);
  g_autofree char *value = NULL;

  g_assert_no_error (error);
  value = vmd_xml_string (doc, NULL, expr);
  g_assert_cmpstr (value, ==, expected);
}

static void
test_disk (void)
{
  VmdDiskSpec spec = { "disk", "scsi", "/var/lib/a'b&c.qcow2", "qcow2", TRUE, TRUE, "none", "unmap" };
  g_autoptr(GError) error = NULL;
  g_autofree char *target = vmd_disk_free_target (DOMAIN, "virtio");
  g_autofree char *sd = vmd_disk_free_target (DOMAIN, "scsi");
  g_autofree char *xml = vmd_disk_spec_xml (&spec, sd);
  VmdDiskSpec floppy = { "floppy", "fdc", NULL, "raw" };
  g_autofree char *fd = vmd_disk_spec_xml (&floppy, "fda");

  g_assert_cmpstr (target, ==, "vdb");
  g_assert_cmpstr (sd, ==, "sda");
  assert_at (xml, "/disk/@device", "disk");
  assert_at (xml, "/disk/driver/@type", "qcow2");
  assert_at (xml, "/disk/driver/@cache", "none");
  assert_at (xml, "/disk/driver/@discard", "unmap");
  assert_at (xml, "/disk/source/@file", "/var/lib/a'b&c.qcow2");
  assert_at (xml, "/disk/target/@dev", "sda");
  assert_at (xml, "/disk/target/@bus", "scsi");
  assert_at (xml, "count(/disk/readonly)", "1");
  assert_at (xml, "count(/disk/shareable)", "1");
  g_assert_true (vmd_disk_spec_validate (&floppy, NULL, &error));
  g_assert_no_error (error);
  assert_at (fd, "/disk/@device", "floppy");
  assert_at (fd, "count(/disk/source)", "0");
  assert_at (fd, "/disk/target/@bus", "fdc");
}

static void
test_nic (void)
{
  VmdNicSpec direct = { "direct", "eth0", "virtio", "52:54:00:01:02:03" };
  VmdNicSpec user = { "user", NULL, "e1000", NULL };
  g_autofree char *xml = vmd_nic_spec_xml (&direct);
  g_autofree char *user_xml = vmd_nic_spec_xml (&user);
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_nic_spec_validate (&direct, DOMAIN, NULL, &error));
  g_assert_no_error (error);
  assert_at (xml, "/interface/@type", "direct");
  assert_at (xml, "/interface/mac/@address", "52:54:00:01:02:03");
  assert_at (xml, "/interface/source/@dev", "eth0");
  assert_at (xml, "/interface/source/@mode", "bridge");
  assert_at (xml, "/interface/model/@type", "virtio");
  assert_at (user_xml, "/interface/@type", "user");
  assert_at (user_xml, "count(/interface/mac)", "0");
  assert_at (user_xml, "count(/interface/source)", "0");
  assert_at (user_xml, "/interface/model/@type", "e1000");
}

static void
test_fs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vmd-hw-XXXXXX", NULL);
  VmdFsSpec spec = { dir, "share1", FALSE };
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;

  g_chmod (dir, 0755);
  g_assert_true (vmd_fs_spec_validate (&spec, DOMAIN, NULL, &error));
  g_assert_no_error (error);
  xml = vmd_fs_spec_xml (&spec);
  assert_at (xml, "/filesystem/@type", "mount");
  assert_at (xml, "/filesystem/@accessmode", "passthrough");
  assert_at (xml, "/filesystem/driver/@type", "virtiofs");
  assert_at (xml, "/filesystem/binary/@path", "/usr/lib/qemu/virtiofsd");
  assert_at (xml, "/filesystem/source/@dir", dir);
  assert_at (xml, "/filesystem/target/@dir", "share1");
  g_assert_false (vmd_domain_has_shared_memory (DOMAIN));
  g_assert_true (vmd_domain_has_shared_memory ("<domain><memoryBacking><source type='memfd'/>"
                                               "<access mode='shared'/></memoryBacking></domain>"));
  g_rmdir (dir);
}

static void
test_tpm (void)
{
  VmdTpmSpec emulated = { FALSE, NULL };
  VmdTpmSpec passthrough = { TRUE, "/dev/tpm7" };
  g_autofree char *xml = vmd_tpm_spec_xml (&emulated);
  g_autofree char *pt = vmd_tpm_spec_xml (&passthrough);
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_tpm_spec_validate (&emulated, DOMAIN, &error));
  g_assert_no_error (error);
  assert_at (xml, "/tpm/@model", "tpm-crb");
  assert_at (xml, "/tpm/backend/@type", "emulator");
  assert_at (xml, "/tpm/backend/@version", "2.0");
  assert_at (pt, "/tpm/backend/@type", "passthrough");
  assert_at (pt, "/tpm/backend/device/@path", "/dev/tpm7");
}

/* --- bad inputs --------------------------------------------------------------------------------- */

static void
assert_refused (gboolean    ok,
                GError     *error,
                VmdHwField  field,
                VmdHwField  expected,
                const char *fragment)
{
  g_assert_false (ok);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, fragment));
  g_assert_cmpint (field, ==, expected);
  g_test_message ("refused: %s", error->message);
}

#define REFUSED(call, expected, fragment) \
  G_STMT_START { \
    g_autoptr(GError) e_ = NULL; \
    VmdHwField f_ = VMD_HW_FIELD_NONE; \
    gboolean ok_ = call; \
    assert_refused (ok_, e_, f_, expected, fragment); \
  } G_STMT_END

static void
test_bad_inputs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vmd-hw-bad-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "file.img", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *closed = g_build_filename (dir, "closed", NULL);
  g_autofree char *before = g_strdup (DOMAIN);

  g_chmod (dir, 0755);
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_mkdir (closed, 0700);

  REFUSED (vmd_nic_spec_validate (&(VmdNicSpec) { "network", "default", NULL, "52:54:00:zz:00:01" }, DOMAIN, &f_, &e_),
           VMD_HW_FIELD_MAC, "hex digits");
  REFUSED (vmd_nic_spec_validate (&(VmdNicSpec) { "network", "default", NULL, "52:54:00:00:01" }, DOMAIN, &f_, &e_),
           VMD_HW_FIELD_MAC, "hex digits");
  REFUSED (vmd_nic_spec_validate (&(VmdNicSpec) { "network", "default", NULL, "01:00:5e:00:00:01" }, DOMAIN, &f_, &e_),
           VMD_HW_FIELD_MAC, "multicast");
  REFUSED (vmd_nic_spec_validate (&(VmdNicSpec) { "network", "default", NULL, "52:54:00:aa:bb:cc" }, DOMAIN, &f_, &e_),
           VMD_HW_FIELD_MAC, "Another network card");
  REFUSED (vmd_nic_spec_validate (&(VmdNicSpec) { "bridge", "", NULL, NULL }, DOMAIN, &f_, &e_),
           VMD_HW_FIELD_SOURCE, "bridge");
  REFUSED (vmd_nic_spec_validate (&(VmdNicSpec) { "user", NULL, "ne2k-evil", NULL }, DOMAIN, &f_, &e_),
           VMD_HW_FIELD_MODEL, "model");
  REFUSED (vmd_fs_spec_validate (&(VmdFsSpec) { missing, "t" }, DOMAIN, &f_, &e_), VMD_HW_FIELD_FOLDER, "does not exist");
  REFUSED (vmd_fs_spec_validate (&(VmdFsSpec) { file, "t" }, DOMAIN, &f_, &e_), VMD_HW_FIELD_FOLDER, "not a folder");
  REFUSED (vmd_fs_spec_validate (&(VmdFsSpec) { closed, "t" }, DOMAIN, &f_, &e_), VMD_HW_FIELD_FOLDER, "QEMU");
  REFUSED (vmd_fs_spec_validate (&(VmdFsSpec) { dir, "  " }, DOMAIN, &f_, &e_), VMD_HW_FIELD_TAG, "Enter a tag");
  REFUSED (vmd_fs_spec_validate (&(VmdFsSpec) { dir, "data" }, DOMAIN, &f_, &e_), VMD_HW_FIELD_TAG, "this tag");
  REFUSED (vmd_new_volume_validate ("big.qcow2", G_GUINT64_CONSTANT (10) << 30, 1 << 30, &f_, &e_),
           VMD_HW_FIELD_SIZE, "free space");
  REFUSED (vmd_new_volume_validate ("zero.qcow2", 0, 1 << 30, &f_, &e_), VMD_HW_FIELD_SIZE, "more than 0");
  REFUSED (vmd_new_volume_validate ("a/b.qcow2", 1 << 20, 1 << 30, &f_, &e_), VMD_HW_FIELD_VOLUME_NAME, "“/”");
  REFUSED (vmd_new_volume_validate ("", 1 << 20, 1 << 30, &f_, &e_), VMD_HW_FIELD_VOLUME_NAME, "name");
  REFUSED (vmd_disk_spec_validate (&(VmdDiskSpec) { "disk", "virtio", dir, "qcow2" }, &f_, &e_),
           VMD_HW_FIELD_PATH, "folder");
  REFUSED (vmd_disk_spec_validate (&(VmdDiskSpec) { "disk", "virtio", missing, "qcow2" }, &f_, &e_),
           VMD_HW_FIELD_PATH, "no file");
  REFUSED (vmd_disk_spec_validate (&(VmdDiskSpec) { "disk", "virtio", "rel/a.img", "raw" }, &f_, &e_),
           VMD_HW_FIELD_PATH, "full path");
  REFUSED (vmd_disk_spec_validate (&(VmdDiskSpec) { "floppy", "virtio", NULL, "raw" }, &f_, &e_),
           VMD_HW_FIELD_BUS, "floppy controller");
  REFUSED (vmd_disk_spec_validate (&(VmdDiskSpec) { "cdrom", "virtio", NULL, "raw" }, &f_, &e_),
           VMD_HW_FIELD_BUS, "bus");
  REFUSED (vmd_disk_spec_validate (&(VmdDiskSpec) { "disk", "sata", file, "raw", FALSE, FALSE, "bogus" }, &f_, &e_),
           VMD_HW_FIELD_CACHE, "cache");
  REFUSED (vmd_disk_spec_validate (&(VmdDiskSpec) { "disk", "sata", file, "raw", FALSE, FALSE, NULL, "trim" }, &f_, &e_),
           VMD_HW_FIELD_DISCARD, "discard");
  REFUSED (vmd_tpm_spec_validate (&(VmdTpmSpec) { FALSE, NULL }, DOMAIN_TPM, &e_), VMD_HW_FIELD_NONE, "TPM already");
  REFUSED (vmd_new_disk_validate (&(VmdDiskSpec) { "cdrom", "sata" }, &(VmdNewVolume) { "p", "a.qcow2", "qcow2", 1 << 20 },
                                  1 << 30, &f_, &e_), VMD_HW_FIELD_BUS, "existing file");
  REFUSED (vmd_new_disk_validate (&(VmdDiskSpec) { "disk", "virtio" }, &(VmdNewVolume) { NULL, "a.qcow2", "qcow2", 1 << 20 },
                                  1 << 30, &f_, &e_), VMD_HW_FIELD_POOL, "pool");
  REFUSED (vmd_new_disk_validate (&(VmdDiskSpec) { "disk", "virtio" }, &(VmdNewVolume) { "p", "a.vmdk", "vmdk", 1 << 20 },
                                  1 << 30, &f_, &e_), VMD_HW_FIELD_PATH, "qcow2 or raw");
  REFUSED (vmd_new_disk_validate (&(VmdDiskSpec) { "disk", "virtio" }, &(VmdNewVolume) { "p", "a.raw", "raw", 2 << 20 },
                                  1 << 20, &f_, &e_), VMD_HW_FIELD_SIZE, "free space");

  /* Validating reads the definition only. */
  g_assert_cmpstr (before, ==, DOMAIN);
  g_remove (file);
  g_rmdir (closed);
  g_rmdir (dir);
}

/* --- on the test driver ------------------------------------------------------------------------- */

typedef struct {
  VmdConnection     *connection;
  virConnectPtr      handle;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *uri = vmd_test_data_uri ("details.xml");
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_test_open_connection (uri, 1000, &error);
  g_assert_no_error (error);
  g_object_get (vmd_connection_get_gvir (fixture->connection), "handle", &fixture->handle, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  virConnectClose (fixture->handle);
  g_clear_object (&fixture->connection);
}

static char *
defined_xml (Fixture    *fixture,
             const char *name)
{
  virDomainPtr domain = virDomainLookupByName (fixture->handle, name);
  char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  char *copy = g_strdup (xml);

  free (xml);
  virDomainFree (domain);
  return copy;
}

static gboolean
run (VmdMachineDetails  *details,
     GAsyncResult      **result,
     char              **note,
     GError            **error)
{
  gboolean ok;

  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, result, 5000));
  ok = vmd_machine_details_edit_finish (details, *result, note, error);
  g_clear_object (result);
  return ok;
}

static VmdMachineDetails *
load (Fixture    *fixture,
      const char *name)
{
  VmdMachineDetails *details = vmd_machine_details_new (vmd_connection_find_machine (fixture->connection, name));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_machine_details_reload_async (details, NULL, vmd_test_store_result, &result);
  g_assert_true (run (details, &result, NULL, &error));
  return details;
}

/* A shared folder on a machine that is off: the folder and the memory backing, one definition;
 * removed again, the folder goes and the backing stays (other folders may need it). */
static void
test_shared_folder_attach (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *fs = vmd_fs_spec_xml (&(VmdFsSpec) { "/srv", "media", FALSE });
  g_autofree char *xml = NULL;
  g_autofree char *after = NULL;

  vmd_machine_details_add_hardware_async (details, fs, VMD_HW_ATTACH_SHARED_FOLDER, NULL, vmd_test_store_result, &result);
  g_assert_true (run (details, &result, &note, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (note, "next boot"));
  xml = defined_xml (fixture, "db");
  assert_at (xml, "/domain/memoryBacking/source/@type", "memfd");
  assert_at (xml, "/domain/memoryBacking/access/@mode", "shared");
  assert_at (xml, "/domain/devices/filesystem/driver/@type", "virtiofs");
  assert_at (xml, "/domain/devices/filesystem/target/@dir", "media");
  assert_at (xml, "/domain/devices/filesystem/source/@dir", "/srv");

  vmd_machine_details_detach_device_async (details, "/domain/devices/filesystem[target/@dir='media']", NULL,
                                           vmd_test_store_result, &result);
  g_assert_true (run (details, &result, NULL, &error));
  after = defined_xml (fixture, "db");
  assert_at (after, "count(/domain/devices/filesystem)", "0");
}

/* On a running machine without shared memory, refused with the reason, nothing changed. */
static void
test_shared_folder_running (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load (fixture, "web");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fs = vmd_fs_spec_xml (&(VmdFsSpec) { "/srv", "media", FALSE });
  g_autofree char *before = defined_xml (fixture, "web");
  g_autofree char *after = NULL;

  vmd_machine_details_add_hardware_async (details, fs, VMD_HW_ATTACH_SHARED_FOLDER, NULL, vmd_test_store_result, &result);
  g_assert_false (run (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "machine is off"));
  after = defined_xml (fixture, "web");
  g_assert_cmpstr (after, ==, before);
}

/* A TPM only in the definition of a running machine: the note says when it applies. */
static void
test_tpm_next_boot (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load (fixture, "web");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *tpm = vmd_tpm_spec_xml (&(VmdTpmSpec) { FALSE, NULL });
  g_autofree char *xml = NULL;

  vmd_machine_details_add_hardware_async (details, tpm, VMD_HW_ATTACH_NEXT_BOOT, NULL, vmd_test_store_result, &result);
  g_assert_true (run (details, &result, &note, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (note, "next boot"));
  xml = defined_xml (fixture, "web");
  assert_at (xml, "/domain/devices/tpm/@model", "tpm-crb");
  assert_at (xml, "/domain/devices/tpm/backend/@type", "emulator");
  assert_at (xml, "/domain/devices/tpm/backend/@version", "2.0");
}

/* A new raw volume in the pool and its drive with every option, on a machine that is off. */
static void
test_storage_new_volume (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VmdDiskSpec spec = { "disk", "scsi", NULL, NULL, FALSE, TRUE, "none", "unmap" };
  VmdNewVolume volume = { "vmdesk-pool", "db-extra.img", "raw", 64 << 20 };
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->handle, "vmdesk-pool");
  virStorageVolPtr vol;
  g_autofree char *xml = NULL;

  vmd_machine_details_add_storage_async (details, &spec, &volume, VMD_HW_ATTACH_LIVE, NULL, vmd_test_store_result, &result);
  g_assert_true (run (details, &result, NULL, &error));
  g_assert_no_error (error);
  xml = defined_xml (fixture, "db");
  assert_at (xml, "/domain/devices/disk[target/@dev='sdb']/source/@file", "/vmdesk-pool/db-extra.img");
  assert_at (xml, "/domain/devices/disk[target/@dev='sdb']/target/@bus", "scsi");
  assert_at (xml, "/domain/devices/disk[target/@dev='sdb']/driver/@type", "raw");
  assert_at (xml, "/domain/devices/disk[target/@dev='sdb']/driver/@cache", "none");
  assert_at (xml, "/domain/devices/disk[target/@dev='sdb']/driver/@discard", "unmap");
  assert_at (xml, "count(/domain/devices/disk[target/@dev='sdb']/shareable)", "1");
  vol = virStorageVolLookupByName (pool, "db-extra.img");
  g_assert_nonnull (vol);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
}

/* The test driver has no live attach: on a running machine the drive is refused, and the
 * volume made for it is deleted again, the definition as it was (all or nothing). */
static void
test_storage_refused_undone (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load (fixture, "web");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VmdDiskSpec spec = { "disk", "virtio", NULL, NULL };
  VmdNewVolume volume = { "vmdesk-pool", "web-extra.qcow2", "qcow2", 64 << 20 };
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->handle, "vmdesk-pool");
  g_autofree char *before = defined_xml (fixture, "web");
  g_autofree char *after = NULL;
  virStorageVolPtr vol;

  vmd_machine_details_add_storage_async (details, &spec, &volume, VMD_HW_ATTACH_LIVE, NULL, vmd_test_store_result, &result);
  g_assert_false (run (details, &result, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  after = defined_xml (fixture, "web");
  g_assert_cmpstr (after, ==, before);
  vol = virStorageVolLookupByName (pool, "web-extra.qcow2");
  g_assert_null (vol);
  virResetLastError ();
  virStoragePoolFree (pool);
}

/* The Other Devices page's list: disks and cards left to their pages, the PCI root left out,
 * each device found again by its XPath. */
static void
test_device_list (void)
{
  const char *xml =
    "<domain><devices><disk device='disk'/><interface type='user'/>"
    "<controller type='pci' index='0' model='pcie-root'/><controller type='usb' index='0' model='qemu-xhci'/>"
    "<filesystem type='mount'><source dir='/srv/a'/><target dir='a'/></filesystem>"
    "<filesystem type='mount'><source dir='/srv/b'/><target dir='b'/></filesystem>"
    "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>"
    "<watchdog model='i6300esb' action='reset'/></devices></domain>";
  g_autoptr(GPtrArray) entries = vmd_device_list (xml);
  VmdDeviceEntry *e;

  g_assert_cmpuint (entries->len, ==, 5);
  e = entries->pdata[1];
  g_assert_cmpstr (e->detail, ==, "/srv/b → b");
  g_assert_cmpstr (e->xpath, ==, "/domain/devices/filesystem[2]");
  assert_at (xml, "string(/domain/devices/filesystem[2]/target/@dir)", "b");
  e = entries->pdata[2];
  g_assert_cmpstr (e->detail, ==, "tpm-crb emulator 2.0");
  e = entries->pdata[3];
  g_assert_cmpstr (e->detail, ==, "i6300esb reset");
  e = entries->pdata[4];
  g_assert_cmpstr (e->xpath, ==, "/domain/devices/controller[2]");
  g_ptr_array_unref (entries);
  entries = vmd_device_list (NULL);
  g_assert_cmpuint (entries->len, ==, 0);
}

#define ADD(path, fn) \
  g_test_add ("/hardware/test-driver/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  vmd_test_init (&argc, &argv);
  ADD ("shared-folder", test_shared_folder_attach);
  ADD ("shared-folder-running", test_shared_folder_running);
  ADD ("tpm-next-boot", test_tpm_next_boot);
  ADD ("storage-new-volume", test_storage_new_volume);
  ADD ("storage-refused-undone", test_storage_refused_undone);
  g_test_add_func ("/hardware/xml/disk", test_disk);
  g_test_add_func ("/hardware/xml/nic", test_nic);
  g_test_add_func ("/hardware/xml/filesystem", test_fs);
  g_test_add_func ("/hardware/xml/tpm", test_tpm);
  g_test_add_func ("/hardware/bad-inputs", test_bad_inputs);
  g_test_add_func ("/hardware/device-list", test_device_list);
  return g_test_run ();
}
