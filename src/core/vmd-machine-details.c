/* VmdMachineDetails: each change runs in a worker thread with raw libvirt calls. The persistent
 * definition is changed by redefining the domain's XML (so every driver, the test driver too,
 * takes it the same way); a running machine gets the live half through libvirt's device, memory
 * and vCPU calls. Then the new XML is read back, so the view shows what libvirt accepted.
 *
 * Another client may change the definition at any time: the model follows its machine's
 * definition-serial and reads the definition again. A form's change is applied onto the
 * definition libvirt holds at that moment, writing only the fields the user changed, and never
 * over a field changed elsewhere since the form was filled unless the user says so. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-machine-details.h"
#include "vmd-os-catalog.h"

struct _VmdMachineDetails
{
  GObject           parent_instance;

  VmdMachine       *machine;
  VmdMachineConfig *config;
  guint             generation;     /* bumped each time config is replaced */
  guint             n_running;      /* edits and reloads under way */
  gboolean          reload_wanted;  /* the definition changed while they ran */
};

G_DEFINE_FINAL_TYPE (VmdMachineDetails, vmd_machine_details, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum {
  EDIT_RELOAD,
  EDIT_RENAME,
  EDIT_TITLE,
  EDIT_AUTOSTART,
  EDIT_MEMORY,
  EDIT_VCPUS,
  EDIT_BOOT,
  EDIT_ADD_DISK,
  EDIT_REMOVE_DISK,
  EDIT_MEDIA,
  EDIT_ADD_NIC,
  EDIT_REMOVE_NIC,
  EDIT_LINK,
  EDIT_DEFINE,
  EDIT_SNAPSHOT_CREATE,
  EDIT_SNAPSHOT_REVERT,
  EDIT_SNAPSHOT_DELETE,
} EditKind;

/* The typed changes of the forms: what the form started from (unless has_base is FALSE: then
 * every field is written) and what the user left in it. Their strings are owned. */
typedef struct {
  gboolean        has_base;
  VmdTitleFields  base;
  VmdTitleFields  mine;
} TitleChange;

typedef struct {
  gboolean        has_base;
  VmdMemoryFields base;
  VmdMemoryFields mine;
} MemoryChange;

typedef struct {
  gboolean        has_base;
  VmdVcpuFields   base;
  VmdVcpuFields   mine;
} VcpuChange;

typedef struct {
  gboolean        has_base;
  VmdBootSettings base;
  VmdBootSettings mine;
} BootChange;

typedef struct {
  char           *base;             /* the definition the editor started from; NULL: no check */
  char           *mine;
} XmlChange;

/* One change and its parameters; owned by the worker's task. The forms' changes are typed; the
 * other kinds still share the generic fields (issue 13 gives each its own). */
typedef struct {
  EditKind           kind;
  virDomainPtr       handle;
  char              *machine_name;
  guint              generation;    /* of the model's config when the edit began */
  gboolean           overwrite;     /* VMD_EDIT_OVERWRITE */
  TitleChange        title;
  MemoryChange       memory;
  VcpuChange         vcpus;
  BootChange         boot;
  XmlChange          define;
  char              *name;          /* new name, snapshot name */
  char              *text;          /* media path, type of NIC, snapshot description */
  char              *text2;         /* source */
  char              *text3;         /* model */
  char              *target;        /* disk target or MAC */
  char              *delete_path;   /* volume to delete after removing its disk */
  gboolean           flag;
  VmdNewDisk         disk;          /* strings owned by the fields below */
  char              *disk_strings[5];
  char              *note;          /* result: what applies only at the next boot */
  VmdMachineConfig  *config;        /* result: read back after the change (or the conflict) */
} Edit;

void
vmd_vcpu_info_free (VmdVcpuInfo *info)
{
  g_free (info->state);
  g_free (info->affinity);
  g_free (info);
}

void
vmd_snapshot_info_free (VmdSnapshotInfo *info)
{
  g_free (info->name);
  g_free (info->description);
  g_free (info->state);
  g_free (info->parent);
  g_free (info);
}

/* The typed fields borrow their strings; a change owns copies, freed here. */
static void
title_fields_copy (VmdTitleFields       *to,
                   const VmdTitleFields *from)
{
  to->title = g_strdup (from->title);
  to->description = g_strdup (from->description);
}

static void
title_fields_clear (VmdTitleFields *fields)
{
  g_free ((char *) fields->title);
  g_free ((char *) fields->description);
}

static void
boot_settings_copy (VmdBootSettings       *to,
                    const VmdBootSettings *from)
{
  to->devices = (const char * const *) g_strdupv ((char **) from->devices);
  to->menu = from->menu;
  to->kernel = g_strdup (from->kernel);
  to->initrd = g_strdup (from->initrd);
  to->cmdline = g_strdup (from->cmdline);
}

static void
boot_settings_clear (VmdBootSettings *boot)
{
  g_strfreev ((char **) boot->devices);
  g_free ((char *) boot->kernel);
  g_free ((char *) boot->initrd);
  g_free ((char *) boot->cmdline);
}

static void
edit_free (Edit *edit)
{
  g_clear_pointer (&edit->handle, virDomainFree);
  g_free (edit->machine_name);
  title_fields_clear (&edit->title.base);
  title_fields_clear (&edit->title.mine);
  boot_settings_clear (&edit->boot.base);
  boot_settings_clear (&edit->boot.mine);
  g_free (edit->define.base);
  g_free (edit->define.mine);
  g_free (edit->name);
  g_free (edit->text);
  g_free (edit->text2);
  g_free (edit->text3);
  g_free (edit->target);
  g_free (edit->delete_path);
  for (guint i = 0; i < G_N_ELEMENTS (edit->disk_strings); i++)
    g_free (edit->disk_strings[i]);
  g_free (edit->note);
  g_clear_pointer (&edit->config, vmd_machine_config_unref);
  g_free (edit);
}

/* --- reading the definition ------------------------------------------------------------------ */

static char *
dup_libvirt_string (char *s)
{
  char *copy = g_strdup (s);

  free (s);
  return copy;
}

static char *
get_xml (virDomainPtr   handle,
         unsigned int   flags,
         const char    *machine_name,
         GError       **error)
{
  char *xml = virDomainGetXMLDesc (handle, flags);

  if (xml == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("Could not read the definition of “%s”"), machine_name);

      vmd_error_set_from_libvirt (error, what);
      return NULL;
    }
  return dup_libvirt_string (xml);
}

/* SECURE keeps passwords (graphics, iSCSI) in what we redefine. */
static char *
get_inactive_xml (Edit    *edit,
                  GError **error)
{
  return get_xml (edit->handle, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE, edit->machine_name, error);
}

static gboolean
is_active (Edit *edit)
{
  return virDomainIsActive (edit->handle) == 1;
}

static guint64
disk_capacity (virConnectPtr  conn,
               const char    *path)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);
  virStorageVolInfo info;
  GStatBuf st;
  guint64 capacity = 0;

  if (vol != NULL && virStorageVolGetInfo (vol, &info) == 0)
    capacity = info.capacity;
  else if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
    capacity = st.st_size;
  g_clear_pointer (&vol, virStorageVolFree);
  virResetLastError ();
  return capacity;
}

