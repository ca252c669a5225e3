/* VmdMonitorView: sends HMP commands to QEMU through libvirt (a worker thread per command, in
 * VmdMachine) and shows each command with its answer. Up and Down walk the history. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-monitor-view.h"

struct _VmdMonitorView
{
  GtkBox        parent_instance;

  GtkWidget    *output_view;
  GtkWidget    *command_entry;

  VmdMachine   *machine;
  GPtrArray    *history;
  guint         history_pos;    /* == history->len when not browsing */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdMonitorView, vmd_monitor_view, GTK_TYPE_BOX)

static void
append_output (VmdMonitorView *self,
               const char     *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->output_view));
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->output_view), &end, 0.0, FALSE, 0.0, 1.0);
}

static void
on_command_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(VmdMonitorView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = vmd_machine_monitor_command_finish (VMD_MACHINE (source), result, &error);

  if (self->machine == NULL)
    return;
  if (reply == NULL)
    {
      g_autofree char *line = g_strdup_printf ("%s\n", error->message);

      append_output (self, line);
    }
  else
    {
      append_output (self, reply);
      if (!g_str_has_suffix (reply, "\n") && *reply != '\0')
        append_output (self, "\n");
    }
  gtk_widget_set_sensitive (self->command_entry, TRUE);
  gtk_widget_grab_focus (self->command_entry);
}

static void
on_command_activate (GtkEntry       *entry,
                     VmdMonitorView *self)
{
  g_autofree char *command = g_strstrip (g_strdup (gtk_entry_get_text (entry)));
  g_autofree char *echo = NULL;

  if (*command == '\0')
    return;
  if (self->history->len == 0 ||
      g_strcmp0 (g_ptr_array_index (self->history, self->history->len - 1), command) != 0)
    g_ptr_array_add (self->history, g_strdup (command));
  self->history_pos = self->history->len;

  echo = g_strdup_printf ("(qemu) %s\n", command);
  append_output (self, echo);
  gtk_entry_set_text (entry, "");
  /* One command at a time: answers then come back in the order asked. */
  gtk_widget_set_sensitive (self->command_entry, FALSE);
  vmd_machine_monitor_command_async (self->machine, command, self->cancellable, on_command_done,
                                     g_object_ref (self));
}

static gboolean
on_command_key_press (GtkWidget      *entry,
                      GdkEventKey    *event,
                      VmdMonitorView *self)
{
  if (event->keyval == GDK_KEY_Up && self->history_pos > 0)
    self->history_pos--;
  else if (event->keyval == GDK_KEY_Down && self->history_pos < self->history->len)
    self->history_pos++;
  else
    return GDK_EVENT_PROPAGATE;

  gtk_entry_set_text (GTK_ENTRY (entry), self->history_pos < self->history->len
                                         ? g_ptr_array_index (self->history, self->history_pos)
                                         : "");
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
  return GDK_EVENT_STOP;
}

static void
update_sensitivity (VmdMonitorView *self)
{
  gtk_widget_set_sensitive (self->command_entry, vmd_machine_is_active (self->machine));
}

static void
on_state_changed (VmdMachine     *machine,
                  GParamSpec     *pspec,
                  VmdMonitorView *self)
{
  update_sensitivity (self);
}

static void
vmd_monitor_view_dispose (GObject *object)
{
  VmdMonitorView *self = VMD_MONITOR_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->machine);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  G_OBJECT_CLASS (vmd_monitor_view_parent_class)->dispose (object);
}

static void
vmd_monitor_view_class_init (VmdMonitorViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_monitor_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-monitor-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdMonitorView, output_view);
  gtk_widget_class_bind_template_child (widget_class, VmdMonitorView, command_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_command_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_command_key_press);
}

static void
vmd_monitor_view_init (VmdMonitorView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->history = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
vmd_monitor_view_new (VmdMachine *machine)
{
  VmdMonitorView *self = g_object_new (VMD_TYPE_MONITOR_VIEW, NULL);

  self->machine = g_object_ref (machine);
  g_signal_connect_object (machine, "notify::state", G_CALLBACK (on_state_changed), self, 0);
  update_sensitivity (self);
  return GTK_WIDGET (self);
}
