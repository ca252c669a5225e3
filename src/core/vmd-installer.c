/* VmdInstaller: the steps of virt-install, each in a worker thread with libvirt's blocking calls,
 * and a record of what each made so that a failure later removes it again: no orphan volume, no
 * half-defined domain. A machine with an install boot is defined with its install XML, started,
 * then redefined with its final XML: the running boot keeps the kernel and on_reboot=destroy,
 * the next start boots the disk (what virt-install does). */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-host-check.h"
#include "vmd-installer.h"

#define MIB (G_GUINT64_CONSTANT (1) << 20)
#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define POOL_NAME "default"

struct _VmdInstaller
{
  GObject          parent_instance;

  GVirConnection  *connection;
  VmdInstallStep   fail_at;
  char            *boot_dir;

  /* Host facts, from the last probe. */
  gboolean         probed;
  gboolean         kvm_usable;
  gboolean         uefi_available;
  gboolean         is_local;
  gboolean         is_session;
  guint64          host_memory_mib;
  guint            host_cpus;
  GStrv            domain_names;
  GStrv            bridges;
  GHashTable      *session_bridges;  /* a session's bridge -> why it cannot join it */
  char            *pool_path;
  guint64          pool_free_bytes;
};

G_DEFINE_FINAL_TYPE (VmdInstaller, vmd_installer, G_TYPE_OBJECT)

static const char *step_names[] = {
  [VMD_INSTALL_STEP_NONE] = "none",
  [VMD_INSTALL_STEP_POOL] = "pool",
  [VMD_INSTALL_STEP_VOLUME] = "volume",
  [VMD_INSTALL_STEP_KERNEL] = "kernel",
  [VMD_INSTALL_STEP_NETWORK] = "network",
  [VMD_INSTALL_STEP_DEFINE] = "define",
  [VMD_INSTALL_STEP_START] = "start",
  [VMD_INSTALL_STEP_FINALIZE] = "finalize",
};

static virConnectPtr
dup_handle (VmdInstaller *self)
{
  virConnectPtr conn = NULL;

  g_object_get (self->connection, "handle", &conn, NULL);
  return conn;
}

static gboolean
injected_failure (VmdInstaller    *self,
                  VmdInstallStep   step,
                  GError         **error)
{
  if (self->fail_at != step)
    return FALSE;
  g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, "Injected failure at step “%s”", step_names[step]);
  return TRUE;
}

/* --- host facts ------------------------------------------------------------------------------ */

typedef struct {
  gboolean  kvm_usable;
  gboolean  uefi_available;
  gboolean  is_local;
  gboolean  is_session;
  guint64   host_memory_mib;
  guint     host_cpus;
  GStrv     domain_names;
  GStrv     bridges;
  GHashTable *session_bridges;
  char     *pool_path;
  guint64   pool_free_bytes;
} HostFacts;

static void
host_facts_free (HostFacts *facts)
{
  g_strfreev (facts->domain_names);
  g_strfreev (facts->bridges);
  g_clear_pointer (&facts->session_bridges, g_hash_table_unref);
  g_free (facts->pool_path);
  g_free (facts);
}

static char *
default_pool_path (gboolean session)
{
  if (session)
    return g_build_filename (g_get_user_data_dir (), "libvirt", "images", NULL);
  return g_strdup ("/var/lib/libvirt/images");
}

static GStrv
list_domain_names (virConnectPtr conn)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  virDomainPtr *domains = NULL;
  int n = virConnectListAllDomains (conn, &domains, 0);

  for (int i = 0; i < n; i++)
    {
      g_strv_builder_add (names, virDomainGetName (domains[i]));
      virDomainFree (domains[i]);
    }
  free (domains);
  return g_strv_builder_end (names);
}

/* libvirt's interface driver sees the network namespace QEMU runs in; without it (no udev, or
 * a driver that lacks it) a local host's /sys is the next best answer. */