static VmdMachineConfig *
load_config (Edit    *edit,
             GError **error)
{
  g_autofree char *xml = get_inactive_xml (edit, error);
  g_autofree char *live_xml = NULL;
  VmdMachineConfig *config;
  int autostart = 0;

  if (xml == NULL)
    return NULL;
  if (is_active (edit) && (live_xml = get_xml (edit->handle, 0, edit->machine_name, error)) == NULL)
    return NULL;
  if ((config = vmd_machine_config_parse (xml, live_xml, error)) == NULL)
    return NULL;
  if (virDomainGetAutostart (edit->handle, &autostart) == 0)
    config->autostart = autostart != 0;
  virResetLastError ();
  for (guint i = 0; i < config->disks->len; i++)
    {
      VmdDiskInfo *disk = config->disks->pdata[i];

      if (disk->path != NULL && g_strcmp0 (disk->type, "network") != 0)
        disk->capacity = disk_capacity (virDomainGetConnect (edit->handle), disk->path);
    }
  return config;
}

/* --- applying: helpers -------------------------------------------------------------------------- */

static gboolean
libvirt_failed (Edit        *edit,
                const char  *format,
                GError     **error)
{
  g_autofree char *what = g_strdup_printf (format, edit->machine_name);

  vmd_error_set_from_libvirt (error, what);
  return FALSE;
}

/* virDomainDefineXML with a guard: the XML must describe this very domain, or libvirt would
 * quietly define a second machine beside it. */
static gboolean
redefine (Edit        *edit,
          const char  *xml,
          GError     **error)
{
  g_autoptr(VmdMachineConfig) parsed = vmd_machine_config_parse (xml, NULL, error);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  virDomainPtr defined;

  if (parsed == NULL)
    return FALSE;
  virDomainGetUUIDString (edit->handle, uuid);
  if (parsed->uuid == NULL || g_ascii_strcasecmp (parsed->uuid, uuid) != 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("The UUID must stay %s: a definition with another one would be a new machine"), uuid);
      return FALSE;
    }
  if (g_strcmp0 (parsed->name, virDomainGetName (edit->handle)) != 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("The name must stay “%s”: rename the machine on the Overview page while it is shut off"),
                   virDomainGetName (edit->handle));
      return FALSE;
    }
  defined = virDomainDefineXML (virDomainGetConnect (edit->handle), xml);
  if (defined == NULL)
    return libvirt_failed (edit, _("libvirt did not accept the new definition of “%s”"), error);
  virDomainFree (defined);
  return TRUE;
}

static void
add_note (Edit       *edit,
          const char *sentence)
{
  char *joined = edit->note != NULL ? g_strdup_printf ("%s %s", edit->note, sentence) : g_strdup (sentence);

  g_free (edit->note);
  edit->note = joined;
}

/* A live change that failed leaves the persistent one: say so, with libvirt's reason. */
static void
note_live_failure (Edit       *edit,
                   const char *what)
{
  const char *message = virGetLastErrorMessage ();
  g_autofree char *sentence = g_strdup_printf (_("%s applies at the next boot: the running machine "
                                                 "did not take it (%s)."), what, message);

  add_note (edit, sentence);
  virResetLastError ();
}

/* Changes one device: through libvirt's device call when running (live and persistent at once),
 * or by editing the persistent XML when off. */
typedef enum { DEVICE_ATTACH, DEVICE_DETACH, DEVICE_UPDATE } DeviceOp;

static gboolean
change_device (Edit        *edit,
               DeviceOp     op,
               const char  *xpath,
               const char  *device_xml,
               GError     **error)
{
  unsigned int flags = VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG;
  g_autofree char *xml = NULL;
  g_autofree char *new_xml = NULL;
  int rc;

  if (is_active (edit))
    {
      rc = op == DEVICE_ATTACH ? virDomainAttachDeviceFlags (edit->handle, device_xml, flags) :
           op == DEVICE_DETACH ? virDomainDetachDeviceFlags (edit->handle, device_xml, flags) :
                                 virDomainUpdateDeviceFlags (edit->handle, device_xml, flags);
      return rc == 0 || libvirt_failed (edit, _("Could not change a device of “%s”"), error);
    }
  if ((xml = get_inactive_xml (edit, error)) == NULL)
    return FALSE;
  new_xml = op == DEVICE_ATTACH ? vmd_domain_xml_add_device (xml, device_xml, error) :
            op == DEVICE_DETACH ? vmd_domain_xml_remove_device (xml, xpath, error) :
                                  vmd_domain_xml_replace_device (xml, xpath, device_xml, error);
  return new_xml != NULL && redefine (edit, new_xml, error);
}

/* The device as it is now: from the live XML when running (it has the alias libvirt matches). */
static char *
current_device_xml (Edit        *edit,
                    const char  *xpath,
                    GError     **error)
{
  g_autofree char *xml = is_active (edit) ? get_xml (edit->handle, 0, edit->machine_name, error)
                                          : get_inactive_xml (edit, error);

  return xml != NULL ? vmd_domain_xml_get_device (xml, xpath, error) : NULL;
}

/* --- applying: overview, memory, vCPUs, boot ----------------------------------------------------- */

static gboolean
apply_rename (Edit    *edit,
              GError **error)
{
  if (edit->name == NULL || *g_strstrip (edit->name) == '\0')
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("The name cannot be empty"));
      return FALSE;
    }
  if (virDomainRename (edit->handle, edit->name, 0) < 0)
    return libvirt_failed (edit, _("Could not rename “%s”"), error);
  g_free (edit->machine_name);
  edit->machine_name = g_strdup (edit->name);
  return TRUE;
}

/* The persistent definition as libvirt holds it now, read and parsed: a form's change goes onto
 * it, not onto the copy the form was filled from. */
static VmdMachineConfig *
read_current (Edit    *edit,
              char   **xml,
              GError **error)
{
  VmdMachineConfig *current;

  if ((*xml = get_inactive_xml (edit, error)) == NULL)
    return NULL;
  if ((current = vmd_machine_config_parse (*xml, NULL, error)) == NULL)
    g_clear_pointer (xml, g_free);
  return current;
}

static gboolean
apply_title (Edit    *edit,
             GError **error)
{
  g_autofree char *xml = NULL;
  g_autofree char *new_xml = NULL;
  g_autoptr(VmdMachineConfig) current = read_current (edit, &xml, error);
  VmdTitleFields now, merged;

  if (current == NULL)
    return FALSE;
  now = vmd_title_fields_of (current);
  if (!vmd_title_fields_merge (edit->title.has_base ? &edit->title.base : NULL, &edit->title.mine, &now,
                               edit->overwrite, &merged, error) ||
      (new_xml = vmd_domain_xml_set_title (xml, merged.title, merged.description, error)) == NULL ||
      !redefine (edit, new_xml, error))
    return FALSE;
  if (is_active (edit))
    {
      const char *title = merged.title != NULL && *merged.title != '\0' ? merged.title : NULL;
      const char *description = merged.description != NULL && *merged.description != '\0'
                                  ? merged.description : NULL;

      if (virDomainSetMetadata (edit->handle, VIR_DOMAIN_METADATA_TITLE, title, NULL, NULL,
                                VIR_DOMAIN_AFFECT_LIVE) < 0 ||
          virDomainSetMetadata (edit->handle, VIR_DOMAIN_METADATA_DESCRIPTION, description, NULL, NULL,
                                VIR_DOMAIN_AFFECT_LIVE) < 0)
        note_live_failure (edit, _("The new title"));
    }
  return TRUE;
}

