/* VmdSerialView: a machine's serial port or console in a VteTerminal, fed by its console stream
 * (VmdConsoleStream, on the main loop). It follows the machine's state: the stream closes when
 * the machine stops and opens again when it starts. What the machine printed while no console
 * was open comes first, from its serial log when it has one and the file is on this host. */
#include "config.h"

#include <glib/gi18n.h>
#include <vte/vte.h>

#include "vmd-error.h"
#include "vmd-serial-log.h"
#include "vmd-serial-view.h"

struct _VmdSerialView
{
  GtkBox            parent_instance;

  GtkWidget        *status_bar;
  GtkWidget        *status_label;
  GtkWidget        *take_over_button;
  GtkWidget        *reconnect_button;
  GtkWidget        *console_chooser;
  GtkWidget        *history_label;
  GtkWidget        *terminal;

  VmdMachine       *machine;
  gboolean          remote;         /* the machine's host is not this one: its logs are not here */
  GHashTable       *log_files;      /* alias -> the log file of that console */
  gint64            log_position;   /* how far into the log the terminal has shown; -1: not yet */
  VmdConsoleStream *stream;
  GCancellable     *cancellable;    /* the open in progress */
  gboolean          attached;
};

G_DEFINE_FINAL_TYPE (VmdSerialView, vmd_serial_view, GTK_TYPE_BOX)

enum { PROP_0, PROP_ATTACHED, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void open_console (VmdSerialView *self,
                          gboolean       force);

static void
show_status (VmdSerialView *self,
             GtkMessageType type,
             const char    *message,
             gboolean       offer_take_over,
             gboolean       offer_reconnect)
{
  gtk_info_bar_set_message_type (GTK_INFO_BAR (self->status_bar), type);
  gtk_label_set_text (GTK_LABEL (self->status_label), message);
  gtk_widget_set_visible (self->take_over_button, offer_take_over);
  gtk_widget_set_visible (self->reconnect_button, offer_reconnect);
  gtk_widget_show (self->status_bar);
}

static void
hide_status (VmdSerialView *self)
{
  gtk_widget_hide (self->status_bar);
}

/* One quiet line beside the buttons; the status bar stays for what needs the user. */
static void
show_history_note (VmdSerialView *self,
                   const char    *reason)
{
  g_autofree char *text = reason != NULL ? g_strdup_printf (_("Earlier output is not available: %s"), reason)
                                         : NULL;

  gtk_label_set_text (GTK_LABEL (self->history_label), text != NULL ? text : "");
  gtk_widget_set_tooltip_text (self->history_label, text);
  gtk_widget_set_visible (self->history_label, text != NULL);
}

static const char *
chosen_alias (VmdSerialView *self)
{
  return gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->console_chooser));
}

static void
set_attached (VmdSerialView *self,
              gboolean       attached)
{
  if (self->attached == attached)
    return;
  self->attached = attached;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTACHED]);
}

/* --- the stream ----------------------------------------------------------------------------- */

static void
close_stream (VmdSerialView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      vmd_console_stream_close (self->stream);
      g_clear_object (&self->stream);
    }
  set_attached (self, FALSE);
}

/* The stream ended while the machine still runs: someone forced the console away from us, or
 * the device went. When the machine stopped, on_state_changed says so instead. */
static void
on_stream_ended (VmdConsoleStream *stream,
                 VmdSerialView    *self)
{
  close_stream (self);
  if (vmd_machine_get_state (self->machine) == VMD_MACHINE_STATE_RUNNING)
    show_status (self, GTK_MESSAGE_WARNING,
                 _("Disconnected: another program took over this console"), FALSE, TRUE);
  else
    show_status (self, GTK_MESSAGE_INFO, _("Disconnected: the machine stopped"), FALSE, FALSE);
}

static void
on_received (VmdConsoleStream *stream,
             const char       *data,
             guint             size,
             VmdSerialView    *self)
{
  vte_terminal_feed (VTE_TERMINAL (self->terminal), data, size);
  /* The log gets every byte the stream does: this is where a later read of it starts. */
  if (self->log_position >= 0)
    self->log_position += size;
}

/* Keys, pastes and the terminal's own answers (cursor position reports) go to the guest. */
static void
on_commit (VteTerminal   *terminal,
           const char    *text,
           guint          size,
           VmdSerialView *self)
{
  if (self->stream != NULL)
    vmd_console_stream_send (self->stream, text, size);
}

