/* Add Hardware's device kinds besides storage, network, shared folders and TPM, on libvirt's
 * test driver: each kind's XML compared element by element, attached to a machine through
 * vmd_machine_details_attach_device_async and read back from libvirt; the host's USB and PCI
 * devices listed from the test driver's node devices (this machine has none to pass through);
 * bad inputs refused with a message naming the field, the definition unchanged. */
#include "config.h"

#include <string.h>

#include <libvirt/libvirt.h>

#include "vmd-device-extra-xml.h"
#include "vmd-error.h"
#include "vmd-machine-details.h"
#include "vmd-node-devices.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

typedef struct {
  VmdConnection *connection;
  virConnectPtr  handle;
  GPtrArray     *host_devices;
} Fixture;

static GPtrArray *
list_host_devices (VmdConnection *connection)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *devices;

  vmd_node_devices_list_async (connection, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  devices = vmd_node_devices_list_finish (connection, result, &error);
  g_assert_no_error (error);
  return devices;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *uri = vmd_test_data_uri ("devices.xml");
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_test_open_connection (uri, 1000, &error);
  g_assert_no_error (error);
  g_object_get (vmd_connection_get_gvir (fixture->connection), "handle", &fixture->handle, NULL);
  fixture->host_devices = list_host_devices (fixture->connection);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->host_devices, g_ptr_array_unref);
  virConnectClose (fixture->handle);
  g_clear_object (&fixture->connection);
}

/* The inactive definition as libvirt holds it, read past our code, passwords included. */
static char *
libvirt_xml (Fixture    *fixture,
             const char *name)
{
  virDomainPtr domain = virDomainLookupByName (fixture->handle, name);
  char *xml;
  char *copy;

  g_assert_nonnull (domain);
  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
  virDomainFree (domain);
  g_assert_nonnull (xml);
  copy = g_strdup (xml);
  free (xml);
  return copy;
}

/* Each pair: an XPath over the document and the string it must give ("" for "exists"). */
static void
assert_elements (const char        *document,
                 const char *const *pairs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdXml) xml = vmd_xml_parse (document, &error);

  g_assert_no_error (error);
  for (guint i = 0; pairs[i] != NULL; i += 2)
    {
      g_autofree char *value = vmd_xml_string (xml, NULL, pairs[i]);

      if (*pairs[i + 1] == '\0')
        {
          if (!vmd_xml_exists (xml, NULL, pairs[i]))
            g_error ("%s is not in\n%s", pairs[i], document);
        }
      else if (g_strcmp0 (value, pairs[i + 1]) != 0)
        g_error ("%s is “%s”, not “%s”, in\n%s", pairs[i], value, pairs[i + 1], document);
    }
}

/* --- the host's devices ------------------------------------------------------------------------ */

/* test:///default has node devices, but only the computer and SCSI hosts: none to pass through. */
static void
test_default_node_devices (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdConnection) connection = vmd_test_open_connection ("test:///default", 1000, &error);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(VmdNodeDevice) computer = NULL;

  g_assert_no_error (error);
  devices = list_host_devices (connection);
  g_assert_cmpuint (devices->len, ==, 0);
  computer = vmd_node_device_parse ("<device><name>computer</name><capability type='system'/></device>", &error);
  g_assert_null (computer);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE);
}

