/* VmdMachineDetails, the Boot page's form: boot order, menu, direct kernel boot. They apply at
 * the next boot, and the note says so when the machine runs. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-machine-details-private.h"

typedef struct {
  gboolean        has_base;
  gboolean        overwrite;
  VmdBootSettings base;     /* owned */
  VmdBootSettings mine;     /* owned */
  VmdBootSettings merged;
} BootChange;

static void
boot_change_free (BootChange *change)
{
  vmd_boot_settings_clear (&change->base);
  vmd_boot_settings_clear (&change->mine);
  g_free (change);
}

static char *
rewrite_boot (const VmdMachineConfig  *current,
              const char              *xml,
              gpointer                 data,
              GError                 **error)
{
  BootChange *change = data;
  VmdBootSettings now = vmd_boot_settings_of (current);

  if (!vmd_boot_settings_merge (change->has_base ? &change->base : NULL, &change->mine, &now,
                                change->overwrite, &change->merged, error))
    return NULL;
  return vmd_domain_xml_set_boot (xml, &change->merged, error);
}

static void
boot_live (VmdDetailsEdit *edit,
           gpointer        change)
{
  vmd_details_edit_add_note (edit, _("The boot settings apply at the next boot."));
}

static gboolean
apply_boot (VmdDetailsEdit  *edit,
            gpointer         change,
            GError         **error)
{
  return vmd_details_edit_rewrite (edit, rewrite_boot, boot_live, change, error);
}

void
vmd_machine_details_set_boot_async (VmdMachineDetails     *self,
                                    const VmdBootSettings *base,
                                    const VmdBootSettings *mine,
                                    VmdEditFlags           flags,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  BootChange *change = g_new0 (BootChange, 1);

  change->overwrite = (flags & VMD_EDIT_OVERWRITE) != 0;
  change->has_base = base != NULL;
  if (base != NULL)
    vmd_boot_settings_copy (&change->base, base);
  vmd_boot_settings_copy (&change->mine, mine);
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_boot, change,
                                                                    (GDestroyNotify) boot_change_free),
                                vmd_machine_details_set_boot_async, cancellable, callback, user_data);
}
