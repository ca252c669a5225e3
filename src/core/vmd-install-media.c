/* VmdInstallMedia: reads an ISO or an install tree (a local folder) in a worker thread: libosinfo
 * for the volume ID or .treeinfo and the OS it belongs to, libarchive's ISO9660 reader or the
 * folder for the file list and, for a direct kernel boot, the kernel and initrd (as
 * virt-install --location does). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-install-media.h"

/* ISO9660: the primary volume descriptor starts at sector 16 with "\1CD001". */
#define ISO_MAGIC_OFFSET (16 * 2048 + 1)

struct _VmdInstallMedia
{
  GObject   parent_instance;

  char     *path;
  char     *volume_id;
  OsinfoOs *os;
  char     *kernel_entry;   /* paths inside the ISO, as libarchive names them, or in the tree */
  char     *initrd_entry;
  gboolean  is_tree;
};

/* Gives the name a kernel or initrd has in the media, or NULL when it is not there. */
typedef char *(*LookupFunc) (gconstpointer  files,
                             const char    *path);

G_DEFINE_FINAL_TYPE (VmdInstallMedia, vmd_install_media, G_TYPE_OBJECT)

/* Where installers keep their kernel when libosinfo does not say (virt-install's urldetect). */
static const struct {
  const char *kernel;
  const char *initrd;
} well_known[] = {
  { "boot/vmlinuz",               "boot/initrd" },
  { "boot/vmlinuz",               "boot/initrd.img" },
  { "boot/vmlinuz",               "boot/initrd.gz" },
  { "install.amd/vmlinuz",        "install.amd/initrd.gz" },
  { "install/vmlinuz",            "install/initrd.gz" },
  { "isolinux/vmlinuz",           "isolinux/initrd.img" },
  { "images/pxeboot/vmlinuz",     "images/pxeboot/initrd.img" },
  { "casper/vmlinuz",             "casper/initrd" },
  { "boot/x86_64/loader/linux",   "boot/x86_64/loader/initrd" },
};

gboolean
vmd_install_media_check_iso (const char  *path,
                             GError     **error)
{
  char magic[5] = { 0 };
  int fd;
  ssize_t n;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                        _("%s does not exist."), path), FALSE;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                        _("%s is not a file."), path), FALSE;
  fd = g_open (path, O_RDONLY, 0);
  if (fd < 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("%s cannot be read: %s"),
                        path, g_strerror (errno)), FALSE;
  n = pread (fd, magic, sizeof magic, ISO_MAGIC_OFFSET);
  close (fd);
  if (n != sizeof magic || memcmp (magic, "CD001", sizeof magic) != 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                        _("%s is not an ISO image: choose an installer ISO (a .iso file)."),
                        path), FALSE;
  return TRUE;
}

/* "./ISOLINUX/VMLINUZ.;1" and "isolinux/vmlinuz" are the same file to us. */
static char *
normalize_entry (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  char *start = lower;
  char *version;

  while (*start == '.' || *start == '/')
    {
      if (*start == '.' && start[1] != '/')
        break;
      start++;
    }
  if ((version = strrchr (start, ';')) != NULL)
    *version = '\0';
  if (g_str_has_suffix (start, "."))
    start[strlen (start) - 1] = '\0';
  return g_strdup (start);
}

static struct archive *
open_iso (const char  *path,
          GError     **error)
{
  struct archive *archive = archive_read_new ();

  archive_read_support_format_iso9660 (archive);
  if (archive_read_open_filename (archive, path, 64 * 1024) != ARCHIVE_OK)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("%s cannot be read as an ISO image: %s"),
                   path, archive_error_string (archive));
      archive_read_free (archive);
      return NULL;
    }
  return archive;
}

/* normalized name -> name as libarchive gives it */
static GHashTable *
list_entries (const char  *path,
              GError     **error)
{
  g_autoptr(GHashTable) entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  struct archive *archive = open_iso (path, error);
  struct archive_entry *entry;
  int status;

  if (archive == NULL)
    return NULL;
  while ((status = archive_read_next_header (archive, &entry)) == ARCHIVE_OK)
    g_hash_table_insert (entries, normalize_entry (archive_entry_pathname (entry)),
                         g_strdup (archive_entry_pathname (entry)));
  if (status != ARCHIVE_EOF)
    g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("%s is damaged: %s"),
                 path, archive_error_string (archive));
  archive_read_free (archive);
  return status == ARCHIVE_EOF ? g_steal_pointer (&entries) : NULL;
}

