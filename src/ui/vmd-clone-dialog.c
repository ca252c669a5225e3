/* VmdCloneDialog: the plan is read off the main loop (the form stays off until it is known);
 * each choice is checked as it is made, its problem shown beside it, and Clone is on only when
 * there is none. While the job runs the form is off and Close cancels; a cancelled or failed
 * clone leaves the dialog open to try again, a finished one closes it. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-clone-dialog.h"
#include "vmd-display-name.h"
#include "vmd-job-progress.h"
#include "vmd-machine-clone.h"

struct _VmdCloneDialog
{
  GtkDialog     parent_instance;

  GtkWidget    *heading;
  GtkWidget    *spinner;
  GtkWidget    *form_grid;
  GtkWidget    *name_entry;
  GtkWidget    *name_error;
  GtkWidget    *pool_combo;
  GtkWidget    *choice_error;
  GtkWidget    *disk_grid;
  GtkWidget    *note_label;
  GtkWidget    *progress;
  GtkWidget    *error_label;
  GtkWidget    *clone_button;

  VmdMachine   *machine;
  GCancellable *cancellable;
  VmdClonePlan *plan;
  GPtrArray    *mode_combos;   /* one per disk of the plan, in its order (borrowed) */
  VmdJob       *job;           /* while a clone runs */
};

G_DEFINE_FINAL_TYPE (VmdCloneDialog, vmd_clone_dialog, GTK_TYPE_DIALOG)

enum { SIGNAL_CLONED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *mode_ids[] = { "copy", "thin", "share" };

static void
show_problem (GtkWidget  *label,
              GError     *error)
{
  gtk_label_set_text (GTK_LABEL (label), error != NULL ? error->message : "");
  gtk_widget_set_visible (label, error != NULL);
}

/* The user's choices into the plan; then every check, each beside its field. */
static gboolean
read_form (VmdCloneDialog *self)
{
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GError) choice_error = NULL;
  const char *pool = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->pool_combo));
  gboolean ok;

  if (self->plan == NULL)
    return FALSE;
  g_free (self->plan->name);
  self->plan->name = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->name_entry)));
  g_free (self->plan->pool);
  self->plan->pool = g_strdup (pool);
  for (guint i = 0; i < self->mode_combos->len; i++)
    {
      VmdCloneDisk *disk = self->plan->disks->pdata[i];
      const char *id = gtk_combo_box_get_active_id (self->mode_combos->pdata[i]);

      for (guint m = 0; m < G_N_ELEMENTS (mode_ids); m++)
        if (g_strcmp0 (id, mode_ids[m]) == 0)
          disk->mode = m;
    }
  ok = vmd_clone_plan_check_name (self->plan, self->plan->name, &name_error);
  if (ok)
    ok = vmd_clone_plan_validate (self->plan, &choice_error);
  else
    vmd_clone_plan_validate (self->plan, &choice_error);
  /* The name's problem is said beside the name; the other check repeats it otherwise. */
  if (name_error != NULL && choice_error != NULL &&
      g_strcmp0 (name_error->message, choice_error->message) == 0)
    g_clear_error (&choice_error);
  show_problem (self->name_error, name_error);
  show_problem (self->choice_error, choice_error);
  return ok && choice_error == NULL;
}

static void
update (VmdCloneDialog *self)
{
  gboolean running = self->job != NULL;

  gtk_widget_set_sensitive (self->form_grid, self->plan != NULL && !running);
  gtk_widget_set_sensitive (self->clone_button, !running && read_form (self));
}

static void
on_name_changed (VmdCloneDialog *self)
{
  update (self);
}

static void
on_choice_changed (VmdCloneDialog *self)
{
  update (self);
}

/* --- the plan's disks as rows ----------------------------------------------------------------- */

static GtkWidget *
mode_combo_new (VmdCloneDialog     *self,
                const VmdCloneDisk *disk)
{
  GtkWidget *combo = gtk_combo_box_text_new ();
  g_autofree char *accessible = g_strdup_printf (_("What to do with disk %s"), disk->target);

  if (disk->is_volume && !disk->must_share)
    {
      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), "copy", _("Copy"));
      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), "thin",
                                 _("Thin copy (backed by the original)"));
    }
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), "share",
                             disk->must_share ? _("Share (CD-ROM, read-only or shareable)")
                             : disk->is_volume ? _("Share (both machines write it)")
                             : _("Share (not in a storage pool: cannot be copied)"));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), mode_ids[disk->mode]);
  gtk_widget_set_sensitive (combo, disk->is_volume && !disk->must_share);
  atk_object_set_name (gtk_widget_get_accessible (combo), accessible);
  g_signal_connect_object (combo, "changed", G_CALLBACK (on_choice_changed), self, G_CONNECT_SWAPPED);
  gtk_widget_show (combo);
  return combo;
}

