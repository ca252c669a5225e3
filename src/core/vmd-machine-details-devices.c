/* VmdMachineDetails, devices: any device attached from its XML (vmd-device-xml.h writes it from
 * a typed description) or detached by where it is in the definition; the Network page's
 * interfaces are such devices, with their link state changed in place. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-device-xml.h"
#include "vmd-domain-xml.h"
#include "vmd-error.h"
#include "vmd-machine-details-private.h"

/* --- any device --------------------------------------------------------------------------------- */

static gboolean
apply_attach (VmdDetailsEdit  *edit,
              gpointer         device_xml,
              GError         **error)
{
  return vmd_details_edit_change_device (edit, VMD_DEVICE_ATTACH, NULL, device_xml, error);
}

/* Live and persistent on a running machine, persistent when it is off. */
void
vmd_machine_details_attach_device_async (VmdMachineDetails   *self,
                                         const char          *device_xml,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_attach, g_strdup (device_xml), g_free),
                                vmd_machine_details_attach_device_async, cancellable, callback, user_data);
}

/* --- Add Hardware ------------------------------------------------------------------------------ */

typedef struct {
  char        *device_xml;
  VmdHwAttach  mode;
} HwAttach;

static void
hw_attach_free (HwAttach *attach)
{
  g_free (attach->device_xml);
  g_free (attach);
}

/* The definition only, in one redefine: the device and, for a shared folder, its memory backing. */
static gboolean
attach_to_definition (VmdDetailsEdit  *edit,
                      HwAttach        *attach,
                      GError         **error)
{
  g_autofree char *xml = vmd_details_edit_get_xml (edit, FALSE, error);
  g_autofree char *backed = NULL;
  g_autofree char *new_xml = NULL;

  if (xml == NULL)
    return FALSE;
  if (attach->mode == VMD_HW_ATTACH_SHARED_FOLDER && !vmd_domain_has_shared_memory (xml))
    {
      if (vmd_details_edit_is_active (edit))
        {
          g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                               _("A shared folder needs shared memory, which can only be added while the "
                                 "machine is off: shut it down and add the folder again."));
          return FALSE;
        }
      if ((backed = vmd_domain_xml_with_shared_memory (xml, error)) == NULL)
        return FALSE;
    }
  new_xml = vmd_domain_xml_add_device (backed != NULL ? backed : xml, attach->device_xml, error);
  return new_xml != NULL && vmd_details_edit_redefine (edit, new_xml, error);
}

gboolean
vmd_machine_details_hw_attach (VmdDetailsEdit  *edit,
                               const char      *device_xml,
                               VmdHwAttach      mode,
                               GError         **error)
{
  HwAttach attach = { (char *) device_xml, mode };

  if (mode == VMD_HW_ATTACH_LIVE && vmd_details_edit_is_active (edit))
    return vmd_details_edit_change_device (edit, VMD_DEVICE_ATTACH, NULL, device_xml, error);
  if (!attach_to_definition (edit, &attach, error))
    return FALSE;
  vmd_details_edit_add_note (edit, _("The new device takes effect at the next boot."));
  return TRUE;
}

static gboolean
apply_hw_attach (VmdDetailsEdit  *edit,
                 gpointer         data,
                 GError         **error)
{
  HwAttach *attach = data;

  return vmd_machine_details_hw_attach (edit, attach->device_xml, attach->mode, error);
}

void
vmd_machine_details_add_hardware_async (VmdMachineDetails   *self,
                                        const char          *device_xml,
                                        VmdHwAttach          mode,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  HwAttach *attach = g_new0 (HwAttach, 1);

  attach->device_xml = g_strdup (device_xml);
  attach->mode = mode;
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_hw_attach, attach,
                                                                    (GDestroyNotify) hw_attach_free),
                                vmd_machine_details_add_hardware_async, cancellable, callback, user_data);
}

static gboolean
apply_detach (VmdDetailsEdit  *edit,
              gpointer         xpath,
              GError         **error)
{
  return vmd_details_edit_detach_device (edit, xpath, error);
}

void
vmd_machine_details_detach_device_async (VmdMachineDetails   *self,
                                         const char          *xpath,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_detach, g_strdup (xpath), g_free),
                                vmd_machine_details_detach_device_async, cancellable, callback, user_data);
}

/* --- network interfaces ------------------------------------------------------------------------- */

/* A bad description is refused at once, before any worker, with the reason. */
void
vmd_machine_details_add_nic_async (VmdMachineDetails   *self,
                                   const VmdNewNic     *nic,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GError *error = NULL;
  g_autofree char *device_xml = vmd_nic_device_xml (nic, &error);

  if (device_xml == NULL)
    vmd_machine_details_refuse (self, error, vmd_machine_details_add_nic_async, cancellable, callback, user_data);
  else
    vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_attach, g_steal_pointer (&device_xml),
                                                                      g_free),
                                  vmd_machine_details_add_nic_async, cancellable, callback, user_data);
}

void
vmd_machine_details_remove_nic_async (VmdMachineDetails   *self,
                                      const char          *mac,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_detach, vmd_nic_xpath (mac), g_free),
                                vmd_machine_details_remove_nic_async, cancellable, callback, user_data);
}

typedef struct {
  char     *mac;
  gboolean  up;
} LinkChange;

static void
link_change_free (LinkChange *change)
{
  g_free (change->mac);
  g_free (change);
}

static char *
set_link (const char  *nic_xml,
          gpointer     data,
          GError     **error)
{
  return vmd_nic_xml_set_link (nic_xml, ((LinkChange *) data)->up, error);
}

static gboolean
apply_link (VmdDetailsEdit  *edit,
            gpointer         data,
            GError         **error)
{
  g_autofree char *xpath = vmd_nic_xpath (((LinkChange *) data)->mac);

  return vmd_details_edit_update_device (edit, xpath, set_link, data, error);
}

void
vmd_machine_details_set_link_async (VmdMachineDetails   *self,
                                    const char          *mac,
                                    gboolean             up,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  LinkChange *change = g_new0 (LinkChange, 1);

  change->mac = g_strdup (mac);
  change->up = up;
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_link, change,
                                                                    (GDestroyNotify) link_change_free),
                                vmd_machine_details_set_link_async, cancellable, callback, user_data);
}