static gboolean
apply_autostart (Edit    *edit,
                 GError **error)
{
  if (virDomainSetAutostart (edit->handle, edit->flag ? 1 : 0) < 0)
    return libvirt_failed (edit, _("Could not change whether “%s” starts with the host"), error);
  return TRUE;
}

/* The running machine's balloon follows, within its maximum. */
static void
apply_memory_live (Edit                  *edit,
                   const VmdMemoryFields *memory)
{
  virDomainInfo info;

  if (!is_active (edit) || virDomainGetInfo (edit->handle, &info) < 0)
    return;
  if (info.maxMem != memory->max_kib)
    add_note (edit, _("The new maximum memory applies at the next boot."));
  if (memory->current_kib > info.maxMem)
    add_note (edit, _("The running machine keeps its memory: the new amount is above its maximum."));
  else if (info.memory != memory->current_kib &&
           virDomainSetMemoryFlags (edit->handle, memory->current_kib, VIR_DOMAIN_AFFECT_LIVE) < 0)
    note_live_failure (edit, _("The new memory size"));
}

static gboolean
apply_memory (Edit    *edit,
              GError **error)
{
  g_autofree char *xml = NULL;
  g_autofree char *new_xml = NULL;
  g_autoptr(VmdMachineConfig) current = read_current (edit, &xml, error);
  VmdMemoryFields now, merged;

  if (current == NULL)
    return FALSE;
  now = vmd_memory_fields_of (current);
  if (!vmd_memory_fields_merge (edit->memory.has_base ? &edit->memory.base : NULL, &edit->memory.mine, &now,
                                edit->overwrite, &merged, error) ||
      (new_xml = vmd_domain_xml_set_memory (xml, merged.max_kib, merged.current_kib, error)) == NULL ||
      !redefine (edit, new_xml, error))
    return FALSE;
  apply_memory_live (edit, &merged);
  return TRUE;
}

/* vCPUs hot-plugged up to the running maximum; the rest waits for the next boot, and says so. */
static void
apply_vcpus_live (Edit                *edit,
                  const VmdVcpuFields *vcpus)
{
  int live_max, live_current;

  if (!is_active (edit))
    return;
  live_max = virDomainGetVcpusFlags (edit->handle, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM);
  live_current = virDomainGetVcpusFlags (edit->handle, VIR_DOMAIN_AFFECT_LIVE);
  virResetLastError ();
  if (live_max >= 0 && (guint) live_max != vcpus->max)
    add_note (edit, _("The new maximum number of vCPUs applies at the next boot."));
  if (live_current < 0 || (guint) live_current == vcpus->current)
    return;
  if (live_max >= 0 && vcpus->current > (guint) live_max)
    add_note (edit, _("The running machine keeps its vCPUs: the new number is above its maximum."));
  else if (virDomainSetVcpusFlags (edit->handle, vcpus->current, VIR_DOMAIN_AFFECT_LIVE) < 0)
    note_live_failure (edit, _("The new number of vCPUs"));
}

static gboolean
apply_vcpus (Edit    *edit,
             GError **error)
{
  g_autofree char *xml = NULL;
  g_autofree char *new_xml = NULL;
  g_autoptr(VmdMachineConfig) current = read_current (edit, &xml, error);
  VmdVcpuFields now, merged;

  if (current == NULL)
    return FALSE;
  now = vmd_vcpu_fields_of (current);
  if (!vmd_vcpu_fields_merge (edit->vcpus.has_base ? &edit->vcpus.base : NULL, &edit->vcpus.mine, &now,
                              edit->overwrite, &merged, error) ||
      (new_xml = vmd_domain_xml_set_vcpus (xml, merged.max, merged.current, error)) == NULL ||
      !redefine (edit, new_xml, error))
    return FALSE;
  apply_vcpus_live (edit, &merged);
  return TRUE;
}

static gboolean
apply_boot (Edit    *edit,
            GError **error)
{
  g_autofree char *xml = NULL;
  g_autofree char *new_xml = NULL;
  g_autoptr(VmdMachineConfig) current = read_current (edit, &xml, error);
  VmdBootSettings now, merged;

  if (current == NULL)
    return FALSE;
  now = vmd_boot_settings_of (current);
  if (!vmd_boot_settings_merge (edit->boot.has_base ? &edit->boot.base : NULL, &edit->boot.mine, &now,
                                edit->overwrite, &merged, error) ||
      (new_xml = vmd_domain_xml_set_boot (xml, &merged, error)) == NULL ||
      !redefine (edit, new_xml, error))
    return FALSE;
  if (is_active (edit))
    add_note (edit, _("The boot settings apply at the next boot."));
  return TRUE;
}

/* The editor's whole document replaces the definition, so it must have been written from the
 * definition libvirt holds now: else it would silently undo what another client changed. */
static gboolean
apply_define (Edit    *edit,
              GError **error)
{
  g_autofree char *current = NULL;

  if (edit->define.base != NULL)
    {
      if ((current = get_inactive_xml (edit, error)) == NULL)
        return FALSE;
      if (!g_str_equal (current, edit->define.base))
        {
          g_set_error_literal (error, VMD_ERROR, VMD_ERROR_CONFLICT,
                               _("The definition was changed elsewhere since you opened it"));
          return FALSE;
        }
    }
  return redefine (edit, edit->define.mine, error);
}

/* --- applying: disks and CDs ------------------------------------------------------------------- */

static const char *
guess_format (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  char magic[4] = { 0, };

  if (stream != NULL &&
      g_input_stream_read (G_INPUT_STREAM (stream), magic, sizeof magic, NULL, NULL) == sizeof magic &&
      memcmp (magic, "QFI\xfb", 4) == 0)
    return "qcow2";
  if (stream == NULL && g_str_has_suffix (path, ".qcow2"))
    return "qcow2";
  return "raw";
}

