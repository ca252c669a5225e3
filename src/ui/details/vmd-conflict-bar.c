/* VmdConflictBar: the words and buttons only; what Reload and Overwrite do is the page's. It
 * emits "reload" (Reload, or Take Theirs), "overwrite" and "cancel". */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-conflict-bar.h"

struct _VmdConflictBar
{
  GtkInfoBar  parent_instance;

  gboolean    asking;
  GtkWidget  *changes_label;
  GtkWidget  *hint_label;
  GtkWidget  *reload_button;
  GtkWidget  *overwrite_button;
  GtkWidget  *theirs_button;
  GtkWidget  *cancel_button;
};

G_DEFINE_FINAL_TYPE (VmdConflictBar, vmd_conflict_bar, GTK_TYPE_INFO_BAR)

enum { RELOAD, OVERWRITE, CANCEL, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_mode (VmdConflictBar *self,
           gboolean        asking,
           const char     *changes,
           const char     *hint)
{
  self->asking = asking;
  gtk_label_set_text (GTK_LABEL (self->changes_label), changes != NULL ? changes : "");
  gtk_widget_set_visible (self->changes_label, changes != NULL && *changes != '\0');
  gtk_label_set_text (GTK_LABEL (self->hint_label), hint);
  gtk_widget_set_visible (self->reload_button, !asking);
  gtk_widget_set_visible (self->overwrite_button, asking);
  gtk_widget_set_visible (self->theirs_button, asking);
  gtk_widget_set_visible (self->cancel_button, asking);
  gtk_info_bar_set_message_type (GTK_INFO_BAR (self), asking ? GTK_MESSAGE_QUESTION : GTK_MESSAGE_WARNING);
  gtk_widget_show (GTK_WIDGET (self));
}

/* The input is kept; changes lists what changed, a line each. hint NULL: a page's words. */
void
vmd_conflict_bar_tell (VmdConflictBar *self,
                       const char     *changes,
                       const char     *hint)
{
  g_return_if_fail (VMD_IS_CONFLICT_BAR (self));
  show_mode (self, FALSE, changes,
             hint != NULL ? hint : _("What you typed is kept. Reload shows the new values; Apply "
                                     "writes only the fields you changed."));
}

/* An Apply would overwrite what changed elsewhere: the user chooses. */
void
vmd_conflict_bar_ask (VmdConflictBar *self,
                      const char     *changes,
                      const char     *question)
{
  g_return_if_fail (VMD_IS_CONFLICT_BAR (self));
  show_mode (self, TRUE, changes,
             question != NULL ? question : _("You changed these fields too. Overwrite them with "
                                             "yours, or take the values libvirt holds now?"));
}

void
vmd_conflict_bar_dismiss (VmdConflictBar *self)
{
  g_return_if_fail (VMD_IS_CONFLICT_BAR (self));
  self->asking = FALSE;
  gtk_widget_hide (GTK_WIDGET (self));
}

gboolean
vmd_conflict_bar_is_asking (VmdConflictBar *self)
{
  g_return_val_if_fail (VMD_IS_CONFLICT_BAR (self), FALSE);
  return self->asking && gtk_widget_get_visible (GTK_WIDGET (self));
}

static void
on_reload_clicked (GtkButton      *button,
                   VmdConflictBar *self)
{
  vmd_conflict_bar_dismiss (self);
  g_signal_emit (self, signals[RELOAD], 0);
}

static void
on_overwrite_clicked (GtkButton      *button,
                      VmdConflictBar *self)
{
  vmd_conflict_bar_dismiss (self);
  g_signal_emit (self, signals[OVERWRITE], 0);
}

static void
on_cancel_clicked (GtkButton      *button,
                   VmdConflictBar *self)
{
  vmd_conflict_bar_dismiss (self);
  g_signal_emit (self, signals[CANCEL], 0);
}

static void
vmd_conflict_bar_class_init (VmdConflictBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/details/vmd-conflict-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdConflictBar, changes_label);
  gtk_widget_class_bind_template_child (widget_class, VmdConflictBar, hint_label);
  gtk_widget_class_bind_template_child (widget_class, VmdConflictBar, reload_button);
  gtk_widget_class_bind_template_child (widget_class, VmdConflictBar, overwrite_button);
  gtk_widget_class_bind_template_child (widget_class, VmdConflictBar, theirs_button);
  gtk_widget_class_bind_template_child (widget_class, VmdConflictBar, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_reload_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_overwrite_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);

  signals[RELOAD] = g_signal_new ("reload", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[OVERWRITE] = g_signal_new ("overwrite", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CANCEL] = g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_conflict_bar_init (VmdConflictBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
