/* A serial console read on the main loop as the serial view reads it, for tests that wait for
 * text from the guest and type into its shell. */
#pragma once

#include "vmd-machine.h"

typedef struct {
  VmdConsoleStream *stream;
  GString          *received;
  gboolean          closed;
} VmdSerialReader;

VmdConsoleStream *vmd_serial_reader_open        (VmdMachine       *machine,
                                                 gboolean          force,
                                                 GError          **error);
void              vmd_serial_reader_start       (VmdSerialReader  *reader,
                                                 VmdConsoleStream *stream);
void              vmd_serial_reader_stop        (VmdSerialReader  *reader);
void              vmd_serial_reader_send_line   (VmdSerialReader  *reader,
                                                 const char       *line);
gboolean          vmd_serial_reader_wait_for    (VmdSerialReader  *reader,
                                                 const char       *text,
                                                 guint             timeout_ms);
void              vmd_serial_reader_wait_prompt (VmdSerialReader  *reader);