static void
test_list_node_devices (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const char *names[] = { "pci_0000_00_19_0", "pci_0000_03_00_0", "pci_0000_04_00_1", "usb_1_2", "usb_1_3",
                          "usb_2_4" };
  const VmdNodeDevice *nic;
  const VmdNodeDevice *mouse;
  g_autofree char *nic_text = NULL;
  g_autofree char *mouse_text = NULL;

  g_assert_cmpuint (fixture->host_devices->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (((VmdNodeDevice *) fixture->host_devices->pdata[i])->name, ==, names[i]);
  nic = vmd_node_devices_find (fixture->host_devices, "pci_0000_03_00_0");
  g_assert_cmpint (nic->kind, ==, VMD_NODE_DEVICE_PCI);
  g_assert_cmpstr (nic->vendor_id, ==, "0x8086");
  g_assert_cmpstr (nic->product_id, ==, "0x10d3");
  g_assert_cmpuint (nic->pci_bus, ==, 3);
  nic_text = vmd_node_device_describe (nic);
  g_assert_cmpstr (nic_text, ==, "Intel Corporation 82574L Gigabit Network Connection (0000:03:00.0)");
  mouse = vmd_node_devices_find (fixture->host_devices, "usb_2_4");
  g_assert_cmpint (mouse->kind, ==, VMD_NODE_DEVICE_USB);
  g_assert_cmpstr (mouse->vendor_name, ==, "Logitech, Inc.");
  mouse_text = vmd_node_device_describe (mouse);
  g_assert_cmpstr (mouse_text, ==, "Logitech, Inc. M105 Optical Mouse (002:004)");
  g_assert_null (vmd_node_devices_find (fixture->host_devices, "usb_9_9"));
}

/* The test driver keeps no host driver (sysfs tells the real one): libvirt's own format is parsed
 * here, as nodedev-dumpxml prints it for a NIC the host uses and one given to vfio-pci. */
#define PCI_XML(driver) \
  "<device><name>pci_0000_00_1f_6</name><path>/sys/devices/pci0000:00/0000:00:1f.6</path>" \
  "<parent>computer</parent><driver><name>" driver "</name></driver><capability type='pci'>" \
  "<class>0x020000</class><domain>0</domain><bus>0</bus><slot>31</slot><function>6</function>" \
  "<product id='0x15bb'>Ethernet Connection (7) I219-LM</product><vendor id='0x8086'>Intel Corporation</vendor>" \
  "<iommuGroup number='9'><address domain='0x0000' bus='0x00' slot='0x1f' function='0x6'/></iommuGroup>" \
  "</capability></device>"

static void
test_pci_host_driver (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdNodeDevice) used = vmd_node_device_parse (PCI_XML ("e1000e"), &error);
  g_autoptr(VmdNodeDevice) free_one = vmd_node_device_parse (PCI_XML ("vfio-pci"), &error);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  VmdHostdevSpec spec = { "pci_0000_00_1f_6" };
  g_autofree char *xml = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (used->driver, ==, "e1000e");
  g_assert_cmpuint (used->pci_slot, ==, 31);
  g_ptr_array_add (list, used);
  g_assert_null (vmd_hostdev_device_xml (&spec, list, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "e1000e"));
  g_assert_nonnull (strstr (error->message, "virsh nodedev-detach pci_0000_00_1f_6"));
  g_clear_error (&error);
  g_ptr_array_index (list, 0) = free_one;
  xml = vmd_hostdev_device_xml (&spec, list, &error);
  g_assert_no_error (error);
  assert_elements (xml, (const char *[]) { "/hostdev/@type", "pci", "/hostdev/@managed", "yes",
                                          "/hostdev/source/address/@slot", "0x1f",
                                          "/hostdev/source/address/@function", "0x6", NULL });
}

/* --- each kind's XML --------------------------------------------------------------------------- */

typedef struct {
  VmdDeviceKind  kind;
  char          *xml;
  const char    *where;       /* where it is in the domain's definition, and what it must hold */
  const char    *checks[9];
} Case;

static void
case_free (gpointer data)
{
  g_free (((Case *) data)->xml);
  g_free (data);
}

