/* VmdMachineSpec: the domain XML for each way of installing, network, display and firmware, read
 * back with XPath; every combination accepted by libvirt's parser (test driver); and the checks
 * the assistant shows beside its fields. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "vmd-error.h"
#include "vmd-machine-spec.h"
#include "vmd-test-util.h"

typedef struct {
  char           *dir;        /* a scratch folder: the pool, the ISO, existing disks */
  char           *iso;
  VmdMachineSpec *spec;
} Fixture;

/* Smallest file our ISO check accepts: "CD001" where the volume descriptor sits. */
static void
write_fake_iso (const char *path)
{
  g_autofree char *data = g_malloc0 (40 * 1024);

  memcpy (data + 16 * 2048 + 1, "CD001", 5);
  g_assert_true (g_file_set_contents (path, data, 40 * 1024, NULL));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->dir = g_dir_make_tmp ("vmd-spec-XXXXXX", NULL);
  fixture->iso = g_build_filename (fixture->dir, "install.iso", NULL);
  write_fake_iso (fixture->iso);
  fixture->spec = vmd_machine_spec_new ();
  vmd_machine_spec_set_name (fixture->spec, "debian11");
  vmd_machine_spec_set_media_path (fixture->spec, fixture->iso);
  vmd_machine_spec_set_pool (fixture->spec, "default", fixture->dir, G_MAXUINT64);
  vmd_machine_spec_set_os (fixture->spec, "debian11", "Debian 11", TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, entry, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->iso);
  g_clear_object (&fixture->spec);
}

/* --- reading the XML back -------------------------------------------------------------------- */

typedef struct {
  xmlDocPtr          doc;
  xmlXPathContextPtr ctx;
} Xml;

static Xml
xml_parse (VmdMachineSpec *spec,
           VmdSpecPhase    phase)
{
  g_autofree char *text = vmd_machine_spec_to_xml (spec, phase);
  Xml xml;

  g_test_message ("%s", text);
  xml.doc = xmlReadMemory (text, strlen (text), "domain.xml", NULL, XML_PARSE_NONET);
  g_assert_nonnull (xml.doc);
  xml.ctx = xmlXPathNewContext (xml.doc);
  return xml;
}

static void
xml_free (Xml *xml)
{
  xmlXPathFreeContext (xml->ctx);
  xmlFreeDoc (xml->doc);
}

static int
count (Xml        *xml,
       const char *expr)
{
  xmlXPathObjectPtr obj = xmlXPathEvalExpression ((const xmlChar *) expr, xml->ctx);
  int n;

  g_assert_nonnull (obj);
  n = obj->nodesetval != NULL ? obj->nodesetval->nodeNr : 0;
  xmlXPathFreeObject (obj);
  return n;
}

static char *
value (Xml        *xml,
       const char *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expr);
  xmlXPathObjectPtr obj = xmlXPathEvalExpression ((const xmlChar *) wrapped, xml->ctx);
  char *result = g_strdup ((const char *) obj->stringval);

  xmlXPathFreeObject (obj);
  return result;
}

#define assert_value(xml, expr, expected) G_STMT_START {      \
    g_autofree char *v_ = value ((xml), (expr));               \
    g_assert_cmpstr (v_, ==, (expected));                      \
  } G_STMT_END
#define assert_count(xml, expr, expected) \
  g_assert_cmpint (count ((xml), (expr)), ==, (expected))

/* --- XML ------------------------------------------------------------------------------------- */

