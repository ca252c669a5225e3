/* VmdConsoleWindow: a machine's Graphics, Serial and Monitor views in a stack, only those it has.
 * One window per machine, which it holds for its life: opening the console again presents the
 * window already there. Each start of the machine, and each return of its connection, re-reads
 * its definition (ports and aliases change) and reconnects the views. A machine that stops or
 * goes away here while the same domain (its UUID) runs on another open connection has migrated:
 * the window follows it there by itself. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-console-window.h"
#include "vmd-display-name.h"
#include "vmd-machine-finder.h"
#include "vmd-monitor-view.h"
#include "vmd-serial-view.h"
#include "vmd-spice-view.h"

struct _VmdConsoleWindow
{
  GtkApplicationWindow  parent_instance;

  GtkWidget            *stack;
  GtkWidget            *run_button;
  GtkWidget            *error_bar;
  GtkWidget            *error_label;

  VmdMachine           *machine;
  char                 *remote_host;
  char                 *remote_uri;    /* with remote_host: the connection's URI */
  gboolean              gone;          /* deleted, or its connection lost, as the views say */
  gboolean              active;        /* as last seen: a resume is no new start */
  GtkWidget            *spice_view;
  GtkWidget            *serial_view;
  GtkWidget            *monitor_view;
  GCancellable         *cancellable;
  gboolean              fullscreen;
  gboolean              ready;

  GListModel           *connections;   /* where it may go; NULL: it is not followed */
  GPtrArray            *watched;       /* machine lists watched while it may be arriving */
  guint                 follow_id;     /* gives up waiting */
};

#define FOLLOW_WAIT_S 60

