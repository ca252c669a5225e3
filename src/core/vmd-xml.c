/* VmdXml: libxml2 parsing without network access or entity expansion, and XPath string, count
 * and node-set queries. Namespaces libvirt documents carry are registered once, here. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "vmd-error.h"
#include "vmd-xml.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

struct _VmdXml
{
  xmlDoc          *doc;
  xmlXPathContext *ctx;
};

static const struct {
  const char *prefix;
  const char *uri;
} namespaces[] = {
  { "libosinfo", "http://libosinfo.org/xmlns/libvirt/domain/1.0" },
  { "qemu", "http://libvirt.org/schemas/domain/qemu/1.0" },
  { "vmdesk", "https://github.com/vmdesk/xmlns/1.0" },
};

/* NULL (with a message to read) when the text is not a well-formed document. */
VmdXml *
vmd_xml_parse (const char  *xml,
               GError     **error)
{
  xmlDoc *doc = NULL;
  VmdXml *self;

  if (xml != NULL)
    doc = xmlReadMemory (xml, (int) MIN (strlen (xml), (gsize) G_MAXINT), "libvirt.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      const xmlError *last = xmlGetLastError ();
      g_autofree char *reason = g_strdup (last != NULL && last->message != NULL
                                            ? last->message : _("empty document"));

      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("The XML is not well-formed: %s"),
                   g_strstrip (reason));
      if (doc != NULL)
        xmlFreeDoc (doc);
      return NULL;
    }
  self = g_new0 (VmdXml, 1);
  self->doc = doc;
  self->ctx = xmlXPathNewContext (doc);
  for (guint i = 0; i < G_N_ELEMENTS (namespaces); i++)
    xmlXPathRegisterNs (self->ctx, BAD_CAST namespaces[i].prefix, BAD_CAST namespaces[i].uri);
  return self;
}

void
vmd_xml_free (VmdXml *self)
{
  if (self == NULL)
    return;
  xmlXPathFreeContext (self->ctx);
  xmlFreeDoc (self->doc);
  g_free (self);
}

/* expr relative to node, or to the root element when node is NULL. */
static xmlXPathObject *
evaluate (VmdXml     *self,
          VmdXmlNode *node,
          const char *expr)
{
  self->ctx->node = node != NULL ? node : xmlDocGetRootElement (self->doc);
  return xmlXPathEvalExpression (BAD_CAST expr, self->ctx);
}

/* The string value of expr, or NULL when it is empty or matches nothing. */
char *
vmd_xml_string (VmdXml     *self,
                VmdXmlNode *node,
                const char *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expr);
  g_autoptr(xmlXPathObject) obj = evaluate (self, node, wrapped);

  if (obj == NULL || obj->stringval == NULL || obj->stringval[0] == '\0')
    return NULL;
  return g_strdup ((const char *) obj->stringval);
}

gboolean
vmd_xml_exists (VmdXml     *self,
                VmdXmlNode *node,
                const char *expr)
{
  g_autoptr(xmlXPathObject) obj = evaluate (self, node, expr);

  return obj != NULL && obj->type == XPATH_NODESET && obj->nodesetval != NULL &&
         obj->nodesetval->nodeNr > 0;
}

/* A decimal value; fallback when empty or not a number. */
guint64
vmd_xml_uint (VmdXml     *self,
              VmdXmlNode *node,
              const char *expr,
              guint64     fallback)
{
  g_autofree char *text = vmd_xml_string (self, node, expr);
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT64,
                                                   &value, NULL))
    return fallback;
  return value;
}

/* The nodes expr matches (element-type VmdXmlNode, owned by the document). */
GPtrArray *
vmd_xml_nodes (VmdXml     *self,
               VmdXmlNode *node,
               const char *expr)
{
  g_autoptr(xmlXPathObject) obj = evaluate (self, node, expr);
  GPtrArray *nodes = g_ptr_array_new ();

  if (obj != NULL && obj->type == XPATH_NODESET && obj->nodesetval != NULL)
    for (int i = 0; i < obj->nodesetval->nodeNr; i++)
      g_ptr_array_add (nodes, obj->nodesetval->nodeTab[i]);
  return nodes;
}

/* The string value of every node expr matches, in document order (empty ones skipped). */
GStrv
vmd_xml_strings (VmdXml     *self,
                 const char *expr)
{
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (self, NULL, expr);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < nodes->len; i++)
    {
      xmlChar *text = xmlNodeGetContent (nodes->pdata[i]);

      if (text != NULL && text[0] != '\0')
        g_strv_builder_add (builder, (const char *) text);
      xmlFree (text);
    }
  return g_strv_builder_end (builder);
}

VmdXmlNode *
vmd_xml_child (VmdXmlNode *parent,
               const char *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && xmlStrEqual (child->name, BAD_CAST name))
      return child;
  return NULL;
}

void
vmd_xml_remove_children (VmdXmlNode *parent,
                         const char *name)
{
  xmlNode *child;

  while ((child = vmd_xml_child (parent, name)) != NULL)
    {
      xmlUnlinkNode (child);
      xmlFreeNode (child);
    }
}

VmdXmlNode *
vmd_xml_ensure_child (VmdXmlNode *parent,
                      const char *name)
{
  xmlNode *child = vmd_xml_child (parent, name);

  return child != NULL ? child : xmlNewChild (parent, NULL, BAD_CAST name, NULL);
}
