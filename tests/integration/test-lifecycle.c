/* A real libvirtd and QEMU (TCG here): the tiny guest defined, started through VmdMachine, its
 * state and CPU statistics followed, shut down (forced off when ACPI does not reach busybox),
 * and deleted with its disk. */
#include "config.h"

#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-guest-fixture.h"
#include "vmd-test-util.h"

typedef VmdGuestFixture Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  vmd_guest_fixture_set_up (fixture, "vmdesk-it");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  vmd_guest_fixture_tear_down (fixture);
}

static void
run_action (VmdMachine       *machine,
            VmdMachineAction  action)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_machine_run_action_async (machine, action, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 30000));
  vmd_machine_run_action_finish (machine, result, &error);
  g_assert_no_error (error);
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
  return vmd_guest_fixture_find (user_data) == NULL;
}

static void
test_tiny_guest_lifecycle (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *xml = vmd_guest_fixture_domain_xml (fixture, 1);
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
  g_assert_true (vmd_guest_fixture_wait_for_state (fixture, VMD_MACHINE_STATE_SHUT_OFF, 1000));
  machine = vmd_guest_fixture_find (fixture);

  started = g_get_monotonic_time ();
  run_action (machine, VMD_MACHINE_ACTION_START);
  g_assert_true (vmd_guest_fixture_wait_for_state (fixture, VMD_MACHINE_STATE_RUNNING, 1000));
  g_assert_true (vmd_test_wait_until (cpu_busy_and_memory_known, machine, 10000));
  g_test_message ("CPU %.1f%%, memory %" G_GUINT64_FORMAT " KiB",
                  vmd_machine_get_cpu_usage (machine), vmd_machine_get_memory_kib (machine));
  g_assert_cmpuint (vmd_machine_get_memory_kib (machine), ==, 256 * 1024);
  g_assert_true (vmd_guest_fixture_wait_for_banner (fixture->serial_log, 90000));
  g_test_message ("banner after %.1f s", (g_get_monotonic_time () - started) / 1e6);

  /* busybox has no ACPI daemon of its own: give the power button a moment, then force. */
  run_action (machine, VMD_MACHINE_ACTION_SHUTDOWN);
  if (!vmd_guest_fixture_wait_for_state (fixture, VMD_MACHINE_STATE_SHUT_OFF, 5000))
    {
      g_test_message ("ACPI shutdown not honoured by the guest; forcing off");
      run_action (machine, VMD_MACHINE_ACTION_FORCE_OFF);
      g_assert_true (vmd_guest_fixture_wait_for_state (fixture, VMD_MACHINE_STATE_SHUT_OFF, 1000));
    }
  g_assert_cmpfloat (vmd_machine_get_cpu_usage (machine), ==, 0.0);

  vmd_machine_list_disks_async (machine, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  choices = vmd_machine_list_disks_finish (machine, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (choices->len, ==, 1);
  g_assert_true (((VmdDiskChoice *) choices->pdata[0])->deletable);
  g_clear_object (&result);

  vmd_machine_delete_async (machine, paths, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
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
