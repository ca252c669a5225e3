/* VmdMachineDetails, the Snapshots page: snapshots taken, reverted to and deleted, and the list
 * of them, each read from its <domainsnapshot> through VmdXml. Internal ones through libvirt;
 * those of UEFI machines on a libvirt older than 10.10 are external, through
 * vmd-snapshot-external.c. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-error.h"
#include "vmd-machine-details-private.h"
#include "vmd-snapshot-external.h"
#include "vmd-xml.h"

void
vmd_snapshot_info_free (VmdSnapshotInfo *info)
{
  g_free (info->name);
  g_free (info->description);
  g_free (info->state);
  g_free (info->parent);
  g_free (info);
}

/* --- taking one --------------------------------------------------------------------------------- */

typedef struct {
  char *name;          /* NULL: libvirt names it by the time */
  char *description;
} NewSnapshot;

static void
new_snapshot_free (NewSnapshot *snapshot)
{
  g_free (snapshot->name);
  g_free (snapshot->description);
  g_free (snapshot);
}

/* No <memory> element: libvirt's default takes the memory of a running machine (internal
 * snapshot, as virsh snapshot-create-as) and only the disks of one that is off. */
static char *
snapshot_xml (const NewSnapshot *snapshot)
{
  GString *xml = g_string_new ("<domainsnapshot>");

  if (snapshot->name != NULL)
    {
      g_autofree char *name = g_markup_printf_escaped ("<name>%s</name>", snapshot->name);

      g_string_append (xml, name);
    }
  if (snapshot->description != NULL)
    {
      g_autofree char *description = g_markup_printf_escaped ("<description>%s</description>",
                                                              snapshot->description);

      g_string_append (xml, description);
    }
  g_string_append (xml, "</domainsnapshot>");
  return g_string_free (xml, FALSE);
}

static gboolean
apply_create (VmdDetailsEdit  *edit,
              gpointer         data,
              GError         **error)
{
  g_autoptr(VmdMachineConfig) config = vmd_details_edit_load_config (edit, error);
  g_autofree char *reason = NULL;
  g_autofree char *xml = NULL;
  virDomainSnapshotPtr snapshot;

  if (config == NULL)
    return FALSE;
  if (!vmd_machine_config_can_snapshot (config, &reason))
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE, reason);
      return FALSE;
    }
  if (config->uefi && vmd_snapshot_external_needed (edit->handle))
    {
      const NewSnapshot *change = data;

      return vmd_snapshot_external_create (edit->handle, change->name, change->description, error);
    }
  xml = snapshot_xml (data);
  snapshot = virDomainSnapshotCreateXML (edit->handle, xml, 0);
  if (snapshot == NULL)
    return vmd_details_edit_fail (edit, _("Could not take a snapshot of “%s”"), error);
  virDomainSnapshotFree (snapshot);
  return TRUE;
}

static char *
none_if_empty (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

void
vmd_machine_details_create_snapshot_async (VmdMachineDetails   *self,
                                           const char          *name,
                                           const char          *description,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  NewSnapshot *snapshot = g_new0 (NewSnapshot, 1);

  snapshot->name = none_if_empty (name);
  snapshot->description = none_if_empty (description);
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_create, snapshot,
                                                                    (GDestroyNotify) new_snapshot_free),
                                vmd_machine_details_create_snapshot_async, cancellable, callback, user_data);
}

/* --- reverting and deleting (the change is the snapshot's name) --------------------------------- */

typedef gboolean (*ExternalCall) (virDomainPtr, const char *, GError **);

/* virDomainRevertToSnapshot or virDomainSnapshotDelete on the snapshot named name; VM Desk's own
 * revert or delete (external) for an external one libvirt cannot revert or delete itself. */
static gboolean
on_snapshot (VmdDetailsEdit  *edit,
             const char      *name,
             int            (*call) (virDomainSnapshotPtr, unsigned int),
             ExternalCall     external,
             const char      *failed,
             GError         **error)
{
  virDomainSnapshotPtr snapshot = virDomainSnapshotLookupByName (edit->handle, name, 0);
  g_autofree char *xml = NULL;
  int rc;

  if (snapshot == NULL)
    return vmd_details_edit_fail (edit, _("“%s” has no such snapshot"), error);
  xml = vmd_details_dup_libvirt_string (virDomainSnapshotGetXMLDesc (snapshot, 0));
  if (xml != NULL && vmd_snapshot_external_is_external (xml) && vmd_snapshot_external_needed (edit->handle))
    {
      virDomainSnapshotFree (snapshot);
      return external (edit->handle, name, error);
    }
  rc = call (snapshot, 0);
  virDomainSnapshotFree (snapshot);
  return rc == 0 || vmd_details_edit_fail (edit, failed, error);
}