static GStrv
list_bridges (virConnectPtr conn,
              gboolean      is_local)
{
  g_autoptr(GStrvBuilder) bridges = g_strv_builder_new ();
  virInterfacePtr *ifaces = NULL;
  int n = virConnectListAllInterfaces (conn, &ifaces, VIR_CONNECT_LIST_INTERFACES_ACTIVE);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = virInterfaceGetXMLDesc (ifaces[i], 0);

      if (xml != NULL && strstr (xml, "type='bridge'") != NULL)
        g_strv_builder_add (bridges, virInterfaceGetName (ifaces[i]));
      virInterfaceFree (ifaces[i]);
    }
  free (ifaces);
  if (n >= 0)
    return g_strv_builder_end (bridges);
  virResetLastError ();
  if (!is_local || (dir = g_dir_open ("/sys/class/net", 0, NULL)) == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *bridge_dir = g_build_filename ("/sys/class/net", name, "bridge", NULL);

      if (g_file_test (bridge_dir, G_FILE_TEST_IS_DIR))
        g_strv_builder_add (bridges, name);
    }
  return g_strv_builder_end (bridges);
}

/* A session's QEMU joins a bridge through qemu-bridge-helper: which bridges it may not use, why
 * and how an administrator allows them (an empty table: all may be used). */
static GHashTable *
session_bridge_problems (const char * const *bridges)
{
  GHashTable *problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; bridges != NULL && bridges[i] != NULL; i++)
    {
      char *problem = vmd_host_check_session_bridge_problem ("/", bridges[i]);

      if (problem != NULL)
        g_hash_table_insert (problems, g_strdup (bridges[i]), problem);
    }
  return problems;
}

static char *
pool_target_path (virStoragePoolPtr pool)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  GVirConfigStoragePool *config;
  GVirConfigStoragePoolTarget *target;
  char *path;

  if (xml == NULL || (config = gvir_config_storage_pool_new_from_xml (xml, NULL)) == NULL)
    return NULL;
  target = gvir_config_storage_pool_get_target (config);
  path = g_strdup (gvir_config_storage_pool_target_get_path (target));
  g_object_unref (target);
  g_object_unref (config);
  return path;
}

static void
probe_pool (virConnectPtr  conn,
            HostFacts     *facts)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, POOL_NAME);
  virStoragePoolInfo info;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFileInfo) fs = NULL;

  facts->pool_free_bytes = G_MAXUINT64;
  if (pool != NULL)
    {
      facts->pool_path = pool_target_path (pool);
      if (virStoragePoolIsActive (pool) == 1)
        virStoragePoolRefresh (pool, 0);
      if (virStoragePoolGetInfo (pool, &info) == 0 && info.state == VIR_STORAGE_POOL_RUNNING)
        facts->pool_free_bytes = info.available;
      virStoragePoolFree (pool);
      return;
    }
  virResetLastError ();
  /* Not made yet: the installer will make it where libvirt's tools do; ask the disk. */
  facts->pool_path = default_pool_path (facts->is_session);
  if (!facts->is_local)
    return;
  dir = g_file_new_for_path (facts->pool_path);
  while (dir != NULL && !g_file_query_exists (dir, NULL))
    {
      GFile *parent = g_file_get_parent (dir);

      g_object_unref (dir);
      dir = parent;
    }
  if (dir != NULL &&
      (fs = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL)) != NULL)
    facts->pool_free_bytes = g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
}

/* A /dev/kvm without the CPU's virtualization flags (some nested or sandboxed hosts) lets
 * libvirt list KVM, yet guests stop with "emulation failure" in real mode (isolinux): such a
 * host is treated as one without KVM. */
static gboolean
cpu_has_virt_flags (void)
{
  g_autofree char *cpuinfo = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    return TRUE;
  return strstr (cpuinfo, " vmx") != NULL || strstr (cpuinfo, " svm") != NULL;
}

static void
probe_virt (virConnectPtr  conn,
            HostFacts     *facts)
{
  g_autofree char *caps = virConnectGetCapabilities (conn);
  g_autofree char *domcaps = NULL;

  /* Only a host that can run KVM lists a kvm domain type for its guests (API-NOTES 7). */
  facts->kvm_usable = caps != NULL && strstr (caps, "<domain type='kvm'") != NULL &&
                      (!facts->is_local || cpu_has_virt_flags ());
  domcaps = virConnectGetDomainCapabilities (conn, NULL, "x86_64", "q35",
                                             facts->kvm_usable ? "kvm" : "qemu", 0);
  facts->uefi_available = domcaps != NULL && strstr (domcaps, "<value>efi</value>") != NULL;
  virResetLastError ();
}

