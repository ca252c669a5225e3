/* Edits of a domain's XML document, as the details view makes them: each takes the whole
 * document and returns the new one (or NULL with an error), so that everything the view does not
 * know about (devices, metadata, namespaces) goes back to libvirt untouched. */
#pragma once

#include <glib.h>

#include "vmd-form-fields.h"

G_BEGIN_DECLS

char *vmd_domain_xml_set_title       (const char             *xml,
                                      const char             *title,
                                      const char             *description,
                                      GError                **error);
char *vmd_domain_xml_set_memory      (const char             *xml,
                                      guint64                 max_kib,
                                      guint64                 current_kib,
                                      GError                **error);
char *vmd_domain_xml_set_virt_type   (const char             *xml,
                                      const char             *type,
                                      GError                **error);
char *vmd_domain_xml_set_vcpus       (const char             *xml,
                                      guint                   max,
                                      guint                   current,
                                      GError                **error);
char *vmd_domain_xml_set_boot        (const char             *xml,
                                      const VmdBootSettings  *boot,
                                      GError                **error);

/* The firmware and what goes with it (vmd-domain-xml-platform.c), for a new machine. */
typedef struct {
  gboolean uefi;
  gboolean secure_boot;   /* needs uefi */
  gboolean tpm;           /* an emulated TPM 2.0 */
  gboolean hyperv;        /* Hyper-V enlightenments: Windows under KVM (QEMU's TCG refuses them) */
  gboolean local_clock;   /* Windows' clock: local time, with Hyper-V's reference timer */
} VmdPlatformSettings;

char *vmd_domain_xml_set_platform    (const char                *xml,
                                      const VmdPlatformSettings *platform,
                                      GError                   **error);
/* An existing machine's firmware (Details): loader and NVRAM left to libvirt's auto-selection,
 * and with reset_nvram VM Desk's mark (VMD_FIRMWARE_NS) that makes the next start make the
 * NVRAM afresh. */
char *vmd_domain_xml_set_firmware    (const char                *xml,
                                      gboolean                   uefi,
                                      gboolean                   secure_boot,
                                      gboolean                   reset_nvram,
                                      GError                   **error);

/* Devices, found by an XPath such as vmd_disk_xpath() gives. */
char *vmd_domain_xml_add_device      (const char             *xml,
                                      const char             *device_xml,
                                      GError                **error);
char *vmd_domain_xml_remove_device   (const char             *xml,
                                      const char             *xpath,
                                      GError                **error);
char *vmd_domain_xml_replace_device  (const char             *xml,
                                      const char             *xpath,
                                      const char             *device_xml,
                                      GError                **error);
char *vmd_domain_xml_get_device      (const char             *xml,
                                      const char             *xpath,
                                      GError                **error);
char *vmd_disk_xpath                 (const char             *target);
/* The same below another path to a domain element, as a snapshot's /domainsnapshot/domain. */
char *vmd_disk_xpath_under           (const char             *domain_path,
                                      const char             *target);
char *vmd_nic_xpath                  (const char             *mac);

/* Edits of one device's XML. */
char *vmd_disk_xml_set_source        (const char             *disk_xml,
                                      const char             *path,
                                      GError                **error);
char *vmd_nic_xml_set_link           (const char             *nic_xml,
                                      gboolean                up,
                                      GError                **error);

G_END_DECLS
