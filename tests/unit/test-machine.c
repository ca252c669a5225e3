/* VmdMachine against libvirt's test driver: lifecycle, what applies in which state, deletion. */
#include "config.h"

#include <string.h>

#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-test-util.h"

typedef struct {
  VmdConnection *connection;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *uri = vmd_test_data_uri ("machines.xml");
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_test_open_connection (uri, 1000, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->connection);
}

static gboolean
run_action (VmdMachine        *machine,
            VmdMachineAction   action,
            GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_machine_run_action_async (machine, action, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  return vmd_machine_run_action_finish (machine, result, error);
}

typedef struct {
  VmdMachine      *machine;
  VmdMachineState  state;
} StateWait;

static gboolean
state_reached (gpointer user_data)
{
  StateWait *wait = user_data;

  return vmd_machine_get_state (wait->machine) == wait->state;
}

static void
expect_state (VmdMachine      *machine,
              VmdMachineState  state)
{
  StateWait wait = { machine, state };

  /* Events arrive within a second, or the list would lie to the user. */
  g_assert_true (vmd_test_wait_until (state_reached, &wait, 1000));
}

static void
test_lifecycle_follows_events (Fixture       *fixture,
                               gconstpointer  user_data)
{
  VmdMachine *beta = vmd_connection_find_machine (fixture->connection, "beta");
  const struct { VmdMachineAction action; VmdMachineState after; } steps[] = {
    { VMD_MACHINE_ACTION_START,     VMD_MACHINE_STATE_RUNNING },
    { VMD_MACHINE_ACTION_PAUSE,     VMD_MACHINE_STATE_PAUSED },
    { VMD_MACHINE_ACTION_RESUME,    VMD_MACHINE_STATE_RUNNING },
    { VMD_MACHINE_ACTION_REBOOT,    VMD_MACHINE_STATE_RUNNING },
    { VMD_MACHINE_ACTION_SHUTDOWN,  VMD_MACHINE_STATE_SHUT_OFF },
    { VMD_MACHINE_ACTION_START,     VMD_MACHINE_STATE_RUNNING },
    { VMD_MACHINE_ACTION_FORCE_OFF, VMD_MACHINE_STATE_SHUT_OFF },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (run_action (beta, steps[i].action, &error));
      g_assert_no_error (error);
      expect_state (beta, steps[i].after);
    }
}

static void
test_action_that_does_not_apply_fails_cleanly (Fixture       *fixture,
                                               gconstpointer  user_data)
{
  VmdMachine *beta = vmd_connection_find_machine (fixture->connection, "beta");
  g_autoptr(GError) error = NULL;

  g_assert_false (run_action (beta, VMD_MACHINE_ACTION_PAUSE, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "beta"));
  g_assert_cmpint (vmd_machine_get_state (beta), ==, VMD_MACHINE_STATE_SHUT_OFF);
}

static void
test_what_applies_in_each_state (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  /* Columns: start, shutdown, reboot, pause, resume, force-off, delete. */
  const struct { VmdMachineState state; gboolean can[7]; } table[] = {
    { VMD_MACHINE_STATE_RUNNING,   { 0, 1, 1, 1, 0, 1, 1 } },
    { VMD_MACHINE_STATE_PAUSED,    { 0, 0, 0, 0, 1, 1, 1 } },
    { VMD_MACHINE_STATE_SHUT_OFF,  { 1, 0, 0, 0, 0, 0, 1 } },
    { VMD_MACHINE_STATE_CRASHED,   { 1, 0, 0, 0, 0, 0, 1 } },
    { VMD_MACHINE_STATE_SUSPENDED, { 0, 0, 0, 0, 0, 1, 1 } },
    { VMD_MACHINE_STATE_UNKNOWN,   { 0, 0, 0, 0, 0, 0, 0 } },
  };
  VmdMachine *beta = vmd_connection_find_machine (fixture->connection, "beta");

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(VmdMachine) machine = vmd_machine_new (vmd_machine_get_domain (beta), table[i].state);

      for (guint a = 0; a <= VMD_MACHINE_ACTION_DELETE; a++)
        g_assert_cmpint (vmd_machine_can (machine, a), ==, table[i].can[a]);
    }
}