static char *
lookup_entry (gconstpointer  entries,
              const char    *path)
{
  g_autofree char *normalized = normalize_entry (path);

  return g_strdup (g_hash_table_lookup ((GHashTable *) entries, normalized));
}

static gboolean
try_pair (VmdInstallMedia *self,
          LookupFunc       lookup,
          gconstpointer    files,
          const char      *kernel,
          const char      *initrd)
{
  g_autofree char *k = NULL;
  g_autofree char *i = NULL;

  if (kernel == NULL || initrd == NULL)
    return FALSE;
  if ((k = lookup (files, kernel)) == NULL || (i = lookup (files, initrd)) == NULL)
    return FALSE;
  self->kernel_entry = g_steal_pointer (&k);
  self->initrd_entry = g_steal_pointer (&i);
  return TRUE;
}

/* libosinfo's pair first (an OsinfoMedia's or OsinfoTree's "kernel" and "initrd", the same
 * names in both), then the places installers use. */
static void
find_kernel (VmdInstallMedia *self,
             LookupFunc       lookup,
             gconstpointer    files,
             gpointer         osinfo)
{
  if (osinfo != NULL &&
      try_pair (self, lookup, files,
                osinfo_entity_get_param_value (osinfo, OSINFO_MEDIA_PROP_KERNEL),
                osinfo_entity_get_param_value (osinfo, OSINFO_MEDIA_PROP_INITRD)))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (well_known); i++)
    if (try_pair (self, lookup, files, well_known[i].kernel, well_known[i].initrd))
      return;
}

/* A primary volume descriptor's text field: space padded, no terminator. */
static char *
pvd_string (const guchar *pvd,
            gsize         offset,
            gsize         length)
{
  g_autofree char *text = g_strndup ((const char *) pvd + offset, length);

  g_strchomp (text);
  if (*text == '\0' || !g_utf8_validate (text, -1, NULL))
    return NULL;
  return g_steal_pointer (&text);
}

static void
set_param (OsinfoMedia *media,
           const char  *key,
           char        *value)
{
  if (value != NULL)
    osinfo_entity_set_param (OSINFO_ENTITY (media), key, value);
  g_free (value);
}

/* The fields libosinfo's rules match (volume, system, publisher and application IDs, size), read
 * from the volume descriptor as libosinfo does. Not libosinfo's own reader: its synchronous
 * osinfo_media_create_from_location_with_flags() leaks a copy of the path on every call (1.10). */
static OsinfoMedia *
media_from_descriptor (const char *path)
{
  guchar pvd[2048];
  g_autoptr(OsinfoMedia) media = NULL;
  int fd = g_open (path, O_RDONLY, 0);
  ssize_t n = fd >= 0 ? pread (fd, pvd, sizeof pvd, 16 * 2048) : -1;

  if (fd >= 0)
    close (fd);
  if (n != sizeof pvd || memcmp (pvd, "\1CD001", 6) != 0)
    return NULL;
  media = osinfo_media_new (path, NULL);
  set_param (media, OSINFO_MEDIA_PROP_VOLUME_ID, pvd_string (pvd, 40, 32));
  set_param (media, OSINFO_MEDIA_PROP_SYSTEM_ID, pvd_string (pvd, 8, 32));
  set_param (media, OSINFO_MEDIA_PROP_PUBLISHER_ID, pvd_string (pvd, 318, 128));
  set_param (media, OSINFO_MEDIA_PROP_APPLICATION_ID, pvd_string (pvd, 574, 128));
  /* Both-endian fields: the little-endian half comes first. */
  osinfo_entity_set_param_int64 (OSINFO_ENTITY (media), OSINFO_MEDIA_PROP_VOLUME_SIZE,
                                 (gint64) GUINT32_FROM_LE (*(guint32 *) (pvd + 80)) *
                                 GUINT16_FROM_LE (*(guint16 *) (pvd + 128)));
  return g_steal_pointer (&media);
}

/* NULL until the catalog has loaded: then the media are read without an OS. */
static OsinfoDb *
loaded_db (VmdOsCatalog *catalog)
{
  return catalog != NULL && vmd_os_catalog_is_loaded (catalog) ? vmd_os_catalog_get_db (catalog)
                                                               : NULL;
}

