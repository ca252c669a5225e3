/* VmdSpiceView: a SpiceDisplay for a machine's first display. On a local connection every SPICE
 * channel gets its socket from libvirt (virDomainOpenGraphicsFD), so neither a TCP port nor a
 * password is needed. A machine on a host reached over SSH gets each channel's socket through its
 * own `ssh -W` to the listen address as that host sees it (VmdSshTunnel), as virt-viewer does;
 * other remote machines are reached at their listen address. */
#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>
#include <spice-client-gtk.h>

#include "vmd-spice-view.h"
#include "vmd-ssh-tunnel.h"

struct _VmdSpiceView
{
  GtkBox           parent_instance;

  GtkWidget       *toolbar_revealer;
  GtkWidget       *fit_button;
  GtkWidget       *resize_guest_button;
  GtkWidget       *display_stack;
  GtkWidget       *message_label;
  GtkWidget       *display_box;
  GtkWidget       *fullscreen_revealer;
  GtkWidget       *reveal_strip;
  GMenuModel      *send_key_menu;

  VmdMachine      *machine;
  char            *remote_uri;    /* NULL for a local connection */
  char            *remote_host;   /* NULL for a local connection */
  VmdSshTunnel    *tunnel;        /* while connected over SSH */
  SpiceSession    *session;
  SpiceMainChannel *main_channel;
  SpiceDisplay    *display;
  GCancellable    *cancellable;
  gboolean         fullscreen;
  gboolean         keyboard_grabbed;
};

G_DEFINE_FINAL_TYPE (VmdSpiceView, vmd_spice_view, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_KEYBOARD_GRABBED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_message (VmdSpiceView *self,
              const char   *message)
{
  gtk_label_set_text (GTK_LABEL (self->message_label), message);
  gtk_stack_set_visible_child_name (GTK_STACK (self->display_stack), "message");
}

static void
set_keyboard_grabbed (VmdSpiceView *self,
                      gboolean      grabbed)
{
  if (self->keyboard_grabbed == grabbed)
    return;
  self->keyboard_grabbed = grabbed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYBOARD_GRABBED]);
}

/* --- session -------------------------------------------------------------------------------- */

static gboolean
disconnect_session (gpointer session)
{
  spice_session_disconnect (session);
  return G_SOURCE_REMOVE;
}

/* spice_session_disconnect takes each channel's session away at once, but a channel whose
 * coroutine is waiting for the main loop to emit "channel-event" (opened) goes on to set itself
 * up when it resumes, and asks that session whether it is read-only: a GSpice-CRITICAL when the
 * window closed while SPICE was still linking. So the channels are told to stop first, with
 * their session still theirs, and the session is dropped only once the main loop has nothing
 * more urgent (their pending emissions are idles of higher priority). */
static void
end_session_later (SpiceSession *session)
{
  g_autoptr(GList) channels = spice_session_get_channels (session);

  for (GList *l = channels; l != NULL; l = l->next)
    spice_channel_disconnect (l->data, SPICE_CHANNEL_NONE);
  g_idle_add_full (G_PRIORITY_LOW, disconnect_session, session, g_object_unref);
}

/* Ends the SPICE session; message, when given, replaces the display. */
void
vmd_spice_view_disconnect (VmdSpiceView *self,
                           const char   *message)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->display != NULL)
    gtk_widget_destroy (GTK_WIDGET (self->display));
  self->display = NULL;
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      if (self->main_channel != NULL)
        g_signal_handlers_disconnect_by_data (self->main_channel, self);
      /* spice-gtk's clipboard handler can outlive the session it asks whether it is read-only
       * (a CRITICAL when the host's selection changes afterwards); without auto-clipboard it
       * never asks. */
      g_object_set (spice_gtk_session_get (self->session), "auto-clipboard", FALSE, NULL);
      end_session_later (g_steal_pointer (&self->session));
    }
  self->main_channel = NULL;
  if (self->tunnel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tunnel, self);
      vmd_ssh_tunnel_close (self->tunnel);
      g_clear_object (&self->tunnel);
    }
  set_keyboard_grabbed (self, FALSE);
  if (message != NULL)
    show_message (self, message);
}

typedef struct {
  VmdSpiceView *self;
  SpiceChannel *channel;      /* NULL for the session's main channel */
  GCancellable *cancellable;  /* of the session that asked: a later one must not get the fd */
} FdRequest;

static void
fd_request_free (FdRequest *request)
{
  g_clear_object (&request->channel);
  g_clear_object (&request->cancellable);
  g_object_unref (request->self);
  g_free (request);
}

