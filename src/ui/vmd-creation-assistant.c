/* VmdCreationAssistant: six pages whose widgets are bound to a VmdMachineSpec (-bindings.c),
 * whose checks decide whether Forward is on and what is written beside each field, following its
 * "changed"; VmdInstaller then makes the machine from a copy of it taken at Finish, started
 * paused until its console is attached (VmdFirstBoot). Everything slow (the OS database, reading
 * the ISO, asking libvirt about the host) runs off the main loop, so the assistant shows at once
 * and fills itself in.
 *
 * Its own buttons, as virt-manager's: Forward on every page but the last, Finish only there
 * (once every page is complete), Back, and Cancel, which asks first when anything was typed. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "vmd-creation-assistant-private.h"

G_DEFINE_FINAL_TYPE (VmdCreationAssistant, vmd_creation_assistant, GTK_TYPE_ASSISTANT)

enum { MACHINE_CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_message (GtkWidget  *label,
             const char *text,
             gboolean    is_error)
{
  GtkStyleContext *style = gtk_widget_get_style_context (label);

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  if (is_error)
    gtk_style_context_add_class (style, "error");
  else
    gtk_style_context_remove_class (style, "error");
}

GtkWidget *
vmd_creation_assistant_page (VmdCreationAssistant *self,
                             int                   index)
{
  return gtk_assistant_get_nth_page (GTK_ASSISTANT (self), index);
}

/* --- checks -> messages and Forward -------------------------------------------------------- */

void
vmd_creation_assistant_touch (VmdCreationAssistant *self,
                              VmdSpecField          field)
{
  self->touched |= 1u << field;
  self->edited = TRUE;
}

/* A field the user has not filled in yet: nothing is wrong with it until they have been there. */
static gboolean
left_empty (VmdCreationAssistant *self,
            VmdSpecField          field)
{
  gboolean disk = vmd_creation_assistant_media_is_disk (self);

  if (self->touched & (1u << field))
    return FALSE;
  if (field == VMD_SPEC_FIELD_MEDIA)
    return (disk ? vmd_machine_spec_get_existing_path (self->spec)
                 : vmd_machine_spec_get_media_path (self->spec)) == NULL;
  if (field == VMD_SPEC_FIELD_STORAGE && vmd_machine_spec_get_storage_kind (self->spec) == VMD_STORAGE_EXISTING)
    return vmd_machine_spec_get_existing_path (self->spec) == NULL;
  if (field == VMD_SPEC_FIELD_NAME)
    return vmd_machine_spec_get_name (self->spec) == NULL;
  return FALSE;
}

/* The first error of FIELD beside it, else its warning; TRUE when there is no error. */
static gboolean
check_into (VmdCreationAssistant *self,
            VmdSpecField          field,
            GtkWidget            *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;

  if (!vmd_machine_spec_check_field (self->spec, field, &error))
    {
      set_message (label, left_empty (self, field) ? NULL : error->message, TRUE);
      return FALSE;
    }
  warning = vmd_machine_spec_dup_warning (self->spec, field);
  set_message (label, warning, FALSE);
  return TRUE;
}

static void
update_media_hint (VmdCreationAssistant *self,
                   gboolean              media_ok)
{
  VmdInstallMethod method = vmd_machine_spec_get_install_method (self->spec);
  g_autofree char *hint = NULL;

  if (!media_ok || method == VMD_INSTALL_METHOD_IMPORT || method == VMD_INSTALL_METHOD_MANUAL)
    return;
  if (self->media_error != NULL)
    {
      set_message (self->media_message, self->media_error->message, TRUE);
      return;
    }
  if (self->media == NULL)
    hint = g_strdup (vmd_install_media_location_is_tree (vmd_machine_spec_get_media_path (self->spec))
                       ? _("Reading the install tree…") : _("Reading the ISO…"));
  else if (vmd_install_media_is_tree (self->media))
    hint = g_strdup_printf (_("Install tree, kernel: %s"), vmd_install_media_get_kernel_path (self->media));
  else if (method == VMD_INSTALL_METHOD_KERNEL_BOOT && !vmd_install_media_can_kernel_boot (self->media))
    hint = g_strdup (_("No kernel and initrd were found on this ISO: boot it as a CD instead."));
  else
    hint = g_strdup_printf (_("Volume “%s”%s%s"),
                            vmd_install_media_get_volume_id (self->media) != NULL
                              ? vmd_install_media_get_volume_id (self->media) : _("(no label)"),
                            method == VMD_INSTALL_METHOD_KERNEL_BOOT ? _(", kernel: ") : "",
                            method == VMD_INSTALL_METHOD_KERNEL_BOOT
                              ? vmd_install_media_get_kernel_path (self->media) : "");
  set_message (self->media_message, hint, FALSE);
}

