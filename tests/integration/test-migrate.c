/* Live migration through the core (issue 16): the tiny guest runs on the first host, printing a
 * counter on its serial console every 0.2 s; vmd_machine_migrate moves it to the second host
 * (tests/harness/second-host-up.sh) over SSH with its disk copied. The counter goes on there
 * without a restart, the machine is listed on B and gone from A; the same peer to peer. A
 * migration cancelled half way (slowed by a bandwidth cap) leaves it running on A and nothing on
 * B. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-guest-fixture.h"
#include "vmd-machine-migrate.h"
#include "vmd-second-host.h"
#include "vmd-serial-reader.h"
#include "vmd-test-util.h"

#define COUNTER_LOOP "i=0; while true; do echo C$i.; i=$((i+1)); sleep 0.2; done"

typedef struct {
  VmdGuestFixture  a;             /* the guest, its pool and disk on the first host */
  VmdConnection   *b;             /* the second host, as the app opens it: over SSH */
  virConnectPtr    b_handle;      /* the second host behind the app's back */
  char            *b_pool_dir;    /* the pool's folder on B, seen from here */
  char            *disk_name;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *b_uri = vmd_second_host_libssh_uri (NULL);
  g_autofree char *local = vmd_second_host_local_uri ();
  g_autofree char *pool_xml = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  virStoragePoolPtr pool;
  virDomainPtr domain;

  vmd_guest_fixture_set_up (&fixture->a, "vmdesk-migrate");
  fixture->disk_name = g_path_get_basename (fixture->a.disk_path);

  /* B has the same folder, with the kernel and initrd the guest boots, as a pool: the disk's
   * copy is made there. */
  fixture->b_handle = virConnectOpen (local);
  g_assert_nonnull (fixture->b_handle);
  fixture->b_pool_dir = vmd_second_host_outside (fixture->a.pool_dir);
  g_assert_cmpint (g_mkdir_with_parents (fixture->b_pool_dir, 0755), ==, 0);
  vmd_guest_fixture_copy_boot_files (fixture->b_pool_dir);
  pool_xml = g_strdup_printf ("<pool type='dir'><name>%s</name><target><path>%s</path></target>"
                              "</pool>", fixture->a.pool_name, fixture->a.pool_dir);
  pool = virStoragePoolCreateXML (fixture->b_handle, pool_xml, 0);
  g_assert_nonnull (pool);
  virStoragePoolFree (pool);

  fixture->b = g_object_new (VMD_TYPE_CONNECTION, "uri", b_uri, "stats-interval", 1000, NULL);
  g_assert_true (vmd_test_open (fixture->b, &error));
  g_assert_no_error (error);

  xml = vmd_guest_fixture_domain_xml (&fixture->a, 1);
  domain = virDomainDefineXML (fixture->a.handle, xml);
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainCreate (domain), ==, 0);
  virDomainFree (domain);
  g_assert_true (vmd_guest_fixture_wait_for_state (&fixture->a, VMD_MACHINE_STATE_RUNNING, 30000));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  virDomainPtr domain = virDomainLookupByName (fixture->b_handle, fixture->a.name);
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->b_handle, fixture->a.pool_name);

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
  virResetLastError ();
  vmd_guest_fixture_remove_dir (fixture->b_pool_dir);
  vmd_connection_close (fixture->b);
  g_clear_object (&fixture->b);
  virConnectClose (fixture->b_handle);
  vmd_guest_fixture_tear_down (&fixture->a);
  g_free (fixture->b_pool_dir);
  g_free (fixture->disk_name);
}

/* --- the counter --------------------------------------------------------------------------- */

/* The highest "C<n>." the console printed, -1 if none yet. */
static int
last_counter (VmdSerialReader *reader)
{
  int last = -1;

  for (const char *p = reader->received->str; (p = strstr (p, "\nC")) != NULL; p += 2)
    {
      char *end = NULL;
      long n = strtol (p + 2, &end, 10);

      if (end != p + 2 && *end == '.' && n > last)
        last = (int) n;
    }
  return last;
}

typedef struct {
  VmdSerialReader *reader;
  int              above;
} CounterWait;

static gboolean
counter_above (gpointer user_data)
{
  CounterWait *wait = user_data;

  return last_counter (wait->reader) > wait->above;
}

static gboolean
wait_counter_above (VmdSerialReader *reader,
                    int              above,
                    guint            timeout_ms)
{
  CounterWait wait = { reader, above };

  return vmd_test_wait_until (counter_above, &wait, timeout_ms);
}

