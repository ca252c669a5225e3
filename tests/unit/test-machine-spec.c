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
#include <libxml/xpathInternals.h>

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
  xmlXPathRegisterNs (xml.ctx, BAD_CAST "libosinfo", BAD_CAST "http://libosinfo.org/xmlns/libvirt/domain/1.0");
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
  /* The guest agent and SPICE agent channels and a USB tablet, as virt-manager gives. */
  assert_count (&xml, "/domain/devices/channel", 2);
  assert_value (&xml, "/domain/devices/channel[@type='unix']/target/@name", "org.qemu.guest_agent.0");
  assert_value (&xml, "/domain/devices/channel[@type='unix']/target/@type", "virtio");
  assert_value (&xml, "/domain/devices/channel[@type='unix']/source/@mode", "bind");
  assert_value (&xml, "/domain/devices/input[@type='tablet']/@bus", "usb");
  assert_count (&xml, "/domain/devices/redirdev[@bus='usb'][@type='spicevmc']", 2);
  assert_value (&xml, "/domain/devices/controller[@type='usb']/@model", "qemu-xhci");
  assert_count (&xml, "/domain/devices/serial[@type='pty']", 1);
  assert_value (&xml, "/domain/devices/console/target/@type", "serial");
  assert_value (&xml, "/domain/devices/memballoon/@model", "virtio");
  assert_count (&xml, "/domain/os/bios", 0);
  xml_free (&xml);

  /* libosinfo's id in the metadata, as virt-install writes it. */
  vmd_machine_spec_set_os_url (fixture->spec, "http://debian.org/debian/11");
  xml = xml_parse (fixture->spec, VMD_SPEC_PHASE_FINAL);
  assert_value (&xml, "/domain/metadata/libosinfo:libosinfo/libosinfo:os/@id", "http://debian.org/debian/11");
  xml_free (&xml);

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
  /* Without a display: the guest agent only, no SPICE agent, no tablet. */
  assert_count (&xml, "/domain/devices/channel", 1);
  assert_value (&xml, "/domain/devices/channel/target/@name", "org.qemu.guest_agent.0");
  assert_count (&xml, "/domain/devices/input[@type='tablet']", 0);
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

/* --- properties ------------------------------------------------------------------------------ */

/* A property's value from text: an enum's nick, TRUE or FALSE, a number, or the string. */
static void
set_from_text (GObject    *object,
               const char *property,
               const char *text)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_nonnull (pspec);
  g_value_init (&value, pspec->value_type);
  if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      GEnumValue *member = g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM (pspec)->enum_class, text);

      g_assert_nonnull (member);
      g_value_set_enum (&value, member->value);
    }
  else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    g_value_set_boolean (&value, g_str_equal (text, "TRUE"));
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    g_value_set_uint (&value, (guint) g_ascii_strtoull (text, NULL, 10));
  else if (G_IS_PARAM_SPEC_UINT64 (pspec))
    g_value_set_uint64 (&value, g_ascii_strtoull (text, NULL, 10));
  else
    g_value_set_string (&value, text);
  g_object_set_property (object, property, &value);
}

static char *
get_as_text (GObject    *object,
             const char *property)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, property, &value);
  if (G_IS_PARAM_SPEC_ENUM (pspec))
    return g_strdup (g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class,
                                       g_value_get_enum (&value))->value_nick);
  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    return g_strdup (g_value_get_boolean (&value) ? "TRUE" : "FALSE");
  if (G_IS_PARAM_SPEC_UINT (pspec))
    return g_strdup_printf ("%u", g_value_get_uint (&value));
  if (G_IS_PARAM_SPEC_UINT64 (pspec))
    return g_strdup_printf ("%" G_GUINT64_FORMAT, g_value_get_uint64 (&value));
  return g_value_dup_string (&value);
}

/* What a spec said, in order: "notify:NAME" for each property, "changed" for the signal. */
static void
on_any_notify (GObject    *object,
               GParamSpec *pspec,
               GPtrArray  *heard)
{
  g_ptr_array_add (heard, g_strdup_printf ("notify:%s", pspec->name));
}

