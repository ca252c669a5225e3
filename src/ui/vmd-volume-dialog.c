/* VmdVolumeDialog: the name and size are checked as typed; room in the pool and the backing
 * volume when Create asks libvirt, the problem then shown beside its field. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-form.h"
#include "vmd-network-spec.h"
#include "vmd-volume-dialog.h"

struct _VmdVolumeDialog
{
  GtkDialog       parent_instance;

  GtkWidget      *name_entry;
  GtkWidget      *name_error;
  GtkWidget      *format_combo;
  GtkWidget      *format_error;
  GtkWidget      *size_entry;
  GtkWidget      *capacity_error;
  GtkWidget      *backing_combo;
  GtkWidget      *backing_error;
  GtkWidget      *general_error;

  VmdStoragePool *pool;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdVolumeDialog, vmd_volume_dialog, GTK_TYPE_DIALOG)

static void
show_problem (VmdVolumeDialog *self, const char *field, const char *message)
{
  const VmdFormField fields[] = {
    { VMD_VOLUME_FIELD_NAME, self->name_error }, { VMD_VOLUME_FIELD_FORMAT, self->format_error },
    { VMD_VOLUME_FIELD_CAPACITY, self->capacity_error }, { VMD_VOLUME_FIELD_BACKING, self->backing_error },
  };

  vmd_form_show_problem (fields, G_N_ELEMENTS (fields), self->general_error, field, message);
}

static VmdVolumeSpec *
read_spec (VmdVolumeDialog *self, GError **error)
{
  g_autoptr(VmdVolumeSpec) spec = vmd_volume_spec_new ();
  const char *backing = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->backing_combo));

  spec->name = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->name_entry)));
  g_free (spec->format);
  spec->format = g_strdup (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->format_combo)));
  spec->backing = g_strcmp0 (backing, "") != 0 ? g_strdup (backing) : NULL;
  spec->capacity = vmd_parse_size (gtk_entry_get_text (GTK_ENTRY (self->size_entry)), error);
  return error != NULL && *error != NULL ? NULL : g_steal_pointer (&spec);
}

static void
on_field_changed (VmdVolumeDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdVolumeSpec) spec = read_spec (self, &error);
  const char *field = VMD_VOLUME_FIELD_CAPACITY;

  if (spec != NULL && !vmd_resource_name_check (spec->name, &error))
    field = VMD_VOLUME_FIELD_NAME;
  else if (spec != NULL && vmd_storage_pool_find_volume (self->pool, spec->name) != NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("The pool “%s” has a volume “%s” already."),
                   vmd_storage_pool_get_name (self->pool), spec->name);
      field = VMD_VOLUME_FIELD_NAME;
    }
  else if (spec != NULL && spec->capacity == 0)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Give the volume a size above zero."));
  show_problem (self, field, error != NULL ? error->message : NULL);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_OK, error == NULL);
}

static void
on_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdVolumeDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  gboolean created = vmd_storage_pool_create_volume_finish (VMD_STORAGE_POOL (source), result, &field, &error);

  if (vmd_form_end_create (GTK_DIALOG (self), created, error))
    show_problem (self, field, error->message);
}

static void
on_response (VmdVolumeDialog *self, int response)
{
  g_autoptr(VmdVolumeSpec) spec = NULL;

  if (response != GTK_RESPONSE_OK || (spec = read_spec (self, NULL)) == NULL)
    {
      if (response != GTK_RESPONSE_OK)
        gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  vmd_form_set_busy (GTK_DIALOG (self), TRUE);
  vmd_storage_pool_create_volume_async (self->pool, spec, self->cancellable, on_created, g_object_ref (self));
}

/* Raw only for LVM; the pool's qcow2 volumes as backing choices. */
static void
fill_choices (VmdVolumeDialog *self)
{
  GListModel *volumes = vmd_storage_pool_get_volumes (self->pool);
  guint n = g_list_model_get_n_items (volumes);

  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->backing_combo), "", _("None"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdStorageVolume) volume = g_list_model_get_item (volumes, i);

      if (g_strcmp0 (vmd_storage_volume_get_format (volume), "qcow2") == 0)
        gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->backing_combo),
                                   vmd_storage_volume_get_name (volume), vmd_storage_volume_get_name (volume));
    }
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->backing_combo), "");
  if (g_strcmp0 (vmd_storage_pool_get_pool_type (self->pool), "logical") == 0)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->format_combo), "raw");
  for (guint i = 1; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("disk-%u.qcow2", i);

      if (vmd_storage_pool_find_volume (self->pool, name) == NULL)
        {
          gtk_entry_set_text (GTK_ENTRY (self->name_entry), name);
          break;
        }
    }
}

static void
vmd_volume_dialog_dispose (GObject *object)
{
  VmdVolumeDialog *self = VMD_VOLUME_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pool);
  G_OBJECT_CLASS (vmd_volume_dialog_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdVolumeDialog, name)

static void
vmd_volume_dialog_class_init (VmdVolumeDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_volume_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-volume-dialog.ui");
  BIND (name_entry); BIND (name_error); BIND (format_combo); BIND (format_error); BIND (size_entry);
  BIND (capacity_error); BIND (backing_combo); BIND (backing_error); BIND (general_error);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
}

static void
vmd_volume_dialog_init (VmdVolumeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

GtkWidget *
vmd_volume_dialog_new (GtkWindow      *parent,
                       VmdStoragePool *pool)
{
  VmdVolumeDialog *self = g_object_new (VMD_TYPE_VOLUME_DIALOG, "transient-for", parent, NULL);

  self->pool = g_object_ref (pool);
  fill_choices (self);
  on_field_changed (self);
  return GTK_WIDGET (self);
}
