/* VmdStoragePool: every operation that changes the pool reads it again in the same worker
 * thread, and its _finish applies what was read, so the caller sees the pool as the operation
 * left it. Volumes keep their objects across updates (keyed by libvirt's volume key). */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-storage-pool.h"
#include "vmd-volume-transfer.h"
#include "vmd-xml.h"

struct _VmdStoragePool
{
  GObject             parent_instance;
  VmdStoragePoolInfo *info;
  GListStore         *volumes;     /* of VmdStorageVolume */
};

G_DEFINE_FINAL_TYPE (VmdStoragePool, vmd_storage_pool, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ACTIVE,
  PROP_AUTOSTART,
  PROP_CAPACITY,
  PROP_ALLOCATION,
  PROP_AVAILABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* --- reading libvirt (worker thread) ----------------------------------------------------------- */

static char *
describe_source (VmdXml *doc)
{
  g_autofree char *device = vmd_xml_string (doc, NULL, "/pool/source/device/@path");
  g_autofree char *host = vmd_xml_string (doc, NULL, "/pool/source/host/@name");
  g_autofree char *dir = vmd_xml_string (doc, NULL, "/pool/source/dir/@path");
  g_autofree char *name = vmd_xml_string (doc, NULL, "/pool/source/name");

  if (host != NULL)
    return g_strdup_printf ("%s:%s", host, dir != NULL ? dir : device != NULL ? device : "");
  if (device != NULL && name != NULL)
    return g_strdup_printf ("%s (%s)", name, device);
  return g_strdup (device != NULL ? device : name);
}

static int
compare_volume_infos (gconstpointer a,
                      gconstpointer b)
{
  return g_strcmp0 ((*(VmdStorageVolumeInfo **) a)->name, (*(VmdStorageVolumeInfo **) b)->name);
}

static void
load_volumes (VmdStoragePoolInfo *info,
              VmdDomainUsage     *usage)
{
  virStorageVolPtr *volumes = NULL;
  int n = info->active ? virStoragePoolListAllVolumes (info->handle, &volumes, 0) : 0;

  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (info->volumes, vmd_storage_volume_info_load (volumes[i], info->name, usage));
      virStorageVolFree (volumes[i]);
    }
  free (volumes);
  g_ptr_array_sort (info->volumes, compare_volume_infos);
}

VmdStoragePoolInfo *
vmd_storage_pool_info_load (virStoragePoolPtr  handle,
                            VmdDomainUsage    *usage)
{
  VmdStoragePoolInfo *info = g_new0 (VmdStoragePoolInfo, 1);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  virStoragePoolInfo state;
  int autostart = 0;
  g_autoptr(VmdXml) doc = NULL;

  virStoragePoolRef (handle);
  info->handle = handle;
  info->name = g_strdup (virStoragePoolGetName (handle));
  virStoragePoolGetUUIDString (handle, uuid);
  info->uuid = g_strdup (uuid);
  info->active = virStoragePoolIsActive (handle) == 1;
  info->persistent = virStoragePoolIsPersistent (handle) == 1;
  info->autostart = virStoragePoolGetAutostart (handle, &autostart) == 0 && autostart;
  if (virStoragePoolGetInfo (handle, &state) == 0)
    {
      info->capacity = state.capacity;
      info->allocation = state.allocation;
      info->available = state.available;
    }
  info->xml = virStoragePoolGetXMLDesc (handle, 0);
  doc = info->xml != NULL ? vmd_xml_parse (info->xml, NULL) : NULL;
  if (doc != NULL)
    {
      info->type = vmd_xml_string (doc, NULL, "/pool/@type");
      info->target_path = vmd_xml_string (doc, NULL, "/pool/target/path");
      info->source = describe_source (doc);
    }
  info->volumes = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_storage_volume_info_free);
  load_volumes (info, usage);
  virResetLastError ();
  return info;
}

void
vmd_storage_pool_info_free (VmdStoragePoolInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->handle, virStoragePoolFree);
  g_free (info->name);
  g_free (info->uuid);
  g_free (info->type);
  g_free (info->target_path);
  g_free (info->source);
  free (info->xml);
  g_clear_pointer (&info->volumes, g_ptr_array_unref);
  g_free (info);
}

