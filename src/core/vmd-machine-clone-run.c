/* Cloning, the work, in the VmdJob's worker on its own copy of the plan. Each thing made is
 * registered as an undo step the moment it exists (volume copies, the NVRAM copy, the
 * definition, the TPM state's copy), so a failure or a Cancel leaves the host as it was. libvirt cannot stop a volume
 * copy once started: Cancel is seen between copies, and the copy under way is then deleted. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-clone-xml.h"
#include "vmd-error.h"
#include "vmd-machine-clone.h"
#include "vmd-machine-private.h"
#include "vmd-storage-spec.h"

#define POLL_MS 250

typedef struct {
  VmdClonePlan  *plan;
  virConnectPtr  conn;
  guint64        done;      /* bytes of the copies finished */
  guint64        total;
} CloneWork;

static void
clone_work_free (CloneWork *work)
{
  vmd_clone_plan_free (work->plan);
  virConnectClose (work->conn);
  g_free (work);
}

static gboolean
fault (const VmdClonePlan  *plan,
       VmdCloneStep         step,
       GError             **error)
{
  if (plan->fail_at != step)
    return FALSE;
  g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, "Test fault at clone step %d", step);
  return TRUE;
}

/* --- undo steps ------------------------------------------------------------------------------ */

static void
free_volume (gpointer volume)
{
  virStorageVolFree (volume);
}

static void
delete_volume (gpointer volume)
{
  virStorageVolDelete (volume, 0);
  virResetLastError ();
}

static void
free_domain (gpointer domain)
{
  virDomainFree (domain);
}

static void
undefine (gpointer domain)
{
  if (virDomainUndefineFlags (domain, VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                      VIR_DOMAIN_UNDEFINE_TPM) < 0)
    virDomainUndefine (domain);
  virResetLastError ();
}

/* --- progress: a copy's allocation, polled while libvirt makes it ----------------------------- */

typedef struct {
  GMutex             lock;
  GCond              cond;
  gboolean           stop;
  VmdJob            *job;
  virStoragePoolPtr  pool;
  const char        *name;
  guint64            base;
  guint64            bytes;
  guint64            total;
} Poll;

static void
poll_once (Poll *poll)
{
  virStorageVolPtr vol = virStorageVolLookupByName (poll->pool, poll->name);
  virStorageVolInfo info;

  if (vol != NULL && virStorageVolGetInfo (vol, &info) == 0)
    vmd_job_report (poll->job, poll->base + MIN (info.allocation, poll->bytes), poll->total);
  g_clear_pointer (&vol, virStorageVolFree);
  virResetLastError ();
}

static gpointer
poll_thread (gpointer data)
{
  Poll *poll = data;

  g_mutex_lock (&poll->lock);
  while (!poll->stop)
    {
      g_mutex_unlock (&poll->lock);
      poll_once (poll);
      g_mutex_lock (&poll->lock);
      if (!poll->stop)
        g_cond_wait_until (&poll->cond, &poll->lock, g_get_monotonic_time () + POLL_MS * 1000);
    }
  g_mutex_unlock (&poll->lock);
  return NULL;
}

static virStorageVolPtr
copy_with_progress (VmdJob            *job,
                    CloneWork         *work,
                    virStoragePoolPtr  pool,
                    const char        *name,
                    const char        *xml,
                    virStorageVolPtr   source,
                    guint64            bytes)
{
  Poll poll = { .job = job, .pool = pool, .name = name, .base = work->done, .bytes = bytes,
                .total = work->total };
  GThread *thread;
  virStorageVolPtr vol;

  g_mutex_init (&poll.lock);
  g_cond_init (&poll.cond);
  thread = g_thread_new ("vmd-clone-progress", poll_thread, &poll);
  vol = virStorageVolCreateXMLFrom (pool, xml, source, 0);
  g_mutex_lock (&poll.lock);
  poll.stop = TRUE;
  g_cond_signal (&poll.cond);
  g_mutex_unlock (&poll.lock);
  g_thread_join (thread);
  g_mutex_clear (&poll.lock);
  g_cond_clear (&poll.cond);
  return vol;
}