static char *
create_volume (Edit        *edit,
               const char  *target,
               GError     **error)
{
  virConnectPtr conn = virDomainGetConnect (edit->handle);
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, edit->disk.pool);
  g_autofree char *vol_name = edit->disk.volume_name != NULL ? g_strdup (edit->disk.volume_name)
                                                             : g_strdup_printf ("%s-%s.qcow2", edit->machine_name, target);
  g_autofree char *vol_xml = g_markup_printf_escaped (
    "<volume><name>%s</name><capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>"
    "<target><format type='qcow2'/></target></volume>", vol_name, edit->disk.capacity);
  virStorageVolPtr vol = NULL;
  char *path = NULL;

  if (pool != NULL)
    {
      virStoragePoolRefresh (pool, 0);
      vol = virStorageVolCreateXML (pool, vol_xml, 0);
    }
  if (vol == NULL || (path = virStorageVolGetPath (vol)) == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("Could not create the volume “%s” in pool “%s”"),
                                               vol_name, edit->disk.pool);

      vmd_error_set_from_libvirt (error, what);
    }
  g_clear_pointer (&vol, virStorageVolFree);
  g_clear_pointer (&pool, virStoragePoolFree);
  return path != NULL ? dup_libvirt_string (path) : NULL;
}

static void
delete_volume (virConnectPtr  conn,
               const char    *path,
               GError       **error)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);

  if (vol == NULL || virStorageVolDelete (vol, 0) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("The disk was removed, but its volume %s was not deleted"), path);

      vmd_error_set_from_libvirt (error, what);
    }
  g_clear_pointer (&vol, virStorageVolFree);
}

static char *
disk_device_xml (const char *device,
                 const char *bus,
                 const char *target,
                 const char *path)
{
  gboolean cdrom = g_strcmp0 (device, "cdrom") == 0;
  g_autofree char *head = g_markup_printf_escaped ("<disk type='file' device='%s'><driver name='qemu' type='%s'/>",
                                                   device, cdrom || path == NULL ? "raw" : guess_format (path));
  g_autofree char *source = path != NULL ? g_markup_printf_escaped ("<source file='%s'/>", path)
                                         : g_strdup ("");
  g_autofree char *tail = g_markup_printf_escaped ("<target dev='%s' bus='%s'/>", target, bus);

  /* Pieces escaped one by one: g_markup_printf_escaped would escape a whole element too. */
  return g_strconcat (head, source, tail, cdrom ? "<readonly/>" : "", "</disk>", NULL);
}

static gboolean
apply_add_disk (Edit    *edit,
                GError **error)
{
  g_autoptr(VmdMachineConfig) config = load_config (edit, error);
  gboolean cdrom = g_strcmp0 (edit->disk.device, "cdrom") == 0;
  const char *bus = edit->disk.bus != NULL ? edit->disk.bus : cdrom ? "sata" : "virtio";
  g_autofree char *target = NULL;
  g_autofree char *path = g_strdup (edit->disk.path);
  g_autofree char *device_xml = NULL;

  if (config == NULL)
    return FALSE;
  if ((target = vmd_machine_config_next_target (config, bus)) == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NO_SPACE, _("The %s bus has no free place for a disk"), bus);
      return FALSE;
    }
  if (path == NULL && !cdrom && (path = create_volume (edit, target, error)) == NULL)
    return FALSE;
  device_xml = disk_device_xml (cdrom ? "cdrom" : "disk", bus, target, path);
  if (change_device (edit, DEVICE_ATTACH, NULL, device_xml, error))
    return TRUE;
  /* The volume we made for it would be left with no machine. */
  if (edit->disk.path == NULL && path != NULL)
    delete_volume (virDomainGetConnect (edit->handle), path, NULL);
  return FALSE;
}

static gboolean
apply_remove_disk (Edit    *edit,
                   GError **error)
{
  g_autofree char *xpath = vmd_disk_xpath (edit->target);
  g_autofree char *device_xml = current_device_xml (edit, xpath, error);

  if (device_xml == NULL || !change_device (edit, DEVICE_DETACH, xpath, device_xml, error))
    return FALSE;
  if (edit->delete_path != NULL)
    {
      g_autoptr(GError) volume_error = NULL;

      delete_volume (virDomainGetConnect (edit->handle), edit->delete_path, &volume_error);
      if (volume_error != NULL)
        add_note (edit, volume_error->message);
    }
  return TRUE;
}

static gboolean
apply_media (Edit    *edit,
             GError **error)
{
  g_autofree char *xpath = vmd_disk_xpath (edit->target);
  g_autofree char *device_xml = current_device_xml (edit, xpath, error);
  g_autofree char *new_device = NULL;

  if (device_xml == NULL)
    return FALSE;
  if (strstr (device_xml, "device=\"cdrom\"") == NULL && strstr (device_xml, "device=\"floppy\"") == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("%s is not a CD or floppy drive: its medium cannot be changed"), edit->target);
      return FALSE;
    }
  new_device = vmd_disk_xml_set_source (device_xml, edit->text, error);
  return new_device != NULL && change_device (edit, DEVICE_UPDATE, xpath, new_device, error);
}

/* --- applying: network interfaces ---------------------------------------------------------------- */

static gboolean
apply_add_nic (Edit    *edit,
               GError **error)
{
  const char *type = edit->text;
  g_autofree char *source = NULL;
  g_autofree char *model = edit->text3 != NULL ? g_markup_printf_escaped ("<model type='%s'/>", edit->text3)
                                               : g_strdup ("");
  g_autofree char *device_xml = NULL;
  g_autofree char *opening = NULL;

  if (g_strcmp0 (type, "network") == 0 || g_strcmp0 (type, "bridge") == 0)
    {
      if (edit->text2 == NULL || *edit->text2 == '\0')
        {
          g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                               _("Choose the network or bridge the interface connects to"));
          return FALSE;
        }
      source = g_markup_printf_escaped ("<source %s='%s'/>", type, edit->text2);
    }
  else if (g_strcmp0 (type, "user") == 0)
    source = g_strdup ("");
  else
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("Unknown interface type “%s”"), type);
      return FALSE;
    }
  opening = g_markup_printf_escaped ("<interface type='%s'>", type);
  device_xml = g_strconcat (opening, source, model, "</interface>", NULL);
  return change_device (edit, DEVICE_ATTACH, NULL, device_xml, error);
}

static gboolean
apply_remove_nic (Edit    *edit,
                  GError **error)
{
  g_autofree char *xpath = vmd_nic_xpath (edit->target);
  g_autofree char *device_xml = current_device_xml (edit, xpath, error);

  return device_xml != NULL && change_device (edit, DEVICE_DETACH, xpath, device_xml, error);
}

static gboolean
apply_link (Edit    *edit,
            GError **error)
{
  g_autofree char *xpath = vmd_nic_xpath (edit->target);
  g_autofree char *device_xml = current_device_xml (edit, xpath, error);
  g_autofree char *new_device = NULL;

  if (device_xml == NULL || (new_device = vmd_nic_xml_set_link (device_xml, edit->flag, error)) == NULL)
    return FALSE;
  return change_device (edit, DEVICE_UPDATE, xpath, new_device, error);
}

/* --- applying: snapshots ---------------------------------------------------------------------- */

static virDomainSnapshotPtr
lookup_snapshot (Edit    *edit,
                 GError **error)
{
  virDomainSnapshotPtr snapshot = virDomainSnapshotLookupByName (edit->handle, edit->name, 0);

  if (snapshot == NULL)
    libvirt_failed (edit, _("“%s” has no such snapshot"), error);
  return snapshot;
}

