/* VmdInstallMedia, its second half: copying the kernel and initrd out of an ISO or an install
 * tree into the folder QEMU boots them from, within a size limit, cancellably, and all or nothing. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-install-media-private.h"
#include "vmd-untrusted-file.h"

/* Reads the next bytes of the kernel or initrd; -1 with ERROR set on failure, 0 at the end. */
typedef gssize (*ReadFunc) (gpointer     source,
                            void        *buffer,
                            gsize        size,
                            const char  *what,
                            GError     **error);

static gssize
read_archive (gpointer     source,
              void        *buffer,
              gsize        size,
              const char  *what,
              GError     **error)
{
  la_ssize_t n = archive_read_data (source, buffer, size);

  if (n < 0)
    g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("Could not copy the %s out of the ISO: %s"),
                 what, archive_error_string (source));
  return n;
}

static gssize
read_fd (gpointer     source,
         void        *buffer,
         gsize        size,
         const char  *what,
         GError     **error)
{
  gssize n;

  do
    n = read (GPOINTER_TO_INT (source), buffer, size);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("Could not copy the %s from the install tree: %s"),
                 what, g_strerror (errno));
  return n;
}

static gboolean
write_all (int          fd,
           const char  *buffer,
           gsize        size,
           const char  *dest_dir,
           GError     **error)
{
  while (size > 0)
    {
      gssize n = write (fd, buffer, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, _("Could not write to %s: %s"),
                            dest_dir, g_strerror (errno)), FALSE;
      buffer += n;
      size -= n;
    }
  return TRUE;
}

/* One copy: where it goes, and how much it may take. */
typedef struct {
  const char   *dest_dir;
  const char   *prefix;
  guint64       limit;
  GCancellable *cancellable;
} CopyTarget;

/* Writes what READ gives to FD; FALSE with ERROR set past the size limit or when cancelled. */
static gboolean
copy_data (ReadFunc           read_func,
           gpointer           source,
           int                fd,
           const CopyTarget  *target,
           const char        *what,
           GError           **error)
{
  g_autofree char *buffer = g_malloc (64 * 1024);
  guint64 total = 0;
  gssize n;

  while ((n = read_func (source, buffer, 64 * 1024, what, error)) > 0)
    {
      if (g_cancellable_set_error_if_cancelled (target->cancellable, error) ||
          !write_all (fd, buffer, n, target->dest_dir, error))
        return FALSE;
      if ((total += n) > target->limit)
        {
          g_autofree char *size = g_format_size_full (target->limit, G_FORMAT_SIZE_IEC_UNITS);

          return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                              _("The %s is larger than %s: that is no installer's, it is not "
                                "copied."), what, size), FALSE;
        }
    }
  return n == 0;
}

/* Copies everything READ gives into a fresh file DEST_DIR/PREFIX-XXXXXX-WHAT; returns its path.
 * The copy is 0600: QEMU of the session runs as the user, and the system daemon's libvirt hands
 * a <kernel> and <initrd> to its QEMU user itself (its DAC driver relabels them at start). */
static char *
copy_out (ReadFunc           read_func,
          gpointer           source,
          const CopyTarget  *target,
          const char        *what,
          GError           **error)
{
  g_autofree char *template = g_strdup_printf ("%s/%s-XXXXXX-%s", target->dest_dir,
                                               target->prefix, what);
  int fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC, 0600);
  gboolean ok;

  if (fd < 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, _("Could not write to %s: %s"),
                        target->dest_dir, g_strerror (errno)), NULL;
  ok = copy_data (read_func, source, fd, target, what, error);
  close (fd);
  if (!ok)
    {
      g_unlink (template);
      return NULL;
    }
  return g_steal_pointer (&template);
}

