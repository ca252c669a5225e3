/* VmdMachine's disks: which of them may be deleted with it, and its deletion (forced off,
 * safe volumes deleted, undefined, NVRAM and TPM state with it), how many snapshots go with it,
 * and the start that makes its NVRAM afresh after a firmware change. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vmd-error.h"
#include "vmd-machine.h"
#include "vmd-machine-private.h"
#include "vmd-xml.h"

/* --- disks and deletion ------------------------------------------------------------------- */

static gboolean
disk_is_readonly (GVirConfigDomainDisk *disk)
{
  g_autofree char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (disk));
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, NULL);

  return doc != NULL && vmd_xml_exists (doc, NULL, "/disk/readonly");
}

/* The local files and block devices a domain's XML names as writable disks; CD-ROMs, floppies
 * and read-only disks are install media, never offered for deletion. */
static void
collect_disks (const char *xml,
               gboolean    writable_only,
               GPtrArray  *paths,
               GPtrArray  *targets)
{
  g_autoptr(GError) error = NULL;
  GVirConfigDomain *config = gvir_config_domain_new_from_xml (xml, &error);
  GList *devices;

  if (config == NULL)
    return;

  devices = gvir_config_domain_get_devices (config);
  for (GList *l = devices; l != NULL; l = l->next)
    {
      GVirConfigDomainDisk *disk;
      GVirConfigDomainDiskType type;
      const char *source;

      if (!GVIR_CONFIG_IS_DOMAIN_DISK (l->data))
        continue;
      disk = GVIR_CONFIG_DOMAIN_DISK (l->data);
      type = gvir_config_domain_disk_get_disk_type (disk);
      source = gvir_config_domain_disk_get_source (disk);
      if (source == NULL ||
          (type != GVIR_CONFIG_DOMAIN_DISK_FILE && type != GVIR_CONFIG_DOMAIN_DISK_BLOCK))
        continue;
      if (writable_only &&
          gvir_config_domain_disk_get_guest_device_type (disk) != GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK)
        continue;
      if (writable_only && disk_is_readonly (disk))
        continue;
      g_ptr_array_add (paths, g_strdup (source));
      if (targets != NULL)
        g_ptr_array_add (targets, g_strdup (gvir_config_domain_disk_get_target_dev (disk)));
    }
  g_list_free_full (devices, g_object_unref);
  g_object_unref (config);
}

/* path -> name of another domain whose live or persistent definition uses it. */
static GHashTable *
disks_of_other_domains (virConnectPtr conn,
                        const char   *own_uuid)
{
  GHashTable *users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  virDomainPtr *domains = NULL;
  int n = virConnectListAllDomains (conn, &domains, 0);

  for (int i = 0; i < n; i++)
    {
      char uuid[VIR_UUID_STRING_BUFLEN];
      unsigned int flags[] = { 0, VIR_DOMAIN_XML_INACTIVE };

      if (virDomainGetUUIDString (domains[i], uuid) == 0 && g_strcmp0 (uuid, own_uuid) != 0)
        {
          for (guint f = 0; f < G_N_ELEMENTS (flags); f++)
            {
              g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
              g_autofree char *xml = virDomainGetXMLDesc (domains[i], flags[f]);

              if (xml == NULL)
                continue;
              collect_disks (xml, FALSE, paths, NULL);
              for (guint p = 0; p < paths->len; p++)
                g_hash_table_replace (users, g_strdup (paths->pdata[p]),
                                      g_strdup (virDomainGetName (domains[i])));
            }
        }
      virDomainFree (domains[i]);
    }
  free (domains);
  return users;
}