static void
test_xml_cdrom_defaults (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *disk = g_build_filename (fixture->dir, "debian11.qcow2", NULL);
  Xml xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_INSTALL);

  assert_value (&xml, "/domain/@type", "qemu");
  assert_value (&xml, "/domain/name", "debian11");
  assert_value (&xml, "/domain/memory", "1048576");
  assert_value (&xml, "/domain/vcpu", "1");
  assert_value (&xml, "/domain/os/type/@arch", "x86_64");
  assert_value (&xml, "/domain/os/type/@machine", "q35");
  assert_value (&xml, "/domain/os/boot[1]/@dev", "cdrom");
  assert_value (&xml, "/domain/os/boot[2]/@dev", "hd");
  assert_count (&xml, "/domain/os/kernel", 0);
  assert_value (&xml, "/domain/on_reboot", "destroy");
  assert_count (&xml, "/domain/features/acpi", 1);
  assert_value (&xml, "/domain/devices/disk[@device='disk']/source/@file", disk);
  assert_value (&xml, "/domain/devices/disk[@device='disk']/driver/@type", "qcow2");
  assert_value (&xml, "/domain/devices/disk[@device='disk']/target/@bus", "virtio");
  assert_value (&xml, "/domain/devices/disk[@device='cdrom']/source/@file", fixture->iso);
  assert_value (&xml, "/domain/devices/disk[@device='cdrom']/target/@bus", "sata");
  assert_count (&xml, "/domain/devices/disk[@device='cdrom']/readonly", 1);
  assert_value (&xml, "/domain/devices/interface/@type", "network");
  assert_value (&xml, "/domain/devices/interface/source/@network", "default");
  assert_value (&xml, "/domain/devices/interface/model/@type", "virtio");
  assert_value (&xml, "/domain/devices/graphics/@type", "spice");
  assert_value (&xml, "/domain/devices/graphics/listen/@type", "none");
  assert_value (&xml, "/domain/devices/video/model/@type", "qxl");
  assert_value (&xml, "/domain/devices/channel[@type='spicevmc']/target/@name", "com.redhat.spice.0");
  assert_count (&xml, "/domain/devices/redirdev[@bus='usb'][@type='spicevmc']", 2);
  assert_value (&xml, "/domain/devices/controller[@type='usb']/@model", "qemu-xhci");
  assert_count (&xml, "/domain/devices/serial[@type='pty']", 1);
  assert_value (&xml, "/domain/devices/console/target/@type", "serial");
  assert_value (&xml, "/domain/devices/memballoon/@model", "virtio");
  assert_count (&xml, "/domain/os/bios", 0);
  xml_free (&xml);

  /* libosinfo's id in the metadata, as virt-install writes it. */
  vmd_machine_spec_set_os_url (fixture->spec, "http://debian.org/debian/11");
  {
    g_autofree char *text = vmd_machine_spec_to_xml (fixture->spec, VMD_SPEC_PHASE_FINAL);

    g_assert_nonnull (strstr (text, "xmlns:libosinfo=\"http://libosinfo.org/xmlns/libvirt/domain/1.0\""));
    g_assert_nonnull (strstr (text, "<libosinfo:os id=\"http://debian.org/debian/11\"/>"));
  }

  /* After the install: the disk boots, the CD-ROM drive stays, empty. */
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_FINAL);
  assert_count (&xml, "/domain/os/boot", 1);
  assert_value (&xml, "/domain/os/boot/@dev", "hd");
  assert_value (&xml, "/domain/on_reboot", "restart");
  assert_count (&xml, "/domain/devices/disk[@device='cdrom']", 1);
  assert_count (&xml, "/domain/devices/disk[@device='cdrom']/source", 0);
  xml_free (&xml);
}

/* The seed's virt-install --location ... --nographics --extra-args. */
static void
test_xml_kernel_boot (Fixture       *fixture,
                      gconstpointer  user_data)
{
  Xml xml;

  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_KERNEL_BOOT);
  vmd_machine_spec_set_kernel (fixture->spec, "/var/lib/libvirt/boot/k", "/var/lib/libvirt/boot/i");
  vmd_machine_spec_set_kernel_args (fixture->spec, "console=tty0 console=ttyS0,115200n8");
  vmd_machine_spec_set_graphics (fixture->spec, VMD_GRAPHICS_NONE);
  vmd_machine_spec_set_memory_mib (fixture->spec, 1024);
  vmd_machine_spec_set_vcpus (fixture->spec, 2);
  vmd_machine_spec_set_serial_log (fixture->spec, "/var/log/serial.log");

  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_INSTALL);
  assert_value (&xml, "/domain/vcpu", "2");
  assert_value (&xml, "/domain/os/kernel", "/var/lib/libvirt/boot/k");
  assert_value (&xml, "/domain/os/initrd", "/var/lib/libvirt/boot/i");
  assert_value (&xml, "/domain/os/cmdline", "console=tty0 console=ttyS0,115200n8");
  assert_count (&xml, "/domain/os/boot", 0);
  assert_value (&xml, "/domain/on_reboot", "destroy");
  assert_value (&xml, "/domain/os/bios/@useserial", "yes");
  assert_count (&xml, "/domain/devices/graphics", 0);
  assert_count (&xml, "/domain/devices/video", 0);
  assert_count (&xml, "/domain/devices/channel", 0);
  assert_count (&xml, "/domain/devices/redirdev", 0);
  assert_value (&xml, "/domain/devices/serial/log/@file", "/var/log/serial.log");
  assert_value (&xml, "/domain/devices/disk[@device='cdrom']/source/@file", fixture->iso);
  xml_free (&xml);

  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_FINAL);
  assert_count (&xml, "/domain/os/kernel", 0);
  assert_count (&xml, "/domain/os/initrd", 0);
  assert_count (&xml, "/domain/os/cmdline", 0);
  assert_value (&xml, "/domain/os/boot/@dev", "hd");
  assert_value (&xml, "/domain/on_reboot", "restart");
  xml_free (&xml);
}

