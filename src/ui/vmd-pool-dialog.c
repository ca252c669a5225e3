/* VmdPoolDialog: the fields a kind of pool does not use are off; the form's checks run
 * without touching the host (a remote connection's paths are not ours to look at), creation
 * runs all of them in the worker thread and its problem lands beside its field. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-form.h"
#include "vmd-connection.h"
#include "vmd-pool-dialog.h"

struct _VmdPoolDialog
{
  GtkDialog     parent_instance;

  GtkWidget    *name_entry;
  GtkWidget    *name_error;
  GtkWidget    *type_combo;
  GtkWidget    *type_error;
  GtkWidget    *target_entry;
  GtkWidget    *target_error;
  GtkWidget    *device_entry;
  GtkWidget    *device_error;
  GtkWidget    *host_entry;
  GtkWidget    *host_error;
  GtkWidget    *source_entry;
  GtkWidget    *source_error;
  GtkWidget    *build_check;
  GtkWidget    *autostart_check;
  GtkWidget    *general_error;

  VmdResources *resources;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdPoolDialog, vmd_pool_dialog, GTK_TYPE_DIALOG)

static void
show_problem (VmdPoolDialog *self, const char *field, const char *message)
{
  const VmdFormField fields[] = {
    { VMD_POOL_FIELD_NAME, self->name_error }, { VMD_POOL_FIELD_TYPE, self->type_error },
    { VMD_POOL_FIELD_TARGET, self->target_error }, { VMD_POOL_FIELD_DEVICE, self->device_error },
    { VMD_POOL_FIELD_HOST, self->host_error }, { VMD_POOL_FIELD_SOURCE, self->source_error },
  };

  vmd_form_show_problem (fields, G_N_ELEMENTS (fields), self->general_error, field, message);
}

static VmdPoolSpec *
read_spec (VmdPoolDialog *self)
{
  VmdPoolType type = VMD_POOL_TYPE_DIR;
  VmdPoolSpec *spec;
  g_autofree char *source = vmd_form_text (self->source_entry);

  vmd_pool_type_from_string (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->type_combo)), &type);
  spec = vmd_pool_spec_new (type);
  spec->name = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->name_entry)));
  spec->target_path = vmd_form_text (self->target_entry);
  spec->source_device = vmd_form_text (self->device_entry);
  spec->source_host = vmd_form_text (self->host_entry);
  if (type == VMD_POOL_TYPE_NETFS)
    spec->source_path = g_steal_pointer (&source);
  else
    spec->source_name = g_steal_pointer (&source);
  spec->build = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->build_check));
  spec->autostart = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->autostart_check));
  return spec;
}

static void
on_field_changed (VmdPoolDialog *self)
{
  g_autoptr(VmdPoolSpec) spec = read_spec (self);
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  VmdPoolType t = spec->type;
  gboolean valid;

  gtk_widget_set_sensitive (self->target_entry, t == VMD_POOL_TYPE_DIR || t == VMD_POOL_TYPE_FS ||
                                                t == VMD_POOL_TYPE_NETFS);
  gtk_widget_set_sensitive (self->device_entry, t == VMD_POOL_TYPE_FS || t == VMD_POOL_TYPE_LOGICAL ||
                                                t == VMD_POOL_TYPE_DISK);
  gtk_widget_set_sensitive (self->host_entry, t == VMD_POOL_TYPE_NETFS || t == VMD_POOL_TYPE_ISCSI);
  gtk_widget_set_sensitive (self->source_entry, t == VMD_POOL_TYPE_NETFS || t == VMD_POOL_TYPE_LOGICAL ||
                                                t == VMD_POOL_TYPE_ISCSI);
  /* The host's side waits for Create: no file system is looked at while typing. */
  valid = vmd_pool_spec_validate (spec, NULL, FALSE, &field, &error);
  if (valid && vmd_resources_find_pool (self->resources, spec->name) != NULL)
    {
      g_clear_error (&error);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("There is a pool called “%s” already."), spec->name);
      field = VMD_POOL_FIELD_NAME;
      valid = FALSE;
    }
  show_problem (self, field, valid ? NULL : error->message);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_OK, valid);
}

static void
on_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdPoolDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  gboolean created = vmd_resources_create_finish (VMD_RESOURCES (source), result, &field, &error);

  if (vmd_form_end_create (GTK_DIALOG (self), created, error))
    show_problem (self, field, error->message);
}

static void
on_response (VmdPoolDialog *self, int response)
{
  g_autoptr(VmdPoolSpec) spec = NULL;

  if (response != GTK_RESPONSE_OK)
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  spec = read_spec (self);
  vmd_form_set_busy (GTK_DIALOG (self), TRUE);
  vmd_resources_create_pool_async (self->resources, spec, self->cancellable, on_created, g_object_ref (self));
}

static void
suggest (VmdPoolDialog *self)
{
  VmdConnection *connection = vmd_resources_get_connection (self->resources);
  gboolean session = vmd_host_facts_get_is_session (vmd_connection_get_host_facts (connection));
  g_autofree char *base = session ? g_build_filename (g_get_user_data_dir (), "libvirt", "images", NULL)
                                  : g_strdup ("/var/lib/libvirt/images");

  for (guint i = 1; i < 100; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup ("pool") : g_strdup_printf ("pool-%u", i);

      if (vmd_resources_find_pool (self->resources, name) == NULL)
        {
          g_autofree char *path = g_build_filename (base, name, NULL);

          gtk_entry_set_text (GTK_ENTRY (self->name_entry), name);
          gtk_entry_set_text (GTK_ENTRY (self->target_entry), path);
          break;
        }
    }
}

static void
vmd_pool_dialog_dispose (GObject *object)
{
  VmdPoolDialog *self = VMD_POOL_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->resources);
  G_OBJECT_CLASS (vmd_pool_dialog_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdPoolDialog, name)

static void
vmd_pool_dialog_class_init (VmdPoolDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_pool_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-pool-dialog.ui");
  BIND (name_entry); BIND (name_error); BIND (type_combo); BIND (type_error); BIND (target_entry);
  BIND (target_error); BIND (device_entry); BIND (device_error); BIND (host_entry); BIND (host_error);
  BIND (source_entry); BIND (source_error); BIND (build_check); BIND (autostart_check);
  BIND (general_error);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
}

static void
vmd_pool_dialog_init (VmdPoolDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

GtkWidget *
vmd_pool_dialog_new (GtkWindow    *parent,
                     VmdResources *resources)
{
  VmdPoolDialog *self = g_object_new (VMD_TYPE_POOL_DIALOG, "transient-for", parent, NULL);

  self->resources = g_object_ref (resources);
  suggest (self);
  on_field_changed (self);
  return GTK_WIDGET (self);
}
