/* VmdDetailsWindow: the pages read VmdMachineDetails' config and call its async changes. The
 * config follows the machine, whoever changes it: this window, another client, a start or stop.
 * A form that holds no input is filled again from each new config; one that holds input the user
 * has not applied keeps it, and its page says "Changed elsewhere since you opened it" when the
 * fields it shows changed under it. Applying a form sends what it started from with what the
 * user made of it, so that only the fields the user changed are written; a field also changed
 * elsewhere makes the page ask. When libvirt refuses a change, its message shows and the form
 * stays as the user left it. The XML page is a VmdXmlEditor, which does the same for the whole
 * document. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "vmd-conflict-bar.h"
#include "vmd-connection.h"
#include "vmd-details-window.h"
#include "vmd-error.h"
#include "vmd-display-name.h"
#include "vmd-machine-details.h"
#include "vmd-xml-editor.h"

/* The forms that are applied with a button, each as a whole. */
typedef enum { FORM_NAME, FORM_TITLE, FORM_VCPUS, FORM_MEMORY, FORM_BOOT, N_FORMS } Form;

/* What a form knows of its input; its page's conflict bar speaks for it. */
typedef struct {
  VmdMachineConfig *started_from;  /* the config the form was last filled from */
  gboolean          edited;        /* holds input not applied yet: not refilled */
  gboolean          applying;
  gboolean          conflicted;    /* its Apply was refused: changed elsewhere meanwhile */
} FormState;

struct _VmdDetailsWindow
{
  GtkWindow          parent_instance;

  VmdMachineDetails *details;
  GCancellable      *cancellable;
  VmdConnection     *connection;     /* lists the machine; NULL when not known */
  char              *uuid;
  guint              gone_check_id;
  gboolean           filling;        /* setting widgets from the config, not the user */
  FormState          forms[N_FORMS];
  GtkWidget         *bars[N_FORMS];  /* the conflict bar of each form's page */

  GtkWidget *error_bar, *error_label, *note_bar, *note_label, *stack;
  GtkWidget *overview_bar, *vcpus_bar, *memory_bar, *boot_bar;
  GtkWidget *name_entry, *rename_button, *uuid_label, *state_label, *os_label, *emulator_label;
  GtkWidget *type_label, *machine_label, *firmware_label, *title_entry, *description_view;
  GtkWidget *autostart_check;
  GtkWidget *vcpus_current_spin, *vcpus_max_spin;
  GtkListStore *vcpu_store;
  GtkWidget *memory_current_spin, *memory_max_spin, *memory_live_label;
  GtkListStore *boot_store;
  GtkWidget *boot_view, *boot_menu_check, *kernel_entry, *initrd_entry, *cmdline_entry;
  GtkListStore *disk_store;
  GtkWidget *disk_view, *eject_button, *insert_button, *remove_disk_button;
  GtkListStore *nic_store;
  GtkWidget *nic_view;
  GtkListStore *snapshot_store;
  GtkWidget *snapshot_view, *snapshot_message, *create_snapshot_button;
  GtkWidget *revert_snapshot_button, *delete_snapshot_button;
  GtkWidget *xml_editor;
  GtkWidget *add_disk_dialog, *new_volume_radio, *pool_entry, *size_spin, *existing_chooser, *cdrom_check;
  GtkWidget *add_nic_dialog, *nic_type_combo, *nic_source_entry, *nic_model_entry;
  GtkWidget *snapshot_dialog, *snapshot_name_entry, *snapshot_description_entry, *snapshot_memory_label;
};

G_DEFINE_FINAL_TYPE (VmdDetailsWindow, vmd_details_window, GTK_TYPE_WINDOW)

/* Each form fills itself, says what changed between two configs in its fields, and applies. */
typedef struct {
  void  (*fill)    (VmdDetailsWindow *self, const VmdMachineConfig *config);
  char *(*changes) (const VmdMachineConfig *before, const VmdMachineConfig *after);
  void  (*apply)   (VmdDetailsWindow *self, VmdEditFlags flags);
} FormClass;

static const FormClass form_classes[N_FORMS];



enum { DISK_TARGET, DISK_DEVICE, DISK_PATH, DISK_FORMAT, DISK_BUS, DISK_SIZE };
enum { NIC_TYPE, NIC_SOURCE, NIC_MODEL, NIC_MAC, NIC_LINK, NIC_TAP };
enum { BOOT_ENABLED, BOOT_DEV, BOOT_LABEL };

static const struct { const char *dev; const char *label; } boot_devices[] = {
  { "hd",      N_("Hard disk") },
  { "cdrom",   N_("CD/DVD") },
  { "network", N_("Network (PXE)") },
  { "fd",      N_("Floppy") },
};

/* --- messages ---------------------------------------------------------------------------------- */

static void
show_error (VmdDetailsWindow *self,
            const char       *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_widget_show (self->error_bar);
}

static void
show_note (VmdDetailsWindow *self,
           const char       *message)
{
  gtk_label_set_text (GTK_LABEL (self->note_label), message);
  gtk_widget_show (self->note_bar);
}

static void
on_info_bar_response (GtkInfoBar       *bar,
                      int               response,
                      VmdDetailsWindow *self)
{
  gtk_widget_hide (GTK_WIDGET (bar));
}

/* Libvirt's refusal shows; its note (a change that waits for the next boot) too. */
static gboolean
report_edit (VmdDetailsWindow *self,
             GObject          *source,
             GAsyncResult     *result)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  if (!vmd_machine_details_edit_finish (VMD_MACHINE_DETAILS (source), result, &note, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return FALSE;
    }
  gtk_widget_hide (self->error_bar);
  if (note != NULL)
    show_note (self, note);
  return TRUE;
}

/* The callback of every change that is not a form's. */
static void
on_edit_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VmdDetailsWindow) self = user_data;

  report_edit (self, source, result);
}

/* --- forms: what the user typed is kept until applied ------------------------------------------ */

static void
mark_edited (VmdDetailsWindow *self,
             Form              form)
{
  if (!self->filling)
    self->forms[form].edited = TRUE;
}

/* Connected swapped: the widget's own arguments do not matter. */
static void on_name_input   (VmdDetailsWindow *self) { mark_edited (self, FORM_NAME); }
static void on_title_input  (VmdDetailsWindow *self) { mark_edited (self, FORM_TITLE); }
static void on_vcpus_input  (VmdDetailsWindow *self) { mark_edited (self, FORM_VCPUS); }
static void on_memory_input (VmdDetailsWindow *self) { mark_edited (self, FORM_MEMORY); }
static void on_boot_input   (VmdDetailsWindow *self) { mark_edited (self, FORM_BOOT); }

/* The form shows config, and starts from it. */
static void
refill_form (VmdDetailsWindow *self,
             Form              form)
{
  const VmdMachineConfig *config = vmd_machine_details_get_config (self->details);
  FormState *state = &self->forms[form];

  if (config == NULL)
    return;
  self->filling = TRUE;
  form_classes[form].fill (self, config);
  self->filling = FALSE;
  g_clear_pointer (&state->started_from, vmd_machine_config_unref);
  state->started_from = vmd_machine_config_ref ((VmdMachineConfig *) config);
}

