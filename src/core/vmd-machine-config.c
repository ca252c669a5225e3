/* VmdMachineConfig: a domain's definition read with libxml2 XPath, and the small XML edits the
 * details view applies. Edits work on the whole document so that everything the view does not
 * know about (devices, metadata, namespaces) goes back to libvirt untouched. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "vmd-error.h"
#include "vmd-machine-config.h"

#define LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

static void
disk_info_free (VmdDiskInfo *disk)
{
  g_free (disk->device);
  g_free (disk->type);
  g_free (disk->path);
  g_free (disk->format);
  g_free (disk->bus);
  g_free (disk->target);
  g_free (disk);
}

static void
nic_info_free (VmdNicInfo *nic)
{
  g_free (nic->type);
  g_free (nic->source);
  g_free (nic->model);
  g_free (nic->mac);
  g_free (nic->tap);
  g_free (nic);
}

VmdMachineConfig *
vmd_machine_config_ref (VmdMachineConfig *config)
{
  g_atomic_ref_count_inc (&config->ref_count);
  return config;
}

static void
config_free (VmdMachineConfig *config)
{
  g_free (config->xml);
  g_free (config->live_xml);
  g_free (config->name);
  g_free (config->uuid);
  g_free (config->title);
  g_free (config->description);
  g_free (config->os_id);
  g_free (config->os_name);
  g_free (config->emulator);
  g_free (config->domain_type);
  g_free (config->arch);
  g_free (config->machine_type);
  g_free (config->firmware);
  g_strfreev (config->boot_devices);
  g_free (config->kernel);
  g_free (config->initrd);
  g_free (config->cmdline);
  g_clear_pointer (&config->disks, g_ptr_array_unref);
  g_clear_pointer (&config->nics, g_ptr_array_unref);
  g_free (config);
}

/* Read in a worker, then shared on the main loop by the details model and the forms. */
void
vmd_machine_config_unref (VmdMachineConfig *config)
{
  if (g_atomic_ref_count_dec (&config->ref_count))
    config_free (config);
}

/* --- reading -------------------------------------------------------------------------------- */

static xmlDoc *
parse_document (const char  *xml,
                GError     **error)
{
  xmlDoc *doc = NULL;

  if (xml != NULL)
    doc = xmlReadMemory (xml, strlen (xml), "domain.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      const xmlError *last = xmlGetLastError ();

      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("The XML is not well-formed: %s"),
                   last != NULL && last->message != NULL ? g_strstrip (last->message) : _("empty document"));
      if (doc != NULL)
        xmlFreeDoc (doc);
      return NULL;
    }
  return doc;
}

static xmlXPathContext *
new_context (xmlDoc *doc)
{
  xmlXPathContext *ctx = xmlXPathNewContext (doc);

  xmlXPathRegisterNs (ctx, BAD_CAST "libosinfo", BAD_CAST LIBOSINFO_NS);
  return ctx;
}

/* The string value of an XPath expression relative to node, or NULL when it is empty. */
static char *
xpath_string (xmlXPathContext *ctx,
              xmlNode         *node,
              const char      *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expr);
  g_autoptr(xmlXPathObject) obj = NULL;

  ctx->node = node != NULL ? node : xmlDocGetRootElement (ctx->doc);
  obj = xmlXPathEvalExpression (BAD_CAST wrapped, ctx);
  if (obj == NULL || obj->stringval == NULL || obj->stringval[0] == '\0')
    return NULL;
  return g_strdup ((const char *) obj->stringval);
}

static guint64
xpath_uint (xmlXPathContext *ctx,
            xmlNode         *node,
            const char      *expr)
{
  g_autofree char *value = xpath_string (ctx, node, expr);

  return value != NULL ? g_ascii_strtoull (value, NULL, 10) : 0;
}

static xmlXPathObject *
xpath_nodes (xmlXPathContext *ctx,
             const char      *expr)
{
  ctx->node = xmlDocGetRootElement (ctx->doc);
  return xmlXPathEvalExpression (BAD_CAST expr, ctx);
}

static guint
n_nodes (xmlXPathObject *obj)
{
  return obj != NULL && obj->nodesetval != NULL ? (guint) obj->nodesetval->nodeNr : 0;
}

