/* VmdDeleteDialog: lists the machine's disks (found off the main loop) with a check box each;
 * only disks that are safe to delete can be ticked, and Delete waits until the list is known so
 * that nobody deletes without seeing what goes. Snapshots always go with the machine: it says
 * so, with their number once it is known. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-delete-dialog.h"
#include "vmd-display-name.h"

struct _VmdDeleteDialog
{
  GtkDialog     parent_instance;

  GtkWidget    *heading;
  GtkWidget    *spinner;
  GtkWidget    *disk_box;
  GtkWidget    *snapshots_label;
  GtkWidget    *delete_button;

  VmdMachine   *machine;
  GCancellable *cancellable;
  GPtrArray    *choices;      /* of VmdDiskChoice, once listed */
  GPtrArray    *checks;       /* GtkCheckButton per choice, in the same order (borrowed) */
};

G_DEFINE_FINAL_TYPE (VmdDeleteDialog, vmd_delete_dialog, GTK_TYPE_DIALOG)

static GtkWidget *
disk_check_new (const VmdDiskChoice *choice)
{
  g_autofree char *label = NULL;
  GtkWidget *check;

  if (choice->deletable)
    label = g_strdup_printf (_("Delete disk %s (%s)"), choice->path, choice->target ?: "");
  else
    label = g_strdup_printf ("%s (%s) — %s", choice->path, choice->target ?: "", choice->reason);
  check = gtk_check_button_new_with_label (label);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), choice->deletable);
  gtk_widget_set_sensitive (check, choice->deletable);
  gtk_widget_show (check);
  return check;
}

static void
show_disks (VmdDeleteDialog *self,
            GPtrArray       *choices)
{
  self->choices = g_ptr_array_ref (choices);
  for (guint i = 0; i < choices->len; i++)
    {
      GtkWidget *check = disk_check_new (choices->pdata[i]);

      g_ptr_array_add (self->checks, check);
      gtk_container_add (GTK_CONTAINER (self->disk_box), check);
    }
}

static void
on_disks_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) choices = vmd_machine_list_disks_finish (VMD_MACHINE (source), result, &error);
  VmdDeleteDialog *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = VMD_DELETE_DIALOG (user_data);
  gtk_widget_hide (self->spinner);
  if (choices == NULL)
    {
      GtkWidget *label = gtk_label_new (error->message);

      gtk_widget_show (label);
      gtk_container_add (GTK_CONTAINER (self->disk_box), label);
    }
  else
    show_disks (self, choices);
  gtk_widget_set_sensitive (self->delete_button, TRUE);
}

/* The general sentence stands until the number is known, and stays when it cannot be. */
static void
on_snapshots_counted (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  int n = vmd_machine_count_snapshots_finish (VMD_MACHINE (source), result, &error);
  VmdDeleteDialog *self;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = VMD_DELETE_DIALOG (user_data);
  if (n < 0)
    return;
  if (n == 0)
    text = g_strdup (_("It has no snapshots."));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Its snapshot is deleted too.",
                                         "Its %d snapshots are deleted too.", n), n);
  gtk_label_set_text (GTK_LABEL (self->snapshots_label), text);
}

char **
vmd_delete_dialog_dup_chosen_paths (VmdDeleteDialog *self)
{
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();

  for (guint i = 0; self->choices != NULL && i < self->choices->len; i++)
    {
      const VmdDiskChoice *choice = self->choices->pdata[i];

      if (choice->deletable && gtk_toggle_button_get_active (self->checks->pdata[i]))
        g_strv_builder_add (paths, choice->path);
    }
  return g_strv_builder_end (paths);
}

VmdMachine *
vmd_delete_dialog_get_machine (VmdDeleteDialog *self)
{
  return self->machine;
}

static void
vmd_delete_dialog_dispose (GObject *object)
{
  VmdDeleteDialog *self = VMD_DELETE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->machine);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  G_OBJECT_CLASS (vmd_delete_dialog_parent_class)->dispose (object);
}

static void
vmd_delete_dialog_class_init (VmdDeleteDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_delete_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-delete-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDeleteDialog, heading);
  gtk_widget_class_bind_template_child (widget_class, VmdDeleteDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, VmdDeleteDialog, disk_box);
  gtk_widget_class_bind_template_child (widget_class, VmdDeleteDialog, snapshots_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDeleteDialog, delete_button);
}

static void
vmd_delete_dialog_init (VmdDeleteDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->checks = g_ptr_array_new ();
}

GtkWidget *
vmd_delete_dialog_new (GtkWindow  *parent,
                       VmdMachine *machine)
{
  VmdDeleteDialog *self = g_object_new (VMD_TYPE_DELETE_DIALOG, "transient-for", parent, NULL);
  g_autofree char *name = vmd_name_for_display (vmd_machine_get_name (machine));
  g_autofree char *heading = g_strdup_printf (_("Delete “%s”?"), name);

  self->machine = g_object_ref (machine);
  gtk_label_set_text (GTK_LABEL (self->heading), heading);
  vmd_machine_list_disks_async (machine, self->cancellable, on_disks_listed, self);
  vmd_machine_count_snapshots_async (machine, self->cancellable, on_snapshots_counted, self);
  return GTK_WIDGET (self);
}
