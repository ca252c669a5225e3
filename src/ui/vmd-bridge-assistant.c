/* VmdBridgeAssistant: collects a VmdBridgeSettings, with every field checked as it is typed by
 * the same functions the bridge manager uses, and hands it to VmdBridgeManager. The change then
 * waits under NetworkManager's checkpoint for the user's "Keep". */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-address-validation.h"
#include "vmd-bridge-assistant.h"

enum { PAGE_NAME, PAGE_PORT, PAGE_IPV4, PAGE_SUMMARY };

struct _VmdBridgeAssistant
{
  GtkAssistant      parent_instance;

  GtkWidget        *name_page;
  GtkWidget        *name_entry;
  GtkWidget        *name_error;
  GtkWidget        *stp_check;
  GtkWidget        *port_page;
  GtkWidget        *port_combo;
  GtkWidget        *port_note;
  GtkWidget        *ipv4_page;
  GtkWidget        *dhcp_radio;
  GtkWidget        *manual_radio;
  GtkWidget        *address_entry;
  GtkWidget        *address_error;
  GtkWidget        *gateway_entry;
  GtkWidget        *gateway_error;
  GtkWidget        *dns_entry;
  GtkWidget        *dns_error;
  GtkWidget        *summary_label;
  GtkWidget        *apply_status;     /* beside Apply: waiting, or why it did not happen */

  VmdBridgeManager *manager;
  GCancellable     *cancellable;      /* the change under way, if any */
};

G_DEFINE_FINAL_TYPE (VmdBridgeAssistant, vmd_bridge_assistant, GTK_TYPE_ASSISTANT)

/* --- messages --------------------------------------------------------------------------------- */

void
vmd_bridge_show_error (GtkWindow  *parent,
                       const char *primary,
                       const char *secondary)
{
  GtkWidget *dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (dialog);
}

/* --- "Keep these settings?" ------------------------------------------------------------------- */

typedef struct {
  GtkWidget        *dialog;
  GtkWindow        *parent;
  VmdBridgeManager *manager;
  guint             seconds_left;
  guint             timer_id;
  gulong            rolled_back_id;
} KeepPrompt;

/* The prompt lives as long as its dialog. */
static void
on_prompt_destroyed (GtkWidget  *dialog,
                     KeepPrompt *prompt)
{
  g_clear_handle_id (&prompt->timer_id, g_source_remove);
  g_clear_signal_handler (&prompt->rolled_back_id, prompt->manager);
  g_clear_object (&prompt->manager);
  g_clear_object (&prompt->parent);
  g_free (prompt);
}

static void
update_countdown (KeepPrompt *prompt)
{
  g_autofree char *text = NULL;
  const char *interrupted = vmd_bridge_manager_get_interrupted (prompt->manager);

  /* NetworkManager stopped: no countdown runs, and the change cannot be kept. */
  if (interrupted != NULL)
    {
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (prompt->dialog), "%s", interrupted);
      gtk_dialog_set_response_sensitive (GTK_DIALOG (prompt->dialog), GTK_RESPONSE_ACCEPT, FALSE);
      return;
    }
  if (prompt->seconds_left > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The previous network settings come back in %u second "
                                         "unless you keep these.",
                                         "The previous network settings come back in %u seconds "
                                         "unless you keep these.", prompt->seconds_left),
                            prompt->seconds_left);
  else
    text = g_strdup (_("Time is up: NetworkManager is restoring the previous network settings."));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (prompt->dialog), "%s", text);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (prompt->dialog), GTK_RESPONSE_ACCEPT,
                                     prompt->seconds_left > 0);
}

static gboolean
on_tick (gpointer user_data)
{
  KeepPrompt *prompt = user_data;

  if (prompt->seconds_left > 0)
    prompt->seconds_left--;
  update_countdown (prompt);
  /* NetworkManager's own timer decides; "rolled-back" closes the prompt. */
  return G_SOURCE_CONTINUE;
}

static void
on_kept (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_bridge_manager_confirm_finish (VMD_BRIDGE_MANAGER (source), result, &error))
    vmd_bridge_show_error (parent, _("The new network settings were not kept"), error->message);
}

static void
on_reverted (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_bridge_manager_rollback_finish (VMD_BRIDGE_MANAGER (source), result, &error))
    vmd_bridge_show_error (parent, _("The previous network settings could not be restored"),
                           error->message);
}

