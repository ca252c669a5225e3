/* The steps of VM Desk's own revert and delete of external snapshots (vmd-snapshot-external.c):
 * numbered, each undone when a later one fails, a test hook to make any of them fail; the files
 * they copy and move aside; and which images are still in use, read from qcow2 headers. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-snapshot-external.h"
#include "vmd-snapshot-steps.h"
#include "vmd-xml.h"

typedef struct {
  VmdSnapshotUndo  func;
  gpointer         data;
  GDestroyNotify   data_free;
} Undo;

static guint fail_at;

void
vmd_snapshot_external_set_fail_at (guint step)
{
  g_atomic_int_set (&fail_at, step);
}

char *
vmd_snapshot_dup_string (char *s)
{
  char *copy = g_strdup (s);

  free (s);
  return copy;
}

/* --- undo steps --------------------------------------------------------------------------------- */

void
vmd_snapshot_run_init (VmdSnapshotRun *run,
                       virDomainPtr    domain)
{
  run->domain = domain;
  run->machine = virDomainGetName (domain);
  run->step = 0;
  run->undo = g_array_new (FALSE, FALSE, sizeof (Undo));
}

void
vmd_snapshot_run_push_undo (VmdSnapshotRun  *run,
                            VmdSnapshotUndo  func,
                            gpointer         data,
                            GDestroyNotify   data_free)
{
  Undo undo = { func, data, data_free };

  g_array_append_val (run->undo, undo);
}

/* Last done, first undone; with ok the steps stand and only their data goes. */
gboolean
vmd_snapshot_run_end (VmdSnapshotRun *run,
                      gboolean        ok)
{
  for (guint i = run->undo->len; i > 0; i--)
    {
      Undo *undo = &g_array_index (run->undo, Undo, i - 1);

      if (!ok)
        undo->func (undo->data);
      if (undo->data_free != NULL)
        undo->data_free (undo->data);
    }
  g_array_free (run->undo, TRUE);
  return ok;
}

/* Every step starts here, so a test can make any one of them fail. */
gboolean
vmd_snapshot_run_step (VmdSnapshotRun *run,
                       const char     *what,
                       GError        **error)
{
  run->step++;
  if (run->step != (guint) g_atomic_int_get (&fail_at))
    return TRUE;
  g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, "Injected failure at step %u (%s)", run->step, what);
  return FALSE;
}

/* --- files ------------------------------------------------------------------------------------- */

gboolean
vmd_snapshot_copy_file (const char *from,
                        const char *to,
                        GError    **error)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);

  return g_file_copy (source, target, G_FILE_COPY_OVERWRITE | G_FILE_COPY_ALL_METADATA, NULL, NULL, NULL, error);
}

static gboolean
rename_file (const char *from,
             const char *to,
             GError    **error)
{
  if (g_rename (from, to) == 0)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), _("Could not rename “%s”: %s"), from,
               g_strerror (errno));
  return FALSE;
}

void
vmd_snapshot_undo_unlink (gpointer path)
{
  g_unlink (path);
}

typedef struct {
  char *from;
  char *to;
} Move;

static void
move_free (Move *move)
{
  g_free (move->from);
  g_free (move->to);
  g_free (move);
}

static void
undo_move (gpointer data)
{
  Move *move = data;

  g_rename (move->to, move->from);
}

/* Moves from aside to "from.vmd-undo" (gone for good at the end), or back on a failure. */
gboolean
vmd_snapshot_move_aside (VmdSnapshotRun *run,
                         const char     *from,
                         GPtrArray      *to_remove,
                         GError        **error)
{
  Move *move;

  if (!g_file_test (from, G_FILE_TEST_EXISTS))
    return TRUE;
  move = g_new0 (Move, 1);
  move->from = g_strdup (from);
  move->to = g_strconcat (from, ".vmd-undo", NULL);
  if (!rename_file (move->from, move->to, error))
    {
      move_free (move);
      return FALSE;
    }
  g_ptr_array_add (to_remove, g_strdup (move->to));
  vmd_snapshot_run_push_undo (run, undo_move, move, (GDestroyNotify) move_free);
  return TRUE;
}

/* The file a qcow2 image is made on, from its header; NULL for any other image or none, and
 * unreadable set for an image that is there but cannot be read. */
