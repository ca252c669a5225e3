/* VmdWindow: header bar actions for the selected machine, a search bar, the machine list and an
 * error bar. Actions follow the selected machine's state, so those that do not apply are off. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-delete-dialog.h"
#include "vmd-display-name.h"
#include "vmd-empty-state.h"
#include "vmd-features.h"
#include "vmd-host-facts.h"
#include "vmd-machine-list.h"
#include "vmd-window.h"
#include "vmd-window-clone.h"

struct _VmdWindow
{
  GtkApplicationWindow  parent_instance;

  GtkWidget            *error_bar;
  GtkWidget            *error_label;
  GtkWidget            *search_bar;
  GtkWidget            *search_entry;
  GtkWidget            *search_button;
  GtkWidget            *pause_button;
  GtkWidget            *resume_button;
  VmdMachineList       *machine_list;
  GtkWidget            *content_stack;
  VmdEmptyState        *empty_state;
  GMenuModel           *machine_menu;

  VmdMachine           *selected;      /* followed for its state */
  VmdConnection        *selected_connection;  /* a group row's, followed for its state */
  GMenuModel           *connection_menu;
  GtkWidget            *assistant;     /* the creation assistant while it is open */
  GCancellable         *cancellable;

  GtkWidget            *shutdown_bar;  /* "NAME did not shut down. Force Off?" */
  GtkWidget            *shutdown_label;
  VmdMachine           *overdue;       /* the machine shutdown_bar is about */

  GListModel           *connections;   /* of VmdConnection: the application's, given at birth */
  GSettings            *settings;      /* NULL when the schema is not installed */

  GtkWidget            *kvm_bar;       /* the host facts' word on KVM, when not full speed */
  GtkWidget            *kvm_label;
  gboolean              kvm_bar_closed;
};

G_DEFINE_FINAL_TYPE (VmdWindow, vmd_window, GTK_TYPE_APPLICATION_WINDOW)

static const struct {
  const char       *name;
  VmdMachineAction  action;
} machine_actions[] = {
  { "start",     VMD_MACHINE_ACTION_START },
  { "shutdown",  VMD_MACHINE_ACTION_SHUTDOWN },
  { "reboot",    VMD_MACHINE_ACTION_REBOOT },
  { "pause",     VMD_MACHINE_ACTION_PAUSE },
  { "resume",    VMD_MACHINE_ACTION_RESUME },
  { "force-off", VMD_MACHINE_ACTION_FORCE_OFF },
  { "delete",    VMD_MACHINE_ACTION_DELETE },
};

static void
show_error (VmdWindow  *self,
            const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_widget_show (self->error_bar);
}

/* For what fails outside the window's own actions (the command line's --console). */
void
vmd_window_show_error (VmdWindow  *self,
                       const char *message)
{
  g_return_if_fail (VMD_IS_WINDOW (self));
  show_error (self, message);
}

static void
on_error_bar_response (GtkInfoBar *bar,
                       int         response,
                       VmdWindow  *self)
{
  gtk_widget_hide (self->error_bar);
}

static void enable (VmdWindow *self, const char *action, gboolean enabled);

static void
update_actions (VmdWindow *self)
{
  gboolean paused = self->selected != NULL &&
                    vmd_machine_get_state (self->selected) == VMD_MACHINE_STATE_PAUSED;

  for (guint i = 0; i < G_N_ELEMENTS (machine_actions); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), machine_actions[i].name);
      gboolean can = self->selected != NULL && vmd_machine_can (self->selected, machine_actions[i].action);

      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), can);
    }
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "open-console")),
                               self->selected != NULL);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "details")),
                               self->selected != NULL);
  enable (self, "clone", self->selected != NULL && vmd_machine_get_connected (self->selected) &&
                        vmd_machine_get_state (self->selected) == VMD_MACHINE_STATE_SHUT_OFF);
  enable (self, "migrate", self->selected != NULL && vmd_machine_is_active (self->selected));
  /* Pause and Resume share a place in the header bar. */
  gtk_widget_set_visible (self->pause_button, !paused);
  gtk_widget_set_visible (self->resume_button, paused);
}

static void
enable (VmdWindow  *self,
        const char *action,
        gboolean    enabled)
{
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), action)),
                               enabled);
}

