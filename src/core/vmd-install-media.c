/* VmdInstallMedia: reads an ISO or an install tree (a local folder) in a worker thread: libosinfo
 * for the volume ID or .treeinfo and the OS it belongs to, libarchive's ISO9660 reader or the
 * folder for the file list and, for a direct kernel boot, the kernel and initrd (as
 * virt-install --location does). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-install-media-private.h"
#include "vmd-untrusted-file.h"

/* ISO9660: the primary volume descriptor starts at sector 16 with "\1CD001". */
#define ISO_MAGIC_OFFSET (16 * 2048 + 1)
/* Far above any installer's (a DVD lists a few thousand files; kernels and initrds take tens of
 * MiB), far below what would fill the memory or the disk. */
#define MAX_ISO_ENTRIES   200000
#define MAX_TREEINFO_SIZE (1024 * 1024)


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

static gboolean
check_iso_magic (int          fd,
                 const char  *path,
                 GError     **error)
{
  char magic[5] = { 0 };
  ssize_t n = pread (fd, magic, sizeof magic, ISO_MAGIC_OFFSET);

  if (n != sizeof magic || memcmp (magic, "CD001", sizeof magic) != 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                        _("%s is not an ISO image: choose an installer ISO (a .iso file)."),
                        path), FALSE;
  return TRUE;
}

/* Quick enough for the main loop: a FIFO or a device is refused without waiting on it. */
gboolean
vmd_install_media_check_iso (const char  *path,
                             GError     **error)
{
  int fd = vmd_untrusted_file_open (path, error);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = check_iso_magic (fd, path, error);
  close (fd);
  return ok;
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

/* libarchive reads the ISO through our descriptor, at its own offset (pread), so that the file
 * read is the one checked, and a cancel stops it between blocks. */
typedef struct {
  int           fd;
  gint64        offset;
  gint64        size;
  GCancellable *cancellable;
  char          buffer[64 * 1024];
} IsoReader;

static la_ssize_t
iso_read (struct archive  *archive,
          void            *data,
          const void     **buffer)
{
  IsoReader *reader = data;
  ssize_t n;

  if (g_cancellable_is_cancelled (reader->cancellable))
    return archive_set_error (archive, ECANCELED, "%s", _("Cancelled")), -1;
  do
    n = pread (reader->fd, reader->buffer, sizeof reader->buffer, reader->offset);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return archive_set_error (archive, errno, "%s", g_strerror (errno)), -1;
  reader->offset += n;
  *buffer = reader->buffer;
  return n;
}

static la_int64_t
iso_skip (struct archive *archive,
          void           *data,
          la_int64_t      request)
{
  IsoReader *reader = data;
  la_int64_t step = CLAMP (request, 0, MAX (reader->size - reader->offset, 0));

  reader->offset += step;
  return step;
}

static int
iso_close (struct archive *archive,
           void           *data)
{
  g_free (data);
  return ARCHIVE_OK;
}

struct archive *
vmd_install_media_open_iso (int            fd,
          const char    *path,
          GCancellable  *cancellable,
          GError       **error)
{
  struct archive *archive = archive_read_new ();
  IsoReader *reader = g_new0 (IsoReader, 1);
  struct stat st;

  reader->fd = fd;
  reader->size = fstat (fd, &st) == 0 ? st.st_size : 0;
  reader->cancellable = cancellable;
  archive_read_support_format_iso9660 (archive);
  archive_read_set_read_callback (archive, iso_read);
  archive_read_set_skip_callback (archive, iso_skip);
  archive_read_set_close_callback (archive, iso_close);
  archive_read_set_callback_data (archive, reader);
  if (archive_read_open1 (archive) != ARCHIVE_OK)
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("%s cannot be read as an ISO image: %s"),
                     path, archive_error_string (archive));
      archive_read_free (archive);
      return NULL;
    }
  return archive;
}

gboolean
vmd_install_media_archive_failed (struct archive  *archive,
                const char      *path,
                GCancellable    *cancellable,
                GError         **error)
{
  if (!g_cancellable_set_error_if_cancelled (cancellable, error))
    g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("%s is damaged: %s"),
                 path, archive_error_string (archive));
  return FALSE;
}

