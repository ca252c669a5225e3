/* VmdMemoryPage: one form in MiB; a running machine's amounts beside it. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "vmd-details-form.h"
#include "vmd-memory-page.h"

struct _VmdMemoryPage
{
  VmdDetailsPage  parent_instance;

  VmdDetailsForm *form;        /* the page's */
  guint           memory_form;

  GtkWidget      *conflict_bar, *memory_current_spin, *memory_max_spin, *memory_live_label;
};

G_DEFINE_FINAL_TYPE (VmdMemoryPage, vmd_memory_page, VMD_TYPE_DETAILS_PAGE)

static void
fill_memory (VmdDetailsPage         *page,
             const VmdMachineConfig *config)
{
  VmdMemoryPage *self = VMD_MEMORY_PAGE (page);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->memory_max_spin), config->max_memory_kib / 1024.0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->memory_current_spin), config->current_memory_kib / 1024.0);
}

static char *
memory_changes (const VmdMachineConfig *before,
                const VmdMachineConfig *after)
{
  VmdMemoryFields a = vmd_memory_fields_of (before), b = vmd_memory_fields_of (after);

  return vmd_memory_fields_describe (&a, &b);
}

/* The form shows whole MiB: an amount that is not one stays as it is unless the user changed
 * the number shown. */
static guint64
kib_of_spin (GtkWidget *spin,
             guint64    started_kib)
{
  guint64 mib = (guint64) MAX (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), 0);

  return mib == (started_kib + 512) / 1024 ? started_kib : mib * 1024;
}

static void
apply_memory (VmdDetailsPage         *page,
              const VmdMachineConfig *start,
              VmdEditFlags            flags,
              GAsyncReadyCallback     done,
              gpointer                done_data)
{
  VmdMemoryPage *self = VMD_MEMORY_PAGE (page);
  VmdMemoryFields base = vmd_memory_fields_of (start), mine;

  mine.max_kib = kib_of_spin (self->memory_max_spin, base.max_kib);
  mine.current_kib = kib_of_spin (self->memory_current_spin, base.current_kib);
  vmd_machine_details_set_memory_async (vmd_details_page_get_details (page), &base, &mine, flags,
                                        vmd_details_page_get_cancellable (page), done, done_data);
}

static const VmdFormClass memory_form_class = { fill_memory, memory_changes, apply_memory };

static void
activate_apply (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  VmdMemoryPage *self = user_data;

  vmd_details_form_apply (self->form, self->memory_form, VMD_EDIT_NONE);
}

static void
vmd_memory_page_config_changed (VmdDetailsPage         *page,
                                const VmdMachineConfig *config)
{
  g_autofree char *live = NULL;

  if (config->live_xml != NULL)
    live = g_strdup_printf (_("%" PRIu64 " MiB and %u vCPUs"), config->live_memory_kib / 1024,
                            config->live_vcpus);
  gtk_label_set_text (GTK_LABEL (VMD_MEMORY_PAGE (page)->memory_live_label), live != NULL ? live : _("Not running"));
}

static const GActionEntry actions[] = {
  { "apply", activate_apply },
};

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdMemoryPage, name)

static void
vmd_memory_page_class_init (VmdMemoryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  VMD_DETAILS_PAGE_CLASS (klass)->config_changed = vmd_memory_page_config_changed;
  g_type_ensure (VMD_TYPE_CONFLICT_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/details/vmd-memory-page.ui");
  BIND (conflict_bar); BIND (memory_current_spin); BIND (memory_max_spin); BIND (memory_live_label);
}

static void
vmd_memory_page_init (VmdMemoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_add_actions (VMD_DETAILS_PAGE (self), actions, G_N_ELEMENTS (actions));
  self->form = vmd_details_page_new_form (VMD_DETAILS_PAGE (self), VMD_CONFLICT_BAR (self->conflict_bar));
  self->memory_form = vmd_details_form_add (self->form, &memory_form_class);
  vmd_details_form_watch_spin (self->form, self->memory_form, self->memory_max_spin);
  vmd_details_form_watch_spin (self->form, self->memory_form, self->memory_current_spin);
}
