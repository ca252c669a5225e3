/* The host's firmware and TPM emulation, from libvirt's domain capabilities. libvirt 9.0 lists
 * OVMF's loaders with a "secure" enum (Secure Boot builds present) but not yet the firmware
 * descriptors' features, and lists the TPM's emulator backend only when it found swtpm; a
 * libvirt without the <tpm> element is answered from the host's own swtpm binaries. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-host-platform.h"
#include "vmd-xml.h"

#define CAPS "/domainCapabilities"
#define TPM  CAPS "/devices/tpm"

/* Without <tpm> in the capabilities (older libvirt), the binaries libvirt would run. */
static gboolean
swtpm_installed (const char *root)
{
  const char *tools[] = { "usr/bin/swtpm", "usr/bin/swtpm_setup", NULL };

  if (root == NULL)
    return FALSE;
  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (root, tools[i], NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return FALSE;
    }
  return TRUE;
}

/* ROOT: the local host's file system, or NULL for a remote host (its files are not ours to read). */
void
vmd_host_platform_read (const char      *domain_caps,
                        const char      *root,
                        VmdHostPlatform *platform)
{
  g_autoptr(VmdXml) doc = domain_caps != NULL ? vmd_xml_parse (domain_caps, NULL) : NULL;

  *platform = (VmdHostPlatform) { FALSE, FALSE, FALSE };
  if (doc == NULL)
    return;
  platform->uefi = vmd_xml_exists (doc, NULL, CAPS "/os/enum[@name='firmware']/value[.='efi']");
  platform->secure_boot = platform->uefi &&
    vmd_xml_exists (doc, NULL, CAPS "/os/loader/enum[@name='secure']/value[.='yes']");
  if (vmd_xml_exists (doc, NULL, CAPS "/devices/tpm"))
    platform->tpm =
      vmd_xml_exists (doc, NULL, TPM "[@supported='yes']/enum[@name='backendModel']/value[.='emulator']") &&
      (!vmd_xml_exists (doc, NULL, TPM "/enum[@name='backendVersion']") ||
       vmd_xml_exists (doc, NULL, TPM "/enum[@name='backendVersion']/value[.='2.0']"));
  else
    platform->tpm = swtpm_installed (root);
}

/* For each part wanted that the host lacks: what is missing and the command that brings it;
 * NULL when nothing wanted is missing. */
char *
vmd_host_platform_describe_missing (const VmdHostPlatform *platform,
                                    gboolean               uefi,
                                    gboolean               secure_boot,
                                    gboolean               tpm)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();

  if ((uefi || secure_boot) && !platform->uefi)
    g_ptr_array_add (lines, _("This host has no UEFI firmware that libvirt can use. Install it "
                              "with “apt install ovmf”, then connect again."));
  else if (secure_boot && !platform->secure_boot)
    g_ptr_array_add (lines, _("This host's UEFI firmware has no Secure Boot build. Install "
                              "Debian's full OVMF with “apt install ovmf”, then connect again."));
  if (tpm && !platform->tpm)
    g_ptr_array_add (lines, _("This host cannot emulate a TPM: swtpm is missing. Install it with "
                              "“apt install swtpm swtpm-tools”, restart libvirtd, then connect "
                              "again."));
  if (lines->len == 0)
    return NULL;
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* What new machines can have here, then how to install what is missing: for Connection Details. */
char *
vmd_host_platform_describe (const VmdHostPlatform *platform)
{
  g_autofree char *missing = vmd_host_platform_describe_missing (platform, TRUE, TRUE, TRUE);
  const char *firmware = !platform->uefi ? _("BIOS only (no UEFI)")
                         : platform->secure_boot ? _("UEFI with Secure Boot")
                         : _("UEFI without Secure Boot");
  const char *tpm = platform->tpm ? _("TPM 2.0 emulation") : _("no TPM emulation");

  /* TRANSLATORS: the firmware the host offers, then its TPM emulation. */
  return missing != NULL ? g_strdup_printf (_("%s, %s.\n%s"), firmware, tpm, missing)
                         : g_strdup_printf (_("%s, %s."), firmware, tpm);
}