/* --- the steps -------------------------------------------------------------------------------- */

static gboolean
check (CloneWork  *work,
       GError    **error)
{
  virDomainPtr source = virDomainLookupByUUIDString (work->conn, work->plan->source_uuid);
  virDomainPtr taken;
  int active;

  if (source == NULL)
    return vmd_error_set_from_libvirt (error, _("The machine to clone is gone")), FALSE;
  active = virDomainIsActive (source);
  virDomainFree (source);
  if (active != 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                        _("“%s” was started: shut it down before cloning it."),
                        work->plan->source_name), FALSE;
  taken = virDomainLookupByName (work->conn, work->plan->name);
  virResetLastError ();
  if (taken != NULL)
    {
      virDomainFree (taken);
      return g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                          _("A machine called “%s” exists already: choose another name."),
                          work->plan->name), FALSE;
    }
  return vmd_clone_plan_validate (work->plan, error);
}

/* The original's volume name with the machine's name swapped, or NAME-TARGET.EXT; a number is
 * added until the pool has no volume of that name. */
static char *
copy_name (virStoragePoolPtr   pool,
           const VmdClonePlan *plan,
           const VmdCloneDisk *disk,
           const char         *source_name,
           const char         *format)
{
  const char *dot = strrchr (source_name, '.');
  g_autofree char *ext = g_strdup (dot != NULL ? dot : (g_strcmp0 (format, "qcow2") == 0 ? ".qcow2" : ".img"));
  g_autofree char *stem = NULL;
  char *name;

  if (g_str_has_prefix (source_name, plan->source_name))
    stem = g_strndup (source_name + strlen (plan->source_name),
                      strlen (source_name) - strlen (plan->source_name) - (dot != NULL ? strlen (dot) : 0));
  else
    stem = g_strconcat ("-", disk->target, NULL);
  name = g_strconcat (plan->name, stem, ext, NULL);
  for (guint n = 2;; n++)
    {
      virStorageVolPtr vol = virStorageVolLookupByName (pool, name);

      virResetLastError ();
      if (vol == NULL)
        return name;
      virStorageVolFree (vol);
      g_free (name);
      name = g_strdup_printf ("%s%s-%u%s", plan->name, stem, n, ext);
    }
}

/* Allocation 0: libvirt then neither preallocates the copy (so its allocation grows as the
 * bytes arrive, which is the progress) nor fills the original's holes. */
static char *
copy_xml (virStorageVolPtr  source,
          const char       *name,
          const char       *format)
{
  virStorageVolInfo info;

  if (virStorageVolGetInfo (source, &info) < 0)
    return NULL;
  return g_markup_printf_escaped ("<volume><name>%s</name>"
                                  "<capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>"
                                  "<allocation unit='bytes'>0</allocation>"
                                  "<target><format type='%s'/></target></volume>",
                                  name, (guint64) info.capacity, format != NULL ? format : "raw");
}

static char *
copy_disk (VmdJob              *job,
           CloneWork           *work,
           virStoragePoolPtr    pool,
           const VmdCloneDisk  *disk,
           char               **format,
           gboolean            *block,
           GError             **error)
{
  virStorageVolPtr source = virStorageVolLookupByPath (work->conn, disk->path);
  g_autofree char *name = NULL;
  g_autofree char *xml = NULL;
  virStorageVolPtr vol;
  virStorageVolInfo vol_info;
  char *path;

  if (source == NULL)
    return vmd_error_set_from_libvirt (error, _("The disk to copy is gone")), NULL;
  name = copy_name (pool, work->plan, disk, virStorageVolGetName (source),
                    disk->mode == VMD_CLONE_DISK_THIN ? "qcow2" : disk->format);
  if (disk->mode == VMD_CLONE_DISK_THIN)
    {
      g_autoptr(VmdVolumeSpec) spec = vmd_volume_spec_new ();
      virStorageVolInfo info;

      spec->name = g_strdup (name);
      spec->capacity = virStorageVolGetInfo (source, &info) == 0 ? info.capacity : 0;
      xml = vmd_volume_spec_to_xml (spec, disk->path, disk->format != NULL ? disk->format : "raw");
      vol = virStorageVolCreateXML (pool, xml, 0);
      *format = g_strdup ("qcow2");
    }
  else
    {
      xml = copy_xml (source, name, disk->format);
      vol = xml != NULL ? copy_with_progress (job, work, pool, name, xml, source, disk->bytes) : NULL;
      *format = g_strdup (disk->format);
    }
  virStorageVolFree (source);
  if (vol == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("The copy of disk %s was not made"), disk->target);

      return vmd_error_set_from_libvirt (error, what), NULL;
    }
  path = virStorageVolGetPath (vol);
  *block = virStorageVolGetInfo (vol, &vol_info) == 0 && vol_info.type == VIR_STORAGE_VOL_BLOCK;
  vmd_job_push_undo (job, delete_volume, vol, free_volume);
  return path;
}