/* --- operations (worker thread) ----------------------------------------------------------------- */

typedef gboolean (*OpFunc) (gpointer op, GError **error);

typedef struct {
  OpFunc             func;
  virStoragePoolPtr  handle;
  char              *name;
  gboolean           flag;
  VmdVolumeSpec     *spec;
  const char        *field;
  gboolean           reload;
} Op;

static void
op_free (Op *op)
{
  g_clear_pointer (&op->handle, virStoragePoolFree);
  g_free (op->name);
  g_clear_pointer (&op->spec, vmd_volume_spec_free);
  g_free (op);
}

static gboolean
start_op (gpointer data, GError **error)
{
  Op *op = data;

  return virStoragePoolCreate (op->handle, 0) == 0 || vmd_error_libvirt_failed (error, _("The pool “%s” did not start"), op->name);
}

static gboolean
stop_op (gpointer data, GError **error)
{
  Op *op = data;

  return virStoragePoolDestroy (op->handle) == 0 || vmd_error_libvirt_failed (error, _("The pool “%s” did not stop"), op->name);
}

static gboolean
autostart_op (gpointer data, GError **error)
{
  Op *op = data;

  return virStoragePoolSetAutostart (op->handle, op->flag) == 0 ||
         vmd_error_libvirt_failed (error, _("Autostart of the pool “%s” was not changed"), op->name);
}

static gboolean
refresh_op (gpointer data, GError **error)
{
  Op *op = data;

  if (!op->flag || virStoragePoolIsActive (op->handle) != 1)
    return TRUE;
  return virStoragePoolRefresh (op->handle, 0) == 0 || vmd_error_libvirt_failed (error, _("The pool “%s” was not refreshed"), op->name);
}

/* With contents: every volume first (refused when a machine uses one), then what the pool
 * itself made (the folder, the volume group); the definition last. */
static gboolean
delete_contents (Op *op, GError **error)
{
  g_autoptr(VmdDomainUsage) usage = vmd_domain_usage_scan (virStoragePoolGetConnect (op->handle), FALSE);
  virStorageVolPtr *volumes = NULL;
  int n = virStoragePoolListAllVolumes (op->handle, &volumes, 0);
  gboolean ok = n >= 0 || vmd_error_libvirt_failed (error, _("The volumes of the pool “%s” could not be listed"), op->name);
  g_autofree char *blocker = NULL;

  for (int i = 0; ok && i < n; i++)
    {
      g_autoptr(VmdStorageVolumeInfo) volume = vmd_storage_volume_info_load (volumes[i], op->name, usage);

      if (volume->users != NULL && blocker == NULL)
        blocker = g_strdup_printf ("%s (%s)", volume->name, volume->users[0]);
    }
  if (ok && blocker != NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                   _("The pool “%s” holds a disk of a machine: %s. Remove it from the machine first."),
                   op->name, blocker);
      ok = FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      if (ok && virStorageVolDelete (volumes[i], 0) < 0)
        ok = vmd_error_libvirt_failed (error, _("A volume of the pool “%s” was not deleted"), op->name);
      virStorageVolFree (volumes[i]);
    }
  free (volumes);
  return ok;
}

static gboolean
delete_op (gpointer data, GError **error)
{
  Op *op = data;
  gboolean active = virStoragePoolIsActive (op->handle) == 1;

  if (op->flag && !active && virStoragePoolCreate (op->handle, 0) < 0)
    return vmd_error_libvirt_failed (error, _("The pool “%s” did not start, so its contents cannot be deleted"), op->name);
  if (op->flag && !delete_contents (op, error))
    return FALSE;
  if ((active || op->flag) && virStoragePoolDestroy (op->handle) < 0)
    return vmd_error_libvirt_failed (error, _("The pool “%s” did not stop"), op->name);
  if (op->flag && virStoragePoolDelete (op->handle, 0) < 0)
    return vmd_error_libvirt_failed (error, _("The storage of the pool “%s” was not removed"), op->name);
  if (virStoragePoolIsPersistent (op->handle) == 1 && virStoragePoolUndefine (op->handle) < 0)
    return vmd_error_libvirt_failed (error, _("The pool “%s” was not deleted"), op->name);
  virResetLastError ();
  return TRUE;
}