static void
probe_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  VmdInstaller *self = source;
  virConnectPtr conn = dup_handle (self);
  HostFacts *facts;
  virNodeInfo node;

  if (conn == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, _("Not connected."));
      return;
    }
  facts = g_new0 (HostFacts, 1);
  facts->is_local = self->is_local;
  facts->is_session = self->is_session;
  if (virNodeGetInfo (conn, &node) == 0)
    {
      facts->host_memory_mib = node.memory / 1024;
      facts->host_cpus = node.cpus;
    }
  probe_virt (conn, facts);
  facts->domain_names = list_domain_names (conn);
  facts->bridges = list_bridges (conn, facts->is_local);
  if (facts->is_session)
    facts->session_bridges = session_bridge_problems ((const char * const *) facts->bridges);
  probe_pool (conn, facts);
  virConnectClose (conn);
  g_task_return_pointer (task, facts, (GDestroyNotify) host_facts_free);
}

void
vmd_installer_probe_async (VmdInstaller        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_installer_probe_async);
  g_task_run_in_thread (task, probe_in_thread);
}

gboolean
vmd_installer_probe_finish (VmdInstaller  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  HostFacts *facts = g_task_propagate_pointer (G_TASK (result), error);

  if (facts == NULL)
    return FALSE;
  self->probed = TRUE;
  self->kvm_usable = facts->kvm_usable;
  self->uefi_available = facts->uefi_available;
  self->host_memory_mib = facts->host_memory_mib;
  self->host_cpus = facts->host_cpus;
  g_strfreev (self->domain_names);
  self->domain_names = g_steal_pointer (&facts->domain_names);
  g_strfreev (self->bridges);
  self->bridges = g_steal_pointer (&facts->bridges);
  g_clear_pointer (&self->session_bridges, g_hash_table_unref);
  self->session_bridges = g_steal_pointer (&facts->session_bridges);
  g_free (self->pool_path);
  self->pool_path = g_steal_pointer (&facts->pool_path);
  self->pool_free_bytes = facts->pool_free_bytes;
  host_facts_free (facts);
  return TRUE;
}

void
vmd_installer_apply_host_facts (VmdInstaller   *self,
                                VmdMachineSpec *spec)
{
  g_return_if_fail (self->probed);
  vmd_machine_spec_set_taken_names (spec, (const char * const *) self->domain_names);
  vmd_machine_spec_set_host_bridges (spec, (const char * const *) self->bridges);
  vmd_machine_spec_set_session_bridges (spec, self->session_bridges);
  vmd_machine_spec_set_host_resources (spec, self->host_memory_mib, self->host_cpus);
  vmd_machine_spec_set_pool (spec, POOL_NAME, self->pool_path, self->pool_free_bytes);
  vmd_machine_spec_set_kvm (spec, self->kvm_usable);
  /* Session daemons have no NAT network of their own (API-NOTES 2). */
  if (self->is_session && vmd_machine_spec_get_network_kind (spec) == VMD_NETWORK_NAT)
    vmd_machine_spec_set_network (spec, VMD_NETWORK_USER, NULL);
}

gboolean
vmd_installer_get_kvm_usable (VmdInstaller *self)
{
  return self->kvm_usable;
}

gboolean
vmd_installer_get_uefi_available (VmdInstaller *self)
{
  return self->uefi_available;
}

gboolean
vmd_installer_get_is_local (VmdInstaller *self)
{
  return self->is_local;
}

const char * const *
vmd_installer_get_bridges (VmdInstaller *self)
{
  return (const char * const *) self->bridges;
}

guint64
vmd_installer_get_host_memory_mib (VmdInstaller *self)
{
  return self->host_memory_mib;
}

guint
vmd_installer_get_host_cpus (VmdInstaller *self)
{
  return self->host_cpus;
}

