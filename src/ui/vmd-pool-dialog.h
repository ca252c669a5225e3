/* VmdPoolDialog: Add Storage Pool: a VmdPoolSpec's fields for its kind (folder, filesystem,
 * LVM, NFS, iSCSI, disk), what can be checked as typed checked then, the host's side (a path
 * that is a file, a device that is not there) when Create asks libvirt. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-resources.h"

G_BEGIN_DECLS

#define VMD_TYPE_POOL_DIALOG (vmd_pool_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VmdPoolDialog, vmd_pool_dialog, VMD, POOL_DIALOG, GtkDialog)

GtkWidget *vmd_pool_dialog_new (GtkWindow    *parent,
                                VmdResources *resources);

G_END_DECLS
