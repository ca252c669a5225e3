/* VmdMachineList: every machine of every connection, grouped by connection, in a tree view
 * (cells, not a widget per row, so thousands of machines stay cheap). */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"
#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_TYPE_MACHINE_LIST (vmd_machine_list_get_type ())
G_DECLARE_FINAL_TYPE (VmdMachineList, vmd_machine_list, VMD, MACHINE_LIST, GtkScrolledWindow)

void        vmd_machine_list_set_connections      (VmdMachineList *self,
                                                   GListModel     *connections);
VmdMachine *vmd_machine_list_get_selected_machine (VmdMachineList *self);
VmdConnection *vmd_machine_list_get_selected_connection (VmdMachineList *self);
gboolean    vmd_machine_list_select_machine       (VmdMachineList *self,
                                                   VmdMachine     *machine);
void        vmd_machine_list_set_filter_text      (VmdMachineList *self,
                                                   const char     *text);
void        vmd_machine_list_set_menu_model       (VmdMachineList *self,
                                                   GMenuModel     *menu);
void        vmd_machine_list_set_connection_menu_model (VmdMachineList *self,
                                                        GMenuModel     *menu);
void        vmd_machine_list_bind_settings        (VmdMachineList *self,
                                                   GSettings      *settings);

char       *vmd_machine_list_describe_connection (VmdConnection *connection);

G_END_DECLS
