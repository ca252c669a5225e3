/* VmdMachineList: mirrors each VmdConnection's GListModel into a GtkTreeStore whose only column
 * is the object itself (a VmdConnection for group rows, a VmdMachine below it); cells read the
 * live object when drawn, so the model stays the one source of truth and only visible rows cost
 * anything. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vmd-cell-renderer-sparkline.h"
#include "vmd-connection.h"
#include "vmd-display-name.h"
#include "vmd-machine-list.h"
#include "vmd-guest-addresses.h"
#include "vmd-machine-list-cells.h"
#include "vmd-resources.h"

typedef struct {
  VmdMachineList *list;
  VmdConnection  *connection;
  GtkTreeIter     iter;         /* GtkTreeStore iters persist while the row exists */
  gboolean        collapsed;    /* closed by the user, while the view has no model */
} Group;

struct _VmdMachineList
{
  GtkScrolledWindow  parent_instance;

  GtkTreeView       *tree_view;
  GtkTreeSelection  *selection;
  GtkTreeViewColumn *name_column;
  GtkTreeViewColumn *state_column;
  GtkTreeViewColumn *cpu_column;
  GtkTreeViewColumn *memory_column;
  GtkTreeViewColumn *addresses_column;
  GtkCellRenderer   *icon_renderer;
  GtkCellRenderer   *name_renderer;
  GtkCellRenderer   *state_renderer;
  GtkCellRenderer   *cpu_renderer;
  GtkCellRenderer   *cpu_text_renderer;
  GtkCellRenderer   *memory_renderer;
  GtkCellRenderer   *addresses_renderer;
  GHashTable        *addresses;   /* VmdGuestAddresses shown -> its VmdMachine, for row updates */

  GtkTreeStore      *store;
  GtkTreeModel      *filter;
  GListModel        *connections;
  GPtrArray         *groups;      /* of Group, in the connections' order */
  GHashTable        *rows;        /* VmdMachine -> GtkTreeIter */
  char              *filter_key;  /* casefolded search text, or NULL */
  VmdMachine        *selected;
  VmdConnection     *selected_connection;  /* when a group row is the one selected */
  VmdMachine        *remembered;  /* the selection to restore when a search shows it again */
  GMenuModel        *menu_model;
  GtkWidget         *menu;
  GMenuModel        *connection_menu_model;
  GtkWidget         *connection_menu;
  GSettings         *settings;
  guint              shutdown_timeout_s;   /* given to every machine listed */
};

G_DEFINE_FINAL_TYPE (VmdMachineList, vmd_machine_list, GTK_TYPE_SCROLLED_WINDOW)

