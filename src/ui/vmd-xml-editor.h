/* VmdXmlEditor: a machine's persistent definition in a source view; applies it through
 * VmdMachineDetails over the definition it started from only, shows libvirt's refusal in place,
 * what the Apply changed when libvirt accepts, and the three versions when it changed elsewhere. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine-details.h"

G_BEGIN_DECLS

#define VMD_TYPE_XML_EDITOR (vmd_xml_editor_get_type ())
G_DECLARE_FINAL_TYPE (VmdXmlEditor, vmd_xml_editor, VMD, XML_EDITOR, GtkBox)

void     vmd_xml_editor_set_details          (VmdXmlEditor      *self,
                                              VmdMachineDetails *details);
gboolean vmd_xml_editor_has_unapplied_edits  (VmdXmlEditor      *self);
void     vmd_xml_editor_discard_edits        (VmdXmlEditor      *self);

G_END_DECLS