/* Kernel boot also needs the ISO or tree read and a kernel in it. */
static gboolean
method_page_ok (VmdCreationAssistant *self)
{
  gboolean ok = check_into (self, VMD_SPEC_FIELD_MEDIA, self->media_message);

  update_media_hint (self, ok);
  if (ok && vmd_machine_spec_get_install_method (self->spec) == VMD_INSTALL_METHOD_KERNEL_BOOT)
    ok = self->media != NULL && vmd_install_media_can_kernel_boot (self->media);
  return ok && self->installer != NULL;
}

static void
update_summary (VmdCreationAssistant *self)
{
  g_autofree char *disk = vmd_machine_spec_dup_disk_path (self->spec);
  g_autofree char *summary = NULL;

  summary = g_strdup_printf (_("%s, %" PRIu64 " MiB, %u CPU(s), disk %s%s"),
                             vmd_machine_spec_get_os_name (self->spec),
                             vmd_machine_spec_get_memory_mib (self->spec),
                             vmd_machine_spec_get_vcpus (self->spec),
                             disk != NULL ? disk : _("none"),
                             vmd_machine_spec_get_kvm (self->spec) ? ""
                               : _(". Runs emulated (no KVM): expect it to be slow."));
  gtk_label_set_text (GTK_LABEL (self->summary_label), summary);
  gtk_label_set_text (GTK_LABEL (self->disk_path_label), disk != NULL ? disk : "");
}

/* "Firmware: UEFI, Secure Boot on, TPM 2.0" under the OS, and what this host lacks of what the
 * OS wants, with the command that installs it. */
static void
update_platform (VmdCreationAssistant *self)
{
  g_autofree char *platform = vmd_machine_spec_describe_platform (self->spec);
  g_autofree char *shown = g_strdup_printf (_("Firmware: %s"), platform);
  g_autofree char *missing = vmd_machine_spec_dup_platform_missing (self->spec);

  gtk_label_set_text (GTK_LABEL (self->platform_label), shown);
  gtk_label_set_text (GTK_LABEL (self->platform_missing_label), missing != NULL ? missing : "");
  gtk_widget_set_visible (self->platform_missing_label, missing != NULL);
}

static void
update_network_message (VmdCreationAssistant *self,
                        gboolean              network_ok)
{
  g_autofree char *note = NULL;

  if (!network_ok)
    return;
  if (vmd_machine_spec_get_network_kind (self->spec) == VMD_NETWORK_USER)
    note = g_strdup (_("User-mode networking needs no privileges and no helper, but the guest "
                       "cannot be reached from the host or the network."));
  else if (vmd_machine_spec_network_needs_start (self->spec))
    note = g_strdup_printf (_("The virtual network “%s” is not running: it will be started when "
                              "the machine is created, and stays on for other machines."),
                            vmd_machine_spec_get_network_source (self->spec));
  if (note != NULL)
    set_message (self->network_message, note, FALSE);
}

/* Forward on every page but the last, on only while the page is complete; Finish on the last. */
void
vmd_creation_assistant_update_buttons (VmdCreationAssistant *self)
{
  GtkAssistant *assistant = GTK_ASSISTANT (self);
  int current = gtk_assistant_get_current_page (assistant);
  gboolean complete = current >= 0 && gtk_assistant_get_page_complete (assistant, vmd_creation_assistant_page (self, current));

  gtk_widget_set_visible (self->back_button, current > PAGE_METHOD && current < PAGE_PROGRESS);
  gtk_widget_set_visible (self->forward_button, current < PAGE_FINISH);
  gtk_widget_set_visible (self->finish_button, current == PAGE_FINISH);
  gtk_widget_set_sensitive (self->forward_button, complete);
  gtk_widget_set_sensitive (self->finish_button, complete && !self->installing);
  gtk_widget_set_sensitive (self->back_button, !self->installing);
}

