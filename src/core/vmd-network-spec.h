/* VmdNetworkSpec: what the Create Network dialog collects, checked field by field (each
 * problem names its field, for a message beside it) and turned into libvirt's network XML. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VMD_NETWORK_MODE_NAT,
  VMD_NETWORK_MODE_ROUTED,
  VMD_NETWORK_MODE_ISOLATED,
  VMD_NETWORK_MODE_OPEN,
} VmdNetworkMode;

typedef struct {
  char *mac;
  char *address;
  char *hostname;
} VmdNetworkHost;

typedef struct {
  char           *name;
  VmdNetworkMode  mode;
  char           *bridge;        /* NULL or "": libvirt picks one */
  char           *forward_dev;   /* NAT and routed only; NULL: any */
  char           *ipv4;          /* "192.168.100.0/24", or NULL */
  char           *dhcp4_start;
  char           *dhcp4_end;
  char           *ipv6;          /* "fd00:100::/64", or NULL */
  char           *dhcp6_start;
  char           *dhcp6_end;
  char           *domain;        /* DNS domain, or NULL */
  GPtrArray      *hosts;         /* of VmdNetworkHost: static DHCPv4 leases */
  gboolean        autostart;
} VmdNetworkSpec;

/* What else is on the host, that a new network must not collide with. */
typedef struct {
  char  *name;
  char  *bridge;
  GStrv  subnets;                /* "address/prefix" */
} VmdNetworkNeighbour;

typedef struct {
  GPtrArray *networks;           /* of VmdNetworkNeighbour */
  GStrv      interfaces;         /* the host's interface names (bridges among them), or NULL */
} VmdNetworkContext;

/* The field names a problem is reported on. */
#define VMD_NETWORK_FIELD_NAME        "name"
#define VMD_NETWORK_FIELD_BRIDGE      "bridge"
#define VMD_NETWORK_FIELD_FORWARD_DEV "forward-dev"
#define VMD_NETWORK_FIELD_IPV4        "ipv4"
#define VMD_NETWORK_FIELD_DHCP4       "dhcp4"
#define VMD_NETWORK_FIELD_IPV6        "ipv6"
#define VMD_NETWORK_FIELD_DHCP6       "dhcp6"
#define VMD_NETWORK_FIELD_DOMAIN      "domain"
#define VMD_NETWORK_FIELD_HOSTS       "hosts"

VmdNetworkSpec    *vmd_network_spec_new        (void);
VmdNetworkSpec    *vmd_network_spec_copy       (const VmdNetworkSpec    *spec);
void               vmd_network_spec_free       (VmdNetworkSpec          *spec);
void               vmd_network_spec_add_host   (VmdNetworkSpec          *spec,
                                                const char              *mac,
                                                const char              *address,
                                                const char              *hostname);
gboolean           vmd_network_spec_validate   (const VmdNetworkSpec    *spec,
                                                const VmdNetworkContext *context,
                                                const char             **field,
                                                GError                 **error);
char              *vmd_network_spec_to_xml     (const VmdNetworkSpec    *spec);
char              *vmd_network_suggest_bridge  (const VmdNetworkContext *context);

VmdNetworkContext *vmd_network_context_new     (void);
void               vmd_network_context_add     (VmdNetworkContext       *context,
                                                const char              *name,
                                                const char              *bridge,
                                                const char * const      *subnets);
void               vmd_network_context_free    (VmdNetworkContext       *context);

gboolean           vmd_resource_name_check     (const char              *name,
                                                GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdNetworkSpec, vmd_network_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdNetworkContext, vmd_network_context_free)

G_END_DECLS
