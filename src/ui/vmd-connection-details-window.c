/* VmdConnectionDetailsWindow: the pages get the chosen connection's VmdResources; they never
 * call libvirt. The connection list follows the application's connections. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection-details-window.h"
#include "vmd-connection-overview-page.h"
#include "vmd-networks-page.h"
#include "vmd-storage-page.h"

struct _VmdConnectionDetailsWindow
{
  GtkWindow      parent_instance;

  GtkWidget     *connection_combo;
  GtkWidget     *stack;
  GtkWidget     *overview_page;
  GtkWidget     *networks_page;
  GtkWidget     *storage_page;

  GListModel    *connections;
  VmdConnection *connection;
  gboolean       filling;
};

G_DEFINE_FINAL_TYPE (VmdConnectionDetailsWindow, vmd_connection_details_window, GTK_TYPE_WINDOW)

static void
show_connection (VmdConnectionDetailsWindow *self, VmdConnection *connection)
{
  VmdResources *resources = vmd_connection_get_resources (connection);

  g_set_object (&self->connection, connection);
  vmd_connection_overview_page_set_connection (VMD_CONNECTION_OVERVIEW_PAGE (self->overview_page), connection);
  vmd_networks_page_set_resources (VMD_NETWORKS_PAGE (self->networks_page), resources);
  vmd_storage_page_set_resources (VMD_STORAGE_PAGE (self->storage_page), resources);
}

static void
on_connection_changed (VmdConnectionDetailsWindow *self)
{
  const char *uri = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->connection_combo));
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;

  for (guint i = 0; !self->filling && i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);

      if (g_strcmp0 (vmd_connection_get_uri (connection), uri) == 0 && connection != self->connection)
        show_connection (self, connection);
    }
}

static void
fill_connections (VmdConnectionDetailsWindow *self)
{
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;

  self->filling = TRUE;
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->connection_combo));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);

      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->connection_combo), vmd_connection_get_uri (connection),
                                 vmd_connection_get_title (connection));
    }
  self->filling = FALSE;
  if (self->connection != NULL)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->connection_combo), vmd_connection_get_uri (self->connection));
}

/* "overview", "networks" or "storage". */
void
vmd_connection_details_window_show_page (VmdConnectionDetailsWindow *self,
                                         const char                 *page)
{
  g_return_if_fail (VMD_IS_CONNECTION_DETAILS_WINDOW (self));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), page);
}

static void
vmd_connection_details_window_dispose (GObject *object)
{
  VmdConnectionDetailsWindow *self = VMD_CONNECTION_DETAILS_WINDOW (object);

  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_data (self->connections, self);
  g_clear_object (&self->connections);
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (vmd_connection_details_window_parent_class)->dispose (object);
}

static void
vmd_connection_details_window_class_init (VmdConnectionDetailsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_connection_details_window_dispose;
  g_type_ensure (VMD_TYPE_CONNECTION_OVERVIEW_PAGE);
  g_type_ensure (VMD_TYPE_NETWORKS_PAGE);
  g_type_ensure (VMD_TYPE_STORAGE_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vmdesk/VmDesk/ui/vmd-connection-details-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdConnectionDetailsWindow, connection_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdConnectionDetailsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VmdConnectionDetailsWindow, overview_page);
  gtk_widget_class_bind_template_child (widget_class, VmdConnectionDetailsWindow, networks_page);
  gtk_widget_class_bind_template_child (widget_class, VmdConnectionDetailsWindow, storage_page);
  gtk_widget_class_bind_template_callback (widget_class, on_connection_changed);
}

static void
vmd_connection_details_window_init (VmdConnectionDetailsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* connection: the one to show first; NULL for the first connected one (or the first). */
GtkWidget *
vmd_connection_details_window_new (GtkWindow     *parent,
                                   GListModel    *connections,
                                   VmdConnection *connection)
{
  VmdConnectionDetailsWindow *self = g_object_new (VMD_TYPE_CONNECTION_DETAILS_WINDOW, "transient-for", parent, NULL);
  guint n = connections != NULL ? g_list_model_get_n_items (connections) : 0;
  g_autoptr(VmdConnection) first = NULL;

  self->connections = connections != NULL ? g_object_ref (connections) : NULL;
  for (guint i = 0; connection == NULL && i < n; i++)
    {
      g_autoptr(VmdConnection) candidate = g_list_model_get_item (connections, i);

      if (first == NULL || vmd_connection_get_state (candidate) == VMD_CONNECTION_STATE_CONNECTED)
        g_set_object (&first, candidate);
      if (vmd_connection_get_state (candidate) == VMD_CONNECTION_STATE_CONNECTED)
        break;
    }
  if (connection == NULL)
    connection = first;
  if (connection != NULL)
    show_connection (self, connection);
  if (connections != NULL)
    g_signal_connect_object (connections, "items-changed", G_CALLBACK (fill_connections), self, G_CONNECT_SWAPPED);
  fill_connections (self);
  return GTK_WIDGET (self);
}