void
vmd_creation_assistant_update_pages (VmdCreationAssistant *self)
{
  GtkAssistant *assistant = GTK_ASSISTANT (self);
  gboolean network_ok;

  if (self->building)
    return;

  gtk_assistant_set_page_complete (assistant, vmd_creation_assistant_page (self, PAGE_METHOD), method_page_ok (self));
  gtk_assistant_set_page_complete (assistant, vmd_creation_assistant_page (self, PAGE_OS), TRUE);
  gtk_assistant_set_page_complete (assistant, vmd_creation_assistant_page (self, PAGE_RESOURCES),
                                   check_into (self, VMD_SPEC_FIELD_MEMORY, self->memory_message) &
                                   check_into (self, VMD_SPEC_FIELD_CPUS, self->cpus_message));
  gtk_assistant_set_page_complete (assistant, vmd_creation_assistant_page (self, PAGE_STORAGE),
                                   check_into (self, VMD_SPEC_FIELD_STORAGE, self->storage_message));
  network_ok = check_into (self, VMD_SPEC_FIELD_NETWORK, self->network_message);
  update_network_message (self, network_ok);
  gtk_assistant_set_page_complete (assistant, vmd_creation_assistant_page (self, PAGE_NETWORK), network_ok);
  /* Finish makes the machine: every page must be right, not only the last. */
  gtk_assistant_set_page_complete (assistant, vmd_creation_assistant_page (self, PAGE_FINISH),
                                   check_into (self, VMD_SPEC_FIELD_NAME, self->name_message) &
                                   check_into (self, VMD_SPEC_FIELD_FIRMWARE, self->firmware_message) &&
                                   vmd_machine_spec_validate (self->spec, NULL, NULL) &&
                                   self->installer != NULL);
  update_summary (self);
  update_platform (self);
  vmd_creation_assistant_update_buttons (self);
}

/* --- the OS ------------------------------------------------------------------------------- */

/* The OS's recommended resources, bounded by the host (half its memory, all its CPUs); the
 * spin buttons follow the spec. */
static void
apply_os_defaults (VmdCreationAssistant *self,
                   OsinfoOs             *os)
{
  VmdHostFacts *facts = self->installer != NULL ? vmd_installer_get_host_facts (self->installer) : NULL;
  guint64 host_mib = facts != NULL ? vmd_host_facts_get_memory_mib (facts) : 0;
  guint host_cpus = facts != NULL ? vmd_host_facts_get_cpus (facts) : 0;
  VmdOsDefaults defaults;
  guint64 memory;
  guint cpus;

  vmd_os_catalog_get_defaults (os, &defaults);
  memory = host_mib > 0 ? MIN (defaults.memory_mib, MAX (host_mib / 2, 256)) : defaults.memory_mib;
  cpus = host_cpus > 0 ? MIN (defaults.cpus, host_cpus) : defaults.cpus;
  vmd_machine_spec_apply_defaults (self->spec, memory, cpus, defaults.storage_gib,
                                   defaults.minimum_memory_mib);
}

void
vmd_creation_assistant_choose_os (VmdCreationAssistant *self,
                                  OsinfoOs             *os)
{
  g_autofree char *label = vmd_os_catalog_describe (os);
  VmdOsDefaults defaults;
  VmdOsPlatform platform;

  self->chosen_os = os;
  vmd_os_catalog_get_defaults (os, &defaults);
  vmd_machine_spec_set_os (self->spec,
                           os != NULL ? osinfo_product_get_short_id (OSINFO_PRODUCT (os)) : "generic",
                           label, defaults.virtio);
  vmd_machine_spec_set_os_url (self->spec, os != NULL ? osinfo_entity_get_id (OSINFO_ENTITY (os)) : NULL);
  vmd_os_catalog_get_platform (os, &platform);
  vmd_machine_spec_set_os_platform (self->spec, &platform);
  apply_os_defaults (self, os);
  vmd_machine_spec_apply_suggested_name (self->spec);
}

/* --- the install method ---------------------------------------------------------------------- */

static const char *
media_label (VmdInstallMethod method)
{
  switch (method)
    {
    case VMD_INSTALL_METHOD_IMPORT:      return _("_Disk image:");
    case VMD_INSTALL_METHOD_KERNEL_BOOT: return _("_ISO image or folder:");
    default:                             return _("_ISO image:");
    }
}

/* The first page's widgets for the method the spec holds. */
static void
show_method (VmdCreationAssistant *self)
{
  VmdInstallMethod method = vmd_machine_spec_get_install_method (self->spec);
  gboolean uses_media = method != VMD_INSTALL_METHOD_MANUAL;
  gboolean kernel = method == VMD_INSTALL_METHOD_KERNEL_BOOT;

  gtk_label_set_text_with_mnemonic (GTK_LABEL (self->media_label), media_label (method));
  gtk_widget_set_sensitive (self->media_entry, uses_media);
  gtk_widget_set_sensitive (self->media_browse, uses_media);
  gtk_widget_set_visible (self->media_folder, kernel);
  gtk_widget_set_visible (self->media_volume_button, method == VMD_INSTALL_METHOD_IMPORT);
  gtk_widget_set_visible (self->kernel_args_label, kernel);
  gtk_widget_set_visible (self->kernel_args_entry, kernel);
}

