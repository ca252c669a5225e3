/* VmdJobProgress: follows the job's notify:: signals; the bar's text says the bytes, the label
 * the speed; once the job is over, Cancel is off and the text says how it ended. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-job-progress.h"

struct _VmdJobProgress
{
  GtkBox     parent_instance;

  GtkWidget *title_label;
  GtkWidget *progress_bar;
  GtkWidget *speed_label;
  GtkWidget *cancel_button;
  VmdJob    *job;
};

G_DEFINE_FINAL_TYPE (VmdJobProgress, vmd_job_progress, GTK_TYPE_BOX)

static void
update (VmdJobProgress *self)
{
  g_autofree char *done = g_format_size (vmd_job_get_bytes_done (self->job));
  g_autofree char *total = g_format_size (vmd_job_get_bytes_total (self->job));
  g_autofree char *text = NULL;
  g_autofree char *speed = NULL;

  switch (vmd_job_get_state (self->job))
    {
    case VMD_JOB_STATE_SUCCEEDED:
      text = g_strdup_printf (_("Done: %s"), total);
      break;
    case VMD_JOB_STATE_CANCELLED:
    case VMD_JOB_STATE_FAILED:
      text = g_strdup (vmd_job_get_message (self->job));
      break;
    case VMD_JOB_STATE_WAITING:
    case VMD_JOB_STATE_RUNNING:
    default:
      /* TRANSLATORS: bytes done of the whole, e.g. "32.1 MB of 64.0 MB" */
      text = g_strdup_printf (_("%s of %s"), done, total);
      speed = vmd_job_format_speed (vmd_job_get_speed (self->job));
    }
  gtk_label_set_text (GTK_LABEL (self->title_label), vmd_job_get_title (self->job));
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), vmd_job_get_progress (self->job));
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), text);
  gtk_label_set_text (GTK_LABEL (self->speed_label), speed != NULL ? speed : "");
  gtk_widget_set_sensitive (self->cancel_button, !vmd_job_get_finished (self->job));
}

void
vmd_job_progress_set_job (VmdJobProgress *self,
                          VmdJob         *job)
{
  g_return_if_fail (VMD_IS_JOB_PROGRESS (self));
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_set_object (&self->job, job);
  if (job == NULL)
    return;
  g_signal_connect_object (job, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

VmdJob *
vmd_job_progress_get_job (VmdJobProgress *self)
{
  g_return_val_if_fail (VMD_IS_JOB_PROGRESS (self), NULL);
  return self->job;
}

static void
on_cancel_clicked (VmdJobProgress *self)
{
  if (self->job != NULL)
    vmd_job_cancel (self->job);
}

static void
vmd_job_progress_dispose (GObject *object)
{
  VmdJobProgress *self = VMD_JOB_PROGRESS (object);

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  G_OBJECT_CLASS (vmd_job_progress_parent_class)->dispose (object);
}

static void
vmd_job_progress_class_init (VmdJobProgressClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_job_progress_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-job-progress.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdJobProgress, title_label);
  gtk_widget_class_bind_template_child (widget_class, VmdJobProgress, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdJobProgress, speed_label);
  gtk_widget_class_bind_template_child (widget_class, VmdJobProgress, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
vmd_job_progress_init (VmdJobProgress *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
vmd_job_progress_new (void)
{
  return g_object_new (VMD_TYPE_JOB_PROGRESS, NULL);
}
