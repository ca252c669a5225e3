/* The document edits: VmdXml parses and finds (XPath), libxml2's tree calls change, and the
 * whole document is written back. VmdXmlNode is libxml2's own node, so the tree calls take the
 * nodes VmdXml finds. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libxml/tree.h>

#include "vmd-domain-xml.h"
#include "vmd-error.h"
#include "vmd-xml.h"

/* The document and its root element (vmd_xml_parse refuses a document without one). */
static VmdXml *
parse (const char  *xml,
       xmlNode    **root,
       GError     **error)
{
  VmdXml *doc = vmd_xml_parse (xml, error);
  g_autoptr(GPtrArray) roots = NULL;

  if (doc == NULL)
    return NULL;
  roots = vmd_xml_nodes (doc, NULL, "/*");
  *root = roots->pdata[0];
  return doc;
}

static char *
to_string (xmlNode *root)
{
  xmlChar *buffer = NULL;
  int size = 0;
  char *out;

  xmlDocDumpFormatMemory (root->doc, &buffer, &size, 0);
  out = g_strndup ((const char *) buffer, size);
  xmlFree (buffer);
  return out;
}

static char *
node_to_string (xmlNode *node)
{
  xmlBuffer *buffer = xmlBufferCreate ();
  char *out;

  xmlNodeDump (buffer, node->doc, node, 0, 0);
  out = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  return out;
}

/* Sets <name>text</name> under parent, or removes it when text is NULL or empty. */
static void
set_text_child (xmlNode    *parent,
                const char *name,
                const char *text)
{
  if (text == NULL || *text == '\0')
    {
      vmd_xml_remove_children (parent, name);
      return;
    }
  xmlNodeSetContent (vmd_xml_ensure_child (parent, name), NULL);
  xmlNodeAddContent (vmd_xml_ensure_child (parent, name), BAD_CAST text);
}

/* The document, its root, and the first node xpath finds in it; NULL when there is none. */
static VmdXml *
parse_and_find (const char  *xml,
                const char  *xpath,
                xmlNode    **root,
                xmlNode    **node,
                GError     **error)
{
  g_autoptr(VmdXml) doc = parse (xml, root, error);
  g_autoptr(GPtrArray) nodes = NULL;

  if (doc == NULL)
    return NULL;
  nodes = vmd_xml_nodes (doc, NULL, xpath);
  if (nodes->len == 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND, _("The machine has no such device (%s)"), xpath);
      return NULL;
    }
  *node = nodes->pdata[0];
  return g_steal_pointer (&doc);
}

/* --- the forms' fields --------------------------------------------------------------------------- */

char *
vmd_domain_xml_set_title (const char  *xml,
                          const char  *title,
                          const char  *description,
                          GError     **error)
{
  xmlNode *root;
  g_autoptr(VmdXml) doc = parse (xml, &root, error);

  if (doc == NULL)
    return NULL;
  if (title != NULL && strchr (title, '\n') != NULL)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                           _("The title must be a single line"));
      return NULL;
    }
  set_text_child (root, "title", title);
  set_text_child (root, "description", description);
  return to_string (root);
}

static void
set_kib (xmlNode    *root,
         const char *name,
         guint64     kib)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, kib);
  xmlNode *node = vmd_xml_ensure_child (root, name);

  xmlNodeSetContent (node, BAD_CAST text);
  xmlSetProp (node, BAD_CAST "unit", BAD_CAST "KiB");
}

char *
vmd_domain_xml_set_memory (const char  *xml,
                           guint64      max_kib,
                           guint64      current_kib,
                           GError     **error)
{
  g_autoptr(VmdXml) doc = NULL;
  xmlNode *root;

  if (max_kib == 0 || current_kib == 0 || current_kib > max_kib)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                           _("The current memory must be more than zero and no more than the maximum"));
      return NULL;
    }
  if ((doc = parse (xml, &root, error)) == NULL)
    return NULL;
  set_kib (root, "memory", max_kib);
  set_kib (root, "currentMemory", current_kib);
  return to_string (root);
}

