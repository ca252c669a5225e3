/* VmdInstaller on libvirt's test driver: host facts, the two install boots (live XML with the
 * installer, persistent XML without), from an ISO or an install tree, and the rollback when each
 * step is made to fail. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-installer.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

typedef struct {
  VmdConnection   *connection;
  GVirConnection  *gconn;
  virConnectPtr    conn;
  VmdInstaller    *installer;
  VmdMachineSpec  *spec;
  char            *dir;       /* ISO, and the boot folder for extracted kernels */
  char            *boot_dir;
  char            *iso;
  char            *tree;      /* the folder the ISO is made of: an install tree too */
  char            *name;
} Fixture;

static guint serial;

static void
make_iso (Fixture *fixture)
{
  g_autofree char *tree = g_build_filename (fixture->tree, "boot", NULL);
  g_autofree char *kernel = g_build_filename (tree, "vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (tree, "initrd", NULL);
  const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-r", "-V", "VMDESK TEST",
                         "-o", fixture->iso, fixture->tree, NULL };
  int status = 0;

  g_assert_cmpint (g_mkdir_with_parents (tree, 0755), ==, 0);
  g_assert_true (g_file_set_contents (kernel, "K", -1, NULL));
  g_assert_true (g_file_set_contents (initrd, "I", -1, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_test_open_connection ("test:///default", 1000, &error);
  g_assert_no_error (error);
  fixture->gconn = g_object_ref (vmd_connection_get_gvir (fixture->connection));
  g_object_get (fixture->gconn, "handle", &fixture->conn, NULL);
  fixture->dir = g_dir_make_tmp ("vmd-installer-XXXXXX", NULL);
  fixture->boot_dir = g_build_filename (fixture->dir, "boot", NULL);
  fixture->iso = g_build_filename (fixture->dir, "install.iso", NULL);
  fixture->tree = g_build_filename (fixture->dir, "tree", NULL);
  fixture->name = g_strdup_printf ("created-%u-%d", ++serial, getpid ());
  make_iso (fixture);

  fixture->installer = vmd_installer_new (fixture->connection);
  vmd_installer_set_boot_dir (fixture->installer, fixture->boot_dir);
  vmd_installer_probe_async (fixture->installer, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  g_assert_true (vmd_installer_probe_finish (fixture->installer, result, &error));
  g_assert_no_error (error);

  fixture->spec = vmd_machine_spec_new ();
  vmd_installer_apply_host_facts (fixture->installer, fixture->spec);
  vmd_machine_spec_set_name (fixture->spec, fixture->name);
  vmd_machine_spec_set_media_path (fixture->spec, fixture->iso);
  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_NEW_VOLUME, NULL, 1);
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  virDomainPtr domain = virDomainLookupByName (fixture->conn, fixture->name);

  if (domain != NULL)
    {
      virDomainDestroy (domain);
      virDomainUndefine (domain);
      virDomainFree (domain);
    }
  virResetLastError ();
  virConnectClose (fixture->conn);
  g_clear_object (&fixture->installer);
  g_clear_object (&fixture->spec);
  vmd_connection_close (fixture->connection);
  g_clear_object (&fixture->connection);
  g_clear_object (&fixture->gconn);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->boot_dir);
  g_free (fixture->iso);
  g_free (fixture->tree);
  g_free (fixture->name);
}

static VmdInstallMedia *
load_media (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  VmdInstallMedia *media = vmd_install_media_load (fixture->iso, NULL, NULL, &error);

  g_assert_no_error (error);
  return media;
}

/* The ISO's folder as an install tree, for a direct kernel boot. */
static VmdInstallMedia *
use_tree (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  VmdInstallMedia *media = vmd_install_media_load (fixture->tree, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (vmd_install_media_is_tree (media));
  vmd_machine_spec_set_media_path (fixture->spec, fixture->tree);
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_KERNEL_BOOT);
  return media;
}

static char *
install (Fixture          *fixture,
         VmdInstallMedia  *media,
         const char       *custom_xml,
         GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_installer_install_async (fixture->installer, fixture->spec, media, custom_xml, VMD_INSTALL_NONE, NULL,
                               vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 20000));
  return vmd_installer_install_finish (fixture->installer, result, error);
}

static gboolean
volume_exists (Fixture *fixture)
{
  g_autofree char *name = g_strdup_printf ("%s.qcow2", fixture->name);
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->conn, "default");
  virStorageVolPtr volume;

  if (pool == NULL)
    return virResetLastError (), FALSE;
  virStoragePoolRefresh (pool, 0);
  volume = virStorageVolLookupByName (pool, name);
  virStoragePoolFree (pool);
  if (volume == NULL)
    return virResetLastError (), FALSE;
  virStorageVolFree (volume);
  return TRUE;
}

