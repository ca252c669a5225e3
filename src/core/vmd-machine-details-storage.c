/* VmdMachineDetails, Add Hardware's storage: a drive from a typed VmdDiskSpec, on an existing
 * file or on a volume made for it in any pool of the connection; the volume goes again when
 * libvirt refuses the drive, so the change is all or nothing. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-error.h"
#include "vmd-machine-details-private.h"

/* The caller's spec and volume with their strings owned, for the worker. */
typedef struct {
  char        *device, *bus, *path, *format, *cache, *discard;
  gboolean     readonly, shareable;
  char        *pool, *volume_name, *volume_format;
  guint64      capacity;
  gboolean     new_volume;
  VmdHwAttach  mode;
} StorageAdd;

static void
storage_add_free (StorageAdd *add)
{
  g_free (add->device);
  g_free (add->bus);
  g_free (add->path);
  g_free (add->format);
  g_free (add->cache);
  g_free (add->discard);
  g_free (add->pool);
  g_free (add->volume_name);
  g_free (add->volume_format);
  g_free (add);
}

static char *
make_volume (virConnectPtr      conn,
             const StorageAdd  *add,
             GError           **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, add->pool);
  g_autofree char *vol_xml = g_markup_printf_escaped (
    "<volume><name>%s</name><capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>"
    "<target><format type='%s'/></target></volume>", add->volume_name, add->capacity, add->volume_format);
  virStorageVolPtr vol = pool != NULL ? virStorageVolCreateXML (pool, vol_xml, 0) : NULL;
  char *path = vol != NULL ? virStorageVolGetPath (vol) : NULL;

  if (path == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("Could not create the volume “%s” in pool “%s”"),
                                               add->volume_name, add->pool);

      vmd_error_set_from_libvirt (error, what);
    }
  g_clear_pointer (&vol, virStorageVolFree);
  g_clear_pointer (&pool, virStoragePoolFree);
  return path != NULL ? vmd_details_dup_libvirt_string (path) : NULL;
}

/* The target is free in the definition the attach changes: the live one for a live attach. */
static char *
free_target (VmdDetailsEdit    *edit,
             const StorageAdd  *add,
             GError           **error)
{
  gboolean live = add->mode == VMD_HW_ATTACH_LIVE && vmd_details_edit_is_active (edit);
  g_autofree char *xml = vmd_details_edit_get_xml (edit, live, error);
  char *target = xml != NULL ? vmd_disk_free_target (xml, add->bus) : NULL;

  if (xml != NULL && target == NULL)
    g_set_error (error, VMD_ERROR, VMD_ERROR_NO_SPACE, _("The %s bus has no free place for a drive"), add->bus);
  return target;
}

static gboolean
apply_add_storage (VmdDetailsEdit  *edit,
                   gpointer         data,
                   GError         **error)
{
  StorageAdd *add = data;
  virConnectPtr conn = virDomainGetConnect (edit->handle);
  g_autofree char *target = free_target (edit, add, error);
  g_autofree char *made = NULL;
  g_autofree char *device_xml = NULL;
  VmdDiskSpec spec = { add->device, add->bus, add->path, add->format, add->readonly, add->shareable,
                       add->cache, add->discard };
  g_autoptr(GError) undo_error = NULL;

  if (target == NULL)
    return FALSE;
  if (add->new_volume)
    {
      if ((made = make_volume (conn, add, error)) == NULL)
        return FALSE;
      spec.path = made;
      spec.format = add->volume_format;
    }
  device_xml = vmd_disk_spec_xml (&spec, target);
  if (vmd_machine_details_hw_attach (edit, device_xml, add->mode, error))
    return TRUE;
  if (made == NULL)
    return FALSE;
  /* The volume was made for this drive only: nobody else would ever use it. */
  vmd_machine_details_delete_volume (conn, made, &undo_error);
  if (undo_error != NULL && error != NULL && *error != NULL)
    g_prefix_error (error, "%s ", undo_error->message);
  return FALSE;
}

void
vmd_machine_details_add_storage_async (VmdMachineDetails   *self,
                                       const VmdDiskSpec   *spec,
                                       const VmdNewVolume  *volume,
                                       VmdHwAttach          mode,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  StorageAdd *add = g_new0 (StorageAdd, 1);

  add->device = g_strdup (spec->device);
  add->bus = g_strdup (spec->bus);
  add->path = g_strdup (spec->path);
  add->format = g_strdup (spec->format);
  add->cache = g_strdup (spec->cache);
  add->discard = g_strdup (spec->discard);
  add->readonly = spec->readonly;
  add->shareable = spec->shareable;
  add->mode = mode;
  if ((add->new_volume = volume != NULL))
    {
      add->pool = g_strdup (volume->pool);
      add->volume_name = g_strdup (volume->name);
      add->volume_format = g_strdup (volume->format);
      add->capacity = volume->capacity;
    }
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_add_storage, add,
                                                                    (GDestroyNotify) storage_add_free),
                                vmd_machine_details_add_storage_async, cancellable, callback, user_data);
}