static void
on_graphics_fd (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FdRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  int fd = vmd_machine_open_graphics_fd_finish (VMD_MACHINE (source), result, &error);
  VmdSpiceView *self = request->self;

  if (g_cancellable_is_cancelled (request->cancellable))
    {
      if (fd >= 0)
        close (fd);
    }
  else if (fd < 0)
    show_message (self, error->message);
  else if (request->channel != NULL)
    spice_channel_open_fd (request->channel, fd);
  else
    spice_session_open_fd (self->session, fd);
  fd_request_free (request);
}

/* A new ssh per socket: spawning does not wait for ssh to connect, so it is done here at once;
 * ssh failing later shows through the tunnel's "failed". */
static void
open_tunnel_fd (VmdSpiceView *self,
                SpiceChannel *channel)
{
  g_autoptr(GError) error = NULL;
  int fd = vmd_ssh_tunnel_open_fd (self->tunnel, &error);

  if (fd < 0)
    show_message (self, error->message);
  else if (channel != NULL)
    spice_channel_open_fd (channel, fd);
  else
    spice_session_open_fd (self->session, fd);
}

static void
request_fd (VmdSpiceView *self,
            SpiceChannel *channel)
{
  FdRequest *request;

  if (self->tunnel != NULL)
    {
      open_tunnel_fd (self, channel);
      return;
    }
  request = g_new0 (FdRequest, 1);

  request->self = g_object_ref (self);
  request->channel = channel != NULL ? g_object_ref (channel) : NULL;
  request->cancellable = g_object_ref (self->cancellable);
  vmd_machine_open_graphics_fd_async (self->machine, self->cancellable, on_graphics_fd, request);
}

static void
on_open_fd (SpiceChannel *channel,
            int           with_tls,
            VmdSpiceView *self)
{
  request_fd (self, channel);
}

static void
on_main_channel_event (SpiceChannel      *channel,
                       SpiceChannelEvent  event,
                       VmdSpiceView      *self)
{
  switch (event)
    {
    case SPICE_CHANNEL_OPENED:
      break;
    case SPICE_CHANNEL_CLOSED:
      show_message (self, _("The display was closed"));
      break;
    case SPICE_CHANNEL_ERROR_CONNECT:
    case SPICE_CHANNEL_ERROR_IO:
    case SPICE_CHANNEL_ERROR_LINK:
      /* Over SSH, what ssh said (refused, port closed) says more than SPICE's end of it. */
      if (self->tunnel != NULL && vmd_ssh_tunnel_get_failure (self->tunnel) != NULL)
        show_message (self, vmd_ssh_tunnel_get_failure (self->tunnel));
      else
        show_message (self, _("The connection to the display failed"));
      break;
    case SPICE_CHANNEL_ERROR_AUTH:
      show_message (self, _("The display asks for a password, which VM Desk cannot give yet"));
      break;
    default:
      show_message (self, _("The connection to the display failed"));
      break;
    }
}

static void
on_keyboard_grab (SpiceDisplay *display,
                  int           grabbed,
                  VmdSpiceView *self)
{
  set_keyboard_grabbed (self, grabbed != 0);
}

static void
add_display (VmdSpiceView *self,
             int           channel_id)
{
  AtkObject *accessible;

  self->display = spice_display_new (self->session, channel_id);
  g_object_set (self->display,
                "scaling", gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->fit_button)),
                "resize-guest", gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->resize_guest_button)),
                "grab-keyboard", TRUE,
                "grab-mouse", TRUE,
                NULL);
  accessible = gtk_widget_get_accessible (GTK_WIDGET (self->display));
  atk_object_set_name (accessible, _("Machine display"));
  g_signal_connect_object (self->display, "keyboard-grab", G_CALLBACK (on_keyboard_grab), self, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->display), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->display), TRUE);
  gtk_widget_show (GTK_WIDGET (self->display));
  gtk_container_add (GTK_CONTAINER (self->display_box), GTK_WIDGET (self->display));
  gtk_stack_set_visible_child_name (GTK_STACK (self->display_stack), "display");
}

static void
on_channel_new (SpiceSession *session,
                SpiceChannel *channel,
                VmdSpiceView *self)
{
  int id = 0;

  if (self->remote_host == NULL || self->tunnel != NULL)
    g_signal_connect_object (channel, "open-fd", G_CALLBACK (on_open_fd), self, 0);
  g_object_get (channel, "channel-id", &id, NULL);
  if (SPICE_IS_MAIN_CHANNEL (channel))
    {
      self->main_channel = SPICE_MAIN_CHANNEL (channel);
      g_signal_connect_object (channel, "channel-event", G_CALLBACK (on_main_channel_event), self, 0);
    }
  /* The first display only; a multi-head guest shows its first monitor. */
  else if (SPICE_IS_DISPLAY_CHANNEL (channel) && id == 0 && self->display == NULL)
    add_display (self, id);
}