static void
on_console_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(VmdSerialView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdConsoleStream) stream = vmd_machine_open_console_finish (VMD_MACHINE (source), result, &error);

  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      g_debug ("console of %s opened too late: dropped", vmd_machine_get_name (self->machine));
      if (stream != NULL)
        vmd_console_stream_close (stream);
      return;
    }
  g_clear_object (&self->cancellable);
  if (stream == NULL)
    {
      gboolean busy = g_error_matches (error, VMD_ERROR, VMD_ERROR_CONSOLE_BUSY);
      g_autofree char *message = busy
        ? g_strdup_printf (_("%s. Take it over? The other program is disconnected."), error->message)
        : g_strdup (error->message);

      show_status (self, GTK_MESSAGE_WARNING, message, busy, !busy);
      return;
    }
  g_debug ("console of %s open", vmd_machine_get_name (self->machine));
  self->stream = g_steal_pointer (&stream);
  g_signal_connect_object (self->stream, "received", G_CALLBACK (on_received), self, 0);
  g_signal_connect_object (self->stream, "ended", G_CALLBACK (on_stream_ended), self, 0);
  hide_status (self);
  set_attached (self, TRUE);
}

static void
open_stream (VmdSerialView *self,
             gboolean       force)
{
  g_debug ("opening console %s of %s%s", chosen_alias (self), vmd_machine_get_name (self->machine),
           force ? ", taking it over" : "");
  vmd_machine_open_console_async (self->machine, chosen_alias (self), force, self->cancellable,
                                  on_console_opened, g_object_ref (self));
}

typedef struct {
  VmdSerialView *self;
  gboolean       force;
} LogRead;

/* What was printed since the terminal last saw the stream, then the stream itself. */
static void
on_log_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree LogRead *read = user_data;
  g_autoptr(VmdSerialView) self = read->self;
  g_autoptr(GError) error = NULL;
  guint64 end = 0;
  g_autoptr(GBytes) bytes = vmd_serial_log_read_finish (result, &end, &error);

  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (bytes != NULL)
    {
      vte_terminal_feed (VTE_TERMINAL (self->terminal), g_bytes_get_data (bytes, NULL),
                         g_bytes_get_size (bytes));
      self->log_position = end;
      show_history_note (self, NULL);
    }
  else if (g_error_matches (error, VMD_ERROR, VMD_ERROR_NOT_FOUND))
    {
      self->log_position = 0;   /* not written yet: the machine printed nothing so far */
      show_history_note (self, NULL);
    }
  else
    {
      self->log_position = -1;
      show_history_note (self, error->message);
    }
  open_stream (self, read->force);
}

static void
read_log_then_open (VmdSerialView *self,
                    gboolean       force)
{
  const char *log_file = g_hash_table_lookup (self->log_files, chosen_alias (self));
  LogRead *read;

  if (log_file == NULL || self->remote)
    {
      show_history_note (self, log_file == NULL ? _("this machine keeps no serial log")
                                                : _("its serial log is on the remote host"));
      open_stream (self, force);
      return;
    }
  read = g_new0 (LogRead, 1);
  read->self = g_object_ref (self);
  read->force = force;
  vmd_serial_log_read_async (log_file, self->log_position, VMD_SERIAL_LOG_MAX_BYTES,
                             self->cancellable, on_log_read, read);
}

