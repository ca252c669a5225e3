/* Fuzzes the reader of domain XML that the details window uses (vmd_machine_config_parse() in
 * src/core/vmd-machine-config.c) and the edits made on the same document. Input: the
 * persistent definition, optionally a NUL byte and the live one. libxml2 must never load
 * anything from outside the document (an external DTD or entity): a loader that aborts is
 * installed to prove it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libxml/parser.h>

#include "vmd-domain-xml.h"
#include "vmd-form-fields.h"
#include "vmd-machine-config.h"
#include "vmd-text-diff.h"

static xmlParserInputPtr
no_external_loading (const char       *url,
                     const char       *id,
                     xmlParserCtxtPtr  context)
{
  fprintf (stderr, "libxml2 was asked to load “%s” (%s) while reading a domain XML\n",
           url != NULL ? url : "(null)", id != NULL ? id : "(null)");
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  xmlSetExternalEntityLoader (no_external_loading);
  return 0;
}

/* What the details window does with a definition it has read. */
static void
exercise (const VmdMachineConfig *config)
{
  static const char *buses[] = { "virtio", "sata", "scsi", "ide", "usb", "fdc", "xen", "sd" };
  g_autofree char *reason = NULL;

  vmd_machine_config_can_snapshot (config, &reason);
  for (guint i = 0; i < G_N_ELEMENTS (buses); i++)
    g_free (vmd_machine_config_next_target (config, buses[i]));
  for (guint i = 0; i < config->disks->len; i++)
    {
      const VmdDiskInfo *disk = config->disks->pdata[i];

      g_assert (disk->device != NULL);
      if (disk->target != NULL)
        g_assert (vmd_machine_config_find_disk (config, disk->target) != NULL);
    }
  for (guint i = 0; i < config->nics->len; i++)
    {
      const VmdNicInfo *nic = config->nics->pdata[i];

      if (nic->mac != NULL)
        g_assert (vmd_machine_config_find_nic (config, nic->mac) != NULL);
    }
}

/* Each edit gives a document or an error, never both, never neither. */
static void
check_edit (char   *edited,
            GError *error,
            const char *xml)
{
  g_assert ((edited == NULL) != (error == NULL));
  if (edited != NULL)
    g_free (vmd_text_diff (xml, edited));
  g_free (edited);
  g_clear_error (&error);
}

static void
edit (const VmdMachineConfig *config,
      const char             *xml)
{
  const char *devices[] = { "hd", "cdrom", NULL };
  VmdBootSettings boot = { devices, TRUE, config->kernel, config->initrd, "console=ttyS0" };
  GError *error = NULL;
  char *edited;

  edited = vmd_domain_xml_set_title (xml, "<title & 'x'>", config->description, &error);
  check_edit (edited, error, xml), error = NULL;
  edited = vmd_domain_xml_set_memory (xml, config->max_memory_kib + 1024, config->current_memory_kib,
                                      &error);
  check_edit (edited, error, xml), error = NULL;
  edited = vmd_domain_xml_set_vcpus (xml, config->max_vcpus + 1, config->current_vcpus, &error);
  check_edit (edited, error, xml), error = NULL;
  edited = vmd_domain_xml_set_boot (xml, &boot, &error);
  check_edit (edited, error, xml), error = NULL;
  if (config->disks->len > 0 && ((VmdDiskInfo *) config->disks->pdata[0])->target != NULL)
    {
      g_autofree char *xpath = vmd_disk_xpath (((VmdDiskInfo *) config->disks->pdata[0])->target);
      char *device = vmd_domain_xml_get_device (xml, xpath, &error);

      check_edit (g_strdup (device), error, xml), error = NULL;
      edited = vmd_domain_xml_remove_device (xml, xpath, &error);
      check_edit (edited, error, xml), error = NULL;
      if (device != NULL)
        {
          edited = vmd_disk_xml_set_source (device, "/var/lib/libvirt/images/new.iso", &error);
          check_edit (edited, error, device), error = NULL;
        }
      g_free (device);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  const char *nul = memchr (data, '\0', size);
  g_autofree char *live = nul != NULL ? g_strndup (nul + 1, size - (nul + 1 - (const char *) data))
                                      : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachineConfig) config = NULL;

  /* parse_document() quotes xmlGetLastError(), which an empty document does not set: the message
   * would be an earlier input's (tests/fuzz/findings/domain-xml-stale-error.bin, reported). */
  xmlResetLastError ();
  config = vmd_machine_config_parse (text, live, &error);

  if (config == NULL)
    {
      g_assert (error != NULL);
      /* The editor and libvirt only ever give UTF-8; from other bytes libxml2's message may
       * quote them as they are (tests/fuzz/findings/domain-xml-message-not-utf8.xml). */
      if (g_utf8_validate (text, -1, NULL) && (live == NULL || g_utf8_validate (live, -1, NULL)))
        g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  exercise (config);
  edit (config, text);
  return 0;
}
