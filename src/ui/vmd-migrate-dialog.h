/* VmdMigrateDialog: Migrate… for a running machine: the destination among the other connected
 * hosts, disks copied or not, kept defined where, a speed limit; then the job's progress with
 * Cancel, which leaves the machine running where it was. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_TYPE_MIGRATE_DIALOG (vmd_migrate_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdMigrateDialog, vmd_migrate_dialog, VMD, MIGRATE_DIALOG, GtkDialog)

GtkWidget *vmd_migrate_dialog_new (GtkWindow  *parent,
                                   GListModel *connections,
                                   VmdMachine *machine);

G_END_DECLS
