/* Files a user hands us (an ISO, an install tree) are untrusted: a name checked now may be a
 * symbolic link later, a FIFO blocks an open or a read forever, a device never ends. These open
 * a file once, refuse anything but a regular file without blocking on it, refuse links inside a
 * tree, and read with a size limit, cancellably. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

int      vmd_untrusted_file_open          (const char    *path,
                                           GError       **error);
int      vmd_untrusted_file_open_dir      (const char    *path,
                                           GError       **error);
int      vmd_untrusted_file_open_beneath  (int            dir_fd,
                                           const char    *relative,
                                           const char    *shown_name,
                                           GError       **error);
char    *vmd_untrusted_file_read_all      (int            fd,
                                           gsize          limit,
                                           const char    *shown_name,
                                           gsize         *length,
                                           GCancellable  *cancellable,
                                           GError       **error);

/* For tests: take the per-component path even where openat2() exists. */
void     vmd_untrusted_file_set_use_openat2 (gboolean      use);

G_END_DECLS
