/* Cloning on libvirt's test driver: the plan, the clone's definition (new name, no old UUID or
 * MACs, disks repointed, CD-ROM and shared disks kept), thin copies, bad inputs, a running
 * machine refused, and a fault at each step or a Cancel leaving nothing behind. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-clone-xml.h"
#include "vmd-machine-clone.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

typedef struct {
  VmdConnection *connection;
  virConnectPtr  conn;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *uri = vmd_test_data_uri ("clone.xml");
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_test_open_connection (uri, 1000, &error);
  g_assert_no_error (error);
  g_object_get (vmd_connection_get_gvir (fixture->connection), "handle", &fixture->conn, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  virConnectClose (fixture->conn);
  g_clear_object (&fixture->connection);
}

static VmdClonePlan *
read_plan (Fixture     *fixture,
           const char  *name,
           GError     **error)
{
  VmdMachine *machine = vmd_connection_find_machine (fixture->connection, name);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_nonnull (machine);
  vmd_machine_clone_plan_async (machine, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  return vmd_machine_clone_plan_finish (machine, result, error);
}

static VmdJobState
run_clone (Fixture       *fixture,
           VmdClonePlan  *plan,
           gboolean       cancel,
           GError       **error)
{
  VmdMachine *machine = vmd_connection_find_machine (fixture->connection, "orig");
  g_autoptr(VmdJob) job = vmd_job_new ("Clone");
  g_autoptr(GAsyncResult) result = NULL;

  vmd_machine_clone_run (machine, plan, job, vmd_test_store_result, &result);
  if (cancel)
    vmd_job_cancel (job);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  vmd_job_run_finish (job, result, error);
  return vmd_job_get_state (job);
}

static VmdCloneDisk *
disk_of (VmdClonePlan *plan,
         const char   *target)
{
  for (guint i = 0; i < plan->disks->len; i++)
    if (g_str_equal (((VmdCloneDisk *) plan->disks->pdata[i])->target, target))
      return plan->disks->pdata[i];
  g_assert_not_reached ();
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Sorted "pool/volume" names, to compare before and after. */
static char *
all_volumes (Fixture *fixture)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  virStoragePoolPtr *pools = NULL;
  int n = virConnectListAllStoragePools (fixture->conn, &pools, 0);

  for (int i = 0; i < n; i++)
    {
      virStorageVolPtr *vols = NULL;
      int m;

      virStoragePoolRefresh (pools[i], 0);
      m = virStoragePoolListAllVolumes (pools[i], &vols, 0);
      for (int v = 0; v < m; v++)
        {
          g_ptr_array_add (names, g_strdup_printf ("%s/%s", virStoragePoolGetName (pools[i]),
                                                   virStorageVolGetName (vols[v])));
          virStorageVolFree (vols[v]);
        }
      free (vols);
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static char *
domain_xml (Fixture    *fixture,
            const char *name)
{
  virDomainPtr domain = virDomainLookupByName (fixture->conn, name);
  char *xml;

  virResetLastError ();
  if (domain == NULL)
    return NULL;
  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  virDomainFree (domain);
  return xml;
}

static void
assert_string (VmdXml     *doc,
               const char *expr,
               const char *expected)
{
  g_autofree char *value = vmd_xml_string (doc, NULL, expr);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_plan (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdClonePlan) plan = read_plan (fixture, "orig", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (plan->name, ==, "orig-clone");
  g_assert_cmpstr (plan->pool, ==, "vmdesk-pool");
  g_assert_cmpstr (plan->nvram, ==, "/vmdesk-pool/orig_VARS.fd");
  g_assert_cmpuint (plan->disks->len, ==, 4);
  g_assert_cmpint (disk_of (plan, "vda")->mode, ==, VMD_CLONE_DISK_COPY);
  g_assert_cmpstr (disk_of (plan, "vda")->format, ==, "qcow2");
  g_assert_cmpuint (disk_of (plan, "vda")->bytes, ==, G_GUINT64_CONSTANT (1) << 30);
  g_assert_cmpint (disk_of (plan, "vdb")->mode, ==, VMD_CLONE_DISK_COPY);
  g_assert_true (disk_of (plan, "sda")->must_share);
  g_assert_cmpint (disk_of (plan, "sda")->mode, ==, VMD_CLONE_DISK_SHARE);
  g_assert_true (disk_of (plan, "vdc")->must_share);
  g_assert_cmpuint (vmd_clone_plan_bytes (plan), ==, G_GUINT64_CONSTANT (3) << 30);
  /* Not a local qemu:// daemon: no state this process could copy. */
  g_assert_true (plan->has_tpm);
  g_assert_null (plan->tpm_state_dir);
  g_assert_true (vmd_clone_plan_validate (plan, &error));
}

static void
test_running_refused (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdClonePlan) plan = read_plan (fixture, "busy", &error);

  g_assert_null (plan);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "Shut down"));
}

static void
test_clone_xml (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdClonePlan) plan = read_plan (fixture, "orig", &error);
  g_autofree char *xml = NULL;
  g_autoptr(VmdXml) doc = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *volumes = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (run_clone (fixture, plan, FALSE, &error), ==, VMD_JOB_STATE_SUCCEEDED);
  g_assert_no_error (error);
  xml = domain_xml (fixture, "orig-clone");
  g_assert_nonnull (xml);
  doc = vmd_xml_parse (xml, &error);
  g_assert_no_error (error);
  uuid = vmd_xml_string (doc, NULL, "/domain/uuid");
  g_assert_nonnull (uuid);
  g_assert_cmpstr (uuid, !=, "55555555-5555-4555-8555-555555555555");
  mac = vmd_xml_string (doc, NULL, "/domain/devices/interface/mac/@address");
  g_assert_cmpstr (mac, !=, "52:54:00:aa:bb:01");
  assert_string (doc, "/domain/devices/disk[target/@dev='vda']/source/@file", "/vmdesk-pool/orig-clone.qcow2");
  assert_string (doc, "/domain/devices/disk[target/@dev='vdb']/source/@file", "/vmdesk-pool/orig-clone-vdb.img");
  assert_string (doc, "/domain/devices/disk[target/@dev='sda']/source/@file", "/vmdesk-pool/install.iso");
  assert_string (doc, "/domain/devices/disk[target/@dev='vdc']/source/@file", "/vmdesk-pool/shared.qcow2");
  assert_string (doc, "/domain/name", "orig-clone");
  assert_string (doc, "/domain/os/nvram", "/vmdesk-pool/orig-clone_VARS.fd");
  volumes = all_volumes (fixture);
  g_assert_nonnull (strstr (volumes, "vmdesk-pool/orig-clone.qcow2"));
  g_assert_nonnull (strstr (volumes, "vmdesk-pool/orig-clone-vdb.img"));
  g_assert_nonnull (strstr (volumes, "vmdesk-pool/orig-clone_VARS.fd"));
  /* The original is as it was. */
  g_clear_pointer (&xml, g_free);
  xml = domain_xml (fixture, "orig");
  g_assert_nonnull (strstr (xml, "/vmdesk-pool/orig.qcow2"));
  g_assert_nonnull (strstr (xml, "52:54:00:aa:bb:01"));
}

static void
test_thin (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdClonePlan) plan = read_plan (fixture, "orig", &error);
  g_autofree char *xml = NULL;
  g_autoptr(VmdXml) doc = NULL;
  virStorageVolPtr vol;
  g_autofree char *vol_xml = NULL;
  g_autoptr(VmdXml) vol_doc = NULL;

  g_assert_no_error (error);
  disk_of (plan, "vda")->mode = VMD_CLONE_DISK_THIN;
  disk_of (plan, "vdb")->mode = VMD_CLONE_DISK_SHARE;
  g_free (plan->pool);
  plan->pool = g_strdup ("other-pool");
  g_free (plan->name);
  plan->name = g_strdup ("thin+1");
  g_assert_cmpint (run_clone (fixture, plan, FALSE, &error), ==, VMD_JOB_STATE_SUCCEEDED);
  g_assert_no_error (error);
  xml = domain_xml (fixture, "thin+1");
  doc = vmd_xml_parse (xml, NULL);
  assert_string (doc, "/domain/devices/disk[target/@dev='vda']/source/@file", "/other-pool/thin+1.qcow2");
  assert_string (doc, "/domain/devices/disk[target/@dev='vda']/driver/@type", "qcow2");
  assert_string (doc, "/domain/devices/disk[target/@dev='vdb']/source/@file", "/vmdesk-pool/data.img");
  vol = virStorageVolLookupByPath (fixture->conn, "/other-pool/thin+1.qcow2");
  g_assert_nonnull (vol);
  vol_xml = virStorageVolGetXMLDesc (vol, 0);
  virStorageVolFree (vol);
  vol_doc = vmd_xml_parse (vol_xml, NULL);
  assert_string (vol_doc, "/volume/backingStore/path", "/vmdesk-pool/orig.qcow2");
  assert_string (vol_doc, "/volume/target/format/@type", "qcow2");
}

