/* VmdMachineDetails, the Disks page: a disk added (a new qcow2 volume, or an existing file or
 * ISO), removed (its volume deleted too only when VmdMachine's own check allows it), and a CD or
 * floppy's medium changed, live on a running machine. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-machine-details-private.h"
#include "vmd-xml.h"

/* --- adding ------------------------------------------------------------------------------------- */

/* The caller's VmdNewDisk with its strings owned. */
typedef struct {
  char    *device;
  char    *bus;
  char    *path;
  char    *pool;
  char    *volume_name;
  guint64  capacity;
} NewDisk;

static void
new_disk_free (NewDisk *disk)
{
  g_free (disk->device);
  g_free (disk->bus);
  g_free (disk->path);
  g_free (disk->pool);
  g_free (disk->volume_name);
  g_free (disk);
}

/* qcow2 by its magic; a file we cannot read is taken by its name. */
static const char *
guess_format (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  char magic[4] = { 0, };

  if (stream != NULL &&
      g_input_stream_read (G_INPUT_STREAM (stream), magic, sizeof magic, NULL, NULL) == sizeof magic &&
      memcmp (magic, "QFI\xfb", 4) == 0)
    return "qcow2";
  if (stream == NULL && g_str_has_suffix (path, ".qcow2"))
    return "qcow2";
  return "raw";
}

static char *
create_volume (VmdDetailsEdit  *edit,
               const NewDisk   *disk,
               const char      *target,
               GError         **error)
{
  virConnectPtr conn = virDomainGetConnect (edit->handle);
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, disk->pool);
  g_autofree char *vol_name = disk->volume_name != NULL ? g_strdup (disk->volume_name)
                                                        : g_strdup_printf ("%s-%s.qcow2", edit->machine_name, target);
  g_autofree char *vol_xml = g_markup_printf_escaped (
    "<volume><name>%s</name><capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>"
    "<target><format type='qcow2'/></target></volume>", vol_name, disk->capacity);
  virStorageVolPtr vol = NULL;
  char *path = NULL;

  if (pool != NULL)
    {
      virStoragePoolRefresh (pool, 0);
      vol = virStorageVolCreateXML (pool, vol_xml, 0);
    }
  if (vol == NULL || (path = virStorageVolGetPath (vol)) == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("Could not create the volume “%s” in pool “%s”"),
                                               vol_name, disk->pool);

      vmd_error_set_from_libvirt (error, what);
    }
  g_clear_pointer (&vol, virStorageVolFree);
  g_clear_pointer (&pool, virStoragePoolFree);
  return path != NULL ? vmd_details_dup_libvirt_string (path) : NULL;
}

void
vmd_machine_details_delete_volume (virConnectPtr  conn,
                                   const char    *path,
                                   GError       **error)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);

  if (vol == NULL || virStorageVolDelete (vol, 0) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("The disk was removed, but its volume %s was not deleted"), path);

      vmd_error_set_from_libvirt (error, what);
    }
  g_clear_pointer (&vol, virStorageVolFree);
}

/* The next free place on the bus, a volume made for it when no file was given. */
static gboolean
apply_add_disk (VmdDetailsEdit  *edit,
                gpointer         data,
                GError         **error)
{
  NewDisk *disk = data;
  g_autoptr(VmdMachineConfig) config = vmd_details_edit_load_config (edit, error);
  gboolean cdrom = g_strcmp0 (disk->device, "cdrom") == 0;
  const char *bus = disk->bus != NULL ? disk->bus : cdrom ? "sata" : "virtio";
  g_autofree char *target = NULL;
  g_autofree char *path = g_strdup (disk->path);
  g_autofree char *device_xml = NULL;

  if (config == NULL)
    return FALSE;
  if ((target = vmd_machine_config_next_target (config, bus)) == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NO_SPACE, _("The %s bus has no free place for a disk"), bus);
      return FALSE;
    }
  if (path == NULL && !cdrom && (path = create_volume (edit, disk, target, error)) == NULL)
    return FALSE;
  device_xml = vmd_disk_device_xml (cdrom ? "cdrom" : "disk", bus, target, path,
                                    cdrom || path == NULL ? "raw" : guess_format (path));
  if (vmd_details_edit_change_device (edit, VMD_DEVICE_ATTACH, NULL, device_xml, error))
    return TRUE;
  /* The volume we made for it would be left with no machine. */
  if (disk->path == NULL && path != NULL)
    vmd_machine_details_delete_volume (virDomainGetConnect (edit->handle), path, NULL);
  return FALSE;
}

void
vmd_machine_details_add_disk_async (VmdMachineDetails   *self,
                                    const VmdNewDisk    *disk,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  NewDisk *change = g_new0 (NewDisk, 1);

  change->device = g_strdup (disk->device != NULL ? disk->device : "disk");
  change->bus = g_strdup (disk->bus);
  change->path = g_strdup (disk->path);
  change->pool = g_strdup (disk->pool);
  change->volume_name = g_strdup (disk->volume_name);
  change->capacity = disk->capacity;
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_add_disk, change,
                                                                    (GDestroyNotify) new_disk_free),
                                vmd_machine_details_add_disk_async, cancellable, callback, user_data);
}

/* --- removing ----------------------------------------------------------------------------------- */

typedef struct {
  char *target;
  char *delete_path;   /* the volume to delete once the disk is gone, or NULL */
} DiskRemoval;

static void
disk_removal_free (DiskRemoval *removal)
{
  g_free (removal->target);
  g_free (removal->delete_path);
  g_free (removal);
}