/* From an install tree the CD-ROM drive stays empty: a folder is no disc. An ISO given as a
 * file:// URI is in the drive as its path. */
static void
test_xml_kernel_boot_tree (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *iso_uri = g_filename_to_uri (fixture->iso, NULL, NULL);
  Xml xml;

  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_KERNEL_BOOT);
  vmd_machine_spec_set_kernel (fixture->spec, "/var/lib/libvirt/boot/k", "/var/lib/libvirt/boot/i");
  vmd_machine_spec_set_media_path (fixture->spec, fixture->dir);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_INSTALL);
  assert_value (&xml, "/domain/os/kernel", "/var/lib/libvirt/boot/k");
  assert_count (&xml, "/domain/devices/disk[@device='cdrom']", 1);
  assert_count (&xml, "/domain/devices/disk[@device='cdrom']/source", 0);
  xml_free (&xml);

  vmd_machine_spec_set_media_path (fixture->spec, iso_uri);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_INSTALL);
  assert_value (&xml, "/domain/devices/disk[@device='cdrom']/source/@file", fixture->iso);
  xml_free (&xml);
}

static void
test_xml_import (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *image = g_build_filename (fixture->dir, "old.img", NULL);
  g_autofree char *qcow = g_build_filename (fixture->dir, "old.disk", NULL);
  Xml xml;

  g_assert_true (g_file_set_contents (image, "raw bytes", -1, NULL));
  g_assert_true (g_file_set_contents (qcow, "QFI\xfb\0\0\0\3", 8, NULL));
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_IMPORT);
  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_EXISTING, image, 0);

  for (VmdSpecPhase phase = VMD_SPEC_PHASE_INSTALL; phase <= VMD_SPEC_PHASE_FINAL; phase++)
    {
      xml = xml_parse (fixture->spec, phase);
      assert_value (&xml, "/domain/devices/disk[@device='disk']/source/@file", image);
      assert_value (&xml, "/domain/devices/disk[@device='disk']/driver/@type", "raw");
      assert_count (&xml, "/domain/devices/disk[@device='cdrom']", 0);
      assert_value (&xml, "/domain/os/boot/@dev", "hd");
      assert_value (&xml, "/domain/on_reboot", "restart");
      xml_free (&xml);
    }
  g_assert_false (vmd_machine_spec_needs_install_phase (fixture->spec));

  /* The format comes from the image's header, not its name. */
  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_EXISTING, qcow, 0);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_FINAL);
  assert_value (&xml, "/domain/devices/disk[@device='disk']/driver/@type", "qcow2");
  xml_free (&xml);
}

static void
test_xml_manual (Fixture       *fixture,
                 gconstpointer  user_data)
{
  Xml xml;

  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_MANUAL);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_INSTALL);
  assert_count (&xml, "/domain/devices/disk[@device='cdrom']", 0);
  assert_count (&xml, "/domain/devices/disk[@device='disk']", 1);
  assert_value (&xml, "/domain/on_reboot", "restart");
  xml_free (&xml);

  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_NONE, NULL, 0);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_INSTALL);
  assert_count (&xml, "/domain/devices/disk", 0);
  xml_free (&xml);
}