/* Only the user changes the method. Media that did not check before may now (a folder is a
 * kernel boot's tree, not a CD): they are read again. */
void
vmd_creation_assistant_on_method_changed (VmdCreationAssistant *self)
{
  self->edited = TRUE;
  show_method (self);
  set_message (self->media_message, NULL, FALSE);
  vmd_creation_assistant_bind_media_entry (self);
  if (!vmd_creation_assistant_media_is_disk (self))
    vmd_creation_assistant_schedule_media_read (self);
}

/* The host facts' one answer: KVM by default only where it surely works (the
 * installer's host facts set the spec's choice); chosen by the user where libvirt offers it at
 * all, with what that means here beside it. */
static void
show_kvm_choice (VmdCreationAssistant *self,
                 VmdHostFacts         *facts)
{
  const char *note = vmd_host_facts_describe_kvm_choice (facts);

  gtk_label_set_text (GTK_LABEL (self->kvm_label), vmd_host_facts_get_kvm_summary (facts));
  gtk_widget_set_visible (self->kvm_bar, !vmd_host_facts_get_kvm_default (facts));
  gtk_widget_set_sensitive (self->acceleration_combo, vmd_host_facts_get_kvm_offered (facts));
  gtk_label_set_text (GTK_LABEL (self->acceleration_note), note != NULL ? note : "");
  gtk_widget_set_visible (self->acceleration_note, note != NULL);
}

/* --- connection and host facts ----------------------------------------------------------------- */

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VmdCreationAssistant) self = user_data;
  VmdInstaller *installer = VMD_INSTALLER (source);
  VmdHostFacts *facts = vmd_installer_get_host_facts (installer);
  g_autoptr(GError) error = NULL;
  const char * const *bridges;
  VmdHostPlatform platform;

  if (!vmd_installer_probe_finish (installer, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && installer == self->probing)
        set_message (self->media_message, error->message, TRUE);
      return;
    }
  /* The user chose another connection meanwhile (the system one is probed first, then the
   * session the user picks): only the chosen connection's facts count. */
  if (installer != self->probing)
    return;
  self->probing = NULL;
  g_set_object (&self->installer, installer);
  show_kvm_choice (self, facts);
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->bridge_combo));
  bridges = vmd_host_facts_get_bridges (facts);
  for (guint i = 0; bridges != NULL && bridges[i] != NULL; i++)
    gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (self->bridge_combo), bridges[i]);
  /* The widgets follow: KVM or not, user-mode networking on a session. */
  vmd_installer_apply_host_facts (installer, self->spec);
  vmd_creation_assistant_follow_pools (self);
  vmd_host_facts_get_platform (facts, &platform);
  vmd_machine_spec_set_host_platform (self->spec, &platform);
  apply_os_defaults (self, self->chosen_os);
  vmd_machine_spec_apply_suggested_name (self->spec);
  vmd_creation_assistant_update_pages (self);
}

static void
probe_connection (VmdCreationAssistant *self)
{
  g_autoptr(VmdInstaller) installer = NULL;

  g_clear_object (&self->installer);
  self->probing = NULL;
  if (self->connection == NULL || vmd_connection_get_state (self->connection) != VMD_CONNECTION_STATE_CONNECTED)
    {
      set_message (self->media_message, _("Waiting for the connection…"), FALSE);
      vmd_creation_assistant_update_pages (self);
      return;
    }
  installer = vmd_installer_new (self->connection);
  self->probing = installer;
  vmd_installer_probe_async (installer, self->cancellable, on_probed, g_object_ref (self));
}

static void
on_connection_state (VmdConnection        *connection,
                     GParamSpec           *pspec,
                     VmdCreationAssistant *self)
{
  if (connection == self->connection && self->installer == NULL)
    probe_connection (self);
}

