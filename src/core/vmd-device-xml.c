/* Device elements written with g_markup_printf_escaped, a piece at a time: every name and path
 * reaches libvirt escaped, and nothing here touches libvirt or the disk. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-device-xml.h"
#include "vmd-error.h"

char *
vmd_disk_device_xml (const char *device,
                     const char *bus,
                     const char *target,
                     const char *path,
                     const char *format)
{
  gboolean cdrom = g_strcmp0 (device, "cdrom") == 0;
  g_autofree char *head = g_markup_printf_escaped ("<disk type='file' device='%s'><driver name='qemu' type='%s'/>",
                                                   device, format);
  g_autofree char *source = path != NULL ? g_markup_printf_escaped ("<source file='%s'/>", path)
                                         : g_strdup ("");
  g_autofree char *tail = g_markup_printf_escaped ("<target dev='%s' bus='%s'/>", target, bus);

  /* Pieces escaped one by one: g_markup_printf_escaped would escape a whole element too. */
  return g_strconcat (head, source, tail, cdrom ? "<readonly/>" : "", "</disk>", NULL);
}

char *
vmd_nic_device_xml (const VmdNewNic  *nic,
                    GError          **error)
{
  g_autofree char *opening = NULL;
  g_autofree char *source = NULL;
  g_autofree char *model = nic->model != NULL && *nic->model != '\0'
                             ? g_markup_printf_escaped ("<model type='%s'/>", nic->model) : g_strdup ("");

  if (g_strcmp0 (nic->type, "network") == 0 || g_strcmp0 (nic->type, "bridge") == 0)
    {
      if (nic->source == NULL || *nic->source == '\0')
        {
          g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                               _("Choose the network or bridge the interface connects to"));
          return NULL;
        }
      source = g_markup_printf_escaped ("<source %s='%s'/>", nic->type, nic->source);
    }
  else if (g_strcmp0 (nic->type, "user") == 0)
    source = g_strdup ("");
  else
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("Unknown interface type “%s”"), nic->type);
      return NULL;
    }
  opening = g_markup_printf_escaped ("<interface type='%s'>", nic->type);
  return g_strconcat (opening, source, model, "</interface>", NULL);
}
