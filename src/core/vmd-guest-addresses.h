/* VmdGuestAddresses: where a running machine can be reached: its IP addresses from the
 * network's DHCP leases, the guest agent and the host's ARP table (what `virsh domifaddr
 * --source lease|agent|arp` gives), read again when the machine starts or stops and when a
 * network's leases change (VmdResources watches them). One per machine, from
 * vmd_resources_get_addresses. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _VmdMachine VmdMachine;

typedef enum {
  VMD_ADDRESS_SOURCE_LEASE,
  VMD_ADDRESS_SOURCE_AGENT,
  VMD_ADDRESS_SOURCE_ARP,
} VmdAddressSource;

typedef struct {
  char             *interface;   /* "vnet0", or the guest's own name for it ("eth0") */
  char             *mac;
  char             *address;     /* "192.168.100.23" */
  guint             prefix;
  gboolean          ipv6;
  VmdAddressSource  source;
} VmdGuestAddress;

#define VMD_TYPE_GUEST_ADDRESSES (vmd_guest_addresses_get_type ())
G_DECLARE_FINAL_TYPE (VmdGuestAddresses, vmd_guest_addresses, VMD, GUEST_ADDRESSES, GObject)

VmdGuestAddresses *vmd_guest_addresses_new         (VmdMachine        *machine);
void               vmd_guest_addresses_refresh     (VmdGuestAddresses *self);
GPtrArray         *vmd_guest_addresses_get_entries (VmdGuestAddresses *self);
const char        *vmd_guest_addresses_get_text    (VmdGuestAddresses *self);
gboolean           vmd_guest_addresses_has         (VmdGuestAddresses *self,
                                                    const char        *address);
const char        *vmd_address_source_to_string    (VmdAddressSource   source);

G_END_DECLS