/* --- installing ------------------------------------------------------------------------------ */

typedef struct {
  VmdMachineSpec    *spec;
  VmdInstallMedia   *media;
  char              *custom_xml;

  /* What has been made so far, for the rollback. */
  virConnectPtr      conn;
  virStorageVolPtr   volume;
  char              *kernel;
  char              *initrd;
  virDomainPtr       domain;
  gboolean           started;
} Install;

static void
install_free (Install *install)
{
  g_clear_object (&install->spec);
  g_clear_object (&install->media);
  g_free (install->custom_xml);
  g_clear_pointer (&install->volume, virStorageVolFree);
  g_clear_pointer (&install->domain, virDomainFree);
  g_free (install->kernel);
  g_free (install->initrd);
  g_clear_pointer (&install->conn, virConnectClose);
  g_free (install);
}

static void
forget_kernel (Install *install)
{
  if (install->kernel != NULL)
    g_unlink (install->kernel);
  if (install->initrd != NULL)
    g_unlink (install->initrd);
  g_clear_pointer (&install->kernel, g_free);
  g_clear_pointer (&install->initrd, g_free);
}

/* In the reverse order of making. The pool stays: it is shared, as virt-manager leaves it. */
static void
roll_back (Install *install)
{
  if (install->domain != NULL)
    {
      if (install->started)
        virDomainDestroy (install->domain);
      /* Not every driver knows the NVRAM flag (the test driver does not). */
      if (virDomainUndefineFlags (install->domain, VIR_DOMAIN_UNDEFINE_NVRAM) < 0)
        virDomainUndefine (install->domain);
      g_clear_pointer (&install->domain, virDomainFree);
    }
  forget_kernel (install);
  if (install->volume != NULL)
    {
      virStorageVolDelete (install->volume, 0);
      g_clear_pointer (&install->volume, virStorageVolFree);
    }
  virResetLastError ();
}

static virStoragePoolPtr
define_pool (virConnectPtr   conn,
             const char     *path,
             GError        **error)
{
  GVirConfigStoragePool *config = gvir_config_storage_pool_new ();
  GVirConfigStoragePoolTarget *target = gvir_config_storage_pool_target_new ();
  g_autofree char *xml = NULL;
  virStoragePoolPtr pool;

  gvir_config_storage_pool_set_pool_type (config, GVIR_CONFIG_STORAGE_POOL_TYPE_DIR);
  gvir_config_storage_pool_set_name (config, POOL_NAME);
  gvir_config_storage_pool_target_set_path (target, path);
  gvir_config_storage_pool_set_target (config, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  g_object_unref (target);
  g_object_unref (config);
  pool = virStoragePoolDefineXML (conn, xml, 0);
  if (pool == NULL || virStoragePoolBuild (pool, 0) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not create the storage pool “%s” in %s"),
                                               POOL_NAME, path);

      vmd_error_set_from_libvirt (error, what);
      if (pool != NULL)
        {
          virStoragePoolUndefine (pool);
          virStoragePoolFree (pool);
        }
      return NULL;
    }
  virStoragePoolSetAutostart (pool, 1);
  return pool;
}

/* Pool `default`, made as a dir pool in the usual place when libvirt has none (API-NOTES 2). */
static virStoragePoolPtr
ensure_pool (VmdInstaller  *self,
             Install       *install,
             GError       **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (install->conn, POOL_NAME);
  g_autofree char *path = default_pool_path (self->is_session);

  if (injected_failure (self, VMD_INSTALL_STEP_POOL, error))
    {
      g_clear_pointer (&pool, virStoragePoolFree);
      return NULL;
    }
  if (pool == NULL && (pool = define_pool (install->conn, path, error)) == NULL)
    return NULL;
  if (virStoragePoolIsActive (pool) != 1 && virStoragePoolCreate (pool, 0) < 0)
    {
      vmd_error_set_from_libvirt (error, _("Could not start the storage pool “default”"));
      virStoragePoolFree (pool);
      return NULL;
    }
  /* Volumes made behind libvirt's back (or by another client) must be known before we add ours. */
  virStoragePoolRefresh (pool, 0);
  return pool;
}