static char *
domain_xml (Fixture  *fixture,
            guint     flags)
{
  virDomainPtr domain = virDomainLookupByName (fixture->conn, fixture->name);
  char *xml;

  g_assert_nonnull (domain);
  xml = virDomainGetXMLDesc (domain, flags);
  virDomainFree (domain);
  return xml;
}

/* The domain's XML read with XPath, never searched as text. */
static char *
xml_value (const char *xml,
           const char *expr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, &error);

  g_assert_no_error (error);
  return vmd_xml_string (doc, NULL, expr);
}

static gboolean
xml_has (const char *xml,
         const char *expr)
{
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, NULL);

  g_assert_nonnull (doc);
  return vmd_xml_exists (doc, NULL, expr);
}

#define assert_xml(xml, expr, expected) G_STMT_START {      \
    g_autofree char *v_ = xml_value ((xml), (expr));        \
    g_assert_cmpstr (v_, ==, (expected));                   \
  } G_STMT_END

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_probe (Fixture       *fixture,
            gconstpointer  user_data)
{
  /* The test driver never offers KVM: it has no domain capabilities. */
  VmdHostFacts *facts = vmd_installer_get_host_facts (fixture->installer);

  g_assert_false (vmd_host_facts_get_kvm_default (facts));
  g_assert_cmpuint (vmd_host_facts_get_memory_mib (facts), >, 0);
  g_assert_cmpuint (vmd_host_facts_get_cpus (facts), >, 0);
  g_assert_false (vmd_machine_spec_get_kvm (fixture->spec));

  /* The test driver's own domain "test" is a taken name. */
  vmd_machine_spec_set_name (fixture->spec, "test");
  g_assert_false (vmd_machine_spec_check_field (fixture->spec, VMD_SPEC_FIELD_NAME, NULL));
}

static void
test_cdrom (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = install (fixture, NULL, NULL, &error);
  g_autofree char *live = NULL;
  g_autofree char *persistent = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, fixture->name);
  g_assert_true (volume_exists (fixture));
  live = domain_xml (fixture, 0);
  persistent = domain_xml (fixture, VIR_DOMAIN_XML_INACTIVE);
  assert_xml (live, "/domain/os/boot[1]/@dev", "cdrom");
  assert_xml (live, "/domain/on_reboot", "destroy");
  assert_xml (live, "/domain/devices/disk[@device='cdrom']/source/@file", fixture->iso);
  g_assert_false (xml_has (persistent, "/domain/os/boot[@dev='cdrom']"));
  assert_xml (persistent, "/domain/on_reboot", "restart");
  g_assert_false (xml_has (persistent, "/domain/devices/disk[@device='cdrom']/source"));
}

/* From the ISO (its kernel extracted, the ISO in the CD-ROM drive) or from the ISO's folder as an
 * install tree (copied; a folder is no disc, the drive stays empty). */
static void
test_kernel_boot (Fixture       *fixture,
                  gconstpointer  user_data)
{
  gboolean tree = GPOINTER_TO_INT (user_data);
  g_autoptr(VmdInstallMedia) media = tree ? use_tree (fixture) : load_media (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *live = NULL;
  g_autofree char *persistent = NULL;
  g_autofree char *kernel = NULL;

  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_KERNEL_BOOT);
  vmd_machine_spec_set_kernel_args (fixture->spec, "console=ttyS0");
  vmd_machine_spec_set_graphics (fixture->spec, VMD_GRAPHICS_NONE);
  name = install (fixture, media, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, fixture->name);
  live = domain_xml (fixture, 0);
  persistent = domain_xml (fixture, VIR_DOMAIN_XML_INACTIVE);
  kernel = xml_value (live, "/domain/os/kernel");
  g_assert_nonnull (kernel);
  g_assert_true (g_str_has_prefix (kernel, fixture->boot_dir));
  assert_xml (live, "/domain/os/cmdline", "console=ttyS0");
  /* The ISO is in the drive; a tree, which is no disc, is not. */
  assert_xml (live, "/domain/devices/disk[@device='cdrom']/source/@file", tree ? NULL : fixture->iso);
  g_assert_false (xml_has (persistent, "/domain/os/kernel"));
  g_assert_false (xml_has (persistent, "/domain/os/cmdline"));
  /* QEMU has read them: the copies are gone. */
  g_assert_cmpuint (count_files (fixture->boot_dir), ==, 0);
}