/* The catalog's rules turn the descriptor's IDs into an OS. */
static OsinfoMedia *
identify (VmdInstallMedia *self,
          VmdOsCatalog    *catalog)
{
  g_autoptr(OsinfoMedia) media = media_from_descriptor (self->path);

  if (media == NULL)
    return NULL;
  self->volume_id = g_strdup (osinfo_media_get_volume_id (media));
  if (loaded_db (catalog) != NULL && osinfo_db_identify_media (loaded_db (catalog), media))
    self->os = osinfo_media_get_os (media);
  return g_steal_pointer (&media);
}

static VmdInstallMedia *
load_iso (const char    *path,
          VmdOsCatalog  *catalog,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(VmdInstallMedia) self = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(OsinfoMedia) media = NULL;

  if (!vmd_install_media_check_iso (path, error))
    return NULL;
  entries = list_entries (path, error);
  if (entries == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  self = g_object_new (VMD_TYPE_INSTALL_MEDIA, NULL);
  self->path = g_strdup (path);
  media = identify (self, catalog);
  find_kernel (self, lookup_entry, entries, media);
  return g_steal_pointer (&self);
}

/* --- install trees ------------------------------------------------------------------------------ */

/* "file:///srv/tree" is the folder /srv/tree; other URLs would need downloading, not done yet. */
char *
vmd_install_media_dup_local_path (const char  *location,
                                  GError     **error)
{
  const char *scheme = g_uri_peek_scheme (location);

  if (scheme == NULL)
    return g_strdup (location);
  if (g_str_equal (scheme, "file"))
    {
      char *path = g_filename_from_uri (location, NULL, NULL);

      if (path == NULL)
        g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("“%s” is not a valid file address."),
                     location);
      return path;
    }
  g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
               _("Only local folders are supported for now: download or mount the install tree at "
                 "“%s”, then choose its folder."), location);
  return NULL;
}

static gboolean
check_tree (const char  *path,
            GError     **error)
{
  if (g_access (path, R_OK | X_OK) < 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("The folder %s cannot be read: %s"),
                        path, g_strerror (errno)), FALSE;
  return TRUE;
}

/* For the kernel-boot method: an installer ISO, or an install tree given as a local folder (or a
 * file:// URI). */
gboolean
vmd_install_media_check_location (const char  *location,
                                  GError     **error)
{
  g_autofree char *path = vmd_install_media_dup_local_path (location, error);

  if (path == NULL)
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return check_tree (path, error);
  return vmd_install_media_check_iso (path, error);
}

gboolean
vmd_install_media_location_is_tree (const char *location)
{
  g_autofree char *path = vmd_install_media_dup_local_path (location, NULL);

  return path != NULL && g_file_test (path, G_FILE_TEST_IS_DIR);
}

/* A readable file inside the tree. The copy is readable by all (QEMU runs as another user), so a
 * .treeinfo must not point it at a file outside the tree, through ".." or a symbolic link. */
static char *
lookup_tree_file (gconstpointer  root,
                  const char    *path)
{
  g_autofree char *joined = g_build_filename (root, path, NULL);
  g_autofree char *real = realpath (joined, NULL);
  g_autofree char *prefix = g_strconcat (root, G_DIR_SEPARATOR_S, NULL);

  if (real == NULL || !g_str_has_prefix (real, prefix) ||
      !g_file_test (real, G_FILE_TEST_IS_REGULAR) || g_access (real, R_OK) < 0)
    return NULL;
  return g_strdup (path);
}

static void
set_from_key (OsinfoTree *tree,
              GKeyFile   *file,
              const char *group,
              const char *key,
              const char *property)
{
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);

  if (value != NULL && *value != '\0')
    osinfo_entity_set_param (OSINFO_ENTITY (tree), property, value);
}

/* The keys osinfo_tree_create_from_treeinfo() reads, read here: in libosinfo 1.10 it loses its
 * "images-ARCH" string on every call (valgrind and LeakSanitizer flag it) and crashes when given
 * no GError. A .treeinfo that is not a key file gives no tree: then there is no OS to name, but
 * the well-known paths may still hold a kernel. */
