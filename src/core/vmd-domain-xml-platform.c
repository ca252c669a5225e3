/* The firmware and the platform around it, written into a new machine's document: libvirt's
 * firmware auto-selection (<os firmware='efi'> with the features asked of the firmware
 * descriptors), SMM for Secure Boot, an emulated TPM 2.0, and for Windows the Hyper-V
 * enlightenments and clock virt-manager gives it. libvirt-gconfig 4.0 has none of these elements,
 * so they are added to the document gconfig wrote. */
#include "config.h"

#include <glib/gi18n.h>
#include <libxml/tree.h>

#include "vmd-device-xml.h"
#include "vmd-domain-xml.h"
#include "vmd-error.h"
#include "vmd-machine.h"
#include "vmd-xml.h"

/* virt-manager's set for Windows guests (virtinst/guest.py), with its retry count. */
static const char * const hyperv_features[] = {
  "relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic", "stimer", "reset",
  "frequencies", NULL
};

static xmlNode *
replace_child (xmlNode    *parent,
               const char *name)
{
  vmd_xml_remove_children (parent, name);
  return xmlNewChild (parent, NULL, BAD_CAST name, NULL);
}

static void
add_feature (xmlNode    *firmware,
             const char *name,
             gboolean    enabled)
{
  xmlNode *feature = xmlNewChild (firmware, NULL, BAD_CAST "feature", NULL);

  xmlSetProp (feature, BAD_CAST "enabled", BAD_CAST (enabled ? "yes" : "no"));
  xmlSetProp (feature, BAD_CAST "name", BAD_CAST name);
}

/* Plain UEFI says "no Secure Boot" out loud: left unsaid, libvirt picks the first descriptor by
 * priority, which on Debian is the Secure Boot build with Microsoft's keys. */
static void
set_firmware (xmlNode                   *root,
              const VmdPlatformSettings *platform)
{
  xmlNode *os = vmd_xml_ensure_child (root, "os");
  xmlNode *firmware;

  /* A loader and NVRAM named outright (an older machine, or one libvirt resolved) would keep the
   * old firmware: auto-selection chooses again. */
  vmd_xml_remove_children (os, "loader");
  vmd_xml_remove_children (os, "nvram");
  if (!platform->uefi)
    {
      xmlUnsetProp (os, BAD_CAST "firmware");
      vmd_xml_remove_children (os, "firmware");
      return;
    }
  xmlSetProp (os, BAD_CAST "firmware", BAD_CAST "efi");
  firmware = replace_child (os, "firmware");
  add_feature (firmware, "secure-boot", platform->secure_boot);
  if (platform->secure_boot)
    add_feature (firmware, "enrolled-keys", TRUE);
}

/* OVMF's Secure Boot builds require SMM, so that the guest cannot write its own variables. */
static void
set_features (xmlNode                   *root,
              const VmdPlatformSettings *platform)
{
  xmlNode *features = vmd_xml_ensure_child (root, "features");
  xmlNode *hyperv;

  vmd_xml_ensure_child (features, "acpi");
  if (platform->secure_boot)
    xmlSetProp (replace_child (features, "smm"), BAD_CAST "state", BAD_CAST "on");
  if (!platform->hyperv)
    return;
  hyperv = replace_child (features, "hyperv");
  xmlSetProp (hyperv, BAD_CAST "mode", BAD_CAST "custom");
  for (guint i = 0; hyperv_features[i] != NULL; i++)
    {
      xmlNode *feature = xmlNewChild (hyperv, NULL, BAD_CAST hyperv_features[i], NULL);

      xmlSetProp (feature, BAD_CAST "state", BAD_CAST "on");
      if (g_str_equal (hyperv_features[i], "spinlocks"))
        xmlSetProp (feature, BAD_CAST "retries", BAD_CAST "8191");
    }
}

static void
add_timer (xmlNode    *clock,
           const char *name,
           const char *attribute,
           const char *value)
{
  xmlNode *timer = xmlNewChild (clock, NULL, BAD_CAST "timer", NULL);

  xmlSetProp (timer, BAD_CAST "name", BAD_CAST name);
  xmlSetProp (timer, BAD_CAST attribute, BAD_CAST value);
}

