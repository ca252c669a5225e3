/* External snapshots of UEFI machines on libvirt before 10.10 (see the header). A snapshot's
 * own XML says everything needed afterwards: its <disks> name the overlays libvirt made, its
 * <domain> the images they were made on (the snapshot's frozen state), its <memory> the saved
 * memory; the NVRAM copy lies beside the first overlay under a name made from the machine's and
 * the snapshot's, so no second record can disagree with libvirt's. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-domain-xml.h"
#include "vmd-error.h"
#include "vmd-snapshot-external.h"
#include "vmd-snapshot-steps.h"
#include "vmd-xml.h"

/* name is read before the call that failed: every libvirt call, virDomainGetName too, clears
 * the last error. */
static gboolean
libvirt_failed (GError    **error,
                const char *format,
                const char *name)
{
  return vmd_error_libvirt_failed (error, format, name);
}

gboolean
vmd_snapshot_external_needed (virDomainPtr domain)
{
  unsigned long version = 0;

  return virConnectGetLibVersion (virDomainGetConnect (domain), &version) != 0 ||
         version < VMD_SNAPSHOT_LIBVIRT_UEFI_VERSION;
}

gboolean
vmd_snapshot_external_is_external (const char *snapshot_xml)
{
  g_autoptr(VmdXml) doc = vmd_xml_parse (snapshot_xml, NULL);

  return doc != NULL &&
         (vmd_xml_exists (doc, NULL, "/domainsnapshot/disks/disk[@snapshot='external']") ||
          vmd_xml_exists (doc, NULL, "/domainsnapshot/memory[@snapshot='external']"));
}

/* --- XML ---------------------------------------------------------------------------------------- */

/* Where the machine's UEFI variables live: named in its XML once libvirt has chosen the
 * firmware, else where libvirt puts them at the first start. */
static char *
nvram_path (virDomainPtr domain)
{
  g_autofree char *xml = vmd_snapshot_domain_xml (domain, virDomainIsActive (domain) == 1);
  g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;
  g_autofree char *path = doc != NULL ? vmd_xml_string (doc, NULL, "/domain/os/nvram") : NULL;
  g_autofree char *uri = NULL;
  g_autofree char *file = NULL;

  if (path != NULL && *path != '\0')
    return g_steal_pointer (&path);
  uri = vmd_snapshot_dup_string (virConnectGetURI (virDomainGetConnect (domain)));
  file = g_strdup_printf ("%s_VARS.fd", virDomainGetName (domain));
  if (uri != NULL && g_str_has_suffix (uri, "/session"))
    return g_build_filename (g_get_user_config_dir (), "libvirt", "qemu", "nvram", file, NULL);
  return g_build_filename ("/var/lib/libvirt/qemu/nvram", file, NULL);
}

/* The NVRAM copy of the snapshot whose XML is doc: beside its first overlay. */
static char *
nvram_copy_path (virDomainPtr  domain,
                 VmdXml       *doc)
{
  g_autofree char *overlay = vmd_xml_string (doc, NULL, "/domainsnapshot/disks/disk[@snapshot='external']/source/@file");
  g_autofree char *name = vmd_xml_string (doc, NULL, "/domainsnapshot/name");
  g_autofree char *dir = NULL;
  g_autofree char *machine = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *file = NULL;

  if (overlay == NULL || name == NULL)
    return NULL;
  dir = g_path_get_dirname (overlay);
  machine = vmd_snapshot_file_part (virDomainGetName (domain));
  snapshot = vmd_snapshot_file_part (name);
  file = g_strdup_printf ("%s-%s.nvram", machine, snapshot);
  return g_build_filename (dir, file, NULL);
}

/* --- taking one --------------------------------------------------------------------------------- */

/* The machine's writable file disks, as <disk> elements for <domainsnapshot><disks>: each an
 * overlay beside its image. */
