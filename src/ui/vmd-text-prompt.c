#include "config.h"

#include "vmd-form.h"
#include "vmd-text-prompt.h"

struct _VmdTextPrompt
{
  GtkDialog  parent_instance;

  GtkWidget *message_label;
  GtkWidget *entry;
  GtkWidget *error_label;
  GtkWidget *ok_button;
};

G_DEFINE_FINAL_TYPE (VmdTextPrompt, vmd_text_prompt, GTK_TYPE_DIALOG)

static void
on_changed (VmdTextPrompt *self)
{
  vmd_text_prompt_show_problem (self, NULL);
}

const char *
vmd_text_prompt_get_text (VmdTextPrompt *self)
{
  return gtk_entry_get_text (GTK_ENTRY (self->entry));
}

void
vmd_text_prompt_show_problem (VmdTextPrompt *self,
                              const char    *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}

void
vmd_text_prompt_set_busy (VmdTextPrompt *self,
                          gboolean       busy)
{
  vmd_form_set_busy (GTK_DIALOG (self), busy);
}

static void
vmd_text_prompt_class_init (VmdTextPromptClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-text-prompt.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdTextPrompt, message_label);
  gtk_widget_class_bind_template_child (widget_class, VmdTextPrompt, entry);
  gtk_widget_class_bind_template_child (widget_class, VmdTextPrompt, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdTextPrompt, ok_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
}

static void
vmd_text_prompt_init (VmdTextPrompt *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The entry's accessible name is the title, so tests and screen readers find it by it. */
GtkWidget *
vmd_text_prompt_new (GtkWindow  *parent,
                     const char *title,
                     const char *message,
                     const char *answer,
                     const char *ok_label)
{
  VmdTextPrompt *self = g_object_new (VMD_TYPE_TEXT_PROMPT, "transient-for", parent, "title", title, NULL);

  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), title);
  atk_object_set_name (gtk_widget_get_accessible (self->entry), title);
  gtk_label_set_text (GTK_LABEL (self->message_label), message);
  gtk_entry_set_text (GTK_ENTRY (self->entry), answer != NULL ? answer : "");
  gtk_button_set_label (GTK_BUTTON (self->ok_button), ok_label);
  return GTK_WIDGET (self);
}
