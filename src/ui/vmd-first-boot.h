/* The first start of a machine the assistant made: its console opens before the guest runs. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"
#include "vmd-installer.h"

G_BEGIN_DECLS

/* Called once the connection lists the new machine, before its console opens. */
typedef void (*VmdFirstBootFoundFunc) (VmdMachine *machine,
                                       gpointer    user_data);

void     vmd_first_boot_async  (VmdInstaller          *installer,
                                VmdConnection         *connection,
                                GtkApplication        *application,
                                const char            *name,
                                VmdFirstBootFoundFunc  found,
                                gpointer               found_data,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data);
gboolean vmd_first_boot_finish (GAsyncResult          *result,
                                GError               **error);

G_END_DECLS