/* type: "kvm" or "qemu" (emulation). */
char *
vmd_domain_xml_set_virt_type (const char  *xml,
                              const char  *type,
                              GError     **error)
{
  xmlNode *root;
  g_autoptr(VmdXml) doc = NULL;

  if (g_strcmp0 (type, "kvm") != 0 && g_strcmp0 (type, "qemu") != 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("“%s” is neither KVM nor emulation (qemu)"), type != NULL ? type : "");
      return NULL;
    }
  if ((doc = parse (xml, &root, error)) == NULL)
    return NULL;
  xmlSetProp (root, BAD_CAST "type", BAD_CAST type);
  return to_string (root);
}

char *
vmd_domain_xml_set_vcpus (const char  *xml,
                          guint        max,
                          guint        current,
                          GError     **error)
{
  g_autoptr(VmdXml) doc = NULL;
  g_autofree char *max_text = g_strdup_printf ("%u", max);
  g_autofree char *current_text = g_strdup_printf ("%u", current);
  xmlNode *root, *vcpu;

  if (current == 0 || current > max)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                           _("The number of vCPUs must be at least 1 and no more than the maximum"));
      return NULL;
    }
  if ((doc = parse (xml, &root, error)) == NULL)
    return NULL;
  vcpu = vmd_xml_ensure_child (root, "vcpu");
  xmlNodeSetContent (vcpu, BAD_CAST max_text);
  if (current < max)
    xmlSetProp (vcpu, BAD_CAST "current", BAD_CAST current_text);
  else
    xmlUnsetProp (vcpu, BAD_CAST "current");
  return to_string (root);
}

char *
vmd_domain_xml_set_boot (const char             *xml,
                         const VmdBootSettings  *boot,
                         GError                **error)
{
  xmlNode *root, *os;
  g_autoptr(VmdXml) doc = parse (xml, &root, error);

  if (doc == NULL)
    return NULL;
  os = vmd_xml_ensure_child (root, "os");
  vmd_xml_remove_children (os, "boot");
  vmd_xml_remove_children (os, "bootmenu");
  for (guint i = 0; boot->devices != NULL && boot->devices[i] != NULL; i++)
    xmlSetProp (xmlNewChild (os, NULL, BAD_CAST "boot", NULL), BAD_CAST "dev", BAD_CAST boot->devices[i]);
  if (boot->menu)
    xmlSetProp (xmlNewChild (os, NULL, BAD_CAST "bootmenu", NULL), BAD_CAST "enable", BAD_CAST "yes");
  set_text_child (os, "kernel", boot->kernel);
  set_text_child (os, "initrd", boot->initrd);
  set_text_child (os, "cmdline", boot->cmdline);
  return to_string (root);
}

/* --- devices ------------------------------------------------------------------------------------ */

char *
vmd_domain_xml_add_device (const char  *xml,
                           const char  *device_xml,
                           GError     **error)
{
  xmlNode *root, *device_root;
  g_autoptr(VmdXml) doc = parse (xml, &root, error);
  g_autoptr(VmdXml) device = NULL;

  if (doc == NULL || (device = parse (device_xml, &device_root, error)) == NULL)
    return NULL;
  xmlAddChild (vmd_xml_ensure_child (root, "devices"), xmlDocCopyNode (device_root, root->doc, 1));
  return to_string (root);
}

char *
vmd_domain_xml_remove_device (const char  *xml,
                              const char  *xpath,
                              GError     **error)
{
  xmlNode *root, *node;
  g_autoptr(VmdXml) doc = parse_and_find (xml, xpath, &root, &node, error);

  if (doc == NULL)
    return NULL;
  xmlUnlinkNode (node);
  xmlFreeNode (node);
  return to_string (root);
}