static gboolean
copy_disks (VmdJob        *job,
            CloneWork     *work,
            GArray        *sources,
            GCancellable  *cancellable,
            GError       **error)
{
  const VmdClonePlan *plan = work->plan;
  virStoragePoolPtr pool = NULL;
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < plan->disks->len; i++)
    {
      const VmdCloneDisk *disk = plan->disks->pdata[i];
      VmdCloneDiskSource source = { disk->target, NULL, NULL, FALSE };

      if (disk->mode == VMD_CLONE_DISK_SHARE)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (pool == NULL && (pool = virStoragePoolLookupByName (work->conn, plan->pool)) != NULL)
        virStoragePoolRefresh (pool, 0);
      if (pool == NULL)
        return vmd_error_set_from_libvirt (error, _("The pool for the copies is gone")), FALSE;
      source.path = copy_disk (job, work, pool, disk, (char **) &source.format, &source.block, error);
      ok = source.path != NULL;
      if (ok)
        {
          g_array_append_val (sources, source);
          work->done += disk->mode == VMD_CLONE_DISK_COPY ? disk->bytes : 0;
          vmd_job_report (job, work->done, work->total);
        }
    }
  g_clear_pointer (&pool, virStoragePoolFree);
  return ok;
}

/* Into the pool that holds it, beside it; a file outside any pool is left to libvirt, which
 * gives the clone fresh variables from the firmware's template (said in the dialog). */
static gboolean
copy_nvram (VmdJob     *job,
            CloneWork  *work,
            char      **path,
            GError    **error)
{
  virStorageVolPtr source = work->plan->nvram != NULL ? virStorageVolLookupByPath (work->conn, work->plan->nvram) : NULL;
  virStoragePoolPtr pool;
  g_autofree char *name = NULL;
  g_autofree char *xml = NULL;
  virStorageVolPtr vol;

  virResetLastError ();
  if (source == NULL)
    return TRUE;
  pool = virStoragePoolLookupByVolume (source);
  name = g_strdup_printf ("%s_VARS.fd", work->plan->name);
  xml = vmd_volume_clone_xml (source, name);
  vol = pool != NULL && xml != NULL ? virStorageVolCreateXMLFrom (pool, xml, source, 0) : NULL;
  virStorageVolFree (source);
  g_clear_pointer (&pool, virStoragePoolFree);
  if (vol == NULL)
    return vmd_error_set_from_libvirt (error, _("The NVRAM (firmware variables) was not copied")), FALSE;
  *path = virStorageVolGetPath (vol);
  vmd_job_push_undo (job, delete_volume, vol, free_volume);
  return TRUE;
}

static gboolean
define (VmdJob        *job,
        CloneWork     *work,
        GArray        *sources,
        const char    *nvram,
        char          *uuid,
        GError       **error)
{
  g_autofree char *xml = vmd_clone_xml_rewrite (work->plan->xml, work->plan->source_name,
                                                work->plan->name,
                                                (VmdCloneDiskSource *) sources->data, sources->len,
                                                nvram, error);
  virDomainPtr domain;

  if (xml == NULL)
    return FALSE;
  domain = virDomainDefineXML (work->conn, xml);
  if (domain == NULL)
    return vmd_error_set_from_libvirt (error, _("The clone was not defined")), FALSE;
  virDomainGetUUIDString (domain, uuid);
  vmd_job_push_undo (job, undefine, domain, free_domain);
  return TRUE;
}