static void
on_channel_destroy (SpiceSession *session,
                    SpiceChannel *channel,
                    VmdSpiceView *self)
{
  if (SPICE_CHANNEL (self->main_channel) == channel)
    self->main_channel = NULL;
}

/* A listen address that means "every interface" is reached by the connection's host name. */
static char *
remote_address (VmdSpiceView   *self,
                VmdConsoleInfo *info)
{
  const char *listen = info->graphics_listen;

  if (listen == NULL || *listen == '\0' || g_str_equal (listen, "0.0.0.0") ||
      g_str_equal (listen, "::") || g_str_has_prefix (listen, "127.") || g_str_equal (listen, "::1"))
    return g_strdup (self->remote_host);
  return g_strdup (listen);
}

static gboolean
connect_remote (VmdSpiceView   *self,
                VmdConsoleInfo *info)
{
  g_autofree char *host = remote_address (self, info);
  g_autofree char *port = NULL;
  g_autofree char *tls_port = NULL;

  if (info->graphics_listen == NULL || info->graphics_port <= 0)
    {
      show_message (self, _("This display accepts no network connection: open the machine from a "
                            "VM Desk running on its host"));
      return FALSE;
    }
  port = g_strdup_printf ("%d", info->graphics_port);
  if (info->graphics_tls_port > 0)
    tls_port = g_strdup_printf ("%d", info->graphics_tls_port);
  g_object_set (self->session, "host", host, "port", port, "tls-port", tls_port, NULL);
  return spice_session_connect (self->session);
}

static void
on_tunnel_failed (VmdSshTunnel *tunnel,
                  const char   *message,
                  VmdSpiceView *self)
{
  show_message (self, message);
}

static gboolean
connect_tunnel (VmdSpiceView   *self,
                VmdConsoleInfo *info)
{
  g_autoptr(GError) error = NULL;

  if (info->graphics_listen == NULL || info->graphics_port <= 0)
    {
      show_message (self, _("This display accepts no network connection: open the machine from a "
                            "VM Desk running on its host"));
      return FALSE;
    }
  self->tunnel = vmd_ssh_tunnel_new (self->remote_uri, info->graphics_listen, info->graphics_port,
                                     &error);
  if (self->tunnel == NULL)
    {
      show_message (self, error->message);
      return FALSE;
    }
  g_signal_connect_object (self->tunnel, "failed", G_CALLBACK (on_tunnel_failed), self, 0);
  request_fd (self, NULL);
  return TRUE;
}

/* Starts a SPICE session for a running machine; info is its live definition. */
void
vmd_spice_view_connect (VmdSpiceView   *self,
                        VmdConsoleInfo *info)
{
  SpiceGtkSession *gtk_session;

  vmd_spice_view_disconnect (self, NULL);
  if (g_strcmp0 (info->graphics_type, "spice") != 0)
    {
      show_message (self, _("This machine has no SPICE display"));
      return;
    }
  self->cancellable = g_cancellable_new ();
  self->session = spice_session_new ();
  g_object_set (self->session, "enable-usbredir", TRUE, NULL);
  gtk_session = spice_gtk_session_get (self->session);
  g_object_set (gtk_session, "auto-clipboard", TRUE, "auto-usbredir", FALSE, NULL);
  g_signal_connect_object (self->session, "channel-new", G_CALLBACK (on_channel_new), self, 0);
  g_signal_connect_object (self->session, "channel-destroy", G_CALLBACK (on_channel_destroy), self, 0);
  show_message (self, _("Connecting to the display…"));

  if (self->remote_host == NULL)
    request_fd (self, NULL);
  else if (vmd_ssh_tunnel_applies_to (self->remote_uri))
    {
      if (!connect_tunnel (self, info))
        g_clear_object (&self->session);
    }
  else if (!connect_remote (self, info))
    g_clear_object (&self->session);
}

/* --- toolbar -------------------------------------------------------------------------------- */

