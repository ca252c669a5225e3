/* The machine list's cell data functions, apart from the list's rows and selection. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

/* The list's store has one column: the object itself. */
enum { COLUMN_OBJECT, N_COLUMNS };

GObject    *vmd_machine_list_object_at          (GtkTreeModel      *model,
                                                 GtkTreeIter       *iter);
const char *vmd_machine_list_machine_state_label (VmdMachine       *machine);
void        vmd_machine_list_fit_cpu_figure     (GtkWidget         *tree_view,
                                                 GtkCellRenderer   *cell,
                                                 GtkTreeViewColumn *column);

void vmd_machine_list_icon_cell_data     (GtkTreeViewColumn *column, GtkCellRenderer *cell,
                                          GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data);
void vmd_machine_list_name_cell_data     (GtkTreeViewColumn *column, GtkCellRenderer *cell,
                                          GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data);
void vmd_machine_list_state_cell_data    (GtkTreeViewColumn *column, GtkCellRenderer *cell,
                                          GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data);
void vmd_machine_list_cpu_cell_data      (GtkTreeViewColumn *column, GtkCellRenderer *cell,
                                          GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data);
void vmd_machine_list_cpu_text_cell_data (GtkTreeViewColumn *column, GtkCellRenderer *cell,
                                          GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data);
void vmd_machine_list_memory_cell_data   (GtkTreeViewColumn *column, GtkCellRenderer *cell,
                                          GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data);

G_END_DECLS