static gboolean
apply_snapshot_create (Edit    *edit,
                       GError **error)
{
  g_autoptr(VmdMachineConfig) config = load_config (edit, error);
  g_autofree char *reason = NULL;
  g_autoptr(GString) xml = NULL;
  virDomainSnapshotPtr snapshot;

  if (config == NULL)
    return FALSE;
  if (!vmd_machine_config_can_snapshot (config, &reason))
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE, reason);
      return FALSE;
    }
  /* No <memory> element: libvirt's default takes the memory of a running machine (internal
   * snapshot, as virsh snapshot-create-as) and only the disks of one that is off. */
  xml = g_string_new ("<domainsnapshot>");
  if (edit->name != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (edit->name, -1);

      g_string_append_printf (xml, "<name>%s</name>", escaped);
    }
  if (edit->text != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (edit->text, -1);

      g_string_append_printf (xml, "<description>%s</description>", escaped);
    }
  g_string_append (xml, "</domainsnapshot>");
  snapshot = virDomainSnapshotCreateXML (edit->handle, xml->str, 0);
  if (snapshot == NULL)
    return libvirt_failed (edit, _("Could not take a snapshot of “%s”"), error);
  virDomainSnapshotFree (snapshot);
  return TRUE;
}

static gboolean
apply_snapshot_revert (Edit    *edit,
                       GError **error)
{
  virDomainSnapshotPtr snapshot = lookup_snapshot (edit, error);
  int rc;

  if (snapshot == NULL)
    return FALSE;
  rc = virDomainRevertToSnapshot (snapshot, 0);
  virDomainSnapshotFree (snapshot);
  return rc == 0 || libvirt_failed (edit, _("Could not revert “%s” to the snapshot"), error);
}

static gboolean
apply_snapshot_delete (Edit    *edit,
                       GError **error)
{
  virDomainSnapshotPtr snapshot = lookup_snapshot (edit, error);
  int rc;

  if (snapshot == NULL)
    return FALSE;
  rc = virDomainSnapshotDelete (snapshot, 0);
  virDomainSnapshotFree (snapshot);
  return rc == 0 || libvirt_failed (edit, _("Could not delete the snapshot of “%s”"), error);
}

/* --- the task ------------------------------------------------------------------------------ */

static gboolean
apply (Edit    *edit,
       GError **error)
{
  switch (edit->kind)
    {
    case EDIT_RELOAD:          return TRUE;
    case EDIT_RENAME:          return apply_rename (edit, error);
    case EDIT_TITLE:           return apply_title (edit, error);
    case EDIT_AUTOSTART:       return apply_autostart (edit, error);
    case EDIT_MEMORY:          return apply_memory (edit, error);
    case EDIT_VCPUS:           return apply_vcpus (edit, error);
    case EDIT_BOOT:            return apply_boot (edit, error);
    case EDIT_ADD_DISK:        return apply_add_disk (edit, error);
    case EDIT_REMOVE_DISK:     return apply_remove_disk (edit, error);
    case EDIT_MEDIA:           return apply_media (edit, error);
    case EDIT_ADD_NIC:         return apply_add_nic (edit, error);
    case EDIT_REMOVE_NIC:      return apply_remove_nic (edit, error);
    case EDIT_LINK:            return apply_link (edit, error);
    case EDIT_DEFINE:          return apply_define (edit, error);
    case EDIT_SNAPSHOT_CREATE: return apply_snapshot_create (edit, error);
    case EDIT_SNAPSHOT_REVERT: return apply_snapshot_revert (edit, error);
    case EDIT_SNAPSHOT_DELETE: return apply_snapshot_delete (edit, error);
    default:                   g_return_val_if_reached (FALSE);
    }
}

static void
edit_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Edit *edit = task_data;
  GError *error = NULL;

  if (!apply (edit, &error))
    {
      /* Changed elsewhere: the caller gets what libvirt holds now, to show beside its own. */
      if (g_error_matches (error, VMD_ERROR, VMD_ERROR_CONFLICT))
        edit->config = load_config (edit, NULL);
      g_task_return_error (task, error);
    }
  else if ((edit->config = load_config (edit, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_os_catalog_loaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data);

/* libosinfo's name for the OS in the metadata: the catalog loads once, off the main loop. */
static void
fill_os_name (VmdMachineDetails *self)
{
  VmdOsCatalog *catalog = vmd_os_catalog_get_default ();
  OsinfoOs *os;

  if (self->config == NULL || self->config->os_id == NULL || self->config->os_name != NULL)
    return;
  if (!vmd_os_catalog_is_loaded (catalog))
    {
      vmd_os_catalog_load_async (catalog, NULL, on_os_catalog_loaded, g_object_ref (self));
      return;
    }
  os = osinfo_db_get_os (vmd_os_catalog_get_db (catalog), self->config->os_id);
  self->config->os_name = g_strdup (os != NULL ? osinfo_product_get_name (OSINFO_PRODUCT (os))
                                               : self->config->os_id);
}

static void
on_os_catalog_loaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(VmdMachineDetails) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_os_catalog_load_finish (VMD_OS_CATALOG (source), result, &error))
    {
      g_debug ("libosinfo: %s", error->message);
      return;
    }
  if (self->config != NULL && self->config->os_name == NULL)
    {
      fill_os_name (self);
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

/* Takes config. */
static void
set_config (VmdMachineDetails *self,
            VmdMachineConfig  *config)
{
  g_clear_pointer (&self->config, vmd_machine_config_unref);
  self->config = config;
  self->generation++;
  fill_os_name (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void start_followed_reload (VmdMachineDetails *self);

/* One read at a time after the definition changed, and none while an edit runs: the edit reads
 * the definition back itself, and a read made halfway through it would show half of it. */
static void
maybe_reload (VmdMachineDetails *self)
{
  if (!self->reload_wanted || self->n_running > 0)
    return;
  self->reload_wanted = FALSE;
  start_followed_reload (self);
}

static void
on_followed_reload_done (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  VmdMachineDetails *self = VMD_MACHINE_DETAILS (source);
  Edit *edit = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->n_running--;
  /* A machine deleted meanwhile has nothing to read: its window follows the list, not this. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_debug ("%s: %s", vmd_machine_get_name (self->machine), error->message);
  else if (edit->generation != self->generation)
    self->reload_wanted = TRUE;   /* an edit read it meanwhile: this read may be older */
  else if (self->config == NULL || !vmd_machine_config_same_definition (self->config, edit->config))
    set_config (self, g_steal_pointer (&edit->config));
  maybe_reload (self);
}

static void
on_definition_changed (VmdMachine        *machine,
                       GParamSpec        *pspec,
                       VmdMachineDetails *self)
{
  self->reload_wanted = TRUE;
  maybe_reload (self);
}

static void
on_edit_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  VmdMachineDetails *self = VMD_MACHINE_DETAILS (source);
  g_autoptr(GTask) outer = user_data;
  Edit *edit = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  self->n_running--;
  /* A conflict comes with the definition that caused it, for the caller to show. */
  if (edit->config != NULL)
    set_config (self, g_steal_pointer (&edit->config));
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (outer, error);
  else
    {
      g_task_set_task_data (outer, g_steal_pointer (&edit->note), g_free);
      g_task_return_boolean (outer, TRUE);
    }
  maybe_reload (self);
}

static Edit *
edit_new (VmdMachineDetails *self,
          EditKind           kind)
{
  Edit *edit = g_new0 (Edit, 1);

  edit->kind = kind;
  g_object_get (vmd_machine_get_domain (self->machine), "handle", &edit->handle, NULL);
  edit->machine_name = g_strdup (vmd_machine_get_name (self->machine));
  edit->generation = self->generation;
  return edit;
}

static void
start_followed_reload (VmdMachineDetails *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_followed_reload_done, NULL);

  self->n_running++;
  g_task_set_source_tag (task, start_followed_reload);
  g_task_set_task_data (task, edit_new (self, EDIT_RELOAD), (GDestroyNotify) edit_free);
  g_task_run_in_thread (task, edit_in_thread);
}

/* The worker reports to on_edit_done, which updates the config and emits "changed" before the
 * caller's callback runs: the caller then reads the new config. */
static void
run_edit (VmdMachineDetails   *self,
          Edit                *edit,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = g_task_new (self, cancellable, on_edit_done, outer);

  g_task_set_source_tag (outer, source_tag);
  g_task_set_task_data (inner, edit, (GDestroyNotify) edit_free);
  self->n_running++;
  g_task_run_in_thread (inner, edit_in_thread);
}

gboolean
vmd_machine_details_edit_finish (VmdMachineDetails  *self,
                                 GAsyncResult       *result,
                                 char              **note,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (note != NULL)
    *note = g_strdup (g_task_get_task_data (G_TASK (result)));
  return TRUE;
}

void
vmd_machine_details_reload_async (VmdMachineDetails   *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE_DETAILS (self));
  run_edit (self, edit_new (self, EDIT_RELOAD), vmd_machine_details_reload_async,
            cancellable, callback, user_data);
}

void
vmd_machine_details_rename_async (VmdMachineDetails   *self,
                                  const char          *new_name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_RENAME);

  edit->name = g_strdup (new_name);
  run_edit (self, edit, vmd_machine_details_rename_async, cancellable, callback, user_data);
}

