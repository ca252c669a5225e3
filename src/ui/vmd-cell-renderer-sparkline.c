/* VmdCellRendererSparkline: draws the last samples right-aligned, so a machine that just
 * started grows its line from the right as GNOME System Monitor does. */
#include "config.h"

#include "vmd-cell-renderer-sparkline.h"

#define SPARKLINE_WIDTH  80
#define SPARKLINE_HEIGHT 18

struct _VmdCellRendererSparkline
{
  GtkCellRenderer  parent_instance;

  const double    *values;
  guint            n_values;
  guint            capacity;
};

G_DEFINE_FINAL_TYPE (VmdCellRendererSparkline, vmd_cell_renderer_sparkline, GTK_TYPE_CELL_RENDERER)

void
vmd_cell_renderer_sparkline_set_values (VmdCellRendererSparkline *self,
                                        const double             *values,
                                        guint                     n_values,
                                        guint                     capacity)
{
  self->values = values;
  self->n_values = n_values;
  self->capacity = MAX (capacity, 2);
}

static void
vmd_cell_renderer_sparkline_get_preferred_width (GtkCellRenderer *cell,
                                                 GtkWidget       *widget,
                                                 int             *minimum,
                                                 int             *natural)
{
  int xpad;

  gtk_cell_renderer_get_padding (cell, &xpad, NULL);
  *minimum = *natural = SPARKLINE_WIDTH + 2 * xpad;
}

static void
vmd_cell_renderer_sparkline_get_preferred_height (GtkCellRenderer *cell,
                                                  GtkWidget       *widget,
                                                  int             *minimum,
                                                  int             *natural)
{
  int ypad;

  gtk_cell_renderer_get_padding (cell, NULL, &ypad);
  *minimum = *natural = SPARKLINE_HEIGHT + 2 * ypad;
}

static void
vmd_cell_renderer_sparkline_render (GtkCellRenderer      *cell,
                                    cairo_t              *cr,
                                    GtkWidget            *widget,
                                    const GdkRectangle   *background_area,
                                    const GdkRectangle   *cell_area,
                                    GtkCellRendererState  flags)
{
  VmdCellRendererSparkline *self = VMD_CELL_RENDERER_SPARKLINE (cell);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  GdkRGBA color;
  double step, x0, bottom, height;
  int xpad, ypad;

  if (self->n_values < 2)
    return;

  gtk_cell_renderer_get_padding (cell, &xpad, &ypad);
  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &color);
  step = (double) SPARKLINE_WIDTH / (self->capacity - 1);
  x0 = cell_area->x + xpad + SPARKLINE_WIDTH - step * (self->n_values - 1);
  bottom = cell_area->y + ypad + SPARKLINE_HEIGHT;
  height = SPARKLINE_HEIGHT;

  cairo_move_to (cr, x0, bottom);
  for (guint i = 0; i < self->n_values; i++)
    cairo_line_to (cr, x0 + step * i, bottom - height * CLAMP (self->values[i], 0.0, 100.0) / 100.0);
  cairo_line_to (cr, x0 + step * (self->n_values - 1), bottom);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.25 * color.alpha);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

static void
vmd_cell_renderer_sparkline_class_init (VmdCellRendererSparklineClass *klass)
{
  GtkCellRendererClass *cell_class = GTK_CELL_RENDERER_CLASS (klass);

  cell_class->get_preferred_width = vmd_cell_renderer_sparkline_get_preferred_width;
  cell_class->get_preferred_height = vmd_cell_renderer_sparkline_get_preferred_height;
  cell_class->render = vmd_cell_renderer_sparkline_render;
}

static void
vmd_cell_renderer_sparkline_init (VmdCellRendererSparkline *self)
{
  self->capacity = 2;
}
