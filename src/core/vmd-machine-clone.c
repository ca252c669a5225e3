/* Cloning, the plan: read in a worker from the original's inactive definition and its host
 * (disks, pools, the names in use), then checked against the user's choices. The name checks
 * are the creation assistant's (VmdMachineSpec), so a clone's name obeys the same rules. */
#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-display-name.h"
#include "vmd-error.h"
#include "vmd-machine-clone.h"
#include "vmd-machine-private.h"
#include "vmd-machine-spec.h"
#include "vmd-xml.h"

static void
clone_disk_free (VmdCloneDisk *disk)
{
  g_free (disk->target);
  g_free (disk->path);
  g_free (disk->format);
  g_free (disk);
}

static gpointer
clone_disk_copy (gconstpointer data,
                 gpointer      unused)
{
  const VmdCloneDisk *disk = data;
  VmdCloneDisk *copy = g_memdup2 (disk, sizeof *disk);

  copy->target = g_strdup (disk->target);
  copy->path = g_strdup (disk->path);
  copy->format = g_strdup (disk->format);
  return copy;
}

void
vmd_clone_plan_free (VmdClonePlan *plan)
{
  g_free (plan->source_name);
  g_free (plan->source_uuid);
  g_free (plan->xml);
  g_free (plan->name);
  g_free (plan->pool);
  g_clear_pointer (&plan->disks, g_ptr_array_unref);
  g_strfreev (plan->pools);
  g_strfreev (plan->taken_names);
  g_free (plan->nvram);
  g_free (plan->tpm_state_dir);
  g_free (plan);
}

VmdClonePlan *
vmd_clone_plan_copy (const VmdClonePlan *plan)
{
  VmdClonePlan *copy = g_memdup2 (plan, sizeof *plan);

  copy->source_name = g_strdup (plan->source_name);
  copy->source_uuid = g_strdup (plan->source_uuid);
  copy->xml = g_strdup (plan->xml);
  copy->name = g_strdup (plan->name);
  copy->pool = g_strdup (plan->pool);
  copy->disks = g_ptr_array_copy (plan->disks, clone_disk_copy, NULL);
  g_ptr_array_set_free_func (copy->disks, (GDestroyNotify) clone_disk_free);
  copy->pools = g_strdupv (plan->pools);
  copy->taken_names = g_strdupv (plan->taken_names);
  copy->nvram = g_strdup (plan->nvram);
  copy->tpm_state_dir = g_strdup (plan->tpm_state_dir);
  return copy;
}

/* --- checks -------------------------------------------------------------------------------- */

gboolean
vmd_clone_plan_check_name (const VmdClonePlan  *plan,
                           const char          *name,
                           GError             **error)
{
  g_autoptr(VmdMachineSpec) spec = vmd_machine_spec_new ();

  vmd_machine_spec_set_taken_names (spec, (const char * const *) plan->taken_names);
  vmd_machine_spec_set_name (spec, name);
  return vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_NAME, error);
}

static gboolean
needs_pool (const VmdClonePlan *plan)
{
  for (guint i = 0; i < plan->disks->len; i++)
    if (((VmdCloneDisk *) plan->disks->pdata[i])->mode != VMD_CLONE_DISK_SHARE)
      return TRUE;
  return FALSE;
}

gboolean
vmd_clone_plan_validate (const VmdClonePlan  *plan,
                         GError             **error)
{
  if (!vmd_clone_plan_check_name (plan, plan->name, error))
    return FALSE;
  for (guint i = 0; i < plan->disks->len; i++)
    {
      const VmdCloneDisk *disk = plan->disks->pdata[i];

      if (disk->mode != VMD_CLONE_DISK_SHARE && (disk->must_share || !disk->is_volume))
        return g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                            _("The disk %s can only be shared: it is not a volume of a storage "
                              "pool, or it is read-only or shared."), disk->target), FALSE;
    }
  if (needs_pool (plan) &&
      (plan->pool == NULL || plan->pools == NULL ||
       !g_strv_contains ((const char * const *) plan->pools, plan->pool)))
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("Choose an active storage pool for the copies of the disks.")), FALSE;
  return TRUE;
}

guint64
vmd_clone_plan_bytes (const VmdClonePlan *plan)
{
  guint64 total = 0;

  for (guint i = 0; i < plan->disks->len; i++)
    {
      const VmdCloneDisk *disk = plan->disks->pdata[i];

      if (disk->mode == VMD_CLONE_DISK_COPY)
        total += disk->bytes;
    }
  return total;
}