/* base is what the form started from (NULL writes every field of mine); see VmdTitleFields. */
void
vmd_machine_details_set_title_async (VmdMachineDetails    *self,
                                     const VmdTitleFields *base,
                                     const VmdTitleFields *mine,
                                     VmdEditFlags          flags,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  Edit *edit = edit_new (self, EDIT_TITLE);

  edit->overwrite = (flags & VMD_EDIT_OVERWRITE) != 0;
  edit->title.has_base = base != NULL;
  if (base != NULL)
    title_fields_copy (&edit->title.base, base);
  title_fields_copy (&edit->title.mine, mine);
  run_edit (self, edit, vmd_machine_details_set_title_async, cancellable, callback, user_data);
}

void
vmd_machine_details_set_autostart_async (VmdMachineDetails   *self,
                                         gboolean             autostart,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_AUTOSTART);

  edit->flag = autostart;
  run_edit (self, edit, vmd_machine_details_set_autostart_async, cancellable, callback, user_data);
}

void
vmd_machine_details_set_memory_async (VmdMachineDetails     *self,
                                      const VmdMemoryFields *base,
                                      const VmdMemoryFields *mine,
                                      VmdEditFlags           flags,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  Edit *edit = edit_new (self, EDIT_MEMORY);

  edit->overwrite = (flags & VMD_EDIT_OVERWRITE) != 0;
  edit->memory.has_base = base != NULL;
  if (base != NULL)
    edit->memory.base = *base;
  edit->memory.mine = *mine;
  run_edit (self, edit, vmd_machine_details_set_memory_async, cancellable, callback, user_data);
}

/* Live where the guest allows (hot-plug up to the running maximum), else for the next boot; the
 * note says which. */
void
vmd_machine_details_set_vcpus_async (VmdMachineDetails   *self,
                                     const VmdVcpuFields *base,
                                     const VmdVcpuFields *mine,
                                     VmdEditFlags         flags,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_VCPUS);

  edit->overwrite = (flags & VMD_EDIT_OVERWRITE) != 0;
  edit->vcpus.has_base = base != NULL;
  if (base != NULL)
    edit->vcpus.base = *base;
  edit->vcpus.mine = *mine;
  run_edit (self, edit, vmd_machine_details_set_vcpus_async, cancellable, callback, user_data);
}

void
vmd_machine_details_set_boot_async (VmdMachineDetails     *self,
                                    const VmdBootSettings *base,
                                    const VmdBootSettings *mine,
                                    VmdEditFlags           flags,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  Edit *edit = edit_new (self, EDIT_BOOT);

  edit->overwrite = (flags & VMD_EDIT_OVERWRITE) != 0;
  edit->boot.has_base = base != NULL;
  if (base != NULL)
    boot_settings_copy (&edit->boot.base, base);
  boot_settings_copy (&edit->boot.mine, mine);
  run_edit (self, edit, vmd_machine_details_set_boot_async, cancellable, callback, user_data);
}

void
vmd_machine_details_add_disk_async (VmdMachineDetails   *self,
                                    const VmdNewDisk    *disk,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_ADD_DISK);

  edit->disk = *disk;
  edit->disk.device = edit->disk_strings[0] = g_strdup (disk->device != NULL ? disk->device : "disk");
  edit->disk.bus = edit->disk_strings[1] = g_strdup (disk->bus);
  edit->disk.path = edit->disk_strings[2] = g_strdup (disk->path);
  edit->disk.pool = edit->disk_strings[3] = g_strdup (disk->pool);
  edit->disk.volume_name = edit->disk_strings[4] = g_strdup (disk->volume_name);
  run_edit (self, edit, vmd_machine_details_add_disk_async, cancellable, callback, user_data);
}

typedef struct {
  VmdMachineDetails   *self;
  Edit                *edit;
  GCancellable        *cancellable;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} PendingRemove;

/* VmdMachine's own check (a volume in a pool that no other machine uses) decides whether the
 * volume may go, as when a whole machine is deleted. */
static void
on_disk_choices (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PendingRemove *pending = user_data;
  g_autoptr(GPtrArray) choices = vmd_machine_list_disks_finish (VMD_MACHINE (source), result, NULL);
  const char *reason = _("Kept: it is not a writable disk of this machine");

  for (guint i = 0; choices != NULL && i < choices->len; i++)
    {
      VmdDiskChoice *choice = choices->pdata[i];

      if (g_strcmp0 (choice->target, pending->edit->target) != 0)
        continue;
      if (choice->deletable)
        pending->edit->delete_path = g_strdup (choice->path);
      else
        reason = choice->reason;
    }
  if (pending->edit->delete_path == NULL)
    {
      GTask *task = g_task_new (pending->self, pending->cancellable, pending->callback, pending->user_data);

      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                               _("The volume of %s cannot be deleted. %s"), pending->edit->target, reason);
      g_object_unref (task);
      edit_free (pending->edit);
    }
  else
    run_edit (pending->self, pending->edit, vmd_machine_details_remove_disk_async,
              pending->cancellable, pending->callback, pending->user_data);
  g_object_unref (pending->self);
  g_clear_object (&pending->cancellable);
  g_free (pending);
}