static gboolean
create_volume (VmdInstaller  *self,
               Install       *install,
               GError       **error)
{
  GVirConfigStorageVol *config;
  GVirConfigStorageVolTarget *target;
  g_autofree char *name = g_strdup_printf ("%s.qcow2", vmd_machine_spec_get_name (install->spec));
  g_autofree char *xml = NULL;
  virStoragePoolPtr pool = ensure_pool (self, install, error);
  virStorageVolPtr existing;

  if (pool == NULL)
    return FALSE;
  if ((existing = virStorageVolLookupByName (pool, name)) != NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                   _("The pool “default” has a volume “%s” already; it will not be overwritten."), name);
      virStorageVolFree (existing);
      virStoragePoolFree (pool);
      return FALSE;
    }
  virResetLastError ();
  if (injected_failure (self, VMD_INSTALL_STEP_VOLUME, error))
    {
      virStoragePoolFree (pool);
      return FALSE;
    }
  config = gvir_config_storage_vol_new ();
  target = gvir_config_storage_vol_target_new ();
  gvir_config_storage_vol_set_name (config, name);
  gvir_config_storage_vol_set_capacity (config, vmd_machine_spec_get_disk_size_gib (install->spec) * GIB);
  gvir_config_storage_vol_set_allocation (config, 0);
  gvir_config_storage_vol_target_set_format (target, "qcow2");
  gvir_config_storage_vol_set_target (config, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  g_object_unref (target);
  g_object_unref (config);
  install->volume = virStorageVolCreateXML (pool, xml, 0);
  virStoragePoolFree (pool);
  if (install->volume == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("Could not create the disk “%s”"), name);

      vmd_error_set_from_libvirt (error, what);
      return FALSE;
    }
  return TRUE;
}

static char *
boot_dir (VmdInstaller *self)
{
  if (self->boot_dir != NULL)
    return g_strdup (self->boot_dir);
  if (self->is_session)
    return g_build_filename (g_get_user_cache_dir (), "vmdesk", "boot", NULL);
  return g_strdup ("/var/lib/libvirt/boot");
}

static gboolean
extract_kernel (VmdInstaller  *self,
                Install       *install,
                GError       **error)
{
  g_autofree char *dir = boot_dir (self);

  if (injected_failure (self, VMD_INSTALL_STEP_KERNEL, error))
    return FALSE;
  if (!self->is_local)
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("A direct kernel boot needs the kernel on the host that runs the "
                                  "machine: boot the ISO as a CD instead.")), FALSE;
  if (install->media == NULL)
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_MEDIA,
                                _("The installation media has not been read yet.")), FALSE;
  return vmd_install_media_extract_kernel (install->media, dir, vmd_machine_spec_get_name (install->spec),
                                           &install->kernel, &install->initrd, error);
}

static gboolean
ensure_network (VmdInstaller  *self,
                Install       *install,
                GError       **error)
{
  const char *name = vmd_machine_spec_get_network_source (install->spec);
  virNetworkPtr network;
  gboolean ok = TRUE;

  if (injected_failure (self, VMD_INSTALL_STEP_NETWORK, error))
    return FALSE;
  if (vmd_machine_spec_get_network_kind (install->spec) != VMD_NETWORK_NAT)
    return TRUE;
  if ((network = virNetworkLookupByName (install->conn, name)) == NULL)
    {
      virResetLastError ();
      return g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                          _("The virtual network “%s” does not exist: choose another network."),
                          name), FALSE;
    }
  /* Started for the new machine, as virt-manager offers to; it stays for the next ones. */
  if (virNetworkIsActive (network) != 1 && virNetworkCreate (network) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not start the virtual network “%s”"), name);

      vmd_error_set_from_libvirt (error, what);
      ok = FALSE;
    }
  virNetworkFree (network);
  return ok;
}

/* The user's edited XML is the final machine; the install boot is derived from it. */
static GVirConfigDomain *
make_final_config (Install  *install,
                   GError  **error)
{
  if (install->custom_xml == NULL)
    return vmd_machine_spec_to_config (install->spec, VMD_SPEC_PHASE_FINAL);
  return gvir_config_domain_new_from_xml (install->custom_xml, error);
}