static char *
disks_xml (virDomainPtr  domain,
           VmdXml       *doc,
           const char   *name,
           char        **first_dir,
           GError      **error)
{
  g_autoptr(GPtrArray) disks = vmd_xml_nodes (doc, NULL, "/domain/devices/disk[@device='disk' and not(readonly) and source/@file]");
  g_autofree char *machine = vmd_snapshot_file_part (virDomainGetName (domain));
  g_autofree char *snapshot = vmd_snapshot_file_part (name);
  GString *xml = g_string_new ("<disks>");

  for (guint i = 0; i < disks->len; i++)
    {
      g_autofree char *target = vmd_xml_string (doc, disks->pdata[i], "target/@dev");
      g_autofree char *source = vmd_xml_string (doc, disks->pdata[i], "source/@file");
      g_autofree char *dir = g_path_get_dirname (source);
      g_autofree char *file = g_strdup_printf ("%s-%s-%s.qcow2", machine, target, snapshot);
      g_autofree char *overlay = g_build_filename (dir, file, NULL);
      g_autofree char *disk = NULL;

      if (g_file_test (overlay, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS, _("“%s” is there already: choose another name for the snapshot."),
                       overlay);
          g_string_free (xml, TRUE);
          return NULL;
        }
      if (*first_dir == NULL)
        *first_dir = g_strdup (dir);
      disk = g_markup_printf_escaped ("<disk name='%s' snapshot='external'><driver type='qcow2'/>"
                                      "<source file='%s'/></disk>", target, overlay);
      g_string_append (xml, disk);
    }
  g_string_append (xml, "</disks>");
  return g_string_free (xml, FALSE);
}

static char *
create_xml (virDomainPtr  domain,
            const char   *name,
            const char   *description,
            gboolean      running,
            char        **nvram_copy,
            GError      **error)
{
  const char *machine = virDomainGetName (domain);
  g_autofree char *xml = vmd_snapshot_domain_xml (domain, running);
  g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, error) : NULL;
  g_autofree char *dir = NULL;
  g_autofree char *disks = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *head = NULL;
  g_autofree char *machine_part = vmd_snapshot_file_part (machine);
  g_autofree char *snapshot = vmd_snapshot_file_part (name);

  if (xml == NULL)
    return libvirt_failed (error, _("Could not read the definition of “%s”"), machine), NULL;
  if (doc == NULL || (disks = disks_xml (domain, doc, name, &dir, error)) == NULL)
    return NULL;
  if (dir == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE,
                   _("“%s” has no disk image to take a snapshot of."), virDomainGetName (domain));
      return NULL;
    }
  if (running)
    {
      g_autofree char *file = g_strdup_printf ("%s-%s.mem", machine_part, snapshot);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      memory = g_markup_printf_escaped ("<memory snapshot='external' file='%s'/>", path);
    }
  else
    memory = g_strdup ("<memory snapshot='no'/>");
  {
    g_autofree char *file = g_strdup_printf ("%s-%s.nvram", machine_part, snapshot);

    *nvram_copy = g_build_filename (dir, file, NULL);
  }
  head = g_markup_printf_escaped ("<domainsnapshot><name>%s</name><description>%s</description>", name,
                                  description != NULL ? description : "");
  return g_strconcat (head, memory, disks, "</domainsnapshot>", NULL);
}

/* A UEFI machine's snapshot: overlays on each disk (and its memory, when it runs) by libvirt,
 * then its NVRAM copied beside them. */