static void
test_state_from_libvirt (void)
{
  g_assert_cmpint (vmd_machine_state_from_libvirt (VIR_DOMAIN_RUNNING, 0), ==, VMD_MACHINE_STATE_RUNNING);
  g_assert_cmpint (vmd_machine_state_from_libvirt (VIR_DOMAIN_SHUTDOWN, 0), ==, VMD_MACHINE_STATE_RUNNING);
  g_assert_cmpint (vmd_machine_state_from_libvirt (VIR_DOMAIN_PAUSED, 0), ==, VMD_MACHINE_STATE_PAUSED);
  g_assert_cmpint (vmd_machine_state_from_libvirt (VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN), ==, VMD_MACHINE_STATE_SHUT_OFF);
  g_assert_cmpint (vmd_machine_state_from_libvirt (VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED), ==, VMD_MACHINE_STATE_CRASHED);
  g_assert_cmpint (vmd_machine_state_from_libvirt (VIR_DOMAIN_CRASHED, 0), ==, VMD_MACHINE_STATE_CRASHED);
  g_assert_cmpint (vmd_machine_state_from_libvirt (VIR_DOMAIN_PMSUSPENDED, 0), ==, VMD_MACHINE_STATE_SUSPENDED);
  g_assert_cmpint (vmd_machine_state_from_libvirt (VIR_DOMAIN_NOSTATE, 0), ==, VMD_MACHINE_STATE_UNKNOWN);
  g_assert_cmpstr (vmd_machine_state_to_label (VMD_MACHINE_STATE_SHUT_OFF), ==, "Shut off");
  g_assert_cmpstr (vmd_machine_state_to_label (VMD_MACHINE_STATE_CRASHED), ==, "Crashed");
}

static GPtrArray *
list_disks (VmdMachine *machine)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *choices;

  vmd_machine_list_disks_async (machine, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  choices = vmd_machine_list_disks_finish (machine, result, &error);
  g_assert_no_error (error);
  return choices;
}

static const VmdDiskChoice *
find_choice (GPtrArray  *choices,
             const char *path)
{
  for (guint i = 0; i < choices->len; i++)
    if (g_str_equal (((VmdDiskChoice *) choices->pdata[i])->path, path))
      return choices->pdata[i];
  return NULL;
}