/* --- reading the plan, in a worker ---------------------------------------------------------- */

static char *
volume_disk_path (virConnectPtr  conn,
                  VmdXml        *doc,
                  VmdXmlNode    *node)
{
  g_autofree char *pool_name = vmd_xml_string (doc, node, "source/@pool");
  g_autofree char *vol_name = vmd_xml_string (doc, node, "source/@volume");
  virStoragePoolPtr pool = pool_name != NULL ? virStoragePoolLookupByName (conn, pool_name) : NULL;
  virStorageVolPtr vol = pool != NULL && vol_name != NULL ? virStorageVolLookupByName (pool, vol_name) : NULL;
  char *path = vol != NULL ? virStorageVolGetPath (vol) : NULL;

  g_clear_pointer (&vol, virStorageVolFree);
  g_clear_pointer (&pool, virStoragePoolFree);
  virResetLastError ();
  return path;
}

static void
read_volume (virConnectPtr  conn,
             VmdCloneDisk  *disk,
             char         **pool_name)
{
  virStorageVolPtr vol = vmd_lookup_volume_by_path (conn, disk->path);
  virStorageVolInfo info;
  virStoragePoolPtr pool;

  if (vol == NULL)
    return;
  disk->is_volume = TRUE;
  if (virStorageVolGetInfo (vol, &info) == 0)
    disk->bytes = info.allocation;
  pool = virStoragePoolLookupByVolume (vol);
  if (pool != NULL && *pool_name == NULL)
    *pool_name = g_strdup (virStoragePoolGetName (pool));
  if (disk->format == NULL)
    {
      g_autofree char *xml = virStorageVolGetXMLDesc (vol, 0);
      g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;

      disk->format = doc != NULL ? vmd_xml_string (doc, NULL, "/volume/target/format/@type") : NULL;
    }
  g_clear_pointer (&pool, virStoragePoolFree);
  virStorageVolFree (vol);
  virResetLastError ();
}

static VmdCloneDisk *
read_disk (virConnectPtr  conn,
           VmdXml        *doc,
           VmdXmlNode    *node,
           char         **pool_name)
{
  VmdCloneDisk *disk = g_new0 (VmdCloneDisk, 1);
  g_autofree char *device = vmd_xml_string (doc, node, "@device");
  g_autofree char *type = vmd_xml_string (doc, node, "@type");

  disk->target = vmd_xml_string (doc, node, "target/@dev");
  disk->format = vmd_xml_string (doc, node, "driver/@type");
  if (g_strcmp0 (type, "volume") == 0)
    disk->path = volume_disk_path (conn, doc, node);
  else if (g_strcmp0 (type, "file") == 0 || g_strcmp0 (type, "block") == 0)
    disk->path = vmd_xml_string (doc, node, "source/@file | source/@dev");
  disk->must_share = (device != NULL && g_strcmp0 (device, "disk") != 0) ||
                     vmd_xml_exists (doc, node, "readonly") ||
                     vmd_xml_exists (doc, node, "shareable");
  if (disk->path != NULL && !disk->must_share)
    read_volume (conn, disk, pool_name);
  disk->mode = disk->is_volume && !disk->must_share ? VMD_CLONE_DISK_COPY : VMD_CLONE_DISK_SHARE;
  return disk;
}

static GStrv
list_pools (virConnectPtr conn)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  virStoragePoolPtr *pools = NULL;
  int n = virConnectListAllStoragePools (conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);

  for (int i = 0; i < n; i++)
    {
      g_strv_builder_add (names, virStoragePoolGetName (pools[i]));
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  virResetLastError ();
  return g_strv_builder_end (names);
}

static GStrv
list_names (virConnectPtr conn)
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
  virResetLastError ();
  return g_strv_builder_end (names);
}

static char *
suggest_name (const VmdClonePlan *plan)
{
  char *name = g_strdup_printf ("%s-clone", plan->source_name);

  for (guint n = 2; g_strv_contains ((const char * const *) plan->taken_names, name); n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s-clone%u", plan->source_name, n);
    }
  return name;
}

