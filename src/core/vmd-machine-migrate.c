/* Migration runs virDomainMigrate3 (or MigrateToURI3 peer to peer) in a thread of its own, while
 * the job's worker asks virDomainGetJobStats every POLL_MS for the progress and calls
 * virDomainAbortJob on Cancel: libvirt then stops the migration and the guest goes on running on
 * the source. With the disks copied, each disk's volume is made on the target first (in the pool
 * there whose folder is the disk's), and deleted again if the migration does not complete, so a
 * failed or cancelled migration leaves nothing on the target. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-machine-migrate.h"
#include "vmd-xml.h"

#define POLL_MS 200

struct _VmdMigrateProgress {
  GMutex          lock;
  VmdMigrateStats stats;
};

typedef struct {
  virDomainPtr       domain;          /* on the source */
  virConnectPtr      target;
  char              *target_uri;      /* for peer to peer */
  char              *target_title;
  VmdMigrateOptions  options;
  VmdMigrateProgress *shared;          /* shared with the caller */

  /* between the worker and the migrating thread */
  GMutex             lock;
  gboolean           done;
  gboolean           ok;
  GError            *error;
} Migration;

/* libvirt's last error, after what we were doing; always FALSE. */
static gboolean G_GNUC_PRINTF (2, 3)
libvirt_failed (GError     **error,
                const char  *format,
                ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  vmd_error_set_from_libvirt (error, what);
  return FALSE;
}

static void
progress_clear (VmdMigrateProgress *progress)
{
  g_mutex_clear (&progress->lock);
}

void
vmd_migrate_progress_unref (VmdMigrateProgress *progress)
{
  g_atomic_rc_box_release_full (progress, (GDestroyNotify) progress_clear);
}

static void
migration_free (Migration *migration)
{
  g_clear_pointer (&migration->domain, virDomainFree);
  g_clear_pointer (&migration->target, virConnectClose);
  g_free (migration->target_uri);
  g_free (migration->target_title);
  g_clear_error (&migration->error);
  g_mutex_clear (&migration->lock);
  vmd_migrate_progress_unref (migration->shared);
  g_free (migration);
}

/* --- the target's volumes ------------------------------------------------------------------------ */

typedef struct {
  virStorageVolPtr volume;
} MadeVolume;

static void
delete_made_volume (gpointer data)
{
  MadeVolume *made = data;

  if (virStorageVolDelete (made->volume, 0) < 0)
    virResetLastError ();
}

static void
made_volume_free (gpointer data)
{
  MadeVolume *made = data;

  virStorageVolFree (made->volume);
  g_free (made);
}

/* The size and format of the source's volume at path, as the copy on the target needs them. */
static char *
volume_xml_for (virConnectPtr   source,
                const char     *path,
                const char     *format,
                GError        **error)
{
  virStorageVolPtr volume = virStorageVolLookupByPath (source, path);
  virStorageVolInfo info;
  g_autofree char *name = g_path_get_basename (path);
  int status;

  if (volume == NULL)
    {
      libvirt_failed (error, _("The disk %s is not a storage volume libvirt knows; it "
                                         "cannot be copied"), path);
      return NULL;
    }
  status = virStorageVolGetInfo (volume, &info);
  virStorageVolFree (volume);
  if (status < 0)
    {
      libvirt_failed (error, _("Could not read the size of %s"), path);
      return NULL;
    }
  return g_markup_printf_escaped ("<volume><name>%s</name><capacity unit='bytes'>%llu</capacity>"
                                  "<target><format type='%s'/></target></volume>",
                                  name, info.capacity, format != NULL ? format : "raw");
}