/* Pools learn of files only when refreshed; refresh once before giving up on a path. */
virStorageVolPtr
vmd_lookup_volume_by_path (virConnectPtr conn,
                           const char   *path)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);
  virStoragePoolPtr *pools = NULL;
  int n;

  if (vol != NULL)
    return vol;
  n = virConnectListAllStoragePools (conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
  for (int i = 0; i < n; i++)
    {
      virStoragePoolRefresh (pools[i], 0);
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  vol = virStorageVolLookupByPath (conn, path);
  virResetLastError ();
  return vol;
}

static GPtrArray *
disk_choices_for (virDomainPtr handle)
{
  GPtrArray *choices = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_disk_choice_free);
  virConnectPtr conn = virDomainGetConnect (handle);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) users = NULL;
  g_autofree char *xml = virDomainGetXMLDesc (handle, VIR_DOMAIN_XML_INACTIVE);

  if (xml == NULL)
    return choices;
  virDomainGetUUIDString (handle, uuid);
  collect_disks (xml, TRUE, paths, targets);
  users = disks_of_other_domains (conn, uuid);

  for (guint i = 0; i < paths->len; i++)
    {
      VmdDiskChoice *choice = g_new0 (VmdDiskChoice, 1);
      const char *user = g_hash_table_lookup (users, paths->pdata[i]);
      virStorageVolPtr vol = NULL;

      choice->path = g_strdup (paths->pdata[i]);
      choice->target = g_strdup (targets->pdata[i]);
      if (user != NULL)
        choice->reason = g_strdup_printf (_("Kept: “%s” uses it too"), user);
      else if ((vol = vmd_lookup_volume_by_path (conn, choice->path)) == NULL)
        choice->reason = g_strdup (_("Kept: it is not in a storage pool"));
      else
        choice->deletable = TRUE;
      g_clear_pointer (&vol, virStorageVolFree);
      g_ptr_array_add (choices, choice);
    }
  return choices;
}

static void
list_disks_in_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  DomainCall *call = task_data;

  g_task_return_pointer (task, disk_choices_for (call->handle), (GDestroyNotify) g_ptr_array_unref);
}

void
vmd_machine_list_disks_async (VmdMachine          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  vmd_domain_call_run_in_thread (self, vmd_machine_list_disks_async, list_disks_in_thread, cancellable,
                             callback, user_data);
}

/* Returns (transfer full) (element-type VmdDiskChoice). */
GPtrArray *
vmd_machine_list_disks_finish (VmdMachine    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
count_snapshots_in_thread (GTask        *task,
                           gpointer      source,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  DomainCall *call = task_data;
  int n = virDomainSnapshotNum (call->handle, 0);
  GError *error = NULL;

  if (n < 0)
    {
      vmd_error_set_from_libvirt (&error, NULL);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, n);
}

/* How many snapshots go with the machine when it is deleted (for the Delete dialog). */
void
vmd_machine_count_snapshots_async (VmdMachine          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  vmd_domain_call_run_in_thread (self, vmd_machine_count_snapshots_async, count_snapshots_in_thread,
                             cancellable, callback, user_data);
}

/* The count, or -1 with error set (a driver without snapshots, a lost connection). */
int
vmd_machine_count_snapshots_finish (VmdMachine    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (int) g_task_propagate_int (G_TASK (result), error);
}

/* A firmware changed in Details keeps its old UEFI variables (Secure Boot's keys, or none) until
 * libvirt makes them again, which it does only at a start: that start asks for it, once. */
int
vmd_machine_start_domain (virDomainPtr handle)
{
  g_autofree char *mark = virDomainGetMetadata (handle, VIR_DOMAIN_METADATA_ELEMENT, VMD_FIRMWARE_NS,
                                                VIR_DOMAIN_AFFECT_CONFIG);
  int rc;

  virResetLastError ();
  if (mark == NULL)
    return virDomainCreate (handle);
  rc = virDomainCreateWithFlags (handle, VIR_DOMAIN_START_RESET_NVRAM);
  if (rc == 0 && virDomainSetMetadata (handle, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL, VMD_FIRMWARE_NS,
                                       VIR_DOMAIN_AFFECT_CONFIG) < 0)
    virResetLastError ();   /* the next start makes them again: harmless */
  return rc;
}

static gboolean
undefine (virDomainPtr handle)
{
  unsigned int flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
  g_autofree char *xml = virDomainGetXMLDesc (handle, VIR_DOMAIN_XML_INACTIVE);
  g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;

  /* Only UEFI machines have NVRAM, and some drivers refuse the flag altogether. A machine left
   * to libvirt's firmware auto-selection names no <nvram> in libvirt 9.0's definition, yet has
   * its file once it has started. */
  if (doc != NULL && (vmd_xml_exists (doc, NULL, "/domain/os/nvram") ||
                      vmd_xml_exists (doc, NULL, "/domain/os[@firmware='efi']")))
    flags |= VIR_DOMAIN_UNDEFINE_NVRAM;
  /* An emulated TPM's state (its keys) goes with the machine, as `virsh undefine --tpm`. */
  if (doc != NULL && vmd_xml_exists (doc, NULL, "/domain/devices/tpm/backend[@type='emulator']"))
    flags |= VIR_DOMAIN_UNDEFINE_TPM;
  return virDomainUndefineFlags (handle, flags) == 0;
}

/* Checked again here, not only when the dialog listed the disks: another machine may have
 * started to use one since. */
static gboolean
delete_disk (virDomainPtr  handle,
             const char   *path,
             GError      **error)
{
  g_autoptr(GPtrArray) choices = disk_choices_for (handle);
  virStorageVolPtr vol;
  int rc;

  for (guint i = 0; i < choices->len; i++)
    {
      VmdDiskChoice *choice = choices->pdata[i];

      if (g_strcmp0 (choice->path, path) != 0)
        continue;
      if (!choice->deletable)
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE, "%s: %s", path, choice->reason);
          return FALSE;
        }
      vol = vmd_lookup_volume_by_path (virDomainGetConnect (handle), path);
      rc = vol != NULL ? virStorageVolDelete (vol, 0) : -1;
      if (rc < 0)
        vmd_error_set_from_libvirt (error, path);
      g_clear_pointer (&vol, virStorageVolFree);
      return rc == 0;
    }
  g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND, _("%s is not one of its disks"), path);
  return FALSE;
}