/* <memory unit='MiB'>256</memory> in KiB, as libvirt's own getters give it. */
static guint64
memory_kib (xmlXPathContext *ctx,
            const char      *element)
{
  g_autofree char *unit_expr = g_strdup_printf ("/domain/%s/@unit", element);
  g_autofree char *unit = xpath_string (ctx, NULL, unit_expr);
  guint64 value = xpath_uint (ctx, NULL, element);

  if (unit == NULL || g_ascii_strcasecmp (unit, "KiB") == 0 || g_ascii_strcasecmp (unit, "k") == 0)
    return value;
  if (g_ascii_strcasecmp (unit, "b") == 0 || g_ascii_strcasecmp (unit, "bytes") == 0)
    return value / 1024;
  if (g_ascii_strcasecmp (unit, "MiB") == 0 || g_ascii_strcasecmp (unit, "M") == 0)
    return value * 1024;
  if (g_ascii_strcasecmp (unit, "GiB") == 0 || g_ascii_strcasecmp (unit, "G") == 0)
    return value * 1024 * 1024;
  return value;
}

static void
read_disks (VmdMachineConfig *config,
            xmlXPathContext  *ctx)
{
  g_autoptr(xmlXPathObject) obj = xpath_nodes (ctx, "/domain/devices/disk");

  for (guint i = 0; i < n_nodes (obj); i++)
    {
      xmlNode *node = obj->nodesetval->nodeTab[i];
      VmdDiskInfo *disk = g_new0 (VmdDiskInfo, 1);

      disk->device = xpath_string (ctx, node, "@device");
      if (disk->device == NULL)
        disk->device = g_strdup ("disk");
      disk->type = xpath_string (ctx, node, "@type");
      disk->path = xpath_string (ctx, node, "source/@file|source/@dev|source/@name|source/@volume");
      disk->format = xpath_string (ctx, node, "driver/@type");
      disk->bus = xpath_string (ctx, node, "target/@bus");
      disk->target = xpath_string (ctx, node, "target/@dev");
      disk->readonly = xpath_uint (ctx, node, "count(readonly)") > 0;
      g_ptr_array_add (config->disks, disk);
    }
}

static void
read_nics (VmdMachineConfig *config,
           xmlXPathContext  *ctx,
           xmlXPathContext  *live_ctx)
{
  g_autoptr(xmlXPathObject) obj = xpath_nodes (ctx, "/domain/devices/interface");

  for (guint i = 0; i < n_nodes (obj); i++)
    {
      xmlNode *node = obj->nodesetval->nodeTab[i];
      VmdNicInfo *nic = g_new0 (VmdNicInfo, 1);
      g_autofree char *link = xpath_string (ctx, node, "link/@state");

      nic->type = xpath_string (ctx, node, "@type");
      nic->source = xpath_string (ctx, node, "source/@network|source/@bridge|source/@dev");
      nic->model = xpath_string (ctx, node, "model/@type");
      nic->mac = xpath_string (ctx, node, "mac/@address");
      nic->link_up = g_strcmp0 (link, "down") != 0;
      if (live_ctx != NULL && nic->mac != NULL)
        {
          g_autofree char *expr = g_strdup_printf ("/domain/devices/interface[mac/@address='%s']/target/@dev",
                                                   nic->mac);
          g_autofree char *live_link_expr =
            g_strdup_printf ("/domain/devices/interface[mac/@address='%s']/link/@state", nic->mac);
          g_autofree char *live_link = xpath_string (live_ctx, NULL, live_link_expr);

          nic->tap = xpath_string (live_ctx, NULL, expr);
          if (live_link != NULL)
            nic->link_up = g_strcmp0 (live_link, "down") != 0;
        }
      g_ptr_array_add (config->nics, nic);
    }
}

static void
read_firmware (VmdMachineConfig *config,
               xmlXPathContext  *ctx)
{
  g_autofree char *attr = xpath_string (ctx, NULL, "/domain/os/@firmware");
  g_autofree char *loader = xpath_string (ctx, NULL, "/domain/os/loader");
  g_autofree char *loader_type = xpath_string (ctx, NULL, "/domain/os/loader/@type");

  config->uefi = g_strcmp0 (attr, "efi") == 0 || g_strcmp0 (loader_type, "pflash") == 0 ||
                 (loader != NULL && (strstr (loader, "OVMF") != NULL || strstr (loader, "AAVMF") != NULL));
  if (loader != NULL)
    config->firmware = g_strdup_printf ("%s (%s)", config->uefi ? "UEFI" : "BIOS", loader);
  else
    config->firmware = g_strdup (config->uefi ? "UEFI" : "BIOS");
}

static void
read_boot (VmdMachineConfig *config,
           xmlXPathContext  *ctx)
{
  g_autoptr(xmlXPathObject) obj = xpath_nodes (ctx, "/domain/os/boot/@dev");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *menu = xpath_string (ctx, NULL, "/domain/os/bootmenu/@enable");

  for (guint i = 0; i < n_nodes (obj); i++)
    {
      g_autofree xmlChar *dev = xmlNodeGetContent (obj->nodesetval->nodeTab[i]);

      g_strv_builder_add (builder, (const char *) dev);
    }
  config->boot_devices = g_strv_builder_end (builder);
  config->boot_menu = g_strcmp0 (menu, "yes") == 0;
  config->kernel = xpath_string (ctx, NULL, "/domain/os/kernel");
  config->initrd = xpath_string (ctx, NULL, "/domain/os/initrd");
  config->cmdline = xpath_string (ctx, NULL, "/domain/os/cmdline");
}

