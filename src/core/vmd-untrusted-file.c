/* Opening and reading files that a user (or someone who can write where the user points us)
 * controls: see vmd-untrusted-file.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(SYS_openat2) && __has_include (<linux/openat2.h>)
#include <linux/openat2.h>
#define HAVE_OPENAT2 1
#endif

#include <glib/gi18n.h>

#include "vmd-error.h"
#include "vmd-untrusted-file.h"

/* O_NONBLOCK: opening a FIFO for reading would wait for a writer; the type is checked after. */
#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
#define DIR_FLAGS  (O_RDONLY | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW)

/* Cleared for good the first time the kernel (or valgrind, or a seccomp filter) lacks it. */
static gint use_openat2 = TRUE;

void
vmd_untrusted_file_set_use_openat2 (gboolean use)
{
  g_atomic_int_set (&use_openat2, use);
}

static int
open_failed (GError     **error,
             int          saved_errno,
             const char  *name)
{
  if (saved_errno == ENOENT)
    g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND, _("%s does not exist."), name);
  else if (saved_errno == ELOOP)
    g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                 _("%s is a symbolic link, or lies in a folder reached through one: only files "
                   "that are themselves inside the install tree are read."), name);
  else if (saved_errno == EXDEV)
    g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                 _("%s points outside the install tree (“..”): only files inside it are read."),
                 name);
  else
    g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("%s cannot be read: %s"), name,
                 g_strerror (saved_errno));
  return -1;
}

/* FD is closed unless it is a regular file. */
static int
only_regular (int          fd,
              const char  *name,
              GError     **error)
{
  struct stat st;

  if (fstat (fd, &st) < 0)
    {
      int saved_errno = errno;

      close (fd);
      return open_failed (error, saved_errno, name);
    }
  if (S_ISREG (st.st_mode))
    return fd;
  close (fd);
  if (S_ISDIR (st.st_mode))
    g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("%s is not a file: it is a folder."), name);
  else
    g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                 _("%s is not a file: it is a named pipe, a socket or a device, and is not read."),
                 name);
  return -1;
}

/* The ISO itself: the user chose the name, so links to it are followed. */
int
vmd_untrusted_file_open (const char  *path,
                         GError     **error)
{
  int fd = open (path, OPEN_FLAGS);

  if (fd < 0)
    return open_failed (error, errno, path);
  return only_regular (fd, path, error);
}

/* The tree's top folder, chosen by the user like an ISO; below it no link is followed. */
int
vmd_untrusted_file_open_dir (const char  *path,
                             GError     **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_DIRECTORY);

  if (fd < 0 && errno == ENOTDIR)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("%s is not a folder."), path), -1;
  if (fd < 0)
    return open_failed (error, errno, path);
  return fd;
}

/* "a//b/./c" -> { "a", "b", "c" }; NULL (errno set) for ".." or nothing at all. */
static GStrv
split_relative (const char *relative)
{
  g_auto(GStrv) parts = g_strsplit (relative, "/", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        return errno = EXDEV, NULL;
      g_strv_builder_add (kept, parts[i]);
      n++;
    }
  if (n == 0)
    return errno = ENOENT, NULL;
  return g_strv_builder_end (kept);
}

/* -1 with errno ENOSYS where the kernel (or a seccomp filter) has no openat2(). */
static int
open_with_openat2 (int          dir_fd,
                   const char  *relative)
{
#ifdef HAVE_OPENAT2
  struct open_how how = {
    .flags = OPEN_FLAGS,
    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
  };
  int fd;

  if (!g_atomic_int_get (&use_openat2))
    return errno = ENOSYS, -1;
  /* EAGAIN: a rename raced with the lookup; the kernel asks to try again. */
  for (guint attempt = 0; attempt < 8; attempt++)
    if ((fd = syscall (SYS_openat2, dir_fd, relative, &how, sizeof how)) >= 0 || errno != EAGAIN)
      break;
  if (fd < 0 && (errno == ENOSYS || errno == EPERM || errno == E2BIG || errno == EINVAL))
    {
      g_atomic_int_set (&use_openat2, FALSE);
      errno = ENOSYS;
    }
  return fd;
#else
  return errno = ENOSYS, -1;
#endif
}

/* Opens the folder NAME in DIR_FD, not through a link: O_NOFOLLOW with O_DIRECTORY fails with
 * ENOTDIR on a link, as on a file, so a link is told apart here and reported as one. */
static int
open_folder (int          dir_fd,
             const char  *name)
{
  int fd = openat (dir_fd, name, DIR_FLAGS);
  struct stat st;

  if (fd < 0 && errno == ENOTDIR &&
      fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode))
    errno = ELOOP;
  return fd;
}

/* The same without openat2(): one component at a time, each opened with O_NOFOLLOW. */
static int
open_per_component (int                dir_fd,
                    const char *const *parts)
{
  int current = dup (dir_fd);
  int fd, saved_errno;
  guint i;

  for (i = 0; current >= 0 && parts[i + 1] != NULL; i++)
    {
      int next = open_folder (current, parts[i]);

      saved_errno = errno;
      close (current);
      current = next;
      errno = saved_errno;
    }
  if (current < 0)
    return -1;
  fd = openat (current, parts[i], OPEN_FLAGS | O_NOFOLLOW);
  saved_errno = errno;
  close (current);
  errno = saved_errno;
  return fd;
}

/* RELATIVE inside the folder DIR_FD, a regular file reached without any symbolic link or "..",
 * so that a tree swapped after it was checked still cannot hand us a file from elsewhere. */
int
vmd_untrusted_file_open_beneath (int          dir_fd,
                                 const char  *relative,
                                 const char  *shown_name,
                                 GError     **error)
{
  g_auto(GStrv) parts = split_relative (relative);
  g_autofree char *joined = NULL;
  int fd;

  if (parts == NULL)
    return open_failed (error, errno, shown_name);
  joined = g_strjoinv ("/", parts);
  fd = open_with_openat2 (dir_fd, joined);
  if (fd < 0 && errno == ENOSYS)
    fd = open_per_component (dir_fd, (const char * const *) parts);
  if (fd < 0)
    return open_failed (error, errno, shown_name);
  return only_regular (fd, shown_name, error);
}

static gboolean
too_large (GError     **error,
           const char  *name,
           gsize        limit)
{
  g_autofree char *size = g_format_size_full (limit, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
               _("%s is larger than %s, more than such a file ever holds: it is not read."),
               name, size);
  return FALSE;
}

/* All of FD (a regular file) as a NUL-terminated string, or an error once it passes LIMIT bytes:
 * the size it claims is not trusted, only what is read. */
char *
vmd_untrusted_file_read_all (int            fd,
                             gsize          limit,
                             const char    *shown_name,
                             gsize         *length,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[16 * 1024];

  for (;;)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      n = read (fd, buffer, MIN (sizeof buffer, limit + 1 - data->len));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return open_failed (error, errno, shown_name), NULL;
      if (n == 0)
        break;
      g_byte_array_append (data, buffer, n);
      if (data->len > limit)
        return too_large (error, shown_name, limit), NULL;
    }
  if (length != NULL)
    *length = data->len;
  g_byte_array_append (data, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&data), FALSE);
}
