/* The stream is a blocking one in the worker thread; chunks are as large as one libvirt stream
 * message carries (256 KiB less its header), as virsh's vol-upload sends them. The local file is opened once: an upload's source must be a regular
 * file and not a link; a download goes to a temporary file beside the target, renamed over it
 * only when every byte has arrived. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-storage-spec.h"
#include "vmd-volume-transfer.h"

#define CHUNK (256 * 1024 - 24)
#define QCOW2_MAGIC "QFI\xfb"

struct _VmdVolumeTransfer
{
  virStorageVolPtr  volume;
  virStoragePoolPtr pool;
  char             *file;
  char             *name;
};

VmdVolumeTransfer *
vmd_volume_download_new (virStorageVolPtr  volume,
                         const char       *file)
{
  VmdVolumeTransfer *transfer = g_new0 (VmdVolumeTransfer, 1);

  virStorageVolRef (volume);
  transfer->volume = volume;
  transfer->file = g_strdup (file);
  return transfer;
}

VmdVolumeTransfer *
vmd_volume_upload_new (virStoragePoolPtr  pool,
                       const char        *file,
                       const char        *name)
{
  VmdVolumeTransfer *transfer = g_new0 (VmdVolumeTransfer, 1);

  virStoragePoolRef (pool);
  transfer->pool = pool;
  transfer->file = g_strdup (file);
  transfer->name = g_strdup (name);
  return transfer;
}

void
vmd_volume_transfer_free (VmdVolumeTransfer *transfer)
{
  g_clear_pointer (&transfer->volume, virStorageVolFree);
  g_clear_pointer (&transfer->pool, virStoragePoolFree);
  g_free (transfer->file);
  g_free (transfer->name);
  g_free (transfer);
}

static gboolean
file_error (GError    **error,
            int         saved_errno,
            const char *format,
            const char *file)
{
  g_autofree char *what = g_strdup_printf (format, file);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", what,
               g_strerror (saved_errno));
  return FALSE;
}

static gboolean
stream_failed (virStreamPtr   stream,
               GError       **error,
               const char    *what)
{
  vmd_error_set_from_libvirt (error, what);
  virStreamAbort (stream);
  virResetLastError ();
  return FALSE;
}

static gboolean
write_all (int          fd,
           const char  *buffer,
           gssize       n)
{
  while (n > 0)
    {
      gssize written = write (fd, buffer, n);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return FALSE;
      buffer += written;
      n -= written;
    }
  return TRUE;
}

/* --- download ------------------------------------------------------------------------------------ */

static void
unlink_file (gpointer path)
{
  g_unlink (path);
}

static guint64
volume_bytes (virStorageVolPtr volume)
{
  virStorageVolInfo info;

  if (virStorageVolGetInfoFlags (volume, &info, VIR_STORAGE_VOL_GET_PHYSICAL) == 0 ||
      virStorageVolGetInfo (volume, &info) == 0)
    return info.allocation > 0 ? info.allocation : info.capacity;
  virResetLastError ();
  return 0;
}

static gboolean
receive (VmdJob        *job,
         virStreamPtr   stream,
         int            fd,
         guint64        total,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autofree char *buffer = g_malloc (CHUNK);
  guint64 done = 0;

  for (;;)
    {
      int n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          virStreamAbort (stream);
          virResetLastError ();
          return FALSE;
        }
      n = virStreamRecv (stream, buffer, CHUNK);
      if (n < 0)
        return stream_failed (stream, error, _("The download stopped"));
      if (n == 0)
        break;
      if (!write_all (fd, buffer, n))
        {
          int saved = errno;

          virStreamAbort (stream);
          virResetLastError ();
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not write the download: %s"), g_strerror (saved));
          return FALSE;
        }
      done += n;
      vmd_job_report (job, done, MAX (done, total));
    }
  if (virStreamFinish (stream) < 0)
    return stream_failed (stream, error, _("The download did not finish"));
  vmd_job_report (job, done, done);
  return TRUE;
}

gboolean
vmd_volume_download_func (VmdJob        *job,
                          gpointer       data,
                          GCancellable  *cancellable,
                          GError       **error)
{
  VmdVolumeTransfer *transfer = data;
  g_autofree char *dir = g_path_get_dirname (transfer->file);
  g_autofree char *base = g_path_get_basename (transfer->file);
  g_autofree char *template = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  guint64 total = volume_bytes (transfer->volume);
  virStreamPtr stream;
  gboolean ok;
  int fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC, 0644);

  if (fd < 0)
    return file_error (error, errno, _("Could not create a file in %s"), dir);
  vmd_job_push_undo (job, unlink_file, g_strdup (template), g_free);
  vmd_job_report (job, 0, total);
  stream = virStreamNew (virStorageVolGetConnect (transfer->volume), 0);
  if (stream == NULL || virStorageVolDownload (transfer->volume, stream, 0, 0, 0) < 0)
    {
      vmd_error_set_from_libvirt (error, _("The download did not start"));
      ok = FALSE;
    }
  else
    ok = receive (job, stream, fd, total, cancellable, error);
  if (stream != NULL)
    virStreamFree (stream);
  if (close (fd) < 0 && ok)
    ok = file_error (error, errno, _("Could not write %s"), transfer->file);
  if (ok && g_rename (template, transfer->file) < 0)
    ok = file_error (error, errno, _("Could not save %s"), transfer->file);
  return ok;
}

