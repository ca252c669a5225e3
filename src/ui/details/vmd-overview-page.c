/* VmdOverviewPage: two forms (the name, applied alone by virDomainRename; the title and
 * description together) under one conflict bar; the rest shows the config as it comes. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-details-form.h"
#include "vmd-overview-page.h"

struct _VmdOverviewPage
{
  VmdDetailsPage  parent_instance;

  VmdDetailsForm *form;         /* the page's */
  guint           name_form;
  guint           title_form;
  gboolean        filling;      /* the autostart check set from the config, not by the user */

  GtkWidget *conflict_bar, *name_entry, *uuid_label, *state_label, *os_label;
  GtkWidget *emulator_label, *type_label, *machine_label, *firmware_label, *title_entry;
  GtkWidget *description_view, *autostart_check, *kvm_check, *kvm_note, *firmware_combo;
  VmdHostFacts *facts;          /* the machine's connection's, once known */
};

G_DEFINE_FINAL_TYPE (VmdOverviewPage, vmd_overview_page, VMD_TYPE_DETAILS_PAGE)

/* --- the name ----------------------------------------------------------------------------------- */

static void
fill_name (VmdDetailsPage         *page,
           const VmdMachineConfig *config)
{
  gtk_entry_set_text (GTK_ENTRY (VMD_OVERVIEW_PAGE (page)->name_entry), config->name != NULL ? config->name : "");
}

static char *
name_changes (const VmdMachineConfig *before,
              const VmdMachineConfig *after)
{
  return vmd_name_describe_change (before->name, after->name);
}

/* A rename is one call of its own, refused by libvirt while the machine runs. */
static void
apply_name (VmdDetailsPage         *page,
            const VmdMachineConfig *start,
            VmdEditFlags            flags,
            GAsyncReadyCallback     done,
            gpointer                done_data)
{
  vmd_machine_details_rename_async (vmd_details_page_get_details (page),
                                    gtk_entry_get_text (GTK_ENTRY (VMD_OVERVIEW_PAGE (page)->name_entry)),
                                    vmd_details_page_get_cancellable (page), done, done_data);
}

static const VmdFormClass name_form_class = { fill_name, name_changes, apply_name };

/* --- title and description ---------------------------------------------------------------------- */

static GtkTextBuffer *
description_buffer (VmdOverviewPage *self)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->description_view));
}

static void
fill_title (VmdDetailsPage         *page,
            const VmdMachineConfig *config)
{
  VmdOverviewPage *self = VMD_OVERVIEW_PAGE (page);

  gtk_entry_set_text (GTK_ENTRY (self->title_entry), config->title != NULL ? config->title : "");
  gtk_text_buffer_set_text (description_buffer (self), config->description != NULL ? config->description : "", -1);
}

static char *
title_changes (const VmdMachineConfig *before,
               const VmdMachineConfig *after)
{
  VmdTitleFields a = vmd_title_fields_of (before), b = vmd_title_fields_of (after);

  return vmd_title_fields_describe (&a, &b);
}

static void
apply_title (VmdDetailsPage         *page,
             const VmdMachineConfig *start,
             VmdEditFlags            flags,
             GAsyncReadyCallback     done,
             gpointer                done_data)
{
  VmdOverviewPage *self = VMD_OVERVIEW_PAGE (page);
  GtkTextIter first, last;
  g_autofree char *description = NULL;
  VmdTitleFields base = vmd_title_fields_of (start), mine;

  gtk_text_buffer_get_bounds (description_buffer (self), &first, &last);
  description = gtk_text_buffer_get_text (description_buffer (self), &first, &last, FALSE);
  mine = (VmdTitleFields) { gtk_entry_get_text (GTK_ENTRY (self->title_entry)), description };
  vmd_machine_details_set_title_async (vmd_details_page_get_details (page), &base, &mine, flags,
                                       vmd_details_page_get_cancellable (page), done, done_data);
}

