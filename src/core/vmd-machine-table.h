/* VmdMachineTable: a connection's machines: the sorted list windows show, the UUID index the
 * statistics and events use, and the machines waiting while the connection is away. */
#pragma once

#include <gio/gio.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

typedef struct _VmdMachineTable VmdMachineTable;

VmdMachineTable *vmd_machine_table_new          (VmdConnection   *owner);
void             vmd_machine_table_free         (VmdMachineTable *self);
GListModel      *vmd_machine_table_get_model    (VmdMachineTable *self);
GHashTable      *vmd_machine_table_get_index    (VmdMachineTable *self);
VmdMachine      *vmd_machine_table_lookup       (VmdMachineTable *self,
                                                 const char      *uuid);
VmdMachine      *vmd_machine_table_find_by_name (VmdMachineTable *self,
                                                 const char      *name);
void             vmd_machine_table_add          (VmdMachineTable *self,
                                                 GVirDomain      *domain,
                                                 VmdMachineState  state);
void             vmd_machine_table_add_all      (VmdMachineTable *self,
                                                 GList           *domains,
                                                 GHashTable      *states);
void             vmd_machine_table_remove       (VmdMachineTable *self,
                                                 const char      *uuid);
void             vmd_machine_table_rename       (VmdMachineTable *self,
                                                 VmdMachine      *machine,
                                                 const char      *name);
void             vmd_machine_table_put_to_sleep (VmdMachineTable *self);
void             vmd_machine_table_end_sleep    (VmdMachineTable *self);

G_END_DECLS