/* The initrd went away after the tree was read: the kernel already copied goes too. */
static void
test_tree_copy_fails (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(VmdInstallMedia) media = use_tree (fixture);
  g_autofree char *initrd = g_build_filename (fixture->tree, "boot", "initrd", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_assert_cmpint (g_unlink (initrd), ==, 0);
  name = install (fixture, media, NULL, &error);
  g_assert_null (name);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
  g_test_message ("%s", error->message);
  g_assert_null (virDomainLookupByName (fixture->conn, fixture->name));
  virResetLastError ();
  g_assert_false (volume_exists (fixture));
  g_assert_cmpuint (count_files (fixture->boot_dir), ==, 0);
}

static void
test_custom_xml (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = vmd_machine_spec_to_xml (fixture->spec, VMD_SPEC_PHASE_FINAL);
  g_autofree char *edited = NULL;
  g_autofree char *name = NULL;
  g_autofree char *live = NULL;
  g_autofree char *persistent = NULL;
  g_auto(GStrv) parts = g_strsplit (xml, "<memory", 2);

  edited = g_strconcat (parts[0], "<description>edited by hand</description><memory", parts[1], NULL);
  name = install (fixture, NULL, edited, &error);
  g_assert_no_error (error);
  live = domain_xml (fixture, 0);
  persistent = domain_xml (fixture, VIR_DOMAIN_XML_INACTIVE);
  assert_xml (persistent, "/domain/description", "edited by hand");
  assert_xml (live, "/domain/description", "edited by hand");
  assert_xml (live, "/domain/os/boot[1]/@dev", "cdrom");
}

/* A volume of that name, made by someone else, is neither overwritten nor deleted. */
static void
test_existing_volume_kept (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *vol_xml = g_strdup_printf ("<volume><name>%s.qcow2</name><capacity>1024</capacity>"
                                              "</volume>", fixture->name);
  virStoragePoolPtr pool;
  virStorageVolPtr volume;
  virDomainPtr domain;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *vol_name = g_strdup_printf ("%s.qcow2", fixture->name);

  /* The first install makes the pool; its machine and disk go again. (The test driver forgets
   * everything when its last connection closes, so this stays on one connection.) */
  name = install (fixture, NULL, NULL, &error);
  g_assert_no_error (error);
  domain = virDomainLookupByName (fixture->conn, fixture->name);
  virDomainDestroy (domain);
  virDomainUndefine (domain);
  virDomainFree (domain);
  pool = virStoragePoolLookupByName (fixture->conn, "default");
  g_assert_nonnull (pool);
  volume = virStorageVolLookupByName (pool, vol_name);
  g_assert_nonnull (volume);
  virStorageVolDelete (volume, 0);
  virStorageVolFree (volume);
  g_assert_false (volume_exists (fixture));
  volume = virStorageVolCreateXML (pool, vol_xml, 0);
  g_assert_nonnull (volume);
  virStorageVolFree (volume);
  virStoragePoolFree (pool);

  g_clear_pointer (&name, g_free);
  name = install (fixture, NULL, NULL, &error);
  g_assert_null (name);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_EXISTS);
  g_test_message ("%s", error->message);
  g_assert_true (volume_exists (fixture));
}

typedef struct {
  const char     *path;
  VmdInstallStep  step;
  gboolean        tree;
} Fault;

static void
test_rollback (Fixture       *fixture,
               gconstpointer  user_data)
{
  const Fault *fault = user_data;
  VmdInstallStep step = fault->step;
  g_autoptr(VmdInstallMedia) media = fault->tree ? use_tree (fixture) : load_media (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  virDomainPtr domain;

  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_KERNEL_BOOT);
  vmd_installer_set_fail_at (fixture->installer, step);
  name = install (fixture, media, NULL, &error);
  g_assert_null (name);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Injected"));

  domain = virDomainLookupByName (fixture->conn, fixture->name);
  g_assert_null (domain);
  virResetLastError ();
  g_assert_false (volume_exists (fixture));
  g_assert_cmpuint (count_files (fixture->boot_dir), ==, 0);

  /* Nothing left in the way: the same spec installs once the fault is gone. */
  vmd_installer_set_fail_at (fixture->installer, VMD_INSTALL_STEP_NONE);
  g_clear_error (&error);
  name = install (fixture, media, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, fixture->name);
}

static char *
install_paused (Fixture  *fixture,
                GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_installer_install_async (fixture->installer, fixture->spec, NULL, NULL, VMD_INSTALL_START_PAUSED,
                               NULL, vmd_test_store_result, &result);
  /* The installer works on a copy: what the assistant changes now changes nothing made. */
  g_object_set (fixture->spec, "memory-mib", (guint64) 4096, "vcpus", 3, "name", "renamed-meanwhile",
                "graphics", VMD_GRAPHICS_SPICE_VIRTIO, "network-kind", VMD_NETWORK_BRIDGE,
                "bridge", "br-meanwhile", "firmware", VMD_FIRMWARE_UEFI, "storage-kind", VMD_STORAGE_NONE,
                "install-method", VMD_INSTALL_METHOD_MANUAL, NULL);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 20000));
  return vmd_installer_install_finish (fixture->installer, result, error);
}