static void
on_changed (VmdMachineSpec *spec,
            GPtrArray      *heard)
{
  g_ptr_array_add (heard, g_strdup ("changed"));
}

static GPtrArray *
listen (VmdMachineSpec *spec)
{
  GPtrArray *heard = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (spec, "notify", G_CALLBACK (on_any_notify), heard);
  g_signal_connect (spec, "changed", G_CALLBACK (on_changed), heard);
  return heard;
}

static guint
heard_count (GPtrArray  *heard,
             const char *what)
{
  guint n = 0;

  for (guint i = 0; i < heard->len; i++)
    n += g_str_equal (heard->pdata[i], what);
  return n;
}

static const struct {
  const char   *property;
  const char   *value;
  VmdSpecPhase  phase;
  const char   *xpath;       /* where the XML shows it; NULL where it does not */
  const char   *expected;
} round_trips[] = {
  { "name", "web-1", VMD_SPEC_PHASE_FINAL, "/domain/name", "web-1" },
  { "memory-mib", "2048", VMD_SPEC_PHASE_FINAL, "/domain/memory", "2097152" },
  { "vcpus", "3", VMD_SPEC_PHASE_FINAL, "/domain/vcpu", "3" },
  { "disk-size-gib", "7", VMD_SPEC_PHASE_FINAL, NULL, NULL },  /* the volume's, not the domain's */
  { "graphics", "spice-virtio", VMD_SPEC_PHASE_FINAL, "/domain/devices/video/model/@type", "virtio" },
  { "graphics", "none", VMD_SPEC_PHASE_FINAL, "count(/domain/devices/graphics)", "0" },
  { "firmware", "uefi", VMD_SPEC_PHASE_FINAL, "/domain/os/@firmware", "efi" },
  { "kvm", "TRUE", VMD_SPEC_PHASE_FINAL, "/domain/@type", "kvm" },
  { "customize", "TRUE", VMD_SPEC_PHASE_FINAL, NULL, NULL },
  { "network-kind", "bridge", VMD_SPEC_PHASE_FINAL, "/domain/devices/interface/@type", "bridge" },
  { "bridge", "br7", VMD_SPEC_PHASE_FINAL, "/domain/devices/interface/source/@bridge", "br7" },
  { "network-source", "br8", VMD_SPEC_PHASE_FINAL, "/domain/devices/interface/source/@bridge", "br8" },
  { "network-kind", "nat", VMD_SPEC_PHASE_FINAL, "/domain/devices/interface/source/@network", "default" },
  { "network-source", "isolated", VMD_SPEC_PHASE_FINAL, "/domain/devices/interface/source/@network", "isolated" },
  { "network-kind", "user", VMD_SPEC_PHASE_FINAL, "/domain/devices/interface/@type", "user" },
  { "media-path", "/srv/iso/other.iso", VMD_SPEC_PHASE_INSTALL,
    "/domain/devices/disk[@device='cdrom']/source/@file", "/srv/iso/other.iso" },
  { "install-method", "kernel-boot", VMD_SPEC_PHASE_INSTALL, "count(/domain/os/boot)", "0" },
  { "kernel-args", "console=ttyS0", VMD_SPEC_PHASE_INSTALL, "/domain/os/cmdline", "console=ttyS0" },
  { "install-method", "manual", VMD_SPEC_PHASE_INSTALL, "count(/domain/devices/disk[@device='cdrom'])", "0" },
  { "storage-kind", "none", VMD_SPEC_PHASE_FINAL, "count(/domain/devices/disk)", "0" },
  { "storage-kind", "existing", VMD_SPEC_PHASE_FINAL, "count(/domain/devices/disk[@device='disk'])", "1" },
  { "existing-path", "/srv/disks/old.img", VMD_SPEC_PHASE_FINAL,
    "/domain/devices/disk[@device='disk']/source/@file", "/srv/disks/old.img" },
  { "os-id", "win2k", VMD_SPEC_PHASE_FINAL, NULL, NULL },
};