static void
open_console (VmdSerialView *self,
              gboolean       force)
{
  close_stream (self);
  if (vmd_machine_get_state (self->machine) != VMD_MACHINE_STATE_RUNNING &&
      vmd_machine_get_state (self->machine) != VMD_MACHINE_STATE_PAUSED)
    {
      show_status (self, GTK_MESSAGE_INFO, _("Disconnected: the machine is not running"), FALSE, FALSE);
      return;
    }
  if (chosen_alias (self) == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  show_status (self, GTK_MESSAGE_INFO, _("Connecting…"), FALSE, FALSE);
  read_log_then_open (self, force);
}

/* --- user actions --------------------------------------------------------------------------- */

static void
on_take_over_clicked (GtkButton     *button,
                      VmdSerialView *self)
{
  open_console (self, TRUE);
}

static void
on_reconnect_clicked (GtkButton     *button,
                      VmdSerialView *self)
{
  open_console (self, FALSE);
}

static void
on_console_changed (GtkComboBox   *chooser,
                    VmdSerialView *self)
{
  vte_terminal_reset (VTE_TERMINAL (self->terminal), TRUE, TRUE);
  self->log_position = -1;
  open_console (self, FALSE);
}

static void
zoom (VmdSerialView *self,
      double         factor)
{
  VteTerminal *terminal = VTE_TERMINAL (self->terminal);
  double scale = factor == 0.0 ? 1.0 : vte_terminal_get_font_scale (terminal) * factor;

  vte_terminal_set_font_scale (terminal, CLAMP (scale, 0.25, 4.0));
}

static void
copy_clipboard (VmdSerialView *self)
{
  vte_terminal_copy_clipboard_format (VTE_TERMINAL (self->terminal), VTE_FORMAT_TEXT);
}

static void
paste_clipboard (VmdSerialView *self)
{
  vte_terminal_paste_clipboard (VTE_TERMINAL (self->terminal));
}

/* As in GNOME Terminal: Ctrl+Shift+C/V copy and paste (plain Ctrl+C goes to the guest), and
 * Ctrl+plus/minus/0 zoom. */
static gboolean
on_terminal_key_press (GtkWidget     *terminal,
                       GdkEventKey   *event,
                       VmdSerialView *self)
{
  GdkModifierType mods = event->state & gtk_accelerator_get_default_mod_mask ();
  guint key = gdk_keyval_to_lower (event->keyval);

  if (mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK) && key == GDK_KEY_c)
    copy_clipboard (self);
  else if (mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK) && key == GDK_KEY_v)
    paste_clipboard (self);
  else if ((mods & GDK_CONTROL_MASK) && (key == GDK_KEY_plus || key == GDK_KEY_equal || key == GDK_KEY_KP_Add))
    zoom (self, 1.2);
  else if (mods == GDK_CONTROL_MASK && (key == GDK_KEY_minus || key == GDK_KEY_KP_Subtract))
    zoom (self, 1 / 1.2);
  else if (mods == GDK_CONTROL_MASK && (key == GDK_KEY_0 || key == GDK_KEY_KP_0))
    zoom (self, 0.0);
  else
    return GDK_EVENT_PROPAGATE;
  return GDK_EVENT_STOP;
}

static void
on_copy_clicked (GtkButton     *button,
                 VmdSerialView *self)
{
  copy_clipboard (self);
}

static void
on_paste_clicked (GtkButton     *button,
                  VmdSerialView *self)
{
  paste_clipboard (self);
}

static void
on_zoom_in_clicked (GtkButton     *button,
                    VmdSerialView *self)
{
  zoom (self, 1.2);
}

static void
on_zoom_out_clicked (GtkButton     *button,
                     VmdSerialView *self)
{
  zoom (self, 1 / 1.2);
}

static void
on_output_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VmdSerialView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The output was not saved: %s"), error->message);

      show_status (self, GTK_MESSAGE_ERROR, message, FALSE, FALSE);
    }
}

/* The scrollback and screen as text, gathered in memory, then written off the main loop. */
static void
save_output_to (VmdSerialView *self,
                GFile         *file)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (!vte_terminal_write_contents_sync (VTE_TERMINAL (self->terminal), memory,
                                         VTE_WRITE_DEFAULT, NULL, &error))
    {
      show_status (self, GTK_MESSAGE_ERROR, error->message, FALSE, FALSE);
      return;
    }
  g_output_stream_close (memory, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_output_saved, g_object_ref (self));
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  VmdSerialView   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      save_output_to (self, file);
    }
  g_object_unref (dialog);
}