/* Makes the volume the disk at path is copied into, unless the target has it already. */
static gboolean
prepare_target_volume (VmdJob     *job,
                       Migration  *migration,
                       const char *path,
                       const char *format,
                       GError    **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *xml = NULL;
  virStoragePoolPtr pool = virStoragePoolLookupByTargetPath (migration->target, folder);
  virStorageVolPtr volume;
  MadeVolume *made;

  if (pool == NULL)
    {
      virResetLastError ();
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                   _("%s has no storage pool in %s to copy the disk %s into. Add a pool with "
                     "that folder on %s, or move the disk to shared storage."),
                   migration->target_title, folder, path, migration->target_title);
      return FALSE;
    }
  if (virStoragePoolRefresh (pool, 0) < 0)
    virResetLastError ();
  volume = virStorageVolLookupByName (pool, name);
  if (volume != NULL)
    {
      virStorageVolFree (volume);
      virStoragePoolFree (pool);
      return TRUE;
    }
  virResetLastError ();
  xml = volume_xml_for (virDomainGetConnect (migration->domain), path, format, error);
  if (xml == NULL)
    {
      virStoragePoolFree (pool);
      return FALSE;
    }
  volume = virStorageVolCreateXML (pool, xml, 0);
  virStoragePoolFree (pool);
  if (volume == NULL)
    return libvirt_failed (error, _("Could not make the copy of %s on %s"), path,
                                     migration->target_title);
  made = g_new0 (MadeVolume, 1);
  made->volume = volume;
  vmd_job_push_undo (job, delete_made_volume, made, made_volume_free);
  return TRUE;
}

/* The disks copied: writable file disks (not CD-ROMs, not read-only, not network). Their
 * target names go into migrate_disks, so that nothing else is copied. */
static gboolean
prepare_disks (VmdJob         *job,
               Migration      *migration,
               GPtrArray      *targets,
               GError        **error)
{
  g_autofree char *xml = virDomainGetXMLDesc (migration->domain, 0);
  g_autoptr(VmdXml) doc = NULL;
  g_autoptr(GPtrArray) disks = NULL;

  if (xml == NULL)
    return libvirt_failed (error, _("Could not read the machine's definition"));
  doc = vmd_xml_parse (xml, error);
  if (doc == NULL)
    return FALSE;
  disks = vmd_xml_nodes (doc, NULL,
                         "/domain/devices/disk[@device='disk' and (@type='file' or @type='volume')"
                         " and not(readonly) and not(shareable)]");
  for (guint i = 0; i < disks->len; i++)
    {
      g_autofree char *path = vmd_xml_string (doc, disks->pdata[i], "string(source/@file)");
      g_autofree char *format = vmd_xml_string (doc, disks->pdata[i], "string(driver/@type)");
      g_autofree char *dev = vmd_xml_string (doc, disks->pdata[i], "string(target/@dev)");

      if (path == NULL || *path == '\0' || dev == NULL)
        continue;  /* no medium */
      if (!prepare_target_volume (job, migration, path, format, error))
        return FALSE;
      g_ptr_array_add (targets, g_steal_pointer (&dev));
    }
  return TRUE;
}

/* --- the migration itself ------------------------------------------------------------------------ */

typedef struct {
  Migration        *migration;
  virTypedParameterPtr params;
  int               nparams;
  unsigned int      flags;
} Call;

static guint64 param_ull (virTypedParameterPtr params, int nparams, const char *name);

/* The target keeps the statistics of the migration it received, the downtime among them. */
static void
record_downtime (Migration    *migration,
                 virDomainPtr  moved)
{
  virTypedParameterPtr params = NULL;
  int nparams = 0;
  int type = VIR_DOMAIN_JOB_NONE;

  if (virDomainGetJobStats (moved, &type, &params, &nparams, VIR_DOMAIN_JOB_STATS_COMPLETED) < 0)
    {
      virResetLastError ();
      return;
    }
  g_mutex_lock (&migration->shared->lock);
  migration->shared->stats.downtime_ms = param_ull (params, nparams, VIR_DOMAIN_JOB_DOWNTIME);
  migration->shared->stats.memory_remaining = 0;
  migration->shared->stats.disk_remaining = 0;
  g_mutex_unlock (&migration->shared->lock);
  virTypedParamsFree (params, nparams);
}

static gpointer
migrate_thread (gpointer data)
{
  Call *call = data;
  Migration *migration = call->migration;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (migration->options.peer_to_peer)
    ok = virDomainMigrateToURI3 (migration->domain, migration->target_uri, call->params,
                                 call->nparams, call->flags) == 0;
  else
    {
      virDomainPtr moved = virDomainMigrate3 (migration->domain, migration->target, call->params,
                                              call->nparams, call->flags);
      ok = moved != NULL;
      if (moved != NULL)
        {
          record_downtime (migration, moved);
          virDomainFree (moved);
        }
    }
  if (!ok)
    libvirt_failed (&error, _("Could not move the machine to %s"),
                              migration->target_title);
  g_mutex_lock (&migration->lock);
  migration->ok = ok;
  migration->error = g_steal_pointer (&error);
  migration->done = TRUE;
  g_mutex_unlock (&migration->lock);
  return NULL;
}