/* What changed since the forms of bar's page were filled, in the fields of those that hold
 * input; asked about when an Apply of one of them was refused for it. */
static void
update_bar (VmdDetailsWindow *self,
            GtkWidget        *bar)
{
  const VmdMachineConfig *config = vmd_machine_details_get_config (self->details);
  g_autoptr(GString) changes = g_string_new (NULL);
  gboolean asking = FALSE;

  for (Form form = 0; form < N_FORMS && config != NULL; form++)
    {
      FormState *state = &self->forms[form];
      g_autofree char *described = NULL;

      if (self->bars[form] != bar || !state->edited || state->applying || state->started_from == NULL)
        continue;
      asking |= state->conflicted;
      if ((described = form_classes[form].changes (state->started_from, config)) != NULL)
        g_string_append_printf (changes, "%s%s", changes->len > 0 ? "\n" : "", described);
    }
  if (asking)
    vmd_conflict_bar_ask (VMD_CONFLICT_BAR (bar), changes->str, NULL);
  else if (changes->len > 0)
    vmd_conflict_bar_tell (VMD_CONFLICT_BAR (bar), changes->str, NULL);
  else
    vmd_conflict_bar_dismiss (VMD_CONFLICT_BAR (bar));
}

static void
update_bars (VmdDetailsWindow *self)
{
  GtkWidget *pages[] = { self->overview_bar, self->vcpus_bar, self->memory_bar, self->boot_bar };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    update_bar (self, pages[i]);
}

/* A new config: forms with no input show it; the others keep their input and their start. */
static void
follow_forms (VmdDetailsWindow *self)
{
  for (Form form = 0; form < N_FORMS; form++)
    if (!self->forms[form].edited && !self->forms[form].applying)
      refill_form (self, form);
  update_bars (self);
}

/* Reload or Take Theirs: the page's input goes, and it shows what libvirt holds. */
static void
on_bar_reload (VmdConflictBar   *bar,
               VmdDetailsWindow *self)
{
  for (Form form = 0; form < N_FORMS; form++)
    if (self->bars[form] == GTK_WIDGET (bar) && !self->forms[form].applying)
      {
        self->forms[form].edited = FALSE;
        self->forms[form].conflicted = FALSE;
        refill_form (self, form);
      }
  update_bars (self);
}

static void
on_bar_overwrite (VmdConflictBar   *bar,
                  VmdDetailsWindow *self)
{
  for (Form form = 0; form < N_FORMS; form++)
    if (self->bars[form] == GTK_WIDGET (bar) && self->forms[form].conflicted)
      form_classes[form].apply (self, VMD_EDIT_OVERWRITE);
}

/* Nothing applied; the input stays, and the bar goes back to saying what changed. */
static void
on_bar_cancel (VmdConflictBar   *bar,
               VmdDetailsWindow *self)
{
  for (Form form = 0; form < N_FORMS; form++)
    if (self->bars[form] == GTK_WIDGET (bar))
      self->forms[form].conflicted = FALSE;
  update_bars (self);
}

typedef struct {
  VmdDetailsWindow *self;
  Form              form;
} FormEdit;

/* The form keeps its input while libvirt works: a config arriving meanwhile does not refill it. */
static FormEdit *
begin_form_edit (VmdDetailsWindow *self,
                 Form              form)
{
  FormEdit *edit = g_new0 (FormEdit, 1);

  edit->self = g_object_ref (self);
  edit->form = form;
  self->forms[form].applying = TRUE;
  self->forms[form].conflicted = FALSE;
  update_bars (self);
  return edit;
}

/* Accepted: the form shows what libvirt made of it. Changed elsewhere: the page asks. Refused:
 * libvirt's message, and the input stays. */
static void
on_form_edit_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree FormEdit *edit = user_data;
  g_autoptr(VmdDetailsWindow) self = edit->self;
  FormState *state = &self->forms[edit->form];
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  state->applying = FALSE;
  if (vmd_machine_details_edit_finish (VMD_MACHINE_DETAILS (source), result, &note, &error))
    {
      gtk_widget_hide (self->error_bar);
      if (note != NULL)
        show_note (self, note);
      state->edited = FALSE;
      refill_form (self, edit->form);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (g_error_matches (error, VMD_ERROR, VMD_ERROR_CONFLICT))
    state->conflicted = TRUE;
  else
    show_error (self, error->message);
  update_bars (self);
}

/* NULL until the form was first filled: nothing to apply yet. */
static const VmdMachineConfig *
form_start (VmdDetailsWindow *self,
            Form              form)
{
  return self->forms[form].started_from;
}

/* --- filling the pages from the config --------------------------------------------------------- */

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "—";
}

static void
set_entry (GtkWidget  *entry,
           const char *text)
{
  gtk_entry_set_text (GTK_ENTRY (entry), text != NULL ? text : "");
}

/* What the Overview page shows and nobody types. */
static void
fill_overview (VmdDetailsWindow       *self,
               const VmdMachineConfig *config)
{
  VmdMachine *machine = vmd_machine_details_get_machine (self->details);
  g_autofree char *name = vmd_name_for_display (config->name);
  g_autofree char *title = g_strdup_printf (_("%s — Details"), name);
  g_autofree char *type = g_strdup_printf ("%s (%s)", or_dash (config->domain_type), or_dash (config->arch));

  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (GTK_LABEL (self->uuid_label), or_dash (config->uuid));
  gtk_label_set_text (GTK_LABEL (self->state_label), vmd_machine_state_to_label (vmd_machine_get_state (machine)));
  gtk_label_set_text (GTK_LABEL (self->os_label),
                      or_dash (config->os_name != NULL ? config->os_name : config->os_id));
  gtk_label_set_text (GTK_LABEL (self->emulator_label), or_dash (config->emulator));
  gtk_label_set_text (GTK_LABEL (self->type_label), type);
  gtk_label_set_text (GTK_LABEL (self->machine_label), or_dash (config->machine_type));
  gtk_label_set_text (GTK_LABEL (self->firmware_label), or_dash (config->firmware));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->autostart_check), config->autostart);
}

static void
fill_name_form (VmdDetailsWindow       *self,
                const VmdMachineConfig *config)
{
  set_entry (self->name_entry, config->name);
}

static void
fill_title_form (VmdDetailsWindow       *self,
                 const VmdMachineConfig *config)
{
  set_entry (self->title_entry, config->title);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->description_view)),
                            config->description != NULL ? config->description : "", -1);
}

static void
fill_vcpus_form (VmdDetailsWindow       *self,
                 const VmdMachineConfig *config)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->vcpus_max_spin), config->max_vcpus);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->vcpus_current_spin), config->current_vcpus);
}

static void
fill_memory_form (VmdDetailsWindow       *self,
                  const VmdMachineConfig *config)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->memory_max_spin), config->max_memory_kib / 1024.0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->memory_current_spin), config->current_memory_kib / 1024.0);
}

