/* VmdMachineDetails, devices: any device attached from its XML (vmd-device-xml.h writes it from
 * a typed description) or detached by where it is in the definition; the Network page's
 * interfaces are such devices, with their link state changed in place. */
#include "config.h"

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