static void
test_xml_networks (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Xml xml;

  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_BRIDGE, "br0");
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_FINAL);
  assert_value (&xml, "/domain/devices/interface/@type", "bridge");
  assert_value (&xml, "/domain/devices/interface/source/@bridge", "br0");
  assert_value (&xml, "/domain/devices/interface/model/@type", "virtio");
  xml_free (&xml);

  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_USER, NULL);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_FINAL);
  assert_value (&xml, "/domain/devices/interface/@type", "user");
  assert_count (&xml, "/domain/devices/interface/source", 0);
  xml_free (&xml);

  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_NONE, NULL);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_FINAL);
  assert_count (&xml, "/domain/devices/interface", 0);
  xml_free (&xml);
}

/* An OS without virtio drivers gets SATA, e1000e and no balloon. */
static void
test_xml_no_virtio (Fixture       *fixture,
                    gconstpointer  user_data)
{
  Xml xml;

  vmd_machine_spec_set_os (fixture->spec, "win2k", "Microsoft Windows 2000", FALSE);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_INSTALL);
  assert_value (&xml, "/domain/devices/disk[@device='disk']/target/@bus", "sata");
  assert_value (&xml, "/domain/devices/disk[@device='disk']/target/@dev", "sda");
  assert_value (&xml, "/domain/devices/disk[@device='cdrom']/target/@dev", "sdb");
  assert_value (&xml, "/domain/devices/interface/model/@type", "e1000e");
  assert_value (&xml, "/domain/devices/memballoon/@model", "none");
  xml_free (&xml);
}

static void
test_xml_display_firmware_kvm (Fixture       *fixture,
                               gconstpointer  user_data)
{
  Xml xml;

  vmd_machine_spec_set_graphics (fixture->spec, VMD_GRAPHICS_SPICE_VIRTIO);
  vmd_machine_spec_set_firmware (fixture->spec, VMD_FIRMWARE_UEFI);
  vmd_machine_spec_set_kvm (fixture->spec, TRUE);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_INSTALL);
  assert_value (&xml, "/domain/@type", "kvm");
  assert_value (&xml, "/domain/os/@firmware", "efi");
  assert_value (&xml, "/domain/devices/video/model/@type", "virtio");
  assert_value (&xml, "/domain/devices/graphics/@type", "spice");
  xml_free (&xml);

  /* UEFI has no SeaBIOS serial switch. */
  vmd_machine_spec_set_graphics (fixture->spec, VMD_GRAPHICS_NONE);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_INSTALL);
  assert_count (&xml, "/domain/os/bios", 0);
  xml_free (&xml);
}

/* Every combination must be a domain libvirt accepts; the test driver parses it fully. */
static void
test_xml_all_combinations_define (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  g_autofree char *image = g_build_filename (fixture->dir, "old.img", NULL);
  guint n = 0;

  g_assert_nonnull (conn);
  g_assert_true (g_file_set_contents (image, "raw", -1, NULL));
  vmd_machine_spec_set_kernel (fixture->spec, "/boot/k", "/boot/i");
  vmd_machine_spec_set_kernel_args (fixture->spec, "console=ttyS0");
  for (VmdInstallMethod method = 0; method <= VMD_INSTALL_METHOD_MANUAL; method++)
    for (VmdNetworkKind net = 0; net <= VMD_NETWORK_NONE; net++)
      for (VmdGraphicsKind gfx = 0; gfx <= VMD_GRAPHICS_NONE; gfx++)
        for (int virtio = 0; virtio <= 1; virtio++)
          for (VmdSpecPhase phase = 0; phase <= VMD_SPEC_PHASE_FINAL; phase++)
            {
              g_autofree char *name = g_strdup_printf ("combo-%u", n++);
              g_autofree char *xml = NULL;
              virDomainPtr domain;

              vmd_machine_spec_set_name (fixture->spec, name);
              vmd_machine_spec_set_install_method (fixture->spec, method);
              if (method == VMD_INSTALL_METHOD_IMPORT)
                vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_EXISTING, image, 0);
              else
                vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_NEW_VOLUME, NULL, 20);
              vmd_machine_spec_set_network (fixture->spec, net, net == VMD_NETWORK_BRIDGE ? "br0" : "default");
              vmd_machine_spec_set_graphics (fixture->spec, gfx);
              vmd_machine_spec_set_os (fixture->spec, "debian11", "Debian 11", virtio);
              xml = vmd_machine_spec_to_xml (fixture->spec, phase);
              domain = virDomainDefineXML (conn, xml);
              if (domain == NULL)
                g_error ("libvirt refused %s: %s", xml, virGetLastErrorMessage ());
              virDomainUndefine (domain);
              virDomainFree (domain);
            }
  g_test_message ("%u domains defined", n);
  virConnectClose (conn);
}