static const struct {
  const char *name;
  guint       keys[4];
} key_combos[] = {
  { "ctrl-alt-del",       { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_Delete } },
  { "ctrl-alt-backspace", { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_BackSpace } },
  { "print",              { GDK_KEY_Print } },
  { "ctrl-alt-f1",        { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F1 } },
  { "ctrl-alt-f2",        { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F2 } },
  { "ctrl-alt-f3",        { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F3 } },
  { "ctrl-alt-f4",        { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F4 } },
  { "ctrl-alt-f5",        { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F5 } },
  { "ctrl-alt-f6",        { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F6 } },
  { "ctrl-alt-f7",        { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F7 } },
  { "ctrl-alt-f8",        { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F8 } },
  { "ctrl-alt-f9",        { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F9 } },
  { "ctrl-alt-f10",       { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F10 } },
  { "ctrl-alt-f11",       { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F11 } },
  { "ctrl-alt-f12",       { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F12 } },
};

static void
on_send_key (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  VmdSpiceView *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);

  if (self->display == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (key_combos); i++)
    if (g_str_equal (key_combos[i].name, name))
      {
        guint n = 0;

        while (n < G_N_ELEMENTS (key_combos[i].keys) && key_combos[i].keys[n] != 0)
          n++;
        spice_display_send_keys (self->display, key_combos[i].keys, n, SPICE_DISPLAY_KEY_EVENT_CLICK);
      }
}

static void
on_screenshot_saved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(VmdSpiceView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The screenshot was not saved: %s"), error->message);
      GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                                  GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_ERROR,
                                                  GTK_BUTTONS_CLOSE, "%s", message);

      g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
      gtk_widget_show (dialog);
    }
}

/* Encoded in memory (quick), written off the main loop. */
/* What the Save Screenshot dialog answers about. */
typedef struct {
  VmdSpiceView *view;
  GdkPixbuf    *pixbuf;
} Screenshot;

static void
on_screenshot_response (GtkNativeDialog *dialog,
                        int              response,
                        gpointer         user_data)
{
  Screenshot *shot = user_data;
  VmdSpiceView *self = shot->view;
  GdkPixbuf *pixbuf = shot->pixbuf;
  g_autofree char *png = NULL;
  gsize size = 0;

  if (response == GTK_RESPONSE_ACCEPT && gdk_pixbuf_save_to_buffer (pixbuf, &png, &size, "png", NULL, NULL))
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&png), size);

      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                           G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                           on_screenshot_saved, g_object_ref (self));
    }
  g_object_unref (pixbuf);
  g_object_unref (self);
  g_free (shot);
  g_object_unref (dialog);
}

static void
on_screenshot (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  VmdSpiceView *self = user_data;
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;
  GdkPixbuf *pixbuf;
  Screenshot *shot;

  if (self->display == NULL || (pixbuf = spice_display_get_pixbuf (self->display)) == NULL)
    return;
  name = g_strdup_printf ("%s.png", vmd_machine_get_name (self->machine));
  dialog = gtk_file_chooser_native_new (_("Save Screenshot"),
                                        GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  shot = g_new0 (Screenshot, 1);
  shot->view = g_object_ref (self);
  shot->pixbuf = pixbuf;
  g_signal_connect (dialog, "response", G_CALLBACK (on_screenshot_response), shot);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_usb (GSimpleAction *action,
        GVariant      *parameter,
        gpointer       user_data)
{
  VmdSpiceView *self = user_data;
  GtkWidget *dialog;
  GtkWidget *chooser;

  if (self->session == NULL)
    return;
  dialog = gtk_dialog_new_with_buttons (_("USB Devices"),
                                        GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                        GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT |
                                        GTK_DIALOG_USE_HEADER_BAR,
                                        NULL, NULL);
  chooser = spice_usb_device_widget_new (self->session, "%s %s");
  gtk_container_set_border_width (GTK_CONTAINER (chooser), 12);
  atk_object_set_name (gtk_widget_get_accessible (chooser), _("USB devices to redirect"));
  gtk_widget_show (chooser);
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), chooser);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (dialog);
}

static void
on_fit_toggled (GtkToggleButton *button,
                VmdSpiceView    *self)
{
  if (self->display != NULL)
    g_object_set (self->display, "scaling", gtk_toggle_button_get_active (button), NULL);
}

static void
on_resize_guest_toggled (GtkToggleButton *button,
                         VmdSpiceView    *self)
{
  if (self->display != NULL)
    g_object_set (self->display, "resize-guest", gtk_toggle_button_get_active (button), NULL);
}

/* In fullscreen the toolbar hides; touching the top edge brings a small one back. */
static gboolean
on_reveal_strip_enter (GtkWidget        *strip,
                       GdkEventCrossing *event,
                       VmdSpiceView     *self)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->fullscreen_revealer), TRUE);
  return GDK_EVENT_PROPAGATE;
}