/* libvirt decides the volume's path; the spec only guessed it from the pool's folder. */
static void
set_disk_path (GVirConfigDomain *config,
               virStorageVolPtr  volume)
{
  g_autofree char *path = virStorageVolGetPath (volume);
  GList *devices = gvir_config_domain_get_devices (config);

  for (GList *l = devices; l != NULL && path != NULL; l = l->next)
    if (GVIR_CONFIG_IS_DOMAIN_DISK (l->data) &&
        gvir_config_domain_disk_get_guest_device_type (l->data) == GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK)
      gvir_config_domain_disk_set_source (l->data, path);
  g_list_free_full (devices, g_object_unref);
}

static void
patch_for_install (Install          *install,
                   GVirConfigDomain *config)
{
  GVirConfigDomainOs *os = gvir_config_domain_get_os (config);
  GList *devices = gvir_config_domain_get_devices (config);
  g_autofree char *cdrom = vmd_machine_spec_dup_cdrom_source (install->spec);
  GList *boot = NULL;

  if (install->kernel != NULL)
    {
      gvir_config_domain_os_set_kernel (os, install->kernel);
      gvir_config_domain_os_set_ramdisk (os, install->initrd);
      if (vmd_machine_spec_get_kernel_args (install->spec) != NULL)
        gvir_config_domain_os_set_cmdline (os, vmd_machine_spec_get_kernel_args (install->spec));
    }
  else
    {
      boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_CDROM));
      boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_HD));
      gvir_config_domain_os_set_boot_devices (os, boot);
      g_list_free (boot);
    }
  /* gconfig's objects are views of one document: changing a device changes the domain. */
  for (GList *l = devices; l != NULL; l = l->next)
    if (GVIR_CONFIG_IS_DOMAIN_DISK (l->data) &&
        gvir_config_domain_disk_get_guest_device_type (l->data) == GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_CDROM)
      if (cdrom != NULL)
        gvir_config_domain_disk_set_source (l->data, cdrom);
  g_list_free_full (devices, g_object_unref);
  gvir_config_domain_set_lifecycle (config, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_REBOOT,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);
  g_object_unref (os);
}

static gboolean
define (VmdInstaller      *self,
        Install           *install,
        GVirConfigDomain  *config,
        GError           **error)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  g_autofree char *xml = NULL;
  virDomainPtr domain;

  /* Redefining the same machine: without its UUID libvirt would see a second one. */
  if (install->domain != NULL && virDomainGetUUIDString (install->domain, uuid) == 0)
    gvir_config_domain_set_uuid (config, uuid);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  if (injected_failure (self, install->domain == NULL ? VMD_INSTALL_STEP_DEFINE
                                                      : VMD_INSTALL_STEP_FINALIZE, error))
    return FALSE;
  domain = virDomainDefineXML (install->conn, xml);
  if (domain == NULL)
    {
      vmd_error_set_from_libvirt (error, _("Could not define the machine"));
      return FALSE;
    }
  if (install->domain == NULL)
    install->domain = domain;
  else
    virDomainFree (domain);
  return TRUE;
}

static gboolean
start (VmdInstaller  *self,
       Install       *install,
       GError       **error)
{
  if (injected_failure (self, VMD_INSTALL_STEP_START, error))
    return FALSE;
  if (virDomainCreate (install->domain) < 0)
    {
      vmd_error_set_from_libvirt (error, _("Could not start the machine"));
      return FALSE;
    }
  install->started = TRUE;
  return TRUE;
}