/* --- TPM state: a folder tree, copied with its owner and modes (swtpm runs as its own user) --- */

static void
remove_tree (gpointer path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
copy_tree (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  const char *entry;
  GStatBuf st;

  if (g_lstat (from, &st) != 0 || g_mkdir (to, st.st_mode & 07777) != 0 ||
      chown (to, st.st_uid, st.st_gid) != 0)
    return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                        _("Could not copy the TPM state to %s: %s"), to, g_strerror (errno)), FALSE;
  dir = g_dir_open (from, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (from, entry, NULL);
      g_autofree char *target = g_build_filename (to, entry, NULL);
      g_autoptr(GFile) source = g_file_new_for_path (child);
      g_autoptr(GFile) dest = g_file_new_for_path (target);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR) ? !copy_tree (child, target, error)
          : !g_file_copy (source, dest, G_FILE_COPY_ALL_METADATA | G_FILE_COPY_NOFOLLOW_SYMLINKS,
                          NULL, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* Beside the original's, under the clone's UUID: where libvirt looks for it at the first start. */
static gboolean
copy_tpm_state (VmdJob      *job,
                CloneWork   *work,
                const char  *uuid,
                GError     **error)
{
  g_autofree char *parent = NULL;
  char *target;

  if (work->plan->tpm_state_dir == NULL)
    return TRUE;
  parent = g_path_get_dirname (work->plan->tpm_state_dir);
  target = g_build_filename (parent, uuid, NULL);
  if (g_file_test (target, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS, _("%s exists already: it was not replaced."), target);
      g_free (target);
      return FALSE;
    }
  /* Registered first: a copy that stops half way is removed too. */
  vmd_job_push_undo (job, remove_tree, target, g_free);
  return copy_tree (work->plan->tpm_state_dir, target, error);
}

static void
free_sources (GArray *sources)
{
  for (guint i = 0; i < sources->len; i++)
    {
      VmdCloneDiskSource *source = &g_array_index (sources, VmdCloneDiskSource, i);

      g_free ((char *) source->path);
      g_free ((char *) source->format);
    }
  g_array_unref (sources);
}

static gboolean
clone_func (VmdJob        *job,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  CloneWork *work = data;
  GArray *sources = g_array_new (FALSE, TRUE, sizeof (VmdCloneDiskSource));
  g_autofree char *nvram = NULL;
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  gboolean ok;

  work->total = vmd_clone_plan_bytes (work->plan);
  vmd_job_report (job, 0, work->total);
  ok = check (work, error) && !fault (work->plan, VMD_CLONE_STEP_CHECK, error) &&
       copy_disks (job, work, sources, cancellable, error) &&
       !fault (work->plan, VMD_CLONE_STEP_DISKS, error) &&
       !g_cancellable_set_error_if_cancelled (cancellable, error) &&
       copy_nvram (job, work, &nvram, error) &&
       !fault (work->plan, VMD_CLONE_STEP_NVRAM, error) &&
       define (job, work, sources, nvram, uuid, error) &&
       !fault (work->plan, VMD_CLONE_STEP_DEFINE, error) &&
       copy_tpm_state (job, work, uuid, error) &&
       !fault (work->plan, VMD_CLONE_STEP_TPM, error);
  free_sources (sources);
  if (ok)
    vmd_job_report (job, work->total, work->total);
  return ok;
}

void
vmd_machine_clone_run (VmdMachine          *machine,
                       const VmdClonePlan  *plan,
                       VmdJob              *job,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  CloneWork *work = g_new0 (CloneWork, 1);
  virDomainPtr handle = vmd_machine_dup_handle (machine);

  work->plan = vmd_clone_plan_copy (plan);
  work->conn = virDomainGetConnect (handle);
  virConnectRef (work->conn);
  virDomainFree (handle);
  vmd_job_run_async (job, clone_func, work, (GDestroyNotify) clone_work_free, callback, user_data);
}