static void
fill_live (VmdDetailsWindow       *self,
           const VmdMachineConfig *config)
{
  g_autofree char *live = NULL;

  if (config->live_xml != NULL)
    live = g_strdup_printf (_("%" PRIu64 " MiB and %u vCPUs"), config->live_memory_kib / 1024,
                            config->live_vcpus);
  gtk_label_set_text (GTK_LABEL (self->memory_live_label), live != NULL ? live : _("Not running"));
}

static const char *
boot_label (const char *dev)
{
  for (guint i = 0; i < G_N_ELEMENTS (boot_devices); i++)
    if (g_str_equal (boot_devices[i].dev, dev))
      return _(boot_devices[i].label);
  return dev;
}

static void
fill_boot_form (VmdDetailsWindow       *self,
                const VmdMachineConfig *config)
{
  gtk_list_store_clear (self->boot_store);
  for (guint i = 0; config->boot_devices[i] != NULL; i++)
    gtk_list_store_insert_with_values (self->boot_store, NULL, -1, BOOT_ENABLED, TRUE,
                                       BOOT_DEV, config->boot_devices[i],
                                       BOOT_LABEL, boot_label (config->boot_devices[i]), -1);
  for (guint i = 0; i < G_N_ELEMENTS (boot_devices); i++)
    if (!g_strv_contains ((const char * const *) config->boot_devices, boot_devices[i].dev))
      gtk_list_store_insert_with_values (self->boot_store, NULL, -1, BOOT_ENABLED, FALSE,
                                         BOOT_DEV, boot_devices[i].dev,
                                         BOOT_LABEL, _(boot_devices[i].label), -1);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->boot_menu_check), config->boot_menu);
  set_entry (self->kernel_entry, config->kernel);
  set_entry (self->initrd_entry, config->initrd);
  set_entry (self->cmdline_entry, config->cmdline);
}

/* Sizes in IEC units (GiB), as the creation assistant asks for them. */
static void
fill_devices (VmdDetailsWindow       *self,
              const VmdMachineConfig *config)
{
  gtk_list_store_clear (self->disk_store);
  for (guint i = 0; i < config->disks->len; i++)
    {
      VmdDiskInfo *disk = config->disks->pdata[i];
      g_autofree char *size = disk->capacity > 0 ? g_format_size_full (disk->capacity, G_FORMAT_SIZE_IEC_UNITS)
                                                 : g_strdup ("—");

      gtk_list_store_insert_with_values (self->disk_store, NULL, -1, DISK_TARGET, disk->target,
                                         DISK_DEVICE, disk->device,
                                         DISK_PATH, disk->path != NULL ? disk->path : _("(empty)"),
                                         DISK_FORMAT, or_dash (disk->format), DISK_BUS, or_dash (disk->bus),
                                         DISK_SIZE, size, -1);
    }
  gtk_list_store_clear (self->nic_store);
  for (guint i = 0; i < config->nics->len; i++)
    {
      VmdNicInfo *nic = config->nics->pdata[i];

      gtk_list_store_insert_with_values (self->nic_store, NULL, -1, NIC_TYPE, nic->type,
                                         NIC_SOURCE, or_dash (nic->source), NIC_MODEL, or_dash (nic->model),
                                         NIC_MAC, nic->mac, NIC_LINK, nic->link_up ? _("up") : _("down"),
                                         NIC_TAP, or_dash (nic->tap), -1);
    }
}

static void
update_sensitivity (VmdDetailsWindow *self)
{
  const VmdMachineConfig *config = vmd_machine_details_get_config (self->details);
  VmdMachine *machine = vmd_machine_details_get_machine (self->details);
  g_autofree char *reason = NULL;
  gboolean can_snapshot;

  gtk_widget_set_sensitive (self->rename_button, !vmd_machine_is_active (machine));
  gtk_widget_set_sensitive (self->name_entry, !vmd_machine_is_active (machine));
  if (config == NULL)
    return;
  can_snapshot = vmd_machine_config_can_snapshot (config, &reason);
  gtk_widget_set_sensitive (self->create_snapshot_button, can_snapshot);
  gtk_label_set_text (GTK_LABEL (self->snapshot_message), reason != NULL ? reason : "");
  gtk_widget_set_visible (self->snapshot_message, !can_snapshot);
}

static void refresh_vcpus (VmdDetailsWindow *self);
static void refresh_snapshots (VmdDetailsWindow *self);

/* Every page that shows the definition follows it; the lists are read again too. */
static void
on_details_changed (VmdMachineDetails *details,
                    VmdDetailsWindow  *self)
{
  const VmdMachineConfig *config = vmd_machine_details_get_config (details);

  self->filling = TRUE;
  fill_overview (self, config);
  fill_live (self, config);
  fill_devices (self, config);
  self->filling = FALSE;
  follow_forms (self);
  update_sensitivity (self);
  refresh_vcpus (self);
  refresh_snapshots (self);
}

/* The details model reads the live half again by itself. */
static void
on_state_changed (VmdMachine       *machine,
                  GParamSpec       *pspec,
                  VmdDetailsWindow *self)
{
  gtk_label_set_text (GTK_LABEL (self->state_label), vmd_machine_state_to_label (vmd_machine_get_state (machine)));
  update_sensitivity (self);
}

/* Reload is asked for: libvirt's values replace whatever was typed. */
static void
on_reload_clicked (GtkButton        *button,
                   VmdDetailsWindow *self)
{
  for (Form form = 0; form < N_FORMS; form++)
    if (!self->forms[form].applying)
      {
        self->forms[form].edited = FALSE;
        self->forms[form].conflicted = FALSE;
      }
  vmd_machine_details_reload_async (self->details, self->cancellable, on_edit_done, g_object_ref (self));
}

/* --- lists read on demand: vCPUs and snapshots ------------------------------------------------ */

static void
on_vcpus_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VmdDetailsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vcpus = vmd_machine_details_list_vcpus_finish (VMD_MACHINE_DETAILS (source), result, &error);

  if (vcpus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  gtk_list_store_clear (self->vcpu_store);
  for (guint i = 0; i < vcpus->len; i++)
    {
      VmdVcpuInfo *vcpu = vcpus->pdata[i];
      g_autofree char *number = g_strdup_printf ("%u", vcpu->number);
      g_autofree char *cpu = vcpu->cpu >= 0 ? g_strdup_printf ("%d", vcpu->cpu) : g_strdup ("—");
      g_autofree char *time = vcpu->state != NULL ? g_strdup_printf (_("%.1f s"), vcpu->cpu_time_ns / 1e9)
                                                  : g_strdup ("—");

      gtk_list_store_insert_with_values (self->vcpu_store, NULL, -1, 0, number,
                                         1, vcpu->state != NULL ? vcpu->state : _("off"),
                                         2, cpu, 3, time, 4, vcpu->affinity, -1);
    }
}

static void
refresh_vcpus (VmdDetailsWindow *self)
{
  vmd_machine_details_list_vcpus_async (self->details, self->cancellable, on_vcpus_listed, g_object_ref (self));
}

static void
on_refresh_vcpus_clicked (GtkButton        *button,
                          VmdDetailsWindow *self)
{
  refresh_vcpus (self);
}

