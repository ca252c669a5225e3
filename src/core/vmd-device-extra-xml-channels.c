/* Add Hardware's host devices and character devices. A host device is checked against the
 * host's list as the dialog last read it (vmd_node_devices_list_async): a device that is gone,
 * or a PCI device a host driver holds, is refused before anything is attached. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-device-extra-xml.h"
#include "vmd-error.h"
#include "vmd-node-devices.h"

gboolean
vmd_hostdev_spec_validate (const VmdHostdevSpec  *spec,
                           GPtrArray             *host_devices,
                           GError               **error)
{
  const VmdNodeDevice *device;

  if (spec->node_device == NULL || *spec->node_device == '\0')
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("Host device: choose one"));
      return FALSE;
    }
  if ((device = vmd_node_devices_find (host_devices, spec->node_device)) == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                   _("Host device: “%s” is not a USB or PCI device of this host (unplugged?)"),
                   spec->node_device);
      return FALSE;
    }
  return vmd_node_device_check_free (device, error);
}

/* Identical USB devices (two of the same stick) are told apart by where they are plugged in;
 * a single one is found by its ids alone, wherever it is plugged in next time. */
static gboolean
usb_ids_shared (GPtrArray           *host_devices,
                const VmdNodeDevice *device)
{
  for (guint i = 0; i < host_devices->len; i++)
    {
      const VmdNodeDevice *other = host_devices->pdata[i];

      if (other != device && other->kind == VMD_NODE_DEVICE_USB &&
          g_strcmp0 (other->vendor_id, device->vendor_id) == 0 &&
          g_strcmp0 (other->product_id, device->product_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
usb_hostdev_xml (GPtrArray           *host_devices,
                 const VmdNodeDevice *device)
{
  g_autofree char *head = g_markup_printf_escaped ("<hostdev mode='subsystem' type='usb' managed='yes'><source>"
                                                   "<vendor id='%s'/><product id='%s'/>",
                                                   device->vendor_id, device->product_id);
  g_autofree char *address = usb_ids_shared (host_devices, device)
                               ? g_strdup_printf ("<address bus='%u' device='%u'/>", device->usb_bus,
                                                  device->usb_device)
                               : g_strdup ("");

  return g_strconcat (head, address, "</source></hostdev>", NULL);
}

char *
vmd_hostdev_device_xml (const VmdHostdevSpec  *spec,
                        GPtrArray             *host_devices,
                        GError               **error)
{
  const VmdNodeDevice *device;

  if (!vmd_hostdev_spec_validate (spec, host_devices, error))
    return NULL;
  device = vmd_node_devices_find (host_devices, spec->node_device);
  if (device->kind == VMD_NODE_DEVICE_USB)
    return usb_hostdev_xml (host_devices, device);
  return g_strdup_printf ("<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                          "<address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>"
                          "</source></hostdev>",
                          device->pci_domain, device->pci_bus, device->pci_slot, device->pci_function);
}

/* One USB device of the SPICE client's computer, redirected while the console is open. */
char *
vmd_usb_redirection_device_xml (void)
{
  return g_strdup ("<redirdev bus='usb' type='spicevmc'/>");
}

/* --- channels, serial, parallel, console ------------------------------------------------------- */

gboolean
vmd_channel_spec_validate (const VmdChannelSpec  *spec,
                           GError               **error)
{
  if (spec->kind == VMD_CHANNEL_GUEST_AGENT || spec->kind == VMD_CHANNEL_SPICE_AGENT)
    return TRUE;
  g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                       _("Channel: choose the QEMU guest agent or the SPICE agent"));
  return FALSE;
}

/* The guest agent's socket: libvirt picks its path under its own run directory. */
char *
vmd_channel_device_xml (const VmdChannelSpec  *spec,
                        GError               **error)
{
  if (!vmd_channel_spec_validate (spec, error))
    return NULL;
  if (spec->kind == VMD_CHANNEL_GUEST_AGENT)
    return g_strdup ("<channel type='unix'><source mode='bind'/>"
                     "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>");
  return g_strdup ("<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>");
}

static const char *const char_devices[] = { "serial", "parallel", "console", NULL };
static const char *const console_targets[] = { "virtio", "serial", NULL };

static const char *
console_target (const VmdCharSpec *spec)
{
  return spec->target_type != NULL && *spec->target_type != '\0' ? spec->target_type : "virtio";
}

gboolean
vmd_char_spec_validate (const VmdCharSpec  *spec,
                        GError            **error)
{
  if (!vmd_device_check_choice (_("Character device"), spec->device, char_devices, error))
    return FALSE;
  if (g_str_equal (spec->device, "console"))
    return vmd_device_check_choice (_("Console type"), console_target (spec), console_targets, error);
  if (spec->target_type == NULL || *spec->target_type == '\0')
    return TRUE;
  g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
               _("Device type: only a console has one (“%s” given)"), spec->target_type);
  return FALSE;
}

/* No port: libvirt gives the next free one. */
char *
vmd_char_device_xml (const VmdCharSpec  *spec,
                     GError            **error)
{
  if (!vmd_char_spec_validate (spec, error))
    return NULL;
  if (g_str_equal (spec->device, "console"))
    return g_markup_printf_escaped ("<console type='pty'><target type='%s'/></console>", console_target (spec));
  return g_markup_printf_escaped ("<%s type='pty'/>", spec->device);
}