gboolean
vmd_snapshot_external_create (virDomainPtr  domain,
                              const char   *name,
                              const char   *description,
                              GError      **error)
{
  const char *machine = virDomainGetName (domain);
  gboolean running = virDomainIsActive (domain) == 1;
  g_autofree char *nvram_copy = NULL;
  g_autofree char *nvram = nvram_path (domain);
  g_autofree char *xml = NULL;
  g_autofree char *generated = NULL;
  virDomainSnapshotPtr snapshot;

  if (name == NULL)
    name = generated = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  if ((xml = create_xml (domain, name, description, running, &nvram_copy, error)) == NULL)
    return FALSE;
  snapshot = virDomainSnapshotCreateXML (domain, xml, running ? 0 : VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
  if (snapshot == NULL)
    return libvirt_failed (error, _("Could not take a snapshot of “%s”"), machine);
  virDomainSnapshotFree (snapshot);
  /* A machine never started has no variables yet: the snapshot then has no copy either. */
  if (g_file_test (nvram, G_FILE_TEST_EXISTS) && !vmd_snapshot_copy_file (nvram, nvram_copy, error))
    {
      snapshot = virDomainSnapshotLookupByName (domain, name, 0);
      if (snapshot != NULL)
        virDomainSnapshotDelete (snapshot, VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY);
      g_clear_pointer (&snapshot, virDomainSnapshotFree);
      g_prefix_error (error, _("Could not copy the UEFI variables of “%s”: "), virDomainGetName (domain));
      return FALSE;
    }
  return TRUE;
}

/* --- reverting ---------------------------------------------------------------------------------- */

typedef struct {
  char      *target;
  char      *image;     /* the snapshot's frozen image */
  char      *overlay;   /* the fresh one the machine goes on with */
  char      *old_top;   /* where the machine was */
} DiskRevert;

static void
disk_revert_free (DiskRevert *disk)
{
  g_free (disk->target);
  g_free (disk->image);
  g_free (disk->overlay);
  g_free (disk->old_top);
  g_free (disk);
}

/* Each disk the snapshot holds: its image then, the machine's disk now and a new overlay's name. */
static GPtrArray *
plan_disks (virDomainPtr  domain,
            VmdXml       *snapshot,
            VmdXml       *current,
            GError      **error)
{
  g_autoptr(GPtrArray) plan = g_ptr_array_new_with_free_func ((GDestroyNotify) disk_revert_free);
  g_auto(GStrv) targets = vmd_xml_strings (snapshot, "/domainsnapshot/disks/disk[@snapshot='external']/@name");
  g_autofree char *machine = vmd_snapshot_file_part (virDomainGetName (domain));

  for (guint i = 0; targets != NULL && targets[i] != NULL; i++)
    {
      DiskRevert *disk = g_new0 (DiskRevert, 1);
      g_autofree char *then_disk = vmd_disk_xpath_under ("/domainsnapshot/domain", targets[i]);
      g_autofree char *now_disk = vmd_disk_xpath (targets[i]);
      g_autofree char *xpath = g_strconcat (then_disk, "/source/@file", NULL);
      g_autofree char *now = g_strconcat (now_disk, "/source/@file", NULL);
      g_autofree char *dir = NULL;
      g_autofree char *file = NULL;

      g_ptr_array_add (plan, disk);
      disk->target = g_strdup (targets[i]);
      disk->image = vmd_xml_string (snapshot, NULL, xpath);
      disk->old_top = vmd_xml_string (current, NULL, now);
      if (disk->image == NULL || disk->old_top == NULL || !g_file_test (disk->image, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                       _("The image of disk %s in the snapshot is missing: it cannot be reverted to."), targets[i]);
          return NULL;
        }
      dir = g_path_get_dirname (disk->image);
      file = g_strdup_printf ("%s-%s-%" G_GINT64_FORMAT ".qcow2", machine, targets[i], g_get_real_time ());
      disk->overlay = g_build_filename (dir, file, NULL);
    }
  return g_steal_pointer (&plan);
}

static gboolean
make_overlay (VmdSnapshotRun *run,
              DiskRevert     *disk,
              GError        **error)
{
  const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", disk->image,
                         disk->overlay, NULL };
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, _("Could not make a new overlay on “%s”: %s"),
                   disk->image, g_strstrip (err));
      return FALSE;
    }
  vmd_snapshot_run_push_undo (run, vmd_snapshot_undo_unlink, g_strdup (disk->overlay), g_free);
  return TRUE;
}

typedef struct {
  virDomainPtr  domain;
  char         *xml;
} Redefine;

static void
redefine_free (Redefine *redefine)
{
  g_free (redefine->xml);
  g_free (redefine);
}

static void
undo_redefine (gpointer data)
{
  Redefine *redefine = data;
  virDomainPtr domain = virDomainDefineXML (virDomainGetConnect (redefine->domain), redefine->xml);

  g_clear_pointer (&domain, virDomainFree);
}

static void
undo_start (gpointer domain)
{
  virDomainCreate (domain);
}

static void
undo_destroy (gpointer domain)
{
  virDomainDestroy (domain);
}

static char *
point_disks (const char *xml,
             const char *root,
             GPtrArray  *plan,
             GError    **error)
{
  g_autofree char *result = g_strdup (xml);

  for (guint i = 0; i < plan->len; i++)
    {
      DiskRevert *disk = plan->pdata[i];
      g_autofree char *domain_path = g_strconcat ("/", root, NULL);
      g_autofree char *xpath = vmd_disk_xpath_under (domain_path, disk->target);
      g_autofree char *device = vmd_domain_xml_get_device (result, xpath, error);
      g_autofree char *changed = device != NULL ? vmd_disk_xml_set_source (device, disk->overlay, error) : NULL;
      char *next = changed != NULL ? vmd_domain_xml_replace_device (result, xpath, changed, error) : NULL;

      if (next == NULL)
        return NULL;
      g_free (result);
      result = next;
    }
  return g_steal_pointer (&result);
}

