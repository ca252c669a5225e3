/* VmdWindow: header bar actions for the selected machine, a search bar, the machine list and an
 * error bar. Actions follow the selected machine's state, so those that do not apply are off. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-application.h"
#include "vmd-delete-dialog.h"
#include "vmd-features.h"
#include "vmd-host-check.h"
#include "vmd-machine-list.h"
#include "vmd-window.h"

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
  GMenuModel           *machine_menu;

  VmdMachine           *selected;      /* followed for its state */
  GCancellable         *cancellable;

  GtkWidget            *kvm_bar;       /* "VMs will run emulated and slowly", shown once */
  VmdHostCheck         *host_check;
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
  /* Pause and Resume share a place in the header bar. */
  gtk_widget_set_visible (self->pause_button, !paused);
  gtk_widget_set_visible (self->resume_button, paused);
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

static void
on_force_off_confirmed (GtkDialog *dialog,
                        int        response,
                        VmdWindow *self)
{
  VmdMachine *machine = g_object_get_data (G_OBJECT (dialog), "machine");

  if (response == GTK_RESPONSE_ACCEPT && machine != NULL)
    vmd_machine_run_action_async (machine, VMD_MACHINE_ACTION_FORCE_OFF, self->cancellable,
                                  on_action_done, g_object_ref (self));
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
confirm_force_off (VmdWindow *self)
{
  GtkWidget *dialog;
  GtkWidget *button;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   _("Force off “%s”?"), vmd_machine_get_name (self->selected));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("This pulls the plug: the guest cannot save its work, "
                                              "and its disks may need checking."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Force Off"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_object_set_data_full (G_OBJECT (dialog), "machine", g_object_ref (self->selected), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_force_off_confirmed), self, 0);
  gtk_widget_show (dialog);
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

static gboolean
setting_is_off (VmdWindow  *self,
                const char *key)
{
  GSettings *settings = vmd_application_get_settings (VMD_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));

  return settings != NULL && !g_settings_get_boolean (settings, key);
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
      if (setting_is_off (self, "confirm-force-off"))
        run_on_selected (self, VMD_MACHINE_ACTION_FORCE_OFF);
      else
        confirm_force_off (self);
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
                                   vmd_application_get_connections (VMD_APPLICATION (application)),
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
  g_object_set_data (G_OBJECT (self), "creation-assistant", NULL);
}

/* One assistant per window: a second "+" brings the open one forward. */
static void
on_new_vm (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  VmdWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GtkWidget *assistant = g_object_get_data (G_OBJECT (self), "creation-assistant");

  if (assistant == NULL)
    {
      const VmdFeatures *features = get_features (self);

      if (features == NULL)
        return;
      assistant = features->creation_assistant_new (GTK_WINDOW (self),
                                                    vmd_application_get_connections (VMD_APPLICATION (app)),
                                                    vmd_application_get_settings (VMD_APPLICATION (app)));
      g_object_set_data (G_OBJECT (self), "creation-assistant", assistant);
      g_signal_connect_object (assistant, "destroy", G_CALLBACK (on_assistant_destroyed), self, 0);
    }
  gtk_window_present (GTK_WINDOW (assistant));
}

/* win.details: the selected machine's details window (issue 6). */
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
  connection = vmd_connection_find_owner (vmd_application_get_connections (VMD_APPLICATION (application)),
                                          self->selected);
  features->details_window_present (application, connection, self->selected);
}

static void
add_actions (VmdWindow *self)
{
  static const GActionEntry details_entry[] = { { "details", on_show_details } };

  g_action_map_add_action_entries (G_ACTION_MAP (self), details_entry, 1, self);
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
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  GListModel *connections = application != NULL
                              ? vmd_application_get_connections (VMD_APPLICATION (application))
                              : NULL;
  const VmdFeatures *features = get_features (self);

  if (features != NULL)
    gtk_widget_show (features->host_window_new (GTK_WINDOW (self), connections));
}

static void
on_kvm_bar_response (GtkInfoBar *bar,
                     int         response,
                     VmdWindow  *self)
{
  gtk_widget_hide (self->kvm_bar);
}

static void
on_kvm_checked (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VmdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (vmd_host_check_run_finish (VMD_HOST_CHECK (source), result, &error) &&
      !vmd_host_check_kvm_usable (VMD_HOST_CHECK (source)))
    gtk_widget_show (self->kvm_bar);
}

/* --- connection details (issue 19): the one hook into this window ------------------------------ */

/* The selected machine's connection, else the window's first connected one. */
static void
on_connection_details (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  VmdWindow *self = user_data;
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  GListModel *connections = application != NULL
                              ? vmd_application_get_connections (VMD_APPLICATION (application))
                              : NULL;
  VmdConnection *connection = connections != NULL && self->selected != NULL
                                ? vmd_connection_find_owner (connections, self->selected) : NULL;
  const VmdFeatures *features = get_features (self);

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
  self->host_check = vmd_host_check_new ("/", NULL, FALSE);
  vmd_host_check_run_async (self->host_check, self->cancellable, on_kvm_checked, g_object_ref (self));
}

static void
save_window_state (VmdWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = application != NULL ? vmd_application_get_settings (VMD_APPLICATION (application)) : NULL;
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
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->selected);
  g_clear_object (&self->host_check);
  G_OBJECT_CLASS (vmd_window_parent_class)->dispose (object);
}

static void
vmd_window_class_init (VmdWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_window_dispose;
  widget_class->key_press_event = on_key_press;

  g_type_ensure (VMD_TYPE_MACHINE_LIST);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, error_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, machine_list);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, machine_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_error_bar_response);
  gtk_widget_class_bind_template_child (widget_class, VmdWindow, kvm_bar);
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
  g_signal_connect_object (self->machine_list, "notify::selected-machine",
                           G_CALLBACK (on_selection_changed), self, 0);
  update_actions (self);
}

VmdWindow *
vmd_window_new (VmdApplication *application,
                GListModel     *connections)
{
  VmdWindow *self = g_object_new (VMD_TYPE_WINDOW, "application", application, NULL);
  GSettings *settings = vmd_application_get_settings (application);

  if (settings != NULL)
    restore_window_state (self, settings);
  vmd_machine_list_set_connections (self->machine_list, connections);
  return self;
}
