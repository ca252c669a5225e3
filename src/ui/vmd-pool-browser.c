/* VmdPoolBrowser: the stores are filled again from the models whenever a pool, its volumes or
 * the list of pools change; the selection is kept by name across a refill. Signals:
 * "selection-changed" (pool or volume), "volume-activated" (a double-click or Enter). */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-pool-browser.h"

enum { POOL_NAME, POOL_STATE, POOL_PERCENT, POOL_USAGE, POOL_OBJECT };
enum { VOLUME_NAME, VOLUME_SIZE, VOLUME_FORMAT, VOLUME_USERS, VOLUME_OBJECT };

struct _VmdPoolBrowser
{
  GtkPaned          parent_instance;

  GtkWidget        *pool_view;
  GtkListStore     *pool_store;
  GtkWidget        *volume_view;
  GtkListStore     *volume_store;

  VmdResources     *resources;
  VmdStoragePool   *pool;          /* selected, with its volumes in volume_store */
  VmdStorageVolume *volume;
  GPtrArray        *watched;       /* pools whose "changed" we follow */
  gboolean          filling;
};

G_DEFINE_FINAL_TYPE (VmdPoolBrowser, vmd_pool_browser, GTK_TYPE_PANED)

enum { SELECTION_CHANGED, VOLUME_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void fill_pools (VmdPoolBrowser *self);

static char *
describe_usage (VmdStoragePool *pool, int *percent)
{
  guint64 capacity = vmd_storage_pool_get_capacity (pool);
  g_autofree char *used = g_format_size (vmd_storage_pool_get_allocation (pool));
  g_autofree char *all = g_format_size (capacity);

  *percent = capacity > 0 ? (int) (100.0 * vmd_storage_pool_get_allocation (pool) / capacity) : 0;
  if (!vmd_storage_pool_get_active (pool))
    return g_strdup ("");
  /* TRANSLATORS: a pool's space: "3.1 GB of 20.0 GB" */
  return g_strdup_printf (_("%s of %s"), used, all);
}

static gboolean
select_row (GtkWidget *view, GtkListStore *store, int column, const char *name)
{
  GtkTreeIter iter;
  gboolean valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (store), &iter);

  for (; valid && name != NULL; valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (store), &iter))
    {
      g_autofree char *row = NULL;

      gtk_tree_model_get (GTK_TREE_MODEL (store), &iter, column, &row, -1);
      if (g_strcmp0 (row, name) == 0)
        {
          gtk_tree_selection_select_iter (gtk_tree_view_get_selection (GTK_TREE_VIEW (view)), &iter);
          return TRUE;
        }
    }
  return FALSE;
}

static void
fill_volumes (VmdPoolBrowser *self)
{
  g_autofree char *keep = self->volume != NULL ? g_strdup (vmd_storage_volume_get_name (self->volume)) : NULL;
  GListModel *volumes = self->pool != NULL ? vmd_storage_pool_get_volumes (self->pool) : NULL;
  guint n = volumes != NULL ? g_list_model_get_n_items (volumes) : 0;

  self->filling = TRUE;
  gtk_list_store_clear (self->volume_store);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdStorageVolume) volume = g_list_model_get_item (volumes, i);
      g_autofree char *size = g_format_size (vmd_storage_volume_get_capacity (volume));
      const char * const *users = vmd_storage_volume_get_users (volume);
      g_autofree char *used_by = users != NULL ? g_strjoinv (", ", (GStrv) users) : g_strdup ("");

      gtk_list_store_insert_with_values (self->volume_store, NULL, -1,
                                         VOLUME_NAME, vmd_storage_volume_get_name (volume),
                                         VOLUME_SIZE, size,
                                         VOLUME_FORMAT, vmd_storage_volume_get_format (volume),
                                         VOLUME_USERS, used_by,
                                         VOLUME_OBJECT, volume, -1);
    }
  self->filling = FALSE;
  if (!select_row (self->volume_view, self->volume_store, VOLUME_NAME, keep))
    g_clear_object (&self->volume);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
unwatch (VmdPoolBrowser *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    {
      g_signal_handlers_disconnect_by_data (self->watched->pdata[i], self);
      g_signal_handlers_disconnect_by_data (vmd_storage_pool_get_volumes (self->watched->pdata[i]), self);
    }
  g_ptr_array_set_size (self->watched, 0);
}