enum { PROP_0, PROP_SELECTED_MACHINE, PROP_SELECTED_CONNECTION, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { MACHINE_ACTIVATED, SHUTDOWN_OVERDUE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* More rows than this changing at once are rebuilt off the view (see detach_view). */
#define BULK_ROWS 64

static gboolean row_visible    (GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data);
static void     select_machine (VmdMachineList *self, VmdMachine *machine);

/* --- rows ------------------------------------------------------------------------------------ */

static void
store_row_changed (VmdMachineList *self,
                   GtkTreeIter    *iter)
{
  g_autoptr(GtkTreePath) path = gtk_tree_model_get_path (GTK_TREE_MODEL (self->store), iter);

  gtk_tree_model_row_changed (GTK_TREE_MODEL (self->store), path, iter);
}

static void
on_machine_state_changed (VmdMachine     *machine,
                          GParamSpec     *pspec,
                          VmdMachineList *self)
{
  GtkTreeIter *iter = g_hash_table_lookup (self->rows, machine);

  if (iter != NULL)
    store_row_changed (self, iter);
}

/* A guest that did not shut down in time: the window offers Force Off. */
static void
on_machine_shutdown_overdue (VmdMachine     *machine,
                             GParamSpec     *pspec,
                             VmdMachineList *self)
{
  on_machine_state_changed (machine, pspec, self);
  if (vmd_machine_get_shutdown_overdue (machine))
    g_signal_emit (self, signals[SHUTDOWN_OVERDUE], 0, machine);
}

/* One handler a machine, not one a property: a list of a thousand rows holds a thousand of
 * each (about 150 bytes apiece). */
static void
on_machine_notify (VmdMachine     *machine,
                   GParamSpec     *pspec,
                   VmdMachineList *self)
{
  if (g_strcmp0 (pspec->name, "shutdown-overdue") == 0)
    on_machine_shutdown_overdue (machine, pspec, self);
  else if (g_strcmp0 (pspec->name, "state") == 0 || g_strcmp0 (pspec->name, "shutting-down") == 0)
    on_machine_state_changed (machine, pspec, self);
}

static void
on_group_changed (VmdConnection *connection,
                  GParamSpec    *pspec,
                  Group         *group)
{
  store_row_changed (group->list, &group->iter);
}

static void
on_stats_updated (VmdConnection  *connection,
                  VmdMachineList *self)
{
  GtkTreeViewColumn *figures[] = { self->cpu_column, self->memory_column };
  GdkRectangle visible;
  int left = G_MAXINT, right = G_MININT;
  int x, y;

  /* One redraw per interval, however many machines changed, of what the figures change: the
   * CPU and memory columns of the rows on screen; nothing at all when those are hidden. */
  if (!gtk_widget_is_drawable (GTK_WIDGET (self->tree_view)))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    if (gtk_tree_view_column_get_visible (figures[i]))
      {
        left = MIN (left, gtk_tree_view_column_get_x_offset (figures[i]));
        right = MAX (right, gtk_tree_view_column_get_x_offset (figures[i]) +
                            gtk_tree_view_column_get_width (figures[i]));
      }
  if (right <= left)
    return;
  gtk_tree_view_get_visible_rect (self->tree_view, &visible);
  gtk_tree_view_convert_tree_to_widget_coords (self->tree_view, left, visible.y, &x, &y);
  gtk_widget_queue_draw_area (GTK_WIDGET (self->tree_view), x, y, right - left, visible.height);
}

static void
expand_group (VmdMachineList *self,
              Group          *group)
{
  g_autoptr(GtkTreePath) store_path = gtk_tree_model_get_path (GTK_TREE_MODEL (self->store), &group->iter);
  g_autoptr(GtkTreePath) path = gtk_tree_model_filter_convert_child_path_to_path (GTK_TREE_MODEL_FILTER (self->filter), store_path);

  if (path != NULL)
    gtk_tree_view_expand_row (self->tree_view, path, FALSE);
}

static void
remove_machine_row (VmdMachineList *self,
                    Group          *group,
                    guint           position)
{
  GtkTreeIter iter;
  g_autoptr(GObject) machine = NULL;

  if (!gtk_tree_model_iter_nth_child (GTK_TREE_MODEL (self->store), &iter, &group->iter, position))
    return;
  gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, COLUMN_OBJECT, &machine, -1);
  g_signal_handlers_disconnect_by_data (machine, self);
  g_hash_table_remove (self->rows, machine);
  gtk_tree_store_remove (self->store, &iter);
}

static void
insert_machine_row (VmdMachineList *self,
                    Group          *group,
                    VmdMachine     *machine,
                    guint           position)
{
  GtkTreeIter iter;

  gtk_tree_store_insert_with_values (self->store, &iter, &group->iter, position,
                                     COLUMN_OBJECT, machine, -1);
  g_hash_table_insert (self->rows, machine, g_memdup2 (&iter, sizeof iter));
  g_signal_connect (machine, "notify", G_CALLBACK (on_machine_notify), self);
  vmd_machine_set_shutdown_timeout (machine, self->shutdown_timeout_s);
}

/* A connection's first load (or its loss) changes thousands of rows at once. Told row by row,
 * the filter shifts the offsets of every row after each one and the view and its accessible
 * follow each, which is quadratic; so the view lets go of the model for the batch and a fresh
 * filter is built over the finished store, which the view then reads once. */
static void
detach_view (VmdMachineList *self)
{
  if (self->filter == NULL)
    return;
  /* The selection and which groups are open go with the model; keep them to restore. */
  if (self->selected != NULL)
    g_set_object (&self->remembered, self->selected);
  for (guint i = 0; i < self->groups->len; i++)
    {
      Group *group = g_ptr_array_index (self->groups, i);
      GtkTreeIter iter;
      g_autoptr(GtkTreePath) path = NULL;

      group->collapsed = FALSE;
      if (!gtk_tree_model_filter_convert_child_iter_to_iter (GTK_TREE_MODEL_FILTER (self->filter), &iter, &group->iter) ||
          !gtk_tree_model_iter_has_child (self->filter, &iter))
        continue;
      path = gtk_tree_model_get_path (self->filter, &iter);
      group->collapsed = !gtk_tree_view_row_expanded (self->tree_view, path);
    }
  gtk_tree_view_set_model (self->tree_view, NULL);
  g_clear_object (&self->filter);
}

static void
attach_view (VmdMachineList *self)
{
  if (self->filter != NULL)
    return;
  self->filter = gtk_tree_model_filter_new (GTK_TREE_MODEL (self->store), NULL);
  gtk_tree_model_filter_set_visible_func (GTK_TREE_MODEL_FILTER (self->filter), row_visible, self, NULL);
  gtk_tree_view_set_model (self->tree_view, self->filter);
  for (guint i = 0; i < self->groups->len; i++)
    {
      Group *group = g_ptr_array_index (self->groups, i);

      if (!group->collapsed)
        expand_group (self, group);
    }
  if (self->remembered != NULL)
    select_machine (self, self->remembered);
  /* A new model starts at the top: bring the selected machine back into sight. */
  if (self->selected != NULL)
    {
      GtkTreeModel *model;
      GtkTreeIter iter;

      if (gtk_tree_selection_get_selected (self->selection, &model, &iter))
        {
          g_autoptr(GtkTreePath) path = gtk_tree_model_get_path (model, &iter);

          gtk_tree_view_scroll_to_cell (self->tree_view, path, NULL, FALSE, 0, 0);
        }
    }
}

static void
on_machines_changed (GListModel *machines,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Group      *group)
{
  VmdMachineList *self = group->list;
  gboolean bulk = removed + added >= BULK_ROWS;

  if (bulk)
    detach_view (self);
  for (guint i = 0; i < removed; i++)
    remove_machine_row (self, group, position);
  /* Last first, each at `position`: a store finds a row's place by walking its siblings from the
   * first, so this is O(1) per row for a list loaded from empty instead of O(n). */
  for (guint i = added; i > 0; i--)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (machines, position + i - 1);

      insert_machine_row (self, group, machine, position);
    }
  if (bulk)
    attach_view (self);
  store_row_changed (self, &group->iter);
  if (added > 0)
    expand_group (self, group);
}

