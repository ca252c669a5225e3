/* VmdStorageVolume: kept by its pool's list, keyed by the volume's key; operations take a
 * reference to the libvirt handle into the worker thread. */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "vmd-blocking.h"
#include "vmd-error.h"
#include "vmd-storage-spec.h"
#include "vmd-storage-volume.h"
#include "vmd-volume-transfer.h"
#include "vmd-xml.h"

struct _VmdStorageVolume
{
  GObject               parent_instance;
  VmdStorageVolumeInfo *info;
};

G_DEFINE_FINAL_TYPE (VmdStorageVolume, vmd_storage_volume, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_CAPACITY,
  PROP_ALLOCATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- reading libvirt (worker thread) ----------------------------------------------------------- */

VmdStorageVolumeInfo *
vmd_storage_volume_info_load (virStorageVolPtr  handle,
                              const char       *pool_name,
                              VmdDomainUsage   *usage)
{
  VmdStorageVolumeInfo *info = g_new0 (VmdStorageVolumeInfo, 1);
  g_autofree char *xml = virStorageVolGetXMLDesc (handle, 0);
  g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;
  g_autofree char *by_pool = g_strdup_printf ("%s/%s", pool_name, virStorageVolGetName (handle));
  char *path = virStorageVolGetPath (handle);
  virStorageVolInfo vol;

  virStorageVolRef (handle);
  info->handle = handle;
  info->name = g_strdup (virStorageVolGetName (handle));
  info->key = g_strdup (virStorageVolGetKey (handle));
  info->path = g_strdup (path);
  free (path);
  if (virStorageVolGetInfo (handle, &vol) == 0)
    {
      info->capacity = vol.capacity;
      info->allocation = vol.allocation;
    }
  if (doc != NULL)
    {
      info->format = vmd_xml_string (doc, NULL, "/volume/target/format/@type");
      info->backing = vmd_xml_string (doc, NULL, "/volume/backingStore/path");
    }
  if (usage != NULL)
    {
      info->users = vmd_domain_usage_users (usage->disks, info->path);
      if (info->users == NULL)
        info->users = vmd_domain_usage_users (usage->disks, by_pool);
    }
  virResetLastError ();
  return info;
}

void
vmd_storage_volume_info_free (VmdStorageVolumeInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->handle, virStorageVolFree);
  g_free (info->name);
  g_free (info->key);
  g_free (info->path);
  g_free (info->format);
  g_free (info->backing);
  g_strfreev (info->users);
  g_free (info);
}

/* --- operations (worker thread) ----------------------------------------------------------------- */

typedef struct {
  virStorageVolPtr handle;
  char            *name;
  char            *path;
  char            *new_name;
  guint64          capacity;
} Op;

static void
op_free (Op *op)
{
  g_clear_pointer (&op->handle, virStorageVolFree);
  g_free (op->name);
  g_free (op->path);
  g_free (op->new_name);
  g_free (op);
}

static Op *
op_new (VmdStorageVolume *self)
{
  Op *op = g_new0 (Op, 1);

  virStorageVolRef (self->info->handle);
  op->handle = self->info->handle;
  op->name = g_strdup (self->info->name);
  op->path = g_strdup (self->info->path);
  return op;
}

/* Any machine, running or not: its definition would point at a disk that is gone. */
static gboolean
check_unused (Op      *op,
              GError **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByVolume (op->handle);
  g_autoptr(VmdDomainUsage) usage = vmd_domain_usage_scan (virStorageVolGetConnect (op->handle), FALSE);
  g_autofree char *by_pool = g_strdup_printf ("%s/%s", pool != NULL ? virStoragePoolGetName (pool) : "",
                                              op->name);
  g_auto(GStrv) users = vmd_domain_usage_users (usage->disks, op->path);
  g_autofree char *names = NULL;

  if (users == NULL)
    users = vmd_domain_usage_users (usage->disks, by_pool);
  if (pool != NULL)
    virStoragePoolFree (pool);
  virResetLastError ();
  if (users == NULL)
    return TRUE;
  names = g_strjoinv (", ", users);
  g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
               g_dngettext (GETTEXT_PACKAGE,
                            "The volume “%s” is a disk of the machine %s: remove it from the "
                            "machine first.",
                            "The volume “%s” is a disk of the machines %s: remove it from the "
                            "machines first.", g_strv_length (users)),
               op->name, names);
  return FALSE;
}

static gboolean
delete_in_thread (gpointer data, GCancellable *cancellable, GError **error)
{
  Op *op = data;

  if (!check_unused (op, error))
    return FALSE;
  return virStorageVolDelete (op->handle, 0) == 0 ||
         vmd_error_libvirt_failed (error, _("The volume “%s” was not deleted"), op->name);
}

static gboolean
resize_in_thread (gpointer data, GCancellable *cancellable, GError **error)
{
  Op *op = data;
  virStorageVolInfo info;

  if (virStorageVolGetInfo (op->handle, &info) == 0 && op->capacity < info.capacity)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("The volume “%s” cannot shrink: the data at its end would be lost."), op->name);
      return FALSE;
    }
  virResetLastError ();
  return virStorageVolResize (op->handle, op->capacity, 0) == 0 ||
         vmd_error_libvirt_failed (error, _("The volume “%s” was not resized"), op->name);
}