static void
on_snapshots_listed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(VmdDetailsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = vmd_machine_details_list_snapshots_finish (VMD_MACHINE_DETAILS (source), result, &error);

  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  gtk_list_store_clear (self->snapshot_store);
  for (guint i = 0; i < list->len; i++)
    {
      VmdSnapshotInfo *snapshot = list->pdata[i];
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (snapshot->creation_time);
      g_autofree char *taken = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S") : NULL;

      gtk_list_store_insert_with_values (self->snapshot_store, NULL, -1, 0, snapshot->name, 1, taken,
                                         2, or_dash (snapshot->state),
                                         3, snapshot->has_memory ? _("yes") : _("no"),
                                         4, snapshot->description != NULL ? snapshot->description : "",
                                         5, snapshot->current ? _("current") : "", -1);
    }
}

static void
refresh_snapshots (VmdDetailsWindow *self)
{
  vmd_machine_details_list_snapshots_async (self->details, self->cancellable, on_snapshots_listed,
                                            g_object_ref (self));
}

/* --- overview, vCPUs, memory, boot: what changed, and applying -------------------------------- */

static char *
name_changes (const VmdMachineConfig *before,
              const VmdMachineConfig *after)
{
  return vmd_name_describe_change (before->name, after->name);
}

static char *
title_changes (const VmdMachineConfig *before,
               const VmdMachineConfig *after)
{
  VmdTitleFields a = vmd_title_fields_of (before), b = vmd_title_fields_of (after);

  return vmd_title_fields_describe (&a, &b);
}

static char *
vcpus_changes (const VmdMachineConfig *before,
               const VmdMachineConfig *after)
{
  VmdVcpuFields a = vmd_vcpu_fields_of (before), b = vmd_vcpu_fields_of (after);

  return vmd_vcpu_fields_describe (&a, &b);
}

static char *
memory_changes (const VmdMachineConfig *before,
                const VmdMachineConfig *after)
{
  VmdMemoryFields a = vmd_memory_fields_of (before), b = vmd_memory_fields_of (after);

  return vmd_memory_fields_describe (&a, &b);
}

static char *
boot_changes (const VmdMachineConfig *before,
              const VmdMachineConfig *after)
{
  VmdBootSettings a = vmd_boot_settings_of (before), b = vmd_boot_settings_of (after);

  return vmd_boot_settings_describe (&a, &b);
}

/* A rename is one call of its own, refused by libvirt while the machine runs. */
static void
apply_name_form (VmdDetailsWindow *self,
                 VmdEditFlags      flags)
{
  if (form_start (self, FORM_NAME) == NULL)
    return;
  vmd_machine_details_rename_async (self->details, gtk_entry_get_text (GTK_ENTRY (self->name_entry)),
                                    self->cancellable, on_form_edit_done, begin_form_edit (self, FORM_NAME));
}

static void
apply_title_form (VmdDetailsWindow *self,
                  VmdEditFlags      flags)
{
  const VmdMachineConfig *start = form_start (self, FORM_TITLE);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->description_view));
  GtkTextIter first, last;
  g_autofree char *description = NULL;
  VmdTitleFields base, mine;

  if (start == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &first, &last);
  description = gtk_text_buffer_get_text (buffer, &first, &last, FALSE);
  base = vmd_title_fields_of (start);
  mine = (VmdTitleFields) { gtk_entry_get_text (GTK_ENTRY (self->title_entry)), description };
  vmd_machine_details_set_title_async (self->details, &base, &mine, flags, self->cancellable,
                                       on_form_edit_done, begin_form_edit (self, FORM_TITLE));
}

static void
apply_vcpus_form (VmdDetailsWindow *self,
                  VmdEditFlags      flags)
{
  const VmdMachineConfig *start = form_start (self, FORM_VCPUS);
  VmdVcpuFields base, mine;

  if (start == NULL)
    return;
  base = vmd_vcpu_fields_of (start);
  mine.max = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->vcpus_max_spin));
  mine.current = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->vcpus_current_spin));
  vmd_machine_details_set_vcpus_async (self->details, &base, &mine, flags, self->cancellable,
                                       on_form_edit_done, begin_form_edit (self, FORM_VCPUS));
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
apply_memory_form (VmdDetailsWindow *self,
                   VmdEditFlags      flags)
{
  const VmdMachineConfig *start = form_start (self, FORM_MEMORY);
  VmdMemoryFields base, mine;

  if (start == NULL)
    return;
  base = vmd_memory_fields_of (start);
  mine.max_kib = kib_of_spin (self->memory_max_spin, base.max_kib);
  mine.current_kib = kib_of_spin (self->memory_current_spin, base.current_kib);
  vmd_machine_details_set_memory_async (self->details, &base, &mine, flags, self->cancellable,
                                        on_form_edit_done, begin_form_edit (self, FORM_MEMORY));
}

static GStrv
checked_boot_devices (VmdDetailsWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkTreeModel *model = GTK_TREE_MODEL (self->boot_store);
  GtkTreeIter iter;

  for (gboolean ok = gtk_tree_model_get_iter_first (model, &iter); ok; ok = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *dev = NULL;
      gboolean enabled;

      gtk_tree_model_get (model, &iter, BOOT_ENABLED, &enabled, BOOT_DEV, &dev, -1);
      if (enabled)
        g_strv_builder_add (builder, dev);
    }
  return g_strv_builder_end (builder);
}

static void
apply_boot_form (VmdDetailsWindow *self,
                 VmdEditFlags      flags)
{
  const VmdMachineConfig *start = form_start (self, FORM_BOOT);
  g_auto(GStrv) devices = NULL;
  VmdBootSettings base, mine;

  if (start == NULL)
    return;
  devices = checked_boot_devices (self);
  base = vmd_boot_settings_of (start);
  mine.devices = (const char * const *) devices;
  mine.menu = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->boot_menu_check));
  mine.kernel = gtk_entry_get_text (GTK_ENTRY (self->kernel_entry));
  mine.initrd = gtk_entry_get_text (GTK_ENTRY (self->initrd_entry));
  mine.cmdline = gtk_entry_get_text (GTK_ENTRY (self->cmdline_entry));
  vmd_machine_details_set_boot_async (self->details, &base, &mine, flags, self->cancellable,
                                      on_form_edit_done, begin_form_edit (self, FORM_BOOT));
}

static const FormClass form_classes[N_FORMS] = {
  [FORM_NAME]   = { fill_name_form,   name_changes,   apply_name_form },
  [FORM_TITLE]  = { fill_title_form,  title_changes,  apply_title_form },
  [FORM_VCPUS]  = { fill_vcpus_form,  vcpus_changes,  apply_vcpus_form },
  [FORM_MEMORY] = { fill_memory_form, memory_changes, apply_memory_form },
  [FORM_BOOT]   = { fill_boot_form,   boot_changes,   apply_boot_form },
};

static void
on_rename_clicked (GtkButton        *button,
                   VmdDetailsWindow *self)
{
  apply_name_form (self, VMD_EDIT_NONE);
}

static void
on_apply_title_clicked (GtkButton        *button,
                        VmdDetailsWindow *self)
{
  apply_title_form (self, VMD_EDIT_NONE);
}