/* In place, so that the order of devices (and the guest's PCI addresses) stays. */
char *
vmd_domain_xml_replace_device (const char  *xml,
                               const char  *xpath,
                               const char  *device_xml,
                               GError     **error)
{
  xmlNode *root, *device_root, *node;
  g_autoptr(VmdXml) doc = parse_and_find (xml, xpath, &root, &node, error);
  g_autoptr(VmdXml) device = NULL;

  if (doc == NULL || (device = parse (device_xml, &device_root, error)) == NULL)
    return NULL;
  xmlFreeNode (xmlReplaceNode (node, xmlDocCopyNode (device_root, root->doc, 1)));
  return to_string (root);
}

/* The XML of one device, as virDomainUpdateDeviceFlags and friends take it. */
char *
vmd_domain_xml_get_device (const char  *xml,
                           const char  *xpath,
                           GError     **error)
{
  xmlNode *root, *node;
  g_autoptr(VmdXml) doc = parse_and_find (xml, xpath, &root, &node, error);

  return doc != NULL ? node_to_string (node) : NULL;
}

/* s as an XPath string literal, whatever quotes it holds: XPath has no escapes, so a string
 * with both kinds is a concat() of pieces. */
static char *
xpath_literal (const char *s)
{
  g_auto(GStrv) pieces = NULL;
  g_autofree char *joined = NULL;

  if (strchr (s, '\'') == NULL)
    return g_strdup_printf ("'%s'", s);
  if (strchr (s, '"') == NULL)
    return g_strdup_printf ("\"%s\"", s);
  pieces = g_strsplit (s, "'", -1);
  joined = g_strjoinv ("', \"'\", '", pieces);
  return g_strdup_printf ("concat('%s')", joined);
}

char *
vmd_disk_xpath_under (const char *domain_path,
                      const char *target)
{
  g_autofree char *literal = xpath_literal (target);

  return g_strdup_printf ("%s/devices/disk[target/@dev=%s]", domain_path, literal);
}

char *
vmd_disk_xpath (const char *target)
{
  return vmd_disk_xpath_under ("/domain", target);
}

char *
vmd_nic_xpath (const char *mac)
{
  g_autofree char *lower = g_ascii_strdown (mac, -1);
  g_autofree char *literal = xpath_literal (lower);

  return g_strdup_printf ("/domain/devices/interface[translate(mac/@address,'ABCDEF','abcdef')=%s]", literal);
}

/* --- one device --------------------------------------------------------------------------------- */

/* path NULL ejects: an empty drive has no <source>. The old source's backing chain, as a
 * running machine's XML shows it, goes with it. */
char *
vmd_disk_xml_set_source (const char  *disk_xml,
                         const char  *path,
                         GError     **error)
{
  xmlNode *disk, *source, *target;
  g_autoptr(VmdXml) doc = parse (disk_xml, &disk, error);

  if (doc == NULL)
    return NULL;
  vmd_xml_remove_children (disk, "source");
  vmd_xml_remove_children (disk, "backingStore");
  if (path == NULL)
    return node_to_string (disk);
  source = xmlNewNode (NULL, BAD_CAST "source");
  xmlSetProp (source, BAD_CAST "file", BAD_CAST path);
  /* <source> before <target>, where libvirt writes it. */
  target = vmd_xml_child (disk, "target");
  if (disk->children != NULL)
    xmlAddPrevSibling (target != NULL ? target : disk->children, source);
  else
    xmlAddChild (disk, source);
  xmlSetProp (disk, BAD_CAST "type", BAD_CAST "file");
  return node_to_string (disk);
}

char *
vmd_nic_xml_set_link (const char  *nic_xml,
                      gboolean     up,
                      GError     **error)
{
  xmlNode *nic;
  g_autoptr(VmdXml) doc = parse (nic_xml, &nic, error);

  if (doc == NULL)
    return NULL;
  xmlSetProp (vmd_xml_ensure_child (nic, "link"), BAD_CAST "state", BAD_CAST (up ? "up" : "down"));
  return node_to_string (nic);
}