/* The persistent definition with each disk on its new overlay. */
static gboolean
redefine_disks (VmdSnapshotRun *run,
                const char     *current_xml,
                GPtrArray      *plan,
                GError        **error)
{
  g_autofree char *xml = point_disks (current_xml, "domain", plan, error);
  virDomainPtr defined;
  Redefine *redefine;

  if (xml == NULL)
    return FALSE;
  if ((defined = virDomainDefineXML (virDomainGetConnect (run->domain), xml)) == NULL)
    return libvirt_failed (error, _("Could not point the disks of “%s” at the snapshot"), run->machine);
  virDomainFree (defined);
  redefine = g_new0 (Redefine, 1);
  redefine->domain = run->domain;
  redefine->xml = g_strdup (current_xml);
  vmd_snapshot_run_push_undo (run, undo_redefine, redefine, (GDestroyNotify) redefine_free);
  return TRUE;
}

/* The machine's variables become the snapshot's; the ones it had are kept aside until the end. */
static gboolean
restore_nvram (VmdSnapshotRun *run,
               const char     *nvram,
               const char     *copy,
               GPtrArray      *to_remove,
               GError        **error)
{
  if (!vmd_snapshot_move_aside (run, nvram, to_remove, error))
    return FALSE;
  if (copy == NULL || !g_file_test (copy, G_FILE_TEST_EXISTS))
    return TRUE;   /* taken before the first start: libvirt makes them again from the template */
  if (!vmd_snapshot_copy_file (copy, nvram, error))
    return FALSE;
  vmd_snapshot_run_push_undo (run, vmd_snapshot_undo_unlink, g_strdup (nvram), g_free);
  return TRUE;
}

typedef struct {
  virDomainPtr  domain;
  char         *xml;    /* NULL: there was no current snapshot */
} Current;

static void
current_free (Current *current)
{
  g_free (current->xml);
  g_free (current);
}

static void
undo_current (gpointer data)
{
  Current *current = data;
  virDomainSnapshotPtr snapshot;

  if (current->xml == NULL)
    return;
  snapshot = virDomainSnapshotCreateXML (current->domain, current->xml,
                                         VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT);
  g_clear_pointer (&snapshot, virDomainSnapshotFree);
}

/* libvirt's idea of where the machine is, for the parent of the next snapshot. */
static gboolean
make_current (VmdSnapshotRun       *run,
              virDomainSnapshotPtr  snapshot,
              const char           *xml,
              GError              **error)
{
  virDomainSnapshotPtr before = virDomainSnapshotCurrent (run->domain, 0);
  Current *current = g_new0 (Current, 1);
  virDomainSnapshotPtr redefined;

  virResetLastError ();
  current->domain = run->domain;
  current->xml = before != NULL ? vmd_snapshot_xml (before) : NULL;
  g_clear_pointer (&before, virDomainSnapshotFree);
  redefined = virDomainSnapshotCreateXML (run->domain, xml,
                                          VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT);
  if (redefined == NULL)
    {
      current_free (current);
      return libvirt_failed (error, _("Could not mark the snapshot of “%s” as current"), run->machine);
    }
  virDomainSnapshotFree (redefined);
  vmd_snapshot_run_push_undo (run, undo_current, current, (GDestroyNotify) current_free);
  return TRUE;
}

/* The saved memory, with the snapshot's definition on the new overlays: the machine runs on
 * (or stays paused) where it was. */
static gboolean
restore_memory (VmdSnapshotRun *run,
                VmdXml         *snapshot,
                const char     *xml,
                GPtrArray      *plan,
                GError        **error)
{
  g_autofree char *memory = vmd_xml_string (snapshot, NULL, "/domainsnapshot/memory[@snapshot='external']/@file");
  g_autofree char *state = vmd_xml_string (snapshot, NULL, "/domainsnapshot/state");
  g_autofree char *domain = NULL;
  g_autofree char *pointed = NULL;

  if (memory == NULL)
    return TRUE;
  if ((domain = vmd_domain_xml_get_device (xml, "/domainsnapshot/domain", error)) == NULL ||
      (pointed = point_disks (domain, "domain", plan, error)) == NULL)
    return FALSE;
  if (virDomainRestoreFlags (virDomainGetConnect (run->domain), memory, pointed,
                             g_strcmp0 (state, "paused") == 0 ? VIR_DOMAIN_SAVE_PAUSED : VIR_DOMAIN_SAVE_RUNNING) != 0)
    return libvirt_failed (error, _("Could not bring back the memory of “%s”"), run->machine);
  vmd_snapshot_run_push_undo (run, undo_destroy, run->domain, NULL);
  return TRUE;
}

