/* The prompt is ssh's own ("user@host's password:"), so the user sees which host and account it
 * is for; a secret is typed unseen. OK replies, anything else cancels; the entry is cleared as
 * the dialog goes. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-password-dialog.h"

struct _VmdPasswordDialog
{
  GtkDialog          parent_instance;

  GtkWidget         *prompt_label;
  GtkWidget         *entry;

  VmdAskpassRequest *request;
};

G_DEFINE_FINAL_TYPE (VmdPasswordDialog, vmd_password_dialog, GTK_TYPE_DIALOG)

static void
on_response (VmdPasswordDialog *self,
             int                response)
{
  if (response == GTK_RESPONSE_OK)
    vmd_askpass_request_reply (self->request, gtk_entry_get_text (GTK_ENTRY (self->entry)));
  else
    vmd_askpass_request_cancel (self->request);
  gtk_entry_set_text (GTK_ENTRY (self->entry), "");
  gtk_widget_destroy (GTK_WIDGET (self));
}

GtkWidget *
vmd_password_dialog_new (GtkWindow         *parent,
                         VmdAskpassRequest *request)
{
  VmdPasswordDialog *self = g_object_new (VMD_TYPE_PASSWORD_DIALOG, "transient-for", parent,
                                          "use-header-bar", FALSE, NULL);

  self->request = g_object_ref (request);
  gtk_label_set_text (GTK_LABEL (self->prompt_label), vmd_askpass_request_get_prompt (request));
  gtk_entry_set_visibility (GTK_ENTRY (self->entry), !vmd_askpass_request_is_secret (request));
  return GTK_WIDGET (self);
}

static void
vmd_password_dialog_dispose (GObject *object)
{
  VmdPasswordDialog *self = VMD_PASSWORD_DIALOG (object);

  /* Closed without an answer: ssh is told, and gives up. */
  if (self->request != NULL)
    vmd_askpass_request_cancel (self->request);
  g_clear_object (&self->request);
  G_OBJECT_CLASS (vmd_password_dialog_parent_class)->dispose (object);
}

static void
vmd_password_dialog_class_init (VmdPasswordDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_password_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vmdesk/VmDesk/ui/vmd-password-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdPasswordDialog, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, VmdPasswordDialog, entry);
  gtk_widget_class_bind_template_callback (widget_class, on_response);
}

static void
vmd_password_dialog_init (VmdPasswordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