static OsinfoTree *
tree_from_treeinfo (const char *text,
                    const char *uri)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *arch = NULL;
  g_autofree char *images = NULL;
  OsinfoTree *tree;

  if (!g_key_file_load_from_data (file, text, -1, G_KEY_FILE_NONE, NULL))
    return NULL;
  arch = g_key_file_get_string (file, "general", "arch", NULL);
  tree = osinfo_tree_new (uri, arch != NULL ? arch : "i386");
  osinfo_entity_set_param (OSINFO_ENTITY (tree), OSINFO_TREE_PROP_URL, uri);
  set_from_key (tree, file, "general", "family", OSINFO_TREE_PROP_TREEINFO_FAMILY);
  set_from_key (tree, file, "general", "variant", OSINFO_TREE_PROP_TREEINFO_VARIANT);
  set_from_key (tree, file, "general", "version", OSINFO_TREE_PROP_TREEINFO_VERSION);
  set_from_key (tree, file, "general", "arch", OSINFO_TREE_PROP_TREEINFO_ARCH);
  if (arch == NULL)
    return tree;
  images = g_strdup_printf ("images-%s", arch);
  set_from_key (tree, file, images, "kernel", OSINFO_TREE_PROP_KERNEL);
  set_from_key (tree, file, images, "initrd", OSINFO_TREE_PROP_INITRD);
  set_from_key (tree, file, images, "boot.iso", OSINFO_TREE_PROP_BOOT_ISO);
  return tree;
}

/* Family, version, variant and arch name the OS; the images-ARCH group has the kernel and initrd. */
static OsinfoTree *
identify_tree (VmdInstallMedia *self,
               VmdOsCatalog    *catalog)
{
  g_autofree char *file = g_build_filename (self->path, ".treeinfo", NULL);
  g_autofree char *uri = g_filename_to_uri (self->path, NULL, NULL);
  g_autofree char *text = NULL;
  g_autoptr(OsinfoTree) tree = NULL;

  if (!g_file_get_contents (file, &text, NULL, NULL) || (tree = tree_from_treeinfo (text, uri)) == NULL)
    return NULL;
  if (loaded_db (catalog) != NULL && osinfo_db_identify_tree (loaded_db (catalog), tree))
    self->os = osinfo_tree_get_os (tree);
  return g_steal_pointer (&tree);
}

static VmdInstallMedia *
load_tree (const char    *path,
           VmdOsCatalog  *catalog,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(VmdInstallMedia) self = NULL;
  g_autoptr(OsinfoTree) tree = NULL;
  g_autofree char *root = NULL;

  if (!check_tree (path, error) || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  root = realpath (path, NULL);
  self = g_object_new (VMD_TYPE_INSTALL_MEDIA, NULL);
  self->path = g_strdup (root != NULL ? root : path);
  self->is_tree = TRUE;
  tree = identify_tree (self, catalog);
  find_kernel (self, lookup_tree_file, self->path, tree);
  /* A tree is only good for a direct kernel boot. */
  if (!vmd_install_media_can_kernel_boot (self))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                        _("No kernel and initrd were found in the folder %s: an install tree has "
                          "them, for example, as isolinux/vmlinuz and isolinux/initrd.img."),
                        path), NULL;
  return g_steal_pointer (&self);
}

/* Blocking: for worker threads. LOCATION is an ISO, a folder or a file:// URI. */
VmdInstallMedia *
vmd_install_media_load (const char    *location,
                        VmdOsCatalog  *catalog,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *path = vmd_install_media_dup_local_path (location, error);

  if (path == NULL)
    return NULL;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return load_tree (path, catalog, cancellable, error);
  return load_iso (path, catalog, cancellable, error);
}

static void
load_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  GError *error = NULL;
  VmdInstallMedia *media = vmd_install_media_load (path, task_data, cancellable, &error);

  if (media == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, media, g_object_unref);
}

void
vmd_install_media_load_async (const char          *path,
                              VmdOsCatalog        *catalog,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_install_media_load_async);
  g_object_set_data_full (G_OBJECT (task), "path", g_strdup (path), g_free);
  g_task_set_task_data (task, catalog != NULL ? g_object_ref (catalog) : NULL,
                        catalog != NULL ? g_object_unref : NULL);
  g_task_run_in_thread (task, load_in_thread);
}

VmdInstallMedia *
vmd_install_media_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
vmd_install_media_get_path (VmdInstallMedia *self)
{
  return self->path;
}

const char *
vmd_install_media_get_volume_id (VmdInstallMedia *self)
{
  return self->volume_id;
}

OsinfoOs *
vmd_install_media_get_os (VmdInstallMedia *self)
{
  return self->os;
}

const char *
vmd_install_media_get_kernel_path (VmdInstallMedia *self)
{
  return self->kernel_entry;
}

const char *
vmd_install_media_get_initrd_path (VmdInstallMedia *self)
{
  return self->initrd_entry;
}