static void
on_autostart_toggled (GtkToggleButton  *button,
                      VmdDetailsWindow *self)
{
  if (self->filling)
    return;
  vmd_machine_details_set_autostart_async (self->details, gtk_toggle_button_get_active (button),
                                           self->cancellable, on_edit_done, g_object_ref (self));
}

static void
on_apply_vcpus_clicked (GtkButton        *button,
                        VmdDetailsWindow *self)
{
  apply_vcpus_form (self, VMD_EDIT_NONE);
}

static void
on_apply_memory_clicked (GtkButton        *button,
                         VmdDetailsWindow *self)
{
  apply_memory_form (self, VMD_EDIT_NONE);
}

static void
on_boot_toggled (GtkCellRendererToggle *renderer,
                 const char            *path,
                 VmdDetailsWindow      *self)
{
  GtkTreeIter iter;
  gboolean enabled;

  if (!gtk_tree_model_get_iter_from_string (GTK_TREE_MODEL (self->boot_store), &iter, path))
    return;
  gtk_tree_model_get (GTK_TREE_MODEL (self->boot_store), &iter, BOOT_ENABLED, &enabled, -1);
  gtk_list_store_set (self->boot_store, &iter, BOOT_ENABLED, !enabled, -1);
  mark_edited (self, FORM_BOOT);
}

static void
move_boot_row (VmdDetailsWindow *self,
               gboolean          up)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (GTK_TREE_VIEW (self->boot_view));
  GtkTreeIter iter, other;

  if (!gtk_tree_selection_get_selected (selection, NULL, &iter))
    return;
  other = iter;
  if (up ? gtk_tree_model_iter_previous (GTK_TREE_MODEL (self->boot_store), &other)
         : gtk_tree_model_iter_next (GTK_TREE_MODEL (self->boot_store), &other))
    {
      gtk_list_store_swap (self->boot_store, &iter, &other);
      mark_edited (self, FORM_BOOT);
    }
}

static void
on_boot_up_clicked (GtkButton        *button,
                    VmdDetailsWindow *self)
{
  move_boot_row (self, TRUE);
}

static void
on_boot_down_clicked (GtkButton        *button,
                      VmdDetailsWindow *self)
{
  move_boot_row (self, FALSE);
}

static void
on_apply_boot_clicked (GtkButton        *button,
                       VmdDetailsWindow *self)
{
  apply_boot_form (self, VMD_EDIT_NONE);
}

/* --- disks and CDs ----------------------------------------------------------------------------- */

/* The selected row's text in column, or NULL. */
static char *
selected_text (GtkWidget *view,
               int        column)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (GTK_TREE_VIEW (view));
  GtkTreeModel *model;
  GtkTreeIter iter;
  char *text = NULL;

  if (gtk_tree_selection_get_selected (selection, &model, &iter))
    gtk_tree_model_get (model, &iter, column, &text, -1);
  return text;
}

static void
on_disk_selection_changed (GtkTreeSelection *selection,
                           VmdDetailsWindow *self)
{
  g_autofree char *device = selected_text (self->disk_view, DISK_DEVICE);
  gboolean removable = g_strcmp0 (device, "cdrom") == 0 || g_strcmp0 (device, "floppy") == 0;

  gtk_widget_set_sensitive (self->eject_button, removable);
  gtk_widget_set_sensitive (self->insert_button, removable);
  gtk_widget_set_sensitive (self->remove_disk_button, device != NULL);
}

static void
on_add_disk_clicked (GtkButton        *button,
                     VmdDetailsWindow *self)
{
  gtk_window_set_transient_for (GTK_WINDOW (self->add_disk_dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (self->add_disk_dialog));
}

static void
on_add_disk_response (GtkDialog        *dialog,
                      int               response,
                      VmdDetailsWindow *self)
{
  g_autofree char *path = NULL;
  gboolean cdrom = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->cdrom_check));
  gboolean new_volume = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->new_volume_radio));
  VmdNewDisk disk = { cdrom ? "cdrom" : "disk", NULL, NULL, NULL, NULL, 0 };

  gtk_widget_hide (GTK_WIDGET (dialog));
  if (response != GTK_RESPONSE_OK)
    return;
  if (!new_volume || cdrom)
    {
      path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (self->existing_chooser));
      if (path == NULL && !cdrom)
        {
          show_error (self, _("Choose the disk image to add"));
          return;
        }
    }
  disk.path = path;
  disk.pool = gtk_entry_get_text (GTK_ENTRY (self->pool_entry));
  disk.capacity = (guint64) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->size_spin)) << 30;
  vmd_machine_details_add_disk_async (self->details, &disk, self->cancellable, on_edit_done, g_object_ref (self));
}

static void
on_remove_disk_response (GtkDialog        *dialog,
                         int               response,
                         VmdDetailsWindow *self)
{
  GtkWidget *check = g_object_get_data (G_OBJECT (dialog), "delete-check");
  const char *target = g_object_get_data (G_OBJECT (dialog), "target");

  if (response == GTK_RESPONSE_ACCEPT)
    vmd_machine_details_remove_disk_async (self->details, target,
                                           check != NULL && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (check)),
                                           self->cancellable, on_edit_done, g_object_ref (self));
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static GtkWidget *
confirm_dialog (VmdDetailsWindow *self,
                const char       *question,
                const char       *detail,
                const char       *action_label,
                gboolean          destructive)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", question);
  GtkWidget *button;

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", detail);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), action_label, GTK_RESPONSE_ACCEPT);
  if (destructive)
    gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  return dialog;
}

static void
on_remove_disk_clicked (GtkButton        *button,
                        VmdDetailsWindow *self)
{
  g_autofree char *target = selected_text (self->disk_view, DISK_TARGET);
  g_autofree char *device = selected_text (self->disk_view, DISK_DEVICE);
  g_autofree char *question = NULL;
  GtkWidget *dialog;

  if (target == NULL)
    return;
  question = g_strdup_printf (_("Remove %s from the machine?"), target);
  dialog = confirm_dialog (self, question, _("The guest loses the device."), _("_Remove"), TRUE);
  if (g_strcmp0 (device, "disk") == 0)
    {
      GtkWidget *check = gtk_check_button_new_with_mnemonic (_("Also _delete its volume (never one another machine uses)"));

      atk_object_set_name (gtk_widget_get_accessible (check), _("Also delete its volume"));
      gtk_widget_show (check);
      gtk_container_add (GTK_CONTAINER (gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog))), check);
      g_object_set_data (G_OBJECT (dialog), "delete-check", check);
    }
  g_object_set_data_full (G_OBJECT (dialog), "target", g_steal_pointer (&target), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_disk_response), self, 0);
  gtk_widget_show (dialog);
}

static void
on_eject_clicked (GtkButton        *button,
                  VmdDetailsWindow *self)
{
  g_autofree char *target = selected_text (self->disk_view, DISK_TARGET);

  if (target != NULL)
    vmd_machine_details_change_media_async (self->details, target, NULL, self->cancellable, on_edit_done,
                                            g_object_ref (self));
}