static void
read_overview (VmdMachineConfig *config,
               xmlXPathContext  *ctx)
{
  config->name = xpath_string (ctx, NULL, "/domain/name");
  config->uuid = xpath_string (ctx, NULL, "/domain/uuid");
  config->title = xpath_string (ctx, NULL, "/domain/title");
  config->description = xpath_string (ctx, NULL, "/domain/description");
  config->os_id = xpath_string (ctx, NULL, "/domain/metadata/libosinfo:libosinfo/libosinfo:os/@id");
  config->emulator = xpath_string (ctx, NULL, "/domain/devices/emulator");
  config->domain_type = xpath_string (ctx, NULL, "/domain/@type");
  config->arch = xpath_string (ctx, NULL, "/domain/os/type/@arch");
  config->machine_type = xpath_string (ctx, NULL, "/domain/os/type/@machine");
  read_firmware (config, ctx);
}

static void
read_resources (VmdMachineConfig *config,
                xmlXPathContext  *ctx,
                xmlXPathContext  *live_ctx)
{
  g_autofree char *current = xpath_string (ctx, NULL, "/domain/vcpu/@current");

  config->max_memory_kib = memory_kib (ctx, "memory");
  config->current_memory_kib = memory_kib (ctx, "currentMemory");
  if (config->current_memory_kib == 0)
    config->current_memory_kib = config->max_memory_kib;
  config->max_vcpus = (guint) xpath_uint (ctx, NULL, "/domain/vcpu");
  config->current_vcpus = current != NULL ? (guint) g_ascii_strtoull (current, NULL, 10)
                                          : config->max_vcpus;
  if (live_ctx != NULL)
    {
      g_autofree char *live_current = xpath_string (live_ctx, NULL, "/domain/vcpu/@current");

      config->live_memory_kib = memory_kib (live_ctx, "currentMemory");
      config->live_vcpus = live_current != NULL ? (guint) g_ascii_strtoull (live_current, NULL, 10)
                                                : (guint) xpath_uint (live_ctx, NULL, "/domain/vcpu");
    }
}

/* live_xml may be NULL (the machine is off). */
VmdMachineConfig *
vmd_machine_config_parse (const char  *xml,
                          const char  *live_xml,
                          GError     **error)
{
  g_autoptr(VmdMachineConfig) config = g_new0 (VmdMachineConfig, 1);
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(xmlDoc) live_doc = NULL;
  g_autoptr(xmlXPathContext) ctx = NULL;
  g_autoptr(xmlXPathContext) live_ctx = NULL;

  g_atomic_ref_count_init (&config->ref_count);
  if ((doc = parse_document (xml, error)) == NULL)
    return NULL;
  if (live_xml != NULL && (live_doc = parse_document (live_xml, error)) == NULL)
    return NULL;
  ctx = new_context (doc);
  if (live_doc != NULL)
    live_ctx = new_context (live_doc);

  config->xml = g_strdup (xml);
  config->live_xml = g_strdup (live_xml);
  config->disks = g_ptr_array_new_with_free_func ((GDestroyNotify) disk_info_free);
  config->nics = g_ptr_array_new_with_free_func ((GDestroyNotify) nic_info_free);
  read_overview (config, ctx);
  read_resources (config, ctx, live_ctx);
  read_boot (config, ctx);
  /* Disks as they are now: a CD changed while running shows its new medium. */
  read_disks (config, live_ctx != NULL ? live_ctx : ctx);
  read_nics (config, ctx, live_ctx);
  return g_steal_pointer (&config);
}

const VmdDiskInfo *
vmd_machine_config_find_disk (const VmdMachineConfig *config,
                              const char             *target)
{
  for (guint i = 0; i < config->disks->len; i++)
    if (g_strcmp0 (((VmdDiskInfo *) config->disks->pdata[i])->target, target) == 0)
      return config->disks->pdata[i];
  return NULL;
}

const VmdNicInfo *
vmd_machine_config_find_nic (const VmdMachineConfig *config,
                             const char             *mac)
{
  for (guint i = 0; i < config->nics->len; i++)
    if (g_ascii_strcasecmp (((VmdNicInfo *) config->nics->pdata[i])->mac, mac) == 0)
      return config->nics->pdata[i];
  return NULL;
}

/* libvirt's QEMU driver takes internal snapshots only of qcow2 disks, and none of machines whose
 * firmware lives in pflash (UEFI): say so before libvirt does, in words a user can act on. */