/* A lost connection retries by itself: Connect is for one that is closed or that failed. */
static void
update_connection_actions (VmdWindow *self)
{
  VmdConnectionState state = self->selected_connection != NULL
                               ? vmd_connection_get_state (self->selected_connection)
                               : VMD_CONNECTION_STATE_DISCONNECTED;
  gboolean any = self->selected_connection != NULL;

  enable (self, "connect", any && (state == VMD_CONNECTION_STATE_DISCONNECTED ||
                                   state == VMD_CONNECTION_STATE_FAILED));
  enable (self, "disconnect", any && (state == VMD_CONNECTION_STATE_CONNECTING ||
                                      state == VMD_CONNECTION_STATE_CONNECTED ||
                                      state == VMD_CONNECTION_STATE_LOST));
  enable (self, "remove-connection", any);
}

static void
on_selected_state_changed (VmdMachine *machine,
                           GParamSpec *pspec,
                           VmdWindow  *self)
{
  update_actions (self);
}

static void
on_selection_changed (VmdMachineList *list,
                      GParamSpec     *pspec,
                      VmdWindow      *self)
{
  VmdMachine *machine = vmd_machine_list_get_selected_machine (list);

  if (machine == self->selected)
    return;
  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, on_selected_state_changed, self);
  g_set_object (&self->selected, machine);
  if (machine != NULL)
    g_signal_connect_object (machine, "notify::state", G_CALLBACK (on_selected_state_changed), self, 0);
  update_actions (self);
}

static void
on_selected_connection_state (VmdConnection *connection,
                              GParamSpec    *pspec,
                              VmdWindow     *self)
{
  update_connection_actions (self);
}

static void
on_connection_selection_changed (VmdMachineList *list,
                                 GParamSpec     *pspec,
                                 VmdWindow      *self)
{
  VmdConnection *connection = vmd_machine_list_get_selected_connection (list);

  if (self->selected_connection != NULL)
    g_signal_handlers_disconnect_by_func (self->selected_connection, on_selected_connection_state, self);
  g_set_object (&self->selected_connection, connection);
  if (connection != NULL)
    g_signal_connect_object (connection, "notify::state",
                             G_CALLBACK (on_selected_connection_state), self, 0);
  update_connection_actions (self);
}

/* --- connection actions ------------------------------------------------------------------------ */

static void
on_connection_opened (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failure shows on the connection's row, as at start. */
  if (!vmd_connection_open_finish (VMD_CONNECTION (source), result, &error))
    g_debug ("%s", error->message);
}

static void
on_connect (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  VmdWindow *self = user_data;

  if (self->selected_connection != NULL)
    vmd_connection_open_async (self->selected_connection, NULL, on_connection_opened, NULL);
}

static void
on_disconnect (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  VmdWindow *self = user_data;

  if (self->selected_connection != NULL)
    vmd_connection_close (self->selected_connection);
}

/* The list of connections and the remembered ones are the application's. */
static void
on_remove_connection (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  VmdWindow *self = user_data;
  GApplication *application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (self->selected_connection == NULL || application == NULL)
    return;
  g_action_group_activate_action (G_ACTION_GROUP (application), "remove-connection",
                                  g_variant_new_string (vmd_connection_get_uri (self->selected_connection)));
}

/* --- running the actions ------------------------------------------------------------------- */

static void
on_action_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VmdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_machine_run_action_finish (VMD_MACHINE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error->message);
}

static void
run_on_selected (VmdWindow        *self,
                 VmdMachineAction  action)
{
  if (self->selected == NULL)
    return;
  vmd_machine_run_action_async (self->selected, action, self->cancellable, on_action_done,
                                g_object_ref (self));
}

static gboolean
setting_is_off (VmdWindow  *self,
                const char *key)
{
  GSettings *settings = self->settings;

  return settings != NULL && !g_settings_get_boolean (settings, key);
}

typedef struct {
  VmdWindow  *window;
  VmdMachine *machine;
} ForceOffRequest;

static void
force_off_request_free (gpointer data,
                        GClosure *closure)
{
  ForceOffRequest *request = data;

  g_object_unref (request->machine);
  g_free (request);
}

