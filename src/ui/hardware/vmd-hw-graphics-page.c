#include "config.h"

#include <glib/gi18n.h>

#include "vmd-device-extra-xml.h"
#include "vmd-form.h"
#include "vmd-hw-graphics-page.h"

struct _VmdHwGraphicsPage
{
  VmdHwPage  parent_instance;

  GtkWidget *type_combo, *listen_combo, *listen_error, *password_entry, *password_error, *general_error;
  gboolean   touched;
};

G_DEFINE_FINAL_TYPE (VmdHwGraphicsPage, vmd_hw_graphics_page, VMD_TYPE_HW_PAGE)

static void
show_problem (VmdHwGraphicsPage *self,
              const char        *field,
              const char        *message)
{
  const VmdFormField fields[] = { { "listen", self->listen_error }, { "password", self->password_error } };

  vmd_form_show_problem (fields, G_N_ELEMENTS (fields), self->general_error, field,
                         self->touched ? message : NULL);
}

/* The listen address is checked on its own first, so a problem is put beside its own field. */
static char *
build (VmdHwPage    *page,
       const char   *domain_xml,
       VmdHwAttach  *mode,
       GError      **error)
{
  VmdHwGraphicsPage *self = VMD_HW_GRAPHICS_PAGE (page);
  g_autofree char *listen = vmd_form_text (gtk_bin_get_child (GTK_BIN (self->listen_combo)));
  g_autofree char *password = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->password_entry)));
  const char *type = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->type_combo));
  VmdGraphicsSpec spec = { type, listen, NULL };
  g_autoptr(GError) local_error = NULL;
  const char *field = "listen";
  char *xml = NULL;

  *mode = VMD_HW_ATTACH_NEXT_BOOT;
  if (vmd_graphics_spec_validate (&spec, &local_error))
    {
      field = "password";
      spec.password = password;
      xml = vmd_graphics_device_xml (&spec, &local_error);
    }
  show_problem (self, field, xml == NULL ? local_error->message : NULL);
  if (xml == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return xml;
}

static void
on_field_changed (VmdHwGraphicsPage *self)
{
  self->touched = TRUE;
  vmd_hw_page_changed (VMD_HW_PAGE (self));
}

static void
vmd_hw_graphics_page_class_init (VmdHwGraphicsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  VMD_HW_PAGE_CLASS (klass)->build = build;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/hardware/vmd-hw-graphics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdHwGraphicsPage, type_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdHwGraphicsPage, listen_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdHwGraphicsPage, listen_error);
  gtk_widget_class_bind_template_child (widget_class, VmdHwGraphicsPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdHwGraphicsPage, password_error);
  gtk_widget_class_bind_template_child (widget_class, VmdHwGraphicsPage, general_error);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
}

static void
vmd_hw_graphics_page_init (VmdHwGraphicsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->listen_combo), "none");
  self->touched = FALSE;
}