gboolean
vmd_machine_config_can_snapshot (const VmdMachineConfig  *config,
                                 char                   **reason)
{
  if (config->uefi)
    {
      if (reason != NULL)
        *reason = g_strdup (_("This machine starts with UEFI firmware: libvirt cannot take internal "
                              "snapshots of UEFI machines. Shut it down and copy its disks instead."));
      return FALSE;
    }
  for (guint i = 0; i < config->disks->len; i++)
    {
      VmdDiskInfo *disk = config->disks->pdata[i];

      if (g_strcmp0 (disk->device, "disk") != 0 || disk->readonly || disk->path == NULL)
        continue;
      if (disk->format != NULL && g_strcmp0 (disk->format, "qcow2") != 0)
        {
          if (reason != NULL)
            *reason = g_strdup_printf (_("Disk %s is in %s format: snapshots need every disk in qcow2 format."),
                                       disk->target, disk->format);
          return FALSE;
        }
    }
  return TRUE;
}

/* The first free target name for a bus: "vdb" after "vda". */
char *
vmd_machine_config_next_target (const VmdMachineConfig *config,
                                const char             *bus)
{
  const char *prefix = g_strcmp0 (bus, "virtio") == 0 ? "vd" :
                       g_strcmp0 (bus, "ide") == 0 ? "hd" : "sd";

  for (char letter = 'a'; letter <= 'z'; letter++)
    {
      g_autofree char *target = g_strdup_printf ("%s%c", prefix, letter);

      if (vmd_machine_config_find_disk (config, target) == NULL)
        return g_steal_pointer (&target);
    }
  return NULL;
}

/* Only the definition counts: a disk's size or libosinfo's name for the OS are not the user's. */
gboolean
vmd_machine_config_same_definition (const VmdMachineConfig *a,
                                    const VmdMachineConfig *b)
{
  return g_strcmp0 (a->xml, b->xml) == 0 && g_strcmp0 (a->live_xml, b->live_xml) == 0 &&
         a->autostart == b->autostart;
}

/* --- the fields of each form ---------------------------------------------------------------- */

VmdTitleFields
vmd_title_fields_of (const VmdMachineConfig *config)
{
  return (VmdTitleFields) { config->title, config->description };
}

VmdMemoryFields
vmd_memory_fields_of (const VmdMachineConfig *config)
{
  return (VmdMemoryFields) { config->max_memory_kib, config->current_memory_kib };
}

VmdVcpuFields
vmd_vcpu_fields_of (const VmdMachineConfig *config)
{
  return (VmdVcpuFields) { config->max_vcpus, config->current_vcpus };
}

VmdBootSettings
vmd_boot_settings_of (const VmdMachineConfig *config)
{
  return (VmdBootSettings) {
    (const char * const *) config->boot_devices, config->boot_menu,
    config->kernel, config->initrd, config->cmdline,
  };
}

static const char *
none_if_empty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (none_if_empty (a), none_if_empty (b)) == 0;
}

static gboolean
same_strv (const char * const *a,
           const char * const *b)
{
  guint i;

  for (i = 0; a != NULL && b != NULL && a[i] != NULL && b[i] != NULL; i++)
    if (!g_str_equal (a[i], b[i]))
      return FALSE;
  return (a == NULL || a[i] == NULL) && (b == NULL || b[i] == NULL);
}

/* One field of a three-way merge: what libvirt holds unless the user changed it; the user's when
 * nobody else changed it too (or changed it to the same), or when overwriting. */
typedef enum { TAKE_CURRENT, TAKE_MINE, CONFLICT } Pick;

static Pick
pick (gboolean user_changed,
      gboolean changed_elsewhere,
      gboolean overwrite)
{
  if (!user_changed)
    return TAKE_CURRENT;
  return changed_elsewhere && !overwrite ? CONFLICT : TAKE_MINE;
}

static const char *
pick_text (const char *base,
           const char *mine,
           const char *current,
           gboolean    overwrite,
           gboolean   *conflict)
{
  Pick p = pick (!same_text (base, mine), !same_text (base, current) && !same_text (mine, current), overwrite);

  *conflict |= p == CONFLICT;
  return p == TAKE_MINE ? mine : current;
}

static guint64
pick_number (guint64   base,
             guint64   mine,
             guint64   current,
             gboolean  overwrite,
             gboolean *conflict)
{
  Pick p = pick (base != mine, base != current && mine != current, overwrite);

  *conflict |= p == CONFLICT;
  return p == TAKE_MINE ? mine : current;
}

static gboolean
conflict_error (GError **error,
                char    *changes)
{
  g_set_error (error, VMD_ERROR, VMD_ERROR_CONFLICT, _("Changed elsewhere since you opened it: %s"),
               changes != NULL ? changes : _("the same fields you changed"));
  g_free (changes);
  return FALSE;
}