static void
on_force_off_confirmed (GtkDialog       *dialog,
                        int              response,
                        ForceOffRequest *request)
{
  if (response == GTK_RESPONSE_ACCEPT)
    vmd_machine_run_action_async (request->machine, VMD_MACHINE_ACTION_FORCE_OFF,
                                  request->window->cancellable, on_action_done,
                                  g_object_ref (request->window));
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
confirm_force_off (VmdWindow  *self,
                   VmdMachine *machine)
{
  g_autofree char *name = vmd_name_for_display (vmd_machine_get_name (machine));
  ForceOffRequest *request = g_new0 (ForceOffRequest, 1);
  GtkWidget *dialog;
  GtkWidget *button;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   _("Force off “%s”?"), name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("This pulls the plug: the guest cannot save its work, "
                                              "and its disks may need checking."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Force Off"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  /* The dialog goes with the window (destroy-with-parent): the window outlives the request. */
  request->window = self;
  request->machine = g_object_ref (machine);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_force_off_confirmed), request,
                         force_off_request_free, 0);
  gtk_widget_show (dialog);
}

/* Force Off, asking first unless the user said not to. */
static void
force_off (VmdWindow  *self,
           VmdMachine *machine)
{
  if (setting_is_off (self, "confirm-force-off"))
    vmd_machine_run_action_async (machine, VMD_MACHINE_ACTION_FORCE_OFF, self->cancellable,
                                  on_action_done, g_object_ref (self));
  else
    confirm_force_off (self, machine);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VmdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_machine_delete_finish (VMD_MACHINE (source), result, &error))
    show_error (self, error->message);
}

static void
on_delete_confirmed (GtkDialog *dialog,
                     int        response,
                     VmdWindow *self)
{
  VmdMachine *machine = vmd_delete_dialog_get_machine (VMD_DELETE_DIALOG (dialog));
  g_auto(GStrv) paths = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      paths = vmd_delete_dialog_dup_chosen_paths (VMD_DELETE_DIALOG (dialog));
      vmd_machine_delete_async (machine, (const char * const *) paths, self->cancellable,
                                on_deleted, g_object_ref (self));
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
on_machine_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  VmdWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (self->selected == NULL)
    return;
  if (g_str_equal (name, "force-off"))
    {
      force_off (self, self->selected);
      return;
    }
  if (g_str_equal (name, "delete"))
    {
      GtkWidget *dialog = vmd_delete_dialog_new (GTK_WINDOW (self), self->selected);

      g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_confirmed), self, 0);
      gtk_widget_show (dialog);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (machine_actions); i++)
    if (g_str_equal (name, machine_actions[i].name))
      run_on_selected (self, machine_actions[i].action);
}

/* --- a guest that does not shut down -------------------------------------------------------- */

static void on_overdue_shutting_down (VmdMachine *machine, GParamSpec *pspec, VmdWindow *self);

static void
forget_overdue (VmdWindow *self)
{
  /* By function: the window follows the same machine for its state when it is selected. */
  if (self->overdue != NULL)
    g_signal_handlers_disconnect_by_func (self->overdue, on_overdue_shutting_down, self);
  g_clear_object (&self->overdue);
  gtk_widget_hide (self->shutdown_bar);
}

/* It stopped after all, or something else happened to it: nothing left to offer. */
static void
on_overdue_shutting_down (VmdMachine *machine,
                          GParamSpec *pspec,
                          VmdWindow  *self)
{
  if (!vmd_machine_get_shutting_down (machine))
    forget_overdue (self);
}

static void
on_shutdown_overdue (VmdMachineList *list,
                     VmdMachine     *machine,
                     VmdWindow      *self)
{
  g_autofree char *name = vmd_name_for_display (vmd_machine_get_name (machine));
  g_autofree char *text = g_strdup_printf (_("“%s” did not shut down: its system may not answer "
                                             "the power button. Force Off?"), name);

  forget_overdue (self);
  self->overdue = g_object_ref (machine);
  g_signal_connect (machine, "notify::shutting-down", G_CALLBACK (on_overdue_shutting_down), self);
  gtk_label_set_text (GTK_LABEL (self->shutdown_label), text);
  gtk_widget_show (self->shutdown_bar);
}