static void
delete_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  DomainCall *call = task_data;
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  int persistent = virDomainIsPersistent (call->handle);

  if (virDomainIsActive (call->handle) == 1 && virDomainDestroy (call->handle) < 0)
    {
      vmd_task_return_libvirt_error (task, _("Could not force off “%s”"), call->name);
      return;
    }
  for (guint i = 0; call->disk_paths[i] != NULL; i++)
    {
      g_autoptr(GError) disk_error = NULL;

      if (!delete_disk (call->handle, call->disk_paths[i], &disk_error))
        g_ptr_array_add (failures, g_strdup (disk_error->message));
    }
  if (failures->len > 0)
    {
      g_ptr_array_add (failures, NULL);
      g_autofree char *joined = g_strjoinv ("\n", (char **) failures->pdata);
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_LIBVIRT,
                               _("“%s” was not deleted, because a disk could not be: %s"),
                               call->name, joined);
      return;
    }
  /* A transient domain disappeared when destroyed; a persistent one must be undefined. */
  if (persistent == 1 && !undefine (call->handle))
    {
      vmd_task_return_libvirt_error (task, _("Could not delete “%s”"), call->name);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Forces the machine off, deletes the given disks (each checked again: a volume that no other
 * domain uses), then undefines it, in virt-manager's order: when a disk fails, the machine is
 * still there for the user to look at, rather than a disk left behind with no machine. */
void
vmd_machine_delete_async (VmdMachine          *self,
                          const char * const  *disk_paths,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DomainCall *call;

  g_return_if_fail (VMD_IS_MACHINE (self));
  task = vmd_domain_call_task_new (self, vmd_machine_delete_async, cancellable, callback,
                               user_data, &call);
  call->action = VMD_MACHINE_ACTION_DELETE;
  call->disk_paths = disk_paths != NULL ? g_strdupv ((char **) disk_paths) : g_new0 (char *, 1);
  g_task_run_in_thread (task, delete_in_thread);
}

gboolean
vmd_machine_delete_finish (VmdMachine    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