G_DEFINE_FINAL_TYPE (VmdConsoleWindow, vmd_console_window, GTK_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_READY, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Ready: what the machine prints from now on shows here (its serial console is attached, or it
 * has none). The creation assistant waits for it before the first start goes on. */
static void
set_ready (VmdConsoleWindow *self,
           gboolean          ready)
{
  if (self->ready == ready)
    return;
  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
on_serial_attached (VmdSerialView    *view,
                    GParamSpec       *pspec,
                    VmdConsoleWindow *self)
{
  set_ready (self, vmd_serial_view_get_attached (view));
}

/* Run is offered where there is nothing to show: a machine that is not running. */
static void
update_run_button (VmdConsoleWindow *self)
{
  gtk_widget_set_visible (self->run_button, vmd_machine_can (self->machine, VMD_MACHINE_ACTION_START));
}

static void
show_error (VmdConsoleWindow *self,
            const char       *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_widget_show (self->error_bar);
}

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VmdConsoleWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (vmd_machine_run_action_finish (VMD_MACHINE (source), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_error (self, error->message);
}

static void
on_run (GSimpleAction *action,
        GVariant      *parameter,
        gpointer       user_data)
{
  VmdConsoleWindow *self = user_data;

  gtk_widget_hide (self->error_bar);
  vmd_machine_run_action_async (self->machine, VMD_MACHINE_ACTION_START, self->cancellable,
                                on_started, g_object_ref (self));
}

static void
on_error_response (GtkInfoBar       *bar,
                   int               response,
                   VmdConsoleWindow *self)
{
  gtk_widget_hide (GTK_WIDGET (bar));
}

static void
update_title (VmdConsoleWindow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *name = vmd_name_for_display (vmd_machine_get_name (self->machine));

  if (vmd_spice_view_get_keyboard_grabbed (VMD_SPICE_VIEW (self->spice_view)))
    title = g_strdup_printf (_("%s — Console (press Ctrl+Alt to release the keyboard)"), name);
  else
    title = g_strdup_printf (_("%s — Console"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
on_grab_changed (VmdSpiceView     *view,
                 GParamSpec       *pspec,
                 VmdConsoleWindow *self)
{
  update_title (self);
}

static void
add_page (VmdConsoleWindow *self,
          GtkWidget        *view,
          const char       *name,
          const char       *title)
{
  if (gtk_widget_get_parent (view) != NULL)
    return;
  gtk_widget_show (view);
  gtk_stack_add_titled (GTK_STACK (self->stack), view, name, title);
}

/* Made only for a machine that has a serial console: a terminal never placed in a window would
 * complain when it is freed (VTE 0.70 disconnects from the GtkSettings of a screen it never
 * had). */
static GtkWidget *
ensure_serial_view (VmdConsoleWindow *self)
{
  if (self->serial_view == NULL)
    {
      self->serial_view = g_object_ref_sink (vmd_serial_view_new (self->machine,
                                                                  self->remote_host != NULL));
      g_signal_connect_object (self->serial_view, "notify::attached",
                               G_CALLBACK (on_serial_attached), self, 0);
    }
  return self->serial_view;
}

/* Pages appear the first time the definition shows the device; the first view the machine has
 * is shown: its graphics, else its serial console. */
static void
show_pages (VmdConsoleWindow *self,
            VmdConsoleInfo   *info)
{
  gboolean first = gtk_stack_get_visible_child (GTK_STACK (self->stack)) == NULL;
  gboolean spice = g_strcmp0 (info->graphics_type, "spice") == 0;

  if (spice)
    add_page (self, self->spice_view, "graphics", _("Graphics"));
  if (info->consoles->len > 0)
    add_page (self, ensure_serial_view (self), "serial", _("Serial"));
  add_page (self, self->monitor_view, "monitor", _("Monitor"));
  /* Children are added in this order, but a later start may add an earlier page. */
  gtk_container_child_set (GTK_CONTAINER (self->stack), self->monitor_view, "position", -1, NULL);
  if (first)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                      spice ? "graphics" : info->consoles->len > 0 ? "serial" : "monitor");
}

static void
on_consoles_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VmdConsoleWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdConsoleInfo) info = vmd_machine_read_consoles_finish (VMD_MACHINE (source), result, &error);

  if (g_cancellable_is_cancelled (self->cancellable) || self->gone)
    return;
  if (info == NULL)
    {
      /* Usually a machine stopped or deleted meanwhile, which its state or deletion tells too. */
      if (vmd_machine_is_active (self->machine))
        show_error (self, error->message);
      return;
    }
  show_pages (self, info);
  if (info->consoles->len > 0)
    vmd_serial_view_set_consoles (VMD_SERIAL_VIEW (ensure_serial_view (self)), info->consoles);
  else
    set_ready (self, TRUE);
  if (vmd_machine_get_state (self->machine) == VMD_MACHINE_STATE_RUNNING ||
      vmd_machine_get_state (self->machine) == VMD_MACHINE_STATE_PAUSED)
    vmd_spice_view_connect (VMD_SPICE_VIEW (self->spice_view), info);
}

static void
read_consoles (VmdConsoleWindow *self)
{
  vmd_machine_read_consoles_async (self->machine, self->cancellable, on_consoles_read,
                                   g_object_ref (self));
}

static void start_following (VmdConsoleWindow *self);
static void stop_following (VmdConsoleWindow *self);

static void
on_state_changed (VmdMachine       *machine,
                  GParamSpec       *pspec,
                  VmdConsoleWindow *self)
{
  gboolean was_active = self->active;

  self->active = vmd_machine_is_active (machine);
  update_run_button (self);
  if (self->active && !was_active)
    {
      stop_following (self);
      read_consoles (self);
    }
  else if (!self->active && was_active)
    {
      vmd_spice_view_disconnect (VMD_SPICE_VIEW (self->spice_view), _("The machine is not running"));
      start_following (self);
    }
}

/* --- the machine it holds: lost with its connection, back with it, or deleted ------------------ */

static void
drop_views (VmdConsoleWindow *self)
{
  GtkWidget *views[] = { self->spice_view, self->serial_view, self->monitor_view };

  if (self->serial_view != NULL)
    vmd_serial_view_disconnect (VMD_SERIAL_VIEW (self->serial_view), NULL);
  if (self->spice_view != NULL)
    vmd_spice_view_disconnect (VMD_SPICE_VIEW (self->spice_view), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    if (views[i] != NULL && gtk_widget_get_parent (views[i]) != NULL)
      gtk_container_remove (GTK_CONTAINER (self->stack), views[i]);
  g_clear_object (&self->spice_view);
  g_clear_object (&self->serial_view);
  g_clear_object (&self->monitor_view);
}

/* The views say why they stopped; what was on the way is dropped. */
static void
views_gone (VmdConsoleWindow *self,
            const char       *message)
{
  self->gone = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  gtk_widget_hide (self->run_button);
  if (self->serial_view != NULL)
    vmd_serial_view_disconnect (VMD_SERIAL_VIEW (self->serial_view), message);
  vmd_spice_view_disconnect (VMD_SPICE_VIEW (self->spice_view), message);
}

/* libvirt 9 does not end a console stream whose connection died: the views are told. */
static void
on_connected_changed (VmdMachine       *machine,
                      GParamSpec       *pspec,
                      VmdConsoleWindow *self)
{
  if (!vmd_machine_get_connected (machine))
    {
      views_gone (self, _("Disconnected: the connection to libvirt was lost; the console comes "
                          "back with it"));
      return;
    }
  self->gone = FALSE;
  self->active = vmd_machine_is_active (machine);
  update_run_button (self);
  read_consoles (self);
}

static void
on_deleted (VmdMachine       *machine,
            VmdConsoleWindow *self)
{
  views_gone (self, _("Disconnected: the machine was deleted"));
  start_following (self);
}

static void hold_machine (VmdConsoleWindow *self, VmdMachine *machine);
static char *remote_host_of (VmdConnection *connection);
static char *remote_uri_of (VmdConnection *connection);

/* --- following it to another host --------------------------------------------------------------- */

/* The same domain, running on another connection. */
static VmdMachine *
find_elsewhere (VmdConsoleWindow *self)
{
  VmdConnection *own = vmd_machine_get_connection (self->machine);
  guint n = g_list_model_get_n_items (self->connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);
      VmdMachine *machine;

      if (connection == own)
        continue;
      machine = vmd_connection_find_machine_by_uuid (connection, vmd_machine_get_uuid (self->machine));
      if (machine != NULL && vmd_machine_is_active (machine))
        return machine;
    }
  return NULL;
}

static void
stop_following (VmdConsoleWindow *self)
{
  g_clear_handle_id (&self->follow_id, g_source_remove);
  for (guint i = 0; self->watched != NULL && i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (self->watched->pdata[i], self);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
}

/* The views are made again for the machine over there; the window stays where it is. */
static void
follow_to (VmdConsoleWindow *self,
           VmdMachine       *machine)
{
  g_autoptr(VmdMachine) to = g_object_ref (machine);

  stop_following (self);
  g_signal_handlers_disconnect_by_data (self->machine, self);
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  drop_views (self);
  g_clear_object (&self->machine);
  g_free (self->remote_host);
  self->remote_host = remote_host_of (vmd_machine_get_connection (to));
  g_free (self->remote_uri);
  self->remote_uri = remote_uri_of (vmd_machine_get_connection (to));
  self->gone = FALSE;
  hold_machine (self, to);
}

static gboolean
try_follow (gpointer user_data)
{
  VmdConsoleWindow *self = user_data;
  VmdMachine *there = find_elsewhere (self);

  if (there == NULL)
    return FALSE;
  follow_to (self, there);
  return TRUE;
}

static void watch_candidates (VmdConsoleWindow *self);

static void
on_list_changed (GListModel       *list,
                 guint             position,
                 guint             removed,
                 guint             added,
                 VmdConsoleWindow *self)
{
  if (!try_follow (self) && self->watched != NULL)
    watch_candidates (self);
}

/* Its state on the new host may come after it is listed. */
static void
on_candidate_state (VmdMachine       *machine,
                    GParamSpec       *pspec,
                    VmdConsoleWindow *self)
{
  try_follow (self);
}

static gboolean
on_follow_timeout (gpointer user_data)
{
  VmdConsoleWindow *self = user_data;

  self->follow_id = 0;
  stop_following (self);
  return G_SOURCE_REMOVE;
}

static void
watch (VmdConsoleWindow *self,
       gpointer          instance,
       const char       *signal,
       GCallback         handler)
{
  g_signal_connect_object (instance, signal, handler, self, 0);
  g_ptr_array_add (self->watched, g_object_ref (instance));
}

/* Its lists, and the state of the same domain where one lists it. */
static void
watch_candidates (VmdConsoleWindow *self)
{
  guint n = g_list_model_get_n_items (self->connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);
      GListModel *machines = vmd_connection_get_machines (connection);
      VmdMachine *same = vmd_connection_find_machine_by_uuid (connection,
                                                              vmd_machine_get_uuid (self->machine));

      if (connection == vmd_machine_get_connection (self->machine))
        continue;
      if (!g_ptr_array_find (self->watched, machines, NULL))
        watch (self, machines, "items-changed", G_CALLBACK (on_list_changed));
      if (same != NULL && !g_ptr_array_find (self->watched, same, NULL))
        watch (self, same, "notify::state", G_CALLBACK (on_candidate_state));
    }
}

/* A migration ends here before the other host's list has the machine running: wait for it there,
 * a while. */
static void
start_following (VmdConsoleWindow *self)
{
  if (self->connections == NULL || self->watched != NULL || try_follow (self))
    return;
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  watch_candidates (self);
  self->follow_id = g_timeout_add_seconds (FOLLOW_WAIT_S, on_follow_timeout, self);
}

static void
hold_machine (VmdConsoleWindow *self,
              VmdMachine       *machine)
{
  self->machine = g_object_ref (machine);
  self->spice_view = g_object_ref_sink (vmd_spice_view_new (machine, self->remote_uri));
  self->monitor_view = g_object_ref_sink (vmd_monitor_view_new (machine));
  g_signal_connect_object (self->spice_view, "notify::keyboard-grabbed",
                           G_CALLBACK (on_grab_changed), self, 0);
  vmd_spice_view_set_fullscreen (VMD_SPICE_VIEW (self->spice_view), self->fullscreen);
  g_signal_connect_object (machine, "notify::state", G_CALLBACK (on_state_changed), self, 0);
  g_signal_connect_object (machine, "notify::connected", G_CALLBACK (on_connected_changed), self, 0);
  g_signal_connect_object (machine, "notify::name", G_CALLBACK (update_title), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (machine, "deleted", G_CALLBACK (on_deleted), self, 0);
  self->active = vmd_machine_is_active (machine);
  update_title (self);
  update_run_button (self);
  if (vmd_machine_get_connected (machine))
    read_consoles (self);
}

static void
on_fullscreen (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  VmdConsoleWindow *self = user_data;

  if (self->fullscreen)
    gtk_window_unfullscreen (GTK_WINDOW (self));
  else
    gtk_window_fullscreen (GTK_WINDOW (self));
}

static gboolean
on_window_state (GtkWidget           *widget,
                 GdkEventWindowState *event)
{
  VmdConsoleWindow *self = VMD_CONSOLE_WINDOW (widget);

  if (event->changed_mask & GDK_WINDOW_STATE_FULLSCREEN)
    {
      self->fullscreen = (event->new_window_state & GDK_WINDOW_STATE_FULLSCREEN) != 0;
      vmd_spice_view_set_fullscreen (VMD_SPICE_VIEW (self->spice_view), self->fullscreen);
    }
  return GTK_WIDGET_CLASS (vmd_console_window_parent_class)->window_state_event (widget, event);
}

static void
vmd_console_window_dispose (GObject *object)
{
  VmdConsoleWindow *self = VMD_CONSOLE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_following (self);
  g_clear_object (&self->connections);
  /* The stream and the SPICE session go with the window, not when the last callback runs. */
  drop_views (self);
  g_clear_object (&self->machine);
  g_clear_pointer (&self->remote_host, g_free);
  g_clear_pointer (&self->remote_uri, g_free);
  G_OBJECT_CLASS (vmd_console_window_parent_class)->dispose (object);
}

static void
vmd_console_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_READY: g_value_set_boolean (value, VMD_CONSOLE_WINDOW (object)->ready); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_console_window_class_init (VmdConsoleWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_console_window_dispose;
  G_OBJECT_CLASS (klass)->get_property = vmd_console_window_get_property;
  widget_class->window_state_event = on_window_state;

  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-console-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdConsoleWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VmdConsoleWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, VmdConsoleWindow, error_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdConsoleWindow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_error_response);
}

static void
vmd_console_window_init (VmdConsoleWindow *self)
{
  static const GActionEntry entries[] = { { "fullscreen", on_fullscreen }, { "run", on_run } };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}

/* The host the connection's URI names, or NULL for a local daemon. */
static char *
remote_host_of (VmdConnection *connection)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (connection == NULL)
    return NULL;
  uri = g_uri_parse (vmd_connection_get_uri (connection), G_URI_FLAGS_NONE, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  return host != NULL && *host != '\0' ? g_strdup (host) : NULL;
}

/* The URI of a connection to another computer, for the display's SSH tunnel; else NULL. */
static char *
remote_uri_of (VmdConnection *connection)
{
  g_autofree char *host = remote_host_of (connection);

  return host != NULL ? g_strdup (vmd_connection_get_uri (connection)) : NULL;
}

static VmdConsoleWindow *
vmd_console_window_new (GtkApplication *application,
                        VmdConnection  *connection,
                        VmdMachine     *machine)
{
  VmdConsoleWindow *self = g_object_new (VMD_TYPE_CONSOLE_WINDOW, "application", application, NULL);

  self->remote_host = remote_host_of (connection != NULL ? connection
                                                         : vmd_machine_get_connection (machine));
  self->remote_uri = remote_uri_of (connection != NULL ? connection
                                                       : vmd_machine_get_connection (machine));
  hold_machine (self, machine);
  return self;
}

/* Presents the machine's console window, made the first time. */
VmdConsoleWindow *
vmd_console_window_present_for (GtkApplication *application,
                                VmdConnection  *connection,
                                VmdMachine     *machine)
{
  VmdConsoleWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (VMD_IS_CONSOLE_WINDOW (l->data) && VMD_CONSOLE_WINDOW (l->data)->machine == machine)
      window = l->data;
  if (window == NULL)
    window = vmd_console_window_new (application, connection, machine);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

gboolean
vmd_console_window_get_ready (VmdConsoleWindow *self)
{
  g_return_val_if_fail (VMD_IS_CONSOLE_WINDOW (self), FALSE);
  return self->ready;
}

/* Opens (or presents) the console of a machine of one of the connections. */
void
vmd_console_window_open (GtkApplication *application,
                         GListModel     *connections,
                         VmdMachine     *machine)
{
  g_autoptr(VmdConnection) connection = vmd_connection_find_owner (connections, machine);
  VmdConsoleWindow *window = vmd_console_window_present_for (application, connection, machine);

  g_set_object (&window->connections, connections);
}

typedef struct {
  GtkApplication *application;
  char           *name;
} PendingOpen;

static void
on_machine_found (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PendingOpen *pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachine) machine = vmd_machine_find_finish (result, &error);

  if (machine != NULL)
    vmd_console_window_present_for (pending->application, vmd_machine_get_connection (machine),
                                    machine);
  else
    g_printerr (_("No machine named “%s” was found: its console cannot be shown\n"), pending->name);
  g_application_release (G_APPLICATION (pending->application));
  g_object_unref (pending->application);
  g_free (pending->name);
  g_free (pending);
}

/* For `vmdesk --show-console NAME`: the console opens once a connection lists the machine,
 * also one being made meanwhile (a minute at most). */
void
vmd_console_window_open_when_found (GtkApplication *application,
                                    GListModel     *connections,
                                    const char     *name)
{
  PendingOpen *pending = g_new0 (PendingOpen, 1);

  pending->application = g_object_ref (application);
  pending->name = g_strdup (name);
  g_application_hold (G_APPLICATION (application));
  vmd_machine_find_async (connections, name, 60, NULL, on_machine_found, pending);
}