static void
on_save_clicked (GtkButton     *button,
                 VmdSerialView *self)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self)));
  GtkFileChooserNative *dialog;
  g_autofree char *name = g_strdup_printf ("%s-console.txt", vmd_machine_get_name (self->machine));

  dialog = gtk_file_chooser_native_new (_("Save Console Output"), parent,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* --- machine state -------------------------------------------------------------------------- */

static void
on_state_changed (VmdMachine    *machine,
                  GParamSpec    *pspec,
                  VmdSerialView *self)
{
  VmdMachineState state = vmd_machine_get_state (machine);

  if (state == VMD_MACHINE_STATE_RUNNING && self->stream == NULL && self->cancellable == NULL)
    {
      /* A fresh boot: what came before belongs to the previous run. */
      vte_terminal_feed (VTE_TERMINAL (self->terminal), "\r\n", 2);
      open_console (self, FALSE);
    }
  else if (!vmd_machine_is_active (machine))
    {
      close_stream (self);
      show_status (self, GTK_MESSAGE_INFO, _("Disconnected: the machine stopped"), FALSE, FALSE);
    }
}

/* --- GObject -------------------------------------------------------------------------------- */

static void
vmd_serial_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ATTACHED: g_value_set_boolean (value, VMD_SERIAL_VIEW (object)->attached); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_serial_view_dispose (GObject *object)
{
  VmdSerialView *self = VMD_SERIAL_VIEW (object);

  close_stream (self);
  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  g_clear_object (&self->machine);
  g_clear_pointer (&self->log_files, g_hash_table_unref);
  G_OBJECT_CLASS (vmd_serial_view_parent_class)->dispose (object);
}

static void
vmd_serial_view_class_init (VmdSerialViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_serial_view_dispose;
  G_OBJECT_CLASS (klass)->get_property = vmd_serial_view_get_property;

  /* The console stream is open: what the guest prints from now on is shown. */
  properties[PROP_ATTACHED] = g_param_spec_boolean ("attached", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);

  g_type_ensure (VTE_TYPE_TERMINAL);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-serial-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdSerialView, status_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdSerialView, status_label);
  gtk_widget_class_bind_template_child (widget_class, VmdSerialView, take_over_button);
  gtk_widget_class_bind_template_child (widget_class, VmdSerialView, reconnect_button);
  gtk_widget_class_bind_template_child (widget_class, VmdSerialView, console_chooser);
  gtk_widget_class_bind_template_child (widget_class, VmdSerialView, history_label);
  gtk_widget_class_bind_template_child (widget_class, VmdSerialView, terminal);
  gtk_widget_class_bind_template_callback (widget_class, on_take_over_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_reconnect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_console_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_paste_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_in_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_out_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_terminal_key_press);
  gtk_widget_class_bind_template_callback (widget_class, on_commit);
}

static void
vmd_serial_view_init (VmdSerialView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->log_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->log_position = -1;
  vte_terminal_set_scrollback_lines (VTE_TERMINAL (self->terminal), 10000);
}

/* remote: the machine runs on another host, so its serial logs cannot be read from here. */
GtkWidget *
vmd_serial_view_new (VmdMachine *machine,
                     gboolean    remote)
{
  VmdSerialView *self = g_object_new (VMD_TYPE_SERIAL_VIEW, NULL);

  self->machine = g_object_ref (machine);
  self->remote = remote;
  g_signal_connect_object (machine, "notify::state", G_CALLBACK (on_state_changed), self, 0);
  return GTK_WIDGET (self);
}

/* The machine's consoles, as read from its XML; the first is opened. Called again after each
 * start, when aliases may have changed: the choice is kept if the device is still there. */
void
vmd_serial_view_set_consoles (VmdSerialView *self,
                              GPtrArray     *consoles)
{
  GtkComboBoxText *chooser = GTK_COMBO_BOX_TEXT (self->console_chooser);
  g_autofree char *previous = g_strdup (chosen_alias (self));

  g_signal_handlers_block_by_func (chooser, on_console_changed, self);
  gtk_combo_box_text_remove_all (chooser);
  g_hash_table_remove_all (self->log_files);
  for (guint i = 0; i < consoles->len; i++)
    {
      VmdConsoleDevice *device = consoles->pdata[i];

      gtk_combo_box_text_append (chooser, device->alias, device->label);
      if (device->log_file != NULL)
        g_hash_table_insert (self->log_files, g_strdup (device->alias), g_strdup (device->log_file));
    }
  if (previous == NULL || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (chooser), previous))
    gtk_combo_box_set_active (GTK_COMBO_BOX (chooser), 0);
  g_signal_handlers_unblock_by_func (chooser, on_console_changed, self);
  gtk_widget_set_visible (self->console_chooser, consoles->len > 1);

  if (self->stream == NULL && self->cancellable == NULL)
    open_console (self, FALSE);
}

/* Frees the stream now, e.g. when the window closes; message, when given, says why. */
void
vmd_serial_view_disconnect (VmdSerialView *self,
                            const char    *message)
{
  close_stream (self);
  if (message != NULL)
    show_status (self, GTK_MESSAGE_WARNING, message, FALSE, FALSE);
}

gboolean
vmd_serial_view_get_attached (VmdSerialView *self)
{
  g_return_val_if_fail (VMD_IS_SERIAL_VIEW (self), FALSE);
  return self->attached;
}