static void
start_counter (Fixture         *fixture,
               VmdSerialReader *reader)
{
  g_autoptr(GError) error = NULL;
  VmdMachine *machine = vmd_guest_fixture_find (&fixture->a);

  vmd_serial_reader_start (reader, vmd_serial_reader_open (machine, FALSE, &error));
  g_assert_no_error (error);
  vmd_serial_reader_wait_prompt (reader);
  vmd_serial_reader_send_line (reader, COUNTER_LOOP);
  g_assert_true (wait_counter_above (reader, 5, 30000));
}

/* --- the job --------------------------------------------------------------------------------- */

typedef struct {
  GAsyncResult *result;
  double        max_progress;
  gboolean      moving;        /* progress seen strictly between 0 and 1 */
} JobWatch;

static void
on_progress (VmdJob     *job,
             GParamSpec *pspec,
             JobWatch   *watch)
{
  double progress = vmd_job_get_progress (job);

  watch->max_progress = MAX (watch->max_progress, progress);
  if (progress > 0.0 && progress < 1.0)
    watch->moving = TRUE;
}

static VmdJob *
migrate (Fixture             *fixture,
         VmdMigrateOptions   *options,
         VmdMigrateProgress **progress,
         JobWatch            *watch)
{
  VmdMachine *machine = vmd_guest_fixture_find (&fixture->a);
  VmdJob *job;

  g_assert_nonnull (machine);
  job = vmd_machine_migrate (machine, fixture->b, options, progress, vmd_test_store_result, &watch->result);
  g_signal_connect (job, "notify::progress", G_CALLBACK (on_progress), watch);
  return job;
}

static gboolean
job_finished (gpointer job)
{
  return vmd_job_get_finished (job);
}

static gboolean
job_started_sending (gpointer job)
{
  return vmd_job_get_finished (job) || vmd_job_get_bytes_done (job) > 0;
}

static gboolean
listed_on_b (gpointer user_data)
{
  Fixture *fixture = user_data;
  VmdMachine *machine = vmd_connection_find_machine (fixture->b, fixture->a.name);

  return machine != NULL && vmd_machine_get_state (machine) == VMD_MACHINE_STATE_RUNNING;
}

static gboolean
gone_from_a (gpointer user_data)
{
  Fixture *fixture = user_data;

  return vmd_guest_fixture_find (&fixture->a) == NULL;
}

static gboolean
b_has_volume (Fixture *fixture)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->b_handle, fixture->a.pool_name);
  virStorageVolPtr volume;

  g_assert_nonnull (pool);
  g_assert_cmpint (virStoragePoolRefresh (pool, 0), ==, 0);
  volume = virStorageVolLookupByName (pool, fixture->disk_name);
  virStoragePoolFree (pool);
  if (volume == NULL)
    {
      virResetLastError ();
      return FALSE;
    }
  virStorageVolFree (volume);
  return TRUE;
}