static GPtrArray *
all_cases (GPtrArray *host_devices)
{
  GPtrArray *cases = g_ptr_array_new_with_free_func (case_free);
  GError *error = NULL;
#define CASE(k, x, w, ...) G_STMT_START { \
    Case *c = g_new0 (Case, 1); \
    *c = (Case) { k, x, w, { __VA_ARGS__, NULL } }; \
    g_assert_no_error (error); \
    g_ptr_array_add (cases, c); } G_STMT_END

  CASE (VMD_DEVICE_KIND_USB_HOST, vmd_hostdev_device_xml (&(VmdHostdevSpec) { "usb_2_4" }, host_devices, &error),
        "/domain/devices/hostdev[@type='usb']", "source/vendor/@id", "0x046d", "source/product/@id", "0xc077");
  CASE (VMD_DEVICE_KIND_USB_HOST, vmd_hostdev_device_xml (&(VmdHostdevSpec) { "usb_1_3" }, host_devices, &error),
        "/domain/devices/hostdev[source/address/@device='3']", "source/vendor/@id", "0x0781", "source/address/@bus", "1");
  CASE (VMD_DEVICE_KIND_PCI_HOST, vmd_hostdev_device_xml (&(VmdHostdevSpec) { "pci_0000_03_00_0" }, host_devices, &error),
        "/domain/devices/hostdev[@type='pci']", "@managed", "yes", "source/address/@bus", "0x03",
        "source/address/@slot", "0x00");
  CASE (VMD_DEVICE_KIND_USB_REDIRECTION, vmd_usb_redirection_device_xml (),
        "/domain/devices/redirdev", "@bus", "usb", "@type", "spicevmc");
  CASE (VMD_DEVICE_KIND_CHANNEL, vmd_channel_device_xml (&(VmdChannelSpec) { VMD_CHANNEL_GUEST_AGENT }, &error),
        "/domain/devices/channel[@type='unix']", "target/@type", "virtio", "target/@name", "org.qemu.guest_agent.0");
  CASE (VMD_DEVICE_KIND_CHANNEL, vmd_channel_device_xml (&(VmdChannelSpec) { VMD_CHANNEL_SPICE_AGENT }, &error),
        "/domain/devices/channel[@type='spicevmc']", "target/@name", "com.redhat.spice.0");
  CASE (VMD_DEVICE_KIND_SERIAL, vmd_char_device_xml (&(VmdCharSpec) { "serial", NULL }, &error),
        "/domain/devices/serial", "@type", "pty");
  CASE (VMD_DEVICE_KIND_PARALLEL, vmd_char_device_xml (&(VmdCharSpec) { "parallel", NULL }, &error),
        "/domain/devices/parallel", "@type", "pty");
  CASE (VMD_DEVICE_KIND_CONSOLE, vmd_char_device_xml (&(VmdCharSpec) { "console", "virtio" }, &error),
        "/domain/devices/console[target/@type='virtio']", "@type", "pty");
  CASE (VMD_DEVICE_KIND_SOUND, vmd_sound_device_xml (&(VmdSoundSpec) { "ich9" }, &error),
        "/domain/devices/sound", "@model", "ich9");
  CASE (VMD_DEVICE_KIND_WATCHDOG, vmd_watchdog_device_xml (&(VmdWatchdogSpec) { "i6300esb", "inject-nmi" }, &error),
        "/domain/devices/watchdog", "@model", "i6300esb", "@action", "inject-nmi");
  CASE (VMD_DEVICE_KIND_RNG, vmd_rng_device_xml (&(VmdRngSpec) { NULL }, &error),
        "/domain/devices/rng", "@model", "virtio", "backend/@model", "random", "backend", "/dev/urandom");
  CASE (VMD_DEVICE_KIND_VIDEO, vmd_video_device_xml (&(VmdVideoSpec) { "bochs" }, &error),
        "/domain/devices/video", "model/@type", "bochs");
  CASE (VMD_DEVICE_KIND_INPUT, vmd_input_device_xml (&(VmdInputSpec) { "keyboard", "virtio" }, &error),
        "/domain/devices/input[@type='keyboard' and @bus='virtio']", "@type", "keyboard");
  CASE (VMD_DEVICE_KIND_GRAPHICS, vmd_graphics_device_xml (&(VmdGraphicsSpec) { "vnc", "127.0.0.1", "s3cr<t" }, &error),
        "/domain/devices/graphics[@type='vnc']", "@passwd", "s3cr<t", "listen/@type", "address",
        "listen/@address", "127.0.0.1");
  CASE (VMD_DEVICE_KIND_GRAPHICS, vmd_graphics_device_xml (&(VmdGraphicsSpec) { "spice", "none", NULL }, &error),
        "/domain/devices/graphics[@type='spice']", "listen/@type", "none");
  CASE (VMD_DEVICE_KIND_CONTROLLER, vmd_controller_device_xml (&(VmdControllerSpec) { "usb", "ich9-ehci1" }, &error),
        "/domain/devices/controller[@type='usb']", "@model", "ich9-ehci1");
  CASE (VMD_DEVICE_KIND_CONTROLLER, vmd_controller_device_xml (&(VmdControllerSpec) { "scsi", NULL }, &error),
        "/domain/devices/controller[@type='scsi']", "@model", "virtio-scsi");
  CASE (VMD_DEVICE_KIND_CONTROLLER, vmd_controller_device_xml (&(VmdControllerSpec) { "virtio-serial", NULL }, &error),
        "/domain/devices/controller[@type='virtio-serial']", "@type", "virtio-serial");
  CASE (VMD_DEVICE_KIND_SMARTCARD, vmd_smartcard_device_xml (&(VmdSmartcardSpec) { "passthrough" }, &error),
        "/domain/devices/smartcard", "@mode", "passthrough", "@type", "spicevmc");