/* --- checks ---------------------------------------------------------------------------------- */

static void
assert_field_error (VmdMachineSpec *spec,
                    VmdSpecField    field,
                    int             code,
                    const char     *words)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vmd_machine_spec_check_field (spec, field, &error));
  g_assert_error (error, VMD_ERROR, code);
  g_test_message ("%s", error->message);
  if (words != NULL)
    g_assert_nonnull (strstr (error->message, words));
}

static void
assert_field_ok (VmdMachineSpec *spec,
                 VmdSpecField    field)
{
  g_autoptr(GError) error = NULL;

  vmd_machine_spec_check_field (spec, field, &error);
  g_assert_no_error (error);
}

static void
test_check_name (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *taken[] = { "debian11", "web", NULL };
  g_autofree char *long_name = g_strnfill (65, 'a');

  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_NAME);
  vmd_machine_spec_set_name (fixture->spec, "");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NAME, VMD_ERROR_INVALID_INPUT, "name");
  vmd_machine_spec_set_name (fixture->spec, "my vm");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NAME, VMD_ERROR_INVALID_INPUT, "“ ”");
  vmd_machine_spec_set_name (fixture->spec, "a/b");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NAME, VMD_ERROR_INVALID_INPUT, "“/”");
  vmd_machine_spec_set_name (fixture->spec, "-x");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NAME, VMD_ERROR_INVALID_INPUT, NULL);
  /* Issue 12: the invisible characters are named by escapes, which show. */
  vmd_machine_spec_set_name (fixture->spec, "rel\u202Eevil");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NAME, VMD_ERROR_INVALID_INPUT, "rel<U+202E>evil");
  vmd_machine_spec_set_name (fixture->spec, "zero\u200Bwidth");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NAME, VMD_ERROR_INVALID_INPUT, "<U+200B>");
  vmd_machine_spec_set_name (fixture->spec, long_name);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NAME, VMD_ERROR_INVALID_INPUT, "64");
  vmd_machine_spec_set_taken_names (fixture->spec, taken);
  vmd_machine_spec_set_name (fixture->spec, "web");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NAME, VMD_ERROR_EXISTS, "“web” exists");
  vmd_machine_spec_set_name (fixture->spec, "web-2");
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_NAME);
}

static void
test_check_media (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "nothing.iso", NULL);
  g_autofree char *text = g_build_filename (fixture->dir, "notes.txt", NULL);

  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_MEDIA);
  vmd_machine_spec_set_media_path (fixture->spec, NULL);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEDIA, VMD_ERROR_INVALID_INPUT, "ISO");
  vmd_machine_spec_set_media_path (fixture->spec, missing);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEDIA, VMD_ERROR_NOT_FOUND, "does not exist");
  g_assert_true (g_file_set_contents (text, "hello", -1, NULL));
  vmd_machine_spec_set_media_path (fixture->spec, text);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEDIA, VMD_ERROR_MEDIA, "not an ISO");
  vmd_machine_spec_set_media_path (fixture->spec, fixture->dir);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEDIA, VMD_ERROR_MEDIA, "not a file");

  /* Without media there is nothing to check. */
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_MANUAL);
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_MEDIA);
}