static void
fill_pools (VmdPoolBrowser *self)
{
  g_autofree char *keep = self->pool != NULL ? g_strdup (vmd_storage_pool_get_name (self->pool)) : NULL;
  GListModel *pools = vmd_resources_get_pools (self->resources);
  guint n = g_list_model_get_n_items (pools);

  unwatch (self);
  self->filling = TRUE;
  gtk_list_store_clear (self->pool_store);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdStoragePool) pool = g_list_model_get_item (pools, i);
      int percent = 0;
      g_autofree char *usage = describe_usage (pool, &percent);

      gtk_list_store_insert_with_values (self->pool_store, NULL, -1,
                                         POOL_NAME, vmd_storage_pool_get_name (pool),
                                         POOL_STATE, vmd_storage_pool_get_active (pool) ? _("Active") : _("Inactive"),
                                         POOL_PERCENT, percent, POOL_USAGE, usage, POOL_OBJECT, pool, -1);
      g_signal_connect_object (pool, "changed", G_CALLBACK (fill_pools), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (vmd_storage_pool_get_volumes (pool), "items-changed",
                               G_CALLBACK (fill_volumes), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->watched, g_object_ref (pool));
    }
  self->filling = FALSE;
  if (!select_row (self->pool_view, self->pool_store, POOL_NAME, keep))
    {
      g_clear_object (&self->pool);
      g_clear_object (&self->volume);
    }
  fill_volumes (self);
}

static GObject *
selected_object (GtkWidget *view, int column)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  GObject *object = NULL;

  if (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (GTK_TREE_VIEW (view)), &model, &iter))
    gtk_tree_model_get (model, &iter, column, &object, -1);
  return object;
}

static void
on_pool_selection_changed (VmdPoolBrowser *self)
{
  g_autoptr(GObject) pool = NULL;

  if (self->filling)
    return;
  pool = selected_object (self->pool_view, POOL_OBJECT);
  if ((gpointer) pool == (gpointer) self->pool)
    return;
  g_set_object (&self->pool, VMD_STORAGE_POOL (pool));
  g_clear_object (&self->volume);
  fill_volumes (self);
}

static void
on_volume_selection_changed (VmdPoolBrowser *self)
{
  g_autoptr(GObject) volume = NULL;

  if (self->filling)
    return;
  volume = selected_object (self->volume_view, VOLUME_OBJECT);
  g_set_object (&self->volume, VMD_STORAGE_VOLUME (volume));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
on_volume_activated (VmdPoolBrowser *self)
{
  if (self->volume != NULL)
    g_signal_emit (self, signals[VOLUME_ACTIVATED], 0, self->volume);
}

void
vmd_pool_browser_set_resources (VmdPoolBrowser *self,
                                VmdResources   *resources)
{
  g_return_if_fail (VMD_IS_POOL_BROWSER (self));
  if (self->resources != NULL)
    g_signal_handlers_disconnect_by_data (vmd_resources_get_pools (self->resources), self);
  g_set_object (&self->resources, resources);
  g_clear_object (&self->pool);
  g_clear_object (&self->volume);
  if (resources == NULL)
    return;
  g_signal_connect_object (vmd_resources_get_pools (resources), "items-changed", G_CALLBACK (fill_pools),
                           self, G_CONNECT_SWAPPED);
  fill_pools (self);
}

VmdStoragePool *
vmd_pool_browser_get_selected_pool (VmdPoolBrowser *self)
{
  return self->pool;
}

VmdStorageVolume *
vmd_pool_browser_get_selected_volume (VmdPoolBrowser *self)
{
  return self->volume;
}

gboolean
vmd_pool_browser_select_pool (VmdPoolBrowser *self,
                              const char     *name)
{
  return select_row (self->pool_view, self->pool_store, POOL_NAME, name);
}

gboolean
vmd_pool_browser_select_volume (VmdPoolBrowser *self,
                                const char     *name)
{
  return select_row (self->volume_view, self->volume_store, VOLUME_NAME, name);
}

static void
vmd_pool_browser_dispose (GObject *object)
{
  VmdPoolBrowser *self = VMD_POOL_BROWSER (object);

  if (self->watched != NULL)
    unwatch (self);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  if (self->resources != NULL)
    g_signal_handlers_disconnect_by_data (vmd_resources_get_pools (self->resources), self);
  g_clear_object (&self->resources);
  g_clear_object (&self->pool);
  g_clear_object (&self->volume);
  G_OBJECT_CLASS (vmd_pool_browser_parent_class)->dispose (object);
}

static void
vmd_pool_browser_class_init (VmdPoolBrowserClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_pool_browser_dispose;
  signals[SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[VOLUME_ACTIVATED] = g_signal_new ("volume-activated", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                            VMD_TYPE_STORAGE_VOLUME);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-pool-browser.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdPoolBrowser, pool_view);
  gtk_widget_class_bind_template_child (widget_class, VmdPoolBrowser, pool_store);
  gtk_widget_class_bind_template_child (widget_class, VmdPoolBrowser, volume_view);
  gtk_widget_class_bind_template_child (widget_class, VmdPoolBrowser, volume_store);
}

static void
vmd_pool_browser_init (VmdPoolBrowser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect_object (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->pool_view)), "changed",
                           G_CALLBACK (on_pool_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->volume_view)), "changed",
                           G_CALLBACK (on_volume_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->volume_view, "row-activated", G_CALLBACK (on_volume_activated), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
vmd_pool_browser_new (void)
{
  return g_object_new (VMD_TYPE_POOL_BROWSER, NULL);
}
