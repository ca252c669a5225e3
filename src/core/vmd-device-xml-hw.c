/* The Add Hardware kinds (storage, network, shared folder, TPM): each a typed spec, a validator
 * that names the field its message belongs beside, and a writer of its <devices> element.
 * Nothing here touches libvirt; the folder checks read the host's file system only. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libxml/tree.h>

#include "vmd-device-xml.h"
#include "vmd-error.h"
#include "vmd-xml.h"

static gboolean
refuse (VmdHwField   *field,
        VmdHwField    which,
        GError      **error,
        const char   *message)
{
  if (field != NULL)
    *field = which;
  g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, message);
  return FALSE;
}

static gboolean
one_of (const char         *value,
        const char * const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

static gboolean
empty (const char *s)
{
  return s == NULL || *s == '\0';
}

/* The strings expr finds in domain_xml (none when there is no definition or it does not parse). */
static GStrv
strings_in (const char *domain_xml,
            const char *expr)
{
  g_autoptr(VmdXml) doc = NULL;

  if (domain_xml == NULL || (doc = vmd_xml_parse (domain_xml, NULL)) == NULL)
    return g_new0 (char *, 1);
  return vmd_xml_strings (doc, expr);
}

/* --- storage ------------------------------------------------------------------------------------ */

gboolean
vmd_new_volume_validate (const char  *name,
                         guint64      capacity,
                         guint64      pool_available,
                         VmdHwField  *field,
                         GError     **error)
{
  if (empty (name))
    return refuse (field, VMD_HW_FIELD_VOLUME_NAME, error, _("Enter a name for the new volume"));
  if (strchr (name, '/') != NULL || g_str_equal (name, ".") || g_str_equal (name, ".."))
    return refuse (field, VMD_HW_FIELD_VOLUME_NAME, error, _("A volume name cannot contain “/” or be “.” or “..”"));
  if (capacity == 0)
    return refuse (field, VMD_HW_FIELD_SIZE, error, _("The size must be more than 0"));
  if (capacity > pool_available)
    return refuse (field, VMD_HW_FIELD_SIZE, error, _("The pool does not have that much free space"));
  return TRUE;
}

static gboolean
disk_bus_fits (const char *device,
               const char *bus)
{
  static const char * const disk_buses[] = { "virtio", "sata", "scsi", "usb", NULL };
  static const char * const cd_buses[] = { "sata", "scsi", "usb", NULL };

  if (g_strcmp0 (device, "floppy") == 0)
    return g_strcmp0 (bus, "fdc") == 0;
  if (g_strcmp0 (device, "cdrom") == 0)
    return one_of (bus, cd_buses);
  return one_of (bus, disk_buses);
}

static gboolean
disk_path_validate (const VmdDiskSpec  *spec,
                    VmdHwField         *field,
                    GError            **error)
{
  GStatBuf st;

  if (empty (spec->path))
    return g_strcmp0 (spec->device, "disk") == 0
             ? refuse (field, VMD_HW_FIELD_PATH, error, _("Choose a volume or a file for the disk"))
             : TRUE;   /* an empty CD or floppy drive */
  if (!g_path_is_absolute (spec->path))
    return refuse (field, VMD_HW_FIELD_PATH, error, _("Enter the file’s full path, starting with “/”"));
  if (g_stat (spec->path, &st) != 0)
    return refuse (field, VMD_HW_FIELD_PATH, error, _("There is no file at this path"));
  if (S_ISDIR (st.st_mode))
    return refuse (field, VMD_HW_FIELD_PATH, error, _("This path is a folder, not a disk image"));
  return TRUE;
}

/* Everything but where the data is. */
static gboolean
disk_options_validate (const VmdDiskSpec  *spec,
                       VmdHwField         *field,
                       GError            **error)
{
  static const char * const devices[] = { "disk", "cdrom", "floppy", NULL };
  static const char * const formats[] = { "qcow2", "raw", NULL };
  static const char * const caches[] = { "none", "writeback", "writethrough", "directsync", "unsafe", NULL };
  static const char * const discards[] = { "unmap", "ignore", NULL };

  if (!one_of (spec->device, devices))
    return refuse (field, VMD_HW_FIELD_BUS, error, _("Choose a disk, CD or floppy drive"));
  if (!disk_bus_fits (spec->device, spec->bus))
    return refuse (field, VMD_HW_FIELD_BUS, error, g_strcmp0 (spec->device, "floppy") == 0
                     ? _("A floppy drive is only on the floppy controller")
                     : _("This bus cannot hold this kind of drive"));
  if (!one_of (spec->format, formats))
    return refuse (field, VMD_HW_FIELD_PATH, error, _("The format must be qcow2 or raw"));
  if (!empty (spec->cache) && !one_of (spec->cache, caches))
    return refuse (field, VMD_HW_FIELD_CACHE, error, _("Unknown cache mode"));
  if (!empty (spec->discard) && !one_of (spec->discard, discards))
    return refuse (field, VMD_HW_FIELD_DISCARD, error, _("Unknown discard mode"));
  return TRUE;
}

