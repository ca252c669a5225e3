/* VmdConsoleStream: an open text console of a machine (what `virsh console` attaches to), its
 * bytes as signals on the main loop and what is typed sent back. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VMD_TYPE_CONSOLE_STREAM (vmd_console_stream_get_type ())
G_DECLARE_FINAL_TYPE (VmdConsoleStream, vmd_console_stream, VMD, CONSOLE_STREAM, GObject)

/* For VmdMachine, which opens the stream: takes over a non-blocking virStreamPtr. */
VmdConsoleStream *vmd_console_stream_new_take (gpointer          stream);

void              vmd_console_stream_send     (VmdConsoleStream *self,
                                               const char       *data,
                                               gsize             size);
void              vmd_console_stream_close    (VmdConsoleStream *self);

G_END_DECLS
