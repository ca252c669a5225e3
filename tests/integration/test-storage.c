/* Storage pools on the real system daemon, through VM Desk's core API: a directory pool, a
 * filesystem pool on a loop device (formatted by libvirt's build) and an LVM pool on a loop
 * device, each made, filled with a volume, the volume resized and cloned, and all removed;
 * a 64 MiB file uploaded and downloaded back with equal checksums; an upload and a download
 * cancelled half way leave nothing behind. An LVM pool's volumes need the kernel's
 * device-mapper: without it the pool is still made, started and deleted, and a volume is refused
 * with libvirt's reason. A netfs (NFS) pool needs an NFS server in the kernel (nfsd), which this
 * test bed's kernel lacks: its XML is checked on the test driver (tests/unit/test-resources.c). */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-job.h"
#include "vmd-resources.h"
#include "vmd-test-util.h"

#define URI "qemu:///system"
#define MIB (G_GUINT64_CONSTANT (1048576))

typedef struct {
  VmdConnection *connection;
  VmdResources  *resources;
  virConnectPtr  handle;
  char          *dir;        /* scratch files, readable by the daemon */
  char          *pool_name;
  char          *loop;       /* /dev/loopN, or NULL */
  char          *vg;
} Fixture;

static gboolean
loaded (gpointer resources)
{
  return vmd_resources_get_loaded (resources);
}

static GAsyncResult *
wait_result (GAsyncResult **slot, guint timeout_ms)
{
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, slot, timeout_ms));
  return g_steal_pointer (slot);
}

static gboolean
run (char **output, const char * const *argv)
{
  g_autofree char *err = NULL;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, output, &err,
                     &status, NULL))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s: %s", argv[0], err);
  return g_spawn_check_wait_status (status, NULL);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->pool_name = g_strdup_printf ("vmdesk-%s-%d", (const char *) data, getpid ());
  fixture->dir = g_strdup_printf ("/var/lib/libvirt/vmdesk-tests/%s-files", fixture->pool_name);
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0755), ==, 0);
  fixture->connection = vmd_test_open_connection (URI, 1000, &error);
  g_assert_no_error (error);
  g_object_get (vmd_connection_get_gvir (fixture->connection), "handle", &fixture->handle, NULL);
  fixture->resources = vmd_connection_get_resources (fixture->connection);
  g_assert_true (vmd_test_wait_until (loaded, fixture->resources, 10000));
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *entry;

  while (listing != NULL && (entry = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Whatever a failed assertion left: the pool with its volumes, the volume group, the loop. */
static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->handle, fixture->pool_name);

  if (pool != NULL)
    {
      virStorageVolPtr *volumes = NULL;
      int n = virStoragePoolListAllVolumes (pool, &volumes, 0);

      for (int i = 0; i < n; i++)
        {
          virStorageVolDelete (volumes[i], 0);
          virStorageVolFree (volumes[i]);
        }
      free (volumes);
      virStoragePoolDestroy (pool);
      virStoragePoolDelete (pool, 0);
      virStoragePoolUndefine (pool);
      virStoragePoolFree (pool);
    }
  virResetLastError ();
  if (fixture->vg != NULL)
    {
      const char *vgremove[] = { "vgremove", "-q", "-f", fixture->vg, NULL };
      const char *pvremove[] = { "pvremove", "-q", fixture->loop, NULL };

      run (NULL, vgremove);
      run (NULL, pvremove);
    }
  if (fixture->loop != NULL)
    {
      const char *detach[] = { "losetup", "-d", fixture->loop, NULL };

      run (NULL, detach);
    }
  remove_dir (fixture->dir);
  virConnectClose (fixture->handle);
  g_clear_object (&fixture->connection);
  g_free (fixture->dir);
  g_free (fixture->pool_name);
  g_free (fixture->loop);
  g_free (fixture->vg);
}