static void
show_disks (VmdCloneDialog *self)
{
  for (guint i = 0; i < self->plan->disks->len; i++)
    {
      const VmdCloneDisk *disk = self->plan->disks->pdata[i];
      g_autofree char *size = g_format_size_full (disk->bytes, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *text = disk->is_volume
        ? g_strdup_printf (_("Disk %s: %s (%s)"), disk->target, disk->path, size)
        : g_strdup_printf (_("Disk %s: %s"), disk->target, disk->path != NULL ? disk->path : _("empty"));
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *combo = mode_combo_new (self, disk);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_show (label);
      gtk_grid_attach (GTK_GRID (self->disk_grid), label, 0, i, 1, 1);
      gtk_grid_attach (GTK_GRID (self->disk_grid), combo, 1, i, 1, 1);
      g_ptr_array_add (self->mode_combos, combo);
    }
}

static void
show_notes (VmdCloneDialog *self)
{
  g_autoptr(GString) notes = g_string_new (NULL);

  if (self->plan->nvram != NULL)
    g_string_append (notes, _("The firmware's variables (NVRAM) are copied when their file is in "
                              "a storage pool; otherwise the clone starts with fresh ones."));
  if (self->plan->has_tpm)
    g_string_append_printf (notes, "%s%s", notes->len > 0 ? " " : "",
                            self->plan->tpm_state_dir != NULL
                            ? _("The TPM's state is copied: the clone holds the original's TPM secrets.")
                            : _("The clone's TPM starts empty: the original's TPM state is not on "
                                "this computer, or cannot be read here, or the machine never started."));
  gtk_label_set_text (GTK_LABEL (self->note_label), notes->str);
  gtk_widget_set_visible (self->note_label, notes->len > 0);
}

static void
on_plan_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  VmdClonePlan *plan = vmd_machine_clone_plan_finish (VMD_MACHINE (source), result, &error);
  VmdCloneDialog *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = VMD_CLONE_DIALOG (user_data);
  gtk_widget_hide (self->spinner);
  if (plan == NULL)
    {
      show_problem (self->error_label, error);
      return;
    }
  /* The fields first: while self->plan is NULL their "changed" reads nothing into it. */
  for (guint i = 0; plan->pools[i] != NULL; i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->pool_combo), plan->pools[i], plan->pools[i]);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->pool_combo), plan->pool);
  gtk_entry_set_text (GTK_ENTRY (self->name_entry), plan->name);
  self->plan = plan;
  show_disks (self);
  show_notes (self);
  update (self);
  gtk_widget_grab_focus (self->name_entry);
}

/* --- the job ---------------------------------------------------------------------------------- */

static void
on_cloned (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VmdCloneDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = vmd_job_run_finish (VMD_JOB (source), result, &error);

  g_clear_object (&self->job);
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  if (ok)
    {
      g_signal_emit (self, signals[SIGNAL_CLONED], 0, self->plan->name);
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("Cancelled: the copies made so far were deleted."));
    }
  show_problem (self->error_label, error);
  update (self);
}

static void
start_clone (VmdCloneDialog *self)
{
  g_autofree char *name = vmd_name_for_display (self->plan->name);
  g_autofree char *title = g_strdup_printf (_("Cloning to “%s”"), name);

  show_problem (self->error_label, NULL);
  self->job = vmd_job_new (title);
  vmd_job_progress_set_job (VMD_JOB_PROGRESS (self->progress), self->job);
  gtk_widget_show (self->progress);
  vmd_machine_clone_run (self->machine, self->plan, self->job, on_cloned, g_object_ref (self));
  update (self);
}

/* The dialog answers its own buttons: Clone starts, Close cancels a clone under way (the dialog
 * stays until its undo is over) or closes. */
static void
on_response (VmdCloneDialog *self,
             int             response)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      if (self->job == NULL && read_form (self))
        start_clone (self);
      return;
    }
  if (self->job != NULL)
    {
      vmd_job_cancel (self->job);
      return;
    }
  gtk_widget_destroy (GTK_WIDGET (self));
}

static gboolean
on_delete_event (GtkWidget   *widget,
                 GdkEventAny *event)
{
  on_response (VMD_CLONE_DIALOG (widget), GTK_RESPONSE_DELETE_EVENT);
  return GDK_EVENT_STOP;
}

static void
vmd_clone_dialog_dispose (GObject *object)
{
  VmdCloneDialog *self = VMD_CLONE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->job != NULL)
    vmd_job_cancel (self->job);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->machine);
  g_clear_pointer (&self->plan, vmd_clone_plan_free);
  g_clear_pointer (&self->mode_combos, g_ptr_array_unref);
  G_OBJECT_CLASS (vmd_clone_dialog_parent_class)->dispose (object);
}

static void
vmd_clone_dialog_class_init (VmdCloneDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_clone_dialog_dispose;
  widget_class->delete_event = on_delete_event;
  signals[SIGNAL_CLONED] = g_signal_new ("cloned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  g_type_ensure (VMD_TYPE_JOB_PROGRESS);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-clone-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, heading);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, form_grid);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, name_error);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, pool_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, choice_error);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, disk_grid);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, note_label);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, progress);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdCloneDialog, clone_button);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed);
}

static void
vmd_clone_dialog_init (VmdCloneDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->mode_combos = g_ptr_array_new ();
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

GtkWidget *
vmd_clone_dialog_new (GtkWindow  *parent,
                      VmdMachine *machine)
{
  VmdCloneDialog *self = g_object_new (VMD_TYPE_CLONE_DIALOG, "transient-for", parent, NULL);
  g_autofree char *name = vmd_name_for_display (vmd_machine_get_name (machine));
  g_autofree char *heading = g_strdup_printf (_("Clone “%s”"), name);

  self->machine = g_object_ref (machine);
  gtk_label_set_text (GTK_LABEL (self->heading), heading);
  vmd_machine_clone_plan_async (machine, self->cancellable, on_plan_read, self);
  return GTK_WIDGET (self);
}