static guint64
param_ull (virTypedParameterPtr params,
           int                  nparams,
           const char          *name)
{
  unsigned long long value = 0;

  if (virTypedParamsGetULLong (params, nparams, name, &value) <= 0)
    return 0;
  return value;
}

/* One look at the migration's statistics: the job's bytes, and the details kept for the UI. */
static void
poll_stats (VmdJob    *job,
            Migration *migration)
{
  virTypedParameterPtr params = NULL;
  int nparams = 0;
  int type = VIR_DOMAIN_JOB_NONE;
  VmdMigrateStats stats = { 0, };

  if (virDomainGetJobStats (migration->domain, &type, &params, &nparams, 0) < 0)
    {
      virResetLastError ();
      return;
    }
  if (type != VIR_DOMAIN_JOB_NONE)
    {
      guint64 total = param_ull (params, nparams, VIR_DOMAIN_JOB_DATA_TOTAL);
      guint64 processed = param_ull (params, nparams, VIR_DOMAIN_JOB_DATA_PROCESSED);

      stats.memory_remaining = param_ull (params, nparams, VIR_DOMAIN_JOB_MEMORY_REMAINING);
      stats.disk_remaining = param_ull (params, nparams, VIR_DOMAIN_JOB_DISK_REMAINING);
      stats.memory_bps = param_ull (params, nparams, VIR_DOMAIN_JOB_MEMORY_BPS);
      stats.disk_bps = param_ull (params, nparams, VIR_DOMAIN_JOB_DISK_BPS);
      g_mutex_lock (&migration->shared->lock);
      stats.downtime_ms = migration->shared->stats.downtime_ms;
      migration->shared->stats = stats;
      g_mutex_unlock (&migration->shared->lock);
      if (total > 0)
        vmd_job_report (job, MIN (processed, total), total);
    }
  virTypedParamsFree (params, nparams);
}

static gboolean
migration_done (Migration *migration)
{
  gboolean done;

  g_mutex_lock (&migration->lock);
  done = migration->done;
  g_mutex_unlock (&migration->lock);
  return done;
}

static void
wait_for_migration (VmdJob       *job,
                    Migration    *migration,
                    GCancellable *cancellable)
{
  gboolean aborted = FALSE;

  while (!migration_done (migration))
    {
      if (!aborted && g_cancellable_is_cancelled (cancellable))
        {
          /* libvirt refuses an abort in the migration's last step; it then completes. */
          if (virDomainAbortJob (migration->domain) < 0)
            virResetLastError ();
          aborted = TRUE;
        }
      poll_stats (job, migration);
      g_usleep (POLL_MS * 1000);
    }
}

static unsigned int
migrate_flags (const VmdMigrateOptions *options)
{
  unsigned int flags = VIR_MIGRATE_LIVE;

  if (options->peer_to_peer)
    flags |= VIR_MIGRATE_PEER2PEER;
  if (options->copy_storage)
    flags |= VIR_MIGRATE_NON_SHARED_DISK;
  if (options->persistent)
    flags |= VIR_MIGRATE_PERSIST_DEST;
  if (options->undefine_source)
    flags |= VIR_MIGRATE_UNDEFINE_SOURCE;
  return flags;
}

static gboolean
check_target_free (Migration  *migration,
                   GError    **error)
{
  const char *name = virDomainGetName (migration->domain);
  virDomainPtr existing = virDomainLookupByName (migration->target, name);

  if (existing == NULL)
    {
      virResetLastError ();
      return TRUE;
    }
  virDomainFree (existing);
  g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
               _("%s already has a machine called “%s”. Rename one of them first."),
               migration->target_title, name);
  return FALSE;
}

static gboolean
check_running (Migration  *migration,
               GError    **error)
{
  int state = VIR_DOMAIN_NOSTATE;

  if (virDomainGetState (migration->domain, &state, NULL, 0) < 0)
    return libvirt_failed (error, _("Could not read the machine's state"));
  if (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_PAUSED)
    return TRUE;
  g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
               _("Only a running or paused machine can be migrated; start it first."));
  return FALSE;
}