static void
group_free (Group *group)
{
  GListModel *machines = vmd_connection_get_machines (group->connection);

  g_signal_handlers_disconnect_by_data (group->connection, group);
  g_signal_handlers_disconnect_by_data (group->connection, group->list);
  g_signal_handlers_disconnect_by_data (machines, group);
  g_object_unref (group->connection);
  g_free (group);
}

static void
remove_group (VmdMachineList *self,
              guint           position)
{
  Group *group = g_ptr_array_index (self->groups, position);
  guint n = gtk_tree_model_iter_n_children (GTK_TREE_MODEL (self->store), &group->iter);

  for (guint i = 0; i < n; i++)
    remove_machine_row (self, group, 0);
  gtk_tree_store_remove (self->store, &group->iter);
  g_ptr_array_remove_index (self->groups, position);
}

static void
insert_group (VmdMachineList *self,
              VmdConnection  *connection,
              guint           position)
{
  Group *group = g_new0 (Group, 1);
  GListModel *machines = vmd_connection_get_machines (connection);

  group->list = self;
  group->connection = g_object_ref (connection);
  gtk_tree_store_insert_with_values (self->store, &group->iter, NULL, position,
                                     COLUMN_OBJECT, connection, -1);
  g_ptr_array_insert (self->groups, position, group);

  g_signal_connect (machines, "items-changed", G_CALLBACK (on_machines_changed), group);
  g_signal_connect (connection, "notify::state", G_CALLBACK (on_group_changed), group);
  g_signal_connect (connection, "notify::error-message", G_CALLBACK (on_group_changed), group);
  g_signal_connect (connection, "stats-updated", G_CALLBACK (on_stats_updated), self);
  on_machines_changed (machines, 0, 0, g_list_model_get_n_items (machines), group);
}

static void
on_connections_changed (GListModel     *connections,
                        guint           position,
                        guint           removed,
                        guint           added,
                        VmdMachineList *self)
{
  for (guint i = 0; i < removed; i++)
    remove_group (self, position);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (connections, position + i);

      insert_group (self, connection, position + i);
    }
}