static gboolean
run_steps (VmdInstaller  *self,
           Install       *install,
           GError       **error)
{
  VmdMachineSpec *spec = install->spec;
  gboolean install_phase = vmd_machine_spec_needs_install_phase (spec);
  g_autoptr(GObject) final = NULL;
  g_autoptr(GObject) first = NULL;
  g_autofree char *final_xml = NULL;

  if (vmd_machine_spec_get_storage_kind (spec) == VMD_STORAGE_NEW_VOLUME &&
      !create_volume (self, install, error))
    return FALSE;
  if (vmd_machine_spec_get_install_method (spec) == VMD_INSTALL_METHOD_KERNEL_BOOT &&
      !extract_kernel (self, install, error))
    return FALSE;
  if (!ensure_network (self, install, error))
    return FALSE;
  if ((final = G_OBJECT (make_final_config (install, error))) == NULL)
    return FALSE;
  if (install->volume != NULL && install->custom_xml == NULL)
    set_disk_path (GVIR_CONFIG_DOMAIN (final), install->volume);
  if (install_phase)
    {
      final_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (final));
      first = G_OBJECT (gvir_config_domain_new_from_xml (final_xml, NULL));
      patch_for_install (install, GVIR_CONFIG_DOMAIN (first));
    }
  if (!define (self, install, GVIR_CONFIG_DOMAIN (install_phase ? first : final), error))
    return FALSE;
  if (!start (self, install, error))
    return FALSE;
  /* The running boot keeps its install config; the persistent one is the final machine. */
  if (install_phase && !define (self, install, GVIR_CONFIG_DOMAIN (final), error))
    return FALSE;
  return TRUE;
}

static void
install_in_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  VmdInstaller *self = source;
  Install *install = task_data;
  GError *error = NULL;

  install->conn = dup_handle (self);
  if (install->conn == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, _("Not connected."));
      return;
    }
  if (!run_steps (self, install, &error))
    {
      roll_back (install);
      g_task_return_error (task, error);
      return;
    }
  /* QEMU has read the kernel at start; like virt-install, do not leave copies behind. */
  forget_kernel (install);
  g_task_return_pointer (task, g_strdup (vmd_machine_spec_get_name (install->spec)), g_free);
}

void
vmd_installer_install_async (VmdInstaller        *self,
                             VmdMachineSpec      *spec,
                             VmdInstallMedia     *media,
                             const char          *custom_xml,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Install *install = g_new0 (Install, 1);
  g_autoptr(GError) error = NULL;
  VmdSpecField field;

  g_task_set_source_tag (task, vmd_installer_install_async);
  install->spec = g_object_ref (spec);
  install->media = media != NULL ? g_object_ref (media) : NULL;
  install->custom_xml = g_strdup (custom_xml);
  g_task_set_task_data (task, install, (GDestroyNotify) install_free);
  if (!vmd_machine_spec_validate (spec, &field, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, install_in_thread);
}

/* Returns the new machine's name. */
char *
vmd_installer_install_finish (VmdInstaller  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vmd_installer_set_fail_at (VmdInstaller   *self,
                           VmdInstallStep  step)
{
  self->fail_at = step;
}

void
vmd_installer_set_boot_dir (VmdInstaller *self,
                            const char   *dir)
{
  g_free (self->boot_dir);
  self->boot_dir = g_strdup (dir);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_installer_finalize (GObject *object)
{
  VmdInstaller *self = VMD_INSTALLER (object);

  g_clear_object (&self->connection);
  g_free (self->boot_dir);
  g_strfreev (self->domain_names);
  g_strfreev (self->bridges);
  g_clear_pointer (&self->session_bridges, g_hash_table_unref);
  g_free (self->pool_path);
  G_OBJECT_CLASS (vmd_installer_parent_class)->finalize (object);
}

static void
vmd_installer_class_init (VmdInstallerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_installer_finalize;
}

static void
vmd_installer_init (VmdInstaller *self)
{
  self->pool_free_bytes = G_MAXUINT64;
}

/* GVirConnection keeps its URI: no libvirt call, so this may run on the main loop. */
VmdInstaller *
vmd_installer_new (GVirConnection *connection)
{
  VmdInstaller *self = g_object_new (VMD_TYPE_INSTALLER, NULL);
  g_autoptr(GUri) uri = g_uri_parse (gvir_connection_get_uri (connection), G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  self->connection = g_object_ref (connection);
  self->is_local = host == NULL || *host == '\0';
  self->is_session = uri != NULL && g_strcmp0 (g_uri_get_path (uri), "/session") == 0;
  return self;
}