gboolean
vmd_title_fields_merge (const VmdTitleFields  *base,
                        const VmdTitleFields  *mine,
                        const VmdTitleFields  *current,
                        gboolean               overwrite,
                        VmdTitleFields        *merged,
                        GError               **error)
{
  gboolean conflict = FALSE;

  if (base == NULL)
    {
      *merged = *mine;
      return TRUE;
    }
  merged->title = pick_text (base->title, mine->title, current->title, overwrite, &conflict);
  merged->description = pick_text (base->description, mine->description, current->description,
                                   overwrite, &conflict);
  return !conflict || conflict_error (error, vmd_title_fields_describe (base, current));
}

gboolean
vmd_memory_fields_merge (const VmdMemoryFields  *base,
                         const VmdMemoryFields  *mine,
                         const VmdMemoryFields  *current,
                         gboolean                overwrite,
                         VmdMemoryFields        *merged,
                         GError                **error)
{
  gboolean conflict = FALSE;

  if (base == NULL)
    {
      *merged = *mine;
      return TRUE;
    }
  merged->max_kib = pick_number (base->max_kib, mine->max_kib, current->max_kib, overwrite, &conflict);
  merged->current_kib = pick_number (base->current_kib, mine->current_kib, current->current_kib,
                                     overwrite, &conflict);
  return !conflict || conflict_error (error, vmd_memory_fields_describe (base, current));
}

gboolean
vmd_vcpu_fields_merge (const VmdVcpuFields  *base,
                       const VmdVcpuFields  *mine,
                       const VmdVcpuFields  *current,
                       gboolean              overwrite,
                       VmdVcpuFields        *merged,
                       GError              **error)
{
  gboolean conflict = FALSE;

  if (base == NULL)
    {
      *merged = *mine;
      return TRUE;
    }
  merged->max = (guint) pick_number (base->max, mine->max, current->max, overwrite, &conflict);
  merged->current = (guint) pick_number (base->current, mine->current, current->current, overwrite, &conflict);
  return !conflict || conflict_error (error, vmd_vcpu_fields_describe (base, current));
}

static const char * const *
pick_devices (const VmdBootSettings *base,
              const VmdBootSettings *mine,
              const VmdBootSettings *current,
              gboolean               overwrite,
              gboolean              *conflict)
{
  Pick p = pick (!same_strv (base->devices, mine->devices),
                 !same_strv (base->devices, current->devices) && !same_strv (mine->devices, current->devices),
                 overwrite);

  *conflict |= p == CONFLICT;
  return p == TAKE_MINE ? mine->devices : current->devices;
}

gboolean
vmd_boot_settings_merge (const VmdBootSettings  *base,
                         const VmdBootSettings  *mine,
                         const VmdBootSettings  *current,
                         gboolean                overwrite,
                         VmdBootSettings        *merged,
                         GError                **error)
{
  gboolean conflict = FALSE;

  if (base == NULL)
    {
      *merged = *mine;
      return TRUE;
    }
  merged->devices = pick_devices (base, mine, current, overwrite, &conflict);
  merged->menu = pick_number (base->menu, mine->menu, current->menu, overwrite, &conflict);
  merged->kernel = pick_text (base->kernel, mine->kernel, current->kernel, overwrite, &conflict);
  merged->initrd = pick_text (base->initrd, mine->initrd, current->initrd, overwrite, &conflict);
  merged->cmdline = pick_text (base->cmdline, mine->cmdline, current->cmdline, overwrite, &conflict);
  return !conflict || conflict_error (error, vmd_boot_settings_describe (base, current));
}

/* --- describing what changed ----------------------------------------------------------------- */

/* A value as a user reads it in one line: quoted, its first line only, and not too long. */
static char *
shown_text (const char *text)
{
  g_autofree char *line = NULL;
  const char *end;

  if (none_if_empty (text) == NULL)
    return g_strdup (_("none"));
  end = strchr (text, '\n');
  line = end != NULL ? g_strndup (text, end - text) : g_strdup (text);
  if (g_utf8_strlen (line, -1) > 40)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, 39);

      return g_strdup_printf ("“%s…”", cut);
    }
  return g_strdup_printf (end != NULL ? "“%s…”" : "“%s”", line);
}