void
vmd_machine_details_remove_disk_async (VmdMachineDetails   *self,
                                       const char          *target,
                                       gboolean             delete_volume,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_REMOVE_DISK);
  PendingRemove *pending;

  edit->target = g_strdup (target);
  if (!delete_volume)
    {
      run_edit (self, edit, vmd_machine_details_remove_disk_async, cancellable, callback, user_data);
      return;
    }
  pending = g_new0 (PendingRemove, 1);
  pending->self = g_object_ref (self);
  pending->edit = edit;
  pending->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  pending->callback = callback;
  pending->user_data = user_data;
  vmd_machine_list_disks_async (self->machine, cancellable, on_disk_choices, pending);
}

/* iso_path NULL ejects. Live on a running machine (virDomainUpdateDeviceFlags). */
void
vmd_machine_details_change_media_async (VmdMachineDetails   *self,
                                        const char          *target,
                                        const char          *iso_path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_MEDIA);

  edit->target = g_strdup (target);
  edit->text = g_strdup (iso_path);
  run_edit (self, edit, vmd_machine_details_change_media_async, cancellable, callback, user_data);
}

/* type "network" (source: network name), "bridge" (source: bridge) or "user"; model may be NULL. */
void
vmd_machine_details_add_nic_async (VmdMachineDetails   *self,
                                   const char          *type,
                                   const char          *source,
                                   const char          *model,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_ADD_NIC);

  edit->text = g_strdup (type);
  edit->text2 = g_strdup (source);
  edit->text3 = g_strdup (model);
  run_edit (self, edit, vmd_machine_details_add_nic_async, cancellable, callback, user_data);
}

void
vmd_machine_details_remove_nic_async (VmdMachineDetails   *self,
                                      const char          *mac,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_REMOVE_NIC);

  edit->target = g_strdup (mac);
  run_edit (self, edit, vmd_machine_details_remove_nic_async, cancellable, callback, user_data);
}

void
vmd_machine_details_set_link_async (VmdMachineDetails   *self,
                                    const char          *mac,
                                    gboolean             up,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_LINK);

  edit->target = g_strdup (mac);
  edit->flag = up;
  run_edit (self, edit, vmd_machine_details_set_link_async, cancellable, callback, user_data);
}

/* The XML editor's text as the new persistent definition; on failure libvirt's message, and the
 * caller still has its text. base_xml is the definition the text was written from: when libvirt
 * holds another one now, nothing is defined and the edit fails with VMD_ERROR_CONFLICT (the
 * config is then the current one). NULL defines without that check. */
void
vmd_machine_details_define_xml_async (VmdMachineDetails   *self,
                                      const char          *base_xml,
                                      const char          *xml,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_DEFINE);

  edit->define.base = g_strdup (base_xml);
  edit->define.mine = g_strdup (xml);
  run_edit (self, edit, vmd_machine_details_define_xml_async, cancellable, callback, user_data);
}

/* name NULL lets libvirt name it by the time. */
void
vmd_machine_details_create_snapshot_async (VmdMachineDetails   *self,
                                           const char          *name,
                                           const char          *description,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_SNAPSHOT_CREATE);

  edit->name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  edit->text = description != NULL && *description != '\0' ? g_strdup (description) : NULL;
  run_edit (self, edit, vmd_machine_details_create_snapshot_async, cancellable, callback, user_data);
}

void
vmd_machine_details_revert_snapshot_async (VmdMachineDetails   *self,
                                           const char          *name,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_SNAPSHOT_REVERT);

  edit->name = g_strdup (name);
  run_edit (self, edit, vmd_machine_details_revert_snapshot_async, cancellable, callback, user_data);
}

void
vmd_machine_details_delete_snapshot_async (VmdMachineDetails   *self,
                                           const char          *name,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  Edit *edit = edit_new (self, EDIT_SNAPSHOT_DELETE);

  edit->name = g_strdup (name);
  run_edit (self, edit, vmd_machine_details_delete_snapshot_async, cancellable, callback, user_data);
}

/* --- vCPU information ------------------------------------------------------------------------- */

/* "0-3,6" from a libvirt CPU map. */
static char *
format_cpumap (const unsigned char *map,
               int                  n_host_cpus)
{
  GString *out = g_string_new (NULL);

  for (int cpu = 0; cpu < n_host_cpus; cpu++)
    {
      int last = cpu;

      if (!VIR_CPU_USABLE (map, VIR_CPU_MAPLEN (n_host_cpus), 0, cpu))
        continue;
      while (last + 1 < n_host_cpus && VIR_CPU_USABLE (map, VIR_CPU_MAPLEN (n_host_cpus), 0, last + 1))
        last++;
      if (out->len > 0)
        g_string_append_c (out, ',');
      if (last == cpu)
        g_string_append_printf (out, "%d", cpu);
      else
        g_string_append_printf (out, "%d-%d", cpu, last);
      cpu = last;
    }
  return g_string_free (out, FALSE);
}

static const char *
vcpu_state_name (int state)
{
  switch (state)
    {
    case VIR_VCPU_OFFLINE: return "offline";
    case VIR_VCPU_RUNNING: return "running";
    case VIR_VCPU_BLOCKED: return "blocked";
    default:               return "unknown";
    }
}

static GPtrArray *
list_vcpus (Edit    *edit,
            GError **error)
{
  GPtrArray *vcpus = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_vcpu_info_free);
  int n_host = virNodeGetCPUMap (virDomainGetConnect (edit->handle), NULL, NULL, 0);
  gboolean active = is_active (edit);
  int n = virDomainGetVcpusFlags (edit->handle, active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG);
  int maplen = VIR_CPU_MAPLEN (MAX (n_host, 1));
  g_autofree virVcpuInfoPtr info = NULL;
  g_autofree unsigned char *maps = NULL;
  int got;

  if (n_host < 0 || n < 0)
    {
      libvirt_failed (edit, _("Could not read the vCPUs of “%s”"), error);
      g_ptr_array_unref (vcpus);
      return NULL;
    }
  info = g_new0 (virVcpuInfo, n);
  maps = g_new0 (unsigned char, (gsize) n * maplen);
  got = active ? virDomainGetVcpus (edit->handle, info, n, maps, maplen)
               : virDomainGetVcpuPinInfo (edit->handle, n, maps, maplen, VIR_DOMAIN_AFFECT_CONFIG);
  if (got < 0)
    {
      libvirt_failed (edit, _("Could not read the vCPUs of “%s”"), error);
      g_ptr_array_unref (vcpus);
      return NULL;
    }
  for (int i = 0; i < got; i++)
    {
      VmdVcpuInfo *vcpu = g_new0 (VmdVcpuInfo, 1);

      vcpu->number = active ? info[i].number : (guint) i;
      vcpu->state = active ? g_strdup (vcpu_state_name (info[i].state)) : NULL;
      vcpu->cpu = active ? info[i].cpu : -1;
      vcpu->cpu_time_ns = active ? info[i].cpuTime : 0;
      vcpu->affinity = format_cpumap (maps + (gsize) i * maplen, n_host);
      g_ptr_array_add (vcpus, vcpu);
    }
  return vcpus;
}

