/* VmdBridgeAssistant: "Create Bridge": name and STP, the network adapter to put on it, IPv4 by
 * DHCP or by hand (checked as the user types), then Apply and the "Keep these settings?"
 * countdown, which VmdHostWindow also uses after deleting a bridge. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-bridge-manager.h"

G_BEGIN_DECLS

/* How long NetworkManager waits for "Keep" before it restores the previous settings. */
#define VMD_BRIDGE_ROLLBACK_TIMEOUT_S 30

#define VMD_TYPE_BRIDGE_ASSISTANT (vmd_bridge_assistant_get_type ())
G_DECLARE_FINAL_TYPE (VmdBridgeAssistant, vmd_bridge_assistant, VMD, BRIDGE_ASSISTANT, GtkAssistant)

GtkWidget *vmd_bridge_assistant_new (GtkWindow        *parent,
                                     VmdBridgeManager *manager);

void       vmd_bridge_ask_keep      (GtkWindow        *parent,
                                     VmdBridgeManager *manager,
                                     guint             timeout_s);
void       vmd_bridge_show_error    (GtkWindow        *parent,
                                     const char       *primary,
                                     const char       *secondary);

G_END_DECLS