static gboolean
create_volume_op (gpointer data, GError **error)
{
  Op *op = data;
  char *backing = NULL;
  g_autofree char *xml = NULL;
  virStorageVolPtr volume;

  if (virStoragePoolIsActive (op->handle) != 1)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                   _("The pool “%s” is not running: start it first."), op->name);
      return FALSE;
    }
  /* Without a refresh libvirt may not know a volume made behind its back. */
  virStoragePoolRefresh (op->handle, 0);
  if (!vmd_volume_spec_validate (op->spec, op->handle, &backing, &op->field, error))
    return FALSE;
  xml = vmd_volume_spec_to_xml (op->spec, backing, NULL);
  free (backing);
  volume = virStorageVolCreateXML (op->handle, xml, 0);
  if (volume == NULL)
    return vmd_error_libvirt_failed (error, _("The volume “%s” was not created"), op->spec->name);
  virStorageVolFree (volume);
  return TRUE;
}

static void
op_in_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Op *op = task_data;
  GError *error = NULL;
  g_autoptr(VmdDomainUsage) usage = NULL;

  if (!op->func (op, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!op->reload)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  usage = vmd_domain_usage_scan (virStoragePoolGetConnect (op->handle), FALSE);
  g_task_return_pointer (task, vmd_storage_pool_info_load (op->handle, usage),
                         (GDestroyNotify) vmd_storage_pool_info_free);
}

static Op *
op_new (VmdStoragePool *self,
        OpFunc          func)
{
  Op *op = g_new0 (Op, 1);

  op->func = func;
  virStoragePoolRef (self->info->handle);
  op->handle = self->info->handle;
  op->name = g_strdup (self->info->name);
  op->reload = func != delete_op;
  return op;
}

static void
run (VmdStoragePool      *self,
     Op                  *op,
     GCancellable        *cancellable,
     GAsyncReadyCallback  callback,
     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, run);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  g_task_run_in_thread (task, op_in_thread);
}

void
vmd_storage_pool_start_async (VmdStoragePool *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  run (self, op_new (self, start_op), cancellable, callback, user_data);
}

void
vmd_storage_pool_stop_async (VmdStoragePool *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  run (self, op_new (self, stop_op), cancellable, callback, user_data);
}

void
vmd_storage_pool_set_autostart_async (VmdStoragePool *self, gboolean autostart,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  Op *op = op_new (self, autostart_op);

  op->flag = autostart;
  run (self, op, cancellable, callback, user_data);
}

/* rescan: ask libvirt to look at the storage again (volumes made behind its back); else only
 * read what libvirt knows. */
void
vmd_storage_pool_refresh_async (VmdStoragePool *self, gboolean rescan, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  Op *op = op_new (self, refresh_op);

  op->flag = rescan;
  run (self, op, cancellable, callback, user_data);
}

void
vmd_storage_pool_delete_async (VmdStoragePool *self, gboolean with_contents,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  Op *op = op_new (self, delete_op);

  op->flag = with_contents;
  run (self, op, cancellable, callback, user_data);
}

static gboolean
finish (VmdStoragePool  *self,
        GAsyncResult    *result,
        GError         **error)
{
  GError *local = NULL;
  VmdStoragePoolInfo *info;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  info = g_task_propagate_pointer (G_TASK (result), &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (info != NULL)
    vmd_storage_pool_update (self, info);
  return TRUE;
}

gboolean
vmd_storage_pool_operation_finish (VmdStoragePool  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return finish (self, result, error);
}

void
vmd_storage_pool_create_volume_async (VmdStoragePool *self, const VmdVolumeSpec *spec,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  Op *op = op_new (self, create_volume_op);

  op->spec = vmd_volume_spec_copy (spec);
  run (self, op, cancellable, callback, user_data);
}

/* field: the VMD_VOLUME_FIELD_* a bad input is about, or NULL. */
gboolean
vmd_storage_pool_create_volume_finish (VmdStoragePool  *self,
                                       GAsyncResult    *result,
                                       const char     **field,
                                       GError         **error)
{
  Op *op = g_task_get_task_data (G_TASK (result));

  if (field != NULL)
    *field = op->field;
  return finish (self, result, error);
}

/* --- uploads --------------------------------------------------------------------------------------- */

typedef struct {
  VmdStoragePool      *pool;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} Upload;

static void
on_reloaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  vmd_storage_pool_operation_finish (VMD_STORAGE_POOL (source), result, NULL);
}