static void
on_shutdown_bar_response (GtkInfoBar *bar,
                          int         response,
                          VmdWindow  *self)
{
  g_autoptr(VmdMachine) machine = self->overdue != NULL ? g_object_ref (self->overdue) : NULL;

  /* Keep Waiting: the row still says "Shutting down…" until the machine stops. */
  forget_overdue (self);
  if (response == GTK_RESPONSE_ACCEPT && machine != NULL && vmd_machine_is_active (machine))
    force_off (self, machine);
}

static void
on_find (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  VmdWindow *self = user_data;

  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  gtk_widget_grab_focus (self->search_entry);
}

static void
on_search_changed (GtkSearchEntry *entry,
                   VmdWindow      *self)
{
  vmd_machine_list_set_filter_text (self->machine_list, gtk_entry_get_text (GTK_ENTRY (entry)));
}

static gboolean
on_key_press (GtkWidget   *widget,
              GdkEventKey *event)
{
  VmdWindow *self = VMD_WINDOW (widget);

  if (GTK_WIDGET_CLASS (vmd_window_parent_class)->key_press_event (widget, event))
    return GDK_EVENT_STOP;
  /* Typing anywhere starts a search, as in GNOME's lists. */
  return gtk_search_bar_handle_event (GTK_SEARCH_BAR (self->search_bar), (GdkEvent *) event);
}

/* The features module, or NULL with its error shown in the error bar. */
static const VmdFeatures *
get_features (VmdWindow *self)
{
  g_autoptr(GError) error = NULL;
  const VmdFeatures *features = vmd_features_get (&error);

  if (features == NULL)
    show_error (self, error->message);
  return features;
}

static void
open_console (VmdWindow  *self,
              VmdMachine *machine)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  const VmdFeatures *features = get_features (self);

  if (features != NULL)
    features->console_window_open (application,
                                   self->connections,
                                   machine);
}

static void
on_machine_activated (VmdMachineList *list,
                      VmdMachine     *machine,
                      VmdWindow      *self)
{
  open_console (self, machine);
}

static void
on_open_console (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdWindow *self = user_data;

  if (self->selected != NULL)
    open_console (self, self->selected);
}

static void
on_assistant_destroyed (GtkWidget *assistant,
                        VmdWindow *self)
{
  self->assistant = NULL;
}

/* The assistant made a machine: it is what the user looks at next, as in virt-manager. */
static void
on_machine_created (GtkWidget  *assistant,
                    VmdMachine *machine,
                    VmdWindow  *self)
{
  vmd_machine_list_select_machine (self->machine_list, machine);
}

/* One assistant per window: a second "+" brings the open one forward. */
static void
on_new_vm (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  VmdWindow *self = user_data;

  if (self->assistant == NULL)
    {
      const VmdFeatures *features = get_features (self);

      if (features == NULL)
        return;
      self->assistant = features->creation_assistant_new (GTK_WINDOW (self),
                                                          self->connections, self->settings);
      g_signal_connect_object (self->assistant, "destroy", G_CALLBACK (on_assistant_destroyed), self, 0);
      g_signal_connect_object (self->assistant, "machine-created", G_CALLBACK (on_machine_created),
                               self, 0);
    }
  gtk_window_present (GTK_WINDOW (self->assistant));
}

/* win.details: the selected machine's details window. */
static void
on_show_details (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdWindow *self = user_data;
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(VmdConnection) connection = NULL;
  const VmdFeatures *features;

  if (self->selected == NULL || (features = get_features (self)) == NULL)
    return;
  connection = vmd_connection_find_owner (self->connections,
                                          self->selected);
  features->details_window_present (application, connection, self->selected);
}

/* win.clone: only a shut-off machine's disks hold still while they are copied. */
static void
on_clone (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  VmdWindow *self = user_data;
  const VmdFeatures *features;

  if (self->selected != NULL && (features = get_features (self)) != NULL)
    vmd_window_clone_machine (GTK_WINDOW (self), features, self->machine_list, self->selected);
}

/* win.migrate: the selected running machine to another connected host. */
static void
on_migrate (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  VmdWindow *self = user_data;
  const VmdFeatures *features;

  if (self->selected == NULL || (features = get_features (self)) == NULL)
    return;
  gtk_widget_show (features->migrate_dialog_new (GTK_WINDOW (self), self->connections,
                                                 self->selected));
}

