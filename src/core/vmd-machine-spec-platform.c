/* VmdMachineSpec, the platform: firmware (BIOS or UEFI), Secure Boot and an emulated TPM 2.0,
 * proposed from what the OS wants and the host can give, each proposal giving way to the user's
 * own choice as the other defaults do; the check that refuses what cannot start, and the words
 * the assistant shows ("UEFI, Secure Boot on"). */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-error.h"
#include "vmd-machine-spec-private.h"

static gboolean
host_can (VmdMachineSpec *self,
          gboolean        part)
{
  return !self->host_platform_known || part;
}

static void
assign_boolean (VmdMachineSpec *self,
                gboolean       *field,
                gboolean        value,
                const char     *property)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify (G_OBJECT (self), property);
}

/* A choice the user made stays; the others follow the OS and the host. The TPM follows the
 * Secure Boot the spec holds now, the user's or proposed: a machine with Secure Boot gets a
 * TPM, as Windows and measured boot expect. */
void
vmd_machine_spec_apply_platform_defaults (VmdMachineSpec *self)
{
  VmdFirmware firmware = self->os_wants.uefi && host_can (self, self->host_platform.uefi)
                           ? VMD_FIRMWARE_UEFI : VMD_FIRMWARE_BIOS;

  g_object_freeze_notify (G_OBJECT (self));
  if (!self->users_firmware && self->firmware != firmware)
    {
      self->firmware = firmware;
      g_object_notify (G_OBJECT (self), "firmware");
    }
  if (!self->users_secure_boot)
    assign_boolean (self, &self->secure_boot,
                    self->os_wants.secure_boot && self->firmware == VMD_FIRMWARE_UEFI &&
                    host_can (self, self->host_platform.secure_boot), "secure-boot");
  if (!self->users_tpm)
    assign_boolean (self, &self->tpm,
                    (self->os_wants.tpm || self->secure_boot) && host_can (self, self->host_platform.tpm),
                    "tpm");
  g_object_thaw_notify (G_OBJECT (self));
}

/* The chosen OS's wishes; the choices follow where the user has not made their own. */
void
vmd_machine_spec_set_os_platform (VmdMachineSpec      *self,
                                  const VmdOsPlatform *wants)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  self->os_wants = *wants;
  vmd_machine_spec_apply_platform_defaults (self);
  vmd_machine_spec_emit_changed (self);
}

gboolean
vmd_machine_spec_get_hyperv (VmdMachineSpec *self)
{
  return self->os_wants.hyperv;
}

/* What the host's firmware and swtpm can give: a proposal never asks for what is missing. */
void
vmd_machine_spec_set_host_platform (VmdMachineSpec        *self,
                                    const VmdHostPlatform *platform)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  self->host_platform = *platform;
  self->host_platform_known = TRUE;
  vmd_machine_spec_apply_platform_defaults (self);
  vmd_machine_spec_emit_changed (self);
}

/* What the OS wants that this host cannot give, with the package that brings it; or NULL. */
char *
vmd_machine_spec_dup_platform_missing (VmdMachineSpec *self)
{
  if (!self->host_platform_known)
    return NULL;
  return vmd_host_platform_describe_missing (&self->host_platform, self->os_wants.uefi,
                                             self->os_wants.secure_boot,
                                             self->os_wants.tpm || self->os_wants.secure_boot);
}

/* "UEFI, Secure Boot on, TPM 2.0": the words the user sees for the choices. */
char *
vmd_machine_spec_describe_platform (VmdMachineSpec *self)
{
  const char *firmware;

  if (self->firmware == VMD_FIRMWARE_BIOS)
    firmware = self->secure_boot ? _("BIOS, Secure Boot on (not possible)") : _("BIOS");
  else
    firmware = self->secure_boot ? _("UEFI, Secure Boot on") : _("UEFI, Secure Boot off");
  if (!self->tpm)
    return g_strdup (firmware);
  /* TRANSLATORS: the firmware's description, then the TPM. */
  return g_strdup_printf (_("%s, TPM 2.0"), firmware);
}

/* Refused: what cannot start at all. The host's missing parts say how to install them. */
gboolean
vmd_machine_spec_check_platform (VmdMachineSpec  *self,
                                 GError         **error)
{
  g_autofree char *missing = NULL;

  if (self->secure_boot && self->firmware != VMD_FIRMWARE_UEFI)
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("Secure Boot needs UEFI firmware: choose UEFI, or turn Secure "
                                  "Boot off.")), FALSE;
  if (self->host_platform_known)
    missing = vmd_host_platform_describe_missing (&self->host_platform,
                                                  self->firmware == VMD_FIRMWARE_UEFI,
                                                  self->secure_boot, self->tpm);
  if (missing != NULL)
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE, missing), FALSE;
  return TRUE;
}

/* Allowed but probably not meant: less than the OS needs to install. */
char *
vmd_machine_spec_dup_platform_warning (VmdMachineSpec *self)
{
  const char *os = self->os_name != NULL ? self->os_name : _("This system");

  if (self->os_wants.uefi && self->firmware != VMD_FIRMWARE_UEFI)
    return g_strdup_printf (_("%s does not start from BIOS firmware: choose UEFI."), os);
  if ((self->os_wants.secure_boot && !self->secure_boot) || (self->os_wants.tpm && !self->tpm))
    return g_strdup_printf (_("%s needs Secure Boot and a TPM 2.0: its installer may refuse to "
                              "go on without them."), os);
  return NULL;
}