static gboolean
migrate_func (VmdJob        *job,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Migration *migration = data;
  g_autoptr(GPtrArray) disks = g_ptr_array_new_with_free_func (g_free);
  Call call = { migration, NULL, 0, migrate_flags (&migration->options) };
  int max = 0;
  GThread *thread;

  if (migration->target == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_CONNECTED,
                   _("%s is not connected; connect to it first."), migration->target_title);
      return FALSE;
    }
  if (!check_running (migration, error) || !check_target_free (migration, error))
    return FALSE;
  if (migration->options.copy_storage && !prepare_disks (job, migration, disks, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  for (guint i = 0; i < disks->len; i++)
    virTypedParamsAddString (&call.params, &call.nparams, &max, VIR_MIGRATE_PARAM_MIGRATE_DISKS,
                             disks->pdata[i]);
  if (migration->options.bandwidth_mib_s > 0)
    virTypedParamsAddULLong (&call.params, &call.nparams, &max, VIR_MIGRATE_PARAM_BANDWIDTH,
                             migration->options.bandwidth_mib_s);

  thread = g_thread_new ("vmd-migrate", migrate_thread, &call);
  wait_for_migration (job, migration, cancellable);
  g_thread_join (thread);
  virTypedParamsFree (call.params, call.nparams);
  if (!migration->ok)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return !g_cancellable_set_error_if_cancelled (cancellable, error);
      g_propagate_error (error, g_steal_pointer (&migration->error));
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  VmdConnection       *source;
  char                *uuid;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} Done;

/* Its old host is asked whether it still has the machine: when the migration undefined it there,
 * the list must not keep it (see vmd_connection_forget_if_gone). */
static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Done *done = user_data;

  if (vmd_job_get_state (VMD_JOB (source)) == VMD_JOB_STATE_SUCCEEDED && done->source != NULL)
    vmd_connection_forget_if_gone (done->source, done->uuid);
  if (done->callback != NULL)
    done->callback (source, result, done->user_data);
  g_clear_object (&done->source);
  g_free (done->uuid);
  g_free (done);
}

/* Runs at once; the job is the caller's to show and cancel. The machine keeps running on its
 * host unless the job succeeds; the target's list then has it, from libvirt's events. */
VmdJob *
vmd_machine_migrate (VmdMachine              *self,
                     VmdConnection           *target,
                     const VmdMigrateOptions *options,
                     VmdMigrateProgress     **progress,
                     GAsyncReadyCallback      callback,
                     gpointer                 user_data)
{
  g_autofree char *title = NULL;
  Migration *migration;
  VmdMigrateProgress *shared;
  VmdJob *job;
  Done *done;

  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  g_return_val_if_fail (VMD_IS_CONNECTION (target), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  title = g_strdup_printf (_("Migrating “%s” to %s"), vmd_machine_get_name (self),
                           vmd_connection_get_title (target));
  job = vmd_job_new (title);
  shared = g_atomic_rc_box_new0 (VmdMigrateProgress);
  g_mutex_init (&shared->lock);
  if (progress != NULL)
    *progress = g_atomic_rc_box_acquire (shared);

  migration = g_new0 (Migration, 1);
  g_mutex_init (&migration->lock);
  migration->options = *options;
  migration->shared = shared;
  migration->target_uri = g_strdup (vmd_connection_get_uri (target));
  migration->target_title = g_strdup (vmd_connection_get_title (target));
  g_object_get (vmd_machine_get_domain (self), "handle", &migration->domain, NULL);
  g_object_get (vmd_connection_get_gvir (target), "handle", &migration->target, NULL);
  done = g_new0 (Done, 1);
  done->source = vmd_machine_get_connection (self) != NULL
                   ? g_object_ref (vmd_machine_get_connection (self)) : NULL;
  done->uuid = g_strdup (vmd_machine_get_uuid (self));
  done->callback = callback;
  done->user_data = user_data;
  vmd_job_run_async (job, migrate_func, migration, (GDestroyNotify) migration_free,
                     on_job_done, done);
  return job;
}

/* The last statistics libvirt gave. */
void
vmd_migrate_progress_read (VmdMigrateProgress *progress,
                           VmdMigrateStats    *stats)
{
  g_mutex_lock (&progress->lock);
  *stats = progress->stats;
  g_mutex_unlock (&progress->lock);
}