static gboolean
apply_revert (VmdDetailsEdit  *edit,
              gpointer         name,
              GError         **error)
{
  return on_snapshot (edit, name, virDomainRevertToSnapshot, vmd_snapshot_external_revert, _("Could not revert “%s” to the snapshot"), error);
}

static gboolean
apply_delete (VmdDetailsEdit  *edit,
              gpointer         name,
              GError         **error)
{
  return on_snapshot (edit, name, virDomainSnapshotDelete, vmd_snapshot_external_delete, _("Could not delete the snapshot of “%s”"), error);
}

void
vmd_machine_details_revert_snapshot_async (VmdMachineDetails   *self,
                                           const char          *name,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_revert, g_strdup (name), g_free),
                                vmd_machine_details_revert_snapshot_async, cancellable, callback, user_data);
}

void
vmd_machine_details_delete_snapshot_async (VmdMachineDetails   *self,
                                           const char          *name,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_delete, g_strdup (name), g_free),
                                vmd_machine_details_delete_snapshot_async, cancellable, callback, user_data);
}

/* --- the list ----------------------------------------------------------------------------------- */

/* The few fields of a <domainsnapshot> we show. Its <domain> copy has a <name> and a
 * <description> of its own: every path starts at the root, so none of them is read. */
static VmdSnapshotInfo *
snapshot_info (virDomainSnapshotPtr snapshot)
{
  VmdSnapshotInfo *info = g_new0 (VmdSnapshotInfo, 1);
  g_autofree char *xml = vmd_details_dup_libvirt_string (virDomainSnapshotGetXMLDesc (snapshot, 0));
  g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;

  info->name = g_strdup (virDomainSnapshotGetName (snapshot));
  info->current = virDomainSnapshotIsCurrent (snapshot, 0) == 1;
  if (doc == NULL)
    return info;
  info->creation_time = (gint64) vmd_xml_uint (doc, NULL, "/domainsnapshot/creationTime", 0);
  info->description = vmd_xml_string (doc, NULL, "/domainsnapshot/description");
  info->state = vmd_xml_string (doc, NULL, "/domainsnapshot/state");
  info->parent = vmd_xml_string (doc, NULL, "/domainsnapshot/parent/name");
  info->external = vmd_snapshot_external_is_external (xml);
  info->has_memory = vmd_xml_exists (doc, NULL, "/domainsnapshot/memory[@snapshot='internal' or @snapshot='external']") ||
                     (!info->external && (g_strcmp0 (info->state, "running") == 0 ||
                                          g_strcmp0 (info->state, "paused") == 0));
  return info;
}

/* Oldest first; two taken in the same second go parent first. */
static int
compare_snapshots (gconstpointer a,
                   gconstpointer b)
{
  const VmdSnapshotInfo *x = *(VmdSnapshotInfo **) a, *y = *(VmdSnapshotInfo **) b;

  if (x->creation_time != y->creation_time)
    return x->creation_time < y->creation_time ? -1 : 1;
  if (g_strcmp0 (y->parent, x->name) == 0)
    return -1;
  if (g_strcmp0 (x->parent, y->name) == 0)
    return 1;
  return g_strcmp0 (x->name, y->name);
}

static void
list_snapshots_in_thread (GTask        *task,
                          gpointer      source,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  VmdDetailsEdit *edit = task_data;
  virDomainSnapshotPtr *snapshots = NULL;
  int n = virDomainListAllSnapshots (edit->handle, &snapshots, 0);
  GPtrArray *list;
  GError *error = NULL;

  if (n < 0)
    {
      vmd_details_edit_fail (edit, _("Could not list the snapshots of “%s”"), &error);
      g_task_return_error (task, error);
      return;
    }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_snapshot_info_free);
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (list, snapshot_info (snapshots[i]));
      virDomainSnapshotFree (snapshots[i]);
    }
  free (snapshots);
  g_ptr_array_sort (list, compare_snapshots);
  g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

void
vmd_machine_details_list_snapshots_async (VmdMachineDetails   *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  vmd_machine_details_run_read (self, list_snapshots_in_thread, vmd_machine_details_list_snapshots_async,
                                cancellable, callback, user_data);
}

/* Returns (transfer full) (element-type VmdSnapshotInfo), oldest first. */
GPtrArray *
vmd_machine_details_list_snapshots_finish (VmdMachineDetails  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  return vmd_machine_details_read_finish (self, result, error);
}
