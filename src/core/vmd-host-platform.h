/* What a host's firmware and TPM emulation can give a new machine (UEFI, UEFI with Secure Boot,
 * an emulated TPM 2.0), read from libvirt's domain capabilities, and in words the missing parts
 * with the package that brings each. Part of VmdHostFacts; no GObject of its own. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gboolean uefi;         /* OVMF that libvirt can pick for <os firmware='efi'> */
  gboolean secure_boot;  /* an OVMF build with Secure Boot (loader secure='yes') */
  gboolean tpm;          /* swtpm for <tpm><backend type='emulator' version='2.0'/> */
} VmdHostPlatform;

/* What an OS wants of the platform: from libosinfo, and from a table where osinfo-db does not
 * say (vmd-os-catalog.c). */
typedef struct {
  gboolean uefi;          /* it does not start from BIOS */
  gboolean secure_boot;
  gboolean tpm;           /* a TPM 2.0 */
  gboolean hyperv;        /* Windows: Hyper-V enlightenments and a local-time clock */
} VmdOsPlatform;

void  vmd_host_platform_read             (const char            *domain_caps,
                                          const char            *root,
                                          VmdHostPlatform       *platform);
char *vmd_host_platform_describe         (const VmdHostPlatform *platform);
char *vmd_host_platform_describe_missing (const VmdHostPlatform *platform,
                                          gboolean               uefi,
                                          gboolean               secure_boot,
                                          gboolean               tpm);

G_END_DECLS
