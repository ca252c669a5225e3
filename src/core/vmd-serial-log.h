/* VmdSerialLog: what a machine printed on its serial port while no console was open, read back
 * from the log file libvirt keeps for it (<log file=.../> on the serial device). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a console shows at most from the log when it opens. */
#define VMD_SERIAL_LOG_MAX_BYTES (256 * 1024)

char   *vmd_serial_log_default_path (const char          *log_dir,
                                     const char          *machine_name);
char   *vmd_serial_log_dir_for_uri  (const char          *uri);

GBytes *vmd_serial_log_read         (const char          *path,
                                     gint64               from,
                                     gsize                max_bytes,
                                     guint64             *end_offset,
                                     GCancellable        *cancellable,
                                     GError             **error);
void    vmd_serial_log_read_async   (const char          *path,
                                     gint64               from,
                                     gsize                max_bytes,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
GBytes *vmd_serial_log_read_finish  (GAsyncResult        *result,
                                     guint64             *end_offset,
                                     GError             **error);

G_END_DECLS