static gboolean
apply_remove_disk (VmdDetailsEdit  *edit,
                   gpointer         data,
                   GError         **error)
{
  DiskRemoval *removal = data;
  g_autofree char *xpath = vmd_disk_xpath (removal->target);
  g_autoptr(GError) volume_error = NULL;

  if (!vmd_details_edit_detach_device (edit, xpath, error))
    return FALSE;
  if (removal->delete_path == NULL)
    return TRUE;
  vmd_machine_details_delete_volume (virDomainGetConnect (edit->handle), removal->delete_path, &volume_error);
  if (volume_error != NULL)
    vmd_details_edit_add_note (edit, volume_error->message);
  return TRUE;
}

/* While VmdMachine checks which volumes may go. */
typedef struct {
  VmdMachineDetails   *self;
  DiskRemoval         *removal;
  GCancellable        *cancellable;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} PendingRemove;

static void
pending_remove_free (PendingRemove *pending)
{
  g_object_unref (pending->self);
  g_clear_pointer (&pending->removal, disk_removal_free);
  g_clear_object (&pending->cancellable);
  g_free (pending);
}

/* The reason the disk's volume must stay, or NULL (with delete_path set) when it may go. */
static const char *
choose_volume (DiskRemoval *removal,
               GPtrArray   *choices)
{
  const char *reason = _("Kept: it is not a writable disk of this machine");

  for (guint i = 0; choices != NULL && i < choices->len; i++)
    {
      VmdDiskChoice *choice = choices->pdata[i];

      if (g_strcmp0 (choice->target, removal->target) != 0)
        continue;
      if (!choice->deletable)
        reason = choice->reason;
      else
        {
          removal->delete_path = g_strdup (choice->path);
          return NULL;
        }
    }
  return reason;
}

/* VmdMachine's own check (a volume in a pool that no other machine uses) decides whether the
 * volume may go, as when a whole machine is deleted. */
static void
on_disk_choices (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PendingRemove *pending = user_data;
  g_autoptr(GPtrArray) choices = vmd_machine_list_disks_finish (VMD_MACHINE (source), result, NULL);
  const char *reason = choose_volume (pending->removal, choices);

  if (reason != NULL)
    vmd_machine_details_refuse (pending->self,
                                g_error_new (VMD_ERROR, VMD_ERROR_INVALID_STATE,
                                             _("The volume of %s cannot be deleted. %s"), pending->removal->target,
                                             reason),
                                vmd_machine_details_remove_disk_async, pending->cancellable, pending->callback,
                                pending->user_data);
  else
    vmd_machine_details_run_edit (pending->self,
                                  vmd_machine_details_new_edit (pending->self, apply_remove_disk,
                                                                g_steal_pointer (&pending->removal),
                                                                (GDestroyNotify) disk_removal_free),
                                  vmd_machine_details_remove_disk_async, pending->cancellable,
                                  pending->callback, pending->user_data);
  pending_remove_free (pending);
}

void
vmd_machine_details_remove_disk_async (VmdMachineDetails   *self,
                                       const char          *target,
                                       gboolean             delete_volume,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  DiskRemoval *removal = g_new0 (DiskRemoval, 1);
  PendingRemove *pending;

  removal->target = g_strdup (target);
  if (!delete_volume)
    {
      vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_remove_disk, removal,
                                                                        (GDestroyNotify) disk_removal_free),
                                    vmd_machine_details_remove_disk_async, cancellable, callback, user_data);
      return;
    }
  pending = g_new0 (PendingRemove, 1);
  pending->self = g_object_ref (self);
  pending->removal = removal;
  pending->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  pending->callback = callback;
  pending->user_data = user_data;
  vmd_machine_list_disks_async (vmd_machine_details_get_machine (self), cancellable, on_disk_choices, pending);
}

/* --- media -------------------------------------------------------------------------------------- */

typedef struct {
  char *target;
  char *path;    /* NULL ejects */
} MediaChange;

static void
media_change_free (MediaChange *change)
{
  g_free (change->target);
  g_free (change->path);
  g_free (change);
}

/* A CD or floppy drive's medium only: a disk's source is not changed here. */
static char *
set_medium (const char  *device_xml,
            gpointer     data,
            GError     **error)
{
  MediaChange *change = data;
  g_autoptr(VmdXml) device = vmd_xml_parse (device_xml, error);

  if (device == NULL)
    return NULL;
  if (!vmd_xml_exists (device, NULL, "/disk[@device='cdrom' or @device='floppy']"))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("%s is not a CD or floppy drive: its medium cannot be changed"), change->target);
      return NULL;
    }
  return vmd_disk_xml_set_source (device_xml, change->path, error);
}

static gboolean
apply_media (VmdDetailsEdit  *edit,
             gpointer         data,
             GError         **error)
{
  g_autofree char *xpath = vmd_disk_xpath (((MediaChange *) data)->target);

  return vmd_details_edit_update_device (edit, xpath, set_medium, data, error);
}

/* iso_path NULL ejects. Live on a running machine (virDomainUpdateDeviceFlags). */
void
vmd_machine_details_change_media_async (VmdMachineDetails   *self,
                                        const char          *target,
                                        const char          *iso_path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  MediaChange *change = g_new0 (MediaChange, 1);

  change->target = g_strdup (target);
  change->path = g_strdup (iso_path);
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_media, change,
                                                                    (GDestroyNotify) media_change_free),
                                vmd_machine_details_change_media_async, cancellable, callback, user_data);
}
