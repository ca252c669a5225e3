/* VmdOsRow: one operating system in the creation assistant's list, the OS it stands for kept
 * in the row itself (NULL for "Generic OS"). */
#pragma once

#include <gtk/gtk.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

#define VMD_TYPE_OS_ROW (vmd_os_row_get_type ())
G_DECLARE_FINAL_TYPE (VmdOsRow, vmd_os_row, VMD, OS_ROW, GtkListBoxRow)

GtkWidget *vmd_os_row_new    (OsinfoOs *os);
OsinfoOs  *vmd_os_row_get_os (VmdOsRow *self);

G_END_DECLS