typedef struct {
  VmdXml      *snapshot;
  const char  *snapshot_xml;
  char        *current_xml;
  GPtrArray   *plan;
  char        *nvram;
  char        *nvram_copy;
  GPtrArray   *to_remove;
} Revert;

static gboolean
revert_steps (VmdSnapshotRun       *run,
              Revert               *revert,
              virDomainSnapshotPtr  snapshot,
              GError              **error)
{
  for (guint i = 0; i < revert->plan->len; i++)
    if (!vmd_snapshot_run_step (run, "overlay", error) || !make_overlay (run, revert->plan->pdata[i], error))
      return FALSE;
  if (!vmd_snapshot_run_step (run, "stop", error))
    return FALSE;
  if (virDomainIsActive (run->domain) == 1)
    {
      if (virDomainDestroy (run->domain) != 0)
        return libvirt_failed (error, _("Could not stop “%s”"), run->machine);
      vmd_snapshot_run_push_undo (run, undo_start, run->domain, NULL);
    }
  return vmd_snapshot_run_step (run, "definition", error) &&
         redefine_disks (run, revert->current_xml, revert->plan, error) &&
         vmd_snapshot_run_step (run, "nvram", error) &&
         restore_nvram (run, revert->nvram, revert->nvram_copy, revert->to_remove, error) &&
         vmd_snapshot_run_step (run, "current", error) &&
         make_current (run, snapshot, revert->snapshot_xml, error) &&
         vmd_snapshot_run_step (run, "memory", error) &&
         restore_memory (run, revert->snapshot, revert->snapshot_xml, revert->plan, error);
}

/* Reads what the revert needs before anything changes. */
static gboolean
revert_prepare (virDomainPtr  domain,
                const char   *xml,
                Revert       *revert,
                GError      **error)
{
  const char *machine = virDomainGetName (domain);

  if ((revert->snapshot = vmd_xml_parse (xml, error)) == NULL)
    return FALSE;
  revert->snapshot_xml = xml;
  if ((revert->current_xml = vmd_snapshot_domain_xml (domain, FALSE)) == NULL)
    return libvirt_failed (error, _("Could not read the definition of “%s”"), machine);
  {
    g_autoptr(VmdXml) current = vmd_xml_parse (revert->current_xml, error);

    if (current == NULL || (revert->plan = plan_disks (domain, revert->snapshot, current, error)) == NULL)
      return FALSE;
  }
  revert->nvram = nvram_path (domain);
  revert->nvram_copy = nvram_copy_path (domain, revert->snapshot);
  revert->to_remove = g_ptr_array_new_with_free_func (g_free);
  return TRUE;
}

static void
revert_clear (Revert *revert)
{
  g_clear_pointer (&revert->snapshot, vmd_xml_free);
  g_free (revert->current_xml);
  g_clear_pointer (&revert->plan, g_ptr_array_unref);
  g_free (revert->nvram);
  g_free (revert->nvram_copy);
  g_clear_pointer (&revert->to_remove, g_ptr_array_unref);
}

static GPtrArray *
old_tops (GPtrArray *plan)
{
  GPtrArray *tops = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < plan->len; i++)
    g_ptr_array_add (tops, g_strdup (((DiskRevert *) plan->pdata[i])->old_top));
  return tops;
}

/* Stops the machine, puts each disk on a fresh overlay on the snapshot's image, brings back its
 * NVRAM copy and, for a snapshot of a running machine, its memory. On a failure every step done
 * is undone; on success the images nothing needs any more (where the machine was) go. */