static char *
attach_loop (Fixture *fixture, guint64 size)
{
  g_autofree char *file = g_build_filename (fixture->dir, "disk.img", NULL);
  const char *argv[] = { "losetup", "-f", "--show", file, NULL };
  char *device = NULL;
  int fd = open (file, O_CREAT | O_WRONLY | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  close (fd);
  if (!run (&device, argv))
    return NULL;
  return g_strstrip (device);
}

/* --- the operations --------------------------------------------------------------------------- */

static VmdStoragePool *
create_pool (Fixture *fixture, VmdPoolSpec *spec)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  g_autofree char *free_space = NULL;
  VmdStoragePool *pool;
  gboolean ok;

  vmd_resources_create_pool_async (fixture->resources, spec, NULL, vmd_test_store_result, &slot);
  result = wait_result (&slot, 60000);
  ok = vmd_resources_create_finish (fixture->resources, result, &field, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  pool = vmd_resources_find_pool (fixture->resources, spec->name);
  g_assert_nonnull (pool);
  g_assert_true (vmd_storage_pool_get_active (pool));
  free_space = g_format_size (vmd_storage_pool_get_available (pool));
  g_test_message ("%s pool %s: %s free", vmd_storage_pool_get_pool_type (pool), spec->name,
                  free_space);
  return pool;
}

static gboolean
try_create_volume (VmdStoragePool *pool, const char *name, const char *format, guint64 size,
                   GError **error)
{
  g_autoptr(VmdVolumeSpec) spec = vmd_volume_spec_new ();
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  spec->name = g_strdup (name);
  g_free (spec->format);
  spec->format = g_strdup (format);
  spec->capacity = size;
  vmd_storage_pool_create_volume_async (pool, spec, NULL, vmd_test_store_result, &slot);
  result = wait_result (&slot, 60000);
  return vmd_storage_pool_create_volume_finish (pool, result, NULL, error);
}

static void
volume_op_ok (VmdStorageVolume *volume, GAsyncResult **slot)
{
  g_autoptr(GAsyncResult) result = wait_result (slot, 120000);
  g_autoptr(GError) error = NULL;

  gboolean ok = vmd_storage_volume_operation_finish (volume, result, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
pool_op_ok (VmdStoragePool *pool, GAsyncResult **slot)
{
  g_autoptr(GAsyncResult) result = wait_result (slot, 120000);
  g_autoptr(GError) error = NULL;

  gboolean ok = vmd_storage_pool_operation_finish (pool, result, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

/* Made, resized, cloned, deleted; then the pool with its contents. */
static void
fill_resize_clone_remove (Fixture *fixture, VmdStoragePool *pool, const char *format)
{
  g_autoptr(GError) error = NULL;
  VmdStorageVolume *volume;
  GAsyncResult *slot = NULL;
  gboolean made = try_create_volume (pool, "disk-1", format, 16 * MIB, &error);

  g_assert_no_error (error);
  g_assert_true (made);
  volume = vmd_storage_pool_find_volume (pool, "disk-1");
  g_assert_nonnull (volume);
  vmd_storage_volume_resize_async (volume, 32 * MIB, NULL, vmd_test_store_result, &slot);
  volume_op_ok (volume, &slot);
  vmd_storage_volume_clone_async (volume, "disk-1-copy", NULL, vmd_test_store_result, &slot);
  volume_op_ok (volume, &slot);
  vmd_storage_pool_refresh_async (pool, TRUE, NULL, vmd_test_store_result, &slot);
  pool_op_ok (pool, &slot);
  g_assert_cmpuint (vmd_storage_volume_get_capacity (vmd_storage_pool_find_volume (pool, "disk-1")), ==, 32 * MIB);
  g_assert_nonnull (vmd_storage_pool_find_volume (pool, "disk-1-copy"));
  g_assert_cmpuint (vmd_storage_volume_get_capacity (vmd_storage_pool_find_volume (pool, "disk-1-copy")), ==, 32 * MIB);
  /* The pool keeps a volume's object across refreshes. */
  g_assert_true (vmd_storage_pool_find_volume (pool, "disk-1") == volume);
  vmd_storage_volume_delete_async (volume, NULL, vmd_test_store_result, &slot);
  volume_op_ok (volume, &slot);
  vmd_storage_pool_refresh_async (pool, FALSE, NULL, vmd_test_store_result, &slot);
  pool_op_ok (pool, &slot);
  g_assert_null (vmd_storage_pool_find_volume (pool, "disk-1"));
  vmd_storage_pool_delete_async (pool, TRUE, NULL, vmd_test_store_result, &slot);
  pool_op_ok (pool, &slot);
  g_assert_null (virStoragePoolLookupByName (fixture->handle, fixture->pool_name));
  virResetLastError ();
}

static void
test_dir_pool (Fixture *fixture, gconstpointer data)
{
  g_autoptr(VmdPoolSpec) spec = vmd_pool_spec_new (VMD_POOL_TYPE_DIR);

  spec->name = g_strdup (fixture->pool_name);
  spec->target_path = g_strdup_printf ("/var/lib/libvirt/images/%s", fixture->pool_name);
  spec->build = TRUE;
  spec->autostart = FALSE;
  fill_resize_clone_remove (fixture, create_pool (fixture, spec), "qcow2");
  g_assert_false (g_file_test (spec->target_path, G_FILE_TEST_EXISTS));
}

static void
test_fs_pool (Fixture *fixture, gconstpointer data)
{
  g_autoptr(VmdPoolSpec) spec = vmd_pool_spec_new (VMD_POOL_TYPE_FS);

  fixture->loop = attach_loop (fixture, 128 * MIB);
  if (fixture->loop == NULL)
    {
      g_test_skip ("no loop device on this host");
      return;
    }
  spec->name = g_strdup (fixture->pool_name);
  spec->source_device = g_strdup (fixture->loop);
  spec->target_path = g_strdup_printf ("/var/lib/libvirt/images/%s", fixture->pool_name);
  spec->build = TRUE;     /* libvirt formats the device (mkfs.ext4) */
  spec->autostart = FALSE;
  fill_resize_clone_remove (fixture, create_pool (fixture, spec), "raw");
}

/* /dev/mapper/control may exist with no driver behind it: the kernel's own list says. */
static gboolean
device_mapper_present (void)
{
  g_autofree char *misc = NULL;

  return g_file_get_contents ("/proc/misc", &misc, NULL, NULL) && strstr (misc, "device-mapper") != NULL;
}

static void
test_lvm_pool (Fixture *fixture, gconstpointer data)
{
  g_autoptr(VmdPoolSpec) spec = vmd_pool_spec_new (VMD_POOL_TYPE_LOGICAL);
  g_autoptr(GError) error = NULL;
  VmdStoragePool *pool;
  GAsyncResult *slot = NULL;

  fixture->loop = attach_loop (fixture, 128 * MIB);
  if (fixture->loop == NULL)
    {
      g_test_skip ("no loop device on this host");
      return;
    }
  fixture->vg = g_strdup_printf ("vmdesk_vg_%d", getpid ());
  spec->name = g_strdup (fixture->pool_name);
  spec->source_device = g_strdup (fixture->loop);
  spec->source_name = g_strdup (fixture->vg);
  spec->build = TRUE;     /* pvcreate + vgcreate */
  spec->autostart = FALSE;
  pool = create_pool (fixture, spec);
  g_assert_cmpstr (vmd_storage_pool_get_pool_type (pool), ==, "logical");
  if (device_mapper_present ())
    {
      fill_resize_clone_remove (fixture, pool, "raw");
      g_clear_pointer (&fixture->vg, g_free);   /* the pool's delete removed it */
      return;
    }
  /* The volume group is made, but a logical volume needs the kernel's device-mapper. */
  g_assert_false (try_create_volume (pool, "lv-1", "raw", 16 * MIB, &error));
  g_test_message ("no device-mapper in this kernel: the LVM pool is made and started, its volume "
                  "is refused: %s", error->message);
  g_assert_cmpuint (g_list_model_get_n_items (vmd_storage_pool_get_volumes (pool)), ==, 0);
  vmd_storage_pool_delete_async (pool, TRUE, NULL, vmd_test_store_result, &slot);
  pool_op_ok (pool, &slot);
  g_clear_pointer (&fixture->vg, g_free);
}

/* --- upload and download ------------------------------------------------------------------------- */

static char *
checksum_of (const char *path)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);

  g_assert_nonnull (mapped);
  g_checksum_update (checksum, (const guchar *) g_mapped_file_get_contents (mapped),
                     g_mapped_file_get_length (mapped));
  return g_strdup (g_checksum_get_string (checksum));
}

static char *
make_file (Fixture *fixture, const char *name, guint64 size, gboolean random_bytes)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree guint32 *block = g_new (guint32, MIB / 4);
  int fd = open (path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  if (!random_bytes)
    g_assert_cmpint (ftruncate (fd, size), ==, 0);
  for (guint64 done = 0; random_bytes && done < size; done += MIB)
    {
      for (guint i = 0; i < MIB / 4; i++)
        block[i] = g_random_int ();
      g_assert_cmpint (write (fd, block, MIB), ==, (gssize) MIB);
    }
  close (fd);
  return path;
}

static gboolean
run_job (VmdJob *job, GAsyncResult **slot, gboolean cancel_half_way, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *done = NULL;
  g_autofree char *total = NULL;
  gint64 started = g_get_monotonic_time ();

  while (*slot == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      if (cancel_half_way && vmd_job_get_progress (job) >= 0.5)
        {
          g_test_message ("cancelling at %.0f %%", vmd_job_get_progress (job) * 100);
          vmd_job_cancel (job);
          cancel_half_way = FALSE;
        }
      g_assert_cmpint (g_get_monotonic_time () - started, <, 300 * G_USEC_PER_SEC);
    }
  result = g_steal_pointer (slot);
  done = g_format_size (vmd_job_get_bytes_done (job));
  total = g_format_size (vmd_job_get_bytes_total (job));
  g_test_message ("%s: %s of %s, %.1f MiB/s at the end", vmd_job_get_title (job), done, total,
                  vmd_job_get_speed (job) / MIB);
  return vmd_job_run_finish (job, result, error);
}

static VmdStoragePool *
dir_pool (Fixture *fixture)
{
  g_autoptr(VmdPoolSpec) spec = vmd_pool_spec_new (VMD_POOL_TYPE_DIR);

  spec->name = g_strdup (fixture->pool_name);
  spec->target_path = g_strdup_printf ("/var/lib/libvirt/images/%s", fixture->pool_name);
  spec->build = TRUE;
  spec->autostart = FALSE;
  return create_pool (fixture, spec);
}

static gboolean
dir_is_empty_but (const char *dir, const char *keep)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *entry;

  while ((entry = g_dir_read_name (listing)) != NULL)
    if (!g_str_equal (entry, keep))
      {
        g_test_message ("left behind: %s", entry);
        return FALSE;
      }
  return TRUE;
}

static void
test_upload_download (Fixture *fixture, gconstpointer data)
{
  VmdStoragePool *pool = dir_pool (fixture);
  g_autofree char *source = make_file (fixture, "source.img", 64 * MIB, TRUE);
  g_autofree char *target = g_build_filename (fixture->dir, "downloaded.img", NULL);
  g_autofree char *sum_in = checksum_of (source);
  g_autofree char *sum_out = NULL;
  g_autoptr(VmdJob) upload = NULL;
  g_autoptr(VmdJob) download = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  VmdStorageVolume *volume;

  upload = vmd_storage_pool_upload (pool, source, "uploaded.img", vmd_test_store_result, &slot);
  g_assert_true (run_job (upload, &slot, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vmd_job_get_state (upload), ==, VMD_JOB_STATE_SUCCEEDED);
  vmd_storage_pool_refresh_async (pool, FALSE, NULL, vmd_test_store_result, &slot);
  pool_op_ok (pool, &slot);
  volume = vmd_storage_pool_find_volume (pool, "uploaded.img");
  g_assert_nonnull (volume);
  g_assert_cmpuint (vmd_storage_volume_get_capacity (volume), ==, 64 * MIB);

  download = vmd_storage_volume_download (volume, target, vmd_test_store_result, &slot);
  g_assert_true (run_job (download, &slot, FALSE, &error));
  g_assert_no_error (error);
  sum_out = checksum_of (target);
  g_test_message ("sha256 %s / %s", sum_in, sum_out);
  g_assert_cmpstr (sum_in, ==, sum_out);
}

static void
test_cancel_leaves_nothing (Fixture *fixture, gconstpointer data)
{
  VmdStoragePool *pool = dir_pool (fixture);
  g_autofree char *source = make_file (fixture, "big.img", 512 * MIB, FALSE);
  g_autofree char *target = g_build_filename (fixture->dir, "partial.img", NULL);
  g_autoptr(VmdJob) upload = NULL;
  g_autoptr(VmdJob) download = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  VmdStorageVolume *volume;
  virStoragePoolPtr handle;

  upload = vmd_storage_pool_upload (pool, source, "cancelled.img", vmd_test_store_result, &slot);
  g_assert_false (run_job (upload, &slot, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (vmd_job_get_state (upload), ==, VMD_JOB_STATE_CANCELLED);
  g_clear_error (&error);
  handle = virStoragePoolLookupByName (fixture->handle, fixture->pool_name);
  virStoragePoolRefresh (handle, 0);
  g_assert_cmpint (virStoragePoolNumOfVolumes (handle), ==, 0);
  virStoragePoolFree (handle);

  /* A whole volume to download, then the download cancelled half way. */
  upload = (g_object_unref (upload), vmd_storage_pool_upload (pool, source, "whole.img",
                                                              vmd_test_store_result, &slot));
  g_assert_true (run_job (upload, &slot, FALSE, &error));
  vmd_storage_pool_refresh_async (pool, FALSE, NULL, vmd_test_store_result, &slot);
  pool_op_ok (pool, &slot);
  volume = vmd_storage_pool_find_volume (pool, "whole.img");
  g_assert_nonnull (volume);
  download = vmd_storage_volume_download (volume, target, vmd_test_store_result, &slot);
  g_assert_false (run_job (download, &slot, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_true (dir_is_empty_but (fixture->dir, "big.img"));
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

#define ADD(path, tag, func) g_test_add (path, Fixture, tag, fixture_set_up, func, fixture_tear_down)
  ADD ("/integration/storage/dir-pool", "dir", test_dir_pool);
  ADD ("/integration/storage/fs-pool-on-loop", "fs", test_fs_pool);
  ADD ("/integration/storage/lvm-pool-on-loop", "lvm", test_lvm_pool);
  ADD ("/integration/storage/upload-download-64mib", "xfer", test_upload_download);
  ADD ("/integration/storage/cancel-half-way-leaves-nothing", "cancel", test_cancel_leaves_nothing);
  return g_test_run ();
}