/* --- upload -------------------------------------------------------------------------------------- */

typedef struct {
  char    *format;
  guint64  capacity;
} Image;

/* A qcow2 image keeps its virtual size in its header; anything else is taken as raw. */
static Image
read_image_kind (int     fd,
                 guint64 size)
{
  guint8 header[32];
  Image image = { g_strdup ("raw"), size };

  if (pread (fd, header, sizeof header, 0) == sizeof header &&
      memcmp (header, QCOW2_MAGIC, 4) == 0)
    {
      guint64 virtual_size = 0;

      for (int i = 24; i < 32; i++)
        virtual_size = (virtual_size << 8) | header[i];
      g_free (image.format);
      image.format = g_strdup ("qcow2");
      image.capacity = MAX (virtual_size, size);
    }
  return image;
}

static int
open_source (const char  *file,
             guint64     *size,
             GError     **error)
{
  int fd = open (file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  struct stat st;

  if (fd < 0)
    {
      file_error (error, errno, errno == ELOOP ? _("%s is a symbolic link: choose the file it points to")
                                               : _("Could not open %s"), file);
      return -1;
    }
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("%s is not a regular file."), file);
      return -1;
    }
  *size = st.st_size;
  return fd;
}

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

static virStorageVolPtr
create_target (VmdJob            *job,
               VmdVolumeTransfer *transfer,
               const Image       *image,
               GError           **error)
{
  g_autoptr(VmdVolumeSpec) spec = vmd_volume_spec_new ();
  g_autofree char *xml = NULL;
  virStorageVolPtr volume;
  virStoragePoolInfo info;

  if (!vmd_volume_name_check (transfer->pool, transfer->name, error))
    return NULL;
  if (virStoragePoolGetInfo (transfer->pool, &info) == 0 && image->capacity > info.available &&
      g_str_equal (image->format, "raw"))
    {
      g_autofree char *have = g_format_size_full (info.available, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *want = g_format_size_full (image->capacity, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, VMD_ERROR, VMD_ERROR_NO_SPACE,
                   _("The pool has %s free; the file needs %s."), have, want);
      return NULL;
    }
  spec->name = g_strdup (transfer->name);
  g_free (spec->format);
  spec->format = g_strdup (image->format);
  spec->capacity = image->capacity;
  xml = vmd_volume_spec_to_xml (spec, NULL, NULL);
  volume = virStorageVolCreateXML (transfer->pool, xml, 0);
  if (volume == NULL)
    {
      vmd_error_set_from_libvirt (error, _("The volume for the upload was not created"));
      return NULL;
    }
  virStorageVolRef (volume);
  vmd_job_push_undo (job, delete_volume, volume, free_volume);
  return volume;
}

static gboolean
send_file (VmdJob        *job,
           virStreamPtr   stream,
           int            fd,
           guint64        size,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *buffer = g_malloc (CHUNK);
  guint64 done = 0;

  while (done < size)
    {
      gssize n = read (fd, buffer, MIN (CHUNK, size - done));

      if (n < 0 && errno == EINTR)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          virStreamAbort (stream);
          virResetLastError ();
          return FALSE;
        }
      if (n <= 0)
        {
          virStreamAbort (stream);
          virResetLastError ();
          g_set_error_literal (error, VMD_ERROR, VMD_ERROR_MEDIA,
                               _("The file changed while it was being uploaded."));
          return FALSE;
        }
      for (gssize sent = 0; sent < n;)
        {
          int k = virStreamSend (stream, buffer + sent, n - sent);

          if (k < 0)
            return stream_failed (stream, error, _("The upload stopped"));
          sent += k;
        }
      done += n;
      vmd_job_report (job, done, size);
    }
  if (virStreamFinish (stream) < 0)
    return stream_failed (stream, error, _("The upload did not finish"));
  return TRUE;
}

gboolean
vmd_volume_upload_func (VmdJob        *job,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  VmdVolumeTransfer *transfer = data;
  guint64 size = 0;
  int fd = open_source (transfer->file, &size, error);
  Image image;
  virStorageVolPtr volume;
  virStreamPtr stream = NULL;
  gboolean ok = FALSE;

  if (fd < 0)
    return FALSE;
  image = read_image_kind (fd, size);
  vmd_job_report (job, 0, size);
  volume = create_target (job, transfer, &image, error);
  if (volume != NULL)
    {
      stream = virStreamNew (virStoragePoolGetConnect (transfer->pool), 0);
      if (stream == NULL || virStorageVolUpload (volume, stream, 0, size, 0) < 0)
        vmd_error_set_from_libvirt (error, _("The upload did not start"));
      else
        ok = send_file (job, stream, fd, size, cancellable, error);
      if (stream != NULL)
        virStreamFree (stream);
      virStorageVolFree (volume);
    }
  close (fd);
  g_free (image.format);
  /* No refresh here: libvirtd refreshes the pool itself once an upload's stream is closed. */
  virResetLastError ();
  return ok;
}
