/* VmdMachineDetails, a device for the next boot: the worker adds it to the persistent definition
 * libvirt holds now (never a copy the window read earlier) and defines it; the running machine
 * is left as it is, so libvirt never half-applies it. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-domain-xml.h"
#include "vmd-machine-details-next-boot.h"
#include "vmd-machine-details-private.h"

static gboolean
apply_next_boot (VmdDetailsEdit  *edit,
                 gpointer         device_xml,
                 GError         **error)
{
  g_autofree char *xml = vmd_details_edit_get_xml (edit, FALSE, error);
  g_autofree char *new_xml = xml != NULL ? vmd_domain_xml_add_device (xml, device_xml, error) : NULL;

  if (new_xml == NULL || !vmd_details_edit_redefine (edit, new_xml, error))
    return FALSE;
  if (vmd_details_edit_is_active (edit))
    vmd_details_edit_add_note (edit, _("The new device takes effect at the next boot."));
  return TRUE;
}

void
vmd_machine_details_attach_device_next_boot_async (VmdMachineDetails   *self,
                                                   const char          *device_xml,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data)
{
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_next_boot, g_strdup (device_xml),
                                                                    g_free),
                                vmd_machine_details_attach_device_next_boot_async, cancellable, callback,
                                user_data);
}
