/* VmdBridgeSettings: what the "Create Bridge" assistant collects, and the one check of it all
 * that needs nothing but the text (no NetworkManager): the name, then the IPv4 fields through
 * vmd-address-validation. A plain struct: it is copied into each change and never shared. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Owns its strings. */
typedef struct {
  char     *name;        /* "br0" */
  gboolean  stp;
  gboolean  dhcp;        /* else the three below */
  char     *address;     /* "192.168.1.80/24" */
  char     *gateway;     /* "192.168.1.1", or NULL/"" for none */
  char     *dns;         /* "192.168.1.1, 9.9.9.9", or NULL/"" */
  char     *port;        /* the Ethernet NIC to make a port of the bridge, or NULL */
} VmdBridgeSettings;

VmdBridgeSettings *vmd_bridge_settings_new  (void);
void               vmd_bridge_settings_free (VmdBridgeSettings       *settings);
gboolean           vmd_bridge_settings_validate (const VmdBridgeSettings *settings,
                                                 GError                 **error);
gboolean           vmd_bridge_settings_has_port (const VmdBridgeSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdBridgeSettings, vmd_bridge_settings_free)

G_END_DECLS