static void
on_keep_response (GtkDialog  *dialog,
                  int         response,
                  KeepPrompt *prompt)
{
  VmdBridgeManager *manager = prompt->manager;
  GtkWindow *parent = prompt->parent;

  /* Already undone by NetworkManager (time ran out): nothing left to answer. */
  if (vmd_bridge_manager_get_pending_checkpoint (manager) != NULL)
    {
      if (response == GTK_RESPONSE_ACCEPT)
        vmd_bridge_manager_confirm_async (manager, NULL, on_kept, g_object_ref (parent));
      else
        vmd_bridge_manager_rollback_async (manager, NULL, on_reverted, g_object_ref (parent));
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
on_rolled_back (VmdBridgeManager *manager,
                const char       *reason,
                KeepPrompt       *prompt)
{
  GtkWindow *parent = g_object_ref (prompt->parent);

  gtk_widget_destroy (prompt->dialog);
  vmd_bridge_show_error (parent, _("The previous network settings were restored"), reason);
  g_object_unref (parent);
}

/* No answer, closing the dialog or quitting all end in the previous settings. */
void
vmd_bridge_ask_keep (GtkWindow        *parent,
                     VmdBridgeManager *manager,
                     guint             timeout_s)
{
  KeepPrompt *prompt = g_new0 (KeepPrompt, 1);
  GtkWidget *keep;

  prompt->parent = g_object_ref (parent);
  prompt->manager = g_object_ref (manager);
  prompt->seconds_left = timeout_s > 1 ? timeout_s - 1 : timeout_s;
  prompt->dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                           GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                           _("Keep these settings?"));
  gtk_dialog_add_button (GTK_DIALOG (prompt->dialog), _("_Revert"), GTK_RESPONSE_REJECT);
  keep = gtk_dialog_add_button (GTK_DIALOG (prompt->dialog), _("_Keep Settings"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (keep), "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (prompt->dialog), GTK_RESPONSE_REJECT);
  update_countdown (prompt);

  g_signal_connect (prompt->dialog, "destroy", G_CALLBACK (on_prompt_destroyed), prompt);
  g_signal_connect (prompt->dialog, "response", G_CALLBACK (on_keep_response), prompt);
  prompt->rolled_back_id = g_signal_connect (manager, "rolled-back", G_CALLBACK (on_rolled_back),
                                             prompt);
  prompt->timer_id = g_timeout_add_seconds (1, on_tick, prompt);
  gtk_widget_show (prompt->dialog);
}

/* --- the pages -------------------------------------------------------------------------------- */

static void
show_problem (GtkWidget    *label,
              const GError *error)
{
  gtk_label_set_text (GTK_LABEL (label), error != NULL ? error->message : "");
}

static gboolean
is_manual (VmdBridgeAssistant *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->manual_radio));
}

static const char *
text_of (GtkWidget *entry)
{
  return gtk_entry_get_text (GTK_ENTRY (entry));
}

static VmdBridgeSettings *
collect (VmdBridgeAssistant *self)
{
  VmdBridgeSettings *settings = vmd_bridge_settings_new ();
  const char *port = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->port_combo));

  g_free (settings->name);
  settings->name = g_strdup (text_of (self->name_entry));
  settings->stp = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->stp_check));
  settings->dhcp = !is_manual (self);
  if (!settings->dhcp)
    {
      settings->address = g_strdup (text_of (self->address_entry));
      settings->gateway = g_strdup (text_of (self->gateway_entry));
      settings->dns = g_strdup (text_of (self->dns_entry));
    }
  settings->port = port != NULL && *port != '\0' ? g_strdup (port) : NULL;
  return settings;
}

static gboolean
check_name (VmdBridgeAssistant *self)
{
  g_autoptr(VmdBridgeSettings) settings = vmd_bridge_settings_new ();
  g_autoptr(GError) error = NULL;

  g_free (settings->name);
  settings->name = g_strdup (text_of (self->name_entry));
  vmd_bridge_settings_validate (settings, &error);
  show_problem (self->name_error, error);
  return error == NULL;
}