/* In the form's own unit, MiB, unless the amount is not a whole number of them. */
static char *
shown_kib (guint64 kib)
{
  if (kib % 1024 == 0)
    return g_strdup_printf (_("%" PRIu64 " MiB"), (uint64_t) (kib / 1024));
  return g_format_size_full (kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
}

static char *
shown_devices (const char * const *devices)
{
  if (devices == NULL || devices[0] == NULL)
    return g_strdup (_("none"));
  return g_strjoinv (", ", (char **) devices);
}

/* Takes before and after. */
static void
add_change (GString    *out,
            const char *label,
            char       *before,
            char       *after)
{
  if (g_strcmp0 (before, after) != 0)
    g_string_append_printf (out, "%s%s: %s → %s", out->len > 0 ? "\n" : "", label, before, after);
  g_free (before);
  g_free (after);
}

static char *
end_changes (GString *out)
{
  if (out->len > 0)
    return g_string_free (out, FALSE);
  g_string_free (out, TRUE);
  return NULL;
}

/* Texts are compared whole: a description may differ after the first line that shows. */
static void
add_text_change (GString    *out,
                 const char *label,
                 const char *before,
                 const char *after)
{
  g_autofree char *shown_before = NULL;
  g_autofree char *shown_after = NULL;

  if (same_text (before, after))
    return;
  shown_before = shown_text (before);
  shown_after = shown_text (after);
  g_string_append_printf (out, "%s%s: %s → %s", out->len > 0 ? "\n" : "", label, shown_before, shown_after);
}

char *
vmd_name_describe_change (const char *before,
                          const char *after)
{
  GString *out = g_string_new (NULL);

  add_text_change (out, _("Name"), before, after);
  return end_changes (out);
}

char *
vmd_title_fields_describe (const VmdTitleFields *before,
                           const VmdTitleFields *after)
{
  GString *out = g_string_new (NULL);

  add_text_change (out, _("Title"), before->title, after->title);
  add_text_change (out, _("Description"), before->description, after->description);
  return end_changes (out);
}

char *
vmd_memory_fields_describe (const VmdMemoryFields *before,
                            const VmdMemoryFields *after)
{
  GString *out = g_string_new (NULL);

  add_change (out, _("Maximum memory"), shown_kib (before->max_kib), shown_kib (after->max_kib));
  add_change (out, _("Current memory"), shown_kib (before->current_kib), shown_kib (after->current_kib));
  return end_changes (out);
}

char *
vmd_vcpu_fields_describe (const VmdVcpuFields *before,
                          const VmdVcpuFields *after)
{
  GString *out = g_string_new (NULL);

  add_change (out, _("Maximum vCPUs"), g_strdup_printf ("%u", before->max), g_strdup_printf ("%u", after->max));
  add_change (out, _("vCPUs"), g_strdup_printf ("%u", before->current), g_strdup_printf ("%u", after->current));
  return end_changes (out);
}

char *
vmd_boot_settings_describe (const VmdBootSettings *before,
                            const VmdBootSettings *after)
{
  GString *out = g_string_new (NULL);

  add_change (out, _("Boot order"), shown_devices (before->devices), shown_devices (after->devices));
  add_change (out, _("Boot menu"), g_strdup (before->menu ? _("on") : _("off")),
              g_strdup (after->menu ? _("on") : _("off")));
  add_text_change (out, _("Kernel"), before->kernel, after->kernel);
  add_text_change (out, _("Initrd"), before->initrd, after->initrd);
  add_text_change (out, _("Kernel arguments"), before->cmdline, after->cmdline);
  return end_changes (out);
}

/* --- editing -------------------------------------------------------------------------------- */

static char *
to_string (xmlDoc *doc)
{
  xmlChar *buffer = NULL;
  int size = 0;
  char *out;

  xmlDocDumpFormatMemory (doc, &buffer, &size, 0);
  out = g_strndup ((const char *) buffer, size);
  xmlFree (buffer);
  return out;
}

static char *
node_to_string (xmlDoc  *doc,
                xmlNode *node)
{
  xmlBuffer *buffer = xmlBufferCreate ();
  char *out;

  xmlNodeDump (buffer, doc, node, 0, 0);
  out = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  return out;
}

static xmlNode *
child_element (xmlNode    *parent,
               const char *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && xmlStrEqual (child->name, BAD_CAST name))
      return child;
  return NULL;
}

static void
remove_children (xmlNode    *parent,
                 const char *name)
{
  xmlNode *child;

  while ((child = child_element (parent, name)) != NULL)
    {
      xmlUnlinkNode (child);
      xmlFreeNode (child);
    }
}

static xmlNode *
ensure_child (xmlNode    *parent,
              const char *name)
{
  xmlNode *child = child_element (parent, name);

  return child != NULL ? child : xmlNewChild (parent, NULL, BAD_CAST name, NULL);
}

/* Sets <name>text</name> under parent, or removes it when text is NULL or empty. */
static void
set_text_child (xmlNode    *parent,
                const char *name,
                const char *text)
{
  if (text == NULL || *text == '\0')
    {
      remove_children (parent, name);
      return;
    }
  xmlNodeSetContent (ensure_child (parent, name), NULL);
  xmlNodeAddContent (ensure_child (parent, name), BAD_CAST text);
}

