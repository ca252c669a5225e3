/* One way to run a blocking libvirt call off the main loop: a function of its own data in a
 * worker thread, its answer a boolean and a GError, as every resource operation needs. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*VmdBlockingFunc) (gpointer       data,
                                     GCancellable  *cancellable,
                                     GError       **error);

void     vmd_blocking_run_async  (gpointer             source,
                                  gpointer             source_tag,
                                  VmdBlockingFunc      func,
                                  gpointer             data,
                                  GDestroyNotify       data_free,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean vmd_blocking_run_finish (gpointer             source,
                                  GAsyncResult        *result,
                                  GError             **error);

G_END_DECLS
