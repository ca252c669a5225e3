/* VmdXmlEditor: `virsh edit` in a page. The user's text is never replaced while it has unapplied
 * edits: a refused definition leaves it as typed, with libvirt's message above it; an accepted
 * one is replaced by what libvirt holds now, and the diff shows what libvirt changed on the way
 * (defaults filled in, addresses given). */
#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "vmd-xml-editor.h"

struct _VmdXmlEditor
{
  GtkBox             parent_instance;

  VmdMachineDetails *details;
  GCancellable      *cancellable;
  char              *submitted;      /* the text libvirt is looking at */

  GtkWidget         *xml_error_bar;
  GtkWidget         *xml_error_label;
  GtkWidget         *xml_view;
  GtkWidget         *diff_view;
  GtkWidget         *diff_expander;
};

G_DEFINE_FINAL_TYPE (VmdXmlEditor, vmd_xml_editor, GTK_TYPE_BOX)

static GtkTextBuffer *
buffer_of (GtkWidget *view)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static void
show_definition (VmdXmlEditor *self)
{
  const VmdMachineConfig *config = self->details != NULL ? vmd_machine_details_get_config (self->details) : NULL;
  GtkTextBuffer *buffer = buffer_of (self->xml_view);

  if (config == NULL || gtk_text_buffer_get_modified (buffer))
    return;
  gtk_source_buffer_begin_not_undoable_action (GTK_SOURCE_BUFFER (buffer));
  gtk_text_buffer_set_text (buffer, config->xml, -1);
  gtk_source_buffer_end_not_undoable_action (GTK_SOURCE_BUFFER (buffer));
  gtk_text_buffer_set_modified (buffer, FALSE);
}

static void
on_details_changed (VmdMachineDetails *details,
                    VmdXmlEditor      *self)
{
  show_definition (self);
}

static void
on_xml_error_bar_response (GtkInfoBar   *bar,
                           int           response,
                           VmdXmlEditor *self)
{
  gtk_widget_hide (GTK_WIDGET (bar));
}

static void
on_defined (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VmdXmlEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *submitted = g_steal_pointer (&self->submitted);
  g_autofree char *diff = NULL;

  if (!vmd_machine_details_edit_finish (VMD_MACHINE_DETAILS (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (GTK_LABEL (self->xml_error_label), error->message);
          gtk_widget_show (self->xml_error_bar);
        }
      return;
    }
  gtk_widget_hide (self->xml_error_bar);
  diff = vmd_text_diff (submitted, vmd_machine_details_get_config (self->details)->xml);
  gtk_text_buffer_set_text (buffer_of (self->diff_view), diff, -1);
  gtk_expander_set_expanded (GTK_EXPANDER (self->diff_expander), TRUE);
  gtk_text_buffer_set_modified (buffer_of (self->xml_view), FALSE);
  show_definition (self);
}

static void
on_xml_apply_clicked (GtkButton    *button,
                      VmdXmlEditor *self)
{
  GtkTextIter start, end;

  if (self->details == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer_of (self->xml_view), &start, &end);
  g_free (self->submitted);
  self->submitted = gtk_text_buffer_get_text (buffer_of (self->xml_view), &start, &end, FALSE);
  vmd_machine_details_define_xml_async (self->details, self->submitted, self->cancellable, on_defined,
                                        g_object_ref (self));
}

static void
on_discard_response (GtkDialog    *dialog,
                     int           response,
                     VmdXmlEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    vmd_xml_editor_discard_edits (self);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

/* Asks first: the edits would be gone. */
static void
on_xml_reload_clicked (GtkButton    *button,
                       VmdXmlEditor *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *discard;

  if (!vmd_xml_editor_has_unapplied_edits (self))
    return;
  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
                                   GTK_BUTTONS_NONE, "%s", _("Discard your changes to the XML?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("The editor then shows the definition libvirt holds."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  discard = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Discard"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (discard), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), self, 0);
  gtk_widget_show (dialog);
}

gboolean
vmd_xml_editor_has_unapplied_edits (VmdXmlEditor *self)
{
  g_return_val_if_fail (VMD_IS_XML_EDITOR (self), FALSE);
  return gtk_text_buffer_get_modified (buffer_of (self->xml_view));
}

void
vmd_xml_editor_discard_edits (VmdXmlEditor *self)
{
  g_return_if_fail (VMD_IS_XML_EDITOR (self));
  gtk_text_buffer_set_modified (buffer_of (self->xml_view), FALSE);
  gtk_widget_hide (self->xml_error_bar);
  show_definition (self);
}

void
vmd_xml_editor_set_details (VmdXmlEditor      *self,
                            VmdMachineDetails *details)
{
  g_return_if_fail (VMD_IS_XML_EDITOR (self));

  /* A new one when the machine's object is replaced (the daemon came back). */
  if (self->details != NULL)
    g_signal_handlers_disconnect_by_data (self->details, self);
  g_set_object (&self->details, details);
  g_signal_connect_object (details, "changed", G_CALLBACK (on_details_changed), self, 0);
  show_definition (self);
}

static void
vmd_xml_editor_dispose (GObject *object)
{
  VmdXmlEditor *self = VMD_XML_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->details);
  g_clear_pointer (&self->submitted, g_free);
  G_OBJECT_CLASS (vmd_xml_editor_parent_class)->dispose (object);
}

static void
vmd_xml_editor_class_init (VmdXmlEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_xml_editor_dispose;
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-xml-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdXmlEditor, xml_error_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdXmlEditor, xml_error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdXmlEditor, xml_view);
  gtk_widget_class_bind_template_child (widget_class, VmdXmlEditor, diff_view);
  gtk_widget_class_bind_template_child (widget_class, VmdXmlEditor, diff_expander);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_info_bar_response",
                                                G_CALLBACK (on_xml_error_bar_response));
  gtk_widget_class_bind_template_callback (widget_class, on_xml_apply_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_xml_reload_clicked);
}

static void
vmd_xml_editor_init (VmdXmlEditor *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (buffer_of (self->xml_view)),
                                  gtk_source_language_manager_get_language (languages, "xml"));
  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (buffer_of (self->diff_view)),
                                  gtk_source_language_manager_get_language (languages, "diff"));
  /* GtkSourceView's accessible ignores the .ui's AtkObject child; name them here. */
  atk_object_set_name (gtk_widget_get_accessible (self->xml_view), _("XML definition"));
  atk_object_set_name (gtk_widget_get_accessible (self->diff_view), _("Differences"));
}