static gboolean
delete_machine (VmdMachine         *machine,
                const char * const *paths,
                GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_machine_delete_async (machine, paths, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  return vmd_machine_delete_finish (machine, result, error);
}

static gboolean
volume_exists (VmdConnection *connection,
               const char    *path)
{
  virConnectPtr handle = NULL;
  virStorageVolPtr vol;

  g_object_get (vmd_connection_get_gvir (connection), "handle", &handle, NULL);
  vol = virStorageVolLookupByPath (handle, path);
  virConnectClose (handle);
  if (vol == NULL)
    return FALSE;
  virStorageVolFree (vol);
  return TRUE;
}

static void
test_disk_choices_protect_shared_and_loose_files (Fixture       *fixture,
                                                  gconstpointer  user_data)
{
  g_autoptr(GPtrArray) beta = list_disks (vmd_connection_find_machine (fixture->connection, "beta"));
  g_autoptr(GPtrArray) alpha = list_disks (vmd_connection_find_machine (fixture->connection, "alpha"));

  g_assert_cmpuint (beta->len, ==, 3);
  g_assert_true (find_choice (beta, "/vmdesk-pool/beta.qcow2")->deletable);
  g_assert_false (find_choice (beta, "/vmdesk-pool/shared.qcow2")->deletable);
  g_assert_nonnull (strstr (find_choice (beta, "/vmdesk-pool/shared.qcow2")->reason, "gamma"));
  g_assert_false (find_choice (beta, "/elsewhere/loose.img")->deletable);
  /* The install CD is media, not the machine's own disk. */
  g_assert_cmpuint (alpha->len, ==, 1);
  g_assert_cmpstr (find_choice (alpha, "/vmdesk-pool/alpha.qcow2")->target, ==, "vda");
}

static gboolean
machine_gone (gpointer user_data)
{
  Fixture *fixture = user_data;

  return vmd_connection_find_machine (fixture->connection, "alpha") == NULL;
}

static void
test_delete_with_disk (Fixture       *fixture,
                       gconstpointer  user_data)
{
  VmdMachine *alpha = vmd_connection_find_machine (fixture->connection, "alpha");
  const char *paths[] = { "/vmdesk-pool/alpha.qcow2", NULL };
  g_autoptr(GError) error = NULL;

  /* alpha runs: deletion forces it off first. */
  g_assert_true (delete_machine (alpha, paths, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_until (machine_gone, fixture, 1000));
  g_assert_false (volume_exists (fixture->connection, "/vmdesk-pool/alpha.qcow2"));
  g_assert_true (volume_exists (fixture->connection, "/vmdesk-pool/install.iso"));
}

static void
test_delete_refuses_shared_disk_and_keeps_machine (Fixture       *fixture,
                                                   gconstpointer  user_data)
{
  VmdMachine *beta = vmd_connection_find_machine (fixture->connection, "beta");
  const char *paths[] = { "/vmdesk-pool/beta.qcow2", "/vmdesk-pool/shared.qcow2", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (delete_machine (beta, paths, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "gamma"));
  g_assert_true (volume_exists (fixture->connection, "/vmdesk-pool/shared.qcow2"));
  g_assert_nonnull (vmd_connection_find_machine (fixture->connection, "beta"));
}

static gboolean
shutdown_overdue (gpointer user_data)
{
  return vmd_machine_get_shutdown_overdue (user_data);
}

/* Shut Down is under way from the request on, and over when the machine stops. */
static void
test_shutting_down_until_stopped (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  VmdMachine *alpha = vmd_connection_find_machine (fixture->connection, "alpha");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (vmd_machine_get_shutting_down (alpha));
  vmd_machine_run_action_async (alpha, VMD_MACHINE_ACTION_SHUTDOWN, NULL, vmd_test_store_result, &result);
  /* At once, before libvirt has even been asked. */
  g_assert_true (vmd_machine_get_shutting_down (alpha));
  g_assert_false (vmd_machine_get_shutdown_overdue (alpha));
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  g_assert_true (vmd_machine_run_action_finish (alpha, result, &error));
  expect_state (alpha, VMD_MACHINE_STATE_SHUT_OFF);
  g_assert_false (vmd_machine_get_shutting_down (alpha));
}

/* A guest that ignores the request: its stop never comes, so after the timeout the machine is
 * overdue, and stays shutting down until a state arrives. The test driver always obeys, so the
 * machine is made deaf to its domain's events for the while. */
static void
test_shutdown_overdue_when_ignored (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  VmdMachine *alpha = vmd_connection_find_machine (fixture->connection, "alpha");
  GVirDomain *domain = vmd_machine_get_domain (alpha);
  g_autoptr(GError) error = NULL;
  gint64 asked;

  vmd_machine_set_shutdown_timeout (alpha, 1);
  g_signal_handlers_block_matched (domain, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, alpha);
  asked = g_get_monotonic_time ();
  g_assert_true (run_action (alpha, VMD_MACHINE_ACTION_SHUTDOWN, &error));
  g_assert_true (vmd_machine_get_shutting_down (alpha));
  g_assert_true (vmd_test_wait_until (shutdown_overdue, alpha, 3000));
  g_test_message ("overdue after %.1f s (timeout 1 s)", (g_get_monotonic_time () - asked) / 1e6);
  g_assert_true (vmd_machine_get_shutting_down (alpha));
  g_assert_cmpint (vmd_machine_get_state (alpha), ==, VMD_MACHINE_STATE_RUNNING);

  /* The state it really has arrives at last: the shutdown is over. */
  g_signal_handlers_unblock_matched (domain, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, alpha);
  vmd_machine_refresh_state_async (alpha);
  expect_state (alpha, VMD_MACHINE_STATE_SHUT_OFF);
  g_assert_false (vmd_machine_get_shutting_down (alpha));
  g_assert_false (vmd_machine_get_shutdown_overdue (alpha));
}

/* Another request (a reboot) ends the wait for the shutdown, although the state stays. */
static void
test_other_action_ends_shutting_down (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  VmdMachine *alpha = vmd_connection_find_machine (fixture->connection, "alpha");
  GVirDomain *domain = vmd_machine_get_domain (alpha);
  g_autoptr(GError) error = NULL;

  g_signal_handlers_block_matched (domain, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, alpha);
  g_assert_true (run_action (alpha, VMD_MACHINE_ACTION_SHUTDOWN, &error));
  g_assert_true (vmd_machine_get_shutting_down (alpha));
  g_signal_handlers_unblock_matched (domain, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, alpha);
  /* libvirt's state is shut off now, the machine still believes it runs: Reboot fails, and the
   * shutdown is no longer what the machine waits for. */
  run_action (alpha, VMD_MACHINE_ACTION_REBOOT, NULL);
  g_assert_false (vmd_machine_get_shutting_down (alpha));
}

static void
test_count_snapshots (Fixture       *fixture,
                      gconstpointer  user_data)
{
  VmdMachine *alpha = vmd_connection_find_machine (fixture->connection, "alpha");
  virConnectPtr handle = NULL;
  virDomainPtr domain;
  virDomainSnapshotPtr snapshot;
  int counts[2];

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      vmd_machine_count_snapshots_async (alpha, NULL, vmd_test_store_result, &result);
      g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
      counts[i] = vmd_machine_count_snapshots_finish (alpha, result, &error);
      g_assert_no_error (error);
      if (i > 0)
        break;
      g_object_get (vmd_connection_get_gvir (fixture->connection), "handle", &handle, NULL);
      domain = virDomainLookupByName (handle, "alpha");
      snapshot = virDomainSnapshotCreateXML (domain, "<domainsnapshot><name>s1</name></domainsnapshot>", 0);
      g_assert_nonnull (snapshot);
      virDomainSnapshotFree (snapshot);
      virDomainFree (domain);
      virConnectClose (handle);
    }
  g_assert_cmpint (counts[0], ==, 0);
  g_assert_cmpint (counts[1], ==, 1);
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_test_add_func ("/machine/state/from-libvirt", test_state_from_libvirt);
  g_test_add ("/machine/state/what-applies", Fixture, NULL,
              fixture_set_up, test_what_applies_in_each_state, fixture_tear_down);
  g_test_add ("/machine/lifecycle/follows-events", Fixture, NULL,
              fixture_set_up, test_lifecycle_follows_events, fixture_tear_down);
  g_test_add ("/machine/lifecycle/not-applicable", Fixture, NULL,
              fixture_set_up, test_action_that_does_not_apply_fails_cleanly, fixture_tear_down);
  g_test_add ("/machine/delete/disk-choices", Fixture, NULL,
              fixture_set_up, test_disk_choices_protect_shared_and_loose_files, fixture_tear_down);
  g_test_add ("/machine/delete/with-disk", Fixture, NULL,
              fixture_set_up, test_delete_with_disk, fixture_tear_down);
  g_test_add ("/machine/delete/refuses-shared-disk", Fixture, NULL,
              fixture_set_up, test_delete_refuses_shared_disk_and_keeps_machine, fixture_tear_down);
  g_test_add ("/machine/shutdown/until-stopped", Fixture, NULL,
              fixture_set_up, test_shutting_down_until_stopped, fixture_tear_down);
  g_test_add ("/machine/shutdown/overdue-when-ignored", Fixture, NULL,
              fixture_set_up, test_shutdown_overdue_when_ignored, fixture_tear_down);
  g_test_add ("/machine/shutdown/other-action-ends-it", Fixture, NULL,
              fixture_set_up, test_other_action_ends_shutting_down, fixture_tear_down);
  g_test_add ("/machine/delete/counts-snapshots", Fixture, NULL,
              fixture_set_up, test_count_snapshots, fixture_tear_down);
  return g_test_run ();
}