/* Direct kernel boot also takes an install tree: a local folder or a file:// URI, not a URL. */
static void
test_check_media_kernel_boot (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "no-tree", NULL);
  g_autofree char *uri = g_filename_to_uri (fixture->dir, NULL, NULL);

  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_KERNEL_BOOT);
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_MEDIA);
  vmd_machine_spec_set_media_path (fixture->spec, fixture->dir);
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_MEDIA);
  vmd_machine_spec_set_media_path (fixture->spec, uri);
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_MEDIA);
  vmd_machine_spec_set_media_path (fixture->spec, NULL);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEDIA, VMD_ERROR_INVALID_INPUT, "folder");
  vmd_machine_spec_set_media_path (fixture->spec, missing);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEDIA, VMD_ERROR_NOT_FOUND, "does not exist");
  vmd_machine_spec_set_media_path (fixture->spec, "http://example.org/fedora/36/os/");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEDIA, VMD_ERROR_MEDIA,
                      "Only local folders are supported");

  /* A folder is no CD. */
  vmd_machine_spec_set_media_path (fixture->spec, fixture->dir);
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_CDROM);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEDIA, VMD_ERROR_MEDIA, "not a file");
}

static void
test_check_resources (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *warning = NULL;

  vmd_machine_spec_set_memory_mib (fixture->spec, 0);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEMORY, VMD_ERROR_INVALID_INPUT, "memory");
  vmd_machine_spec_set_vcpus (fixture->spec, 0);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_CPUS, VMD_ERROR_INVALID_INPUT, "CPU");

  /* Under the OS's minimum: allowed, with a warning; over the host: refused, so Forward is off. */
  vmd_machine_spec_set_minimum (fixture->spec, 512);
  vmd_machine_spec_set_host_resources (fixture->spec, 4096, 2);
  vmd_machine_spec_set_memory_mib (fixture->spec, 256);
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_MEMORY);
  warning = vmd_machine_spec_dup_warning (fixture->spec, VMD_SPEC_FIELD_MEMORY);
  g_assert_nonnull (strstr (warning, "at least 512 MiB"));
  g_clear_pointer (&warning, g_free);
  vmd_machine_spec_set_memory_mib (fixture->spec, 8192);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEMORY, VMD_ERROR_INVALID_INPUT, "4096 MiB");
  vmd_machine_spec_set_memory_mib (fixture->spec, 999999);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEMORY, VMD_ERROR_INVALID_INPUT, "only 4096 MiB");
  vmd_machine_spec_set_memory_mib (fixture->spec, 1024);
  g_assert_null (vmd_machine_spec_dup_warning (fixture->spec, VMD_SPEC_FIELD_MEMORY));
  vmd_machine_spec_set_vcpus (fixture->spec, 4);
  warning = vmd_machine_spec_dup_warning (fixture->spec, VMD_SPEC_FIELD_CPUS);
  g_assert_nonnull (strstr (warning, "only 2 CPUs"));
}

static void
test_check_storage (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *taken = g_build_filename (fixture->dir, "debian11.qcow2", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "gone.img", NULL);

  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_STORAGE);
  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_NEW_VOLUME, NULL, 0);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_STORAGE, VMD_ERROR_INVALID_INPUT, "1 GiB");

  vmd_machine_spec_set_pool (fixture->spec, "default", fixture->dir, G_GUINT64_CONSTANT (3) << 30);
  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_NEW_VOLUME, NULL, 20);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_STORAGE, VMD_ERROR_NO_SPACE,
                      "The pool “default” has 3 GiB free; the disk needs 20 GiB");
  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_NEW_VOLUME, NULL, 2);
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_STORAGE);

  /* An existing file is never overwritten. */
  g_assert_true (g_file_set_contents (taken, "precious", -1, NULL));
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_STORAGE, VMD_ERROR_EXISTS, "not be overwritten");

  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_EXISTING, missing, 0);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_STORAGE, VMD_ERROR_NOT_FOUND, "does not exist");
  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_EXISTING, taken, 0);
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_STORAGE);

  /* Import checks its image on the first page. */
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_IMPORT);
  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_EXISTING, NULL, 0);
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_MEDIA, VMD_ERROR_INVALID_INPUT, "disk image");
}

static void
test_check_network (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char *bridges[] = { "br0", "virbr0", NULL };

  vmd_machine_spec_set_host_bridges (fixture->spec, bridges);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_BRIDGE, "br0");
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_NETWORK);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_BRIDGE, "br9");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NETWORK, VMD_ERROR_NOT_FOUND, "no bridge called “br9”");
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_BRIDGE, "");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NETWORK, VMD_ERROR_INVALID_INPUT, NULL);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_USER, NULL);
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_NETWORK);
}

