/* VmdConsoleStream: a libvirt console stream watched through libvirt's own event callbacks
 * (which libvirt-glib runs on the GLib main loop), not through GVirStream: GVirStream finishes
 * the stream when it is freed and logs a critical whenever that fails, which it always does
 * for a console another client took over or a daemon that went away. Here a close aborts the
 * stream, and a failure there is expected and dropped. */
#include "config.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-console-stream.h"

#define READ_CHUNK 65536

struct _VmdConsoleStream
{
  GObject       parent_instance;

  virStreamPtr  stream;       /* NULL once closed */
  GByteArray   *pending;      /* typed, not yet taken by the stream */
  guint         ended_id;     /* the idle that says the stream ended */
  guint64       received;
};

G_DEFINE_FINAL_TYPE (VmdConsoleStream, vmd_console_stream, G_TYPE_OBJECT)

enum { RECEIVED, ENDED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
update_events (VmdConsoleStream *self)
{
  int events = VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR;

  if (self->pending->len > 0)
    events |= VIR_STREAM_EVENT_WRITABLE;
  if (self->stream != NULL && virStreamEventUpdateCallback (self->stream, events) < 0)
    virResetLastError ();
}

/* The ended signal comes from an idle: a handler may close (and free) the stream, which must
 * not happen inside libvirt's own callback for it. */
static gboolean
emit_ended (gpointer user_data)
{
  VmdConsoleStream *self = user_data;

  self->ended_id = 0;
  g_signal_emit (self, signals[ENDED], 0);
  return G_SOURCE_REMOVE;
}

static void
mark_ended (VmdConsoleStream *self)
{
  if (self->ended_id != 0 || self->stream == NULL)
    return;
  if (virStreamEventUpdateCallback (self->stream, 0) < 0)
    virResetLastError ();
  self->ended_id = g_idle_add (emit_ended, self);
}

/* Everything there is, in order: the terminal sees the bytes as the guest sent them. */
static void
receive_all (VmdConsoleStream *self)
{
  g_autofree char *buffer = g_malloc (READ_CHUNK);

  while (self->stream != NULL && self->ended_id == 0)
    {
      int n = virStreamRecv (self->stream, buffer, READ_CHUNK);

      if (n == -2)
        return;
      if (n <= 0)
        {
          g_debug ("console stream ended: %s", n == 0 ? "end of stream" : virGetLastErrorMessage ());
          virResetLastError ();
          mark_ended (self);
          return;
        }
      self->received += n;
      g_signal_emit (self, signals[RECEIVED], 0, buffer, (guint) n);
    }
}

static void
send_pending (VmdConsoleStream *self)
{
  while (self->stream != NULL && self->pending->len > 0)
    {
      int n = virStreamSend (self->stream, (const char *) self->pending->data, self->pending->len);

      if (n == -2)
        break;
      if (n < 0)
        {
          virResetLastError ();
          g_byte_array_set_size (self->pending, 0);
          mark_ended (self);
          return;
        }
      g_byte_array_remove_range (self->pending, 0, n);
    }
  update_events (self);
}

static void
on_stream_event (virStreamPtr stream,
                 int          events,
                 void        *opaque)
{
  g_autoptr(VmdConsoleStream) self = g_object_ref (opaque);

  if (events & VIR_STREAM_EVENT_READABLE)
    receive_all (self);
  if (events & VIR_STREAM_EVENT_WRITABLE)
    send_pending (self);
  if (events & (VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR))
    mark_ended (self);
}

void
vmd_console_stream_send (VmdConsoleStream *self,
                         const char       *data,
                         gsize             size)
{
  g_return_if_fail (VMD_IS_CONSOLE_STREAM (self));
  if (self->stream == NULL || self->ended_id != 0)
    return;
  g_byte_array_append (self->pending, (const guint8 *) data, size);
  update_events (self);
}

/* Lets go of the console at once, so another client may open it unforced. */
void
vmd_console_stream_close (VmdConsoleStream *self)
{
  g_return_if_fail (VMD_IS_CONSOLE_STREAM (self));
  g_clear_handle_id (&self->ended_id, g_source_remove);
  if (self->stream == NULL)
    return;
  if (virStreamEventRemoveCallback (self->stream) < 0)
    virResetLastError ();
  /* A stream the daemon broke off cannot be aborted either: nothing is left to undo. */
  if (virStreamAbort (self->stream) < 0)
    virResetLastError ();
  virStreamFree (g_steal_pointer (&self->stream));
  g_byte_array_set_size (self->pending, 0);
}

static void
vmd_console_stream_dispose (GObject *object)
{
  vmd_console_stream_close (VMD_CONSOLE_STREAM (object));
  G_OBJECT_CLASS (vmd_console_stream_parent_class)->dispose (object);
}

static void
vmd_console_stream_finalize (GObject *object)
{
  g_byte_array_unref (VMD_CONSOLE_STREAM (object)->pending);
  G_OBJECT_CLASS (vmd_console_stream_parent_class)->finalize (object);
}

static void
vmd_console_stream_class_init (VmdConsoleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vmd_console_stream_dispose;
  G_OBJECT_CLASS (klass)->finalize = vmd_console_stream_finalize;

  /* (const char *data, guint size): bytes from the guest, valid during the emission. */
  signals[RECEIVED] = g_signal_new ("received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);
  /* The daemon ended the stream: the machine stopped, or another client took the console. */
  signals[ENDED] = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_console_stream_init (VmdConsoleStream *self)
{
  self->pending = g_byte_array_new ();
}

/* Must be called on the main thread: libvirt's callbacks for the stream then run there. */
VmdConsoleStream *
vmd_console_stream_new_take (gpointer stream)
{
  VmdConsoleStream *self = g_object_new (VMD_TYPE_CONSOLE_STREAM, NULL);
  int events = VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR;

  self->stream = stream;
  if (virStreamEventAddCallback (self->stream, events, on_stream_event, self, NULL) < 0)
    {
      virResetLastError ();
      mark_ended (self);
    }
  return self;
}