gboolean
vmd_install_media_can_kernel_boot (VmdInstallMedia *self)
{
  return self->kernel_entry != NULL && self->initrd_entry != NULL;
}

gboolean
vmd_install_media_is_tree (VmdInstallMedia *self)
{
  return self->is_tree;
}

/* --- extraction --------------------------------------------------------------------------------- */

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
  gssize n = read (GPOINTER_TO_INT (source), buffer, size);

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

/* Copies everything READ gives into a fresh file DEST_DIR/PREFIX-XXXXXX-WHAT; returns its path. */
static char *
copy_out (ReadFunc     read_func,
          gpointer     source,
          const char  *dest_dir,
          const char  *prefix,
          const char  *what,
          GError     **error)
{
  g_autofree char *template = g_strdup_printf ("%s/%s-XXXXXX-%s", dest_dir, prefix, what);
  char buffer[64 * 1024];
  gssize n;
  int fd = g_mkstemp_full (template, O_WRONLY, 0644);

  if (fd < 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, _("Could not write to %s: %s"),
                        dest_dir, g_strerror (errno)), NULL;
  while ((n = read_func (source, buffer, sizeof buffer, what, error)) > 0)
    if (!write_all (fd, buffer, n, dest_dir, error))
      {
        n = -1;
        break;
      }
  /* mkstemp makes it 0600; QEMU runs as another user and must read it. */
  fchmod (fd, 0644);
  close (fd);
  if (n < 0)
    {
      g_unlink (template);
      return NULL;
    }
  return g_steal_pointer (&template);
}

static gboolean
extract_from_iso (VmdInstallMedia  *self,
                  const char       *dest_dir,
                  const char       *prefix,
                  char            **kernel,
                  char            **initrd,
                  GError          **error)
{
  struct archive_entry *entry;
  struct archive *archive;

  if ((archive = open_iso (self->path, error)) == NULL)
    return FALSE;
  while ((*kernel == NULL || *initrd == NULL) && archive_read_next_header (archive, &entry) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);

      if (*kernel == NULL && g_str_equal (name, self->kernel_entry) &&
          (*kernel = copy_out (read_archive, archive, dest_dir, prefix, "kernel", error)) == NULL)
        break;
      if (*initrd == NULL && g_str_equal (name, self->initrd_entry) &&
          (*initrd = copy_out (read_archive, archive, dest_dir, prefix, "initrd", error)) == NULL)
        break;
    }
  archive_read_free (archive);
  return *kernel != NULL && *initrd != NULL;
}

static char *
copy_from_tree (VmdInstallMedia  *self,
                const char       *entry,
                const char       *dest_dir,
                const char       *prefix,
                const char       *what,
                GError          **error)
{
  g_autofree char *path = g_build_filename (self->path, entry, NULL);
  int fd = g_open (path, O_RDONLY, 0);
  char *copy;

  if (fd < 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("%s cannot be read: %s"),
                        path, g_strerror (errno)), NULL;
  copy = copy_out (read_fd, GINT_TO_POINTER (fd), dest_dir, prefix, what, error);
  close (fd);
  return copy;
}

static gboolean
extract_from_tree (VmdInstallMedia  *self,
                   const char       *dest_dir,
                   const char       *prefix,
                   char            **kernel,
                   char            **initrd,
                   GError          **error)
{
  *kernel = copy_from_tree (self, self->kernel_entry, dest_dir, prefix, "kernel", error);
  if (*kernel != NULL)
    *initrd = copy_from_tree (self, self->initrd_entry, dest_dir, prefix, "initrd", error);
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
                                  GError          **error)
{
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
  ok = self->is_tree ? extract_from_tree (self, dest_dir, prefix, &kernel, &initrd, error)
                     : extract_from_iso (self, dest_dir, prefix, &kernel, &initrd, error);
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

static void
vmd_install_media_finalize (GObject *object)
{
  VmdInstallMedia *self = VMD_INSTALL_MEDIA (object);

  g_free (self->path);
  g_free (self->volume_id);
  g_clear_object (&self->os);
  g_free (self->kernel_entry);
  g_free (self->initrd_entry);
  G_OBJECT_CLASS (vmd_install_media_parent_class)->finalize (object);
}

static void
vmd_install_media_class_init (VmdInstallMediaClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_install_media_finalize;
}

static void
vmd_install_media_init (VmdInstallMedia *self)
{
}
