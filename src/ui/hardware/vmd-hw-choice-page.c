#include "config.h"

#include <glib/gi18n.h>

#include "vmd-hw-choice-page.h"

struct _VmdHwChoicePage
{
  VmdHwPage              parent_instance;

  GtkWidget             *intro_label, *first_label, *first_combo, *second_label, *second_combo;
  GtkWidget             *general_error;
  const VmdHwChoiceKind *kind;
};

G_DEFINE_FINAL_TYPE (VmdHwChoicePage, vmd_hw_choice_page, VMD_TYPE_HW_PAGE)

static char *
build (VmdHwPage    *page,
       const char   *domain_xml,
       VmdHwAttach  *mode,
       GError      **error)
{
  VmdHwChoicePage *self = VMD_HW_CHOICE_PAGE (page);
  const char *first = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->first_combo));
  const char *second = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->second_combo));
  g_autoptr(GError) local_error = NULL;
  char *xml = self->kind->build (first, second, &local_error);

  gtk_label_set_text (GTK_LABEL (self->general_error), xml == NULL ? local_error->message : "");
  gtk_widget_set_visible (self->general_error, xml == NULL);
  if (xml == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  *mode = self->kind->hotpluggable (first, second) ? VMD_HW_ATTACH_LIVE : VMD_HW_ATTACH_NEXT_BOOT;
  return xml;
}

/* The combo's label is its accessible name, as for the typed fields of the other pages. */
static void
fill (GtkWidget         *label,
      GtkWidget         *combo,
      const char        *title,
      const VmdHwChoice *choices)
{
  gtk_widget_set_visible (label, choices != NULL);
  gtk_widget_set_visible (combo, choices != NULL);
  if (choices == NULL)
    return;
  gtk_label_set_text (GTK_LABEL (label), _(title));
  atk_object_set_name (gtk_widget_get_accessible (combo), _(title));
  for (guint i = 0; choices[i].id != NULL; i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), choices[i].id, _(choices[i].title));
  gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
}

static void
on_choice_changed (VmdHwChoicePage *self)
{
  vmd_hw_page_changed (VMD_HW_PAGE (self));
}

GtkWidget *
vmd_hw_choice_page_new (VmdMachineDetails     *details,
                        const VmdHwChoiceKind *kind)
{
  VmdHwChoicePage *self = g_object_new (VMD_TYPE_HW_CHOICE_PAGE, "details", details, NULL);

  self->kind = kind;
  gtk_label_set_text (GTK_LABEL (self->intro_label), _(kind->intro));
  fill (self->first_label, self->first_combo, kind->first_label, kind->first);
  fill (self->second_label, self->second_combo, kind->second_label, kind->second);
  g_signal_connect_object (self->first_combo, "changed", G_CALLBACK (on_choice_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->second_combo, "changed", G_CALLBACK (on_choice_changed), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

static void
vmd_hw_choice_page_class_init (VmdHwChoicePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  VMD_HW_PAGE_CLASS (klass)->build = build;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/hardware/vmd-hw-choice-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdHwChoicePage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, VmdHwChoicePage, first_label);
  gtk_widget_class_bind_template_child (widget_class, VmdHwChoicePage, first_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdHwChoicePage, second_label);
  gtk_widget_class_bind_template_child (widget_class, VmdHwChoicePage, second_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdHwChoicePage, general_error);
}

static void
vmd_hw_choice_page_init (VmdHwChoicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
