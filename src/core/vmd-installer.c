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
#include "vmd-installer.h"
#include "vmd-serial-log.h"

#define MIB (G_GUINT64_CONSTANT (1) << 20)
#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define POOL_NAME "default"

struct _VmdInstaller
{
  GObject          parent_instance;

  VmdConnection   *connection;
  VmdHostFacts    *facts;        /* the connection's, asked again at each probe */
  VmdInstallStep   fail_at;
  char            *boot_dir;
  char            *serial_log_dir;

  gboolean         probed;
  gboolean         is_local;
  gboolean         is_session;

  struct _Install *paused;    /* a machine started paused, waiting for its resume */
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
  [VMD_INSTALL_STEP_RESUME] = "resume",
};

/* The connection's handle of the moment (it changes when the connection is made again), or
 * NULL while it is not open. */
static virConnectPtr
dup_handle (VmdInstaller *self)
{
  GVirConnection *gconn = vmd_connection_get_gvir (self->connection);
  virConnectPtr conn = NULL;

  if (gconn != NULL && gvir_connection_is_open (gconn))
    g_object_get (gconn, "handle", &conn, NULL);
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

static char *
default_pool_path (gboolean session)
{
  if (session)
    return g_build_filename (g_get_user_data_dir (), "libvirt", "images", NULL);
  return g_strdup ("/var/lib/libvirt/images");
}

static void
on_facts_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdInstaller *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!vmd_host_facts_ensure_finish (VMD_HOST_FACTS (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (vmd_connection_get_state (self->connection) != VMD_CONNECTION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED, _("Not connected."));
      return;
    }
  self->probed = TRUE;
  g_task_return_boolean (task, TRUE);
}

/* What the assistant's checks need, from the connection's host facts, asked afresh (free
 * space and networks change). */
void
vmd_installer_probe_async (VmdInstaller        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_installer_probe_async);
  vmd_host_facts_ensure_async (self->facts, TRUE, cancellable, on_facts_ready, task);
}

gboolean
vmd_installer_probe_finish (VmdInstaller  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GStrv
machine_names (VmdConnection *connection)
{
  GListModel *machines = vmd_connection_get_machines (connection);
  guint n = g_list_model_get_n_items (machines);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (machines, i);

      g_strv_builder_add (names, vmd_machine_get_name (machine));
    }
  return g_strv_builder_end (names);
}

/* The networks, and the ones not running: the assistant says it will start those. */
static void
apply_networks (VmdHostFacts   *facts,
                VmdMachineSpec *spec)
{
  GPtrArray *networks = vmd_host_facts_get_networks (facts);
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) inactive = g_strv_builder_new ();
  g_auto(GStrv) all_names = NULL;
  g_auto(GStrv) inactive_names = NULL;

  if (networks == NULL)
    return;
  for (guint i = 0; i < networks->len; i++)
    {
      VmdHostNetwork *network = networks->pdata[i];

      g_strv_builder_add (all, network->network);
      if (!network->active)
        g_strv_builder_add (inactive, network->network);
    }
  all_names = g_strv_builder_end (all);
  inactive_names = g_strv_builder_end (inactive);
  vmd_machine_spec_set_host_networks (spec, (const char * const *) all_names,
                                      (const char * const *) inactive_names);
}

void
vmd_installer_apply_host_facts (VmdInstaller   *self,
                                VmdMachineSpec *spec)
{
  g_auto(GStrv) names = machine_names (self->connection);
  g_autofree char *fallback_pool = default_pool_path (self->is_session);
  const char *pool_path = vmd_host_facts_get_pool_path (self->facts);

  g_return_if_fail (self->probed);
  vmd_machine_spec_set_taken_names (spec, (const char * const *) names);
  vmd_machine_spec_set_host_bridges (spec, vmd_host_facts_get_bridges (self->facts));
  vmd_machine_spec_set_session_bridges (spec, self->is_session
                                                ? vmd_host_facts_get_session_bridge_problems (self->facts)
                                                : NULL);
  apply_networks (self->facts, spec);
  vmd_machine_spec_set_host_resources (spec, vmd_host_facts_get_memory_mib (self->facts),
                                       vmd_host_facts_get_cpus (self->facts));
  vmd_machine_spec_set_pool (spec, POOL_NAME, pool_path != NULL ? pool_path : fallback_pool,
                             vmd_host_facts_get_pool_free (self->facts));
  vmd_machine_spec_set_kvm (spec, vmd_host_facts_get_kvm_default (self->facts));
  vmd_machine_spec_set_serial_log_dir (spec, self->serial_log_dir);
  /* Session daemons have no NAT network of their own: libvirt makes none for them. */
  if (self->is_session && vmd_machine_spec_get_network_kind (spec) == VMD_NETWORK_NAT)
    vmd_machine_spec_set_network (spec, VMD_NETWORK_USER, NULL);
}