static gboolean
on_fullscreen_bar_leave (GtkWidget        *bar,
                         GdkEventCrossing *event,
                         VmdSpiceView     *self)
{
  if (event->detail != GDK_NOTIFY_INFERIOR)
    gtk_revealer_set_reveal_child (GTK_REVEALER (self->fullscreen_revealer), FALSE);
  return GDK_EVENT_PROPAGATE;
}

void
vmd_spice_view_set_fullscreen (VmdSpiceView *self,
                               gboolean      fullscreen)
{
  self->fullscreen = fullscreen;
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->toolbar_revealer), !fullscreen);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->fullscreen_revealer), FALSE);
  gtk_widget_set_visible (self->reveal_strip, fullscreen);
}

gboolean
vmd_spice_view_get_keyboard_grabbed (VmdSpiceView *self)
{
  return self->keyboard_grabbed;
}

/* --- GObject -------------------------------------------------------------------------------- */

static void
vmd_spice_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VmdSpiceView *self = VMD_SPICE_VIEW (object);

  switch (prop_id)
    {
    case PROP_KEYBOARD_GRABBED: g_value_set_boolean (value, self->keyboard_grabbed); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_spice_view_dispose (GObject *object)
{
  VmdSpiceView *self = VMD_SPICE_VIEW (object);

  vmd_spice_view_disconnect (self, NULL);
  g_clear_object (&self->machine);
  g_clear_pointer (&self->remote_host, g_free);
  g_clear_pointer (&self->remote_uri, g_free);
  G_OBJECT_CLASS (vmd_spice_view_parent_class)->dispose (object);
}

/* A machine stopped while a channel was linking makes spice-gtk warn "incomplete link header"
 * (the socket closed before the server's first bytes); the channel then reports the error, which
 * the view shows. Over SSH the same happens when ssh gives up (host key refused, port closed),
 * as a reset (-104: ssh left the link message unread): the view shows what ssh said. Only that
 * one message is dropped: others still reach the log. */
static void
on_spice_log (const char     *log_domain,
              GLogLevelFlags  level,
              const char     *message,
              gpointer        user_data)
{
  if (!g_str_has_prefix (message, "incomplete link header (0/") &&
      !g_str_has_prefix (message, "incomplete link header (-104/"))
    g_log_default_handler (log_domain, level, message, user_data);
}

static void
vmd_spice_view_class_init (VmdSpiceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vmd_spice_view_dispose;
  object_class->get_property = vmd_spice_view_get_property;
  g_log_set_handler ("GSpice", G_LOG_LEVEL_WARNING, on_spice_log, NULL);

  properties[PROP_KEYBOARD_GRABBED] =
    g_param_spec_boolean ("keyboard-grabbed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-spice-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdSpiceView, toolbar_revealer);
  gtk_widget_class_bind_template_child (widget_class, VmdSpiceView, fit_button);
  gtk_widget_class_bind_template_child (widget_class, VmdSpiceView, resize_guest_button);
  gtk_widget_class_bind_template_child (widget_class, VmdSpiceView, display_stack);
  gtk_widget_class_bind_template_child (widget_class, VmdSpiceView, message_label);
  gtk_widget_class_bind_template_child (widget_class, VmdSpiceView, display_box);
  gtk_widget_class_bind_template_child (widget_class, VmdSpiceView, fullscreen_revealer);
  gtk_widget_class_bind_template_child (widget_class, VmdSpiceView, reveal_strip);
  gtk_widget_class_bind_template_child (widget_class, VmdSpiceView, send_key_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_fit_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_resize_guest_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_reveal_strip_enter);
  gtk_widget_class_bind_template_callback (widget_class, on_fullscreen_bar_leave);
}

static void
vmd_spice_view_init (VmdSpiceView *self)
{
  static const GActionEntry entries[] = {
    { "send-key", on_send_key, "s" },
    { "screenshot", on_screenshot },
    { "usb", on_usb },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "spice", G_ACTION_GROUP (group));
}

/* remote_uri: the connection's URI when it names another computer, else NULL. */
GtkWidget *
vmd_spice_view_new (VmdMachine *machine,
                    const char *remote_uri)
{
  VmdSpiceView *self = g_object_new (VMD_TYPE_SPICE_VIEW, NULL);
  g_autoptr(GUri) uri = remote_uri != NULL ? g_uri_parse (remote_uri, G_URI_FLAGS_NONE, NULL) : NULL;

  self->machine = g_object_ref (machine);
  self->remote_uri = g_strdup (remote_uri);
  if (uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
    self->remote_host = g_strdup (g_uri_get_host (uri));
  show_message (self, _("The machine is not running"));
  return GTK_WIDGET (self);
}