static void
add_actions (VmdWindow *self)
{
  static const GActionEntry details_entry[] = { { "details", on_show_details },
                                                { "clone", on_clone },
                                                { "migrate", on_migrate } };

  static const GActionEntry connection_entries[] = {
    { "connect", on_connect },
    { "disconnect", on_disconnect },
    { "remove-connection", on_remove_connection },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), details_entry,
                                   G_N_ELEMENTS (details_entry), self);
  g_action_map_add_action_entries (G_ACTION_MAP (self), connection_entries,
                                   G_N_ELEMENTS (connection_entries), self);
  static const GActionEntry find_entry[] = { { "find", on_find } };
  static const GActionEntry new_vm_entry[] = { { "new-vm", on_new_vm } };

  g_action_map_add_action_entries (G_ACTION_MAP (self), new_vm_entry, 1, self);

  for (guint i = 0; i < G_N_ELEMENTS (machine_actions); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (machine_actions[i].name, NULL);

      g_signal_connect (action, "activate", G_CALLBACK (on_machine_action), self);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }
  g_action_map_add_action_entries (G_ACTION_MAP (self), find_entry, 1, self);
  {
    static const GActionEntry console_entry[] = { { "open-console", on_open_console } };

    g_action_map_add_action_entries (G_ACTION_MAP (self), console_entry, 1, self);
    g_signal_connect_object (self->machine_list, "machine-activated",
                             G_CALLBACK (on_machine_activated), self, 0);
  }
}

/* --- host details and the KVM warning --------------------------------------------------------- */

static void
on_host_details (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdWindow *self = user_data;
  GListModel *connections = self->connections;
  const VmdFeatures *features = get_features (self);

  if (features != NULL)
    gtk_widget_show (features->host_window_new (GTK_WINDOW (self), connections));
}

static void
on_kvm_bar_response (GtkInfoBar *bar,
                     int         response,
                     VmdWindow  *self)
{
  self->kvm_bar_closed = TRUE;
  gtk_widget_hide (self->kvm_bar);
}

static void
on_kvm_known (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VmdWindow) self = user_data;
  VmdHostFacts *facts = VMD_HOST_FACTS (source);

  if (!vmd_host_facts_ensure_finish (facts, result, NULL) || self->kvm_bar_closed ||
      vmd_host_facts_get_kvm_default (facts))
    return;
  gtk_label_set_text (GTK_LABEL (self->kvm_label), vmd_host_facts_get_kvm_summary (facts));
  gtk_widget_show (self->kvm_bar);
}

/* Only a local QEMU connection speaks for this computer's KVM (a test driver or a remote host
 * does not), and only once it opened or failed, so that libvirt's own word is in the answer. */
static void
check_kvm_of (VmdConnection *connection,
              GParamSpec    *pspec,
              VmdWindow     *self)
{
  VmdHostFacts *facts = vmd_connection_get_host_facts (connection);
  VmdConnectionState state = vmd_connection_get_state (connection);

  if (self->kvm_bar_closed || gtk_widget_get_visible (self->kvm_bar) ||
      !vmd_host_facts_get_is_local (facts) ||
      !g_str_has_prefix (vmd_connection_get_uri (connection), "qemu") ||
      (state != VMD_CONNECTION_STATE_CONNECTED && state != VMD_CONNECTION_STATE_FAILED))
    return;
  vmd_host_facts_ensure_async (facts, FALSE, self->cancellable, on_kvm_known, g_object_ref (self));
}

static void
on_connections_changed (GListModel *connections,
                        guint       position,
                        guint       removed,
                        guint       added,
                        VmdWindow  *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (connections, i);

      g_signal_connect_object (connection, "notify::state", G_CALLBACK (check_kvm_of), self, 0);
      check_kvm_of (connection, NULL, self);
    }
}

/* --- connection details ---------------------------------------------------------------------- */

/* The selected connection row's, else the selected machine's connection, else (NULL) the
 * window's first connected one. */
