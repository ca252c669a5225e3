/* VmdEmptyState: the first look, as GNOME Boxes has one. It follows every connection (its state,
 * its error, its machines) and says through its "empty" property whether there is nothing to
 * list: no connection lists a machine and none is still connecting (so that a start does not
 * flash this page before the first list arrives). */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-empty-state.h"
#include "vmd-machine-list.h"

struct _VmdEmptyState
{
  GtkBox      parent_instance;

  GtkWidget  *connection_list;
  GtkWidget  *no_connections_label;

  GListModel *connections;
  GPtrArray  *followed;   /* the VmdConnections whose signals reach us */
  gboolean    empty;
};

G_DEFINE_FINAL_TYPE (VmdEmptyState, vmd_empty_state, GTK_TYPE_BOX)

enum { PROP_0, PROP_EMPTY, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void fill_row (GtkWidget *row, VmdConnection *connection);

/* Few connections, rarely changing: everything is read again on any change. */
static void
refresh (VmdEmptyState *self)
{
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;
  gboolean empty = TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);

      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->connection_list), i);

      if (row != NULL)
        fill_row (GTK_WIDGET (row), connection);
      /* A lost connection is coming back with its machines: the list says so on its row. */
      if (vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_CONNECTING ||
          vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_LOST ||
          g_list_model_get_n_items (vmd_connection_get_machines (connection)) > 0)
        empty = FALSE;
    }
  gtk_widget_set_visible (self->no_connections_label, n == 0);
  if (empty == self->empty)
    return;
  self->empty = empty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
}

/* --- one row per connection: its title, its status and, when it failed, why -------------------- */

static void
fill_row (GtkWidget     *row,
          VmdConnection *connection)
{
  GtkWidget *box = gtk_bin_get_child (GTK_BIN (row));
  g_autoptr(GList) labels = gtk_container_get_children (GTK_CONTAINER (box));
  g_autofree char *status = vmd_machine_list_describe_connection (connection);
  const char *error = vmd_connection_get_error_message (connection);
  const char *name = vmd_connection_get_title (connection);
  const char *uri = vmd_connection_get_uri (connection);
  /* The URI beside the title, unless the title says it already ("Test driver (URI)"). */
  g_autofree char *title = strstr (name, uri) != NULL
                             ? g_markup_printf_escaped ("<b>%s</b>", name)
                             : g_markup_printf_escaped ("<b>%s</b>  <small>%s</small>", name, uri);
  g_autofree char *accessible = NULL;

  gtk_label_set_markup (GTK_LABEL (labels->data), title);
  gtk_label_set_text (GTK_LABEL (labels->next->data), error != NULL ? error : status);
  accessible = g_strdup_printf ("%s: %s", vmd_connection_get_title (connection),
                                error != NULL ? error : status);
  atk_object_set_name (gtk_widget_get_accessible (row), accessible);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *status = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_label_set_line_wrap (GTK_LABEL (status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (status), 70);
  gtk_style_context_add_class (gtk_widget_get_style_context (status), "dim-label");
  gtk_container_add (GTK_CONTAINER (box), title);
  gtk_container_add (GTK_CONTAINER (box), status);
  g_object_set (box, "margin", 8, NULL);
  gtk_container_add (GTK_CONTAINER (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  fill_row (row, item);
  gtk_widget_show_all (row);
  return row;
}

/* --- following the connections ---------------------------------------------------------------- */

static void
on_connection_changed (VmdConnection *connection,
                       GParamSpec    *pspec,
                       VmdEmptyState *self)
{
  refresh (self);
}

static void
on_machines_changed (GListModel    *machines,
                     guint          position,
                     guint          removed,
                     guint          added,
                     VmdEmptyState *self)
{
  refresh (self);
}

static void
unfollow (VmdEmptyState *self)
{
  for (guint i = 0; i < self->followed->len; i++)
    {
      VmdConnection *connection = self->followed->pdata[i];

      g_signal_handlers_disconnect_by_data (connection, self);
      g_signal_handlers_disconnect_by_data (vmd_connection_get_machines (connection), self);
    }
  g_ptr_array_set_size (self->followed, 0);
}

static void
on_connections_changed (GListModel    *connections,
                        guint          position,
                        guint          removed,
                        guint          added,
                        VmdEmptyState *self)
{
  guint n = g_list_model_get_n_items (connections);

  unfollow (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (connections, i);

      g_signal_connect (connection, "notify::state", G_CALLBACK (on_connection_changed), self);
      g_signal_connect (connection, "notify::error-message", G_CALLBACK (on_connection_changed), self);
      g_signal_connect (vmd_connection_get_machines (connection), "items-changed",
                        G_CALLBACK (on_machines_changed), self);
      g_ptr_array_add (self->followed, g_steal_pointer (&connection));
    }
  refresh (self);
}

void
vmd_empty_state_set_connections (VmdEmptyState *self,
                                 GListModel    *connections)
{
  g_return_if_fail (VMD_IS_EMPTY_STATE (self));
  g_return_if_fail (self->connections == NULL);

  self->connections = g_object_ref (connections);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->connection_list), connections, create_row, self, NULL);
  /* After the list box's own handler, so its rows are there to fill. */
  g_signal_connect_object (connections, "items-changed", G_CALLBACK (on_connections_changed), self,
                           G_CONNECT_AFTER);
  on_connections_changed (connections, 0, 0, 0, self);
}

/* TRUE when there is no machine to list and no connection still on its way to list some. */
gboolean
vmd_empty_state_get_empty (VmdEmptyState *self)
{
  g_return_val_if_fail (VMD_IS_EMPTY_STATE (self), FALSE);
  return self->empty;
}

/* --- GObject ------------------------------------------------------------------------------------ */

static void
vmd_empty_state_dispose (GObject *object)
{
  VmdEmptyState *self = VMD_EMPTY_STATE (object);

  if (self->followed != NULL)
    unfollow (self);
  g_clear_pointer (&self->followed, g_ptr_array_unref);
  g_clear_object (&self->connections);
  G_OBJECT_CLASS (vmd_empty_state_parent_class)->dispose (object);
}

static void
vmd_empty_state_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_EMPTY: g_value_set_boolean (value, VMD_EMPTY_STATE (object)->empty); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_empty_state_class_init (VmdEmptyStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_empty_state_dispose;
  object_class->get_property = vmd_empty_state_get_property;

  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-empty-state.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdEmptyState, connection_list);
  gtk_widget_class_bind_template_child (widget_class, VmdEmptyState, no_connections_label);
}

static void
vmd_empty_state_init (VmdEmptyState *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->followed = g_ptr_array_new_with_free_func (g_object_unref);
}