/* --- filtering and selection ------------------------------------------------------------------ */

static gboolean
row_visible (GtkTreeModel *model,
             GtkTreeIter  *iter,
             gpointer      user_data)
{
  VmdMachineList *self = user_data;
  GObject *object = vmd_machine_list_object_at (model, iter);
  g_autofree char *name = NULL;

  if (self->filter_key == NULL || !VMD_IS_MACHINE (object))
    return TRUE;
  name = g_utf8_casefold (vmd_machine_get_name (VMD_MACHINE (object)), -1);
  return strstr (name, self->filter_key) != NULL;
}

static void
select_machine (VmdMachineList *self,
                VmdMachine     *machine)
{
  GtkTreeIter *store_iter = g_hash_table_lookup (self->rows, machine);
  GtkTreeIter iter;

  if (store_iter != NULL &&
      gtk_tree_model_filter_convert_child_iter_to_iter (GTK_TREE_MODEL_FILTER (self->filter), &iter, store_iter))
    gtk_tree_selection_select_iter (self->selection, &iter);
  else
    gtk_tree_selection_unselect_all (self->selection);
}

/* A hidden row's selection would otherwise jump to its group: keep the machine selected while it
 * is shown, select nothing while it is hidden, and select it again when the search lets it back. */
static void
refilter_keeping_selection (VmdMachineList *self)
{
  if (self->selected != NULL)
    g_set_object (&self->remembered, self->selected);
  /* Refiltered in place, the filter would tell the view (and its accessible) of every row that
   * comes or goes, one by one; a fresh filter is read by the view at once. */
  detach_view (self);
  attach_view (self);
  gtk_tree_view_expand_all (self->tree_view);
  if (self->remembered != NULL)
    select_machine (self, self->remembered);
}

void
vmd_machine_list_set_filter_text (VmdMachineList *self,
                                  const char     *text)
{
  g_autofree char *key = NULL;

  g_return_if_fail (VMD_IS_MACHINE_LIST (self));

  if (text != NULL && *g_strstrip (g_strdup (text)) != '\0')
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      key = g_utf8_casefold (stripped, -1);
    }
  if (g_strcmp0 (key, self->filter_key) == 0)
    return;
  g_free (self->filter_key);
  self->filter_key = g_steal_pointer (&key);
  refilter_keeping_selection (self);
}

static void
on_selection_changed (GtkTreeSelection *selection,
                      VmdMachineList   *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  VmdMachine *machine = NULL;
  VmdConnection *connection = NULL;

  if (gtk_tree_selection_get_selected (selection, &model, &iter))
    {
      GObject *object = vmd_machine_list_object_at (model, &iter);

      if (VMD_IS_MACHINE (object))
        machine = VMD_MACHINE (object);
      else if (VMD_IS_CONNECTION (object))
        connection = VMD_CONNECTION (object);
    }
  if (machine != NULL)
    g_clear_object (&self->remembered);
  if (g_set_object (&self->selected, machine))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_MACHINE]);
  if (g_set_object (&self->selected_connection, connection))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CONNECTION]);
}

/* The connection whose group row is selected, or NULL (a machine's row, or nothing). */
VmdConnection *
vmd_machine_list_get_selected_connection (VmdMachineList *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_LIST (self), NULL);
  return self->selected_connection;
}

/* Selects the machine's row and scrolls to it; FALSE when no row shows it (not listed yet, or
 * hidden by the search). */
gboolean
vmd_machine_list_select_machine (VmdMachineList *self,
                                 VmdMachine     *machine)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autoptr(GtkTreePath) path = NULL;

  g_return_val_if_fail (VMD_IS_MACHINE_LIST (self), FALSE);
  select_machine (self, machine);
  if (!gtk_tree_selection_get_selected (self->selection, &model, &iter) || self->selected != machine)
    return FALSE;
  path = gtk_tree_model_get_path (model, &iter);
  gtk_tree_view_scroll_to_cell (self->tree_view, path, NULL, FALSE, 0, 0);
  return TRUE;
}

VmdMachine *
vmd_machine_list_get_selected_machine (VmdMachineList *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_LIST (self), NULL);
  return self->selected;
}

/* --- context menu, activation, tooltips -------------------------------------------------------- */