#undef CASE
  return cases;
}

/* The element alone, its checks relative to its root. */
static void
test_kind_xml (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GPtrArray) cases = all_cases (fixture->host_devices);

  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = cases->pdata[i];
      g_autoptr(GPtrArray) rooted = g_ptr_array_new_with_free_func (g_free);

      for (guint j = 0; c->checks[j] != NULL; j += 2)
        {
          g_ptr_array_add (rooted, g_strconcat ("/*/", c->checks[j], NULL));
          g_ptr_array_add (rooted, g_strdup (c->checks[j + 1]));
        }
      g_ptr_array_add (rooted, NULL);
      assert_elements (c->xml, (const char *const *) rooted->pdata);
    }
}

/* --- attached through VmdMachineDetails -------------------------------------------------------- */

static gboolean
finish_edit (VmdMachineDetails  *details,
             GAsyncResult      **result,
             GError            **error)
{
  gboolean ok;

  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, result, 5000));
  ok = vmd_machine_details_edit_finish (details, *result, NULL, error);
  g_clear_object (result);
  return ok;
}

static VmdMachineDetails *
load_details (Fixture    *fixture,
              const char *name)
{
  VmdMachine *machine = vmd_connection_find_machine (fixture->connection, name);
  VmdMachineDetails *details;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (machine);
  details = vmd_machine_details_new (machine);
  vmd_machine_details_reload_async (details, NULL, vmd_test_store_result, &result);
  finish_edit (details, &result, &error);
  g_assert_no_error (error);
  return details;
}

static gboolean
attach (VmdMachineDetails  *details,
        const char         *device_xml,
        GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_machine_details_attach_device_async (details, device_xml, NULL, vmd_test_store_result, &result);
  return finish_edit (details, &result, error);
}

/* The device just added is the last one where it belongs; its checks relative to it. */
static void
assert_attached (Fixture    *fixture,
                 const char *machine,
                 const Case *c)
{
  g_autofree char *xml = libvirt_xml (fixture, machine);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (pairs, g_strdup (c->where));
  g_ptr_array_add (pairs, g_strdup (""));
  for (guint j = 0; c->checks[j] != NULL; j += 2)
    {
      g_ptr_array_add (pairs, g_strdup_printf ("(%s)[last()]/%s", c->where, c->checks[j]));
      g_ptr_array_add (pairs, g_strdup (c->checks[j + 1]));
    }
  g_ptr_array_add (pairs, NULL);
  assert_elements (xml, (const char *const *) pairs->pdata);
}

/* Every kind, on a machine that is off: written to its definition. */
static void
test_attach_shut_off (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "hw-off");
  g_autoptr(GPtrArray) cases = all_cases (fixture->host_devices);

  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = cases->pdata[i];
      g_autoptr(GError) error = NULL;

      if (!attach (details, c->xml, &error))
        g_error ("%s refused: %s", c->xml, error->message);
      assert_attached (fixture, "hw-off", c);
    }
}

