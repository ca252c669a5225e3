/* VmdSerialLog: a bounded, careful read of a serial log. The file is the host's (libvirt's
 * virtlogd writes it), but its bytes are the guest's: opened once without following links,
 * only a regular file, never more than asked for, in a worker thread. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "vmd-error.h"
#include "vmd-serial-log.h"

/* Where libvirt's own tools put a domain's logs: the system daemon's log folder, or the session
 * daemon's under the user's cache (the folder virtlogd writes the QEMU log to). */
char *
vmd_serial_log_dir_for_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  if (parsed == NULL || (host != NULL && *host != '\0'))
    return NULL;   /* remote: the file would be on the other host, unreadable from here */
  if (g_strcmp0 (g_uri_get_path (parsed), "/session") == 0)
    return g_build_filename (g_get_user_cache_dir (), "libvirt", "qemu", "log", NULL);
  if (g_strcmp0 (g_uri_get_path (parsed), "/system") == 0)
    return g_strdup ("/var/log/libvirt/qemu");
  return NULL;
}

char *
vmd_serial_log_default_path (const char *log_dir,
                             const char *machine_name)
{
  g_autofree char *file = g_strdup_printf ("%s-serial0.log", machine_name);

  return g_build_filename (log_dir, file, NULL);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_set_error (error, VMD_ERROR,
               saved_errno == ENOENT ? VMD_ERROR_NOT_FOUND
               : saved_errno == EACCES || saved_errno == EPERM ? VMD_ERROR_PERMISSION_DENIED
               : VMD_ERROR_FAILED,
               _("The serial log %s cannot be read: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* Reads up to size bytes at offset; fewer when the file ends first. */
static GBytes *
read_range (int            fd,
            const char    *path,
            goffset        offset,
            gsize          size,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *buffer = g_malloc (size + 1);
  gsize done = 0;

  while (done < size)
    {
      ssize_t n = pread (fd, buffer + done, MIN (size - done, 65536), offset + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, path), NULL;
      if (n == 0)
        break;
      done += n;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&buffer), done);
}

/* A tail cut into the file starts mid-line, maybe mid escape sequence: from the next line on. */
static GBytes *
from_next_line (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *newline = memchr (data, '\n', size);

  if (newline == NULL)
    return g_bytes_ref (bytes);
  return g_bytes_new_from_bytes (bytes, newline + 1 - data, size - (newline + 1 - data));
}

/* What the log holds from offset `from` on (from < 0: its tail), at most max_bytes of its end.
 * end_offset gets the file's size as read, for the next read to start there. A log that is now
 * shorter than `from` was started anew (a new boot, a rotation): its tail is read instead. */
GBytes *
vmd_serial_log_read (const char    *path,
                     gint64         from,
                     gsize          max_bytes,
                     guint64       *end_offset,
                     GCancellable  *cancellable,
                     GError       **error)
{
  /* O_NONBLOCK: a FIFO put in the file's place must not hang the open. */
  int fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  g_autoptr(GBytes) bytes = NULL;
  struct stat st;
  goffset start;

  if (fd < 0)
    return set_errno_error (error, errno == ELOOP ? EPERM : errno, path), NULL;
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, _("The serial log %s is not a regular file"), path);
      return NULL;
    }
  if (from < 0 || from > st.st_size)
    from = 0;
  start = MAX (from, st.st_size - (goffset) max_bytes);
  bytes = read_range (fd, path, start, st.st_size - start, cancellable, error);
  close (fd);
  if (bytes == NULL)
    return NULL;
  if (end_offset != NULL)
    *end_offset = start + g_bytes_get_size (bytes);
  return start > from ? from_next_line (bytes) : g_steal_pointer (&bytes);
}

typedef struct {
  char   *path;
  gint64  from;
  gsize   max_bytes;
  guint64 end_offset;
} ReadCall;

static void
read_call_free (ReadCall *call)
{
  g_free (call->path);
  g_free (call);
}

static void
read_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReadCall *call = task_data;
  GError *error = NULL;
  GBytes *bytes = vmd_serial_log_read (call->path, call->from, call->max_bytes, &call->end_offset,
                                       cancellable, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

void
vmd_serial_log_read_async (const char          *path,
                           gint64               from,
                           gsize                max_bytes,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ReadCall *call = g_new0 (ReadCall, 1);

  g_task_set_source_tag (task, vmd_serial_log_read_async);
  call->path = g_strdup (path);
  call->from = from;
  call->max_bytes = max_bytes;
  g_task_set_task_data (task, call, (GDestroyNotify) read_call_free);
  g_task_run_in_thread (task, read_in_thread);
}

GBytes *
vmd_serial_log_read_finish (GAsyncResult  *result,
                            guint64       *end_offset,
                            GError       **error)
{
  GBytes *bytes = g_task_propagate_pointer (G_TASK (result), error);

  if (bytes != NULL && end_offset != NULL)
    *end_offset = ((ReadCall *) g_task_get_task_data (G_TASK (result)))->end_offset;
  return bytes;
}