static void
on_iso_chosen (GtkNativeDialog  *chooser,
               int               response,
               VmdDetailsWindow *self)
{
  g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));
  const char *target = g_object_get_data (G_OBJECT (chooser), "target");

  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    vmd_machine_details_change_media_async (self->details, target, path, self->cancellable, on_edit_done,
                                            g_object_ref (self));
  g_object_unref (chooser);
}

static void
on_insert_clicked (GtkButton        *button,
                   VmdDetailsWindow *self)
{
  g_autofree char *target = selected_text (self->disk_view, DISK_TARGET);
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;

  if (target == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Insert an ISO Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Insert"), _("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("ISO images"));
  gtk_file_filter_add_pattern (filter, "*.iso");
  gtk_file_filter_add_pattern (filter, "*.ISO");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data_full (G_OBJECT (chooser), "target", g_steal_pointer (&target), g_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_iso_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- network interfaces ------------------------------------------------------------------------ */

static void
on_add_nic_clicked (GtkButton        *button,
                    VmdDetailsWindow *self)
{
  gtk_window_set_transient_for (GTK_WINDOW (self->add_nic_dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (self->add_nic_dialog));
}

static void
on_add_nic_response (GtkDialog        *dialog,
                     int               response,
                     VmdDetailsWindow *self)
{
  const char *model = gtk_entry_get_text (GTK_ENTRY (self->nic_model_entry));

  gtk_widget_hide (GTK_WIDGET (dialog));
  if (response != GTK_RESPONSE_OK)
    return;
  vmd_machine_details_add_nic_async (self->details, gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->nic_type_combo)),
                                     gtk_entry_get_text (GTK_ENTRY (self->nic_source_entry)),
                                     *model != '\0' ? model : NULL,
                                     self->cancellable, on_edit_done, g_object_ref (self));
}

static void
on_remove_nic_clicked (GtkButton        *button,
                       VmdDetailsWindow *self)
{
  g_autofree char *mac = selected_text (self->nic_view, NIC_MAC);

  if (mac != NULL)
    vmd_machine_details_remove_nic_async (self->details, mac, self->cancellable, on_edit_done,
                                          g_object_ref (self));
}

static void
on_link_clicked (GtkButton        *button,
                 VmdDetailsWindow *self)
{
  g_autofree char *mac = selected_text (self->nic_view, NIC_MAC);
  const VmdMachineConfig *config = vmd_machine_details_get_config (self->details);
  const VmdNicInfo *nic = mac != NULL && config != NULL ? vmd_machine_config_find_nic (config, mac) : NULL;

  if (nic != NULL)
    vmd_machine_details_set_link_async (self->details, mac, !nic->link_up, self->cancellable, on_edit_done,
                                        g_object_ref (self));
}

/* --- snapshots --------------------------------------------------------------------------------- */

/* Revert and Delete act on the selected snapshot: off until there is one. */
static void
on_snapshot_selection_changed (GtkTreeSelection *selection,
                               VmdDetailsWindow *self)
{
  gboolean selected = gtk_tree_selection_get_selected (selection, NULL, NULL);

  gtk_widget_set_sensitive (self->revert_snapshot_button, selected);
  gtk_widget_set_sensitive (self->delete_snapshot_button, selected);
}

static void
on_create_snapshot_clicked (GtkButton        *button,
                            VmdDetailsWindow *self)
{
  gboolean running = vmd_machine_is_active (vmd_machine_details_get_machine (self->details));

  gtk_label_set_text (GTK_LABEL (self->snapshot_memory_label),
                      running ? _("The machine runs: its memory is saved with its disks, and reverting "
                                  "brings it back running where it was.")
                              : _("The machine is off: its disks are saved."));
  set_entry (self->snapshot_name_entry, NULL);
  set_entry (self->snapshot_description_entry, NULL);
  gtk_window_set_transient_for (GTK_WINDOW (self->snapshot_dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (self->snapshot_dialog));
}

static void
on_snapshot_response (GtkDialog        *dialog,
                      int               response,
                      VmdDetailsWindow *self)
{
  gtk_widget_hide (GTK_WIDGET (dialog));
  if (response != GTK_RESPONSE_OK)
    return;
  vmd_machine_details_create_snapshot_async (self->details,
                                             gtk_entry_get_text (GTK_ENTRY (self->snapshot_name_entry)),
                                             gtk_entry_get_text (GTK_ENTRY (self->snapshot_description_entry)),
                                             self->cancellable, on_edit_done, g_object_ref (self));
}

static void
on_snapshot_confirmed (GtkDialog        *dialog,
                       int               response,
                       VmdDetailsWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "snapshot");

  if (response == GTK_RESPONSE_ACCEPT && g_object_get_data (G_OBJECT (dialog), "revert") != NULL)
    vmd_machine_details_revert_snapshot_async (self->details, name, self->cancellable, on_edit_done,
                                               g_object_ref (self));
  else if (response == GTK_RESPONSE_ACCEPT)
    vmd_machine_details_delete_snapshot_async (self->details, name, self->cancellable, on_edit_done,
                                               g_object_ref (self));
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
confirm_snapshot_action (VmdDetailsWindow *self,
                         gboolean          revert)
{
  g_autofree char *name = selected_text (self->snapshot_view, 0);
  g_autofree char *question = NULL;
  GtkWidget *dialog;

  if (name == NULL)
    return;
  if (revert)
    {
      question = g_strdup_printf (_("Revert “%s” to the snapshot “%s”?"),
                                  vmd_machine_get_name (vmd_machine_details_get_machine (self->details)), name);
      dialog = confirm_dialog (self, question, _("Everything that changed in the machine since the snapshot "
                                                 "was taken is lost."), _("_Revert"), TRUE);
      g_object_set_data (G_OBJECT (dialog), "revert", GINT_TO_POINTER (1));
    }
  else
    {
      question = g_strdup_printf (_("Delete the snapshot “%s”?"), name);
      dialog = confirm_dialog (self, question, _("The machine stays as it is now."), _("_Delete"), TRUE);
    }
  g_object_set_data_full (G_OBJECT (dialog), "snapshot", g_steal_pointer (&name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_snapshot_confirmed), self, 0);
  gtk_widget_show (dialog);
}

static void
on_revert_snapshot_clicked (GtkButton        *button,
                            VmdDetailsWindow *self)
{
  confirm_snapshot_action (self, TRUE);
}

static void
on_delete_snapshot_clicked (GtkButton        *button,
                            VmdDetailsWindow *self)
{
  confirm_snapshot_action (self, FALSE);
}

static void
on_close_confirmed (GtkDialog        *dialog,
                    int               response,
                    VmdDetailsWindow *self)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response != GTK_RESPONSE_ACCEPT)
    return;
  vmd_xml_editor_discard_edits (VMD_XML_EDITOR (self->xml_editor));
  gtk_window_close (GTK_WINDOW (self));
}