/* normalized name -> name as libarchive gives it */
static GHashTable *
list_entries (int            fd,
              const char    *path,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GHashTable) entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  struct archive *archive = vmd_install_media_open_iso (fd, path, cancellable, error);
  struct archive_entry *entry;
  gboolean ok = TRUE;
  int status;

  if (archive == NULL)
    return NULL;
  while (ok && (status = archive_read_next_header (archive, &entry)) == ARCHIVE_OK)
    {
      g_hash_table_insert (entries, normalize_entry (archive_entry_pathname (entry)),
                           g_strdup (archive_entry_pathname (entry)));
      if (g_hash_table_size (entries) > MAX_ISO_ENTRIES)
        ok = (g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA, _("%s holds more than %u files; an "
                                                                "installer ISO has far fewer."),
                           path, MAX_ISO_ENTRIES), FALSE);
    }
  if (ok && status != ARCHIVE_EOF)
    ok = vmd_install_media_archive_failed (archive, path, cancellable, error);
  archive_read_free (archive);
  return ok ? g_steal_pointer (&entries) : NULL;
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
media_from_descriptor (int         fd,
                       const char *path)
{
  guchar pvd[2048];
  g_autoptr(OsinfoMedia) media = NULL;
  ssize_t n = pread (fd, pvd, sizeof pvd, 16 * 2048);

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
  g_autoptr(OsinfoMedia) media = media_from_descriptor (self->fd, self->path);

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
  g_autoptr(VmdInstallMedia) self = g_object_new (VMD_TYPE_INSTALL_MEDIA, NULL);
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(OsinfoMedia) media = NULL;

  self->path = g_strdup (path);
  if ((self->fd = vmd_untrusted_file_open (path, error)) < 0 ||
      !check_iso_magic (self->fd, path, error))
    return NULL;
  entries = list_entries (self->fd, path, cancellable, error);
  if (entries == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
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

/* A regular file inside the tree, reached without "..", an absolute path or a symbolic link:
 * a .treeinfo may not point the copy at a file outside the tree. */
static char *
lookup_tree_file (gconstpointer  media,
                  const char    *path)
{
  const VmdInstallMedia *self = media;
  int fd = vmd_untrusted_file_open_beneath (self->fd, path, path, NULL);

  if (fd < 0)
    return NULL;
  close (fd);
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

/* The .treeinfo as text; NULL without an error when the tree has none. */
static char *
read_treeinfo (VmdInstallMedia  *self,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autofree char *shown = g_build_filename (self->path, ".treeinfo", NULL);
  g_autoptr(GError) local_error = NULL;
  char *text;
  int fd = vmd_untrusted_file_open_beneath (self->fd, ".treeinfo", shown, &local_error);

  if (fd < 0)
    {
      if (!g_error_matches (local_error, VMD_ERROR, VMD_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  text = vmd_untrusted_file_read_all (fd, MAX_TREEINFO_SIZE, shown, NULL, cancellable, error);
  close (fd);
  return text;
}

/* Family, version, variant and arch name the OS; the images-ARCH group has the kernel and initrd.
 * FALSE only when the .treeinfo is there but may not be read. */
static gboolean
identify_tree (VmdInstallMedia  *self,
               VmdOsCatalog     *catalog,
               OsinfoTree      **tree_out,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autofree char *uri = g_filename_to_uri (self->path, NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = read_treeinfo (self, cancellable, &local_error);
  g_autoptr(OsinfoTree) tree = NULL;

  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  if (text == NULL || (tree = tree_from_treeinfo (text, uri)) == NULL)
    return TRUE;
  if (loaded_db (catalog) != NULL && osinfo_db_identify_tree (loaded_db (catalog), tree))
    self->os = osinfo_tree_get_os (tree);
  *tree_out = g_steal_pointer (&tree);
  return TRUE;
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
  if ((self->fd = vmd_untrusted_file_open_dir (path, error)) < 0 ||
      !identify_tree (self, catalog, &tree, cancellable, error))
    return NULL;
  find_kernel (self, lookup_tree_file, self, tree);
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

/* What a load's worker thread reads: its own copies. */
typedef struct {
  char         *path;
  VmdOsCatalog *catalog;
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_free (request->path);
  g_clear_object (&request->catalog);
  g_free (request);
}

static void
load_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LoadRequest *request = task_data;
  GError *error = NULL;
  VmdInstallMedia *media = vmd_install_media_load (request->path, request->catalog, cancellable,
                                                   &error);

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
  LoadRequest *request = g_new0 (LoadRequest, 1);

  g_task_set_source_tag (task, vmd_install_media_load_async);
  request->path = g_strdup (path);
  request->catalog = catalog != NULL ? g_object_ref (catalog) : NULL;
  g_task_set_task_data (task, request, (GDestroyNotify) load_request_free);
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

static void
vmd_install_media_finalize (GObject *object)
{
  VmdInstallMedia *self = VMD_INSTALL_MEDIA (object);

  g_free (self->path);
  g_free (self->volume_id);
  g_clear_object (&self->os);
  g_free (self->kernel_entry);
  g_free (self->initrd_entry);
  if (self->fd >= 0)
    close (self->fd);
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
  self->fd = -1;
  self->max_file_size = VMD_INSTALL_MEDIA_MAX_BOOT_FILE;
}