char *
vmd_domain_xml_set_title (const char  *xml,
                          const char  *title,
                          const char  *description,
                          GError     **error)
{
  g_autoptr(xmlDoc) doc = parse_document (xml, error);

  if (doc == NULL)
    return NULL;
  if (title != NULL && strchr (title, '\n') != NULL)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                           _("The title must be a single line"));
      return NULL;
    }
  set_text_child (xmlDocGetRootElement (doc), "title", title);
  set_text_child (xmlDocGetRootElement (doc), "description", description);
  return to_string (doc);
}

static void
set_kib (xmlNode    *root,
         const char *name,
         guint64     kib)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, kib);
  xmlNode *node = ensure_child (root, name);

  xmlNodeSetContent (node, BAD_CAST text);
  xmlSetProp (node, BAD_CAST "unit", BAD_CAST "KiB");
}

char *
vmd_domain_xml_set_memory (const char  *xml,
                           guint64      max_kib,
                           guint64      current_kib,
                           GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;

  if (max_kib == 0 || current_kib == 0 || current_kib > max_kib)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                           _("The current memory must be more than zero and no more than the maximum"));
      return NULL;
    }
  if ((doc = parse_document (xml, error)) == NULL)
    return NULL;
  set_kib (xmlDocGetRootElement (doc), "memory", max_kib);
  set_kib (xmlDocGetRootElement (doc), "currentMemory", current_kib);
  return to_string (doc);
}

char *
vmd_domain_xml_set_vcpus (const char  *xml,
                          guint        max,
                          guint        current,
                          GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *max_text = g_strdup_printf ("%u", max);
  g_autofree char *current_text = g_strdup_printf ("%u", current);
  xmlNode *vcpu;

  if (current == 0 || current > max)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                           _("The number of vCPUs must be at least 1 and no more than the maximum"));
      return NULL;
    }
  if ((doc = parse_document (xml, error)) == NULL)
    return NULL;
  vcpu = ensure_child (xmlDocGetRootElement (doc), "vcpu");
  xmlNodeSetContent (vcpu, BAD_CAST max_text);
  if (current < max)
    xmlSetProp (vcpu, BAD_CAST "current", BAD_CAST current_text);
  else
    xmlUnsetProp (vcpu, BAD_CAST "current");
  return to_string (doc);
}

char *
vmd_domain_xml_set_boot (const char             *xml,
                         const VmdBootSettings  *boot,
                         GError                **error)
{
  g_autoptr(xmlDoc) doc = parse_document (xml, error);
  xmlNode *os;

  if (doc == NULL)
    return NULL;
  os = ensure_child (xmlDocGetRootElement (doc), "os");
  remove_children (os, "boot");
  remove_children (os, "bootmenu");
  for (guint i = 0; boot->devices != NULL && boot->devices[i] != NULL; i++)
    xmlSetProp (xmlNewChild (os, NULL, BAD_CAST "boot", NULL), BAD_CAST "dev", BAD_CAST boot->devices[i]);
  if (boot->menu)
    xmlSetProp (xmlNewChild (os, NULL, BAD_CAST "bootmenu", NULL), BAD_CAST "enable", BAD_CAST "yes");
  set_text_child (os, "kernel", boot->kernel);
  set_text_child (os, "initrd", boot->initrd);
  set_text_child (os, "cmdline", boot->cmdline);
  return to_string (doc);
}

char *
vmd_domain_xml_add_device (const char  *xml,
                           const char  *device_xml,
                           GError     **error)
{
  g_autoptr(xmlDoc) doc = parse_document (xml, error);
  g_autoptr(xmlDoc) device = NULL;

  if (doc == NULL || (device = parse_document (device_xml, error)) == NULL)
    return NULL;
  xmlAddChild (ensure_child (xmlDocGetRootElement (doc), "devices"),
               xmlDocCopyNode (xmlDocGetRootElement (device), doc, 1));
  return to_string (doc);
}

static xmlNode *
find_node (xmlDoc      *doc,
           const char  *xpath,
           GError     **error)
{
  g_autoptr(xmlXPathContext) ctx = new_context (doc);
  g_autoptr(xmlXPathObject) obj = xpath_nodes (ctx, xpath);

  if (n_nodes (obj) == 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND, _("The machine has no such device (%s)"), xpath);
      return NULL;
    }
  return obj->nodesetval->nodeTab[0];
}

char *
vmd_domain_xml_remove_device (const char  *xml,
                              const char  *xpath,
                              GError     **error)
{
  g_autoptr(xmlDoc) doc = parse_document (xml, error);
  xmlNode *node;

  if (doc == NULL || (node = find_node (doc, xpath, error)) == NULL)
    return NULL;
  xmlUnlinkNode (node);
  xmlFreeNode (node);
  return to_string (doc);
}