gboolean
vmd_disk_spec_validate (const VmdDiskSpec  *spec,
                        VmdHwField         *field,
                        GError            **error)
{
  return disk_options_validate (spec, field, error) && disk_path_validate (spec, field, error);
}

gboolean
vmd_new_disk_validate (const VmdDiskSpec   *spec,
                       const VmdNewVolume  *volume,
                       guint64              pool_available,
                       VmdHwField          *field,
                       GError             **error)
{
  VmdDiskSpec on_volume = *spec;

  on_volume.format = volume->format;
  if (g_strcmp0 (spec->device, "disk") != 0)
    return refuse (field, VMD_HW_FIELD_BUS, error, _("A new volume is for a disk; a CD or floppy drive takes an existing file"));
  if (empty (volume->pool))
    return refuse (field, VMD_HW_FIELD_POOL, error, _("Choose the pool for the new volume"));
  return disk_options_validate (&on_volume, field, error) &&
         vmd_new_volume_validate (volume->name, volume->capacity, pool_available, field, error);
}

char *
vmd_disk_spec_xml (const VmdDiskSpec *spec,
                   const char        *target)
{
  g_autofree char *cache = empty (spec->cache) ? g_strdup ("")
                                               : g_markup_printf_escaped (" cache='%s'", spec->cache);
  g_autofree char *discard = empty (spec->discard) ? g_strdup ("")
                                                   : g_markup_printf_escaped (" discard='%s'", spec->discard);
  g_autofree char *head = g_markup_printf_escaped ("<disk type='file' device='%s'><driver name='qemu' type='%s'",
                                                   spec->device, spec->format);
  g_autofree char *source = empty (spec->path) ? g_strdup ("")
                                               : g_markup_printf_escaped ("<source file='%s'/>", spec->path);
  g_autofree char *tail = g_markup_printf_escaped ("<target dev='%s' bus='%s'/>", target, spec->bus);
  gboolean readonly = spec->readonly || g_strcmp0 (spec->device, "cdrom") == 0;

  return g_strconcat (head, cache, discard, "/>", source, tail, readonly ? "<readonly/>" : "",
                      spec->shareable ? "<shareable/>" : "", "</disk>", NULL);
}

/* vda, sda, hda... the first name of the bus's prefix no disk of the definition uses. */
char *
vmd_disk_free_target (const char *domain_xml,
                      const char *bus)
{
  const char *prefix = g_strcmp0 (bus, "virtio") == 0 ? "vd" : g_strcmp0 (bus, "fdc") == 0 ? "fd" : "sd";
  g_auto(GStrv) used = strings_in (domain_xml, "/domain/devices/disk/target/@dev");

  for (char letter = 'a'; letter <= 'z'; letter++)
    {
      g_autofree char *name = g_strdup_printf ("%s%c", prefix, letter);

      if (!g_strv_contains ((const char * const *) used, name))
        return g_steal_pointer (&name);
    }
  return NULL;
}

/* --- network ------------------------------------------------------------------------------------ */

static gboolean
mac_used (const char *mac,
          const char *domain_xml)
{
  g_auto(GStrv) used = strings_in (domain_xml, "/domain/devices/interface/mac/@address");

  for (guint i = 0; used[i] != NULL; i++)
    if (g_ascii_strcasecmp (used[i], mac) == 0)
      return TRUE;
  return FALSE;
}

