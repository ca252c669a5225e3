/* VmdConnection: one libvirt connection, its machines as a GListModel that follows libvirt's
 * events, and its reconnection when the daemon goes away. */
#pragma once

#include <gio/gio.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "vmd-connection-words.h"
#include "vmd-host-facts.h"
#include "vmd-machine.h"
#include "vmd-resources.h"

G_BEGIN_DECLS

typedef enum {
  VMD_CONNECTION_STATE_DISCONNECTED,
  VMD_CONNECTION_STATE_CONNECTING,
  VMD_CONNECTION_STATE_CONNECTED,
  VMD_CONNECTION_STATE_FAILED,
  VMD_CONNECTION_STATE_LOST,
} VmdConnectionState;

#define VMD_TYPE_CONNECTION (vmd_connection_get_type ())
G_DECLARE_FINAL_TYPE (VmdConnection, vmd_connection, VMD, CONNECTION, GObject)

VmdConnection      *vmd_connection_new               (const char          *uri);
const char         *vmd_connection_get_uri           (VmdConnection       *self);
const char         *vmd_connection_get_title         (VmdConnection       *self);
VmdConnectionState  vmd_connection_get_state         (VmdConnection       *self);
const char         *vmd_connection_get_error_message (VmdConnection       *self);
GListModel         *vmd_connection_get_machines      (VmdConnection       *self);
VmdMachine         *vmd_connection_find_machine      (VmdConnection       *self,
                                                      const char          *name);
VmdMachine         *vmd_connection_find_machine_by_uuid (VmdConnection    *self,
                                                         const char       *uuid);
VmdConnection      *vmd_connection_find_owner        (GListModel          *connections,
                                                      VmdMachine          *machine);
GVirConnection     *vmd_connection_get_gvir          (VmdConnection       *self);
VmdHostFacts       *vmd_connection_get_host_facts    (VmdConnection       *self);
VmdResources       *vmd_connection_get_resources     (VmdConnection       *self);
guint               vmd_connection_get_stats_calls   (VmdConnection       *self);

void                vmd_connection_open_async        (VmdConnection       *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean            vmd_connection_open_finish       (VmdConnection       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
void                vmd_connection_close             (VmdConnection       *self);
void                vmd_connection_forget_if_gone    (VmdConnection       *self,
                                                      const char          *uuid);

G_END_DECLS