/* Closing never drops unapplied XML without asking. */
static gboolean
vmd_details_window_delete_event (GtkWidget   *widget,
                                 GdkEventAny *event)
{
  VmdDetailsWindow *self = VMD_DETAILS_WINDOW (widget);
  GtkWidget *dialog;

  if (!vmd_xml_editor_has_unapplied_edits (VMD_XML_EDITOR (self->xml_editor)))
    return GDK_EVENT_PROPAGATE;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "xml");
  dialog = confirm_dialog (self, _("Discard your changes to the XML?"),
                           _("They have not been applied to the machine."), _("_Discard"), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_confirmed), self, 0);
  gtk_widget_show (dialog);
  return GDK_EVENT_STOP;
}

/* --- finding the machine for --show-details ---------------------------------------------------- */

typedef struct {
  GtkApplication *application;
  GListModel     *connections;
  char           *name;
  GPtrArray      *watched;   /* connections whose state we follow */
  gboolean        done;
} NameLookup;

static void
name_lookup_free (NameLookup *lookup)
{
  g_object_unref (lookup->application);
  g_object_unref (lookup->connections);
  g_free (lookup->name);
  g_ptr_array_unref (lookup->watched);
  g_free (lookup);
}

static void on_connection_state (VmdConnection *connection, GParamSpec *pspec, NameLookup *lookup);

/* Looks in every connection; when all have settled and none knows the name, says so. */
static void
try_lookup (NameLookup *lookup)
{
  guint n = g_list_model_get_n_items (lookup->connections);
  gboolean pending = FALSE;

  for (guint i = 0; i < n && !lookup->done; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (lookup->connections, i);
      VmdConnectionState state = vmd_connection_get_state (connection);
      VmdMachine *machine = vmd_connection_find_machine (connection, lookup->name);

      if (machine != NULL)
        {
          vmd_details_window_present (lookup->application, connection, machine);
          lookup->done = TRUE;
        }
      else if (state == VMD_CONNECTION_STATE_CONNECTING || state == VMD_CONNECTION_STATE_DISCONNECTED)
        pending = TRUE;
    }
  if (!lookup->done && !pending)
    {
      g_printerr (_("vmdesk: no machine named “%s”\n"), lookup->name);
      lookup->done = TRUE;
    }
  if (lookup->done)
    {
      for (guint i = 0; i < lookup->watched->len; i++)
        g_signal_handlers_disconnect_by_func (lookup->watched->pdata[i], on_connection_state, lookup);
      name_lookup_free (lookup);
    }
}

static void
on_connection_state (VmdConnection *connection,
                     GParamSpec    *pspec,
                     NameLookup    *lookup)
{
  try_lookup (lookup);
}

/* --show-details NAME: the connections may still be opening. */
void
vmd_details_window_show_by_name (GtkApplication *application,
                                 GListModel     *connections,
                                 const char     *name)
{
  NameLookup *lookup = g_new0 (NameLookup, 1);
  guint n = g_list_model_get_n_items (connections);

  lookup->application = g_object_ref (application);
  lookup->connections = g_object_ref (connections);
  lookup->name = g_strdup (name);
  lookup->watched = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      VmdConnection *connection = g_list_model_get_item (connections, i);

      g_signal_connect (connection, "notify::state", G_CALLBACK (on_connection_state), lookup);
      g_ptr_array_add (lookup->watched, connection);
    }
  try_lookup (lookup);
}

/* --- following the machine: deleted, or replaced when the daemon comes back ------------------- */

/* Pages, lists and pending calls move to machine (a new object for the same domain, or the
 * first); what the user typed and did not apply stays in the forms. */
static void
follow_machine (VmdDetailsWindow *self,
                VmdMachine       *machine)
{
  if (self->details != NULL)
    {
      g_signal_handlers_disconnect_by_data (vmd_machine_details_get_machine (self->details), self);
      g_signal_handlers_disconnect_by_data (self->details, self);
      g_cancellable_cancel (self->cancellable);
      g_set_object (&self->cancellable, g_cancellable_new ());
      g_clear_object (&self->details);
    }
  self->details = vmd_machine_details_new (machine);
  g_signal_connect_object (self->details, "changed", G_CALLBACK (on_details_changed), self, 0);
  g_signal_connect_object (machine, "notify::state", G_CALLBACK (on_state_changed), self, 0);
  vmd_xml_editor_set_details (VMD_XML_EDITOR (self->xml_editor), self->details);
  gtk_widget_set_sensitive (self->stack, TRUE);
  gtk_widget_hide (self->note_bar);
  update_sensitivity (self);
  vmd_machine_details_reload_async (self->details, self->cancellable, on_edit_done, g_object_ref (self));
}

/* From an idle: a lost connection empties its list before it says it is lost. */
static gboolean
on_gone_check (gpointer user_data)
{
  VmdDetailsWindow *self = user_data;

  self->gone_check_id = 0;
  if (vmd_connection_find_machine_by_uuid (self->connection, self->uuid) != NULL)
    return G_SOURCE_REMOVE;
  if (vmd_connection_get_state (self->connection) == VMD_CONNECTION_STATE_CONNECTED)
    {
      /* Deleted: there is nothing left to show or to change. */
      gtk_widget_destroy (GTK_WIDGET (self));
      return G_SOURCE_REMOVE;
    }
  gtk_widget_set_sensitive (self->stack, FALSE);
  show_note (self, _("The connection to libvirt was lost. The details come back with it."));
  return G_SOURCE_REMOVE;
}

static void
on_machines_changed (GListModel       *machines,
                     guint             position,
                     guint             removed,
                     guint             added,
                     VmdDetailsWindow *self)
{
  VmdMachine *machine = vmd_connection_find_machine_by_uuid (self->connection, self->uuid);

  if (machine == vmd_machine_details_get_machine (self->details))
    return;
  if (machine != NULL)
    {
      follow_machine (self, machine);
      return;
    }
  if (self->gone_check_id == 0)
    self->gone_check_id = g_idle_add (on_gone_check, self);
}

/* --- GObject ----------------------------------------------------------------------------------- */