gboolean
vmd_snapshot_external_revert (virDomainPtr  domain,
                              const char   *name,
                              GError      **error)
{
  const char *machine = virDomainGetName (domain);
  virDomainSnapshotPtr snapshot = virDomainSnapshotLookupByName (domain, name, 0);
  g_autofree char *xml = NULL;
  Revert revert = { 0 };
  VmdSnapshotRun run;
  gboolean ok;

  if (snapshot == NULL)
    return libvirt_failed (error, _("“%s” has no such snapshot"), machine);
  xml = vmd_snapshot_xml (snapshot);
  ok = xml != NULL && revert_prepare (domain, xml, &revert, error);
  if (ok)
    {
      vmd_snapshot_run_init (&run, domain);
      ok = vmd_snapshot_run_end (&run, revert_steps (&run, &revert, snapshot, error));
    }
  if (ok)
    {
      g_autoptr(GPtrArray) tops = old_tops (revert.plan);

      for (guint i = 0; i < revert.to_remove->len; i++)
        g_unlink (revert.to_remove->pdata[i]);
      vmd_snapshot_remove_unused (domain, tops, NULL);
    }
  else if (revert.plan != NULL)
    g_prefix_error (error, _("“%s” is as it was before the revert: "), virDomainGetName (domain));
  revert_clear (&revert);
  virDomainSnapshotFree (snapshot);
  return ok;
}

/* --- deleting ----------------------------------------------------------------------------------- */

/* The snapshot's files that may go with it: its frozen images and its overlays, kept if
 * anything else needs them. */
static GPtrArray *
snapshot_images (VmdXml *doc)
{
  GPtrArray *images = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) frozen = vmd_xml_strings (doc, "/domainsnapshot/domain/devices/disk/source/@file");
  g_auto(GStrv) overlays = vmd_xml_strings (doc, "/domainsnapshot/disks/disk[@snapshot='external']/source/@file");

  for (guint i = 0; frozen != NULL && frozen[i] != NULL; i++)
    g_ptr_array_add (images, g_strdup (frozen[i]));
  for (guint i = 0; overlays != NULL && overlays[i] != NULL; i++)
    g_ptr_array_add (images, g_strdup (overlays[i]));
  return images;
}

/* A snapshot's record as libvirt holds it, to define it again. */
typedef struct {
  char     *xml;
  gboolean  current;
} Record;

static void
record_free (Record *record)
{
  g_free (record->xml);
  g_free (record);
}

static gboolean
define_record (virDomainPtr  domain,
               const char   *xml,
               gboolean      current)
{
  virDomainSnapshotPtr snapshot = virDomainSnapshotCreateXML (domain, xml,
                                                              VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                                                              (current ? VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT : 0));

  if (snapshot == NULL)
    return FALSE;
  virDomainSnapshotFree (snapshot);
  return TRUE;
}

/* The records of the snapshot being deleted (first) and of its children, as they were. */
typedef struct {
  virDomainPtr  domain;
  GPtrArray    *records;
} Records;

static void
records_free (Records *records)
{
  g_ptr_array_unref (records->records);
  g_free (records);
}

/* The deleted one first, so that its children's parent is there when they are defined again. */
static void
undo_records (gpointer data)
{
  Records *records = data;

  for (guint i = 0; i < records->records->len; i++)
    {
      Record *record = records->records->pdata[i];

      define_record (records->domain, record->xml, record->current);
    }
}

static Record *
read_record (virDomainSnapshotPtr snapshot)
{
  Record *record = g_new0 (Record, 1);

  record->xml = vmd_snapshot_xml (snapshot);
  record->current = virDomainSnapshotIsCurrent (snapshot, 0) == 1;
  return record;
}

static Records *
read_records (virDomainPtr          domain,
              virDomainSnapshotPtr  snapshot)
{
  Records *records = g_new0 (Records, 1);
  virDomainSnapshotPtr *children = NULL;
  int n = virDomainSnapshotListAllChildren (snapshot, &children, 0);

  records->domain = domain;
  records->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  g_ptr_array_add (records->records, read_record (snapshot));
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (records->records, read_record (children[i]));
      virDomainSnapshotFree (children[i]);
    }
  free (children);
  return records;
}

/* A child's record as it was, under the deleted one's parent (or none). */
static char *
with_parent (const char  *xml,
             const char  *parent,
             GError     **error)
{
  g_autofree char *element = NULL;

  if (parent == NULL)
    return vmd_domain_xml_remove_device (xml, "/domainsnapshot/parent", error);
  element = g_markup_printf_escaped ("<parent><name>%s</name></parent>", parent);
  return vmd_domain_xml_replace_device (xml, "/domainsnapshot/parent", element, error);
}

