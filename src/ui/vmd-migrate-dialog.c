/* The destinations are the connections open when the dialog opens, other than the machine's
 * own. While the job runs the choices are off; the dialog closes by itself when the machine has
 * moved (the list then shows it under its new host), and stays with the reason when it did not. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-job-progress.h"
#include "vmd-machine-migrate.h"
#include "vmd-migrate-dialog.h"

struct _VmdMigrateDialog
{
  GtkDialog   parent_instance;

  GtkWidget  *intro_label;
  GtkWidget  *form;
  GtkWidget  *target_combo;
  GtkWidget  *none_label;
  GtkWidget  *copy_check;
  GtkWidget  *persist_check;
  GtkWidget  *undefine_check;
  GtkWidget  *bandwidth_spin;
  GtkWidget  *progress;
  GtkWidget  *error_label;
  GtkWidget  *migrate_button;

  VmdMachine *machine;
  GPtrArray  *targets;   /* of VmdConnection, in the combo's order */
  VmdJob     *job;
};

G_DEFINE_FINAL_TYPE (VmdMigrateDialog, vmd_migrate_dialog, GTK_TYPE_DIALOG)

static void
show_problem (VmdMigrateDialog *self,
              const char       *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}

static void
set_running (VmdMigrateDialog *self,
             gboolean          running)
{
  gtk_widget_set_sensitive (self->form, !running);
  gtk_widget_set_sensitive (self->migrate_button, !running && self->targets->len > 0);
}

static void
on_migrated (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(VmdMigrateDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (vmd_job_run_finish (VMD_JOB (source), result, &error))
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  set_running (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_problem (self, _("Cancelled: the machine goes on running where it was."));
  else
    show_problem (self, error->message);
}

static void
start (VmdMigrateDialog *self)
{
  int index = gtk_combo_box_get_active (GTK_COMBO_BOX (self->target_combo));
  VmdMigrateOptions options = {
    .copy_storage = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->copy_check)),
    .persistent = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->persist_check)),
    .undefine_source = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->undefine_check)),
    .bandwidth_mib_s = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->bandwidth_spin)),
  };

  if (index < 0 || (guint) index >= self->targets->len)
    return;
  show_problem (self, NULL);
  set_running (self, TRUE);
  g_clear_object (&self->job);
  self->job = vmd_machine_migrate (self->machine, self->targets->pdata[index], &options, NULL,
                                   on_migrated, g_object_ref (self));
  vmd_job_progress_set_job (VMD_JOB_PROGRESS (self->progress), self->job);
  gtk_widget_show (self->progress);
}

static void
on_response (VmdMigrateDialog *self,
             int               response)
{
  if (response == GTK_RESPONSE_OK)
    {
      start (self);
      return;
    }
  /* Closing stops a migration under way: it must not go on behind a window nobody sees. */
  if (self->job != NULL && !vmd_job_get_finished (self->job))
    vmd_job_cancel (self->job);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
fill_targets (VmdMigrateDialog *self,
              GListModel       *connections)
{
  VmdConnection *own = vmd_machine_get_connection (self->machine);
  guint n = g_list_model_get_n_items (connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (connections, i);

      if (connection == own ||
          vmd_connection_get_state (connection) != VMD_CONNECTION_STATE_CONNECTED)
        continue;
      g_ptr_array_add (self->targets, g_object_ref (connection));
      gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (self->target_combo),
                                      vmd_connection_get_title (connection));
    }
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->target_combo), self->targets->len > 0 ? 0 : -1);
  gtk_widget_set_visible (self->none_label, self->targets->len == 0);
  set_running (self, FALSE);
}

GtkWidget *
vmd_migrate_dialog_new (GtkWindow  *parent,
                        GListModel *connections,
                        VmdMachine *machine)
{
  VmdMigrateDialog *self = g_object_new (VMD_TYPE_MIGRATE_DIALOG, "transient-for", parent,
                                         "use-header-bar", FALSE, NULL);
  VmdConnection *own = vmd_machine_get_connection (machine);
  g_autofree char *intro = g_strdup_printf (_("Move “%s” from %s to another host while it runs."),
                                            vmd_machine_get_name (machine),
                                            own != NULL ? vmd_connection_get_title (own) : "");

  self->machine = g_object_ref (machine);
  gtk_label_set_text (GTK_LABEL (self->intro_label), intro);
  fill_targets (self, connections);
  return GTK_WIDGET (self);
}

static void
vmd_migrate_dialog_dispose (GObject *object)
{
  VmdMigrateDialog *self = VMD_MIGRATE_DIALOG (object);

  g_clear_object (&self->job);
  g_clear_object (&self->machine);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  G_OBJECT_CLASS (vmd_migrate_dialog_parent_class)->dispose (object);
}

static void
vmd_migrate_dialog_class_init (VmdMigrateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_migrate_dialog_dispose;
  g_type_ensure (VMD_TYPE_JOB_PROGRESS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vmdesk/VmDesk/ui/vmd-migrate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, form);
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, target_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, none_label);
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, copy_check);
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, persist_check);
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, undefine_check);
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, bandwidth_spin);
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, progress);
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdMigrateDialog, migrate_button);
  gtk_widget_class_bind_template_callback (widget_class, on_response);
}

static void
vmd_migrate_dialog_init (VmdMigrateDialog *self)
{
  self->targets = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}