static void
on_connection_details (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  VmdWindow *self = user_data;
  GListModel *connections = self->connections;
  VmdConnection *connection = self->selected_connection;
  const VmdFeatures *features = get_features (self);

  if (connection == NULL && self->selected != NULL)
    connection = vmd_machine_get_connection (self->selected);

  if (features != NULL)
    gtk_widget_show (features->connection_details_window_new (GTK_WINDOW (self), connections, connection));
}

/* Once per window: the bar says it, Host Details says why and what to do. */
static void
add_host_details (VmdWindow *self)
{
  static const GActionEntry entries[] = { { "host-details", on_host_details },
                                          { "connection-details", on_connection_details } };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}

/* No machine anywhere: the first look says what VM Desk does instead of showing empty groups. */
static void
on_empty_changed (VmdEmptyState *empty_state,
                  GParamSpec    *pspec,
                  VmdWindow     *self)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->content_stack),
                                    vmd_empty_state_get_empty (empty_state) ? "empty" : "list");
}

static void
save_window_state (VmdWindow *self)
{
  GSettings *settings = self->settings;
  int width, height;

  if (settings == NULL || !gtk_widget_get_realized (GTK_WIDGET (self)))
    return;
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (gtk_window_is_maximized (GTK_WINDOW (self)))
    return;
  gtk_window_get_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
}

static void
restore_window_state (VmdWindow *self,
                      GSettings *settings)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  vmd_machine_list_bind_settings (self->machine_list, settings);
}

static void
vmd_window_dispose (GObject *object)
{
  VmdWindow *self = VMD_WINDOW (object);

  save_window_state (self);
  if (self->overdue != NULL)
    g_signal_handlers_disconnect_by_func (self->overdue, on_overdue_shutting_down, self);
  g_clear_object (&self->overdue);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->selected);
  g_clear_object (&self->selected_connection);
  g_clear_object (&self->connections);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (vmd_window_parent_class)->dispose (object);
}

static void
vmd_window_class_init (VmdWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_window_dispose;
  widget_class->key_press_event = on_key_press;

  g_type_ensure (VMD_TYPE_MACHINE_LIST);
  g_type_ensure (VMD_TYPE_EMPTY_STATE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, error_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, machine_list);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, empty_state);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, machine_menu);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, connection_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_error_bar_response);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, shutdown_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, shutdown_label);
  gtk_widget_class_bind_template_callback (widget_class, on_shutdown_bar_response);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, kvm_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, kvm_label);
  gtk_widget_class_bind_template_callback (widget_class, on_kvm_bar_response);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
vmd_window_init (VmdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  add_actions (self);
  add_host_details (self);
  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (GTK_SEARCH_BAR (self->search_bar), GTK_ENTRY (self->search_entry));
  vmd_machine_list_set_menu_model (self->machine_list, self->machine_menu);
  vmd_machine_list_set_connection_menu_model (self->machine_list, self->connection_menu);
  g_signal_connect_object (self->machine_list, "notify::selected-machine",
                           G_CALLBACK (on_selection_changed), self, 0);
  g_signal_connect_object (self->machine_list, "notify::selected-connection",
                           G_CALLBACK (on_connection_selection_changed), self, 0);
  g_signal_connect_object (self->machine_list, "shutdown-overdue",
                           G_CALLBACK (on_shutdown_overdue), self, 0);
  update_actions (self);
  update_connection_actions (self);
}

/* The window is given what it shows and what it remembers; it never asks the application.
 * settings may be NULL (no schema installed). */
VmdWindow *
vmd_window_new (GtkApplication *application,
                GListModel     *connections,
                GSettings      *settings)
{
  VmdWindow *self = g_object_new (VMD_TYPE_WINDOW, "application", application, NULL);

  self->connections = g_object_ref (connections);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  if (settings != NULL)
    restore_window_state (self, settings);
  vmd_machine_list_set_connections (self->machine_list, connections);
  vmd_empty_state_set_connections (self->empty_state, connections);
  g_signal_connect_object (connections, "items-changed", G_CALLBACK (on_connections_changed), self, 0);
  on_connections_changed (connections, 0, 0, g_list_model_get_n_items (connections), self);
  g_signal_connect_object (self->empty_state, "notify::empty", G_CALLBACK (on_empty_changed), self, 0);
  on_empty_changed (self->empty_state, NULL, self);
  return self;
}
