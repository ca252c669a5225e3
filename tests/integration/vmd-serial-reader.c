/* The tiny guest's serial console through VmdMachine's stream: what arrived, kept in one
 * string; lines sent through the stream's queue. */
#include "config.h"

#include <string.h>

#include "vmd-serial-reader.h"
#include "vmd-test-util.h"

VmdConsoleStream *
vmd_serial_reader_open (VmdMachine  *machine,
                        gboolean     force,
                        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_machine_open_console_async (machine, NULL, force, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 20000));
  return vmd_machine_open_console_finish (machine, result, error);
}

static void
on_received (VmdConsoleStream *stream,
             const char       *data,
             guint             size,
             VmdSerialReader  *reader)
{
  g_string_append_len (reader->received, data, size);
}

static void
on_ended (VmdConsoleStream *stream,
          VmdSerialReader  *reader)
{
  reader->closed = TRUE;
}

/* Takes stream. */
void
vmd_serial_reader_start (VmdSerialReader  *reader,
                         VmdConsoleStream *stream)
{
  g_assert_nonnull (stream);
  reader->stream = stream;
  reader->received = g_string_new (NULL);
  reader->closed = FALSE;
  g_signal_connect (stream, "received", G_CALLBACK (on_received), reader);
  g_signal_connect (stream, "ended", G_CALLBACK (on_ended), reader);
}

void
vmd_serial_reader_stop (VmdSerialReader *reader)
{
  if (reader->stream == NULL)
    return;
  g_signal_handlers_disconnect_by_data (reader->stream, reader);
  g_clear_object (&reader->stream);
  g_string_free (g_steal_pointer (&reader->received), TRUE);
}

void
vmd_serial_reader_send_line (VmdSerialReader *reader,
                             const char      *line)
{
  g_autofree char *data = g_strconcat (line, "\n", NULL);

  vmd_console_stream_send (reader->stream, data, strlen (data));
}

typedef struct {
  VmdSerialReader *reader;
  const char      *text;
} TextWait;

static gboolean
text_seen (gpointer user_data)
{
  TextWait *wait = user_data;

  return strstr (wait->reader->received->str, wait->text) != NULL;
}

gboolean
vmd_serial_reader_wait_for (VmdSerialReader *reader,
                            const char      *text,
                            guint            timeout_ms)
{
  TextWait wait = { reader, text };

  return vmd_test_wait_until (text_seen, &wait, timeout_ms);
}

/* Poked with Enter until the shell answers: the banner may have gone by before the stream was
 * opened, and under TCG on a loaded machine the guest can take a while to boot. */
void
vmd_serial_reader_wait_prompt (VmdSerialReader *reader)
{
  for (guint i = 0; i < 90; i++)
    {
      vmd_serial_reader_send_line (reader, "");
      if (vmd_serial_reader_wait_for (reader, "tiny# ", 2000))
        return;
    }
  g_error ("no shell prompt on the serial console; received: %s", reader->received->str);
}