/* Attached to the view, a menu's items find the window's win.* actions. */
static GtkWidget *
ensure_menu (VmdMachineList  *self,
             GtkWidget      **menu,
             GMenuModel      *model)
{
  if (*menu == NULL && model != NULL)
    {
      *menu = gtk_menu_new_from_model (model);
      gtk_menu_attach_to_widget (GTK_MENU (*menu), GTK_WIDGET (self->tree_view), NULL);
    }
  return *menu;
}

static void
popup_menu (VmdMachineList *self,
            const GdkEvent *event)
{
  GtkWidget *menu = NULL;

  if (self->selected != NULL)
    menu = ensure_menu (self, &self->menu, self->menu_model);
  else if (self->selected_connection != NULL)
    menu = ensure_menu (self, &self->connection_menu, self->connection_menu_model);
  if (menu == NULL)
    return;
  if (event != NULL)
    gtk_menu_popup_at_pointer (GTK_MENU (menu), event);
  else
    gtk_menu_popup_at_widget (GTK_MENU (menu), GTK_WIDGET (self->tree_view),
                              GDK_GRAVITY_CENTER, GDK_GRAVITY_NORTH_WEST, NULL);
}

static gboolean
on_button_press (GtkWidget      *widget,
                 GdkEventButton *event,
                 VmdMachineList *self)
{
  g_autoptr(GtkTreePath) path = NULL;

  if (!gdk_event_triggers_context_menu ((GdkEvent *) event))
    return GDK_EVENT_PROPAGATE;
  if (gtk_tree_view_get_path_at_pos (self->tree_view, event->x, event->y, &path, NULL, NULL, NULL))
    gtk_tree_selection_select_path (self->selection, path);
  popup_menu (self, (GdkEvent *) event);
  return GDK_EVENT_STOP;
}

static gboolean
on_popup_menu (GtkWidget      *widget,
               VmdMachineList *self)
{
  popup_menu (self, NULL);
  return TRUE;
}

static void
on_row_activated (GtkTreeView       *view,
                  GtkTreePath       *path,
                  GtkTreeViewColumn *column,
                  VmdMachineList    *self)
{
  GtkTreeIter iter;
  GObject *object;

  if (!gtk_tree_model_get_iter (self->filter, &iter, path))
    return;
  object = vmd_machine_list_object_at (self->filter, &iter);
  if (VMD_IS_MACHINE (object))
    g_signal_emit (self, signals[MACHINE_ACTIVATED], 0, object);
}

static gboolean
on_query_tooltip (GtkWidget      *widget,
                  int             x,
                  int             y,
                  gboolean        keyboard_mode,
                  GtkTooltip     *tooltip,
                  VmdMachineList *self)
{
  g_autoptr(GtkTreePath) path = NULL;
  GtkTreeModel *model;
  GtkTreeIter iter;
  GObject *object;
  g_autofree char *text = NULL;

  if (!gtk_tree_view_get_tooltip_context (self->tree_view, &x, &y, keyboard_mode, &model, &path, &iter))
    return FALSE;
  object = vmd_machine_list_object_at (model, &iter);
  if (VMD_IS_CONNECTION (object))
    text = g_strdup_printf ("%s\n%s", vmd_connection_get_uri (VMD_CONNECTION (object)),
                            vmd_connection_get_error_message (VMD_CONNECTION (object)) ?: "");
  else if (VMD_IS_MACHINE (object))
    {
      g_autofree char *name = vmd_name_for_display (vmd_machine_get_name (VMD_MACHINE (object)));

      text = g_strdup_printf ("%s — %s", name, vmd_machine_list_machine_state_label (VMD_MACHINE (object)));
    }
  else
    return FALSE;
  gtk_tooltip_set_text (tooltip, g_strstrip (text));
  gtk_tree_view_set_tooltip_row (self->tree_view, tooltip, path);
  return TRUE;
}

/* --- public ------------------------------------------------------------------------------------ */

void
vmd_machine_list_set_connections (VmdMachineList *self,
                                  GListModel     *connections)
{
  g_return_if_fail (VMD_IS_MACHINE_LIST (self));
  g_return_if_fail (self->connections == NULL);

  self->connections = g_object_ref (connections);
  g_signal_connect (connections, "items-changed", G_CALLBACK (on_connections_changed), self);
  on_connections_changed (connections, 0, 0, g_list_model_get_n_items (connections), self);
}