static char *
qcow2_backing_file (const char *path,
                    gboolean   *unreadable)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  guint8 header[20];
  gsize got = 0;
  guint64 offset;
  guint32 size;
  g_autofree char *name = NULL;

  if (in == NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    *unreadable = TRUE;
  if (in == NULL || !g_input_stream_read_all (G_INPUT_STREAM (in), header, sizeof header, &got, NULL, NULL) ||
      got != sizeof header || memcmp (header, "QFI\xfb", 4) != 0)
    return NULL;
  offset = GUINT64_FROM_BE (*(guint64 *) (header + 8));
  size = GUINT32_FROM_BE (*(guint32 *) (header + 16));
  if (offset == 0 || size == 0 || size > 4096 ||
      !g_seekable_seek (G_SEEKABLE (in), (goffset) offset, G_SEEK_SET, NULL, NULL))
    return NULL;
  name = g_malloc0 (size + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), name, size, &got, NULL, NULL) || got != size)
    return NULL;
  if (g_path_is_absolute (name))
    return g_steal_pointer (&name);
  {
    g_autofree char *dir = g_path_get_dirname (path);

    return g_build_filename (dir, name, NULL);
  }
}

/* path and every image under it; FALSE when one of them could not be read, so the chain may
 * go on further than the set says. */
static gboolean
add_chain (GHashTable *set,
           const char *path)
{
  g_autofree char *image = g_strdup (path);
  gboolean unreadable = FALSE;

  while (image != NULL && !g_hash_table_contains (set, image))
    {
      char *next = qcow2_backing_file (image, &unreadable);

      g_hash_table_add (set, g_steal_pointer (&image));
      image = next;
    }
  return !unreadable;
}

/* --- XML ---------------------------------------------------------------------------------------- */

char *
vmd_snapshot_domain_xml (virDomainPtr  domain,
                         gboolean      live)
{
  return vmd_snapshot_dup_string (virDomainGetXMLDesc (domain, live ? 0 : VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE));
}

char *
vmd_snapshot_xml (virDomainSnapshotPtr snapshot)
{
  return vmd_snapshot_dup_string (virDomainSnapshotGetXMLDesc (snapshot, VIR_DOMAIN_SNAPSHOT_XML_SECURE));
}

/* A name as safe as possible in a file name: letters, digits, '.', '-', '_'. */
char *
vmd_snapshot_file_part (const char *name)
{
  GString *part = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    g_string_append_c (part, g_ascii_isalnum (*p) || strchr ("._-", *p) != NULL ? *p : '_');
  if (part->str[0] == '.')
    part->str[0] = '_';
  return g_string_free (part, FALSE);
}

/* --- what is still needed ------------------------------------------------------------------------ */

/* Every image still in use: the machines' disks and the frozen images of the snapshots of this
 * one (but skip, the one being deleted), each with the images under it. NULL when a chain could
 * not be read to its end: then nothing is known to be unused. */
static GHashTable *
images_in_use (virDomainPtr  domain,
               const char   *skip)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean complete = TRUE;
  virDomainPtr *domains = NULL;
  virDomainSnapshotPtr *snapshots = NULL;
  int n = virConnectListAllDomains (virDomainGetConnect (domain), &domains, 0);

  complete = n >= 0;
  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = vmd_snapshot_domain_xml (domains[i], FALSE);
      g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;
      g_auto(GStrv) sources = doc != NULL ? vmd_xml_strings (doc, "/domain/devices/disk/source/@file") : NULL;

      for (guint j = 0; sources != NULL && sources[j] != NULL; j++)
        complete &= add_chain (set, sources[j]);
      virDomainFree (domains[i]);
    }
  free (domains);
  n = virDomainListAllSnapshots (domain, &snapshots, 0);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = g_strcmp0 (virDomainSnapshotGetName (snapshots[i]), skip) != 0
                             ? vmd_snapshot_xml (snapshots[i]) : NULL;
      g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;
      g_auto(GStrv) sources = doc != NULL ? vmd_xml_strings (doc, "/domainsnapshot/domain/devices/disk/source/@file") : NULL;

      for (guint j = 0; sources != NULL && sources[j] != NULL; j++)
        complete &= add_chain (set, sources[j]);
      virDomainSnapshotFree (snapshots[i]);
    }
  free (snapshots);
  virResetLastError ();
  return complete && n >= 0 ? g_steal_pointer (&set) : NULL;
}

/* The images among candidates that nothing needs any more go; after a revert or a delete, when
 * nothing can be undone, so a failure here only leaves a file behind. */
void
vmd_snapshot_remove_unused (virDomainPtr  domain,
                            GPtrArray    *candidates,
                            const char   *skip)
{
  g_autoptr(GHashTable) in_use = images_in_use (domain, skip);

  if (in_use == NULL)
    {
      g_warning ("The disk images of %s could not all be read: none is removed", virDomainGetName (domain));
      return;
    }
  for (guint i = 0; i < candidates->len; i++)
    {
      const char *path = candidates->pdata[i];

      if (!g_hash_table_contains (in_use, path) && g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
          g_unlink (path) != 0)
        g_warning ("Could not remove %s: %s", path, g_strerror (errno));
    }
}

