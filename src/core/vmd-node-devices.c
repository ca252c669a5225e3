/* Node devices: libvirt's description of a host device is read with VmdXml into a plain copy;
 * the listing is one blocking libvirt call, so it runs in a worker on its own connection
 * reference. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "vmd-error.h"
#include "vmd-node-devices.h"
#include "vmd-xml.h"

/* Drivers that hold a device for a guest: bound to one of them, it is free to pass through. */
static const char *const guest_drivers[] = { "vfio-pci", "pci-stub", "pciback", NULL };

void
vmd_node_device_free (VmdNodeDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->name);
  g_free (device->vendor_id);
  g_free (device->product_id);
  g_free (device->vendor_name);
  g_free (device->product_name);
  g_free (device->driver);
  g_free (device);
}

static void
read_ids (VmdXml        *xml,
          VmdXmlNode    *cap,
          VmdNodeDevice *device)
{
  device->vendor_id = vmd_xml_string (xml, cap, "vendor/@id");
  device->product_id = vmd_xml_string (xml, cap, "product/@id");
  device->vendor_name = vmd_xml_string (xml, cap, "vendor");
  device->product_name = vmd_xml_string (xml, cap, "product");
}

static VmdXmlNode *
first_node (VmdXml     *xml,
            const char *expr)
{
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (xml, NULL, expr);

  return nodes->len > 0 ? nodes->pdata[0] : NULL;
}

/* NULL with VMD_ERROR_UNSUPPORTED_DEVICE for what is neither a USB nor a PCI device. */
VmdNodeDevice *
vmd_node_device_parse (const char  *text,
                       GError     **error)
{
  g_autoptr(VmdXml) xml = vmd_xml_parse (text, error);
  g_autoptr(VmdNodeDevice) device = g_new0 (VmdNodeDevice, 1);
  VmdXmlNode *cap;

  if (xml == NULL)
    return NULL;
  device->name = vmd_xml_string (xml, NULL, "/device/name");
  device->driver = vmd_xml_string (xml, NULL, "/device/driver/name");
  if ((cap = first_node (xml, "/device/capability[@type='usb_device']")) != NULL)
    {
      device->kind = VMD_NODE_DEVICE_USB;
      device->usb_bus = vmd_xml_uint (xml, cap, "bus", 0);
      device->usb_device = vmd_xml_uint (xml, cap, "device", 0);
    }
  else if ((cap = first_node (xml, "/device/capability[@type='pci']")) != NULL)
    {
      device->kind = VMD_NODE_DEVICE_PCI;
      device->pci_domain = vmd_xml_uint (xml, cap, "domain", 0);
      device->pci_bus = vmd_xml_uint (xml, cap, "bus", 0);
      device->pci_slot = vmd_xml_uint (xml, cap, "slot", 0);
      device->pci_function = vmd_xml_uint (xml, cap, "function", 0);
    }
  else
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE,
                   _("“%s” is neither a USB nor a PCI device"), device->name != NULL ? device->name : "?");
      return NULL;
    }
  read_ids (xml, cap, device);
  if (device->name == NULL || device->vendor_id == NULL || device->product_id == NULL)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                           _("The host device has no name, vendor or product"));
      return NULL;
    }
  return g_steal_pointer (&device);
}

/* Where the host has it: "001:002" on USB, "0000:00:19.0" on PCI, as lsusb and lspci say. */
char *
vmd_node_device_dup_address (const VmdNodeDevice *device)
{
  if (device->kind == VMD_NODE_DEVICE_USB)
    return g_strdup_printf ("%03u:%03u", device->usb_bus, device->usb_device);
  return g_strdup_printf ("%04x:%02x:%02x.%x", device->pci_domain, device->pci_bus, device->pci_slot,
                          device->pci_function);
}

/* "Intel Corporation 82540EM (0000:00:19.0)": the ids when libvirt knows no names. */
char *
vmd_node_device_describe (const VmdNodeDevice *device)
{
  g_autofree char *address = vmd_node_device_dup_address (device);

  return g_strdup_printf ("%s %s (%s)",
                          device->vendor_name != NULL ? device->vendor_name : device->vendor_id,
                          device->product_name != NULL ? device->product_name : device->product_id,
                          address);
}

/* A PCI device a host driver holds (the host's own NIC, disk controller, GPU) is not taken from
 * the host behind its back: it must be detached for guests first. USB devices are always free. */
gboolean
vmd_node_device_check_free (const VmdNodeDevice  *device,
                            GError              **error)
{
  g_autofree char *what = NULL;

  if (device->kind != VMD_NODE_DEVICE_PCI || device->driver == NULL ||
      g_strv_contains (guest_drivers, device->driver))
    return TRUE;
  what = vmd_node_device_describe (device);
  g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
               _("Host device: %s is in use by the host's driver “%s”; detach it from the host first "
                 "(virsh nodedev-detach %s)"), what, device->driver, device->name);
  return FALSE;
}

const VmdNodeDevice *
vmd_node_devices_find (GPtrArray  *devices,
                       const char *name)
{
  for (guint i = 0; devices != NULL && name != NULL && i < devices->len; i++)
    if (g_strcmp0 (((VmdNodeDevice *) devices->pdata[i])->name, name) == 0)
      return devices->pdata[i];
  return NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 ((*(VmdNodeDevice **) a)->name, (*(VmdNodeDevice **) b)->name);
}

static GPtrArray *
list_devices (virConnectPtr   handle,
              GError        **error)
{
  virNodeDevicePtr *list = NULL;
  int n = virConnectListAllNodeDevices (handle, &list, VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV |
                                                      VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV);
  GPtrArray *devices;

  if (n < 0)
    {
      vmd_error_set_from_libvirt (error, _("Could not list the host's devices"));
      return NULL;
    }
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_node_device_free);
  for (int i = 0; i < n; i++)
    {
      char *xml = virNodeDeviceGetXMLDesc (list[i], 0);
      VmdNodeDevice *device = xml != NULL ? vmd_node_device_parse (xml, NULL) : NULL;

      /* One device libvirt describes oddly is left out, not the whole list. */
      if (device != NULL)
        g_ptr_array_add (devices, device);
      free (xml);
      virNodeDeviceFree (list[i]);
    }
  free (list);
  g_ptr_array_sort (devices, compare_names);
  return devices;
}

static void
list_in_thread (GTask        *task,
                gpointer      source,
                gpointer      handle,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *devices = list_devices (handle, &error);

  if (devices == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, devices, (GDestroyNotify) g_ptr_array_unref);
}

static void
close_handle (gpointer handle)
{
  virConnectClose (handle);
}

void
vmd_node_devices_list_async (VmdConnection       *connection,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (connection, cancellable, callback, user_data);
  GVirConnection *gconn = vmd_connection_get_gvir (connection);
  virConnectPtr handle = NULL;

  g_task_set_source_tag (task, vmd_node_devices_list_async);
  /* The handle property is a new reference, the worker's own. */
  if (gconn != NULL)
    g_object_get (gconn, "handle", &handle, NULL);
  if (handle == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED,
                               _("Not connected to %s."), vmd_connection_get_uri (connection));
      return;
    }
  g_task_set_task_data (task, handle, close_handle);
  g_task_run_in_thread (task, list_in_thread);
}

GPtrArray *
vmd_node_devices_list_finish (VmdConnection  *connection,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
