/* VmdConsoleInfo: the consoles libvirt can open for a domain and its first graphics device,
 * read from its XML with VmdXml. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-console-info.h"
#include "vmd-xml.h"

void
vmd_console_info_free (VmdConsoleInfo *info)
{
  g_clear_pointer (&info->consoles, g_ptr_array_unref);
  g_free (info->graphics_type);
  g_free (info->graphics_listen);
  g_free (info);
}

static void
console_device_free (VmdConsoleDevice *device)
{
  g_free (device->alias);
  g_free (device->label);
  g_free (device->log_file);
  g_free (device);
}

/* -1 when absent, not a number, or beyond what a port or index can be. */
static int
int_at (VmdXml     *doc,
        VmdXmlNode *node,
        const char *expr)
{
  guint64 value = vmd_xml_uint (doc, node, expr, G_MAXUINT64);

  return value <= G_MAXUINT16 ? (int) value : -1;
}

static gboolean
has_console (VmdConsoleInfo *info,
             const char     *alias)
{
  for (guint i = 0; i < info->consoles->len; i++)
    if (g_str_equal (((VmdConsoleDevice *) info->consoles->pdata[i])->alias, alias))
      return TRUE;
  return FALSE;
}

/* One <serial> or <console>, the index-th of its kind. A <console> whose target is a serial
 * port is that port again: libvirt gives it the serial's alias, and an inactive definition none
 * at all, so it is skipped. libvirt opens only pty-backed devices as consoles. */
static void
add_chardev (VmdConsoleInfo *info,
             VmdXml         *doc,
             VmdXmlNode     *node,
             gboolean        serial,
             guint           index)
{
  g_autofree char *type = vmd_xml_string (doc, node, "@type");
  g_autofree char *target_type = vmd_xml_string (doc, node, "target/@type");
  g_autofree char *alias = vmd_xml_string (doc, node, "alias/@name");
  int port = int_at (doc, node, "target/@port");
  VmdConsoleDevice *device;

  if (!serial && (target_type == NULL || g_str_equal (target_type, "serial")))
    return;
  if (g_strcmp0 (type, "pty") != 0)
    return;
  if (alias == NULL)
    alias = g_strdup_printf ("%s%u", serial ? "serial" : "console", index);
  if (has_console (info, alias))
    return;
  device = g_new0 (VmdConsoleDevice, 1);
  device->alias = g_steal_pointer (&alias);
  device->log_file = vmd_xml_string (doc, node, "log/@file");
  if (serial)
    device->label = g_strdup_printf (_("Serial port %d"), (port >= 0 ? port : (int) index) + 1);
  else
    device->label = g_strdup_printf (_("Console %u (%s)"), index + 1, target_type);
  g_ptr_array_add (info->consoles, device);
}

static void
read_chardevs (VmdConsoleInfo *info,
               VmdXml         *doc)
{
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (doc, NULL,
                                              "/domain/devices/serial | /domain/devices/console");
  guint n_serials = 0, n_consoles = 0;

  for (guint i = 0; i < nodes->len; i++)
    {
      g_autofree char *element = vmd_xml_string (doc, nodes->pdata[i], "name()");
      gboolean serial = g_strcmp0 (element, "serial") == 0;

      add_chardev (info, doc, nodes->pdata[i], serial, serial ? n_serials++ : n_consoles++);
    }
}

/* The first <graphics>; <listen type='none'/> or 'socket' means fd passing only. */
static void
read_graphics (VmdConsoleInfo *info,
               VmdXml         *doc)
{
  g_autoptr(GPtrArray) graphics = vmd_xml_nodes (doc, NULL, "/domain/devices/graphics[1]");
  g_autoptr(GPtrArray) listens = NULL;
  VmdXmlNode *node;

  if (graphics->len == 0)
    return;
  node = graphics->pdata[0];
  info->graphics_type = vmd_xml_string (doc, node, "@type");
  info->graphics_port = int_at (doc, node, "@port");
  info->graphics_tls_port = int_at (doc, node, "@tlsPort");
  info->graphics_listen = vmd_xml_string (doc, node, "@listen");
  listens = vmd_xml_nodes (doc, node, "listen");
  for (guint i = 0; i < listens->len; i++)
    {
      g_autofree char *type = vmd_xml_string (doc, listens->pdata[i], "@type");

      if (g_strcmp0 (type, "none") == 0 || g_strcmp0 (type, "socket") == 0)
        g_clear_pointer (&info->graphics_listen, g_free);
      else if (info->graphics_listen == NULL)
        info->graphics_listen = vmd_xml_string (doc, listens->pdata[i], "@address");
    }
}

/* Returns NULL when the XML cannot be read. */
VmdConsoleInfo *
vmd_console_info_parse (const char *domain_xml)
{
  g_autoptr(VmdXml) doc = vmd_xml_parse (domain_xml, NULL);
  VmdConsoleInfo *info;

  if (doc == NULL)
    return NULL;
  info = g_new0 (VmdConsoleInfo, 1);
  info->consoles = g_ptr_array_new_with_free_func ((GDestroyNotify) console_device_free);
  info->graphics_port = -1;
  info->graphics_tls_port = -1;
  read_chardevs (info, doc);
  read_graphics (info, doc);
  return info;
}