/* libvirt 9.0, dropping a parent's record, moves its children's <domain> onto the parent's
 * images as if they had been merged: a revert to a child would then bring back the parent's
 * state. Each child gets its own record back, under its new parent. */
static gboolean
restore_children (VmdSnapshotRun  *run,
                  Records         *records,
                  const char      *parent,
                  GError         **error)
{
  for (guint i = 1; i < records->records->len; i++)
    {
      Record *child = records->records->pdata[i];
      g_autofree char *xml = child->xml != NULL ? with_parent (child->xml, parent, error) : NULL;

      if (xml == NULL)
        return FALSE;
      if (!define_record (run->domain, xml, child->current))
        return libvirt_failed (error, _("Could not keep the snapshots taken on top of the one of “%s”"),
                               run->machine);
    }
  return TRUE;
}

/* libvirt's record of it, undone by defining it (and its children's) again. */
static gboolean
delete_record (VmdSnapshotRun        *run,
               virDomainSnapshotPtr   snapshot,
               Records               *records,
               GError               **error)
{
  if (virDomainSnapshotDelete (snapshot, VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) != 0)
    {
      records_free (records);
      return libvirt_failed (error, _("Could not delete the snapshot of “%s”"), run->machine);
    }
  vmd_snapshot_run_push_undo (run, undo_records, records, (GDestroyNotify) records_free);
  return TRUE;
}

/* Its memory and NVRAM copy aside, libvirt's record of it, its children's records as they were:
 * each undone if a later one fails. */
static gboolean
delete_steps (VmdSnapshotRun       *run,
              virDomainSnapshotPtr  snapshot,
              VmdXml               *doc,
              GPtrArray            *to_remove,
              GError              **error)
{
  g_autofree char *memory = vmd_xml_string (doc, NULL, "/domainsnapshot/memory[@snapshot='external']/@file");
  g_autofree char *nvram_copy = nvram_copy_path (run->domain, doc);
  g_autofree char *parent = vmd_xml_string (doc, NULL, "/domainsnapshot/parent/name");
  Records *records;

  if (!vmd_snapshot_run_step (run, "memory", error) ||
      (memory != NULL && !vmd_snapshot_move_aside (run, memory, to_remove, error)) ||
      !vmd_snapshot_run_step (run, "nvram", error) ||
      (nvram_copy != NULL && !vmd_snapshot_move_aside (run, nvram_copy, to_remove, error)) ||
      !vmd_snapshot_run_step (run, "metadata", error))
    return FALSE;
  records = read_records (run->domain, snapshot);
  return delete_record (run, snapshot, records, error) &&
         vmd_snapshot_run_step (run, "children", error) &&
         restore_children (run, records, parent, error);
}

/* The snapshot's record, memory and NVRAM copy go; of its images, those nothing else needs (the
 * machine's disks, another snapshot, another machine) go too; the others stay under what
 * needs them. */
gboolean
vmd_snapshot_external_delete (virDomainPtr  domain,
                              const char   *name,
                              GError      **error)
{
  const char *machine = virDomainGetName (domain);
  virDomainSnapshotPtr snapshot = virDomainSnapshotLookupByName (domain, name, 0);
  g_autofree char *xml = NULL;
  g_autoptr(VmdXml) doc = NULL;
  g_autoptr(GPtrArray) to_remove = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) images = NULL;
  VmdSnapshotRun run;
  gboolean ok;

  if (snapshot == NULL)
    return libvirt_failed (error, _("“%s” has no such snapshot"), machine);
  xml = vmd_snapshot_xml (snapshot);
  if (xml == NULL || (doc = vmd_xml_parse (xml, error)) == NULL)
    {
      virDomainSnapshotFree (snapshot);
      return xml != NULL || libvirt_failed (error, _("Could not read the snapshot of “%s”"), machine);
    }
  vmd_snapshot_run_init (&run, domain);
  ok = vmd_snapshot_run_end (&run, delete_steps (&run, snapshot, doc, to_remove, error));
  virDomainSnapshotFree (snapshot);
  if (!ok)
    {
      g_prefix_error (error, _("The snapshot of “%s” is kept as it was: "), virDomainGetName (domain));
      return FALSE;
    }
  for (guint i = 0; i < to_remove->len; i++)
    g_unlink (to_remove->pdata[i]);
  images = snapshot_images (doc);
  vmd_snapshot_remove_unused (domain, images, name);
  return TRUE;
}