/* The kinds QEMU can add live, on a running machine: live and persistent when libvirt can. libvirt
 * 9.0's test driver has no live attach at all: each is refused with libvirt's reason and the
 * persistent definition stays as it was (no half change). */
static void
test_attach_running (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "hw-on");
  g_autoptr(GPtrArray) cases = all_cases (fixture->host_devices);
  guint attached = 0;

  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = cases->pdata[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      if (!vmd_device_kind_hotpluggable (c->kind))
        continue;
      before = libvirt_xml (fixture, "hw-on");
      if (attach (details, c->xml, &error))
        {
          assert_attached (fixture, "hw-on", c);
          attached++;
          continue;
        }
      g_test_message ("live %s: %s", c->xml, error->message);
      g_assert_error (error, VMD_ERROR, VMD_ERROR_LIBVIRT);
      after = libvirt_xml (fixture, "hw-on");
      g_assert_cmpstr (after, ==, before);
    }
  g_test_message ("%u hot-pluggable devices attached live on the test driver", attached);
}

/* The kinds that cannot go live, on the running machine for its next boot: each in the
 * persistent definition, the edit's note saying so. */
static void
test_attach_next_boot (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "hw-on");
  g_autoptr(GPtrArray) cases = all_cases (fixture->host_devices);

  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = cases->pdata[i];
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *note = NULL;

      if (vmd_device_kind_hotpluggable (c->kind))
        continue;
      vmd_machine_details_add_hardware_async (details, c->xml, VMD_HW_ATTACH_NEXT_BOOT, NULL, vmd_test_store_result, &result);
      g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
      if (!vmd_machine_details_edit_finish (details, result, &note, &error))
        g_error ("%s refused: %s", c->xml, error->message);
      g_assert_cmpstr (note, ==, "The new device takes effect at the next boot.");
      assert_attached (fixture, "hw-on", c);
    }
}

/* --- bad input --------------------------------------------------------------------------------- */

/* Each refused with its field named, nothing attached: the definition is as it was. */
static void
test_bad_input (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *before = libvirt_xml (fixture, "hw-off");
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdNodeDevice) used = vmd_node_device_parse (PCI_XML ("e1000e"), &error);
  g_autoptr(GPtrArray) with_used = g_ptr_array_new ();
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "hw-off");
  guint count = 0;
  char *xml;

  g_assert_no_error (error);
  /* Borrowed from the fixture's list: this one frees nothing. */
  for (guint i = 0; i < fixture->host_devices->len; i++)
    g_ptr_array_add (with_used, fixture->host_devices->pdata[i]);
  g_ptr_array_add (with_used, used);