/* Each property the assistant binds: set, it notifies once and says "changed"; read back, it
 * is what was set; the XML shows it; set again to the same value, it is silent. */
static void
test_properties_round_trip (Fixture       *fixture,
                            gconstpointer  user_data)
{
  GObject *object = G_OBJECT (fixture->spec);
  g_autoptr(GPtrArray) heard = listen (fixture->spec);

  /* Where the installer puts them, for the kernel boot's rows. */
  vmd_machine_spec_set_kernel (fixture->spec, "/var/lib/libvirt/boot/k", "/var/lib/libvirt/boot/i");
  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autofree char *notify = g_strdup_printf ("notify:%s", round_trips[i].property);
      g_autofree char *back = NULL;

      g_test_message ("%s = %s", round_trips[i].property, round_trips[i].value);
      g_ptr_array_set_size (heard, 0);
      set_from_text (object, round_trips[i].property, round_trips[i].value);
      g_assert_cmpuint (heard_count (heard, notify), ==, 1);
      g_assert_cmpuint (heard_count (heard, "changed"), ==, 1);
      g_assert_cmpstr (heard->pdata[heard->len - 1], ==, "changed");
      back = get_as_text (object, round_trips[i].property);
      g_assert_cmpstr (back, ==, round_trips[i].value);
      if (round_trips[i].xpath != NULL)
        {
          Xml xml = xml_parse (fixture->spec, round_trips[i].phase);

          assert_value (&xml, round_trips[i].xpath, round_trips[i].expected);
          xml_free (&xml);
        }
      g_ptr_array_set_size (heard, 0);
      set_from_text (object, round_trips[i].property, round_trips[i].value);
      g_assert_cmpuint (heard->len, ==, 0);
    }
  /* The short id names the machine when nobody else has. */
  {
    g_autofree char *name = vmd_machine_spec_suggest_name (fixture->spec);

    g_assert_cmpstr (name, ==, "win2k");
  }
}

/* Every property a binding may write notifies only by hand, when its value changes. */
static void
test_properties_explicit_notify (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  guint n = 0;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (fixture->spec), &n);

  g_assert_cmpuint (n, >=, 18);
  for (guint i = 0; i < n; i++)
    {
      g_test_message ("%s", pspecs[i]->name);
      g_assert_true (pspecs[i]->flags & G_PARAM_EXPLICIT_NOTIFY);
    }
}

/* A setter of several fields notifies them once all are set: a handler sees the whole change,
 * and "changed" comes after every notify. */
typedef struct {
  VmdMachineSpec *spec;
  char           *source_seen;
  char           *path_seen;
} Seen;

static void
on_kind_notify (VmdMachineSpec *spec,
                GParamSpec     *pspec,
                Seen           *seen)
{
  g_free (seen->source_seen);
  g_free (seen->path_seen);
  seen->source_seen = g_strdup (vmd_machine_spec_get_network_source (spec));
  seen->path_seen = g_strdup (vmd_machine_spec_get_existing_path (spec));
}

static void
on_os_notify (VmdMachineSpec *spec,
              GParamSpec     *pspec,
              gboolean       *virtio)
{
  *virtio = vmd_machine_spec_get_virtio (spec);
}