static void
on_connection_changed (VmdCreationAssistant *self)
{
  int active = gtk_combo_box_get_active (GTK_COMBO_BOX (self->connection_combo));

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (self->connection, on_connection_state, self);
  g_clear_object (&self->connection);
  if (active >= 0 && self->connections != NULL)
    self->connection = g_list_model_get_item (self->connections, active);
  if (self->connection != NULL)
    g_signal_connect_object (self->connection, "notify::state", G_CALLBACK (on_connection_state), self, 0);
  vmd_creation_assistant_follow_pools (self);
  probe_connection (self);
}

/* The first connected one, preferring the system daemon (it has networks and a pool). */
static void
fill_connections (VmdCreationAssistant *self)
{
  guint n = g_list_model_get_n_items (self->connections);
  int best = -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);
      gboolean connected = vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_CONNECTED;

      gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (self->connection_combo),
                                      vmd_connection_get_title (connection));
      if (connected && (best < 0 || g_str_has_suffix (vmd_connection_get_uri (connection), "/system")))
        best = i;
    }
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->connection_combo), best >= 0 ? best : 0);
}

/* Import brings its own disk: the storage page has nothing to ask. */
static int
forward_page (int      current,
              gpointer user_data)
{
  VmdCreationAssistant *self = user_data;

  if (current == PAGE_RESOURCES && vmd_creation_assistant_media_is_disk (self))
    return PAGE_NETWORK;
  return current + 1;
}

/* Printed for the UI test, which checks the assistant opens in under 300 ms: from its
 * construction to the end of its first painted frame. */
static void
on_first_paint (GdkFrameClock        *clock,
                VmdCreationAssistant *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, self);
  g_printerr ("vmdesk: creation assistant shown in %.1f ms (built in %.1f ms)\n",
              (g_get_monotonic_time () - self->created_at) / 1000.0,
              (self->built_at - self->created_at) / 1000.0);
}

static gboolean
on_map_event (GtkWidget   *widget,
              GdkEventAny *event)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock != NULL && g_getenv ("VMDESK_PRINT_TIMINGS") != NULL && !VMD_CREATION_ASSISTANT (widget)->reported)
    {
      VMD_CREATION_ASSISTANT (widget)->reported = TRUE;
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_first_paint), widget, 0);
    }
  return GDK_EVENT_PROPAGATE;
}

/* --- GObject ------------------------------------------------------------------------------- */

static void
on_spec_changed (VmdCreationAssistant *self)
{
  vmd_creation_assistant_update_pages (self);
}

static void
vmd_creation_assistant_dispose (GObject *object)
{
  VmdCreationAssistant *self = VMD_CREATION_ASSISTANT (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->media_cancellable);
  g_clear_handle_id (&self->media_timeout_id, g_source_remove);
  /* Modal to the assistant, so they go with it. */
  self->chooser_widget = NULL;
  g_clear_pointer (&self->chooser, gtk_widget_destroy);
  g_clear_pointer (&self->discard_dialog, gtk_widget_destroy);
  self->xml_view = NULL;
  g_clear_pointer (&self->xml_dialog, gtk_widget_destroy);
  g_clear_pointer (&self->media_binding, g_binding_unbind);
  g_clear_pointer (&self->custom_xml, g_free);
  if (self->spec != NULL)
    g_signal_handlers_disconnect_by_data (self->spec, self);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->media_cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->pools);
  g_clear_object (&self->connections);
  g_clear_object (&self->installer);
  g_clear_object (&self->media);
  g_clear_error (&self->media_error);
  g_clear_object (&self->spec);
  G_OBJECT_CLASS (vmd_creation_assistant_parent_class)->dispose (object);
}