/* The one answer on KVM, shared with every window: its host facts. */
VmdHostFacts *
vmd_installer_get_host_facts (VmdInstaller *self)
{
  return self->facts;
}

/* --- installing ------------------------------------------------------------------------------ */

typedef struct _Install {
  VmdMachineSpec    *spec;       /* the frozen copy taken on the main loop: all the worker reads */
  VmdInstallMedia   *media;
  char              *custom_xml;
  VmdInstallFlags    flags;
  gboolean           kept;       /* started paused and finished: the installer holds it */
  GCancellable      *cancellable;   /* the task's, while its thread runs */

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

/* The pool the user chose; `default` is made as a dir pool in the usual place when libvirt has
 * none: neither libvirt nor Debian makes it, and qemu:///session never has one. Any other pool
 * was chosen from the connection's, so it must exist: it is never made here. */
static virStoragePoolPtr
ensure_pool (VmdInstaller  *self,
             Install       *install,
             GError       **error)
{
  const char *name = vmd_machine_spec_get_pool_name (install->spec);
  virStoragePoolPtr pool = virStoragePoolLookupByName (install->conn, name);
  g_autofree char *path = default_pool_path (self->is_session);

  if (injected_failure (self, VMD_INSTALL_STEP_POOL, error))
    {
      g_clear_pointer (&pool, virStoragePoolFree);
      return NULL;
    }
  if (pool == NULL && g_strcmp0 (name, POOL_NAME) != 0)
    {
      g_autofree char *what = g_strdup_printf (_("The storage pool “%s” is gone"), name);

      vmd_error_set_from_libvirt (error, what);
      return NULL;
    }
  if (pool == NULL && (pool = define_pool (install->conn, path, error)) == NULL)
    return NULL;
  if (virStoragePoolIsActive (pool) != 1 && virStoragePoolCreate (pool, 0) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Could not start the storage pool “%s”"), name);

      vmd_error_set_from_libvirt (error, what);
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
                   _("The pool “%s” has a volume “%s” already; it will not be overwritten."),
                   vmd_machine_spec_get_pool_name (install->spec), name);
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
                                           &install->kernel, &install->initrd,
                                           install->cancellable, error);
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

/* A driver that cannot start paused (libvirt's test driver) starts it and pauses it at once. */
static int
create_paused (virDomainPtr domain)
{
  virErrorPtr last;

  if (virDomainCreateWithFlags (domain, VIR_DOMAIN_START_PAUSED) == 0)
    return 0;
  last = virGetLastError ();
  if (last == NULL || last->code != VIR_ERR_INVALID_ARG)
    return -1;
  virResetLastError ();
  if (virDomainCreate (domain) < 0)
    return -1;
  return virDomainSuspend (domain);
}

static gboolean
start (VmdInstaller  *self,
       Install       *install,
       GError       **error)
{
  gboolean paused = (install->flags & VMD_INSTALL_START_PAUSED) != 0;

  if (injected_failure (self, VMD_INSTALL_STEP_START, error))
    return FALSE;
  if ((paused ? create_paused (install->domain) : virDomainCreate (install->domain)) < 0)
    {
      vmd_error_set_from_libvirt (error, _("Could not start the machine"));
      /* Started, not paused: the rollback must stop it. */
      install->started = virDomainIsActive (install->domain) == 1;
      virResetLastError ();
      return FALSE;
    }
  install->started = TRUE;
  return TRUE;
}

/* A new user's cache has no libvirt log folder yet, and virtlogd opens the serial log there
 * before QEMU runs: the first machine failed to start ("Unable to open file"). The folder is
 * the user's own, and this process is that user. */
static void
ensure_session_log_dir (VmdInstaller *self)
{
  if (self->is_session && self->serial_log_dir != NULL)
    g_mkdir_with_parents (self->serial_log_dir, 0700);
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
  ensure_session_log_dir (self);
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

  install->cancellable = cancellable;
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
  /* QEMU has read the kernel at start, even paused; like virt-install, leave no copies behind. */
  forget_kernel (install);
  g_task_return_pointer (task, g_strdup (vmd_machine_spec_get_name (install->spec)), g_free);
}

/* A paused machine's record outlives its task: vmd_installer_resume_async() takes it. */
static void
install_task_data_free (gpointer data)
{
  Install *install = data;

  if (!install->kept)
    install_free (install);
}

/* Makes the machine from a copy of SPEC taken now: changing SPEC afterwards changes nothing
 * made. With VMD_INSTALL_START_PAUSED its first start stops before the guest runs anything, so
 * a console attached meanwhile misses nothing; vmd_installer_resume_async() lets it run. */
void
vmd_installer_install_async (VmdInstaller        *self,
                             VmdMachineSpec      *spec,
                             VmdInstallMedia     *media,
                             const char          *custom_xml,
                             VmdInstallFlags      flags,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Install *install = g_new0 (Install, 1);
  g_autoptr(GError) error = NULL;
  VmdSpecField field;

  g_task_set_source_tag (task, vmd_installer_install_async);
  install->spec = vmd_machine_spec_copy (spec);
  install->media = media != NULL ? g_object_ref (media) : NULL;
  install->custom_xml = g_strdup (custom_xml);
  install->flags = flags;
  g_task_set_task_data (task, install, install_task_data_free);
  if (self->paused != NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                               _("The machine made last has not been started yet."));
      return;
    }
  if (!vmd_machine_spec_validate (install->spec, &field, &error))
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
  Install *install;
  char *name;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  name = g_task_propagate_pointer (G_TASK (result), error);
  install = g_task_get_task_data (G_TASK (result));
  /* The record of what was made stays for the resume, which undoes it all if that fails. */
  if (name != NULL && (install->flags & VMD_INSTALL_START_PAUSED))
    {
      /* Handed over: the task, freed whenever its caller drops the result, no longer points at
       * the record (its free function sees kept and lets it be). */
      install->kept = TRUE;
      g_task_set_task_data (G_TASK (result), NULL, NULL);
      self->paused = install;
    }
  return name;
}

