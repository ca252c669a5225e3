/* The details' pure XML pieces, no libvirt: the device writers (vmd-device-xml.c), the document
 * edits and their XPaths (vmd-domain-xml.c), and the config reader (vmd-machine-config.c). Each
 * result is read back through VmdXml and compared element by element. */
#include "config.h"

#include "vmd-domain-xml.h"
#include "vmd-device-xml.h"
#include "vmd-error.h"
#include "vmd-machine-config.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

#define DOMAIN \
  "<domain type='kvm' xmlns:vmdesk='https://github.com/vmdesk/xmlns/1.0'>" \
  "<name>db</name><uuid>bbbbbbbb-2222-4222-8222-222222222222</uuid>" \
  "<metadata><vmdesk:note>kept</vmdesk:note></metadata>" \
  "<memory unit='MiB'>512</memory><vcpu>2</vcpu>" \
  "<os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>" \
  "<devices><disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>" \
  "<interface type='network'><mac address='52:54:00:AA:BB:CC'/><source network='default'/></interface>" \
  "<watchdog model='i6300esb' action='reset'/></devices></domain>"

static char *
string_at (const char *xml,
           const char *expr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, &error);

  g_assert_no_error (error);
  return vmd_xml_string (doc, NULL, expr);
}

static void
assert_string_at (const char *xml,
                  const char *expr,
                  const char *expected)
{
  g_autofree char *value = string_at (xml, expr);

  g_assert_cmpstr (value, ==, expected);
}

/* --- devices ------------------------------------------------------------------------------------ */

static void
test_disk_device (void)
{
  const char *path = "/var/lib/images/a'b&<c>\".qcow2";
  g_autofree char *disk = vmd_disk_device_xml ("disk", "virtio", "vdb", path, "qcow2");
  g_autofree char *cd = vmd_disk_device_xml ("cdrom", "sata", "sdb", NULL, "raw");

  assert_string_at (disk, "/disk/@device", "disk");
  assert_string_at (disk, "/disk/source/@file", path);
  assert_string_at (disk, "/disk/driver/@type", "qcow2");
  assert_string_at (disk, "/disk/target/@dev", "vdb");
  assert_string_at (disk, "/disk/target/@bus", "virtio");
  assert_string_at (disk, "count(/disk/readonly)", "0");
  assert_string_at (cd, "count(/disk/source)", "0");
  assert_string_at (cd, "count(/disk/readonly)", "1");
}

static void
test_nic_device (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *network = vmd_nic_device_xml (&(VmdNewNic) { "network", "def'ault", "virtio" }, &error);
  g_autofree char *user = vmd_nic_device_xml (&(VmdNewNic) { "user", NULL, "" }, &error);
  g_autofree char *no_source = NULL;
  g_autofree char *unknown = NULL;

  g_assert_no_error (error);
  assert_string_at (network, "/interface/@type", "network");
  assert_string_at (network, "/interface/source/@network", "def'ault");
  assert_string_at (network, "/interface/model/@type", "virtio");
  assert_string_at (user, "count(/interface/*)", "0");
  no_source = vmd_nic_device_xml (&(VmdNewNic) { "bridge", "", NULL }, &error);
  g_assert_null (no_source);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  unknown = vmd_nic_device_xml (&(VmdNewNic) { "vhostuser", "x", NULL }, &error);
  g_assert_null (unknown);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
}

/* --- edits -------------------------------------------------------------------------------------- */

/* What the edit does not know about goes back untouched: metadata in a namespace, other devices. */
static void
test_edit_keeps_the_rest (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *titled = vmd_domain_xml_set_title (DOMAIN, "A <title>", "Two\nlines & more", &error);
  g_autofree char *untitled = NULL;

  g_assert_no_error (error);
  assert_string_at (titled, "/domain/title", "A <title>");
  assert_string_at (titled, "/domain/description", "Two\nlines & more");
  assert_string_at (titled, "/domain/metadata/vmdesk:note", "kept");
  assert_string_at (titled, "/domain/devices/watchdog/@action", "reset");
  assert_string_at (titled, "/domain/memory", "512");
  untitled = vmd_domain_xml_set_title (titled, NULL, "", &error);
  assert_string_at (untitled, "count(/domain/title|/domain/description)", "0");
}

