/* Finding a machine by name among connections that are still opening: the one place that waits
 * for a machine to be listed (--show-console NAME, --show-details NAME). */
#pragma once

#include <gio/gio.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

void        vmd_machine_find_async  (GListModel          *connections,
                                     const char          *name,
                                     guint                wait_s,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
VmdMachine *vmd_machine_find_finish (GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS
