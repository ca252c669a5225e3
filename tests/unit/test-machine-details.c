/* VmdMachineConfig and VmdMachineDetails against libvirt's test driver: each editable field is
 * applied, read back by a fresh reload, and compared with the XML libvirt now holds. */
#include "config.h"

#include <string.h>

#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-machine-details.h"
#include "vmd-text-diff.h"
#include "vmd-test-util.h"

typedef struct {
  VmdConnection *connection;
  virConnectPtr  handle;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *uri = vmd_test_data_uri ("details.xml");
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_test_open_connection (uri, 1000, &error);
  g_assert_no_error (error);
  g_object_get (vmd_connection_get_gvir (fixture->connection), "handle", &fixture->handle, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  virConnectClose (fixture->handle);
  g_clear_object (&fixture->connection);
}

static gboolean
finish_edit (VmdMachineDetails  *details,
             GAsyncResult      **result,
             char              **note,
             GError            **error)
{
  gboolean ok;

  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, result, 5000));
  ok = vmd_machine_details_edit_finish (details, *result, note, error);
  if (!ok)
    g_test_message ("edit failed: %s", (*error)->message);
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
  finish_edit (details, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vmd_machine_details_get_config (details));
  return details;
}

/* What libvirt holds now, read past our code. */
static char *
libvirt_xml (Fixture      *fixture,
             const char   *name,
             unsigned int  flags)
{
  virDomainPtr domain = virDomainLookupByName (fixture->handle, name);
  char *xml;
  char *copy;

  g_assert_nonnull (domain);
  xml = virDomainGetXMLDesc (domain, flags);
  virDomainFree (domain);
  g_assert_nonnull (xml);
  copy = g_strdup (xml);
  free (xml);
  return copy;
}

static void
assert_xml_has (Fixture    *fixture,
                const char *name,
                const char *fragment)
{
  g_autofree char *xml = libvirt_xml (fixture, name, VIR_DOMAIN_XML_INACTIVE);

  if (strstr (xml, fragment) == NULL)
    g_error ("%s not in the definition of %s:\n%s", fragment, name, xml);
}

/* --- reading ----------------------------------------------------------------------------------- */

static void
test_parse (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "web");
  const VmdMachineConfig *config = vmd_machine_details_get_config (details);
  const VmdDiskInfo *cd;
  const VmdNicInfo *nic;

  g_assert_cmpstr (config->name, ==, "web");
  g_assert_cmpstr (config->uuid, ==, "aaaaaaaa-1111-4111-8111-111111111111");
  g_assert_cmpstr (config->title, ==, "Web server");
  g_assert_cmpstr (config->os_id, ==, "http://debian.org/debian/11");
  g_assert_cmpstr (config->domain_type, ==, "test");
  g_assert_cmpstr (config->machine_type, ==, "pc");
  g_assert_cmpstr (config->firmware, ==, "BIOS");
  g_assert_nonnull (config->live_xml);
  g_assert_cmpuint (config->max_memory_kib, ==, 1048576);
  g_assert_cmpuint (config->current_memory_kib, ==, 524288);
  g_assert_cmpuint (config->max_vcpus, ==, 4);
  g_assert_cmpuint (config->current_vcpus, ==, 2);
  g_assert_cmpuint (g_strv_length (config->boot_devices), ==, 1);
  g_assert_cmpstr (config->boot_devices[0], ==, "hd");
  g_assert_cmpuint (config->disks->len, ==, 2);
  cd = vmd_machine_config_find_disk (config, "sda");
  g_assert_nonnull (cd);
  g_assert_cmpstr (cd->device, ==, "cdrom");
  g_assert_cmpstr (cd->path, ==, "/vmdesk-pool/install.iso");
  g_assert_true (cd->readonly);
  g_assert_cmpuint (((VmdDiskInfo *) config->disks->pdata[0])->capacity, ==, 10 * G_GUINT64_CONSTANT (1073741824));
  nic = vmd_machine_config_find_nic (config, "52:54:00:AA:BB:01");
  g_assert_nonnull (nic);
  g_assert_cmpstr (nic->type, ==, "network");
  g_assert_cmpstr (nic->source, ==, "default");
  g_assert_cmpstr (nic->model, ==, "virtio");
  g_assert_true (nic->link_up);
}

static gboolean
os_named (gpointer user_data)
{
  return vmd_machine_details_get_config (user_data)->os_name != NULL;
}

/* The libosinfo id in the metadata becomes libosinfo's name once the catalog has loaded: in
 * under a second, but some 100 s under valgrind on a busy machine, hence the ceiling. */
static void
test_os_name (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "web");

  g_assert_true (vmd_test_wait_until (os_named, details, 240000));
  g_assert_cmpstr (vmd_machine_details_get_config (details)->os_name, ==, "Debian 11");
}

static void
test_parse_uefi (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "uefi");
  const VmdMachineConfig *config = vmd_machine_details_get_config (details);
  g_autofree char *reason = NULL;

  g_assert_true (config->uefi);
  g_assert_true (g_str_has_prefix (config->firmware, "UEFI"));
  g_assert_null (config->live_xml);
  /* External snapshots, NVRAM copied with them (issue 15). */
  g_assert_true (vmd_machine_config_can_snapshot (config, &reason));
  g_assert_null (reason);
}

static void
test_parse_bad_xml (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachineConfig) config = vmd_machine_config_parse ("<domain><name>x</domain>", NULL, &error);

  g_assert_null (config);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
}

static void
test_diff (void)
{
  g_autofree char *diff = vmd_text_diff ("a\nb\nc", "a\nB\nc\nd");

  g_assert_cmpstr (diff, ==, "  a\n+ B\n- b\n  c\n+ d\n");
}

/* --- overview ---------------------------------------------------------------------------------- */

static void
test_title (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(VmdMachineDetails) reloaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_machine_details_set_title_async (details, NULL, &(VmdTitleFields) { "Database", "Postgres <15> & friends" }, VMD_EDIT_NONE, NULL,
                                       vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_machine_details_get_config (details)->title, ==, "Database");
  assert_xml_has (fixture, "db", "<title>Database</title>");
  assert_xml_has (fixture, "db", "<description>Postgres &lt;15&gt; &amp; friends</description>");
  reloaded = load_details (fixture, "db");
  g_assert_cmpstr (vmd_machine_details_get_config (reloaded)->description, ==, "Postgres <15> & friends");

  /* Empty removes them. */
  vmd_machine_details_set_title_async (details, NULL, &(VmdTitleFields) { "", NULL }, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_null (vmd_machine_details_get_config (details)->title);
  g_assert_null (vmd_machine_details_get_config (details)->description);
}

static void
test_title_running (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "web");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *live = NULL;

  vmd_machine_details_set_title_async (details, NULL, &(VmdTitleFields) { "Front", NULL }, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  assert_xml_has (fixture, "web", "<title>Front</title>");
  live = libvirt_xml (fixture, "web", 0);
  g_assert_nonnull (strstr (live, "<title>Front</title>"));
}

static void
test_rename (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain;
  GLogLevelFlags fatal;

  /* libvirt-gobject 4.0 does not know the RENAMED detail of the events a rename sends and warns
   * "code should not be reached": not ours to fail on, so warnings are not fatal meanwhile. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  vmd_machine_details_rename_async (details, "db-old", NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  vmd_test_spin (300);
  g_log_set_always_fatal (fatal);
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_machine_details_get_config (details)->name, ==, "db-old");
  domain = virDomainLookupByName (fixture->handle, "db-old");
  g_assert_nonnull (domain);
  virDomainFree (domain);
  assert_xml_has (fixture, "db-old", "<uuid>bbbbbbbb-2222-4222-8222-222222222222</uuid>");
}

static void
test_rename_running_refused (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "web");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_machine_details_rename_async (details, "web2", NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_LIBVIRT);
  /* Our words, then libvirt's. */
  g_assert_true (g_str_has_prefix (error->message, "Could not rename “web”: "));
  g_assert_cmpstr (vmd_machine_details_get_config (details)->name, ==, "web");
}

static void
test_autostart (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain = virDomainLookupByName (fixture->handle, "db");
  int autostart = 0;

  g_assert_false (vmd_machine_details_get_config (details)->autostart);
  vmd_machine_details_set_autostart_async (details, TRUE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_machine_details_get_config (details)->autostart);
  g_assert_cmpint (virDomainGetAutostart (domain, &autostart), ==, 0);
  g_assert_cmpint (autostart, ==, 1);
  virDomainFree (domain);
}

/* --- memory and vCPUs ----------------------------------------------------------------------- */

static void
test_memory (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(VmdMachineDetails) reloaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  vmd_machine_details_set_memory_async (details, NULL, &(VmdMemoryFields) { 786432, 393216 }, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, &note, &error));
  g_assert_no_error (error);
  g_assert_null (note);
  assert_xml_has (fixture, "db", "<memory unit='KiB'>786432</memory>");
  assert_xml_has (fixture, "db", "<currentMemory unit='KiB'>393216</currentMemory>");
  reloaded = load_details (fixture, "db");
  g_assert_cmpuint (vmd_machine_details_get_config (reloaded)->max_memory_kib, ==, 786432);
  g_assert_cmpuint (vmd_machine_details_get_config (reloaded)->current_memory_kib, ==, 393216);
}

static void
test_memory_live (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "web");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *live = NULL;

  /* Within the running maximum: the balloon takes it now, and the definition keeps it. */
  vmd_machine_details_set_memory_async (details, NULL, &(VmdMemoryFields) { 1048576, 786432 }, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, &note, &error));
  g_assert_no_error (error);
  g_assert_null (note);
  live = libvirt_xml (fixture, "web", 0);
  g_assert_nonnull (strstr (live, "<currentMemory unit='KiB'>786432</currentMemory>"));
  assert_xml_has (fixture, "web", "<currentMemory unit='KiB'>786432</currentMemory>");
  g_assert_cmpuint (vmd_machine_details_get_config (details)->live_memory_kib, ==, 786432);

  /* A new maximum waits for the next boot, and the note says so. */
  vmd_machine_details_set_memory_async (details, NULL, &(VmdMemoryFields) { 2097152, 786432 }, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, &note, &error));
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "next boot"));
  assert_xml_has (fixture, "web", "<memory unit='KiB'>2097152</memory>");
}

static void
test_memory_invalid (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_machine_details_set_memory_async (details, NULL, &(VmdMemoryFields) { 262144, 524288 }, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  assert_xml_has (fixture, "db", "<memory unit='KiB'>524288</memory>");
  g_assert_cmpuint (vmd_machine_details_get_config (details)->max_memory_kib, ==, 524288);
}

static void
test_vcpus (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_machine_details_set_vcpus_async (details, NULL, &(VmdVcpuFields) { 4, 2 }, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  assert_xml_has (fixture, "db", "<vcpu placement='static' current='2'>4</vcpu>");
  g_assert_cmpuint (vmd_machine_details_get_config (details)->max_vcpus, ==, 4);
  g_assert_cmpuint (vmd_machine_details_get_config (details)->current_vcpus, ==, 2);
}

static void
test_vcpus_live (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "web");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  vmd_machine_details_set_vcpus_async (details, NULL, &(VmdVcpuFields) { 4, 3 }, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, &note, &error));
  g_assert_no_error (error);
  g_assert_null (note);
  g_assert_cmpuint (vmd_machine_details_get_config (details)->live_vcpus, ==, 3);
  assert_xml_has (fixture, "web", "current='3'>4</vcpu>");

  /* Above the running maximum: only for the next boot, and said. */
  vmd_machine_details_set_vcpus_async (details, NULL, &(VmdVcpuFields) { 6, 6 }, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, &note, &error));
  g_assert_nonnull (note);
  g_assert_cmpuint (vmd_machine_details_get_config (details)->live_vcpus, ==, 3);
  assert_xml_has (fixture, "web", ">6</vcpu>");
}

static void
test_vcpu_info (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "web");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vcpus = NULL;
  VmdVcpuInfo *first;

  vmd_machine_details_list_vcpus_async (details, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  vcpus = vmd_machine_details_list_vcpus_finish (details, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vcpus->len, ==, 2);
  first = vcpus->pdata[0];
  g_assert_cmpuint (first->number, ==, 0);
  g_assert_cmpstr (first->state, ==, "running");
  g_assert_cmpint (first->cpu, >=, 0);
  g_assert_cmpstr (first->affinity, ==, "0-3");
}

static void
test_vcpu_info_shut_off (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vcpus = NULL;

  vmd_machine_details_list_vcpus_async (details, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  vcpus = vmd_machine_details_list_vcpus_finish (details, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vcpus->len, ==, 1);
  g_assert_null (((VmdVcpuInfo *) vcpus->pdata[0])->state);
  g_assert_cmpint (((VmdVcpuInfo *) vcpus->pdata[0])->cpu, ==, -1);
}

/* --- boot ------------------------------------------------------------------------------------ */

static void
test_boot (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  const char *devices[] = { "cdrom", "hd", NULL };
  VmdBootSettings boot = { devices, TRUE, "/boot/vmlinuz", "/boot/initrd", "console=ttyS0 quiet" };
  VmdBootSettings plain = { devices + 1, FALSE, NULL, NULL, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const VmdMachineConfig *config;

  vmd_machine_details_set_boot_async (details, NULL, &boot, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  assert_xml_has (fixture, "db", "<boot dev='cdrom'/>\n    <boot dev='hd'/>");
  assert_xml_has (fixture, "db", "<bootmenu enable='yes'/>");
  assert_xml_has (fixture, "db", "<kernel>/boot/vmlinuz</kernel>");
  assert_xml_has (fixture, "db", "<cmdline>console=ttyS0 quiet</cmdline>");
  config = vmd_machine_details_get_config (details);
  g_assert_cmpstr (config->boot_devices[0], ==, "cdrom");
  g_assert_cmpstr (config->initrd, ==, "/boot/initrd");
  g_assert_true (config->boot_menu);

  vmd_machine_details_set_boot_async (details, NULL, &plain, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  config = vmd_machine_details_get_config (details);
  g_assert_null (config->kernel);
  g_assert_null (config->cmdline);
  g_assert_false (config->boot_menu);
  g_assert_cmpuint (g_strv_length (config->boot_devices), ==, 1);
}

/* --- disks and CDs ----------------------------------------------------------------------------- */

static void
test_disk_add_volume (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  VmdNewDisk disk = { "disk", NULL, NULL, "vmdesk-pool", NULL, 2 * G_GUINT64_CONSTANT (1073741824) };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const VmdDiskInfo *added;

  vmd_machine_details_add_disk_async (details, &disk, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  added = vmd_machine_config_find_disk (vmd_machine_details_get_config (details), "vdc");
  g_assert_nonnull (added);
  g_assert_cmpstr (added->path, ==, "/vmdesk-pool/db-vdc.qcow2");
  g_assert_cmpstr (added->bus, ==, "virtio");
  g_assert_cmpuint (added->capacity, ==, disk.capacity);
  assert_xml_has (fixture, "db", "<source file='/vmdesk-pool/db-vdc.qcow2'/>");
}

static void
test_disk_add_existing (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  VmdNewDisk disk = { "disk", "sata", "/vmdesk-pool/spare.qcow2", NULL, NULL, 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_machine_details_add_disk_async (details, &disk, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  /* sda is the CD drive: the next SATA place. */
  g_assert_nonnull (vmd_machine_config_find_disk (vmd_machine_details_get_config (details), "sdb"));
  assert_xml_has (fixture, "db", "<target dev='sdb' bus='sata'/>");
}

static void
test_disk_remove (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  virStorageVolPtr vol;

  /* shared.qcow2 is "uefi"'s disk too: never deleted, and the disk stays. */
  vmd_machine_details_remove_disk_async (details, "vdb", TRUE, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "uefi"));
  g_clear_error (&error);
  assert_xml_has (fixture, "db", "shared.qcow2");

  vmd_machine_details_remove_disk_async (details, "vdb", FALSE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (vmd_machine_config_find_disk (vmd_machine_details_get_config (details), "vdb"));

  vmd_machine_details_remove_disk_async (details, "vda", TRUE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (vmd_machine_config_find_disk (vmd_machine_details_get_config (details), "vda"));
  vol = virStorageVolLookupByPath (fixture->handle, "/vmdesk-pool/db.qcow2");
  g_assert_null (vol);
  vol = virStorageVolLookupByPath (fixture->handle, "/vmdesk-pool/shared.qcow2");
  g_assert_nonnull (vol);
  virStorageVolFree (vol);
}

static void
test_cd_change (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = libvirt_xml (fixture, "db", VIR_DOMAIN_XML_INACTIVE);

  vmd_machine_details_change_media_async (details, "sda", "/vmdesk-pool/other.iso", NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_machine_config_find_disk (vmd_machine_details_get_config (details), "sda")->path,
                   ==, "/vmdesk-pool/other.iso");
  assert_xml_has (fixture, "db", "<source file='/vmdesk-pool/other.iso'/>");

  vmd_machine_details_change_media_async (details, "sda", NULL, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_null (vmd_machine_config_find_disk (vmd_machine_details_get_config (details), "sda")->path);
  /* Ejected in place: the definition is as it was. */
  {
    g_autofree char *after = libvirt_xml (fixture, "db", VIR_DOMAIN_XML_INACTIVE);

    g_assert_cmpstr (after, ==, before);
  }

  /* Not a CD drive. */
  vmd_machine_details_change_media_async (details, "vda", "/vmdesk-pool/other.iso", NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
}

/* --- network interfaces ---------------------------------------------------------------------- */

static void
test_nics (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const VmdMachineConfig *config;
  g_autofree char *mac = NULL;

  vmd_machine_details_add_nic_async (details, &(VmdNewNic) { "network", "default", "e1000" }, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  config = vmd_machine_details_get_config (details);
  g_assert_cmpuint (config->nics->len, ==, 1);
  mac = g_strdup (((VmdNicInfo *) config->nics->pdata[0])->mac);
  g_assert_nonnull (mac);    /* libvirt made one */
  g_assert_cmpstr (((VmdNicInfo *) config->nics->pdata[0])->model, ==, "e1000");
  assert_xml_has (fixture, "db", "<source network='default'/>");

  vmd_machine_details_set_link_async (details, mac, FALSE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (vmd_machine_config_find_nic (vmd_machine_details_get_config (details), mac)->link_up);
  assert_xml_has (fixture, "db", "<link state='down'/>");

  vmd_machine_details_add_nic_async (details, &(VmdNewNic) { "bridge", "", NULL }, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  vmd_machine_details_remove_nic_async (details, mac, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vmd_machine_details_get_config (details)->nics->len, ==, 0);
}

/* --- any device --------------------------------------------------------------------------------- */

/* The generic device edits Add Hardware builds on: a device attached from its XML, detached by
 * its place; detached again, it is not there, and nothing changes. */
static void
test_attach_detach_device (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  vmd_machine_details_attach_device_async (details, "<watchdog model='i6300esb' action='poweroff'/>", NULL,
                                           vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  assert_xml_has (fixture, "db", "<watchdog model='i6300esb' action='poweroff'/>");
  g_assert_nonnull (strstr (vmd_machine_details_get_config (details)->xml, "i6300esb"));

  vmd_machine_details_detach_device_async (details, "/domain/devices/watchdog", NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  before = libvirt_xml (fixture, "db", VIR_DOMAIN_XML_INACTIVE);
  g_assert_null (strstr (before, "watchdog"));

  vmd_machine_details_detach_device_async (details, "/domain/devices/watchdog", NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  vmd_machine_details_attach_device_async (details, "<watchdog model=", NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  after = libvirt_xml (fixture, "db", VIR_DOMAIN_XML_INACTIVE);
  g_assert_cmpstr (after, ==, before);
}

/* --- the XML editor --------------------------------------------------------------------------- */

static void
test_define_xml (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = g_strdup (vmd_machine_details_get_config (details)->xml);
  g_auto(GStrv) parts = g_strsplit (xml, "<vcpu placement='static'>1</vcpu>", 2);
  g_autofree char *edited = g_strjoinv ("<vcpu placement='static'>3</vcpu>", parts);
  g_autofree char *diff = NULL;

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  vmd_machine_details_define_xml_async (details, NULL, edited, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vmd_machine_details_get_config (details)->max_vcpus, ==, 3);
  diff = vmd_text_diff (xml, vmd_machine_details_get_config (details)->xml);
  g_assert_nonnull (strstr (diff, "- "));
  g_assert_nonnull (strstr (diff, "+   <vcpu placement='static'>3</vcpu>"));
}

static void
test_define_xml_rejected (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = libvirt_xml (fixture, "db", VIR_DOMAIN_XML_INACTIVE);
  const char *xml = vmd_machine_details_get_config (details)->xml;
  g_auto(GStrv) parts = g_strsplit (xml, "<devices>", 2);
  g_autofree char *invalid = g_strjoinv ("<devices><disk type='file' device='tape'/>", parts);
  g_autofree char *after = NULL;

  vmd_machine_details_define_xml_async (details, NULL, invalid, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_LIBVIRT);
  g_test_message ("libvirt said: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "libvirt did not accept the new definition of “db”: "));
  g_clear_error (&error);
  after = libvirt_xml (fixture, "db", VIR_DOMAIN_XML_INACTIVE);
  g_assert_cmpstr (after, ==, before);

  /* Not well-formed: caught before libvirt. */
  vmd_machine_details_define_xml_async (details, NULL, "<domain><name>db</domain>", NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
}

static void
test_define_xml_other_machine (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *xml = vmd_machine_details_get_config (details)->xml;
  g_auto(GStrv) by_uuid = g_strsplit (xml, "bbbbbbbb-2222", 2);
  g_auto(GStrv) by_name = g_strsplit (xml, "<name>db</name>", 2);
  g_autofree char *other_uuid = g_strjoinv ("bbbbbbbb-9999", by_uuid);
  g_autofree char *other_name = g_strjoinv ("<name>db-copy</name>", by_name);
  virDomainPtr copy;

  vmd_machine_details_define_xml_async (details, NULL, other_uuid, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  vmd_machine_details_define_xml_async (details, NULL, other_name, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  copy = virDomainLookupByName (fixture->handle, "db-copy");
  g_assert_null (copy);
}

/* --- snapshots ------------------------------------------------------------------------------- */

static GPtrArray *
list_snapshots (VmdMachineDetails *details)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  vmd_machine_details_list_snapshots_async (details, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  list = vmd_machine_details_list_snapshots_finish (details, result, &error);
  g_assert_no_error (error);
  return list;
}

static void
test_snapshots (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "web");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  VmdSnapshotInfo *snapshot;

  vmd_machine_details_create_snapshot_async (details, "before-upgrade", "Debian 11 & nginx", NULL,
                                             vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  vmd_machine_details_create_snapshot_async (details, "after", NULL, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);

  list = list_snapshots (details);
  g_assert_cmpuint (list->len, ==, 2);
  snapshot = list->pdata[0];
  g_assert_cmpstr (snapshot->name, ==, "before-upgrade");
  g_assert_cmpstr (snapshot->description, ==, "Debian 11 & nginx");
  g_assert_cmpstr (snapshot->state, ==, "running");
  g_assert_true (snapshot->has_memory);
  g_assert_cmpint (snapshot->creation_time, >, 0);
  g_assert_false (snapshot->current);
  g_assert_true (((VmdSnapshotInfo *) list->pdata[1])->current);
  g_assert_null (snapshot->parent);
  g_assert_cmpstr (((VmdSnapshotInfo *) list->pdata[1])->parent, ==, "before-upgrade");
  g_clear_pointer (&list, g_ptr_array_unref);

  vmd_machine_details_revert_snapshot_async (details, "before-upgrade", NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  list = list_snapshots (details);
  g_assert_true (((VmdSnapshotInfo *) list->pdata[0])->current);
  g_clear_pointer (&list, g_ptr_array_unref);

  vmd_machine_details_delete_snapshot_async (details, "after", NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  list = list_snapshots (details);
  g_assert_cmpuint (list->len, ==, 1);

  vmd_machine_details_delete_snapshot_async (details, "no-such", NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_LIBVIRT);
}

/* A UEFI machine's snapshot is external (issue 15); the test driver takes none, and its refusal
 * is kept in the message, with nothing left behind. */
static void
test_snapshot_uefi_refused (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "uefi");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  vmd_machine_details_create_snapshot_async (details, "s1", NULL, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_LIBVIRT);
  g_assert_nonnull (strstr (error->message, "unsupported flags"));
  list = list_snapshots (details);
  g_assert_cmpuint (list->len, ==, 0);
}

/* The config signal arrives before the caller's callback, with the new config in place. */
static void
on_changed (VmdMachineDetails *details,
            guint             *count)
{
  (*count)++;
}

static void
test_changed_signal (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  g_signal_connect (details, "changed", G_CALLBACK (on_changed), &count);
  vmd_machine_details_set_autostart_async (details, TRUE, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (vmd_machine_details_edit_finish (details, result, NULL, &error));
}

/* --- changes made elsewhere ------------------------------------------------------------------ */

/* What another client (virsh define) does: the whole definition, read and defined again with a
 * new description, memory and vCPUs. Past our code, on the same libvirt connection (the test
 * driver's machines live in it). */
static void
define_outside (Fixture    *fixture,
                const char *name,
                const char *title,
                const char *description,
                guint64     memory_kib,
                guint       vcpus)
{
  g_autofree char *xml = libvirt_xml (fixture, name, VIR_DOMAIN_XML_INACTIVE);
  g_autofree char *titled = vmd_domain_xml_set_title (xml, title, description, NULL);
  g_autofree char *sized = vmd_domain_xml_set_memory (titled, memory_kib, memory_kib, NULL);
  g_autofree char *counted = vmd_domain_xml_set_vcpus (sized, vcpus, vcpus, NULL);
  virDomainPtr domain = virDomainDefineXML (fixture->handle, counted);

  g_assert_nonnull (domain);
  virDomainFree (domain);
}

static gboolean
description_is_outside (gpointer user_data)
{
  const VmdMachineConfig *config = vmd_machine_details_get_config (user_data);

  return g_strcmp0 (config->description, "from outside") == 0;
}

/* Nobody asks for a reload: the machine says its definition changed, and the model reads it. */
static void
test_follows_outside_define (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  VmdMachine *machine = vmd_machine_details_get_machine (details);
  guint serial = vmd_machine_get_definition_serial (machine);
  guint changed = 0;
  const VmdMachineConfig *config;

  g_signal_connect (details, "changed", G_CALLBACK (on_changed), &changed);
  define_outside (fixture, "db", NULL, "from outside", 131072, 2);
  g_assert_true (vmd_test_wait_until (description_is_outside, details, 2000));
  g_assert_cmpuint (vmd_machine_get_definition_serial (machine), >, serial);
  config = vmd_machine_details_get_config (details);
  g_assert_cmpuint (config->max_memory_kib, ==, 131072);
  g_assert_cmpuint (config->max_vcpus, ==, 2);
  g_assert_cmpuint (changed, ==, 1);
}

/* A title typed in a form filled before another client's define: only the title is written,
 * onto the definition libvirt holds then; the other client's description and memory stay. */
static void
test_title_keeps_outside_description (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(VmdMachineConfig) started = vmd_machine_config_ref ((VmdMachineConfig *) vmd_machine_details_get_config (details));
  VmdTitleFields base = vmd_title_fields_of (started);
  VmdTitleFields mine = { "Typed here", started->description };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  define_outside (fixture, "db", NULL, "from outside", 131072, 2);
  vmd_machine_details_set_title_async (details, &base, &mine, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  g_assert_no_error (error);
  assert_xml_has (fixture, "db", "<title>Typed here</title>");
  assert_xml_has (fixture, "db", "<description>from outside</description>");
  assert_xml_has (fixture, "db", "<memory unit='KiB'>131072</memory>");
  assert_xml_has (fixture, "db", ">2</vcpu>");
  g_assert_cmpstr (vmd_machine_details_get_config (details)->description, ==, "from outside");
}

/* The same field changed here and elsewhere: refused with the definition read again, until the
 * user says to overwrite; the field not typed in stays as the other client left it. */
static void
test_title_conflict (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autoptr(VmdMachineConfig) started = vmd_machine_config_ref ((VmdMachineConfig *) vmd_machine_details_get_config (details));
  VmdTitleFields base = vmd_title_fields_of (started);
  VmdTitleFields mine = { "Mine", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  define_outside (fixture, "db", "Theirs", "from outside", 524288, 1);
  vmd_machine_details_set_title_async (details, &base, &mine, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Title: none → “Theirs”"));
  g_clear_error (&error);
  assert_xml_has (fixture, "db", "<title>Theirs</title>");
  g_assert_cmpstr (vmd_machine_details_get_config (details)->title, ==, "Theirs");

  vmd_machine_details_set_title_async (details, &base, &mine, VMD_EDIT_OVERWRITE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  assert_xml_has (fixture, "db", "<title>Mine</title>");
  assert_xml_has (fixture, "db", "<description>from outside</description>");
}

/* Memory: the current amount typed, the maximum raised elsewhere: both kept, no conflict. */
static void
test_memory_merges_fields (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  VmdMemoryFields base = vmd_memory_fields_of (vmd_machine_details_get_config (details));
  VmdMemoryFields mine = { base.max_kib, 262144 };
  g_autofree char *xml = libvirt_xml (fixture, "db", VIR_DOMAIN_XML_INACTIVE);
  g_autofree char *raised = vmd_domain_xml_set_memory (xml, 1048576, 524288, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain = virDomainDefineXML (fixture->handle, raised);

  virDomainFree (domain);
  vmd_machine_details_set_memory_async (details, &base, &mine, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  assert_xml_has (fixture, "db", "<memory unit='KiB'>1048576</memory>");
  assert_xml_has (fixture, "db", "<currentMemory unit='KiB'>262144</currentMemory>");

  /* The maximum typed too, and changed elsewhere in between: a conflict that names it. */
  base = vmd_memory_fields_of (vmd_machine_details_get_config (details));
  mine = (VmdMemoryFields) { 786432, base.current_kib };
  define_outside (fixture, "db", NULL, NULL, 131072, 1);
  vmd_machine_details_set_memory_async (details, &base, &mine, VMD_EDIT_NONE, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Maximum memory: 1024 MiB → 128 MiB"));
  assert_xml_has (fixture, "db", "<memory unit='KiB'>131072</memory>");
}

/* The XML editor's text was written from a definition that is no longer libvirt's: nothing is
 * defined, and the model holds the current one for the editor to show beside the user's. */
static void
test_define_xml_changed_base (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(VmdMachineDetails) details = load_details (fixture, "db");
  g_autofree char *base = g_strdup (vmd_machine_details_get_config (details)->xml);
  g_auto(GStrv) parts = g_strsplit (base, "<vcpu placement='static'>1</vcpu>", 2);
  g_autofree char *edited = g_strjoinv ("<vcpu placement='static'>3</vcpu>", parts);
  g_autofree char *current = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  define_outside (fixture, "db", NULL, "from outside", 131072, 1);
  vmd_machine_details_define_xml_async (details, base, edited, NULL, vmd_test_store_result, &result);
  g_assert_false (finish_edit (details, &result, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_CONFLICT);
  g_clear_error (&error);
  assert_xml_has (fixture, "db", "<description>from outside</description>");
  assert_xml_has (fixture, "db", ">1</vcpu>");
  current = g_strdup (vmd_machine_details_get_config (details)->xml);
  g_assert_nonnull (strstr (current, "from outside"));

  /* Written from the current one (or overwriting it, which is the same): accepted. */
  g_strfreev (parts);
  parts = g_strsplit (current, "<vcpu placement='static'>1</vcpu>", 2);
  g_free (edited);
  edited = g_strjoinv ("<vcpu placement='static'>3</vcpu>", parts);
  vmd_machine_details_define_xml_async (details, current, edited, NULL, vmd_test_store_result, &result);
  g_assert_true (finish_edit (details, &result, NULL, &error));
  assert_xml_has (fixture, "db", "<description>from outside</description>");
  assert_xml_has (fixture, "db", ">3</vcpu>");
}

/* The words of the conflict bar, and the three-way merge of one form, without libvirt. */
static void
test_fields_describe_and_merge (void)
{
  VmdMemoryFields a = { 262144, 262144 }, b = { 131072, 262144 };
  VmdVcpuFields base = { 1, 1 }, theirs = { 2, 2 }, mine = { 1, 1 }, merged;
  VmdTitleFields t1 = { "Web", "One line\nand another" }, t2 = { "Web", "One line\nand a third" };
  const char *hd[] = { "hd", NULL }, *cd_hd[] = { "cdrom", "hd", NULL };
  VmdBootSettings boot_a = { hd, FALSE, NULL, NULL, NULL }, boot_b = { cd_hd, TRUE, "/vmlinuz", NULL, NULL };
  g_autofree char *memory = vmd_memory_fields_describe (&a, &b);
  g_autofree char *same = vmd_memory_fields_describe (&a, &a);
  g_autofree char *title = vmd_title_fields_describe (&t1, &t2);
  g_autofree char *boot = vmd_boot_settings_describe (&boot_a, &boot_b);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (memory, ==, "Maximum memory: 256 MiB → 128 MiB");
  g_assert_null (same);
  /* Differing after its first line still shows. */
  g_assert_cmpstr (title, ==, "Description: “One line…” → “One line…”");
  g_assert_cmpstr (boot, ==, "Boot order: hd → cdrom, hd\nBoot menu: off → on\nKernel: none → “/vmlinuz”");

  /* Nothing typed: what libvirt holds now. */
  g_assert_true (vmd_vcpu_fields_merge (&base, &mine, &theirs, FALSE, &merged, &error));
  g_assert_cmpuint (merged.max, ==, 2);
  /* Typed the same as elsewhere: no conflict. */
  mine = (VmdVcpuFields) { 2, 1 };
  g_assert_true (vmd_vcpu_fields_merge (&base, &mine, &theirs, FALSE, &merged, &error));
  g_assert_cmpuint (merged.max, ==, 2);
  g_assert_cmpuint (merged.current, ==, 2);
  mine = (VmdVcpuFields) { 4, 1 };
  g_assert_false (vmd_vcpu_fields_merge (&base, &mine, &theirs, FALSE, &merged, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_CONFLICT);
  g_assert_true (vmd_vcpu_fields_merge (&base, &mine, &theirs, TRUE, &merged, NULL));
  g_assert_cmpuint (merged.max, ==, 4);
  g_assert_cmpuint (merged.current, ==, 2);
}

#define ADD(path, fn) \
  g_test_add ("/machine-details/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_test_add_func ("/machine-details/xml/bad", test_parse_bad_xml);
  g_test_add_func ("/machine-details/xml/diff", test_diff);
  g_test_add_func ("/machine-details/elsewhere/describe-and-merge", test_fields_describe_and_merge);
  ADD ("overview/parse", test_parse);
  ADD ("overview/parse-uefi", test_parse_uefi);
  ADD ("overview/os-name", test_os_name);
  ADD ("overview/title", test_title);
  ADD ("overview/title-running", test_title_running);
  ADD ("overview/rename", test_rename);
  ADD ("overview/rename-running-refused", test_rename_running_refused);
  ADD ("overview/autostart", test_autostart);
  ADD ("overview/changed-signal", test_changed_signal);
  ADD ("memory/shut-off", test_memory);
  ADD ("memory/live", test_memory_live);
  ADD ("memory/invalid", test_memory_invalid);
  ADD ("vcpus/shut-off", test_vcpus);
  ADD ("vcpus/live", test_vcpus_live);
  ADD ("vcpus/info", test_vcpu_info);
  ADD ("vcpus/info-shut-off", test_vcpu_info_shut_off);
  ADD ("boot/order-menu-kernel", test_boot);
  ADD ("disks/add-volume", test_disk_add_volume);
  ADD ("disks/add-existing", test_disk_add_existing);
  ADD ("disks/remove", test_disk_remove);
  ADD ("disks/cd-change", test_cd_change);
  ADD ("nics/add-link-remove", test_nics);
  ADD ("devices/attach-detach", test_attach_detach_device);
  ADD ("xml/define", test_define_xml);
  ADD ("xml/define-rejected", test_define_xml_rejected);
  ADD ("xml/define-other-machine", test_define_xml_other_machine);
  ADD ("snapshots/create-revert-delete", test_snapshots);
  ADD ("snapshots/uefi-refused", test_snapshot_uefi_refused);
  ADD ("elsewhere/outside-define-followed", test_follows_outside_define);
  ADD ("elsewhere/title-keeps-outside-description", test_title_keeps_outside_description);
  ADD ("elsewhere/title-conflict", test_title_conflict);
  ADD ("elsewhere/memory-merges-fields", test_memory_merges_fields);
  ADD ("elsewhere/xml-changed-base", test_define_xml_changed_base);
  return g_test_run ();
}
