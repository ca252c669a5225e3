/* VmdXml: the one way VM Desk reads XML that libvirt-gconfig does not cover: a parsed document
 * and XPath queries over it. Never a strstr on XML, never hand-written unescaping. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VmdXml VmdXml;
/* libxml2's own node type, declared here so callers need not include libxml2. */
typedef struct _xmlNode VmdXmlNode;

VmdXml     *vmd_xml_parse        (const char  *xml,
                                  GError     **error);
void        vmd_xml_free         (VmdXml      *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdXml, vmd_xml_free)

char       *vmd_xml_string       (VmdXml      *self,
                                  VmdXmlNode  *node,
                                  const char  *expr);
gboolean    vmd_xml_exists       (VmdXml      *self,
                                  VmdXmlNode  *node,
                                  const char  *expr);
guint64     vmd_xml_uint         (VmdXml      *self,
                                  VmdXmlNode  *node,
                                  const char  *expr,
                                  guint64      fallback);
GPtrArray  *vmd_xml_nodes        (VmdXml      *self,
                                  VmdXmlNode  *node,
                                  const char  *expr);
GStrv       vmd_xml_strings      (VmdXml      *self,
                                  const char  *expr);

/* Editing a parsed document: the first element child of that name, or NULL; every such child
 * removed; the child made when there is none. */
VmdXmlNode *vmd_xml_child           (VmdXmlNode  *parent,
                                     const char  *name);
void        vmd_xml_remove_children (VmdXmlNode  *parent,
                                     const char  *name);
VmdXmlNode *vmd_xml_ensure_child    (VmdXmlNode  *parent,
                                     const char  *name);

G_END_DECLS