/* qemu:///session: no virtual networks; a bridge only where the bridge helper may use it. */
static void
test_check_network_session (Fixture       *fixture,
                            gconstpointer  user_data)
{
  const char *bridges[] = { "br0", "br1", NULL };
  g_autoptr(GHashTable) problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (problems, g_strdup ("br1"),
                       g_strdup ("/etc/qemu/bridge.conf does not allow br1. Add the line “allow br1”."));
  vmd_machine_spec_set_host_bridges (fixture->spec, bridges);
  vmd_machine_spec_set_session_bridges (fixture->spec, problems);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_NAT, "default");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NETWORK, VMD_ERROR_INVALID_INPUT,
                      "no virtual networks");
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_BRIDGE, "br1");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NETWORK, VMD_ERROR_PERMISSION_DENIED,
                      "“allow br1”");
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_BRIDGE, "br0");
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_NETWORK);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_USER, NULL);
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_NETWORK);
  /* Back on a system daemon: NAT is fine again. */
  vmd_machine_spec_set_session_bridges (fixture->spec, NULL);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_NAT, "default");
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_NETWORK);
}

static void
test_validate_and_suggest (Fixture       *fixture,
                           gconstpointer  user_data)
{
  const char *taken[] = { "debian11", "debian11-2", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  VmdSpecField field = VMD_SPEC_N_FIELDS;

  g_assert_true (vmd_machine_spec_validate (fixture->spec, &field, &error));
  g_assert_no_error (error);

  vmd_machine_spec_set_taken_names (fixture->spec, taken);
  g_assert_false (vmd_machine_spec_validate (fixture->spec, &field, &error));
  g_assert_cmpint (field, ==, VMD_SPEC_FIELD_NAME);
  name = vmd_machine_spec_suggest_name (fixture->spec);
  g_assert_cmpstr (name, ==, "debian11-3");
  g_clear_pointer (&name, g_free);

  vmd_machine_spec_set_os (fixture->spec, NULL, NULL, TRUE);
  name = vmd_machine_spec_suggest_name (fixture->spec);
  g_assert_cmpstr (name, ==, "generic");
}

/* Assistants' machines log their serial port where libvirt keeps domain logs. */
static void
test_xml_serial_log_dir (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Xml xml;

  vmd_machine_spec_set_serial_log_dir (fixture->spec, "/var/log/libvirt/qemu");
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_FINAL);
  assert_value (&xml, "/domain/devices/serial/log/@file", "/var/log/libvirt/qemu/debian11-serial0.log");
  assert_value (&xml, "/domain/devices/serial/log/@append", "on");
  xml_free (&xml);

  /* A remote host's folder is not known: no log. */
  vmd_machine_spec_set_serial_log_dir (fixture->spec, NULL);
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_FINAL);
  assert_count (&xml, "/domain/devices/serial/log", 0);
  xml_free (&xml);
}

/* The installer's copy: what the assistant changes afterwards changes nothing it makes. */
static void
test_copy (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(VmdMachineSpec) copy = NULL;
  g_autofree char *before = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *after = NULL;

  vmd_machine_spec_set_memory_mib (fixture->spec, 2048);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_BRIDGE, "br0");
  vmd_machine_spec_set_serial_log_dir (fixture->spec, "/var/log/libvirt/qemu");
  before = vmd_machine_spec_to_xml (fixture->spec, VMD_SPEC_PHASE_INSTALL);
  copy = vmd_machine_spec_copy (fixture->spec);
  copied = vmd_machine_spec_to_xml (copy, VMD_SPEC_PHASE_INSTALL);
  g_assert_cmpstr (copied, ==, before);

  vmd_machine_spec_set_name (fixture->spec, "changed");
  vmd_machine_spec_set_memory_mib (fixture->spec, 512);
  g_free (copied);
  copied = vmd_machine_spec_to_xml (copy, VMD_SPEC_PHASE_INSTALL);
  after = vmd_machine_spec_to_xml (fixture->spec, VMD_SPEC_PHASE_INSTALL);
  g_assert_cmpstr (copied, ==, before);
  g_assert_cmpstr (after, !=, before);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

