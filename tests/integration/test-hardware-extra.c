/* Add Hardware's other kinds on a real libvirtd and QEMU (TCG): the kinds the table calls
 * hot-pluggable attached to the running tiny guest through
 * vmd_machine_details_attach_device_async (a SCSI controller, the guest agent channel, RNG,
 * watchdog, virtio keyboard, USB tablet), each then in the live and in the persistent
 * definition; one it calls not hot-pluggable (sound) refused live by libvirt with the persistent
 * definition unchanged, then added for the next boot (persistent only, with a note). */
#include "config.h"

#include <string.h>

#include <libvirt/libvirt.h>

#include "vmd-device-extra-xml.h"
#include "vmd-error.h"
#include "vmd-guest-fixture.h"
#include "vmd-machine-details.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

typedef VmdGuestFixture Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *xml = NULL;
  virDomainPtr domain;

  vmd_guest_fixture_set_up (fixture, "vmdesk-hwextra");
  xml = vmd_guest_fixture_domain_xml (fixture, 1);
  domain = virDomainDefineXML (fixture->handle, xml);
  g_assert_nonnull (domain);
  virDomainFree (domain);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  vmd_guest_fixture_tear_down (fixture);
}

static gboolean
finish_edit (VmdMachineDetails  *details,
             GAsyncResult      **result,
             GError            **error)
{
  gboolean ok;

  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, result, 60000));
  ok = vmd_machine_details_edit_finish (details, *result, NULL, error);
  g_clear_object (result);
  return ok;
}

static gboolean
machine_known (gpointer user_data)
{
  return vmd_guest_fixture_find (user_data) != NULL;
}

static void
start_guest (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  VmdMachine *machine;

  g_assert_true (vmd_test_wait_until (machine_known, fixture, 2000));
  g_assert_true (vmd_guest_fixture_wait_for_state (fixture, VMD_MACHINE_STATE_SHUT_OFF, 2000));
  machine = vmd_guest_fixture_find (fixture);
  vmd_machine_run_action_async (machine, VMD_MACHINE_ACTION_START, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 30000));
  vmd_machine_run_action_finish (machine, result, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_guest_fixture_wait_for_state (fixture, VMD_MACHINE_STATE_RUNNING, 2000));
  g_assert_true (vmd_guest_fixture_wait_for_banner (fixture->serial_log, 90000));
}

static char *
domain_xml (Fixture      *fixture,
            unsigned int  flags)
{
  virDomainPtr domain = virDomainLookupByName (fixture->handle, fixture->name);
  char *xml = virDomainGetXMLDesc (domain, flags);
  char *copy = g_strdup (xml);

  free (xml);
  virDomainFree (domain);
  return copy;
}

static guint
count (Fixture      *fixture,
       unsigned int  flags,
       const char   *expr)
{
  g_autofree char *text = domain_xml (fixture, flags);
  g_autoptr(VmdXml) xml = vmd_xml_parse (text, NULL);
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (xml, NULL, expr);

  return nodes->len;
}

typedef struct {
  VmdDeviceKind  kind;
  char          *xml;
  const char    *where;
} Live;

static void
live_free (gpointer data)
{
  g_free (((Live *) data)->xml);
  g_free (data);
}