static const VmdFormClass title_form_class = { fill_title, title_changes, apply_title };

/* --- what the page shows and nobody types ------------------------------------------------------- */

static void
vmd_overview_page_config_changed (VmdDetailsPage         *page,
                                  const VmdMachineConfig *config)
{
  VmdOverviewPage *self = VMD_OVERVIEW_PAGE (page);
  g_autofree char *type = g_strdup_printf ("%s (%s)", vmd_details_or_dash (config->domain_type),
                                           vmd_details_or_dash (config->arch));

  self->filling = TRUE;
  gtk_label_set_text (GTK_LABEL (self->uuid_label), vmd_details_or_dash (config->uuid));
  gtk_label_set_text (GTK_LABEL (self->os_label),
                      vmd_details_or_dash (config->os_name != NULL ? config->os_name : config->os_id));
  gtk_label_set_text (GTK_LABEL (self->emulator_label), vmd_details_or_dash (config->emulator));
  gtk_label_set_text (GTK_LABEL (self->type_label), type);
  gtk_label_set_text (GTK_LABEL (self->machine_label), vmd_details_or_dash (config->machine_type));
  gtk_label_set_text (GTK_LABEL (self->firmware_label), vmd_details_or_dash (config->firmware));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->autostart_check), config->autostart);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->kvm_check),
                                g_strcmp0 (config->domain_type, "kvm") == 0);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->firmware_combo),
                               !config->uefi ? "bios" : config->secure_boot ? "uefi-secure-boot" : "uefi");
  self->filling = FALSE;
}

/* --- KVM or emulation: the host facts' one answer, the user's choice -------------------------- */

/* Offered while the machine is off, where libvirt accepts kvm machines at all; an emulated
 * machine may always go back to emulation. */
static void
update_kvm_choice (VmdOverviewPage *self)
{
  VmdMachine *machine = vmd_details_page_get_machine (VMD_DETAILS_PAGE (self));
  gboolean kvm = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->kvm_check));
  gboolean offered = self->facts != NULL && vmd_host_facts_get_kvm_offered (self->facts);
  const char *note = self->facts != NULL ? vmd_host_facts_describe_kvm_choice (self->facts) : NULL;

  gtk_widget_set_sensitive (self->kvm_check, !vmd_machine_is_active (machine) && (offered || kvm));
  /* The firmware too changes only while the machine is off. */
  gtk_widget_set_sensitive (self->firmware_combo, !vmd_machine_is_active (machine));
  gtk_label_set_text (GTK_LABEL (self->kvm_note), note != NULL ? note : "");
  gtk_widget_set_visible (self->kvm_note, note != NULL);
}

static void
on_facts_known (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VmdOverviewPage) self = user_data;

  if (!vmd_host_facts_ensure_finish (VMD_HOST_FACTS (source), result, NULL))
    return;
  g_set_object (&self->facts, VMD_HOST_FACTS (source));
  update_kvm_choice (self);
}

static void
ask_host_facts (VmdOverviewPage *self)
{
  VmdMachine *machine = vmd_details_page_get_machine (VMD_DETAILS_PAGE (self));
  VmdConnection *connection = machine != NULL ? vmd_machine_get_connection (machine) : NULL;

  if (connection != NULL && self->facts == NULL)
    vmd_host_facts_ensure_async (vmd_connection_get_host_facts (connection), FALSE,
                                 vmd_details_page_get_cancellable (VMD_DETAILS_PAGE (self)),
                                 on_facts_known, g_object_ref (self));
}

static void
on_kvm_toggled (GtkToggleButton *button,
                VmdOverviewPage *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);

  if (self->filling)
    return;
  vmd_machine_details_set_kvm_async (vmd_details_page_get_details (page),
                                     gtk_toggle_button_get_active (button),
                                     vmd_details_page_get_cancellable (page),
                                     vmd_details_page_edit_done, g_object_ref (self));
}