static void
vmd_creation_assistant_class_init (VmdCreationAssistantClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkAssistantClass *assistant_class = GTK_ASSISTANT_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_creation_assistant_dispose;
  widget_class->map_event = on_map_event;
  widget_class->delete_event = vmd_creation_assistant_on_delete_event;
  assistant_class->cancel = vmd_creation_assistant_cancel;
  assistant_class->prepare = vmd_creation_assistant_prepare;

  /* (VmdMachine *machine): made, listed, and about to run; its console opens next. */
  signals[MACHINE_CREATED] = g_signal_new ("machine-created", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, VMD_TYPE_MACHINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vmdesk/VmDesk/ui/vmd-creation-assistant.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdCreationAssistant, name)
  BIND (kvm_bar); BIND (connection_combo);
  BIND (method_cdrom); BIND (method_kernel); BIND (method_import); BIND (method_manual);
  BIND (media_label); BIND (media_entry); BIND (media_browse); BIND (media_folder);
  BIND (media_message);
  BIND (kernel_args_label); BIND (kernel_args_entry);
  BIND (os_detected_label); BIND (os_search); BIND (os_list); BIND (os_chosen_label);
  BIND (memory_spin); BIND (memory_message); BIND (cpus_spin); BIND (cpus_message);
  BIND (storage_new); BIND (storage_existing); BIND (storage_none); BIND (disk_size_spin);
  BIND (disk_path_label); BIND (existing_entry); BIND (storage_message);
  BIND (pool_combo); BIND (pick_volume_button); BIND (media_volume_button);
  BIND (net_nat); BIND (net_bridge); BIND (net_user); BIND (net_none); BIND (bridge_combo);
  BIND (network_message);
  BIND (name_entry); BIND (name_message); BIND (graphics_combo); BIND (firmware_combo);
  BIND (secure_boot_check); BIND (tpm_check); BIND (firmware_message); BIND (platform_label);
  BIND (platform_missing_label);
  BIND (acceleration_combo); BIND (acceleration_note); BIND (kvm_label);
  BIND (customize_check); BIND (summary_label); BIND (install_error_bar); BIND (install_error_label);
  BIND (progress_spinner); BIND (progress_label); BIND (os_spinner);
  BIND (cancel_button); BIND (back_button); BIND (forward_button); BIND (finish_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_connection_changed);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_media_browse", G_CALLBACK (vmd_creation_assistant_on_media_browse));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_media_folder", G_CALLBACK (vmd_creation_assistant_on_media_folder));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_os_search_changed", G_CALLBACK (vmd_creation_assistant_on_os_search_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_os_row_activated", G_CALLBACK (vmd_creation_assistant_on_os_row_activated));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_media_focus_out", G_CALLBACK (vmd_creation_assistant_on_media_focus_out));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_cancel_clicked", G_CALLBACK (vmd_creation_assistant_on_cancel_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_back_clicked", G_CALLBACK (vmd_creation_assistant_on_back_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_forward_clicked", G_CALLBACK (vmd_creation_assistant_on_forward_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_finish_clicked", G_CALLBACK (vmd_creation_assistant_on_finish_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_pool_changed", G_CALLBACK (vmd_creation_assistant_on_pool_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_pick_volume", G_CALLBACK (vmd_creation_assistant_on_pick_volume));
}

static void
vmd_creation_assistant_init (VmdCreationAssistant *self)
{
  self->created_at = g_get_monotonic_time ();
  self->building = TRUE;
  self->cancellable = g_cancellable_new ();
  self->spec = vmd_machine_spec_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_assistant_set_forward_page_func (GTK_ASSISTANT (self), forward_page, self, NULL);
  /* Packed from the end: Finish rightmost, then Forward, Back, Cancel. */
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), self->finish_button);
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), self->forward_button);
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), self->back_button);
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), self->cancel_button);
  vmd_creation_assistant_bind (self);
  show_method (self);
  vmd_creation_assistant_follow_spec (self);
  g_signal_connect_swapped (self->spec, "changed", G_CALLBACK (on_spec_changed), self);
  vmd_creation_assistant_choose_os (self, NULL);
  vmd_creation_assistant_show_detected (self);
  vmd_creation_assistant_fill_os_list (self);
  vmd_os_catalog_load_async (vmd_os_catalog_get_default (), self->cancellable, vmd_creation_assistant_on_catalog_loaded,
                             g_object_ref (self));
}

/* The display the user prefers for new machines (Preferences); SPICE when nothing is stored. */
static void
apply_preferences (VmdCreationAssistant *self,
                   GSettings            *settings)
{
  g_autofree char *graphics = NULL;

  if (settings == NULL)
    return;
  graphics = g_settings_get_string (settings, "new-vm-graphics");
  if (g_strcmp0 (graphics, "none") == 0)
    vmd_machine_spec_set_graphics (self->spec, VMD_GRAPHICS_NONE);
}

/* SETTINGS may be NULL (an uninstalled build without the schema). */
GtkWidget *
vmd_creation_assistant_new (GtkWindow  *parent,
                            GListModel *connections,
                            GSettings  *settings)
{
  VmdCreationAssistant *self = g_object_new (VMD_TYPE_CREATION_ASSISTANT,
                                             "transient-for", parent,
                                             "use-header-bar", FALSE,
                                             NULL);

  self->connections = g_object_ref (connections);
  apply_preferences (self, settings);
  fill_connections (self);
  self->building = FALSE;
  vmd_creation_assistant_update_pages (self);
  self->built_at = g_get_monotonic_time ();
  return GTK_WIDGET (self);
}