static void
resume_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Install *install = task_data;
  GError *error = NULL;

  if (source != NULL && injected_failure (source, VMD_INSTALL_STEP_RESUME, &error))
    {
      roll_back (install);
      g_task_return_error (task, error);
      return;
    }
  if (virDomainResume (install->domain) < 0)
    {
      vmd_error_set_from_libvirt (&error, _("Could not start the machine"));
      roll_back (install);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Lets the machine that install started paused run; if it cannot, everything made for it is
 * removed, as for any failed step. */
void
vmd_installer_resume_async (VmdInstaller        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_installer_resume_async);
  if (self->paused == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                               _("No machine is waiting to be started."));
      return;
    }
  /* Not cancellable: a machine left paused and half-made is worse than one that runs. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_steal_pointer (&self->paused), (GDestroyNotify) install_free);
  g_task_run_in_thread (task, resume_in_thread);
}

gboolean
vmd_installer_resume_finish (VmdInstaller  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
vmd_installer_has_paused (VmdInstaller *self)
{
  return self->paused != NULL;
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
vmd_installer_dispose (GObject *object)
{
  VmdInstaller *self = VMD_INSTALLER (object);

  /* Its owner went before it asked for the resume: the machine runs rather than stays paused. */
  if (self->paused != NULL)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      g_task_set_task_data (task, g_steal_pointer (&self->paused), (GDestroyNotify) install_free);
      g_task_run_in_thread (task, resume_in_thread);
    }
  G_OBJECT_CLASS (vmd_installer_parent_class)->dispose (object);
}

static void
vmd_installer_finalize (GObject *object)
{
  VmdInstaller *self = VMD_INSTALLER (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->facts);
  g_free (self->boot_dir);
  g_free (self->serial_log_dir);
  G_OBJECT_CLASS (vmd_installer_parent_class)->finalize (object);
}

static void
vmd_installer_class_init (VmdInstallerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vmd_installer_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_installer_finalize;
}

static void
vmd_installer_init (VmdInstaller *self)
{
}

/* No libvirt call: this may run on the main loop. */
VmdInstaller *
vmd_installer_new (VmdConnection *connection)
{
  VmdInstaller *self = g_object_new (VMD_TYPE_INSTALLER, NULL);
  VmdHostFacts *facts = vmd_connection_get_host_facts (connection);

  self->connection = g_object_ref (connection);
  self->facts = g_object_ref (facts);
  self->is_local = vmd_host_facts_get_is_local (facts);
  self->is_session = vmd_host_facts_get_is_session (facts);
  self->serial_log_dir = vmd_serial_log_dir_for_uri (vmd_connection_get_uri (connection));
  return self;
}