gboolean
vmd_mac_validate (const char  *mac,
                  const char  *domain_xml,
                  GError     **error)
{
  guint8 first;

  if (mac == NULL || strlen (mac) != 17)
    return refuse (NULL, VMD_HW_FIELD_MAC, error, _("A MAC address is six pairs of hex digits, like 52:54:00:12:34:56"));
  for (guint i = 0; i < 17; i++)
    if ((i % 3 == 2) ? mac[i] != ':' : !g_ascii_isxdigit (mac[i]))
      return refuse (NULL, VMD_HW_FIELD_MAC, error, _("A MAC address is six pairs of hex digits, like 52:54:00:12:34:56"));
  first = g_ascii_xdigit_value (mac[0]) * 16 + g_ascii_xdigit_value (mac[1]);
  if (first & 1)
    return refuse (NULL, VMD_HW_FIELD_MAC, error, _("This is a multicast address; a network card needs a unicast one"));
  if (mac_used (mac, domain_xml))
    return refuse (NULL, VMD_HW_FIELD_MAC, error, _("Another network card of this machine has this MAC address"));
  return TRUE;
}

gboolean
vmd_nic_spec_validate (const VmdNicSpec  *spec,
                       const char        *domain_xml,
                       VmdHwField        *field,
                       GError           **error)
{
  static const char * const types[] = { "network", "bridge", "direct", "user", NULL };
  static const char * const models[] = { "virtio", "e1000", "e1000e", "rtl8139", NULL };

  if (!one_of (spec->type, types))
    return refuse (field, VMD_HW_FIELD_SOURCE, error, _("Choose how the card connects"));
  if (!g_str_equal (spec->type, "user") && empty (spec->source))
    return refuse (field, VMD_HW_FIELD_SOURCE, error, _("Choose the network, bridge or host interface"));
  if (!empty (spec->model) && !one_of (spec->model, models))
    return refuse (field, VMD_HW_FIELD_MODEL, error, _("Unknown network card model"));
  if (!empty (spec->mac) && !vmd_mac_validate (spec->mac, domain_xml, error))
    {
      if (field != NULL)
        *field = VMD_HW_FIELD_MAC;
      return FALSE;
    }
  return TRUE;
}

char *
vmd_nic_spec_xml (const VmdNicSpec *spec)
{
  g_autofree char *opening = g_markup_printf_escaped ("<interface type='%s'>", spec->type);
  g_autofree char *mac = empty (spec->mac) ? g_strdup ("")
                                           : g_markup_printf_escaped ("<mac address='%s'/>", spec->mac);
  g_autofree char *source = NULL;
  g_autofree char *model = empty (spec->model) ? g_strdup ("")
                                               : g_markup_printf_escaped ("<model type='%s'/>", spec->model);

  if (g_str_equal (spec->type, "network") || g_str_equal (spec->type, "bridge"))
    source = g_markup_printf_escaped ("<source %s='%s'/>", spec->type, spec->source);
  else if (g_str_equal (spec->type, "direct"))
    source = g_markup_printf_escaped ("<source dev='%s' mode='bridge'/>", spec->source);
  else
    source = g_strdup ("");
  return g_strconcat (opening, mac, source, model, "</interface>", NULL);
}

/* --- shared folder (virtiofs) ------------------------------------------------------------------- */

/* QEMU runs as its own user (libvirt-qemu), not the owner of the folder: the folder must be
 * readable and searchable by others, or belong to a group QEMU is in, which VM Desk cannot see;
 * so it asks for the "others" bits. */
static gboolean
folder_validate (const char  *folder,
                 VmdHwField  *field,
                 GError     **error)
{
  GStatBuf st;

  if (empty (folder))
    return refuse (field, VMD_HW_FIELD_FOLDER, error, _("Choose the host folder to share"));
  if (!g_path_is_absolute (folder))
    return refuse (field, VMD_HW_FIELD_FOLDER, error, _("Enter the folder’s full path, starting with “/”"));
  if (g_stat (folder, &st) != 0)
    return refuse (field, VMD_HW_FIELD_FOLDER, error, _("This folder does not exist"));
  if (!S_ISDIR (st.st_mode))
    return refuse (field, VMD_HW_FIELD_FOLDER, error, _("This is a file, not a folder"));
  if ((st.st_mode & (S_IROTH | S_IXOTH)) != (S_IROTH | S_IXOTH))
    return refuse (field, VMD_HW_FIELD_FOLDER, error, _("QEMU’s user cannot read this folder (it needs read and search permission for others)"));
  return TRUE;
}