static void
test_device_edits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xpath = vmd_disk_xpath ("sda");
  g_autofree char *cd = vmd_domain_xml_get_device (DOMAIN, xpath, &error);
  g_autofree char *inserted = vmd_disk_xml_set_source (cd, "/isos/debian.iso", &error);
  g_autofree char *replaced = vmd_domain_xml_replace_device (DOMAIN, xpath, inserted, &error);
  g_autofree char *removed = vmd_domain_xml_remove_device (replaced, "/domain/devices/watchdog", &error);

  g_assert_no_error (error);
  assert_string_at (inserted, "/disk/source/@file", "/isos/debian.iso");
  /* In place: the CD is still the first device, before the interface. */
  assert_string_at (replaced, "/domain/devices/*[1]/source/@file", "/isos/debian.iso");
  assert_string_at (removed, "count(/domain/devices/watchdog)", "0");
  assert_string_at (removed, "count(/domain/devices/interface)", "1");
}

static void
test_device_not_found (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xpath = vmd_disk_xpath ("vdz");
  g_autofree char *removed = vmd_domain_xml_remove_device (DOMAIN, xpath, &error);

  g_assert_null (removed);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
}

/* XPath has no escapes: a name with both kinds of quote still finds its device, and only it. */
/* KVM or emulation: only the root's type changes; anything else is refused. */
static void
test_virt_type (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *qemu = vmd_domain_xml_set_virt_type (DOMAIN, "qemu", &error);
  g_autofree char *kvm = NULL;
  g_autofree char *type = NULL;
  g_autofree char *note = NULL;
  g_autofree char *bogus = NULL;

  g_assert_no_error (error);
  type = string_at (qemu, "/domain/@type");
  note = string_at (qemu, "/domain/metadata/vmdesk:note");
  g_assert_cmpstr (type, ==, "qemu");
  g_assert_cmpstr (note, ==, "kept");
  kvm = vmd_domain_xml_set_virt_type (qemu, "kvm", &error);
  g_assert_no_error (error);
  g_clear_pointer (&type, g_free);
  type = string_at (kvm, "/domain/@type");
  g_assert_cmpstr (type, ==, "kvm");
  bogus = vmd_domain_xml_set_virt_type (DOMAIN, "xen", &error);
  g_assert_null (bogus);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
}

static void
test_xpath_quotes (void)
{
  const char *target = "sd'x\"y";
  g_autofree char *escaped = g_markup_escape_text (target, -1);
  g_autofree char *xml = g_strdup_printf ("<domain><devices><disk><target dev='vda'/></disk>"
                                          "<disk><target dev='%s'/></disk></devices></domain>", escaped);
  g_autofree char *xpath = vmd_disk_xpath (target);
  g_autofree char *single = vmd_disk_xpath ("it's");
  g_autofree char *nic = vmd_nic_xpath ("52:54:00:aa:bb:cc");
  g_autoptr(GError) error = NULL;
  g_autofree char *device = vmd_domain_xml_get_device (xml, xpath, &error);
  g_autofree char *mac = vmd_domain_xml_get_device (DOMAIN, nic, &error);

  g_assert_no_error (error);
  assert_string_at (device, "/disk/target/@dev", target);
  g_assert_cmpstr (single, ==, "/domain/devices/disk[target/@dev=\"it's\"]");
  /* MACs compare without case. */
  assert_string_at (mac, "/interface/mac/@address", "52:54:00:AA:BB:CC");
}

/* --- the config reader ---------------------------------------------------------------------------- */

static void
test_config_firmware (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachineConfig) bios = vmd_machine_config_parse (DOMAIN, NULL, &error);
  g_autoptr(VmdMachineConfig) ovmf = vmd_machine_config_parse (
    "<domain><name>u</name><os><type>hvm</type><loader readonly='yes'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
    "</os></domain>", NULL, &error);
  g_autoptr(VmdMachineConfig) efi = vmd_machine_config_parse (
    "<domain><name>e</name><os firmware='efi'><type>hvm</type></os></domain>", NULL, &error);

  g_assert_no_error (error);
  g_assert_false (bios->uefi);
  g_assert_cmpstr (bios->firmware, ==, "BIOS");
  g_assert_cmpuint (bios->max_memory_kib, ==, 512 * 1024);
  g_assert_cmpuint (bios->current_memory_kib, ==, 512 * 1024);
  g_assert_true (ovmf->uefi);
  g_assert_cmpstr (ovmf->firmware, ==, "UEFI (/usr/share/OVMF/OVMF_CODE.fd)");
  g_assert_true (efi->uefi);
  g_assert_cmpstr (efi->firmware, ==, "UEFI");
}

