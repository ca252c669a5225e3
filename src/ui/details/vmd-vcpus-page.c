/* VmdVcpusPage: the count is a form; the list is read again with each config and on Refresh. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-details-form.h"
#include "vmd-vcpus-page.h"

struct _VmdVcpusPage
{
  VmdDetailsPage  parent_instance;

  VmdDetailsForm *form;        /* the page's */
  guint           vcpus_form;

  GtkWidget      *conflict_bar, *vcpus_current_spin, *vcpus_max_spin;
  GtkListStore   *vcpu_store;
};

G_DEFINE_FINAL_TYPE (VmdVcpusPage, vmd_vcpus_page, VMD_TYPE_DETAILS_PAGE)

/* --- the form ----------------------------------------------------------------------------------- */

static void
fill_vcpus (VmdDetailsPage         *page,
            const VmdMachineConfig *config)
{
  VmdVcpusPage *self = VMD_VCPUS_PAGE (page);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->vcpus_max_spin), config->max_vcpus);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->vcpus_current_spin), config->current_vcpus);
}

static char *
vcpus_changes (const VmdMachineConfig *before,
               const VmdMachineConfig *after)
{
  VmdVcpuFields a = vmd_vcpu_fields_of (before), b = vmd_vcpu_fields_of (after);

  return vmd_vcpu_fields_describe (&a, &b);
}

static void
apply_vcpus (VmdDetailsPage         *page,
             const VmdMachineConfig *start,
             VmdEditFlags            flags,
             GAsyncReadyCallback     done,
             gpointer                done_data)
{
  VmdVcpusPage *self = VMD_VCPUS_PAGE (page);
  VmdVcpuFields base = vmd_vcpu_fields_of (start), mine;

  mine.max = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->vcpus_max_spin));
  mine.current = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->vcpus_current_spin));
  vmd_machine_details_set_vcpus_async (vmd_details_page_get_details (page), &base, &mine, flags,
                                       vmd_details_page_get_cancellable (page), done, done_data);
}

static const VmdFormClass vcpus_form_class = { fill_vcpus, vcpus_changes, apply_vcpus };

static void
activate_apply (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  VmdVcpusPage *self = user_data;

  vmd_details_form_apply (self->form, self->vcpus_form, VMD_EDIT_NONE);
}

/* --- `virsh vcpuinfo` --------------------------------------------------------------------------- */

static void
add_vcpu_row (VmdVcpusPage      *self,
              const VmdVcpuInfo *vcpu)
{
  g_autofree char *number = g_strdup_printf ("%u", vcpu->number);
  g_autofree char *cpu = vcpu->cpu >= 0 ? g_strdup_printf ("%d", vcpu->cpu) : g_strdup ("—");
  g_autofree char *time = vcpu->state != NULL ? g_strdup_printf (_("%.1f s"), vcpu->cpu_time_ns / 1e9)
                                              : g_strdup ("—");

  gtk_list_store_insert_with_values (self->vcpu_store, NULL, -1, 0, number,
                                     1, vcpu->state != NULL ? vcpu->state : _("off"),
                                     2, cpu, 3, time, 4, vcpu->affinity, -1);
}

static void
on_vcpus_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VmdVcpusPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vcpus = vmd_machine_details_list_vcpus_finish (VMD_MACHINE_DETAILS (source), result, &error);

  if (vcpus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vmd_details_page_show_error (VMD_DETAILS_PAGE (self), error->message);
      return;
    }
  gtk_list_store_clear (self->vcpu_store);
  for (guint i = 0; i < vcpus->len; i++)
    add_vcpu_row (self, vcpus->pdata[i]);
}

static void
refresh_vcpus (VmdVcpusPage *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);

  vmd_machine_details_list_vcpus_async (vmd_details_page_get_details (page), vmd_details_page_get_cancellable (page),
                                        on_vcpus_listed, g_object_ref (self));
}

static void
activate_refresh (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  VmdVcpusPage *self = user_data;

  refresh_vcpus (self);
}

static void
vmd_vcpus_page_config_changed (VmdDetailsPage         *page,
                               const VmdMachineConfig *config)
{
  refresh_vcpus (VMD_VCPUS_PAGE (page));
}

static const GActionEntry actions[] = {
  { "apply", activate_apply },
  { "refresh", activate_refresh },
};

/* --- GObject ------------------------------------------------------------------------------------ */

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdVcpusPage, name)

static void
vmd_vcpus_page_class_init (VmdVcpusPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  VMD_DETAILS_PAGE_CLASS (klass)->config_changed = vmd_vcpus_page_config_changed;
  g_type_ensure (VMD_TYPE_CONFLICT_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/details/vmd-vcpus-page.ui");
  BIND (conflict_bar); BIND (vcpus_current_spin); BIND (vcpus_max_spin); BIND (vcpu_store);
}

static void
vmd_vcpus_page_init (VmdVcpusPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_add_actions (VMD_DETAILS_PAGE (self), actions, G_N_ELEMENTS (actions));
  self->form = vmd_details_page_new_form (VMD_DETAILS_PAGE (self), VMD_CONFLICT_BAR (self->conflict_bar));
  self->vcpus_form = vmd_details_form_add (self->form, &vcpus_form_class);
  vmd_details_form_watch_spin (self->form, self->vcpus_form, self->vcpus_max_spin);
  vmd_details_form_watch_spin (self->form, self->vcpus_form, self->vcpus_current_spin);
}