/* Each field says what is wrong with it, while the user types. */
static gboolean
check_ipv4 (VmdBridgeAssistant *self)
{
  g_autoptr(GError) address = NULL;
  g_autoptr(GError) gateway = NULL;
  g_autoptr(GError) dns = NULL;
  g_auto(GStrv) servers = NULL;
  gboolean manual = is_manual (self);

  gtk_widget_set_sensitive (self->address_entry, manual);
  gtk_widget_set_sensitive (self->gateway_entry, manual);
  gtk_widget_set_sensitive (self->dns_entry, manual);
  if (manual)
    {
      vmd_ipv4_parse_address_prefix (text_of (self->address_entry), NULL, NULL, &address);
      vmd_ipv4_check_gateway (text_of (self->gateway_entry), text_of (self->address_entry), &gateway);
      servers = vmd_ipv4_parse_dns (text_of (self->dns_entry), &dns);
    }
  show_problem (self->address_error, address);
  show_problem (self->gateway_error, gateway);
  show_problem (self->dns_error, dns);
  return address == NULL && gateway == NULL && dns == NULL;
}

static void
on_field_changed (VmdBridgeAssistant *self)
{
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->name_page, check_name (self));
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->ipv4_page, check_ipv4 (self));
}

static void
offer_settings (VmdBridgeAssistant      *self,
                const VmdBridgeSettings *suggested)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (suggested->dhcp ? self->dhcp_radio : self->manual_radio),
                                TRUE);
  gtk_entry_set_text (GTK_ENTRY (self->address_entry), suggested->address != NULL ? suggested->address : "");
  gtk_entry_set_text (GTK_ENTRY (self->gateway_entry), suggested->gateway != NULL ? suggested->gateway : "");
  gtk_entry_set_text (GTK_ENTRY (self->dns_entry), suggested->dns != NULL ? suggested->dns : "");
}

/* The adapter's current IPv4 settings become the bridge's: it takes over the adapter's place. */
static void
on_port_changed (VmdBridgeAssistant *self)
{
  const char *port = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->port_combo));
  g_autoptr(VmdBridgeSettings) suggested = NULL;
  g_autoptr(GError) error = NULL;

  if (port == NULL || *port == '\0')
    {
      gtk_label_set_text (GTK_LABEL (self->port_note),
                          _("The bridge starts without a port: virtual machines on it reach each "
                            "other and this computer, not the outside network."));
      gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->port_page, TRUE);
      return;
    }
  suggested = vmd_bridge_manager_suggest_settings (self->manager, port, &error);
  if (suggested == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->port_note), error->message);
      gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->port_page, FALSE);
      return;
    }
  gtk_label_set_text (GTK_LABEL (self->port_note),
                      _("Its current IPv4 settings are offered on the next page for the bridge, "
                        "which takes over its place on the network."));
  offer_settings (self, suggested);
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->port_page, TRUE);
}

static void
fill_ports (VmdBridgeAssistant *self)
{
  g_autoptr(GPtrArray) devices = vmd_bridge_manager_dup_devices (self->manager);
  gboolean chosen = FALSE;

  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->port_combo), "", _("None (an empty bridge)"));
  for (guint i = 0; i < devices->len; i++)
    {
      VmdNetDevice *device = devices->pdata[i];
      g_autofree char *label = NULL;

      /* Wi-Fi is listed so that choosing it explains why it cannot be a port. */
      if (g_strcmp0 (device->kind, "ethernet") != 0 && g_strcmp0 (device->kind, "wifi") != 0)
        continue;
      label = g_strdup_printf ("%s (%s, %s)", device->interface, device->kind, device->state);
      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->port_combo), device->interface, label);
      if (!chosen && g_strcmp0 (device->kind, "ethernet") == 0 && device->controller == NULL)
        {
          gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->port_combo), device->interface);
          chosen = TRUE;
        }
    }
  if (!chosen)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->port_combo), "");
}

static char *
describe (const VmdBridgeSettings *settings)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("Bridge “%s”, STP %s.\n"), settings->name,
                          settings->stp ? _("on") : _("off"));
  if (settings->port != NULL)
    g_string_append_printf (text, _("Port: %s (its current profile is switched off).\n"), settings->port);
  else
    g_string_append (text, _("No port.\n"));
  if (settings->dhcp)
    g_string_append (text, _("IPv4: automatic (DHCP).\n"));
  else
    g_string_append_printf (text, _("IPv4: %s, gateway %s, DNS %s.\n"), settings->address,
                            *settings->gateway != '\0' ? settings->gateway : _("none"),
                            *settings->dns != '\0' ? settings->dns : _("none"));
  g_string_append_printf (text, _("\nAfter Apply you have %u seconds to keep the new settings. "
                                  "Without an answer, or if this computer loses its connection, "
                                  "NetworkManager restores the previous ones."),
                          VMD_BRIDGE_ROLLBACK_TIMEOUT_S);
  return g_string_free (text, FALSE);
}