static void
test_properties_notify_whole_change (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  Seen seen = { fixture->spec, NULL, NULL };
  gboolean virtio_seen = TRUE;
  g_autoptr(GPtrArray) heard = listen (fixture->spec);

  g_signal_connect (fixture->spec, "notify::network-kind", G_CALLBACK (on_kind_notify), &seen);
  g_signal_connect (fixture->spec, "notify::storage-kind", G_CALLBACK (on_kind_notify), &seen);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_BRIDGE, "br0");
  g_assert_cmpstr (seen.source_seen, ==, "br0");
  g_assert_cmpuint (heard_count (heard, "notify:network-kind"), ==, 1);
  g_assert_cmpuint (heard_count (heard, "notify:network-source"), ==, 1);
  g_assert_cmpuint (heard_count (heard, "notify:bridge"), ==, 1);
  g_assert_cmpuint (heard_count (heard, "changed"), ==, 1);
  g_assert_cmpstr (heard->pdata[heard->len - 1], ==, "changed");

  g_ptr_array_set_size (heard, 0);
  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_EXISTING, "/srv/disks/a.img", 0);
  g_assert_cmpstr (seen.path_seen, ==, "/srv/disks/a.img");
  g_assert_cmpuint (heard_count (heard, "changed"), ==, 1);
  g_assert_cmpstr (heard->pdata[heard->len - 1], ==, "changed");

  /* An OS without virtio drivers: its notify already sees that. */
  g_signal_connect (fixture->spec, "notify::os-id", G_CALLBACK (on_os_notify), &virtio_seen);
  vmd_machine_spec_set_os (fixture->spec, "win2k", "Microsoft Windows 2000", FALSE);
  g_assert_false (virtio_seen);
  g_free (seen.source_seen);
  g_free (seen.path_seen);
}

/* Each network kind keeps its own source: a bridge typed stays while NAT is tried. */
static void
test_properties_network_sources (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_BRIDGE, "br0");
  vmd_machine_spec_set_network_kind (fixture->spec, VMD_NETWORK_NAT);
  g_assert_cmpstr (vmd_machine_spec_get_network_source (fixture->spec), ==, "default");
  vmd_machine_spec_set_network_kind (fixture->spec, VMD_NETWORK_USER);
  g_assert_null (vmd_machine_spec_get_network_source (fixture->spec));
  vmd_machine_spec_set_network_kind (fixture->spec, VMD_NETWORK_BRIDGE);
  g_assert_cmpstr (vmd_machine_spec_get_network_source (fixture->spec), ==, "br0");
  /* A bridge chosen while another kind is on changes nothing made. */
  vmd_machine_spec_set_network_kind (fixture->spec, VMD_NETWORK_NAT);
  vmd_machine_spec_set_bridge (fixture->spec, "br1");
  g_assert_cmpstr (vmd_machine_spec_get_network_source (fixture->spec), ==, "default");
  /* The empty string is no value. */
  vmd_machine_spec_set_name (fixture->spec, "");
  g_assert_null (vmd_machine_spec_get_name (fixture->spec));
}

/* Import brings its own disk; leaving it gives back the storage chosen before. */
static void
test_properties_import_storage (Fixture       *fixture,
                                gconstpointer  user_data)
{
  vmd_machine_spec_set_storage_kind (fixture->spec, VMD_STORAGE_NONE);
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_IMPORT);
  g_assert_cmpint (vmd_machine_spec_get_storage_kind (fixture->spec), ==, VMD_STORAGE_EXISTING);
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_MANUAL);
  g_assert_cmpint (vmd_machine_spec_get_storage_kind (fixture->spec), ==, VMD_STORAGE_NONE);
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_CDROM);
  g_assert_cmpint (vmd_machine_spec_get_storage_kind (fixture->spec), ==, VMD_STORAGE_NONE);
}

/* The name follows the OS until the user gives one; a name of the user's, or none, stays. */
static void
test_suggested_name (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(VmdMachineSpec) spec = vmd_machine_spec_new ();
  const char *taken[] = { "debian11", NULL };

  vmd_machine_spec_apply_suggested_name (spec);
  g_assert_cmpstr (vmd_machine_spec_get_name (spec), ==, "generic");
  g_assert_true (vmd_machine_spec_name_is_suggested (spec));
  vmd_machine_spec_set_os (spec, "debian11", "Debian 11", TRUE);
  vmd_machine_spec_set_taken_names (spec, taken);
  vmd_machine_spec_apply_suggested_name (spec);
  g_assert_cmpstr (vmd_machine_spec_get_name (spec), ==, "debian11-2");

  g_object_set (spec, "name", "mine", NULL);                 /* as the entry's binding does */
  g_assert_false (vmd_machine_spec_name_is_suggested (spec));
  vmd_machine_spec_set_os (spec, "fedora36", "Fedora 36", TRUE);
  vmd_machine_spec_apply_suggested_name (spec);
  g_assert_cmpstr (vmd_machine_spec_get_name (spec), ==, "mine");
  g_object_set (spec, "name", "", NULL);
  vmd_machine_spec_apply_suggested_name (spec);
  g_assert_null (vmd_machine_spec_get_name (spec));
  g_assert_false (vmd_machine_spec_name_is_suggested (spec));
}

