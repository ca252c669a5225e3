/* VmdOsRow: a list row that holds its OS, so activating it needs no lookup. */
#include "config.h"

#include "vmd-os-catalog.h"
#include "vmd-os-row.h"

struct _VmdOsRow
{
  GtkListBoxRow  parent_instance;

  OsinfoOs      *os;   /* a reference: the search's results go, the row may stay */
};

G_DEFINE_FINAL_TYPE (VmdOsRow, vmd_os_row, GTK_TYPE_LIST_BOX_ROW)

static void
vmd_os_row_dispose (GObject *object)
{
  g_clear_object (&VMD_OS_ROW (object)->os);
  G_OBJECT_CLASS (vmd_os_row_parent_class)->dispose (object);
}

static void
vmd_os_row_class_init (VmdOsRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vmd_os_row_dispose;
}

static void
vmd_os_row_init (VmdOsRow *self)
{
}

GtkWidget *
vmd_os_row_new (OsinfoOs *os)
{
  VmdOsRow *self = g_object_new (VMD_TYPE_OS_ROW, NULL);
  g_autofree char *text = vmd_os_catalog_describe (os);
  GtkWidget *label = gtk_label_new (text);

  self->os = os != NULL ? g_object_ref (os) : NULL;
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_top (label, 3);
  gtk_widget_set_margin_bottom (label, 3);
  gtk_container_add (GTK_CONTAINER (self), label);
  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

/* (transfer none) (nullable): NULL for "Generic OS". */
OsinfoOs *
vmd_os_row_get_os (VmdOsRow *self)
{
  g_return_val_if_fail (VMD_IS_OS_ROW (self), NULL);
  return self->os;
}
