#include "config.h"

#include <glib/gi18n.h>

#include "vmd-form.h"
#include "vmd-network-xml-dialog.h"

struct _VmdNetworkXmlDialog
{
  GtkDialog     parent_instance;

  GtkWidget    *text_view;
  GtkWidget    *general_error;
  VmdNetwork   *network;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdNetworkXmlDialog, vmd_network_xml_dialog, GTK_TYPE_DIALOG)

static void
on_defined (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdNetworkXmlDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (vmd_network_operation_finish (VMD_NETWORK (source), result, &error))
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  vmd_form_set_busy (GTK_DIALOG (self), FALSE);
  gtk_label_set_text (GTK_LABEL (self->general_error), error->message);
  gtk_widget_show (self->general_error);
}

static void
on_response (VmdNetworkXmlDialog *self, int response)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view));
  GtkTextIter start, end;
  g_autofree char *xml = NULL;

  if (response != GTK_RESPONSE_OK)
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  xml = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  vmd_form_set_busy (GTK_DIALOG (self), TRUE);
  vmd_network_define_xml_async (self->network, xml, self->cancellable, on_defined, g_object_ref (self));
}

static void
vmd_network_xml_dialog_dispose (GObject *object)
{
  VmdNetworkXmlDialog *self = VMD_NETWORK_XML_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->network);
  G_OBJECT_CLASS (vmd_network_xml_dialog_parent_class)->dispose (object);
}

static void
vmd_network_xml_dialog_class_init (VmdNetworkXmlDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_network_xml_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-network-xml-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdNetworkXmlDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, VmdNetworkXmlDialog, general_error);
}

static void
vmd_network_xml_dialog_init (VmdNetworkXmlDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

GtkWidget *
vmd_network_xml_dialog_new (GtkWindow  *parent,
                            VmdNetwork *network)
{
  VmdNetworkXmlDialog *self = g_object_new (VMD_TYPE_NETWORK_XML_DIALOG, "transient-for", parent, NULL);
  g_autofree char *title = g_strdup_printf (_("Edit Network XML: %s"), vmd_network_get_name (network));

  self->network = g_object_ref (network);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view)),
                            vmd_network_get_xml (network), -1);
  return GTK_WIDGET (self);
}
