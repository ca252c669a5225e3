/* VmdCellRendererSparkline: a small CPU history line inside a tree view cell. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_CELL_RENDERER_SPARKLINE (vmd_cell_renderer_sparkline_get_type ())
G_DECLARE_FINAL_TYPE (VmdCellRendererSparkline, vmd_cell_renderer_sparkline, VMD,
                      CELL_RENDERER_SPARKLINE, GtkCellRenderer)

/* values: percentages 0..100, oldest first; borrowed until the next call. */
void vmd_cell_renderer_sparkline_set_values (VmdCellRendererSparkline *self,
                                             const double             *values,
                                             guint                     n_values,
                                             guint                     capacity);

G_END_DECLS