static void
test_bad_names (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const char *bad[] = { "", "a/b", "tab\there", "ctrl\001x", "orig", "busy", "-x", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdClonePlan) plan = read_plan (fixture, "orig", &error);
  g_autofree char *before = all_volumes (fixture);

  g_assert_no_error (error);
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) name_error = NULL;
      g_autofree char *after = NULL;

      g_assert_false (vmd_clone_plan_check_name (plan, bad[i], &name_error));
      g_assert_nonnull (name_error);
      g_free (plan->name);
      plan->name = g_strdup (bad[i]);
      g_clear_error (&name_error);
      g_assert_cmpint (run_clone (fixture, plan, FALSE, &name_error), ==, VMD_JOB_STATE_FAILED);
      g_assert_nonnull (name_error);
      after = all_volumes (fixture);
      g_assert_cmpstr (after, ==, before);
    }
  g_assert_true (vmd_clone_plan_check_name (plan, "orig-2", NULL));
}

static void
test_bad_choices (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdClonePlan) plan = read_plan (fixture, "orig", &error);

  g_assert_no_error (error);
  disk_of (plan, "sda")->mode = VMD_CLONE_DISK_COPY;
  g_assert_false (vmd_clone_plan_validate (plan, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  disk_of (plan, "sda")->mode = VMD_CLONE_DISK_SHARE;
  g_free (plan->pool);
  plan->pool = g_strdup ("no-such-pool");
  g_assert_false (vmd_clone_plan_validate (plan, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (run_clone (fixture, plan, FALSE, &error), ==, VMD_JOB_STATE_FAILED);
  g_assert_null (domain_xml (fixture, "orig-clone"));
}

/* Each step made to fail once it is done, or a Cancel: no domain, no new volume. */
static void
test_nothing_left (Fixture       *fixture,
                   gconstpointer  user_data)
{
  VmdCloneStep step = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdClonePlan) plan = read_plan (fixture, "orig", &error);
  g_autofree char *before = all_volumes (fixture);
  g_autofree char *after = NULL;
  VmdJobState state;

  g_assert_no_error (error);
  plan->fail_at = step;
  state = run_clone (fixture, plan, step == VMD_CLONE_STEP_NONE, &error);
  g_assert_cmpint (state, ==, step == VMD_CLONE_STEP_NONE ? VMD_JOB_STATE_CANCELLED : VMD_JOB_STATE_FAILED);
  g_assert_nonnull (error);
  g_assert_null (domain_xml (fixture, "orig-clone"));
  after = all_volumes (fixture);
  g_assert_cmpstr (after, ==, before);
  /* Nothing in the way either: the same plan clones once the fault is gone. */
  g_clear_error (&error);
  plan->fail_at = VMD_CLONE_STEP_NONE;
  g_assert_cmpint (run_clone (fixture, plan, FALSE, &error), ==, VMD_JOB_STATE_SUCCEEDED);
  g_assert_no_error (error);
}

/* The rewrite alone: a pool volume's disk becomes a block device's, logs get the new name. */
static void
test_rewrite (void)
{
  const char *xml =
    "<domain type='kvm'><name>web</name><uuid>11111111-1111-4111-8111-111111111111</uuid>"
    "<os><type>hvm</type><nvram template='/t.fd'>/n/web_VARS.fd</nvram></os><devices>"
    "<disk type='volume' device='disk'><driver name='qemu' type='raw'/>"
    "<source pool='vg' volume='web'/><target dev='vda'/></disk>"
    "<interface type='user'><mac address='52:54:00:00:00:01'/></interface>"
    "<serial type='pty'><log file='/var/log/web-serial0.log'/></serial>"
    "<console type='pty'><log file='/var/log/console.log'/></console>"
    "</devices></domain>";
  VmdCloneDiskSource disks[] = { { "vda", "/dev/vg/web2", "raw", TRUE } };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = vmd_clone_xml_rewrite (xml, "web", "web2", disks, 1, NULL, &error);
  g_autoptr(VmdXml) doc = NULL;

  g_assert_no_error (error);
  doc = vmd_xml_parse (out, NULL);
  assert_string (doc, "/domain/name", "web2");
  g_assert_false (vmd_xml_exists (doc, NULL, "/domain/uuid"));
  g_assert_false (vmd_xml_exists (doc, NULL, "/domain/devices/interface/mac"));
  assert_string (doc, "/domain/devices/disk/@type", "block");
  assert_string (doc, "/domain/devices/disk/source/@dev", "/dev/vg/web2");
  g_assert_false (vmd_xml_exists (doc, NULL, "/domain/devices/disk/source/@pool"));
  assert_string (doc, "/domain/os/nvram/@template", "/t.fd");
  g_assert_true (vmd_xml_exists (doc, NULL, "/domain/os/nvram"));
  assert_string (doc, "/domain/os/nvram", NULL);
  assert_string (doc, "/domain/devices/serial/log/@file", "/var/log/web2-serial0.log");
  assert_string (doc, "/domain/devices/console/log/@file", "/var/log/web2-console.log");
  g_assert_null (vmd_clone_xml_rewrite ("<network/>", "a", "b", NULL, 0, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
}

/* A fake swtpm state folder under the original's UUID: copied under the clone's, or, when a
 * step fails after it, gone with the rest. */
static void
test_tpm_state (Fixture       *fixture,
                gconstpointer  user_data)
{
  gboolean fail = GPOINTER_TO_INT (user_data);
  g_autofree char *root = g_dir_make_tmp ("vmd-clone-tpm-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (root, "55555555-5555-4555-8555-555555555555", NULL);
  g_autofree char *tpm2 = g_build_filename (state, "tpm2", NULL);
  g_autofree char *permall = g_build_filename (tpm2, "tpm2-00.permall", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdClonePlan) plan = read_plan (fixture, "orig", &error);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(VmdXml) doc = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  const char *entry;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (tpm2, 0700), ==, 0);
  g_assert_true (g_file_set_contents (permall, "sealed", -1, NULL));
  plan->tpm_state_dir = g_strdup (state);
  plan->fail_at = fail ? VMD_CLONE_STEP_TPM : VMD_CLONE_STEP_NONE;
  g_assert_cmpint (run_clone (fixture, plan, FALSE, &error), ==,
                   fail ? VMD_JOB_STATE_FAILED : VMD_JOB_STATE_SUCCEEDED);
  dir = g_dir_open (root, 0, NULL);
  while ((entry = g_dir_read_name (dir)) != NULL)
    n++;
  if (fail)
    {
      g_assert_cmpuint (n, ==, 1);
      g_assert_null (domain_xml (fixture, "orig-clone"));
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 2);
      xml = domain_xml (fixture, "orig-clone");
      doc = vmd_xml_parse (xml, NULL);
      uuid = vmd_xml_string (doc, NULL, "/domain/uuid");
      copy = g_build_filename (root, uuid, "tpm2", "tpm2-00.permall", NULL);
      g_assert_true (g_file_get_contents (copy, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "sealed");
      g_unlink (copy);
      g_clear_pointer (&copy, g_free);
      copy = g_build_filename (root, uuid, "tpm2", NULL);
      g_rmdir (copy);
      g_clear_pointer (&copy, g_free);
      copy = g_build_filename (root, uuid, NULL);
      g_rmdir (copy);
    }
  g_unlink (permall);
  g_rmdir (tpm2);
  g_rmdir (state);
  g_assert_cmpint (g_rmdir (root), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  vmd_test_init (&argc, &argv);
#define ADD(path, func, data) \
  g_test_add ("/machine-clone/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/machine-clone/rewrite", test_rewrite);
  ADD ("plan", test_plan, NULL);
  ADD ("running-refused", test_running_refused, NULL);
  ADD ("xml", test_clone_xml, NULL);
  ADD ("thin", test_thin, NULL);
  ADD ("bad/names", test_bad_names, NULL);
  ADD ("bad/choices", test_bad_choices, NULL);
  ADD ("nothing-left/cancel", test_nothing_left, GINT_TO_POINTER (VMD_CLONE_STEP_NONE));
  ADD ("nothing-left/check", test_nothing_left, GINT_TO_POINTER (VMD_CLONE_STEP_CHECK));
  ADD ("nothing-left/disks", test_nothing_left, GINT_TO_POINTER (VMD_CLONE_STEP_DISKS));
  ADD ("nothing-left/nvram", test_nothing_left, GINT_TO_POINTER (VMD_CLONE_STEP_NVRAM));
  ADD ("nothing-left/define", test_nothing_left, GINT_TO_POINTER (VMD_CLONE_STEP_DEFINE));
  ADD ("nothing-left/tpm", test_nothing_left, GINT_TO_POINTER (VMD_CLONE_STEP_TPM));
  ADD ("tpm-state/copied", test_tpm_state, GINT_TO_POINTER (FALSE));
  ADD ("tpm-state/undone", test_tpm_state, GINT_TO_POINTER (TRUE));
  return g_test_run ();
}
