/* VmdMachineConfig: a domain's definition read through VmdXml (XPath), once, in a worker; the
 * result is shared read-only on the main loop by the details model and its pages. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-domain-xml.h"
#include "vmd-error.h"
#include "vmd-machine-config.h"
#include "vmd-xml.h"

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

void
vmd_machine_config_unref (VmdMachineConfig *config)
{
  if (g_atomic_ref_count_dec (&config->ref_count))
    config_free (config);
}

/* --- reading -------------------------------------------------------------------------------- */

/* <memory unit='MiB'>256</memory> in KiB, as libvirt's own getters give it. */
static guint64
memory_kib (VmdXml     *doc,
            const char *element)
{
  g_autofree char *unit_expr = g_strdup_printf ("/domain/%s/@unit", element);
  g_autofree char *value_expr = g_strdup_printf ("/domain/%s", element);
  g_autofree char *unit = vmd_xml_string (doc, NULL, unit_expr);
  guint64 value = vmd_xml_uint (doc, NULL, value_expr, 0);

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

static VmdDiskInfo *
read_disk (VmdXml     *doc,
           VmdXmlNode *node)
{
  VmdDiskInfo *disk = g_new0 (VmdDiskInfo, 1);

  disk->device = vmd_xml_string (doc, node, "@device");
  if (disk->device == NULL)
    disk->device = g_strdup ("disk");
  disk->type = vmd_xml_string (doc, node, "@type");
  disk->path = vmd_xml_string (doc, node, "source/@file|source/@dev|source/@name|source/@volume");
  disk->format = vmd_xml_string (doc, node, "driver/@type");
  disk->bus = vmd_xml_string (doc, node, "target/@bus");
  disk->target = vmd_xml_string (doc, node, "target/@dev");
  disk->readonly = vmd_xml_exists (doc, node, "readonly");
  return disk;
}

static void
read_disks (VmdMachineConfig *config,
            VmdXml           *doc)
{
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (doc, NULL, "/domain/devices/disk");

  for (guint i = 0; i < nodes->len; i++)
    g_ptr_array_add (config->disks, read_disk (doc, nodes->pdata[i]));
}

/* The running machine's half: its tap device, and the link state it has now. */
static void
read_live_nic (VmdNicInfo *nic,
               VmdXml     *live)
{
  g_autofree char *xpath = vmd_nic_xpath (nic->mac);
  g_autofree char *tap_expr = g_strconcat (xpath, "/target/@dev", NULL);
  g_autofree char *link_expr = g_strconcat (xpath, "/link/@state", NULL);
  g_autofree char *live_link = vmd_xml_string (live, NULL, link_expr);

  nic->tap = vmd_xml_string (live, NULL, tap_expr);
  if (live_link != NULL)
    nic->link_up = g_strcmp0 (live_link, "down") != 0;
}

static void
read_nics (VmdMachineConfig *config,
           VmdXml           *doc,
           VmdXml           *live)
{
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (doc, NULL, "/domain/devices/interface");

  for (guint i = 0; i < nodes->len; i++)
    {
      VmdNicInfo *nic = g_new0 (VmdNicInfo, 1);
      g_autofree char *link = vmd_xml_string (doc, nodes->pdata[i], "link/@state");

      nic->type = vmd_xml_string (doc, nodes->pdata[i], "@type");
      nic->source = vmd_xml_string (doc, nodes->pdata[i], "source/@network|source/@bridge|source/@dev");
      nic->model = vmd_xml_string (doc, nodes->pdata[i], "model/@type");
      nic->mac = vmd_xml_string (doc, nodes->pdata[i], "mac/@address");
      nic->link_up = g_strcmp0 (link, "down") != 0;
      if (live != NULL && nic->mac != NULL)
        read_live_nic (nic, live);
      g_ptr_array_add (config->nics, nic);
    }
}

/* UEFI: said so, or a pflash loader, or a loader from an OVMF or AAVMF build. */
static void
read_firmware (VmdMachineConfig *config,
               VmdXml           *doc)
{
  g_autofree char *loader = vmd_xml_string (doc, NULL, "/domain/os/loader");

  config->uefi = vmd_xml_exists (doc, NULL, "/domain/os[@firmware='efi']") ||
                 vmd_xml_exists (doc, NULL, "/domain/os/loader[@type='pflash' or contains(., 'OVMF') or "
                                 "contains(., 'AAVMF')]");
  /* Secure Boot asked of libvirt's auto-selection, or a loader it resolved or was given. */
  gboolean secure_boot = config->secure_boot = config->uefi &&
    (vmd_xml_exists (doc, NULL, "/domain/os/firmware/feature[@name='secure-boot'][@enabled='yes']") ||
     vmd_xml_exists (doc, NULL, "/domain/os/loader[@secure='yes']"));
  const char *kind = secure_boot ? _("UEFI, Secure Boot on") : config->uefi ? "UEFI" : "BIOS";

  if (loader != NULL)
    config->firmware = g_strdup_printf ("%s (%s)", kind, loader);
  else
    config->firmware = g_strdup (kind);
}

static void
read_boot (VmdMachineConfig *config,
           VmdXml           *doc)
{
  g_autofree char *menu = vmd_xml_string (doc, NULL, "/domain/os/bootmenu/@enable");

  config->boot_devices = vmd_xml_strings (doc, "/domain/os/boot/@dev");
  config->boot_menu = g_strcmp0 (menu, "yes") == 0;
  config->kernel = vmd_xml_string (doc, NULL, "/domain/os/kernel");
  config->initrd = vmd_xml_string (doc, NULL, "/domain/os/initrd");
  config->cmdline = vmd_xml_string (doc, NULL, "/domain/os/cmdline");
}

static void
read_overview (VmdMachineConfig *config,
               VmdXml           *doc)
{
  config->name = vmd_xml_string (doc, NULL, "/domain/name");
  config->uuid = vmd_xml_string (doc, NULL, "/domain/uuid");
  config->title = vmd_xml_string (doc, NULL, "/domain/title");
  config->description = vmd_xml_string (doc, NULL, "/domain/description");
  config->os_id = vmd_xml_string (doc, NULL, "/domain/metadata/libosinfo:libosinfo/libosinfo:os/@id");
  config->emulator = vmd_xml_string (doc, NULL, "/domain/devices/emulator");
  config->domain_type = vmd_xml_string (doc, NULL, "/domain/@type");
  config->arch = vmd_xml_string (doc, NULL, "/domain/os/type/@arch");
  config->machine_type = vmd_xml_string (doc, NULL, "/domain/os/type/@machine");
  read_firmware (config, doc);
}

/* <vcpu current='1'>2</vcpu>: current is the maximum when not said. */
static guint
current_vcpus (VmdXml *doc)
{
  guint max = (guint) vmd_xml_uint (doc, NULL, "/domain/vcpu", 0);

  return (guint) vmd_xml_uint (doc, NULL, "/domain/vcpu/@current", max);
}

static void
read_resources (VmdMachineConfig *config,
                VmdXml           *doc,
                VmdXml           *live)
{
  config->max_memory_kib = memory_kib (doc, "memory");
  config->current_memory_kib = memory_kib (doc, "currentMemory");
  if (config->current_memory_kib == 0)
    config->current_memory_kib = config->max_memory_kib;
  config->max_vcpus = (guint) vmd_xml_uint (doc, NULL, "/domain/vcpu", 0);
  config->current_vcpus = current_vcpus (doc);
  if (live != NULL)
    {
      config->live_memory_kib = memory_kib (live, "currentMemory");
      config->live_vcpus = current_vcpus (live);
    }
}

/* live_xml may be NULL (the machine is off). */
VmdMachineConfig *
vmd_machine_config_parse (const char  *xml,
                          const char  *live_xml,
                          GError     **error)
{
  g_autoptr(VmdMachineConfig) config = g_new0 (VmdMachineConfig, 1);
  g_autoptr(VmdXml) doc = NULL;
  g_autoptr(VmdXml) live = NULL;

  g_atomic_ref_count_init (&config->ref_count);
  if ((doc = vmd_xml_parse (xml, error)) == NULL)
    return NULL;
  if (live_xml != NULL && (live = vmd_xml_parse (live_xml, error)) == NULL)
    return NULL;
  config->xml = g_strdup (xml);
  config->live_xml = g_strdup (live_xml);
  config->disks = g_ptr_array_new_with_free_func ((GDestroyNotify) disk_info_free);
  config->nics = g_ptr_array_new_with_free_func ((GDestroyNotify) nic_info_free);
  read_overview (config, doc);
  read_resources (config, doc, live);
  read_boot (config, doc);
  /* Disks as they are now: a CD changed while running shows its new medium. */
  read_disks (config, live != NULL ? live : doc);
  read_nics (config, doc, live);
  return g_steal_pointer (&config);
}

/* --- questions about a config ----------------------------------------------------------------- */

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

static gboolean
refuse_snapshot (char      **reason,
                 char       *why)
{
  if (reason != NULL)
    *reason = why;
  else
    g_free (why);
  return FALSE;
}

/* libvirt's QEMU driver takes internal snapshots only of qcow2 disks, and none of machines whose
 * firmware lives in pflash (UEFI): say so before libvirt does, in words a user can act on. */
gboolean
vmd_machine_config_can_snapshot (const VmdMachineConfig  *config,
                                 char                   **reason)
{
  for (guint i = 0; i < config->disks->len; i++)
    {
      VmdDiskInfo *disk = config->disks->pdata[i];

      if (g_strcmp0 (disk->device, "disk") != 0 || disk->readonly || disk->path == NULL)
        continue;
      if (disk->format != NULL && g_strcmp0 (disk->format, "qcow2") != 0)
        return refuse_snapshot (reason, g_strdup_printf (_("Disk %s is in %s format: snapshots need every "
                                                           "disk in qcow2 format."),
                                                         disk->target, disk->format));
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