/* Windows keeps the hardware clock in local time, and counts on Hyper-V's reference clock. */
static void
set_windows_clock (xmlNode *root)
{
  xmlNode *clock = replace_child (root, "clock");

  xmlSetProp (clock, BAD_CAST "offset", BAD_CAST "localtime");
  add_timer (clock, "rtc", "tickpolicy", "catchup");
  add_timer (clock, "pit", "tickpolicy", "delay");
  add_timer (clock, "hpet", "present", "no");
  add_timer (clock, "hypervclock", "present", "yes");
}

static gboolean
add_tpm (xmlNode  *root,
         GError  **error)
{
  g_autofree char *tpm_xml = vmd_tpm_spec_xml (&(VmdTpmSpec) { .passthrough = FALSE });
  g_autoptr(VmdXml) tpm = vmd_xml_parse (tpm_xml, error);
  g_autoptr(GPtrArray) roots = NULL;

  if (tpm == NULL)
    return FALSE;
  roots = vmd_xml_nodes (tpm, NULL, "/*");
  xmlAddChild (vmd_xml_ensure_child (root, "devices"), xmlDocCopyNode (roots->pdata[0], root->doc, 1));
  return TRUE;
}

static char *
dump (xmlNode *root)
{
  /* The element alone, as gconfig writes it: no XML declaration before it. */
  xmlBuffer *buffer = xmlBufferCreate ();
  char *out;

  xmlNodeDump (buffer, root->doc, root, 0, 0);
  out = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  return out;
}

/* VM Desk's mark in the domain's metadata: the next start asks libvirt for fresh NVRAM. */
static void
mark_reset_nvram (xmlNode *root)
{
  xmlNode *metadata = vmd_xml_ensure_child (root, "metadata");
  xmlNode *mark;
  xmlNs *ns;

  for (xmlNode *child = metadata->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && child->ns != NULL &&
        xmlStrEqual (child->ns->href, BAD_CAST VMD_FIRMWARE_NS))
      return;
  mark = xmlNewChild (metadata, NULL, BAD_CAST "firmware", NULL);
  ns = xmlNewNs (mark, BAD_CAST VMD_FIRMWARE_NS, BAD_CAST "vmdesk");
  xmlSetNs (mark, ns);
  xmlSetProp (mark, BAD_CAST "reset-nvram", BAD_CAST "yes");
}

char *
vmd_domain_xml_set_firmware (const char  *xml,
                             gboolean     uefi,
                             gboolean     secure_boot,
                             gboolean     reset_nvram,
                             GError     **error)
{
  const VmdPlatformSettings platform = { .uefi = uefi, .secure_boot = secure_boot };
  g_autoptr(VmdXml) doc = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  xmlNode *root;

  if (secure_boot && !uefi)
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("Secure Boot needs UEFI firmware: choose UEFI, or turn Secure "
                                  "Boot off.")), NULL;
  if ((doc = vmd_xml_parse (xml, error)) == NULL)
    return NULL;
  roots = vmd_xml_nodes (doc, NULL, "/*");
  root = roots->pdata[0];
  set_firmware (root, &platform);
  set_features (root, &platform);
  if (reset_nvram)
    mark_reset_nvram (root);
  return dump (root);
}

char *
vmd_domain_xml_set_platform (const char                *xml,
                             const VmdPlatformSettings *platform,
                             GError                   **error)
{
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, error);
  g_autoptr(GPtrArray) roots = NULL;
  xmlNode *root;

  if (doc == NULL)
    return NULL;
  roots = vmd_xml_nodes (doc, NULL, "/*");
  root = roots->pdata[0];
  set_firmware (root, platform);
  set_features (root, platform);
  if (platform->local_clock)
    set_windows_clock (root);
  if (platform->tpm && !add_tpm (root, error))
    return NULL;
  return dump (root);
}