static void
read_disks (VmdClonePlan  *plan,
            virConnectPtr  conn,
            VmdXml        *doc)
{
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (doc, NULL, "/domain/devices/disk");

  for (guint i = 0; i < nodes->len; i++)
    g_ptr_array_add (plan->disks, read_disk (conn, doc, nodes->pdata[i], &plan->pool));
  if (plan->pool == NULL && plan->pools[0] != NULL)
    plan->pool = g_strdup (g_strv_contains ((const char * const *) plan->pools, "default")
                           ? "default" : plan->pools[0]);
}

/* Where libvirt 9.0's QEMU driver keeps a domain's swtpm state (qemu_conf.c: swtpmStorageDir,
 * then the UUID): only reachable when the daemon runs on this host, and there only once the
 * machine has started with its TPM. NULL when there is nothing this process can copy. */
static char *
local_tpm_state_dir (virConnectPtr  conn,
                     const char    *uuid)
{
  g_autofree char *uri = virConnectGetURI (conn);
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autofree char *dir = NULL;

  virResetLastError ();
  if (parsed == NULL || g_strcmp0 (g_uri_get_scheme (parsed), "qemu") != 0 ||
      (g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0'))
    return NULL;
  if (g_strcmp0 (g_uri_get_path (parsed), "/system") == 0)
    dir = g_build_filename ("/var/lib/libvirt/swtpm", uuid, NULL);
  else if (g_strcmp0 (g_uri_get_path (parsed), "/session") == 0)
    dir = g_build_filename (g_get_user_config_dir (), "libvirt", "qemu", "swtpm", uuid, NULL);
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR) || access (dir, R_OK | X_OK) != 0)
    return NULL;
  return g_steal_pointer (&dir);
}

static VmdClonePlan *
read_plan (virDomainPtr   handle,
           const char    *display_name,
           GError       **error)
{
  g_autoptr(VmdClonePlan) plan = g_new0 (VmdClonePlan, 1);
  virConnectPtr conn = virDomainGetConnect (handle);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  g_autoptr(VmdXml) doc = NULL;
  int active = virDomainIsActive (handle);

  if (active != 0)
    {
      if (active < 0)
        return vmd_error_set_from_libvirt (error, _("Could not read the machine's state")), NULL;
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                   _("Shut down “%s” before cloning it: the disks of a running machine change "
                     "while they are copied."), display_name);
      return NULL;
    }
  plan->xml = virDomainGetXMLDesc (handle, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
  if (plan->xml == NULL)
    plan->xml = virDomainGetXMLDesc (handle, VIR_DOMAIN_XML_INACTIVE);
  if (plan->xml == NULL)
    return vmd_error_set_from_libvirt (error, _("Could not read the machine's definition")), NULL;
  virResetLastError ();
  doc = vmd_xml_parse (plan->xml, error);
  if (doc == NULL)
    return NULL;
  virDomainGetUUIDString (handle, uuid);
  plan->source_uuid = g_strdup (uuid);
  plan->source_name = g_strdup (virDomainGetName (handle));
  plan->pools = list_pools (conn);
  plan->taken_names = list_names (conn);
  plan->disks = g_ptr_array_new_with_free_func ((GDestroyNotify) clone_disk_free);
  read_disks (plan, conn, doc);
  plan->nvram = vmd_xml_string (doc, NULL, "/domain/os/nvram");
  if (plan->nvram != NULL && *plan->nvram == '\0')
    g_clear_pointer (&plan->nvram, g_free);
  plan->has_tpm = vmd_xml_exists (doc, NULL, "/domain/devices/tpm/backend[@type='emulator']");
  if (plan->has_tpm)
    plan->tpm_state_dir = local_tpm_state_dir (conn, uuid);
  plan->name = suggest_name (plan);
  return g_steal_pointer (&plan);
}

static void
read_plan_in_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  DomainCall *call = task_data;
  GError *error = NULL;
  VmdClonePlan *plan = read_plan (call->handle, call->name, &error);

  if (plan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, plan, (GDestroyNotify) vmd_clone_plan_free);
}

void
vmd_machine_clone_plan_async (VmdMachine          *machine,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE (machine));
  vmd_domain_call_run_in_thread (machine, vmd_machine_clone_plan_async, read_plan_in_thread,
                                 cancellable, callback, user_data);
}

VmdClonePlan *
vmd_machine_clone_plan_finish (VmdMachine    *machine,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, machine), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
