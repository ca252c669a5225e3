/* VmdResources on libvirt's test driver: networks and pools listed and followed through
 * events, their operations, deletes refused while in use (naming the machine), VmdJob, and a
 * guest's addresses. */
#include "config.h"

#include <string.h>

#include "vmd-error.h"
#include "vmd-guest-addresses.h"
#include "vmd-job.h"
#include "vmd-resources-fixture.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

static void
finish_ok (gpointer object, GAsyncResult **slot,
           gboolean (*finish) (gpointer, GAsyncResult *, GError **))
{
  g_autoptr(GAsyncResult) result = resources_wait (slot);
  g_autoptr(GError) error = NULL;

  gboolean ok = finish (object, result, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

#define NETWORK_FINISH ((gboolean (*) (gpointer, GAsyncResult *, GError **)) vmd_network_operation_finish)
#define POOL_FINISH ((gboolean (*) (gpointer, GAsyncResult *, GError **)) vmd_storage_pool_operation_finish)
#define VOLUME_FINISH ((gboolean (*) (gpointer, GAsyncResult *, GError **)) vmd_storage_volume_operation_finish)

static void
test_lists (ResourcesFixture *fixture, gconstpointer data)
{
  VmdNetwork *network = vmd_resources_find_network (fixture->resources, "default");
  VmdStoragePool *pool = resources_pool (fixture, "vmdesk-pool");
  VmdStorageVolume *volume;

  g_assert_cmpuint (g_list_model_get_n_items (vmd_resources_get_networks (fixture->resources)), ==, 2);
  g_assert_nonnull (network);
  g_assert_cmpstr (vmd_network_get_bridge (network), ==, "virbr0");
  g_assert_cmpstr (vmd_network_get_forward_mode (network), ==, "nat");
  g_assert_cmpstr (vmd_network_get_subnets (network)[0], ==, "192.168.122.1/24");
  g_assert_cmpstr (vmd_network_get_machines (network)[0], ==, "web");
  g_assert_cmpstr (vmd_network_get_subnets (vmd_resources_find_network (fixture->resources, "lab"))[1],
                   ==, "fd00:10::1/64");
  g_assert_cmpuint (g_list_model_get_n_items (vmd_storage_pool_get_volumes (pool)), ==, 3);
  g_assert_cmpuint (vmd_storage_pool_get_capacity (pool), ==, 100 * G_GUINT64_CONSTANT (1073741824));
  volume = vmd_storage_pool_find_volume (pool, "web.qcow2");
  g_assert_nonnull (volume);
  g_assert_cmpstr (vmd_storage_volume_get_users (volume)[0], ==, "web");
  g_assert_null (vmd_storage_volume_get_users (vmd_storage_pool_find_volume (pool, "base.qcow2")));
}

typedef struct {
  VmdResources *resources;
  const char   *name;
  int           active;   /* -1: gone */
} NetworkWait;

static gboolean
network_is (gpointer user_data)
{
  NetworkWait *wait = user_data;
  VmdNetwork *network = vmd_resources_find_network (wait->resources, wait->name);

  if (wait->active < 0)
    return network == NULL;
  return network != NULL && vmd_network_get_active (network) == wait->active;
}

static void
wait_network (ResourcesFixture *fixture, const char *name, int active)
{
  NetworkWait wait = { fixture->resources, name, active };

  g_assert_true (vmd_test_wait_until (network_is, &wait, 30000));
}

static void
create_isolated (ResourcesFixture *fixture, const char *name)
{
  g_autoptr(VmdNetworkSpec) spec = vmd_network_spec_new ();
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  spec->name = g_strdup (name);
  spec->mode = VMD_NETWORK_MODE_ISOLATED;
  spec->bridge = g_strdup ("virbr42");
  spec->ipv4 = g_strdup ("192.168.42.0/24");
  spec->dhcp4_start = g_strdup ("192.168.42.100");
  spec->dhcp4_end = g_strdup ("192.168.42.199");
  spec->domain = g_strdup ("lab.example");
  vmd_network_spec_add_host (spec, "52:54:00:42:00:01", "192.168.42.10", "printer");
  vmd_resources_create_network_async (fixture->resources, spec, NULL, vmd_test_store_result, &slot);
  result = resources_wait (&slot);
  gboolean ok = vmd_resources_create_finish (fixture->resources, result, &field, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_null (field);
}

/* Made, started, stopped, autostarted and deleted: the model follows libvirt's events. */
static void
test_network_lifecycle (ResourcesFixture *fixture, gconstpointer data)
{
  VmdNetwork *network;
  g_autoptr(VmdXml) doc = NULL;
  GAsyncResult *slot = NULL;

  create_isolated (fixture, "isolated");
  network = vmd_resources_find_network (fixture->resources, "isolated");
  g_assert_nonnull (network);
  g_assert_true (vmd_network_get_active (network));
  g_assert_true (vmd_network_get_autostart (network));
  g_assert_null (vmd_network_get_forward_mode (network));
  doc = vmd_xml_parse (vmd_network_get_xml (network), NULL);
  g_assert_true (vmd_xml_exists (doc, NULL, "/network/ip[@address='192.168.42.1'][@prefix='24']"
                                            "/dhcp/range[@start='192.168.42.100'][@end='192.168.42.199']"));
  g_assert_true (vmd_xml_exists (doc, NULL, "/network/ip/dhcp/host[@mac='52:54:00:42:00:01'][@ip='192.168.42.10']"));
  g_assert_true (vmd_xml_exists (doc, NULL, "/network/domain[@name='lab.example']"));
  g_assert_false (vmd_xml_exists (doc, NULL, "/network/forward"));

  /* Behind our back, as virsh would: the event brings it. */
  g_assert_cmpint (virNetworkDestroy (vmd_network_get_handle (network)), ==, 0);
  wait_network (fixture, "isolated", FALSE);
  vmd_network_start_async (network, NULL, vmd_test_store_result, &slot);
  finish_ok (network, &slot, NETWORK_FINISH);
  wait_network (fixture, "isolated", TRUE);
  vmd_network_set_autostart_async (network, FALSE, NULL, vmd_test_store_result, &slot);
  finish_ok (network, &slot, NETWORK_FINISH);
  vmd_network_delete_async (network, NULL, vmd_test_store_result, &slot);
  finish_ok (network, &slot, NETWORK_FINISH);
  wait_network (fixture, "isolated", -1);
}

static void
test_network_delete_refused_while_used (ResourcesFixture *fixture, gconstpointer data)
{
  VmdNetwork *network = vmd_resources_find_network (fixture->resources, "default");
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int before = resources_count_networks (fixture);

  vmd_network_delete_async (network, NULL, vmd_test_store_result, &slot);
  result = resources_wait (&slot);
  g_assert_false (vmd_network_operation_finish (network, result, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "web"));
  g_assert_cmpint (resources_count_networks (fixture), ==, before);
  g_assert_true (vmd_network_get_active (network));
}

static gboolean
edited (gpointer network)
{
  return strstr (vmd_network_get_xml (network), "edited.example") != NULL;
}

static void
test_network_edit_xml (ResourcesFixture *fixture, gconstpointer data)
{
  VmdNetwork *network = vmd_resources_find_network (fixture->resources, "lab");
  g_autofree char *renamed = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *xml =
    "<network><name>lab</name><uuid>66666666-6666-4666-8666-666666666666</uuid>"
    "<bridge name='virbr5'/><domain name='edited.example'/><ip address='10.10.0.1' prefix='16'/></network>";

  /* The test driver changes only a stopped network's definition. */
  vmd_network_stop_async (network, NULL, vmd_test_store_result, &slot);
  finish_ok (network, &slot, NETWORK_FINISH);
  vmd_network_define_xml_async (network, xml, NULL, vmd_test_store_result, &slot);
  finish_ok (network, &slot, NETWORK_FINISH);
  g_assert_true (vmd_test_wait_until (edited, network, 30000));
  renamed = g_strdup ("<network><name>lab2</name></network>");
  vmd_network_define_xml_async (network, renamed, NULL, vmd_test_store_result, &slot);
  result = resources_wait (&slot);
  g_assert_false (vmd_network_operation_finish (network, result, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  g_assert_null (vmd_resources_find_network (fixture->resources, "lab2"));
}

/* NAT with a forward device, IPv6 with DHCPv6, escaped names: the XML libvirt gets. */
static void
test_network_xml (void)
{
  g_autoptr(VmdNetworkSpec) spec = vmd_network_spec_new ();
  g_autofree char *xml = NULL;
  g_autoptr(VmdXml) doc = NULL;

  spec->name = g_strdup ("a<b&c");
  spec->mode = VMD_NETWORK_MODE_NAT;
  spec->forward_dev = g_strdup ("eth0");
  spec->ipv4 = g_strdup ("192.168.50.1/24");
  spec->ipv6 = g_strdup ("fd00:50::/64");
  spec->dhcp6_start = g_strdup ("fd00:50::100");
  spec->dhcp6_end = g_strdup ("fd00:50::1ff");
  xml = vmd_network_spec_to_xml (spec);
  doc = vmd_xml_parse (xml, NULL);
  g_assert_nonnull (doc);
  g_assert_true (vmd_xml_exists (doc, NULL, "/network[name='a<b&c']/forward[@mode='nat'][@dev='eth0']"));
  g_assert_true (vmd_xml_exists (doc, NULL, "/network/ip[@address='192.168.50.1'][@prefix='24']"));
  g_assert_true (vmd_xml_exists (doc, NULL, "/network/ip[@family='ipv6'][@address='fd00:50::1'][@prefix='64']"
                                            "/dhcp/range[@start='fd00:50::100']"));
  g_free (spec->forward_dev);
  spec->forward_dev = NULL;
  spec->mode = VMD_NETWORK_MODE_OPEN;
  g_free (xml);
  xml = vmd_network_spec_to_xml (spec);
  g_assert_nonnull (strstr (xml, "<forward mode=\"open\"/>"));
}

/* --- pools and volumes ------------------------------------------------------------------------- */

static VmdStoragePool *
create_pool (ResourcesFixture *fixture, VmdPoolSpec *spec)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  vmd_resources_create_pool_async (fixture->resources, spec, NULL, vmd_test_store_result, &slot);
  result = resources_wait (&slot);
  gboolean ok = vmd_resources_create_finish (fixture->resources, result, &field, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return resources_pool (fixture, spec->name);
}

static void
create_volume (VmdStoragePool *pool, const char *name, const char *backing)
{
  g_autoptr(VmdVolumeSpec) spec = vmd_volume_spec_new ();
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  spec->name = g_strdup (name);
  spec->capacity = 64 * 1048576;
  spec->backing = g_strdup (backing);
  vmd_storage_pool_create_volume_async (pool, spec, NULL, vmd_test_store_result, &slot);
  result = resources_wait (&slot);
  gboolean ok = vmd_storage_pool_create_volume_finish (pool, result, &field, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
test_pool_and_volumes (ResourcesFixture *fixture, gconstpointer data)
{
  g_autoptr(VmdPoolSpec) spec = vmd_pool_spec_new (VMD_POOL_TYPE_DIR);
  VmdStoragePool *pool;
  VmdStorageVolume *volume;
  GAsyncResult *slot = NULL;

  spec->name = g_strdup ("made-pool");
  spec->target_path = g_build_filename (fixture->scratch, "images", NULL);
  spec->build = TRUE;
  pool = create_pool (fixture, spec);
  g_assert_true (vmd_storage_pool_get_active (pool));
  g_assert_true (vmd_storage_pool_get_autostart (pool));
  create_volume (pool, "disk.qcow2", NULL);
  volume = vmd_storage_pool_find_volume (pool, "disk.qcow2");
  g_assert_nonnull (volume);
  g_assert_cmpuint (vmd_storage_volume_get_capacity (volume), ==, 64 * 1048576);

  /* Resizing: the test driver has no virStorageVolResize (tests/integration/test-storage.c). */
  vmd_storage_volume_clone_async (volume, "copy.qcow2", NULL, vmd_test_store_result, &slot);
  finish_ok (volume, &slot, VOLUME_FINISH);
  vmd_storage_pool_refresh_async (pool, TRUE, NULL, vmd_test_store_result, &slot);
  finish_ok (pool, &slot, POOL_FINISH);
  g_assert_nonnull (vmd_storage_pool_find_volume (pool, "copy.qcow2"));
  /* The same object across the refresh: bindings to it stay. */
  g_assert_true (vmd_storage_pool_find_volume (pool, "disk.qcow2") == volume);

  vmd_storage_volume_delete_async (volume, NULL, vmd_test_store_result, &slot);
  finish_ok (volume, &slot, VOLUME_FINISH);
  vmd_storage_pool_refresh_async (pool, FALSE, NULL, vmd_test_store_result, &slot);
  finish_ok (pool, &slot, POOL_FINISH);
  g_assert_null (vmd_storage_pool_find_volume (pool, "disk.qcow2"));

  vmd_storage_pool_stop_async (pool, NULL, vmd_test_store_result, &slot);
  finish_ok (pool, &slot, POOL_FINISH);
  g_assert_false (vmd_storage_pool_get_active (pool));
  vmd_storage_pool_delete_async (pool, TRUE, NULL, vmd_test_store_result, &slot);
  finish_ok (pool, &slot, POOL_FINISH);
  g_assert_cmpint (resources_count_pools (fixture), ==, 1);
}

static void
test_volume_delete_refused_while_used (ResourcesFixture *fixture, gconstpointer data)
{
  VmdStoragePool *pool = resources_pool (fixture, "vmdesk-pool");
  VmdStorageVolume *volume = vmd_storage_pool_find_volume (pool, "db.qcow2");
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_storage_volume_delete_async (volume, NULL, vmd_test_store_result, &slot);
  result = resources_wait (&slot);
  g_assert_false (vmd_storage_volume_operation_finish (volume, result, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  /* db is shut off, but its definition still names the disk. */
  g_assert_nonnull (strstr (error->message, "machine db"));
  g_assert_cmpint (resources_count_volumes (fixture, "vmdesk-pool"), ==, 3);
}

static void
test_thin_copy (ResourcesFixture *fixture, gconstpointer data)
{
  VmdStoragePool *pool = resources_pool (fixture, "vmdesk-pool");

  create_volume (pool, "thin.qcow2", "base.qcow2");
  g_assert_nonnull (vmd_storage_pool_find_volume (pool, "thin.qcow2"));
}

/* NFS is not served here for the test driver: the netfs pool's XML is what is checked. */
static void
test_netfs_pool_on_test_driver (ResourcesFixture *fixture, gconstpointer data)
{
  g_autoptr(VmdPoolSpec) spec = vmd_pool_spec_new (VMD_POOL_TYPE_NETFS);
  g_autoptr(VmdXml) doc = NULL;
  VmdStoragePool *pool;

  spec->name = g_strdup ("nfs-pool");
  spec->source_host = g_strdup ("192.0.2.10");
  spec->source_path = g_strdup ("/srv/nfs");
  spec->target_path = g_build_filename (fixture->scratch, "nfs", NULL);
  spec->build = TRUE;
  pool = create_pool (fixture, spec);
  g_assert_cmpstr (vmd_storage_pool_get_pool_type (pool), ==, "netfs");
  g_assert_cmpstr (vmd_storage_pool_get_source (pool), ==, "192.0.2.10:/srv/nfs");
  doc = vmd_xml_parse (vmd_storage_pool_get_xml (pool), NULL);
  g_assert_true (vmd_xml_exists (doc, NULL, "/pool[@type='netfs']/source[host/@name='192.0.2.10']"
                                            "[dir/@path='/srv/nfs'][format/@type='nfs']"));
}

static void
test_pool_xml_kinds (void)
{
  g_autoptr(VmdPoolSpec) spec = vmd_pool_spec_new (VMD_POOL_TYPE_LOGICAL);
  g_autofree char *xml = NULL;
  g_autoptr(VmdXml) doc = NULL;

  spec->name = g_strdup ("vg-pool");
  spec->source_name = g_strdup ("vmdesk_vg");
  spec->source_device = g_strdup ("/dev/loop7");
  xml = vmd_pool_spec_to_xml (spec);
  doc = vmd_xml_parse (xml, NULL);
  g_assert_true (vmd_xml_exists (doc, NULL, "/pool[@type='logical'][source/name='vmdesk_vg']"
                                            "[source/device/@path='/dev/loop7'][target/path='/dev/vmdesk_vg']"));
}

/* fs (formatted by build, else probed), iSCSI and whole-disk pools: the XML libvirt gets. */
static void
test_pool_xml_other_kinds (void)
{
  const struct { VmdPoolType type; gboolean build; const char *xpath; } kinds[] = {
    { VMD_POOL_TYPE_FS, TRUE, "/pool[@type='fs'][source/device/@path='/dev/sdb1'][source/format/@type='ext4']"
                              "[target/path='/srv/images']" },
    { VMD_POOL_TYPE_FS, FALSE, "/pool[@type='fs'][source/format/@type='auto']" },
    { VMD_POOL_TYPE_ISCSI, FALSE, "/pool[@type='iscsi'][source/host/@name='san.example']"
                                  "[source/device/@path='iqn.2024-01.example:disk1'][target/path='/dev/disk/by-path']" },
    { VMD_POOL_TYPE_DISK, FALSE, "/pool[@type='disk'][source/device/@path='/dev/sdb'][source/format/@type='gpt']"
                                 "[target/path='/dev']" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(VmdPoolSpec) spec = vmd_pool_spec_new (kinds[i].type);
      g_autofree char *xml = NULL;
      g_autoptr(VmdXml) doc = NULL;

      spec->name = g_strdup ("p");
      spec->build = kinds[i].build;
      spec->target_path = g_strdup ("/srv/images");
      spec->source_device = g_strdup (kinds[i].type == VMD_POOL_TYPE_DISK ? "/dev/sdb" : "/dev/sdb1");
      spec->source_host = g_strdup ("san.example");
      spec->source_name = g_strdup ("iqn.2024-01.example:disk1");
      xml = vmd_pool_spec_to_xml (spec);
      doc = vmd_xml_parse (xml, NULL);
      g_test_message ("%s", xml);
      g_assert_true (vmd_xml_exists (doc, NULL, kinds[i].xpath));
    }
}

/* virbr0 is the default network's and virbr5 the lab's: the first free one is virbr1. */
static void
test_suggested_bridge (ResourcesFixture *fixture, gconstpointer data)
{
  g_autoptr(VmdNetworkContext) context = vmd_resources_network_context (fixture->resources);
  g_autofree char *bridge = vmd_network_suggest_bridge (context);

  g_assert_cmpstr (bridge, ==, "virbr1");
}

/* --- jobs ---------------------------------------------------------------------------------------- */

typedef struct {
  gboolean fail;
  gboolean wait_for_cancel;
  int      undone;
} JobWork;

static void
count_undo (gpointer data)
{
  g_atomic_int_inc (&((JobWork *) data)->undone);
}

static gboolean
job_work (VmdJob *job, gpointer data, GCancellable *cancellable, GError **error)
{
  JobWork *work = data;

  vmd_job_push_undo (job, count_undo, work, NULL);
  for (guint64 i = 1; i <= 10; i++)
    {
      vmd_job_report (job, i * 100, 1000);
      if (i == 5 && work->wait_for_cancel)
        while (!g_cancellable_is_cancelled (cancellable))
          g_usleep (1000);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (work->fail)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_FAILED, "the disk broke");
      return FALSE;
    }
  return TRUE;
}

static gboolean
half_way (gpointer job)
{
  return vmd_job_get_progress (job) >= 0.5;
}

static void
run_job (JobWork *work, VmdJobState expected, gboolean cancel)
{
  g_autoptr(VmdJob) job = vmd_job_new ("test job");
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_job_run_async (job, job_work, work, NULL, vmd_test_store_result, &slot);
  g_assert_cmpint (vmd_job_get_state (job), ==, VMD_JOB_STATE_RUNNING);
  if (cancel)
    {
      g_assert_true (vmd_test_wait_until (half_way, job, 30000));
      vmd_job_cancel (job);
    }
  result = resources_wait (&slot);
  g_assert_cmpint (vmd_job_run_finish (job, result, &error), ==, expected == VMD_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (vmd_job_get_state (job), ==, expected);
  g_assert_true (vmd_job_get_finished (job));
  if (expected == VMD_JOB_STATE_SUCCEEDED)
    {
      g_assert_cmpuint (vmd_job_get_bytes_done (job), ==, 1000);
      g_assert_cmpfloat (vmd_job_get_progress (job), ==, 1.0);
    }
}

static void
test_job_outcomes (void)
{
  JobWork ok = { FALSE, FALSE, 0 }, failing = { TRUE, FALSE, 0 }, cancelled = { FALSE, TRUE, 0 };

  run_job (&ok, VMD_JOB_STATE_SUCCEEDED, FALSE);
  g_assert_cmpint (ok.undone, ==, 0);
  run_job (&failing, VMD_JOB_STATE_FAILED, FALSE);
  g_assert_cmpint (failing.undone, ==, 1);
  run_job (&cancelled, VMD_JOB_STATE_CANCELLED, TRUE);
  g_assert_cmpint (cancelled.undone, ==, 1);
}

static void
test_job_speed_words (void)
{
  g_autofree char *speed = vmd_job_format_speed (85.3e6);

  g_assert_cmpstr (speed, ==, "85.3\u00a0MB/s");
}

/* --- addresses ------------------------------------------------------------------------------------- */

static gboolean
has_text (gpointer addresses)
{
  return *vmd_guest_addresses_get_text (addresses) != '\0';
}

/* The test driver answers domifaddr with a made-up address for each NIC of a running machine. */
static void
test_guest_addresses (ResourcesFixture *fixture, gconstpointer data)
{
  VmdMachine *machine = vmd_connection_find_machine (fixture->connection, "web");
  VmdGuestAddresses *addresses = vmd_resources_get_addresses (fixture->resources, machine);
  GPtrArray *entries;

  g_assert_true (vmd_resources_get_addresses (fixture->resources, machine) == addresses);
  g_assert_true (vmd_test_wait_until (has_text, addresses, 30000));
  entries = vmd_guest_addresses_get_entries (addresses);
  g_assert_cmpuint (entries->len, >=, 1);
  g_test_message ("web: %s", vmd_guest_addresses_get_text (addresses));
  g_assert_true (vmd_guest_addresses_has (addresses, ((VmdGuestAddress *) entries->pdata[0])->address));
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, ResourcesFixture, NULL, resources_fixture_set_up, func, \
                                    resources_fixture_tear_down)
  ADD ("/resources/lists", test_lists);
  ADD ("/resources/network/lifecycle-follows-events", test_network_lifecycle);
  ADD ("/resources/network/delete-refused-while-used", test_network_delete_refused_while_used);
  ADD ("/resources/network/edit-xml", test_network_edit_xml);
  g_test_add_func ("/resources/network/xml", test_network_xml);
  ADD ("/resources/pool/create-fill-resize-clone-delete", test_pool_and_volumes);
  ADD ("/resources/volume/delete-refused-while-used", test_volume_delete_refused_while_used);
  ADD ("/resources/volume/thin-copy", test_thin_copy);
  ADD ("/resources/pool/netfs-on-test-driver", test_netfs_pool_on_test_driver);
  g_test_add_func ("/resources/pool/xml-logical", test_pool_xml_kinds);
  g_test_add_func ("/resources/pool/xml-fs-iscsi-disk", test_pool_xml_other_kinds);
  ADD ("/resources/network/suggested-bridge", test_suggested_bridge);
  g_test_add_func ("/job/outcomes", test_job_outcomes);
  g_test_add_func ("/job/speed-words", test_job_speed_words);
  ADD ("/addresses/test-driver", test_guest_addresses);
  return g_test_run ();
}
