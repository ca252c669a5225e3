/* VmdCreationAssistant, making the machine: Finish (through the XML editor when asked), the
 * installer started paused, its first boot with the console attached (VmdFirstBoot); and
 * moving between pages, Cancel and Escape, which ask before discarding what was entered. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-creation-assistant-private.h"
#include "vmd-first-boot.h"

/* --- installing ---------------------------------------------------------------------------- */

static void
show_install_error (VmdCreationAssistant *self,
                    const char           *message)
{
  self->installing = FALSE;
  gtk_spinner_stop (GTK_SPINNER (self->progress_spinner));
  gtk_label_set_text (GTK_LABEL (self->install_error_label), message);
  gtk_widget_show (self->install_error_bar);
  gtk_assistant_set_current_page (GTK_ASSISTANT (self), PAGE_FINISH);
  gtk_widget_show (GTK_WIDGET (self));
  vmd_creation_assistant_update_pages (self);
}

static void
on_first_boot_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(VmdCreationAssistant) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_first_boot_finish (result, &error))
    {
      if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
        show_install_error (self, error->message);
      return;
    }
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
on_machine_found (VmdMachine *machine,
                  gpointer    user_data)
{
  g_signal_emit_by_name (user_data, "machine-created", machine);
}

/* The machine is made and paused: out of the way (it is modal) while its console opens. */
static void
on_installed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VmdCreationAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = vmd_installer_install_finish (VMD_INSTALLER (source), result, &error);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->installing = FALSE;
      return;
    }
  if (name == NULL)
    {
      show_install_error (self, error->message);
      return;
    }
  gtk_widget_hide (GTK_WIDGET (self));
  vmd_first_boot_async (VMD_INSTALLER (source), self->connection,
                        parent != NULL ? gtk_window_get_application (parent) : NULL, name,
                        on_machine_found, self, on_first_boot_done, g_object_ref (self));
}

void
vmd_creation_assistant_install (VmdCreationAssistant *self,
                                const char           *custom_xml)
{
  if (custom_xml != self->custom_xml)
    {
      g_free (self->custom_xml);
      self->custom_xml = g_strdup (custom_xml);
    }
  self->installing = TRUE;
  gtk_widget_hide (self->install_error_bar);
  gtk_assistant_set_current_page (GTK_ASSISTANT (self), PAGE_PROGRESS);
  gtk_spinner_start (GTK_SPINNER (self->progress_spinner));
  vmd_creation_assistant_update_buttons (self);
  /* The OS on the media decides the machine's devices: wait for it unless the user chose. */
  if ((self->media_cancellable != NULL || self->media_waits || self->media_timeout_id != 0) && !self->os_chosen)
    {
      self->install_waits = TRUE;
      gtk_label_set_text (GTK_LABEL (self->progress_label), _("Detecting the operating system…"));
      return;
    }
  gtk_label_set_text (GTK_LABEL (self->progress_label), _("Creating the machine…"));
  vmd_installer_install_async (self->installer, self->spec, self->media, self->custom_xml,
                               VMD_INSTALL_START_PAUSED, self->cancellable, on_installed,
                               g_object_ref (self));
}

static void
on_xml_response (GtkDialog            *dialog,
                 int                   response,
                 VmdCreationAssistant *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->xml_view);
  GtkTextIter start, end;
  g_autofree char *xml = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  xml = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  self->xml_view = NULL;
  g_clear_pointer (&self->xml_dialog, gtk_widget_destroy);
  if (response == GTK_RESPONSE_ACCEPT)
    vmd_creation_assistant_install (self, xml);
}

/* "Customize before install": the final machine's XML, to edit before it is defined. */
static void
show_xml (VmdCreationAssistant *self)
{
  g_autofree char *xml = vmd_machine_spec_to_xml (self->spec, VMD_SPEC_PHASE_FINAL);
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  self->xml_dialog = gtk_dialog_new_with_buttons (_("Customize the Machine"), GTK_WINDOW (self),
                                                  GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                  _("_Cancel"), GTK_RESPONSE_CANCEL,
                                                  _("_Begin Installation"), GTK_RESPONSE_ACCEPT, NULL);
  self->xml_view = GTK_TEXT_VIEW (view);
  gtk_text_buffer_set_text (buffer, xml, -1);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  atk_object_set_name (gtk_widget_get_accessible (view), _("Domain XML"));
  gtk_widget_set_size_request (scrolled, 600, 420);
  gtk_container_add (GTK_CONTAINER (scrolled), view);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (self->xml_dialog))), scrolled,
                      TRUE, TRUE, 0);
  g_signal_connect_object (self->xml_dialog, "response", G_CALLBACK (on_xml_response), self, 0);
  gtk_widget_show_all (self->xml_dialog);
}