/* The copy has the original's format; libvirt copies the data (qemu-img for qcow2). */
static gboolean
clone_in_thread (gpointer data, GCancellable *cancellable, GError **error)
{
  Op *op = data;
  virStoragePoolPtr pool = virStoragePoolLookupByVolume (op->handle);
  g_autofree char *xml = NULL;
  virStorageVolPtr copy = NULL;

  if (pool == NULL)
    return vmd_error_libvirt_failed (error, _("The pool of the volume “%s” was not found"), op->name);
  if (vmd_volume_name_check (pool, op->new_name, error))
    {
      xml = vmd_volume_clone_xml (op->handle, op->new_name);
      copy = xml != NULL ? virStorageVolCreateXMLFrom (pool, xml, op->handle, 0) : NULL;
      if (copy == NULL)
        vmd_error_libvirt_failed (error, _("The volume “%s” was not copied"), op->name);
    }
  virStoragePoolFree (pool);
  if (copy == NULL)
    return FALSE;
  virStorageVolFree (copy);
  return TRUE;
}

static void
run (VmdStorageVolume    *self,
     VmdBlockingFunc      func,
     Op                  *op,
     GCancellable        *cancellable,
     GAsyncReadyCallback  callback,
     gpointer             user_data)
{
  vmd_blocking_run_async (self, vmd_storage_volume_delete_async, func, op, (GDestroyNotify) op_free,
                          cancellable, callback, user_data);
}

void
vmd_storage_volume_delete_async (VmdStorageVolume    *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (VMD_IS_STORAGE_VOLUME (self));
  run (self, delete_in_thread, op_new (self), cancellable, callback, user_data);
}

void
vmd_storage_volume_resize_async (VmdStorageVolume    *self,
                                 guint64              capacity,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Op *op;

  g_return_if_fail (VMD_IS_STORAGE_VOLUME (self));
  op = op_new (self);
  op->capacity = capacity;
  run (self, resize_in_thread, op, cancellable, callback, user_data);
}

void
vmd_storage_volume_clone_async (VmdStorageVolume    *self,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Op *op;

  g_return_if_fail (VMD_IS_STORAGE_VOLUME (self));
  op = op_new (self);
  op->new_name = g_strdup (name);
  run (self, clone_in_thread, op, cancellable, callback, user_data);
}

gboolean
vmd_storage_volume_operation_finish (VmdStorageVolume  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  return vmd_blocking_run_finish (self, result, error);
}

/* Runs at once; the job is the caller's to show and cancel. */
VmdJob *
vmd_storage_volume_download (VmdStorageVolume    *self,
                             const char          *file,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *title = NULL;
  VmdJob *job;

  g_return_val_if_fail (VMD_IS_STORAGE_VOLUME (self), NULL);
  title = g_strdup_printf (_("Downloading “%s”"), self->info->name);
  job = vmd_job_new (title);
  vmd_job_run_async (job, vmd_volume_download_func,
                     vmd_volume_download_new (self->info->handle, file),
                     (GDestroyNotify) vmd_volume_transfer_free, callback, user_data);
  return job;
}

/* --- the object ----------------------------------------------------------------------------------- */

void
vmd_storage_volume_update (VmdStorageVolume     *self,
                           VmdStorageVolumeInfo *info)
{
  vmd_storage_volume_info_free (self->info);
  self->info = info;
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 1; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
vmd_storage_volume_get_name (VmdStorageVolume *self)
{
  return self->info->name;
}

const char *
vmd_storage_volume_get_key (VmdStorageVolume *self)
{
  return self->info->key;
}

const char *
vmd_storage_volume_get_path (VmdStorageVolume *self)
{
  return self->info->path;
}

const char *
vmd_storage_volume_get_format (VmdStorageVolume *self)
{
  return self->info->format;
}

const char *
vmd_storage_volume_get_backing (VmdStorageVolume *self)
{
  return self->info->backing;
}

guint64
vmd_storage_volume_get_capacity (VmdStorageVolume *self)
{
  return self->info->capacity;
}

guint64
vmd_storage_volume_get_allocation (VmdStorageVolume *self)
{
  return self->info->allocation;
}

const char * const *
vmd_storage_volume_get_users (VmdStorageVolume *self)
{
  return (const char * const *) self->info->users;
}

virStorageVolPtr
vmd_storage_volume_get_handle (VmdStorageVolume *self)
{
  return self->info->handle;
}

static void
vmd_storage_volume_finalize (GObject *object)
{
  vmd_storage_volume_info_free (VMD_STORAGE_VOLUME (object)->info);
  G_OBJECT_CLASS (vmd_storage_volume_parent_class)->finalize (object);
}

static void
vmd_storage_volume_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VmdStorageVolume *self = VMD_STORAGE_VOLUME (object);

  switch (prop_id)
    {
    case PROP_NAME:       g_value_set_string (value, self->info->name); break;
    case PROP_CAPACITY:   g_value_set_uint64 (value, self->info->capacity); break;
    case PROP_ALLOCATION: g_value_set_uint64 (value, self->info->allocation); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_storage_volume_class_init (VmdStorageVolumeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vmd_storage_volume_finalize;
  object_class->get_property = vmd_storage_volume_get_property;
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_CAPACITY] = g_param_spec_uint64 ("capacity", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_ALLOCATION] = g_param_spec_uint64 ("allocation", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_storage_volume_init (VmdStorageVolume *self)
{
}

/* Takes info over. */
VmdStorageVolume *
vmd_storage_volume_new (VmdStorageVolumeInfo *info)
{
  VmdStorageVolume *self = g_object_new (VMD_TYPE_STORAGE_VOLUME, NULL);

  self->info = info;
  return self;
}