/* A late OS detection replaces the defaults, not what the user chose; the spin buttons bind to
 * the properties, which say when they change. */
static void
test_defaults_keep_user_values (Fixture       *fixture,
                                gconstpointer  user_data)
{
  guint64 memory = 0;
  guint notified = 0;

  g_signal_connect (fixture->spec, "notify::memory-mib", G_CALLBACK (on_notify), &notified);
  vmd_machine_spec_apply_defaults (fixture->spec, 1024, 1, 20, 0);
  vmd_machine_spec_set_vcpus (fixture->spec, 4);                 /* the user's */
  vmd_machine_spec_apply_defaults (fixture->spec, 2048, 2, 30, 1024);
  g_object_get (fixture->spec, "memory-mib", &memory, NULL);
  g_assert_cmpuint (memory, ==, 2048);
  g_assert_cmpuint (vmd_machine_spec_get_vcpus (fixture->spec), ==, 4);
  g_assert_cmpuint (vmd_machine_spec_get_disk_size_gib (fixture->spec), ==, 30);
  g_assert_cmpuint (notified, >=, 1);

  g_object_set (fixture->spec, "memory-mib", (guint64) 3000, NULL);   /* as a binding does */
  vmd_machine_spec_apply_defaults (fixture->spec, 4096, 2, 30, 1024);
  g_assert_cmpuint (vmd_machine_spec_get_memory_mib (fixture->spec), ==, 3000);
}

/* A network that is not there is refused; one that is not running is said to need a start. */
static void
test_check_host_networks (Fixture       *fixture,
                          gconstpointer  user_data)
{
  const char *networks[] = { "default", "isolated", NULL };
  const char *inactive[] = { "default", NULL };

  vmd_machine_spec_set_host_networks (fixture->spec, networks, inactive);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_NAT, "default");
  assert_field_ok (fixture->spec, VMD_SPEC_FIELD_NETWORK);
  g_assert_true (vmd_machine_spec_network_needs_start (fixture->spec));
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_NAT, "isolated");
  g_assert_false (vmd_machine_spec_network_needs_start (fixture->spec));
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_NAT, "nowhere");
  assert_field_error (fixture->spec, VMD_SPEC_FIELD_NETWORK, VMD_ERROR_NOT_FOUND, "“nowhere” does not exist");
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/machine-spec/xml/cdrom-defaults", test_xml_cdrom_defaults);
  ADD ("/machine-spec/xml/kernel-boot", test_xml_kernel_boot);
  ADD ("/machine-spec/xml/kernel-boot-tree", test_xml_kernel_boot_tree);
  ADD ("/machine-spec/xml/import", test_xml_import);
  ADD ("/machine-spec/xml/manual", test_xml_manual);
  ADD ("/machine-spec/xml/networks", test_xml_networks);
  ADD ("/machine-spec/xml/no-virtio", test_xml_no_virtio);
  ADD ("/machine-spec/xml/display-firmware-kvm", test_xml_display_firmware_kvm);
  ADD ("/machine-spec/xml/all-combinations-define", test_xml_all_combinations_define);
  ADD ("/machine-spec/check/name", test_check_name);
  ADD ("/machine-spec/check/media", test_check_media);
  ADD ("/machine-spec/check/media-kernel-boot", test_check_media_kernel_boot);
  ADD ("/machine-spec/check/resources", test_check_resources);
  ADD ("/machine-spec/check/storage", test_check_storage);
  ADD ("/machine-spec/check/network", test_check_network);
  ADD ("/machine-spec/check/network-session", test_check_network_session);
  ADD ("/machine-spec/validate-and-suggest", test_validate_and_suggest);
  ADD ("/machine-spec/xml/serial-log-dir", test_xml_serial_log_dir);
  ADD ("/machine-spec/copy", test_copy);
  ADD ("/machine-spec/defaults-keep-user-values", test_defaults_keep_user_values);
  ADD ("/machine-spec/check/host-networks", test_check_host_networks);
#undef ADD
  return g_test_run ();
}