static void
vmd_details_window_dispose (GObject *object)
{
  VmdDetailsWindow *self = VMD_DETAILS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* Toplevels of the template are not the window's children: they go with it. */
  g_clear_pointer (&self->add_disk_dialog, gtk_widget_destroy);
  g_clear_pointer (&self->add_nic_dialog, gtk_widget_destroy);
  g_clear_pointer (&self->snapshot_dialog, gtk_widget_destroy);
  g_clear_object (&self->details);
  g_clear_object (&self->connection);
  g_clear_handle_id (&self->gone_check_id, g_source_remove);
  g_clear_pointer (&self->uuid, g_free);
  for (Form form = 0; form < N_FORMS; form++)
    g_clear_pointer (&self->forms[form].started_from, vmd_machine_config_unref);
  G_OBJECT_CLASS (vmd_details_window_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdDetailsWindow, name)
#define CALLBACK(name) gtk_widget_class_bind_template_callback (widget_class, name)

static void
vmd_details_window_class_init (VmdDetailsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_details_window_dispose;
  widget_class->delete_event = vmd_details_window_delete_event;
  g_type_ensure (VMD_TYPE_XML_EDITOR);
  g_type_ensure (VMD_TYPE_CONFLICT_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-details-window.ui");
  BIND (error_bar); BIND (error_label); BIND (note_bar); BIND (note_label); BIND (stack);
  BIND (overview_bar); BIND (vcpus_bar); BIND (memory_bar); BIND (boot_bar);
  BIND (name_entry); BIND (rename_button); BIND (uuid_label); BIND (state_label); BIND (os_label);
  BIND (emulator_label); BIND (type_label); BIND (machine_label); BIND (firmware_label);
  BIND (title_entry); BIND (description_view); BIND (autostart_check);
  BIND (vcpus_current_spin); BIND (vcpus_max_spin); BIND (vcpu_store);
  BIND (memory_current_spin); BIND (memory_max_spin); BIND (memory_live_label);
  BIND (boot_store); BIND (boot_view); BIND (boot_menu_check); BIND (kernel_entry); BIND (initrd_entry);
  BIND (cmdline_entry);
  BIND (disk_store); BIND (disk_view); BIND (eject_button); BIND (insert_button); BIND (remove_disk_button);
  BIND (nic_store); BIND (nic_view);
  BIND (snapshot_store); BIND (snapshot_view); BIND (snapshot_message); BIND (create_snapshot_button);
  BIND (revert_snapshot_button); BIND (delete_snapshot_button);
  BIND (xml_editor);
  BIND (add_disk_dialog); BIND (new_volume_radio); BIND (pool_entry); BIND (size_spin);
  BIND (existing_chooser); BIND (cdrom_check);
  BIND (add_nic_dialog); BIND (nic_type_combo); BIND (nic_source_entry); BIND (nic_model_entry);
  BIND (snapshot_dialog); BIND (snapshot_name_entry); BIND (snapshot_description_entry);
  BIND (snapshot_memory_label);
  CALLBACK (on_info_bar_response); CALLBACK (on_reload_clicked);
  CALLBACK (on_bar_reload); CALLBACK (on_bar_overwrite); CALLBACK (on_bar_cancel);
  CALLBACK (on_autostart_toggled); CALLBACK (on_boot_toggled);
  CALLBACK (on_rename_clicked);
  CALLBACK (on_apply_title_clicked);
  CALLBACK (on_apply_vcpus_clicked);
  CALLBACK (on_refresh_vcpus_clicked);
  CALLBACK (on_apply_memory_clicked);
  CALLBACK (on_boot_up_clicked);
  CALLBACK (on_boot_down_clicked);
  CALLBACK (on_apply_boot_clicked);
  CALLBACK (on_add_disk_clicked);
  CALLBACK (on_remove_disk_clicked);
  CALLBACK (on_eject_clicked);
  CALLBACK (on_insert_clicked);
  CALLBACK (on_add_nic_clicked);
  CALLBACK (on_remove_nic_clicked);
  CALLBACK (on_link_clicked);
  CALLBACK (on_create_snapshot_clicked);
  CALLBACK (on_revert_snapshot_clicked);
  CALLBACK (on_delete_snapshot_clicked);
  gtk_widget_class_bind_template_callback_full (widget_class, "gtk_widget_hide_on_delete",
                                                G_CALLBACK (gtk_widget_hide_on_delete));
}

static void
connect_dialogs (VmdDetailsWindow *self)
{
  g_signal_connect_object (self->add_disk_dialog, "response", G_CALLBACK (on_add_disk_response), self, 0);
  g_signal_connect_object (self->add_nic_dialog, "response", G_CALLBACK (on_add_nic_response), self, 0);
  g_signal_connect_object (self->snapshot_dialog, "response", G_CALLBACK (on_snapshot_response), self, 0);
  g_signal_connect_object (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->disk_view)), "changed",
                           G_CALLBACK (on_disk_selection_changed), self, 0);
  g_signal_connect_object (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->snapshot_view)), "changed",
                           G_CALLBACK (on_snapshot_selection_changed), self, 0);
}

static void
watch_form_input (VmdDetailsWindow *self,
                  gpointer          widget,
                  const char       *signal,
                  GCallback         on_input)
{
  g_signal_connect_object (widget, signal, on_input, self, G_CONNECT_SWAPPED);
}

/* A spin button's text counts as soon as it is typed, not only once it is parsed on leaving:
 * a config arriving meanwhile must not wipe it. */
static void
watch_spin_input (VmdDetailsWindow *self,
                  GtkWidget        *spin,
                  GCallback         on_input)
{
  watch_form_input (self, spin, "value-changed", on_input);
  watch_form_input (self, spin, "changed", on_input);
}

static void
watch_forms (VmdDetailsWindow *self)
{
  self->bars[FORM_NAME] = self->bars[FORM_TITLE] = self->overview_bar;
  self->bars[FORM_VCPUS] = self->vcpus_bar;
  self->bars[FORM_MEMORY] = self->memory_bar;
  self->bars[FORM_BOOT] = self->boot_bar;
  watch_form_input (self, self->name_entry, "changed", G_CALLBACK (on_name_input));
  watch_form_input (self, self->title_entry, "changed", G_CALLBACK (on_title_input));
  watch_form_input (self, gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->description_view)), "changed",
                    G_CALLBACK (on_title_input));
  watch_spin_input (self, self->vcpus_max_spin, G_CALLBACK (on_vcpus_input));
  watch_spin_input (self, self->vcpus_current_spin, G_CALLBACK (on_vcpus_input));
  watch_spin_input (self, self->memory_max_spin, G_CALLBACK (on_memory_input));
  watch_spin_input (self, self->memory_current_spin, G_CALLBACK (on_memory_input));
  watch_form_input (self, self->boot_menu_check, "toggled", G_CALLBACK (on_boot_input));
  watch_form_input (self, self->kernel_entry, "changed", G_CALLBACK (on_boot_input));
  watch_form_input (self, self->initrd_entry, "changed", G_CALLBACK (on_boot_input));
  watch_form_input (self, self->cmdline_entry, "changed", G_CALLBACK (on_boot_input));
}

static void
vmd_details_window_init (VmdDetailsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  connect_dialogs (self);
  watch_forms (self);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->nic_type_combo), "network");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->size_spin), 10);
  gtk_widget_set_sensitive (self->eject_button, FALSE);
  gtk_widget_set_sensitive (self->insert_button, FALSE);
  gtk_widget_set_sensitive (self->remove_disk_button, FALSE);
}

/* One window per machine: a second request presents the open one. */
GtkWidget *
vmd_details_window_present (GtkApplication *application,
                            VmdConnection  *connection,
                            VmdMachine     *machine)
{
  VmdDetailsWindow *self;

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (VMD_IS_DETAILS_WINDOW (l->data) &&
        vmd_machine_details_get_machine (VMD_DETAILS_WINDOW (l->data)->details) == machine)
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return l->data;
      }
  self = g_object_new (VMD_TYPE_DETAILS_WINDOW, "application", application, NULL);
  self->uuid = g_strdup (vmd_machine_get_uuid (machine));
  follow_machine (self, machine);
  if (connection != NULL)
    {
      self->connection = g_object_ref (connection);
      g_signal_connect_object (vmd_connection_get_machines (connection), "items-changed",
                               G_CALLBACK (on_machines_changed), self, 0);
    }
  gtk_window_present (GTK_WINDOW (self));
  return GTK_WIDGET (self);
}