/* Secure Boot asked of libvirt's firmware auto-selection, or resolved to a secure loader. */
static void
test_config_secure_boot (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachineConfig) asked = vmd_machine_config_parse (
    "<domain><name>s</name><os firmware='efi'><type>hvm</type><firmware>"
    "<feature enabled='yes' name='secure-boot'/><feature enabled='yes' name='enrolled-keys'/>"
    "</firmware></os></domain>", NULL, &error);
  g_autoptr(VmdMachineConfig) off = vmd_machine_config_parse (
    "<domain><name>o</name><os firmware='efi'><type>hvm</type><firmware>"
    "<feature enabled='no' name='secure-boot'/></firmware></os></domain>", NULL, &error);
  g_autoptr(VmdMachineConfig) resolved = vmd_machine_config_parse (
    "<domain><name>r</name><os><type>hvm</type><loader readonly='yes' secure='yes' type='pflash'>"
    "/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader></os></domain>", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (asked->firmware, ==, "UEFI, Secure Boot on");
  g_assert_cmpstr (off->firmware, ==, "UEFI");
  g_assert_cmpstr (resolved->firmware, ==, "UEFI, Secure Boot on (/usr/share/OVMF/OVMF_CODE_4M.ms.fd)");
}

/* A running machine's interface: its tap and the link it has now, matched by MAC in any case. */
static void
test_config_live_nic (void)
{
  const char *live = "<domain><name>db</name><memory>524288</memory><currentMemory>262144</currentMemory>"
                     "<vcpu current='1'>2</vcpu><devices><interface type='network'>"
                     "<mac address='52:54:00:aa:bb:cc'/><target dev='vnet7'/><link state='down'/>"
                     "</interface></devices></domain>";
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachineConfig) config = vmd_machine_config_parse (DOMAIN, live, &error);
  const VmdNicInfo *nic;

  g_assert_no_error (error);
  nic = vmd_machine_config_find_nic (config, "52:54:00:aa:bb:cc");
  g_assert_nonnull (nic);
  g_assert_cmpstr (nic->tap, ==, "vnet7");
  g_assert_false (nic->link_up);
  g_assert_cmpstr (nic->source, ==, "default");
  g_assert_cmpuint (config->live_memory_kib, ==, 262144);
  g_assert_cmpuint (config->live_vcpus, ==, 1);
  g_assert_cmpuint (config->current_vcpus, ==, 2);
}

/* A running machine's disk shows its backing chain; a new source has another (issue 15: a
 * snapshot's disk put on a fresh overlay for the memory restore). */
static void
test_source_drops_chain (void)
{
  const char *disk = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                     "<source file='/p/top.qcow2' index='2'/>"
                     "<backingStore type='file' index='1'><format type='qcow2'/><source file='/p/base.qcow2'/>"
                     "<backingStore/></backingStore><target dev='vda' bus='virtio'/></disk>";
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = vmd_disk_xml_set_source (disk, "/p/fresh.qcow2", &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (moved, "<source file=\"/p/fresh.qcow2\"/>"));
  g_assert_null (strstr (moved, "backingStore"));
  g_assert_null (strstr (moved, "base.qcow2"));
  g_assert_nonnull (strstr (moved, "<target dev=\"vda\""));
}

int
main (int   argc,
      char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_test_add_func ("/domain-xml/device/disk", test_disk_device);
  g_test_add_func ("/domain-xml/device/nic", test_nic_device);
  g_test_add_func ("/domain-xml/edit/keeps-the-rest", test_edit_keeps_the_rest);
  g_test_add_func ("/domain-xml/edit/virt-type", test_virt_type);
  g_test_add_func ("/domain-xml/edit/devices", test_device_edits);
  g_test_add_func ("/domain-xml/edit/source-drops-chain", test_source_drops_chain);
  g_test_add_func ("/domain-xml/edit/device-not-found", test_device_not_found);
  g_test_add_func ("/domain-xml/xpath/quotes", test_xpath_quotes);
  g_test_add_func ("/domain-xml/config/firmware", test_config_firmware);
  g_test_add_func ("/domain-xml/config/secure-boot", test_config_secure_boot);
  g_test_add_func ("/domain-xml/config/live-nic", test_config_live_nic);
  return g_test_run ();
}
