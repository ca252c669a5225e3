#include "config.h"

#include <glib/gi18n.h>

#include "vmd-device-xml.h"
#include "vmd-hw-tpm-page.h"

struct _VmdHwTpmPage
{
  VmdHwPage  parent_instance;

  GtkWidget *emulated_radio, *passthrough_radio, *passthrough_reason, *tpm_error;
};

G_DEFINE_FINAL_TYPE (VmdHwTpmPage, vmd_hw_tpm_page, VMD_TYPE_HW_PAGE)

static void
show_problem (VmdHwTpmPage *self,
              const char   *message)
{
  gtk_label_set_text (GTK_LABEL (self->tpm_error), message != NULL ? message : "");
  gtk_widget_set_visible (self->tpm_error, message != NULL);
}

static char *
build (VmdHwPage    *page,
       const char   *domain_xml,
       VmdHwAttach  *mode,
       GError      **error)
{
  VmdHwTpmPage *self = VMD_HW_TPM_PAGE (page);
  VmdTpmSpec spec = { gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->passthrough_radio)), NULL };
  g_autoptr(GError) local_error = NULL;

  *mode = VMD_HW_ATTACH_NEXT_BOOT;
  if (!vmd_tpm_spec_validate (&spec, domain_xml, &local_error))
    {
      show_problem (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  show_problem (self, NULL);
  return vmd_tpm_spec_xml (&spec);
}

static void
on_kind_toggled (VmdHwTpmPage *self)
{
  vmd_hw_page_changed (VMD_HW_PAGE (self));
}

/* Passthrough is offered only where the host has a TPM; otherwise the reason shows. */
static void
offer_passthrough (VmdHwTpmPage *self)
{
  g_autofree char *reason = NULL;
  gboolean available = vmd_host_tpm_available (&reason);

  gtk_widget_set_sensitive (self->passthrough_radio, available);
  gtk_label_set_text (GTK_LABEL (self->passthrough_reason), reason != NULL ? reason : "");
  gtk_widget_set_visible (self->passthrough_reason, !available && reason != NULL);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdHwTpmPage, name)

static void
vmd_hw_tpm_page_class_init (VmdHwTpmPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  VMD_HW_PAGE_CLASS (klass)->build = build;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/hardware/vmd-hw-tpm-page.ui");
  BIND (emulated_radio); BIND (passthrough_radio); BIND (passthrough_reason); BIND (tpm_error);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_toggled);
}

static void
vmd_hw_tpm_page_init (VmdHwTpmPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  offer_passthrough (self);
}