static void
test_live_with_disk (Fixture       *fixture,
                     gconstpointer  user_data)
{
  VmdMigrateOptions options = { .copy_storage = TRUE, .persistent = TRUE,
                                .undefine_source = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdJob) job = NULL;
  VmdSerialReader on_a = { 0, };
  VmdSerialReader on_b = { 0, };
  JobWatch watch = { 0, };
  g_autoptr(VmdMigrateProgress) progress = NULL;
  VmdMigrateStats stats;
  VmdMachine *moved;
  gint64 started;
  int before;

  start_counter (fixture, &on_a);
  started = g_get_monotonic_time ();
  job = migrate (fixture, &options, &progress, &watch);
  g_assert_true (vmd_test_wait_until (job_finished, job, 300000));
  g_test_message ("migrated in %.1f s; progress seen moving: %s",
                  (g_get_monotonic_time () - started) / 1e6, watch.moving ? "yes" : "no");
  g_assert_cmpint (vmd_job_get_state (job), ==, VMD_JOB_STATE_SUCCEEDED);
  vmd_migrate_progress_read (progress, &stats);
  g_test_message ("downtime %" G_GUINT64_FORMAT " ms", stats.downtime_ms);

  g_assert_true (vmd_test_wait_until (listed_on_b, fixture, 30000));
  g_assert_true (vmd_test_wait_until (gone_from_a, fixture, 30000));
  g_assert_true (b_has_volume (fixture));

  /* The same shell loop goes on over there: a restarted guest would have no counter at all. */
  before = last_counter (&on_a);
  g_test_message ("last count seen on A: %d", before);
  vmd_serial_reader_stop (&on_a);
  moved = vmd_connection_find_machine (fixture->b, fixture->a.name);
  vmd_serial_reader_start (&on_b, vmd_serial_reader_open (moved, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (wait_counter_above (&on_b, before, 30000));
  g_test_message ("first count seen on B: %d", last_counter (&on_b));
  g_assert_null (strstr (on_b.received->str, "VMDESK TINY GUEST READY"));
  vmd_serial_reader_stop (&on_b);
}

/* Peer to peer: the first host's daemon opens the second itself, with the same URI (its key and
 * known_hosts are files root's daemon can read); the client only starts and watches. libvirt
 * sends no UNDEFINED event for the source then: the machine must still leave A's list. */
static void
test_peer_to_peer (Fixture       *fixture,
                   gconstpointer  user_data)
{
  VmdMigrateOptions options = { .copy_storage = TRUE, .persistent = TRUE,
                                .undefine_source = TRUE, .peer_to_peer = TRUE };
  g_autoptr(VmdJob) job = NULL;
  VmdSerialReader on_a = { 0, };
  JobWatch watch = { 0, };

  start_counter (fixture, &on_a);
  job = migrate (fixture, &options, NULL, &watch);
  g_assert_true (vmd_test_wait_until (job_finished, job, 300000));
  g_test_message ("%s", vmd_job_get_message (job) != NULL ? vmd_job_get_message (job) : "done");
  g_assert_cmpint (vmd_job_get_state (job), ==, VMD_JOB_STATE_SUCCEEDED);
  g_assert_true (vmd_test_wait_until (listed_on_b, fixture, 30000));
  g_assert_true (vmd_test_wait_until (gone_from_a, fixture, 30000));
  g_assert_true (b_has_volume (fixture));
  vmd_serial_reader_stop (&on_a);
}

static void
test_cancel_half_way (Fixture       *fixture,
                      gconstpointer  user_data)
{
  VmdMigrateOptions options = { .copy_storage = TRUE, .persistent = TRUE,
                                .undefine_source = TRUE, .bandwidth_mib_s = 1 };
  JobWatch watch = { 0, };
  g_autoptr(VmdJob) job = NULL;
  VmdSerialReader on_a = { 0, };
  VmdMachine *machine;
  int before;

  start_counter (fixture, &on_a);
  job = migrate (fixture, &options, NULL, &watch);
  /* Half way: a good part sent, far from the end at 1 MiB/s. */
  g_assert_true (vmd_test_wait_until (job_started_sending, job, 120000));
  while (!vmd_job_get_finished (job) && vmd_job_get_progress (job) < 0.3)
    vmd_test_spin (100);
  g_test_message ("cancelling at %.0f %% (%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes)",
                  vmd_job_get_progress (job) * 100, vmd_job_get_bytes_done (job),
                  vmd_job_get_bytes_total (job));
  g_assert_false (vmd_job_get_finished (job));
  vmd_job_cancel (job);
  g_assert_true (vmd_test_wait_until (job_finished, job, 120000));
  g_assert_cmpint (vmd_job_get_state (job), ==, VMD_JOB_STATE_CANCELLED);
  g_assert_true (watch.moving);

  /* Still running on A, the counter still counting. */
  machine = vmd_guest_fixture_find (&fixture->a);
  g_assert_nonnull (machine);
  g_assert_cmpint (vmd_machine_get_state (machine), ==, VMD_MACHINE_STATE_RUNNING);
  before = last_counter (&on_a);
  g_assert_true (wait_counter_above (&on_a, before + 3, 30000));
  vmd_serial_reader_stop (&on_a);

  /* Nothing on B: no machine, no copy of the disk. */
  g_assert_null (vmd_connection_find_machine (fixture->b, fixture->a.name));
  g_assert_null (virDomainLookupByName (fixture->b_handle, fixture->a.name));
  virResetLastError ();
  g_assert_false (b_has_volume (fixture));
}

static gboolean
ignore_unknown_event_warning (const char     *log_domain,
                              GLogLevelFlags  level,
                              const char     *message,
                              gpointer        user_data)
{
  return strstr (message, "domain_event_cb: code should not be reached") == NULL;
}

int
main (int argc, char *argv[])
{
  vmd_second_host_enter (argc, argv);
  vmd_test_init (&argc, &argv);
  g_test_log_set_fatal_handler (ignore_unknown_event_warning, NULL);

  g_test_add ("/integration/migrate/live-with-disk", Fixture, NULL,
              fixture_set_up, test_live_with_disk, fixture_tear_down);
  g_test_add ("/integration/migrate/peer-to-peer", Fixture, NULL,
              fixture_set_up, test_peer_to_peer, fixture_tear_down);
  g_test_add ("/integration/migrate/cancel-half-way", Fixture, NULL,
              fixture_set_up, test_cancel_half_way, fixture_tear_down);
  return g_test_run ();
}