static char *
xml_of (VmdMachineSpec *spec)
{
  g_autofree char *install = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_INSTALL);
  g_autofree char *final = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_FINAL);

  return g_strconcat (install, final, NULL);
}

/* Every property of the copy equals the original's at the time of the copy. */
static void
assert_same_properties (VmdMachineSpec *a,
                        VmdMachineSpec *b)
{
  guint n = 0;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *left = get_as_text (G_OBJECT (a), pspecs[i]->name);
      g_autofree char *right = get_as_text (G_OBJECT (b), pspecs[i]->name);

      g_assert_cmpstr (left, ==, right);
    }
}

/* The installer's copy, taken at Finish: what the assistant changes afterwards, in any field,
 * changes nothing it makes; and the copy itself cannot be changed. */
static void
test_copy (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(VmdMachineSpec) copy = NULL;
  g_autoptr(VmdMachineSpec) before = NULL;
  g_autofree char *xml_before = NULL;
  g_autofree char *xml_copy = NULL;
  g_autofree char *xml_after = NULL;

  vmd_machine_spec_set_memory_mib (fixture->spec, 2048);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_BRIDGE, "br0");
  vmd_machine_spec_set_serial_log_dir (fixture->spec, "/var/log/libvirt/qemu");
  vmd_machine_spec_set_customize (fixture->spec, TRUE);
  xml_before = xml_of (fixture->spec);
  copy = vmd_machine_spec_copy (fixture->spec);
  before = vmd_machine_spec_copy (fixture->spec);
  g_assert_true (vmd_machine_spec_is_frozen (copy));
  g_assert_false (vmd_machine_spec_is_frozen (fixture->spec));
  assert_same_properties (copy, fixture->spec);
  xml_copy = xml_of (copy);
  g_assert_cmpstr (xml_copy, ==, xml_before);

  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    set_from_text (G_OBJECT (fixture->spec), round_trips[i].property, round_trips[i].value);
  vmd_machine_spec_set_serial_log_dir (fixture->spec, NULL);
  g_clear_pointer (&xml_copy, g_free);
  xml_copy = xml_of (copy);
  xml_after = xml_of (fixture->spec);
  g_assert_cmpstr (xml_copy, ==, xml_before);
  g_assert_cmpstr (xml_after, !=, xml_before);
  assert_same_properties (copy, before);

  /* A worker's copy refuses every change. */
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*writable*");
  vmd_machine_spec_set_name (copy, "changed");
  g_test_assert_expected_messages ();
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*writable*");
  g_object_set (copy, "vcpus", 8, NULL);
  g_test_assert_expected_messages ();
  assert_same_properties (copy, before);
}

/* The checks follow the properties: set through a binding (g_object_set), each field's answer
 * changes with its value, already in the handlers of the notify that says so. */
typedef struct {
  VmdSpecField field;
  gboolean     ok;
  guint        calls;
} FieldSeen;

static void
on_notify_check (VmdMachineSpec *spec,
                 GParamSpec     *pspec,
                 FieldSeen      *seen)
{
  seen->ok = vmd_machine_spec_check_field (spec, seen->field, NULL);
  seen->calls++;
}

