/* The clone's definition: libxml2's tree calls on the nodes VmdXml finds, so that everything
 * the clone does not change (devices, metadata, namespaces) goes to libvirt as it was. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libxml/tree.h>

#include "vmd-clone-xml.h"
#include "vmd-error.h"
#include "vmd-xml.h"

static void
remove_all (VmdXml     *doc,
            const char *expr)
{
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (doc, NULL, expr);

  for (guint i = 0; i < nodes->len; i++)
    {
      xmlUnlinkNode (nodes->pdata[i]);
      xmlFreeNode (nodes->pdata[i]);
    }
}

static void
set_text (VmdXml     *doc,
          const char *expr,
          const char *text)
{
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (doc, NULL, expr);

  for (guint i = 0; i < nodes->len; i++)
    xmlNodeSetContent (nodes->pdata[i], NULL);
  for (guint i = 0; i < nodes->len && text != NULL; i++)
    xmlNodeAddContent (nodes->pdata[i], BAD_CAST text);
}

/* Whatever the source was (a file, a device, a pool's volume), the copy is a file or a device. */
static void
repoint_disk (xmlNode                  *disk,
              const VmdCloneDiskSource *source)
{
  xmlNode *node;
  xmlNode *driver;

  while ((node = vmd_xml_child (disk, "source")) != NULL ||
         (node = vmd_xml_child (disk, "backingStore")) != NULL)
    {
      xmlUnlinkNode (node);
      xmlFreeNode (node);
    }
  xmlSetProp (disk, BAD_CAST "type", BAD_CAST (source->block ? "block" : "file"));
  node = xmlNewNode (NULL, BAD_CAST "source");
  xmlSetProp (node, BAD_CAST (source->block ? "dev" : "file"), BAD_CAST source->path);
  driver = vmd_xml_child (disk, "driver");
  if (driver != NULL)
    xmlAddNextSibling (driver, node);
  else
    xmlAddChild (disk, node);
  if (source->format != NULL)
    {
      if (driver == NULL)
        {
          driver = xmlNewNode (NULL, BAD_CAST "driver");
          xmlSetProp (driver, BAD_CAST "name", BAD_CAST "qemu");
          xmlAddPrevSibling (node, driver);
        }
      xmlSetProp (driver, BAD_CAST "type", BAD_CAST source->format);
    }
}

static void
repoint_disks (VmdXml                   *doc,
               const VmdCloneDiskSource *disks,
               guint                     n_disks)
{
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (doc, NULL, "/domain/devices/disk");

  for (guint i = 0; i < nodes->len; i++)
    {
      g_autofree char *target = vmd_xml_string (doc, nodes->pdata[i], "target/@dev");

      for (guint d = 0; d < n_disks; d++)
        if (g_strcmp0 (target, disks[d].target) == 0)
          repoint_disk (nodes->pdata[i], &disks[d]);
    }
}

/* A log named after the machine follows the new name; any other gets the new name in front,
 * so the two machines never write the same file. */
static void
rename_logs (VmdXml     *doc,
             const char *old_name,
             const char *new_name)
{
  g_autoptr(GPtrArray) logs = vmd_xml_nodes (doc, NULL, "/domain/devices/*/log[@file]");

  for (guint i = 0; i < logs->len; i++)
    {
      xmlNode *log = logs->pdata[i];
      g_autofree char *file = vmd_xml_string (doc, log, "@file");
      g_autofree char *dir = g_path_get_dirname (file);
      g_autofree char *base = g_path_get_basename (file);
      g_autofree char *new_base = NULL;
      g_autofree char *new_file = NULL;

      if (old_name != NULL && *old_name != '\0' && g_str_has_prefix (base, old_name))
        new_base = g_strconcat (new_name, base + strlen (old_name), NULL);
      else
        new_base = g_strconcat (new_name, "-", base, NULL);
      new_file = g_build_filename (dir, new_base, NULL);
      xmlSetProp (log, BAD_CAST "file", BAD_CAST new_file);
    }
}

char *
vmd_clone_xml_rewrite (const char               *xml,
                       const char               *old_name,
                       const char               *new_name,
                       const VmdCloneDiskSource *disks,
                       guint                     n_disks,
                       const char               *nvram,
                       GError                  **error)
{
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, error);
  g_autoptr(GPtrArray) roots = NULL;
  xmlNode *root;
  xmlChar *buffer = NULL;
  int size = 0;
  char *out;

  if (doc == NULL)
    return NULL;
  roots = vmd_xml_nodes (doc, NULL, "/domain");
  if (roots->len == 0)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_FAILED,
                           _("The machine's definition has no domain element."));
      return NULL;
    }
  root = roots->pdata[0];
  set_text (doc, "/domain/name", new_name);
  remove_all (doc, "/domain/uuid");
  remove_all (doc, "/domain/devices/interface/mac");
  /* libvirt fills in a path of its own for the new name when the element has none. */
  set_text (doc, "/domain/os/nvram", nvram);
  repoint_disks (doc, disks, n_disks);
  rename_logs (doc, old_name, new_name);
  xmlDocDumpFormatMemory (root->doc, &buffer, &size, 0);
  out = g_strndup ((const char *) buffer, size);
  xmlFree (buffer);
  return out;
}