void
vmd_creation_assistant_on_finish_clicked (VmdCreationAssistant *self)
{
  if (self->installing || self->xml_dialog != NULL ||
      !gtk_assistant_get_page_complete (GTK_ASSISTANT (self), vmd_creation_assistant_page (self, PAGE_FINISH)))
    return;
  if (vmd_machine_spec_get_customize (self->spec))
    show_xml (self);
  else
    vmd_creation_assistant_install (self, NULL);
}

/* --- navigation and closing ------------------------------------------------------------------ */

void
vmd_creation_assistant_on_forward_clicked (VmdCreationAssistant *self)
{
  int current = gtk_assistant_get_current_page (GTK_ASSISTANT (self));

  /* A value typed and not yet taken by its spin button is taken now, and checked. */
  gtk_spin_button_update (GTK_SPIN_BUTTON (self->memory_spin));
  gtk_spin_button_update (GTK_SPIN_BUTTON (self->cpus_spin));
  gtk_spin_button_update (GTK_SPIN_BUTTON (self->disk_size_spin));
  if (current < PAGE_FINISH && gtk_assistant_get_page_complete (GTK_ASSISTANT (self), vmd_creation_assistant_page (self, current)))
    gtk_assistant_next_page (GTK_ASSISTANT (self));
}

void
vmd_creation_assistant_on_back_clicked (VmdCreationAssistant *self)
{
  if (gtk_assistant_get_current_page (GTK_ASSISTANT (self)) > PAGE_METHOD && !self->installing)
    gtk_assistant_previous_page (GTK_ASSISTANT (self));
}

static void
on_discard_response (GtkDialog            *dialog,
                     int                   response,
                     VmdCreationAssistant *self)
{
  g_clear_pointer (&self->discard_dialog, gtk_widget_destroy);
  if (response == GTK_RESPONSE_REJECT)
    gtk_widget_destroy (GTK_WIDGET (self));
}

/* Cancel, Escape or the close button: what was entered is not thrown away without asking. */
void
vmd_creation_assistant_cancel (GtkAssistant *assistant)
{
  VmdCreationAssistant *self = VMD_CREATION_ASSISTANT (assistant);

  if (self->installing)
    return;
  if (!self->edited)
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  if (self->discard_dialog != NULL)
    return;
  self->discard_dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                 GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                                 _("Discard the new machine?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (self->discard_dialog),
                                            _("What you entered in the assistant is lost."));
  gtk_dialog_add_buttons (GTK_DIALOG (self->discard_dialog), _("_Keep Editing"), GTK_RESPONSE_CANCEL,
                          _("_Discard"), GTK_RESPONSE_REJECT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (self->discard_dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect_object (self->discard_dialog, "response", G_CALLBACK (on_discard_response), self, 0);
  gtk_widget_show (self->discard_dialog);
}

void
vmd_creation_assistant_on_cancel_clicked (VmdCreationAssistant *self)
{
  vmd_creation_assistant_cancel (GTK_ASSISTANT (self));
}

gboolean
vmd_creation_assistant_on_delete_event (GtkWidget   *widget,
                                        GdkEventAny *event)
{
  vmd_creation_assistant_cancel (GTK_ASSISTANT (widget));
  return GDK_EVENT_STOP;
}

/* Each page: its buttons, and the one Return presses. */
void
vmd_creation_assistant_prepare (GtkAssistant *assistant,
                                GtkWidget    *page_widget)
{
  VmdCreationAssistant *self = VMD_CREATION_ASSISTANT (assistant);
  int current = gtk_assistant_get_current_page (assistant);

  vmd_creation_assistant_update_buttons (self);
  if (current == PAGE_FINISH)
    gtk_widget_grab_default (self->finish_button);
  else if (current < PAGE_FINISH)
    gtk_widget_grab_default (self->forward_button);
}