gboolean
vmd_fs_spec_validate (const VmdFsSpec  *spec,
                      const char       *domain_xml,
                      VmdHwField       *field,
                      GError          **error)
{
  g_auto(GStrv) tags = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (spec->tag != NULL ? spec->tag : ""));

  if (!folder_validate (spec->folder, field, error))
    return FALSE;
  if (*trimmed == '\0')
    return refuse (field, VMD_HW_FIELD_TAG, error, _("Enter a tag; the guest mounts the folder by it"));
  if (strlen (spec->tag) > 36)
    return refuse (field, VMD_HW_FIELD_TAG, error, _("A tag is at most 36 characters"));
  tags = strings_in (domain_xml, "/domain/devices/filesystem/target/@dir");
  if (g_strv_contains ((const char * const *) tags, spec->tag))
    return refuse (field, VMD_HW_FIELD_TAG, error, _("Another shared folder of this machine has this tag"));
  return TRUE;
}

char *
vmd_fs_spec_xml (const VmdFsSpec *spec)
{
  return g_markup_printf_escaped ("<filesystem type='mount' accessmode='passthrough'>"
                                  "<driver type='virtiofs'/><binary path='%s'/>"
                                  "<source dir='%s'/><target dir='%s'/>%s</filesystem>",
                                  VMD_VIRTIOFSD_PATH, spec->folder, spec->tag,
                                  spec->readonly ? "<readonly/>" : "");
}

gboolean
vmd_domain_has_shared_memory (const char *domain_xml)
{
  g_autoptr(VmdXml) doc = domain_xml != NULL ? vmd_xml_parse (domain_xml, NULL) : NULL;

  return doc != NULL && vmd_xml_exists (doc, NULL, "/domain/memoryBacking/access[@mode='shared']");
}

/* memfd and shared access, as virtiofsd needs to map the guest's memory; an existing
 * <memoryBacking> (hugepages, locked) keeps its other children. */
char *
vmd_domain_xml_with_shared_memory (const char  *domain_xml,
                                   GError     **error)
{
  g_autoptr(VmdXml) doc = vmd_xml_parse (domain_xml, error);
  g_autoptr(GPtrArray) backing = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  g_autoptr(GPtrArray) access = NULL;
  xmlNode *node;
  xmlChar *buffer = NULL;
  int size = 0;
  char *out;

  if (doc == NULL)
    return NULL;
  roots = vmd_xml_nodes (doc, NULL, "/domain");
  if (roots->len == 0)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("The definition has no <domain> element"));
      return NULL;
    }
  backing = vmd_xml_nodes (doc, NULL, "/domain/memoryBacking");
  node = backing->len > 0 ? backing->pdata[0] : xmlNewChild (roots->pdata[0], NULL, BAD_CAST "memoryBacking", NULL);
  if (!vmd_xml_exists (doc, node, "source"))
    xmlSetProp (xmlNewChild (node, NULL, BAD_CAST "source", NULL), BAD_CAST "type", BAD_CAST "memfd");
  access = vmd_xml_nodes (doc, node, "access");
  xmlSetProp (access->len > 0 ? access->pdata[0] : xmlNewChild (node, NULL, BAD_CAST "access", NULL),
              BAD_CAST "mode", BAD_CAST "shared");
  xmlDocDumpFormatMemory (((xmlNode *) roots->pdata[0])->doc, &buffer, &size, 0);
  out = g_strndup ((const char *) buffer, size);
  xmlFree (buffer);
  return out;
}

/* --- TPM ---------------------------------------------------------------------------------------- */

gboolean
vmd_host_tpm_available (char **reason)
{
  if (g_file_test (VMD_HOST_TPM_PATH, G_FILE_TEST_EXISTS))
    return TRUE;
  if (reason != NULL)
    *reason = g_strdup (_("This host has no TPM (/dev/tpm0)"));
  return FALSE;
}

gboolean
vmd_tpm_spec_validate (const VmdTpmSpec  *spec,
                       const char        *domain_xml,
                       GError           **error)
{
  g_auto(GStrv) tpms = strings_in (domain_xml, "/domain/devices/tpm/@model");
  g_autofree char *reason = NULL;

  if (tpms[0] != NULL)
    return refuse (NULL, VMD_HW_FIELD_TPM, error, _("This machine has a TPM already"));
  if (spec->passthrough && spec->device == NULL && !vmd_host_tpm_available (&reason))
    return refuse (NULL, VMD_HW_FIELD_TPM, error, reason);
  return TRUE;
}

char *
vmd_tpm_spec_xml (const VmdTpmSpec *spec)
{
  if (!spec->passthrough)
    return g_strdup ("<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>");
  return g_markup_printf_escaped ("<tpm model='tpm-crb'><backend type='passthrough'>"
                                  "<device path='%s'/></backend></tpm>",
                                  spec->device != NULL ? spec->device : VMD_HOST_TPM_PATH);
}
