/* VmdAddConnectionDialog: the URI's form is checked as it is typed (vmd_connection_uri_check:
 * driver, transport, host, path), and Connect stays off until it is one; whether the daemon
 * answers is shown on the connection's own row, as for every connection. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vmd-add-connection-dialog.h"
#include "vmd-connection-uri.h"
#include "vmd-connection.h"

struct _VmdAddConnectionDialog
{
  GtkDialog  parent_instance;

  GtkWidget *uri_entry;
  GtkWidget *problem_label;
  GtkWidget *remember_check;
  GtkWidget *connect_button;

  GListModel *connections;   /* of VmdConnection: those already open */
};

G_DEFINE_FINAL_TYPE (VmdAddConnectionDialog, vmd_add_connection_dialog, GTK_TYPE_DIALOG)

static gboolean
is_open (VmdAddConnectionDialog *self,
         const char             *uri)
{
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);

      if (g_strcmp0 (vmd_connection_get_uri (connection), uri) == 0)
        return TRUE;
    }
  return FALSE;
}

/* NULL when uri can be added, else what is wrong with it. */
static char *
find_problem (VmdAddConnectionDialog *self,
              const char             *uri)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (uri));

  if (!vmd_connection_uri_check (stripped, &error))
    return g_strdup (error->message);
  if (is_open (self, stripped))
    return g_strdup (_("This connection is in the list already."));
  return NULL;
}

static void
on_uri_changed (GtkEditable            *entry,
                VmdAddConnectionDialog *self)
{
  g_autofree char *problem = find_problem (self, gtk_entry_get_text (GTK_ENTRY (entry)));

  gtk_label_set_text (GTK_LABEL (self->problem_label), problem != NULL ? problem : "");
  gtk_widget_set_visible (self->problem_label, problem != NULL);
  gtk_widget_set_sensitive (self->connect_button, problem == NULL);
}

/* The URI typed, without the spaces around it. (An entry's text is not ours to strip in place:
 * an empty entry's is a constant.) */
char *
vmd_add_connection_dialog_dup_uri (VmdAddConnectionDialog *self)
{
  return g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->uri_entry))));
}

gboolean
vmd_add_connection_dialog_get_remember (VmdAddConnectionDialog *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->remember_check));
}

static void
vmd_add_connection_dialog_dispose (GObject *object)
{
  g_clear_object (&VMD_ADD_CONNECTION_DIALOG (object)->connections);
  G_OBJECT_CLASS (vmd_add_connection_dialog_parent_class)->dispose (object);
}

static void
vmd_add_connection_dialog_class_init (VmdAddConnectionDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_add_connection_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-add-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, uri_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, remember_check);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, connect_button);
  gtk_widget_class_bind_template_callback (widget_class, on_uri_changed);
}

static void
vmd_add_connection_dialog_init (VmdAddConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  on_uri_changed (GTK_EDITABLE (self->uri_entry), self);
  /* Nothing typed yet is no mistake to point at. */
  gtk_widget_hide (self->problem_label);
}

/* connections: those open already, which are refused as duplicates. */
GtkWidget *
vmd_add_connection_dialog_new (GtkWindow  *parent,
                               GListModel *connections)
{
  VmdAddConnectionDialog *self = g_object_new (VMD_TYPE_ADD_CONNECTION_DIALOG,
                                               "transient-for", parent,
                                               "use-header-bar", TRUE, NULL);

  self->connections = g_object_ref (connections);
  return GTK_WIDGET (self);
}