/* Every machine listed gets the user's time for a guest to shut down. */
static void
on_shutdown_timeout_changed (GSettings      *settings,
                             const char     *key,
                             VmdMachineList *self)
{
  GHashTableIter iter;
  gpointer machine;

  self->shutdown_timeout_s = g_settings_get_uint (settings, key);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &machine, NULL))
    vmd_machine_set_shutdown_timeout (machine, self->shutdown_timeout_s);
}

/* The optional columns follow the user's preferences as they change. */
void
vmd_machine_list_bind_settings (VmdMachineList *self,
                                GSettings      *settings)
{
  g_return_if_fail (VMD_IS_MACHINE_LIST (self));

  g_settings_bind (settings, "show-cpu-column", self->cpu_column, "visible", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "show-memory-column", self->memory_column, "visible", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "show-addresses-column", self->addresses_column, "visible",
                   G_SETTINGS_BIND_GET);
  g_set_object (&self->settings, settings);
  g_signal_connect_object (settings, "changed::shutdown-timeout",
                           G_CALLBACK (on_shutdown_timeout_changed), self, 0);
  on_shutdown_timeout_changed (settings, "shutdown-timeout", self);
}

void
vmd_machine_list_set_menu_model (VmdMachineList *self,
                                 GMenuModel     *menu)
{
  g_return_if_fail (VMD_IS_MACHINE_LIST (self));
  g_set_object (&self->menu_model, menu);
  g_clear_pointer (&self->menu, gtk_widget_destroy);
}

/* The context menu of a connection's group row. */
void
vmd_machine_list_set_connection_menu_model (VmdMachineList *self,
                                            GMenuModel     *menu)
{
  g_return_if_fail (VMD_IS_MACHINE_LIST (self));
  g_set_object (&self->connection_menu_model, menu);
  g_clear_pointer (&self->connection_menu, gtk_widget_destroy);
}

/* --- GObject ------------------------------------------------------------------------------------ */

/* A row changed, not only redrawn: the accessible cells read their text again too. */
static void
on_addresses_changed (VmdGuestAddresses *addresses,
                      GParamSpec        *pspec,
                      VmdMachineList    *self)
{
  VmdMachine *machine = g_hash_table_lookup (self->addresses, addresses);
  GtkTreeIter *iter = machine != NULL ? g_hash_table_lookup (self->rows, machine) : NULL;

  if (iter != NULL)
    store_row_changed (self, iter);
}

/* Called only while the column shows: the addresses (and their lease polling) are asked for
 * only then. A row is drawn again when its machine's addresses change. */
static void
addresses_cell_data (GtkTreeViewColumn *column,
                     GtkCellRenderer   *cell,
                     GtkTreeModel      *model,
                     GtkTreeIter       *iter,
                     gpointer           user_data)
{
  VmdMachineList *self = user_data;
  GObject *object = vmd_machine_list_object_at (model, iter);
  VmdConnection *connection = VMD_IS_MACHINE (object) ? vmd_machine_get_connection (VMD_MACHINE (object))
                                                       : NULL;
  VmdGuestAddresses *addresses;

  if (connection == NULL || !vmd_machine_is_active (VMD_MACHINE (object)))
    {
      g_object_set (cell, "text", NULL, NULL);
      return;
    }
  addresses = vmd_resources_get_addresses (vmd_connection_get_resources (connection),
                                           VMD_MACHINE (object));
  if (!g_hash_table_contains (self->addresses, addresses))
    {
      g_hash_table_insert (self->addresses, g_object_ref (addresses), object);
      g_signal_connect_object (addresses, "notify::text", G_CALLBACK (on_addresses_changed), self, 0);
    }
  g_object_set (cell, "text", vmd_guest_addresses_get_text (addresses), NULL);
}

static void
vmd_machine_list_dispose (GObject *object)
{
  VmdMachineList *self = VMD_MACHINE_LIST (object);
  GHashTableIter iter;
  gpointer machine;

  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_data (self->connections, self);
  if (self->rows != NULL)
    {
      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, &machine, NULL))
        g_signal_handlers_disconnect_by_data (machine, self);
      g_hash_table_remove_all (self->rows);
    }
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_object (&self->connections);
  g_clear_object (&self->selected);
  g_clear_object (&self->selected_connection);
  g_clear_object (&self->remembered);
  g_clear_pointer (&self->menu, gtk_widget_destroy);
  g_clear_object (&self->menu_model);
  g_clear_pointer (&self->connection_menu, gtk_widget_destroy);
  g_clear_object (&self->connection_menu_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  if (self->addresses != NULL)
    g_hash_table_remove_all (self->addresses);
  G_OBJECT_CLASS (vmd_machine_list_parent_class)->dispose (object);
}