/* The pool is read again after the job, whatever its end: a failed upload deleted its volume. */
static void
on_upload_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree Upload *upload = user_data;
  g_autoptr(VmdStoragePool) pool = upload->pool;

  vmd_storage_pool_refresh_async (pool, FALSE, NULL, on_reloaded, NULL);
  if (upload->callback != NULL)
    upload->callback (source, result, upload->user_data);
}

/* A new volume called name, the file's size (a qcow2 image keeps its format and virtual size),
 * filled from the file. Runs at once; the job is the caller's to show and cancel. */
VmdJob *
vmd_storage_pool_upload (VmdStoragePool      *self,
                         const char          *file,
                         const char          *name,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *title = NULL;
  Upload *upload;
  VmdJob *job;

  g_return_val_if_fail (VMD_IS_STORAGE_POOL (self), NULL);
  title = g_strdup_printf (_("Uploading “%s”"), name);
  job = vmd_job_new (title);
  upload = g_new0 (Upload, 1);
  upload->pool = g_object_ref (self);
  upload->callback = callback;
  upload->user_data = user_data;
  vmd_job_run_async (job, vmd_volume_upload_func,
                     vmd_volume_upload_new (self->info->handle, file, name),
                     (GDestroyNotify) vmd_volume_transfer_free, on_upload_done, upload);
  return job;
}

/* --- the object ---------------------------------------------------------------------------------- */

static VmdStorageVolume *
take_volume (GHashTable           *old,
             VmdStorageVolumeInfo *info)
{
  VmdStorageVolume *volume = info->key != NULL ? g_hash_table_lookup (old, info->key) : NULL;

  /* A listing that could not read a volume's key (one being written) still finds it by name. */
  if (volume == NULL)
    volume = g_hash_table_lookup (old, info->name);

  if (volume == NULL)
    return vmd_storage_volume_new (info);
  g_object_ref (volume);
  vmd_storage_volume_update (volume, info);
  return volume;
}

/* The volumes' objects stay; the list changes only when the set of volumes does. */
static void
update_volumes (VmdStoragePool *self,
                GPtrArray      *infos)
{
  /* Keys copied: updating a volume frees the strings it was listed under. */
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) next = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->volumes));
  gboolean same = n == infos->len;

  for (guint i = 0; i < n; i++)
    {
      VmdStorageVolume *volume = g_list_model_get_item (G_LIST_MODEL (self->volumes), i);
      const char *key = vmd_storage_volume_get_key (volume);

      if (key != NULL)
        g_hash_table_insert (old, g_strdup (key), volume);
      g_hash_table_insert (old, g_strdup (vmd_storage_volume_get_name (volume)), volume);
      g_object_unref (volume);
    }
  for (guint i = 0; i < infos->len; i++)
    {
      VmdStorageVolume *volume = take_volume (old, g_steal_pointer (&infos->pdata[i]));

      if (same)
        {
          g_autoptr(VmdStorageVolume) current = g_list_model_get_item (G_LIST_MODEL (self->volumes), i);

          same = current == volume;
        }
      g_ptr_array_add (next, volume);
    }
  g_ptr_array_set_size (infos, 0);
  if (!same)
    g_list_store_splice (self->volumes, 0, n, next->pdata, next->len);
}