static void
list_vcpus_in_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *vcpus = list_vcpus (task_data, &error);

  if (vcpus == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, vcpus, (GDestroyNotify) g_ptr_array_unref);
}

/* `virsh vcpuinfo`: of a running machine, each vCPU's state, host CPU, time and affinity; of one
 * that is off, the vCPUs of its definition with their pinning. */
void
vmd_machine_details_list_vcpus_async (VmdMachineDetails   *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_machine_details_list_vcpus_async);
  g_task_set_task_data (task, edit_new (self, EDIT_RELOAD), (GDestroyNotify) edit_free);
  g_task_run_in_thread (task, list_vcpus_in_thread);
}

/* Returns (transfer full) (element-type VmdVcpuInfo). */
GPtrArray *
vmd_machine_details_list_vcpus_finish (VmdMachineDetails  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- snapshot list ---------------------------------------------------------------------------- */

static char *
between (const char *xml,
         const char *open,
         const char *close)
{
  const char *start = strstr (xml, open);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (open);
  end = strstr (start, close);
  return end != NULL ? g_strndup (start, end - start) : NULL;
}

/* The five entities libvirt writes in text. */
static char *
unescape (const char *text)
{
  static const char *entities[][2] = {
    { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&apos;", "'" }, { "&amp;", "&" },
  };
  char *out = g_strdup (text);

  for (guint i = 0; out != NULL && i < G_N_ELEMENTS (entities); i++)
    {
      g_auto(GStrv) parts = g_strsplit (out, entities[i][0], -1);

      g_free (out);
      out = g_strjoinv (entities[i][1], parts);
    }
  return out;
}

/* The few fields of a <domainsnapshot> we show; its <domain> copy holds <name> and
 * <description> too, so only the text before it is read. */
static VmdSnapshotInfo *
snapshot_info (virDomainSnapshotPtr snapshot)
{
  VmdSnapshotInfo *info = g_new0 (VmdSnapshotInfo, 1);
  g_autofree char *xml = dup_libvirt_string (virDomainSnapshotGetXMLDesc (snapshot, VIR_DOMAIN_SNAPSHOT_XML_SECURE));
  g_autofree char *time = NULL;
  g_autofree char *description = NULL;
  g_autofree char *parent = NULL;
  char *domain;

  if (xml != NULL && (domain = strstr (xml, "<domain ")) != NULL)
    *domain = '\0';
  info->name = g_strdup (virDomainSnapshotGetName (snapshot));
  if (xml != NULL)
    {
      time = between (xml, "<creationTime>", "</creationTime>");
      description = between (xml, "<description>", "</description>");
      info->state = between (xml, "<state>", "</state>");
      parent = between (xml, "<parent>", "</parent>");
      info->has_memory = strstr (xml, "<memory snapshot='internal'") != NULL ||
                         strstr (xml, "<memory snapshot=\"internal\"") != NULL ||
                         g_strcmp0 (info->state, "running") == 0 || g_strcmp0 (info->state, "paused") == 0;
    }
  info->creation_time = time != NULL ? g_ascii_strtoll (time, NULL, 10) : 0;
  info->description = unescape (description);
  info->current = virDomainSnapshotIsCurrent (snapshot, 0) == 1;
  info->parent = parent != NULL ? between (parent, "<name>", "</name>") : NULL;
  return info;
}

/* Oldest first; two taken in the same second go parent first. */
static int
compare_snapshots (gconstpointer a,
                   gconstpointer b)
{
  const VmdSnapshotInfo *x = *(VmdSnapshotInfo **) a, *y = *(VmdSnapshotInfo **) b;

  if (x->creation_time != y->creation_time)
    return x->creation_time < y->creation_time ? -1 : 1;
  if (g_strcmp0 (y->parent, x->name) == 0)
    return -1;
  if (g_strcmp0 (x->parent, y->name) == 0)
    return 1;
  return g_strcmp0 (x->name, y->name);
}

static void
list_snapshots_in_thread (GTask        *task,
                          gpointer      source,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  Edit *edit = task_data;
  virDomainSnapshotPtr *snapshots = NULL;
  int n = virDomainListAllSnapshots (edit->handle, &snapshots, 0);
  GPtrArray *list;
  GError *error = NULL;

  if (n < 0)
    {
      libvirt_failed (edit, _("Could not list the snapshots of “%s”"), &error);
      g_task_return_error (task, error);
      return;
    }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_snapshot_info_free);
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (list, snapshot_info (snapshots[i]));
      virDomainSnapshotFree (snapshots[i]);
    }
  free (snapshots);
  g_ptr_array_sort (list, compare_snapshots);
  g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

void
vmd_machine_details_list_snapshots_async (VmdMachineDetails   *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, vmd_machine_details_list_snapshots_async);
  g_task_set_task_data (task, edit_new (self, EDIT_RELOAD), (GDestroyNotify) edit_free);
  g_task_run_in_thread (task, list_snapshots_in_thread);
}

/* Returns (transfer full) (element-type VmdSnapshotInfo), oldest first. */
GPtrArray *
vmd_machine_details_list_snapshots_finish (VmdMachineDetails  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- GObject ------------------------------------------------------------------------------ */

static void
vmd_machine_details_dispose (GObject *object)
{
  VmdMachineDetails *self = VMD_MACHINE_DETAILS (object);

  g_clear_object (&self->machine);
  g_clear_pointer (&self->config, vmd_machine_config_unref);
  G_OBJECT_CLASS (vmd_machine_details_parent_class)->dispose (object);
}

static void
vmd_machine_details_class_init (VmdMachineDetailsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vmd_machine_details_dispose;

  /* The config was read again: after a change, a reload, or a change made elsewhere (only when
   * the definition differs then). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_machine_details_init (VmdMachineDetails *self)
{
}

VmdMachineDetails *
vmd_machine_details_new (VmdMachine *machine)
{
  VmdMachineDetails *self;

  g_return_val_if_fail (VMD_IS_MACHINE (machine), NULL);
  self = g_object_new (VMD_TYPE_MACHINE_DETAILS, NULL);
  self->machine = g_object_ref (machine);
  /* Whoever changed it (another client, or a start or stop for the live half). */
  g_signal_connect_object (machine, "notify::definition-serial", G_CALLBACK (on_definition_changed), self, 0);
  g_signal_connect_object (machine, "notify::state", G_CALLBACK (on_definition_changed), self, 0);
  return self;
}

VmdMachine *
vmd_machine_details_get_machine (VmdMachineDetails *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_DETAILS (self), NULL);
  return self->machine;
}

/* NULL until the first reload has finished. */
const VmdMachineConfig *
vmd_machine_details_get_config (VmdMachineDetails *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_DETAILS (self), NULL);
  return self->config;
}