/* From the next start, with UEFI variables made afresh for the new firmware. */
static void
on_firmware_changed (GtkComboBox     *combo,
                     VmdOverviewPage *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);
  const char *id = gtk_combo_box_get_active_id (combo);

  if (self->filling || id == NULL)
    return;
  vmd_machine_details_set_firmware_async (vmd_details_page_get_details (page), !g_str_equal (id, "bios"),
                                          g_str_equal (id, "uefi-secure-boot"),
                                          vmd_details_page_get_cancellable (page),
                                          vmd_details_page_edit_done, g_object_ref (self));
}

/* libvirt renames only a machine that is off. */
static void
vmd_overview_page_state_changed (VmdDetailsPage *page,
                                 VmdMachine     *machine)
{
  VmdOverviewPage *self = VMD_OVERVIEW_PAGE (page);

  gtk_label_set_text (GTK_LABEL (self->state_label), vmd_machine_state_to_label (vmd_machine_get_state (machine)));
  vmd_details_page_enable_action (page, "rename", !vmd_machine_is_active (machine));
  gtk_widget_set_sensitive (self->name_entry, !vmd_machine_is_active (machine));
  ask_host_facts (self);
  update_kvm_choice (self);
}

static void
activate_rename (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdOverviewPage *self = user_data;

  vmd_details_form_apply (self->form, self->name_form, VMD_EDIT_NONE);
}

static void
activate_apply_title (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  VmdOverviewPage *self = user_data;

  vmd_details_form_apply (self->form, self->title_form, VMD_EDIT_NONE);
}

static void
on_autostart_toggled (GtkToggleButton *button,
                      VmdOverviewPage *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);

  if (self->filling)
    return;
  vmd_machine_details_set_autostart_async (vmd_details_page_get_details (page), gtk_toggle_button_get_active (button),
                                           vmd_details_page_get_cancellable (page), vmd_details_page_edit_done,
                                           g_object_ref (self));
}

static const GActionEntry actions[] = {
  { "rename", activate_rename },
  { "apply-title", activate_apply_title },
};

/* --- GObject ------------------------------------------------------------------------------------ */

static void
vmd_overview_page_dispose (GObject *object)
{
  g_clear_object (&VMD_OVERVIEW_PAGE (object)->facts);
  G_OBJECT_CLASS (vmd_overview_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdOverviewPage, name)

static void
vmd_overview_page_class_init (VmdOverviewPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VmdDetailsPageClass *page_class = VMD_DETAILS_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_overview_page_dispose;
  page_class->config_changed = vmd_overview_page_config_changed;
  page_class->state_changed = vmd_overview_page_state_changed;
  g_type_ensure (VMD_TYPE_CONFLICT_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vmdesk/VmDesk/ui/details/vmd-overview-page.ui");
  BIND (conflict_bar); BIND (name_entry); BIND (uuid_label); BIND (state_label);
  BIND (os_label); BIND (emulator_label); BIND (type_label); BIND (machine_label); BIND (firmware_label);
  BIND (title_entry); BIND (description_view); BIND (autostart_check); BIND (kvm_check);
  BIND (kvm_note); BIND (firmware_combo);
  gtk_widget_class_bind_template_callback (widget_class, on_autostart_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_kvm_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_firmware_changed);
}

static void
vmd_overview_page_init (VmdOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_add_actions (VMD_DETAILS_PAGE (self), actions, G_N_ELEMENTS (actions));
  self->form = vmd_details_page_new_form (VMD_DETAILS_PAGE (self), VMD_CONFLICT_BAR (self->conflict_bar));
  self->name_form = vmd_details_form_add (self->form, &name_form_class);
  self->title_form = vmd_details_form_add (self->form, &title_form_class);
  vmd_details_form_watch (self->form, self->name_form, self->name_entry, "changed");
  vmd_details_form_watch (self->form, self->title_form, self->title_entry, "changed");
  vmd_details_form_watch (self->form, self->title_form, description_buffer (self), "changed");
}