static gboolean
resume (Fixture  *fixture,
        GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_installer_resume_async (fixture->installer, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 20000));
  return vmd_installer_resume_finish (fixture->installer, result, error);
}

static int
domain_state (Fixture *fixture)
{
  virDomainPtr domain = virDomainLookupByName (fixture->conn, fixture->name);
  int state = -1;

  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainGetState (domain, &state, NULL, 0), ==, 0);
  virDomainFree (domain);
  return state;
}

/* Started paused for the console to attach, then resumed; the spec copied at the call. */
static void
test_paused (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = install_paused (fixture, &error);
  g_autofree char *xml = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, fixture->name);
  g_assert_cmpint (domain_state (fixture), ==, VIR_DOMAIN_PAUSED);
  xml = domain_xml (fixture, 0);
  /* What the spec held at the call, not what was set after it. */
  assert_xml (xml, "/domain/memory", "1048576");
  assert_xml (xml, "/domain/vcpu", "1");
  assert_xml (xml, "/domain/devices/video/model/@type", "qxl");
  assert_xml (xml, "/domain/devices/interface/@type", "network");
  g_assert_false (xml_has (xml, "/domain/os[@firmware='efi']"));
  g_assert_true (xml_has (xml, "/domain/devices/disk[@device='disk']"));
  assert_xml (xml, "/domain/os/boot[1]/@dev", "cdrom");
  g_assert_true (vmd_installer_has_paused (fixture->installer));
  g_assert_true (resume (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpint (domain_state (fixture), ==, VIR_DOMAIN_RUNNING);
  g_assert_false (vmd_installer_has_paused (fixture->installer));
  /* Nothing waits any more. */
  g_assert_false (resume (fixture, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE);
}

/* A resume that fails is a step that fails: the machine and its disk go. */
static void
test_paused_resume_fails (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = install_paused (fixture, &error);
  virDomainPtr domain;

  g_assert_no_error (error);
  vmd_installer_set_fail_at (fixture->installer, VMD_INSTALL_STEP_RESUME);
  g_assert_false (resume (fixture, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
  domain = virDomainLookupByName (fixture->conn, fixture->name);
  g_assert_null (domain);
  virResetLastError ();
  g_assert_false (volume_exists (fixture));
}

int
main (int argc, char *argv[])
{
  static const Fault faults[] = {
    { "/installer/rollback/pool", VMD_INSTALL_STEP_POOL, FALSE },
    { "/installer/rollback/volume", VMD_INSTALL_STEP_VOLUME, FALSE },
    { "/installer/rollback/kernel", VMD_INSTALL_STEP_KERNEL, FALSE },
    { "/installer/rollback/network", VMD_INSTALL_STEP_NETWORK, FALSE },
    { "/installer/rollback/define", VMD_INSTALL_STEP_DEFINE, FALSE },
    { "/installer/rollback/start", VMD_INSTALL_STEP_START, FALSE },
    { "/installer/rollback/finalize", VMD_INSTALL_STEP_FINALIZE, FALSE },
    /* After the tree's kernel is copied. */
    { "/installer/tree/rollback/network", VMD_INSTALL_STEP_NETWORK, TRUE },
    { "/installer/tree/rollback/start", VMD_INSTALL_STEP_START, TRUE },
    { "/installer/tree/rollback/finalize", VMD_INSTALL_STEP_FINALIZE, TRUE },
  };

  vmd_test_init (&argc, &argv);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/installer/probe", test_probe, NULL);
  ADD ("/installer/cdrom", test_cdrom, NULL);
  ADD ("/installer/kernel-boot", test_kernel_boot, GINT_TO_POINTER (FALSE));
  ADD ("/installer/tree/kernel-boot", test_kernel_boot, GINT_TO_POINTER (TRUE));
  ADD ("/installer/tree/copy-fails", test_tree_copy_fails, NULL);
  ADD ("/installer/custom-xml", test_custom_xml, NULL);
  ADD ("/installer/existing-volume-kept", test_existing_volume_kept, NULL);
  ADD ("/installer/paused", test_paused, NULL);
  ADD ("/installer/paused/resume-fails", test_paused_resume_fails, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    ADD (faults[i].path, test_rollback, &faults[i]);
#undef ADD
  return g_test_run ();
}