static GPtrArray *
live_cases (void)
{
  GPtrArray *cases = g_ptr_array_new_with_free_func (live_free);
#define LIVE(k, x, w) G_STMT_START { \
    Live *l = g_new0 (Live, 1); \
    *l = (Live) { k, x, w }; \
    g_assert_nonnull (l->xml); \
    g_ptr_array_add (cases, l); } G_STMT_END

  LIVE (VMD_DEVICE_KIND_CONTROLLER, vmd_controller_device_xml (&(VmdControllerSpec) { "scsi", NULL }, NULL),
        "/domain/devices/controller[@type='scsi' and @model='virtio-scsi']");
  LIVE (VMD_DEVICE_KIND_CHANNEL, vmd_channel_device_xml (&(VmdChannelSpec) { VMD_CHANNEL_GUEST_AGENT }, NULL),
        "/domain/devices/channel[target/@name='org.qemu.guest_agent.0']");
  LIVE (VMD_DEVICE_KIND_RNG, vmd_rng_device_xml (&(VmdRngSpec) { NULL }, NULL),
        "/domain/devices/rng[backend='/dev/urandom']");
  LIVE (VMD_DEVICE_KIND_WATCHDOG, vmd_watchdog_device_xml (&(VmdWatchdogSpec) { "i6300esb", "reset" }, NULL),
        "/domain/devices/watchdog[@model='i6300esb']");
  LIVE (VMD_DEVICE_KIND_INPUT, vmd_input_device_xml (&(VmdInputSpec) { "keyboard", "virtio" }, NULL),
        "/domain/devices/input[@type='keyboard' and @bus='virtio']");
  LIVE (VMD_DEVICE_KIND_INPUT, vmd_input_device_xml (&(VmdInputSpec) { "tablet", "usb" }, NULL),
        "/domain/devices/input[@type='tablet' and @bus='usb']");
#undef LIVE
  return cases;
}

static void
test_hotplug (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GPtrArray) cases = live_cases ();
  g_autoptr(VmdMachineDetails) details = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *serial_controller = vmd_controller_device_xml (&(VmdControllerSpec) { "virtio-serial", NULL }, NULL);
  g_autofree char *sound = vmd_sound_device_xml (&(VmdSoundSpec) { "ich9" }, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *note = NULL;

  g_assert_true (vmd_test_wait_until (machine_known, fixture, 2000));
  details = vmd_machine_details_new (vmd_guest_fixture_find (fixture));
  vmd_machine_details_reload_async (details, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, &error));
  /* A channel goes live only onto a virtio-serial controller, which libvirt cannot hot-plug:
   * added while the machine is off, as the assistant's machines have it. */
  vmd_machine_details_attach_device_async (details, serial_controller, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, &error));
  start_guest (fixture);
  for (guint i = 0; i < cases->len; i++)
    {
      Live *l = cases->pdata[i];

      g_assert_true (l->kind == VMD_DEVICE_KIND_CONTROLLER ||
                     vmd_device_kind_hotpluggable (l->kind));
      vmd_machine_details_attach_device_async (details, l->xml, NULL, vmd_test_store_result, &result);
      if (!finish_edit (details, &result, &error))
        g_error ("%s refused live: %s", l->xml, error->message);
      g_assert_cmpuint (count (fixture, 0, l->where), ==, 1);
      g_assert_cmpuint (count (fixture, VIR_DOMAIN_XML_INACTIVE, l->where), ==, 1);
      g_test_message ("live and persistent: %s", l->xml);
    }

  g_assert_true (vmd_controller_spec_hotpluggable (&(VmdControllerSpec) { "scsi", NULL }));
  g_assert_false (vmd_device_kind_hotpluggable (VMD_DEVICE_KIND_SOUND));
  before = domain_xml (fixture, VIR_DOMAIN_XML_INACTIVE);
  vmd_machine_details_attach_device_async (details, sound, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, &error));
  g_test_message ("sound refused live: %s", error->message);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_LIBVIRT);
  after = domain_xml (fixture, VIR_DOMAIN_XML_INACTIVE);
  g_assert_cmpstr (after, ==, before);
  g_clear_error (&error);

  /* For the next boot instead: in the definition, not in the running machine, and said so. */
  vmd_machine_details_add_hardware_async (details, sound, VMD_HW_ATTACH_NEXT_BOOT, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 60000));
  g_assert_true (vmd_machine_details_edit_finish (details, result, &note, &error));
  g_assert_no_error (error);
  g_assert_nonnull (note);
  g_test_message ("note: %s", note);
  g_assert_cmpuint (count (fixture, VIR_DOMAIN_XML_INACTIVE, "/domain/devices/sound[@model='ich9']"), ==, 1);
  g_assert_cmpuint (count (fixture, 0, "/domain/devices/sound"), ==, 0);
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_test_add ("/integration/hardware-extra/hotplug", Fixture, NULL,
              fixture_set_up, test_hotplug, fixture_tear_down);
  return g_test_run ();
}