#define BAD(code, field, call) G_STMT_START { \
    xml = call; \
    g_assert_null (xml); \
    g_assert_error (error, VMD_ERROR, code); \
    if (strstr (error->message, field) == NULL) \
      g_error ("“%s” does not name %s", error->message, field); \
    g_test_message ("refused: %s", error->message); \
    g_clear_error (&error); \
    count++; } G_STMT_END

  BAD (VMD_ERROR_INVALID_INPUT, "Listen address",
       vmd_graphics_device_xml (&(VmdGraphicsSpec) { "spice", "localhost", NULL }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Listen address",
       vmd_graphics_device_xml (&(VmdGraphicsSpec) { "vnc", "300.1.1.1", NULL }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Password",
       vmd_graphics_device_xml (&(VmdGraphicsSpec) { "vnc", "0.0.0.0", "ninechars" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Password",
       vmd_graphics_device_xml (&(VmdGraphicsSpec) { "spice", "::1", "a\nb" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Display type",
       vmd_graphics_device_xml (&(VmdGraphicsSpec) { "rdp", NULL, NULL }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Watchdog action",
       vmd_watchdog_device_xml (&(VmdWatchdogSpec) { "i6300esb", "explode" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Watchdog model",
       vmd_watchdog_device_xml (&(VmdWatchdogSpec) { "ib700", "reset" }, &error));
  BAD (VMD_ERROR_INVALID_STATE, "e1000e",
       vmd_hostdev_device_xml (&(VmdHostdevSpec) { "pci_0000_00_1f_6" }, with_used, &error));
  BAD (VMD_ERROR_NOT_FOUND, "Host device",
       vmd_hostdev_device_xml (&(VmdHostdevSpec) { "usb_9_9" }, fixture->host_devices, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Host device",
       vmd_hostdev_device_xml (&(VmdHostdevSpec) { "" }, fixture->host_devices, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Video model",
       vmd_video_device_xml (&(VmdVideoSpec) { "cirrus-9000" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Sound model", vmd_sound_device_xml (&(VmdSoundSpec) { "sb16" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Input device",
       vmd_input_device_xml (&(VmdInputSpec) { "joystick", "usb" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Input bus", vmd_input_device_xml (&(VmdInputSpec) { "tablet", "ps2" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "USB controller model",
       vmd_controller_device_xml (&(VmdControllerSpec) { "usb", "piix3-uhci" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Controller type",
       vmd_controller_device_xml (&(VmdControllerSpec) { "ide", NULL }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Smartcard mode",
       vmd_smartcard_device_xml (&(VmdSmartcardSpec) { "emulated" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Random number source",
       vmd_rng_device_xml (&(VmdRngSpec) { "/home/user/entropy" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Device type", vmd_char_device_xml (&(VmdCharSpec) { "serial", "virtio" }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Character device", vmd_char_device_xml (&(VmdCharSpec) { NULL, NULL }, &error));
  BAD (VMD_ERROR_INVALID_INPUT, "Channel", vmd_channel_device_xml (&(VmdChannelSpec) { 7 }, &error));
#undef BAD
  g_assert_cmpuint (count, >=, 10);

  /* What only libvirt can refuse (a PCI slot past 31) is refused whole. */
  g_assert_false (attach (details, "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                                   "<address domain='0x0000' bus='0x00' slot='0x40' function='0x0'/>"
                                   "</source></hostdev>", &error));
  g_test_message ("refused by libvirt: %s", error->message);
  g_clear_error (&error);
  after = libvirt_xml (fixture, "hw-off");
  g_assert_cmpstr (after, ==, before);
}

static void
test_hotpluggable_table (void)
{
  g_assert_true (vmd_device_kind_hotpluggable (VMD_DEVICE_KIND_USB_HOST));
  g_assert_true (vmd_device_kind_hotpluggable (VMD_DEVICE_KIND_CHANNEL));
  g_assert_false (vmd_device_kind_hotpluggable (VMD_DEVICE_KIND_VIDEO));
  g_assert_false (vmd_device_kind_hotpluggable (VMD_DEVICE_KIND_GRAPHICS));
  g_assert_false (vmd_device_kind_hotpluggable (VMD_DEVICE_KIND_SMARTCARD));
  g_assert_true (vmd_controller_spec_hotpluggable (&(VmdControllerSpec) { "scsi", NULL }));
  g_assert_false (vmd_controller_spec_hotpluggable (&(VmdControllerSpec) { "usb", "qemu-xhci" }));
  g_assert_false (vmd_controller_spec_hotpluggable (&(VmdControllerSpec) { "virtio-serial", NULL }));
  g_assert_true (vmd_watchdog_spec_hotpluggable (&(VmdWatchdogSpec) { "i6300esb", "reset" }));
  g_assert_false (vmd_watchdog_spec_hotpluggable (&(VmdWatchdogSpec) { "itco", "reset" }));
}

#define ADD(path, fn) \
  g_test_add ("/device-extra/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_test_add_func ("/device-extra/node-devices/default", test_default_node_devices);
  g_test_add_func ("/device-extra/node-devices/pci-host-driver", test_pci_host_driver);
  g_test_add_func ("/device-extra/hotpluggable", test_hotpluggable_table);
  ADD ("node-devices/list", test_list_node_devices);
  ADD ("xml/each-kind", test_kind_xml);
  ADD ("attach/shut-off", test_attach_shut_off);
  ADD ("attach/running", test_attach_running);
  ADD ("attach/next-boot", test_attach_next_boot);
  ADD ("bad-input", test_bad_input);
  return g_test_run ();
}