static const struct {
  const char   *property;
  const char   *value;
  VmdSpecField  field;
  gboolean      ok;
} field_steps[] = {
  { "memory-mib", "0", VMD_SPEC_FIELD_MEMORY, FALSE },
  { "memory-mib", "512", VMD_SPEC_FIELD_MEMORY, TRUE },
  { "vcpus", "0", VMD_SPEC_FIELD_CPUS, FALSE },
  { "vcpus", "2", VMD_SPEC_FIELD_CPUS, TRUE },
  { "name", "a b", VMD_SPEC_FIELD_NAME, FALSE },
  { "name", "ab", VMD_SPEC_FIELD_NAME, TRUE },
  { "name", "", VMD_SPEC_FIELD_NAME, FALSE },
  { "name", "web", VMD_SPEC_FIELD_NAME, FALSE },             /* taken */
  { "name", "web-9", VMD_SPEC_FIELD_NAME, TRUE },
  { "media-path", "/nonexistent/x.iso", VMD_SPEC_FIELD_MEDIA, FALSE },
  { "install-method", "manual", VMD_SPEC_FIELD_MEDIA, TRUE },
  { "install-method", "kernel-boot", VMD_SPEC_FIELD_MEDIA, FALSE },
  { "media-path", "http://example.org/tree/", VMD_SPEC_FIELD_MEDIA, FALSE },
  { "disk-size-gib", "0", VMD_SPEC_FIELD_STORAGE, FALSE },
  { "disk-size-gib", "2", VMD_SPEC_FIELD_STORAGE, TRUE },
  { "storage-kind", "existing", VMD_SPEC_FIELD_STORAGE, FALSE },
  { "existing-path", "/nonexistent/old.img", VMD_SPEC_FIELD_STORAGE, FALSE },
  { "storage-kind", "none", VMD_SPEC_FIELD_STORAGE, TRUE },
  { "network-kind", "bridge", VMD_SPEC_FIELD_NETWORK, FALSE },  /* no bridge yet */
  { "bridge", "br9", VMD_SPEC_FIELD_NETWORK, FALSE },           /* not on this host */
  { "bridge", "br0", VMD_SPEC_FIELD_NETWORK, TRUE },
  { "network-kind", "nat", VMD_SPEC_FIELD_NETWORK, TRUE },
  { "network-source", "nowhere", VMD_SPEC_FIELD_NETWORK, FALSE },
  { "network-kind", "none", VMD_SPEC_FIELD_NETWORK, TRUE },
};

static void
test_check_follows_properties (Fixture       *fixture,
                               gconstpointer  user_data)
{
  const char *taken[] = { "web", NULL };
  const char *bridges[] = { "br0", NULL };
  const char *networks[] = { "default", NULL };

  vmd_machine_spec_set_taken_names (fixture->spec, taken);
  vmd_machine_spec_set_host_bridges (fixture->spec, bridges);
  vmd_machine_spec_set_host_networks (fixture->spec, networks, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (field_steps); i++)
    {
      g_autofree char *signal = g_strdup_printf ("notify::%s", field_steps[i].property);
      FieldSeen seen = { field_steps[i].field, !field_steps[i].ok, 0 };
      gulong id = g_signal_connect (fixture->spec, signal, G_CALLBACK (on_notify_check), &seen);

      g_test_message ("%s = %s", field_steps[i].property, field_steps[i].value);
      set_from_text (G_OBJECT (fixture->spec), field_steps[i].property, field_steps[i].value);
      g_signal_handler_disconnect (fixture->spec, id);
      g_assert_cmpuint (seen.calls, ==, 1);
      g_assert_cmpint (seen.ok, ==, field_steps[i].ok);
      g_assert_cmpint (vmd_machine_spec_check_field (fixture->spec, field_steps[i].field, NULL), ==,
                       field_steps[i].ok);
    }
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
  ADD ("/machine-spec/properties/round-trip", test_properties_round_trip);
  ADD ("/machine-spec/properties/explicit-notify", test_properties_explicit_notify);
  ADD ("/machine-spec/properties/notify-whole-change", test_properties_notify_whole_change);
  ADD ("/machine-spec/properties/network-sources", test_properties_network_sources);
  ADD ("/machine-spec/properties/import-storage", test_properties_import_storage);
  ADD ("/machine-spec/suggested-name", test_suggested_name);
  ADD ("/machine-spec/check/follows-properties", test_check_follows_properties);
  ADD ("/machine-spec/defaults-keep-user-values", test_defaults_keep_user_values);
  ADD ("/machine-spec/check/host-networks", test_check_host_networks);
#undef ADD
  return g_test_run ();
}