static gboolean
extract_from_iso (VmdInstallMedia   *self,
                  const CopyTarget  *target,
                  char             **kernel,
                  char             **initrd,
                  GError           **error)
{
  struct archive_entry *entry;
  struct archive *archive;
  gboolean failed = FALSE;
  int status = ARCHIVE_OK;

  if ((archive = vmd_install_media_open_iso (self->fd, self->path, target->cancellable, error)) == NULL)
    return FALSE;
  while (!failed && (*kernel == NULL || *initrd == NULL) &&
         (status = archive_read_next_header (archive, &entry)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);

      if (*kernel == NULL && g_str_equal (name, self->kernel_entry))
        failed = (*kernel = copy_out (read_archive, archive, target, "kernel", error)) == NULL;
      else if (*initrd == NULL && g_str_equal (name, self->initrd_entry))
        failed = (*initrd = copy_out (read_archive, archive, target, "initrd", error)) == NULL;
    }
  if (!failed && status != ARCHIVE_OK && status != ARCHIVE_EOF)
    vmd_install_media_archive_failed (archive, self->path, target->cancellable, error);
  archive_read_free (archive);
  return *kernel != NULL && *initrd != NULL;
}

/* ENTRY again, as it is now: it was there when the tree was read. */
static int
reopen_tree_file (VmdInstallMedia  *self,
                  const char       *entry,
                  GError          **error)
{
  g_autofree char *shown = g_build_filename (self->path, entry, NULL);
  g_autoptr(GError) local_error = NULL;
  int fd = vmd_untrusted_file_open_beneath (self->fd, entry, shown, &local_error);

  if (g_error_matches (local_error, VMD_ERROR, VMD_ERROR_NOT_FOUND))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                        _("%s has gone from the install tree since it was read."), shown), -1;
  if (fd < 0)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return fd;
}

static char *
copy_from_tree (int                fd,
                const CopyTarget  *target,
                const char        *what,
                GError           **error)
{
  return copy_out (read_fd, GINT_TO_POINTER (fd), target, what, error);
}

/* Both files are opened (inside the tree, no links, regular) before anything is written. */
static gboolean
extract_from_tree (VmdInstallMedia   *self,
                   const CopyTarget  *target,
                   char             **kernel,
                   char             **initrd,
                   GError           **error)
{
  int kernel_fd = reopen_tree_file (self, self->kernel_entry, error);
  int initrd_fd = -1;

  if (kernel_fd >= 0)
    initrd_fd = reopen_tree_file (self, self->initrd_entry, error);
  if (initrd_fd >= 0)
    *kernel = copy_from_tree (kernel_fd, target, "kernel", error);
  if (*kernel != NULL)
    *initrd = copy_from_tree (initrd_fd, target, "initrd", error);
  if (kernel_fd >= 0)
    close (kernel_fd);
  if (initrd_fd >= 0)
    close (initrd_fd);
  return *kernel != NULL && *initrd != NULL;
}

/* Copies the kernel and initrd to DEST_DIR (a folder QEMU can read), each under a fresh name:
 * out of the ISO, or from the install tree. On failure nothing is left behind. */
gboolean
vmd_install_media_extract_kernel (VmdInstallMedia  *self,
                                  const char       *dest_dir,
                                  const char       *prefix,
                                  char            **kernel_out,
                                  char            **initrd_out,
                                  GCancellable     *cancellable,
                                  GError          **error)
{
  CopyTarget target = { dest_dir, prefix, self->max_file_size, cancellable };
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  gboolean ok;

  if (!vmd_install_media_can_kernel_boot (self))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                        _("No kernel and initrd were found on %s: boot it as a CD instead."),
                        self->path), FALSE;
  if (g_mkdir_with_parents (dest_dir, 0711) < 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, _("Could not create %s: %s"),
                        dest_dir, g_strerror (errno)), FALSE;
  ok = self->is_tree ? extract_from_tree (self, &target, &kernel, &initrd, error)
                     : extract_from_iso (self, &target, &kernel, &initrd, error);
  if (!ok)
    {
      if (kernel != NULL)
        g_unlink (kernel);
      if (initrd != NULL)
        g_unlink (initrd);
      if (error != NULL && *error == NULL)
        g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("The kernel or initrd on %s could not be read."),
                     self->path);
      return FALSE;
    }
  *kernel_out = g_steal_pointer (&kernel);
  *initrd_out = g_steal_pointer (&initrd);
  return TRUE;
}

/* For tests, and fuzzing: a smaller ceiling than the 2 GiB a kernel or initrd may take. */
void
vmd_install_media_set_max_file_size (VmdInstallMedia *self,
                                     guint64          bytes)
{
  self->max_file_size = bytes;
}