/* In place, so that the order of devices (and the guest's PCI addresses) stays. */
char *
vmd_domain_xml_replace_device (const char  *xml,
                               const char  *xpath,
                               const char  *device_xml,
                               GError     **error)
{
  g_autoptr(xmlDoc) doc = parse_document (xml, error);
  g_autoptr(xmlDoc) device = NULL;
  xmlNode *node;

  if (doc == NULL || (device = parse_document (device_xml, error)) == NULL ||
      (node = find_node (doc, xpath, error)) == NULL)
    return NULL;
  xmlFreeNode (xmlReplaceNode (node, xmlDocCopyNode (xmlDocGetRootElement (device), doc, 1)));
  return to_string (doc);
}

/* The XML of one device, as virDomainUpdateDeviceFlags and friends take it. */
char *
vmd_domain_xml_get_device (const char  *xml,
                           const char  *xpath,
                           GError     **error)
{
  g_autoptr(xmlDoc) doc = parse_document (xml, error);
  xmlNode *node;

  if (doc == NULL || (node = find_node (doc, xpath, error)) == NULL)
    return NULL;
  return node_to_string (doc, node);
}

/* path NULL ejects: an empty drive has no <source>. */
char *
vmd_disk_xml_set_source (const char  *disk_xml,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(xmlDoc) doc = parse_document (disk_xml, error);
  xmlNode *disk;

  if (doc == NULL)
    return NULL;
  disk = xmlDocGetRootElement (doc);
  remove_children (disk, "source");
  if (path != NULL)
    {
      xmlNode *source = xmlNewNode (NULL, BAD_CAST "source");

      xmlSetProp (source, BAD_CAST "file", BAD_CAST path);
      /* <source> before <target>, where libvirt writes it. */
      if (disk->children != NULL)
        xmlAddPrevSibling (child_element (disk, "target") != NULL ? child_element (disk, "target")
                                                                  : disk->children, source);
      else
        xmlAddChild (disk, source);
      xmlSetProp (disk, BAD_CAST "type", BAD_CAST "file");
    }
  return node_to_string (doc, disk);
}

char *
vmd_nic_xml_set_link (const char  *nic_xml,
                      gboolean     up,
                      GError     **error)
{
  g_autoptr(xmlDoc) doc = parse_document (nic_xml, error);
  xmlNode *nic;

  if (doc == NULL)
    return NULL;
  nic = xmlDocGetRootElement (doc);
  xmlSetProp (ensure_child (nic, "link"), BAD_CAST "state", BAD_CAST (up ? "up" : "down"));
  return node_to_string (doc, nic);
}

char *
vmd_disk_xpath (const char *target)
{
  return g_strdup_printf ("/domain/devices/disk[target/@dev='%s']", target);
}

char *
vmd_nic_xpath (const char *mac)
{
  g_autofree char *lower = g_ascii_strdown (mac, -1);

  return g_strdup_printf ("/domain/devices/interface[translate(mac/@address,'ABCDEF','abcdef')='%s']", lower);
}

/* --- diff ----------------------------------------------------------------------------------- */

/* A line diff ("-", "+", " " prefixes) by longest common subsequence: domain XML has a few
 * hundred lines, so the quadratic table is small. */
char *
vmd_text_diff (const char *before,
               const char *after)
{
  g_auto(GStrv) a = g_strsplit (before != NULL ? before : "", "\n", -1);
  g_auto(GStrv) b = g_strsplit (after != NULL ? after : "", "\n", -1);
  guint n = g_strv_length (a), m = g_strv_length (b);
  g_autofree guint *lcs = g_new0 (guint, (gsize) (n + 1) * (m + 1));
  GString *out = g_string_new (NULL);
  guint i = 0, j = 0;

#define LCS(x, y) lcs[(gsize) (x) * (m + 1) + (y)]
  for (int x = (int) n - 1; x >= 0; x--)
    for (int y = (int) m - 1; y >= 0; y--)
      LCS (x, y) = g_str_equal (a[x], b[y]) ? LCS (x + 1, y + 1) + 1
                                             : MAX (LCS (x + 1, y), LCS (x, y + 1));
  while (i < n || j < m)
    {
      if (i < n && j < m && g_str_equal (a[i], b[j]))
        {
          g_string_append_printf (out, "  %s\n", a[i++]);
          j++;
        }
      else if (j < m && (i == n || LCS (i, j + 1) >= LCS (i + 1, j)))
        g_string_append_printf (out, "+ %s\n", b[j++]);
      else
        g_string_append_printf (out, "- %s\n", a[i++]);
    }
#undef LCS
  return g_string_free (out, FALSE);
}
