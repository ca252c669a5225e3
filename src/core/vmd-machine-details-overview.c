/* VmdMachineDetails, the Overview page's changes: the name (virDomainRename, refused by libvirt
 * while the machine runs), the title and description (a form: only the fields the user changed),
 * whether it starts with the host, KVM or emulation, and the firmware. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-machine-details-private.h"

/* --- name --------------------------------------------------------------------------------------- */

static gboolean
apply_rename (VmdDetailsEdit  *edit,
              gpointer         change,
              GError         **error)
{
  char *name = change;

  if (virDomainRename (edit->handle, name, 0) < 0)
    return vmd_details_edit_fail (edit, _("Could not rename “%s”"), error);
  g_free (edit->machine_name);
  edit->machine_name = g_strdup (name);
  return TRUE;
}

void
vmd_machine_details_rename_async (VmdMachineDetails   *self,
                                  const char          *new_name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *name = g_strstrip (g_strdup (new_name != NULL ? new_name : ""));

  if (*name == '\0')
    {
      vmd_machine_details_refuse (self, g_error_new_literal (VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                                             _("The name cannot be empty")),
                                  vmd_machine_details_rename_async, cancellable, callback, user_data);
      return;
    }
  vmd_machine_details_run_edit (self,
                                vmd_machine_details_new_edit (self, apply_rename, g_steal_pointer (&name), g_free),
                                vmd_machine_details_rename_async, cancellable, callback, user_data);
}

/* --- title and description ---------------------------------------------------------------------- */

/* What the form started from (unless has_base is FALSE: then every field is written) and what
 * the user left in it; the strings are owned. */
typedef struct {
  gboolean       has_base;
  gboolean       overwrite;
  VmdTitleFields base;
  VmdTitleFields mine;
  VmdTitleFields merged;   /* borrowed from mine and the current definition */
} TitleChange;

static void
title_change_free (TitleChange *change)
{
  vmd_title_fields_clear (&change->base);
  vmd_title_fields_clear (&change->mine);
  g_free (change);
}

static char *
rewrite_title (const VmdMachineConfig  *current,
               const char              *xml,
               gpointer                 data,
               GError                 **error)
{
  TitleChange *change = data;
  VmdTitleFields now = vmd_title_fields_of (current);

  if (!vmd_title_fields_merge (change->has_base ? &change->base : NULL, &change->mine, &now,
                               change->overwrite, &change->merged, error))
    return NULL;
  return vmd_domain_xml_set_title (xml, change->merged.title, change->merged.description, error);
}

static const char *
or_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static void
title_live (VmdDetailsEdit *edit,
            gpointer        data)
{
  TitleChange *change = data;

  if (virDomainSetMetadata (edit->handle, VIR_DOMAIN_METADATA_TITLE, or_null (change->merged.title),
                            NULL, NULL, VIR_DOMAIN_AFFECT_LIVE) < 0 ||
      virDomainSetMetadata (edit->handle, VIR_DOMAIN_METADATA_DESCRIPTION, or_null (change->merged.description),
                            NULL, NULL, VIR_DOMAIN_AFFECT_LIVE) < 0)
    vmd_details_edit_note_live_failure (edit, _("The new title"));
}

static gboolean
apply_title (VmdDetailsEdit  *edit,
             gpointer         change,
             GError         **error)
{
  return vmd_details_edit_rewrite (edit, rewrite_title, title_live, change, error);
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
  TitleChange *change = g_new0 (TitleChange, 1);

  change->overwrite = (flags & VMD_EDIT_OVERWRITE) != 0;
  change->has_base = base != NULL;
  if (base != NULL)
    vmd_title_fields_copy (&change->base, base);
  vmd_title_fields_copy (&change->mine, mine);
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_title, change,
                                                                    (GDestroyNotify) title_change_free),
                                vmd_machine_details_set_title_async, cancellable, callback, user_data);
}

/* --- autostart ---------------------------------------------------------------------------------- */

static gboolean
apply_autostart (VmdDetailsEdit  *edit,
                 gpointer         change,
                 GError         **error)
{
  gboolean *autostart = change;

  if (virDomainSetAutostart (edit->handle, *autostart ? 1 : 0) < 0)
    return vmd_details_edit_fail (edit, _("Could not change whether “%s” starts with the host"), error);
  return TRUE;
}

void
vmd_machine_details_set_autostart_async (VmdMachineDetails   *self,
                                         gboolean             autostart,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  gboolean *change = g_new (gboolean, 1);

  *change = autostart;
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_autostart, change, g_free),
                                vmd_machine_details_set_autostart_async, cancellable, callback, user_data);
}

/* --- acceleration: KVM or emulation ------------------------------------------------------------ */

static char *
rewrite_virt_type (const VmdMachineConfig  *current,
                   const char              *xml,
                   gpointer                 data,
                   GError                 **error)
{
  return vmd_domain_xml_set_virt_type (xml, data, error);
}

static gboolean
apply_virt_type (VmdDetailsEdit  *edit,
                 gpointer         change,
                 GError         **error)
{
  return vmd_details_edit_rewrite (edit, rewrite_virt_type, NULL, change, error);
}

/* Only the domain's type changes, on the definition libvirt holds now; it takes effect at the
 * next start, so the page offers it while the machine is off. */
void
vmd_machine_details_set_kvm_async (VmdMachineDetails   *self,
                                   gboolean             kvm,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_virt_type,
                                                                    g_strdup (kvm ? "kvm" : "qemu"),
                                                                    g_free),
                                vmd_machine_details_set_kvm_async, cancellable, callback, user_data);
}

/* --- firmware: BIOS, UEFI, UEFI with Secure Boot ------------------------------------------------- */

typedef struct {
  gboolean uefi;
  gboolean secure_boot;
} FirmwareChange;

/* Only what changed is written. A UEFI machine's NVRAM may be one made for other firmware (its
 * own before, or one left from when it was UEFI before BIOS): its next start makes it again. */
static char *
rewrite_firmware (const VmdMachineConfig  *current,
                  const char              *xml,
                  gpointer                 data,
                  GError                 **error)
{
  FirmwareChange *change = data;

  if (current->uefi == change->uefi && current->secure_boot == change->secure_boot)
    return g_strdup (xml);
  return vmd_domain_xml_set_firmware (xml, change->uefi, change->secure_boot, change->uefi, error);
}

static gboolean
apply_firmware (VmdDetailsEdit  *edit,
                gpointer         change,
                GError         **error)
{
  if (virDomainIsActive (edit->handle) == 1)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                        _("“%s” is running: its firmware changes only while it is off."),
                        edit->machine_name), FALSE;
  return vmd_details_edit_rewrite (edit, rewrite_firmware, NULL, change, error);
}

void
vmd_machine_details_set_firmware_async (VmdMachineDetails   *self,
                                        gboolean             uefi,
                                        gboolean             secure_boot,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  FirmwareChange *change;

  if (secure_boot && !uefi)
    {
      vmd_machine_details_refuse (self, g_error_new_literal (VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                                             _("Secure Boot needs UEFI firmware: choose UEFI, "
                                                               "or turn Secure Boot off.")),
                                  vmd_machine_details_set_firmware_async, cancellable, callback, user_data);
      return;
    }
  change = g_new (FirmwareChange, 1);
  *change = (FirmwareChange) { uefi, secure_boot };
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_firmware, change, g_free),
                                vmd_machine_details_set_firmware_async, cancellable, callback, user_data);
}