static void
vmd_machine_list_finalize (GObject *object)
{
  VmdMachineList *self = VMD_MACHINE_LIST (object);

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->addresses, g_hash_table_unref);
  g_free (self->filter_key);
  G_OBJECT_CLASS (vmd_machine_list_parent_class)->finalize (object);
}

static void
vmd_machine_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VmdMachineList *self = VMD_MACHINE_LIST (object);

  switch (prop_id)
    {
    case PROP_SELECTED_MACHINE:    g_value_set_object (value, self->selected); break;
    case PROP_SELECTED_CONNECTION: g_value_set_object (value, self->selected_connection); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_machine_list_class_init (VmdMachineListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_machine_list_dispose;
  object_class->finalize = vmd_machine_list_finalize;
  object_class->get_property = vmd_machine_list_get_property;

  properties[PROP_SELECTED_MACHINE] =
    g_param_spec_object ("selected-machine", NULL, NULL, VMD_TYPE_MACHINE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_CONNECTION] =
    g_param_spec_object ("selected-connection", NULL, NULL, VMD_TYPE_CONNECTION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MACHINE_ACTIVATED] = g_signal_new ("machine-activated", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, VMD_TYPE_MACHINE);
  signals[SHUTDOWN_OVERDUE] = g_signal_new ("shutdown-overdue", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, VMD_TYPE_MACHINE);

  g_type_ensure (VMD_TYPE_CELL_RENDERER_SPARKLINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-machine-list.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, tree_view);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, selection);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, name_column);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, state_column);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, cpu_column);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, memory_column);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, addresses_column);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, addresses_renderer);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, icon_renderer);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, name_renderer);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, state_renderer);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, cpu_renderer);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, cpu_text_renderer);
  gtk_widget_class_bind_template_child (widget_class, VmdMachineList, memory_renderer);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_button_press);
  gtk_widget_class_bind_template_callback (widget_class, on_popup_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_query_tooltip);
}

static void
on_style_updated (GtkWidget      *tree_view,
                  VmdMachineList *self)
{
  vmd_machine_list_fit_cpu_figure (tree_view, self->cpu_text_renderer, self->cpu_column);
}

static void
vmd_machine_list_init (VmdMachineList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  self->rows = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->addresses = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  self->store = gtk_tree_store_new (N_COLUMNS, G_TYPE_OBJECT);
  self->shutdown_timeout_s = 60;
  attach_view (self);

  gtk_tree_view_column_set_cell_data_func (self->name_column, self->icon_renderer,
                                           vmd_machine_list_icon_cell_data, self, NULL);
  gtk_tree_view_column_set_cell_data_func (self->name_column, self->name_renderer,
                                           vmd_machine_list_name_cell_data, self, NULL);
  gtk_tree_view_column_set_cell_data_func (self->state_column, self->state_renderer,
                                           vmd_machine_list_state_cell_data, self, NULL);
  gtk_tree_view_column_set_cell_data_func (self->cpu_column, self->cpu_renderer,
                                           vmd_machine_list_cpu_cell_data, self, NULL);
  gtk_tree_view_column_set_cell_data_func (self->cpu_column, self->cpu_text_renderer,
                                           vmd_machine_list_cpu_text_cell_data, self, NULL);
  gtk_tree_view_column_set_cell_data_func (self->memory_column, self->memory_renderer,
                                           vmd_machine_list_memory_cell_data, self, NULL);
  gtk_tree_view_column_set_cell_data_func (self->addresses_column, self->addresses_renderer,
                                           addresses_cell_data, self, NULL);
  g_signal_connect (self->tree_view, "row-activated", G_CALLBACK (on_row_activated), self);
  g_signal_connect (self->tree_view, "style-updated", G_CALLBACK (on_style_updated), self);
  on_style_updated (GTK_WIDGET (self->tree_view), self);
}