static void
set_applying (VmdBridgeAssistant *self,
              gboolean            applying,
              const char         *status)
{
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->summary_label, !applying);
  gtk_label_set_text (GTK_LABEL (self->apply_status), status);
  gtk_widget_set_visible (self->apply_status, status != NULL && *status != '\0');
}

static void
on_prepare (GtkAssistant *assistant,
            GtkWidget    *page)
{
  VmdBridgeAssistant *self = VMD_BRIDGE_ASSISTANT (assistant);
  g_autoptr(VmdBridgeSettings) settings = NULL;
  g_autofree char *text = NULL;

  if (page != self->summary_label)
    return;
  /* What was said about an earlier Apply is old news once the settings may have changed. */
  if (self->cancellable == NULL)
    set_applying (self, FALSE, NULL);
  settings = collect (self);
  text = describe (settings);
  gtk_label_set_text (GTK_LABEL (self->summary_label), text);
}

/* --- applying --------------------------------------------------------------------------------- */

/* Done: the countdown takes over from the assistant. Refused or failed: nothing was changed,
 * and the reason stays beside Apply, where the user asked for the change. */
static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VmdBridgeAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent;

  if (!vmd_bridge_manager_create_bridge_finish (VMD_BRIDGE_MANAGER (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_applying (self, FALSE, error->message);
      g_clear_object (&self->cancellable);
      return;
    }
  g_clear_object (&self->cancellable);
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  vmd_bridge_ask_keep (parent, VMD_BRIDGE_MANAGER (source), VMD_BRIDGE_ROLLBACK_TIMEOUT_S);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
on_apply (GtkAssistant *assistant)
{
  VmdBridgeAssistant *self = VMD_BRIDGE_ASSISTANT (assistant);
  g_autoptr(VmdBridgeSettings) settings = collect (self);

  if (self->cancellable != NULL)
    return;
  /* polkit may want the user's password first: its dialog comes from the desktop's agent,
   * and until it is answered nothing happens. */
  set_applying (self, TRUE, vmd_bridge_manager_needs_authorization (self->manager)
                              ? _("Waiting for authorization: answer the password dialog of "
                                  "your desktop…")
                              : _("Applying…"));
  self->cancellable = g_cancellable_new ();
  vmd_bridge_manager_create_bridge_async (self->manager, settings, VMD_BRIDGE_ROLLBACK_TIMEOUT_S,
                                          self->cancellable, on_created, g_object_ref (self));
}

static void
on_cancel (GtkAssistant *assistant)
{
  VmdBridgeAssistant *self = VMD_BRIDGE_ASSISTANT (assistant);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_destroy (GTK_WIDGET (assistant));
}

/* GtkAssistant emits close right after Apply on its last page: while the change runs, the
 * assistant stays (and after a failure: close comes only after an Apply, which is under way). */
static void
on_close (GtkAssistant *assistant)
{
  if (VMD_BRIDGE_ASSISTANT (assistant)->cancellable == NULL)
    gtk_widget_destroy (GTK_WIDGET (assistant));
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_bridge_assistant_dispose (GObject *object)
{
  VmdBridgeAssistant *self = VMD_BRIDGE_ASSISTANT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->manager);
  G_OBJECT_CLASS (vmd_bridge_assistant_parent_class)->dispose (object);
}

static void
vmd_bridge_assistant_class_init (VmdBridgeAssistantClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_bridge_assistant_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-bridge-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, name_page);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, name_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, name_error);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, stp_check);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, port_page);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, port_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, port_note);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, ipv4_page);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, dhcp_radio);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, manual_radio);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, address_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, address_error);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, gateway_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, gateway_error);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, dns_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, dns_error);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, summary_label);
  gtk_widget_class_bind_template_child (widget_class, VmdBridgeAssistant, apply_status);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_port_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_prepare);
  gtk_widget_class_bind_template_callback (widget_class, on_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel);
  gtk_widget_class_bind_template_callback (widget_class, on_close);
}

static void
vmd_bridge_assistant_init (VmdBridgeAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), self->apply_status);
}

GtkWidget *
vmd_bridge_assistant_new (GtkWindow        *parent,
                          VmdBridgeManager *manager)
{
  VmdBridgeAssistant *self = g_object_new (VMD_TYPE_BRIDGE_ASSISTANT, "transient-for", parent,
                                           "use-header-bar", TRUE, NULL);

  self->manager = g_object_ref (manager);
  fill_ports (self);
  on_field_changed (self);
  return GTK_WIDGET (self);
}
