/* The machine list's cells: each reads the live object of its row when it is drawn (a
 * VmdConnection for a group row, a VmdMachine below it). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vmd-cell-renderer-sparkline.h"
#include "vmd-connection.h"
#include "vmd-display-name.h"
#include "vmd-machine-list.h"
#include "vmd-machine-list-cells.h"

GObject *
vmd_machine_list_object_at (GtkTreeModel *model,
                            GtkTreeIter  *iter)
{
  GObject *object = NULL;

  gtk_tree_model_get (model, iter, COLUMN_OBJECT, &object, -1);
  /* The store keeps its own reference for as long as the row exists. */
  if (object != NULL)
    g_object_unref (object);
  return object;
}

/* The State column's words for a connection's row, and the empty page's. */
char *
vmd_machine_list_describe_connection (VmdConnection *connection)
{
  guint n = g_list_model_get_n_items (vmd_connection_get_machines (connection));

  switch (vmd_connection_get_state (connection))
    {
    case VMD_CONNECTION_STATE_CONNECTING:
      return g_strdup (_("Connecting…"));
    case VMD_CONNECTION_STATE_CONNECTED:
      if (n == 0)
        return g_strdup (_("No virtual machines yet"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u machine", "%u machines", n), n);
    case VMD_CONNECTION_STATE_FAILED:
      return g_strdup (_("Not connected"));
    case VMD_CONNECTION_STATE_LOST:
      return g_strdup (_("Connection lost"));
    case VMD_CONNECTION_STATE_DISCONNECTED:
    default:
      return g_strdup (_("Disconnected"));
    }
}

const char *
vmd_machine_list_machine_state_label (VmdMachine *machine)
{
  if (vmd_machine_get_shutting_down (machine))
    return _("Shutting down…");
  return vmd_machine_state_to_label (vmd_machine_get_state (machine));
}

void
vmd_machine_list_icon_cell_data (GtkTreeViewColumn *column,
                                 GtkCellRenderer   *cell,
                                 GtkTreeModel      *model,
                                 GtkTreeIter       *iter,
                                 gpointer           user_data)
{
  GObject *object = vmd_machine_list_object_at (model, iter);
  const char *icon = "computer-symbolic";

  if (VMD_IS_MACHINE (object))
    icon = vmd_machine_state_to_icon_name (vmd_machine_get_state (VMD_MACHINE (object)));
  else if (VMD_IS_CONNECTION (object) &&
           vmd_connection_get_state (VMD_CONNECTION (object)) >= VMD_CONNECTION_STATE_FAILED)
    icon = "network-error-symbolic";
  g_object_set (cell, "icon-name", icon, NULL);
}

void
vmd_machine_list_name_cell_data (GtkTreeViewColumn *column,
                                 GtkCellRenderer   *cell,
                                 GtkTreeModel      *model,
                                 GtkTreeIter       *iter,
                                 gpointer           user_data)
{
  GObject *object = vmd_machine_list_object_at (model, iter);
  g_autofree char *markup = NULL;

  if (VMD_IS_MACHINE (object))
    {
      markup = vmd_name_for_display_markup (vmd_machine_get_name (VMD_MACHINE (object)));
      g_object_set (cell, "markup", markup, "wrap-width", -1, NULL);
      return;
    }
  if (!VMD_IS_CONNECTION (object))
    return;
  /* A group row is a heading; when its connection failed, the reason stands under it in full,
   * where the whole width of the list is there to read it. */
  if (vmd_connection_get_error_message (VMD_CONNECTION (object)) != NULL)
    markup = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>",
                                      vmd_connection_get_title (VMD_CONNECTION (object)),
                                      vmd_connection_get_error_message (VMD_CONNECTION (object)));
  else
    markup = g_markup_printf_escaped ("<b>%s</b>", vmd_connection_get_title (VMD_CONNECTION (object)));
  g_object_set (cell, "markup", markup, "wrap-width", markup != NULL && strchr (markup, '\n') ? 420 : -1, NULL);
}

void
vmd_machine_list_state_cell_data (GtkTreeViewColumn *column,
                                  GtkCellRenderer   *cell,
                                  GtkTreeModel      *model,
                                  GtkTreeIter       *iter,
                                  gpointer           user_data)
{
  GObject *object = vmd_machine_list_object_at (model, iter);
  g_autofree char *text = NULL;

  if (VMD_IS_MACHINE (object))
    text = g_strdup (vmd_machine_list_machine_state_label (VMD_MACHINE (object)));
  else if (VMD_IS_CONNECTION (object))
    text = vmd_machine_list_describe_connection (VMD_CONNECTION (object));
  g_object_set (cell, "text", text, NULL);
}

void
vmd_machine_list_cpu_cell_data (GtkTreeViewColumn *column,
                                GtkCellRenderer   *cell,
                                GtkTreeModel      *model,
                                GtkTreeIter       *iter,
                                gpointer           user_data)
{
  GObject *object = vmd_machine_list_object_at (model, iter);
  const double *history = NULL;
  guint n = 0;

  if (VMD_IS_MACHINE (object) && vmd_machine_is_active (VMD_MACHINE (object)))
    history = vmd_machine_get_cpu_history (VMD_MACHINE (object), &n);
  vmd_cell_renderer_sparkline_set_values (VMD_CELL_RENDERER_SPARKLINE (cell), history, n,
                                          VMD_MACHINE_CPU_HISTORY);
}

void
vmd_machine_list_cpu_text_cell_data (GtkTreeViewColumn *column,
                                     GtkCellRenderer   *cell,
                                     GtkTreeModel      *model,
                                     GtkTreeIter       *iter,
                                     gpointer           user_data)
{
  GObject *object = vmd_machine_list_object_at (model, iter);
  g_autofree char *text = NULL;
  guint n = 0;

  /* The figure beside the line: readable by screen readers, which cannot read a drawing. */
  if (VMD_IS_MACHINE (object) && vmd_machine_is_active (VMD_MACHINE (object)))
    {
      vmd_machine_get_cpu_history (VMD_MACHINE (object), &n);
      if (n > 0)
        text = g_strdup_printf (_("%.0f %%"), vmd_machine_get_cpu_usage (VMD_MACHINE (object)));
    }
  g_object_set (cell, "text", text, NULL);
}

/* "100 %" in the list's own font (and language: the format is translated), so the figure is
 * never cut however the font is set; measured again when the style changes. */
void
vmd_machine_list_fit_cpu_figure (GtkWidget         *tree_view,
                                 GtkCellRenderer   *cell,
                                 GtkTreeViewColumn *column)
{
  g_autofree char *widest = g_strdup_printf (_("%.0f %%"), 100.0);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (tree_view, widest);
  int xpad, width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  gtk_cell_renderer_get_padding (cell, &xpad, NULL);
  gtk_cell_renderer_set_fixed_size (cell, width + 2 * xpad + 2, -1);
  gtk_tree_view_column_queue_resize (column);
}

void
vmd_machine_list_memory_cell_data (GtkTreeViewColumn *column,
                                   GtkCellRenderer   *cell,
                                   GtkTreeModel      *model,
                                   GtkTreeIter       *iter,
                                   gpointer           user_data)
{
  GObject *object = vmd_machine_list_object_at (model, iter);
  g_autofree char *text = NULL;

  if (VMD_IS_MACHINE (object) && vmd_machine_is_active (VMD_MACHINE (object)) &&
      vmd_machine_get_memory_kib (VMD_MACHINE (object)) > 0)
    text = g_format_size_full (vmd_machine_get_memory_kib (VMD_MACHINE (object)) * 1024,
                               G_FORMAT_SIZE_IEC_UNITS);
  g_object_set (cell, "text", text, NULL);
}