/* Takes info over. */
void
vmd_storage_pool_update (VmdStoragePool     *self,
                         VmdStoragePoolInfo *info)
{
  g_return_if_fail (VMD_IS_STORAGE_POOL (self));
  vmd_storage_pool_info_free (self->info);
  self->info = info;
  g_ptr_array_set_free_func (info->volumes, NULL);
  update_volumes (self, info->volumes);
  g_ptr_array_set_free_func (info->volumes, (GDestroyNotify) vmd_storage_volume_info_free);
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 1; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
vmd_storage_pool_get_name (VmdStoragePool *self)
{
  return self->info->name;
}

const char *
vmd_storage_pool_get_uuid (VmdStoragePool *self)
{
  return self->info->uuid;
}

const char *
vmd_storage_pool_get_pool_type (VmdStoragePool *self)
{
  return self->info->type;
}

const char *
vmd_storage_pool_get_target_path (VmdStoragePool *self)
{
  return self->info->target_path;
}

const char *
vmd_storage_pool_get_source (VmdStoragePool *self)
{
  return self->info->source;
}

const char *
vmd_storage_pool_get_xml (VmdStoragePool *self)
{
  return self->info->xml;
}

gboolean
vmd_storage_pool_get_active (VmdStoragePool *self)
{
  return self->info->active;
}

gboolean
vmd_storage_pool_get_autostart (VmdStoragePool *self)
{
  return self->info->autostart;
}

guint64
vmd_storage_pool_get_capacity (VmdStoragePool *self)
{
  return self->info->capacity;
}

guint64
vmd_storage_pool_get_allocation (VmdStoragePool *self)
{
  return self->info->allocation;
}

guint64
vmd_storage_pool_get_available (VmdStoragePool *self)
{
  return self->info->available;
}

GListModel *
vmd_storage_pool_get_volumes (VmdStoragePool *self)
{
  return G_LIST_MODEL (self->volumes);
}

VmdStorageVolume *
vmd_storage_pool_find_volume (VmdStoragePool *self,
                              const char     *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->volumes));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdStorageVolume) volume = g_list_model_get_item (G_LIST_MODEL (self->volumes), i);

      if (g_strcmp0 (vmd_storage_volume_get_name (volume), name) == 0)
        return volume;
    }
  return NULL;
}

static void
vmd_storage_pool_finalize (GObject *object)
{
  VmdStoragePool *self = VMD_STORAGE_POOL (object);

  g_clear_object (&self->volumes);
  vmd_storage_pool_info_free (self->info);
  G_OBJECT_CLASS (vmd_storage_pool_parent_class)->finalize (object);
}

static void
vmd_storage_pool_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VmdStoragePool *self = VMD_STORAGE_POOL (object);

  switch (prop_id)
    {
    case PROP_NAME:       g_value_set_string (value, self->info->name); break;
    case PROP_ACTIVE:     g_value_set_boolean (value, self->info->active); break;
    case PROP_AUTOSTART:  g_value_set_boolean (value, self->info->autostart); break;
    case PROP_CAPACITY:   g_value_set_uint64 (value, self->info->capacity); break;
    case PROP_ALLOCATION: g_value_set_uint64 (value, self->info->allocation); break;
    case PROP_AVAILABLE:  g_value_set_uint64 (value, self->info->available); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_storage_pool_class_init (VmdStoragePoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vmd_storage_pool_finalize;
  object_class->get_property = vmd_storage_pool_get_property;
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);
  properties[PROP_AUTOSTART] = g_param_spec_boolean ("autostart", NULL, NULL, FALSE, flags);
  properties[PROP_CAPACITY] = g_param_spec_uint64 ("capacity", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_ALLOCATION] = g_param_spec_uint64 ("allocation", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_AVAILABLE] = g_param_spec_uint64 ("available", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_storage_pool_init (VmdStoragePool *self)
{
  self->volumes = g_list_store_new (VMD_TYPE_STORAGE_VOLUME);
}

/* Takes info over. */
VmdStoragePool *
vmd_storage_pool_new (VmdStoragePoolInfo *info)
{
  VmdStoragePool *self = g_object_new (VMD_TYPE_STORAGE_POOL, NULL);

  vmd_storage_pool_update (self, info);
  return self;
}
