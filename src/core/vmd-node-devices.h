/* The host's USB and PCI devices a machine can be given (passthrough), as libvirt's node devices
 * describe them: listed in a worker, read with VmdXml, each a plain copy a dialog can keep. */
#pragma once

#include <gio/gio.h>

#include "vmd-connection.h"

G_BEGIN_DECLS

typedef enum {
  VMD_NODE_DEVICE_USB,
  VMD_NODE_DEVICE_PCI,
} VmdNodeDeviceKind;

typedef struct {
  VmdNodeDeviceKind  kind;
  char              *name;          /* libvirt's, e.g. "usb_1_2" or "pci_0000_00_19_0" */
  char              *vendor_id;     /* "0x8086" */
  char              *product_id;
  char              *vendor_name;   /* NULL when libvirt has none */
  char              *product_name;
  char              *driver;        /* the host driver it is bound to, NULL when none */
  guint              usb_bus;       /* USB only */
  guint              usb_device;
  guint              pci_domain;    /* PCI only */
  guint              pci_bus;
  guint              pci_slot;
  guint              pci_function;
} VmdNodeDevice;

VmdNodeDevice       *vmd_node_device_parse          (const char           *xml,
                                                     GError              **error);
void                 vmd_node_device_free           (VmdNodeDevice        *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdNodeDevice, vmd_node_device_free)

char                *vmd_node_device_describe       (const VmdNodeDevice  *device);
char                *vmd_node_device_dup_address    (const VmdNodeDevice  *device);
gboolean             vmd_node_device_check_free     (const VmdNodeDevice  *device,
                                                     GError              **error);
const VmdNodeDevice *vmd_node_devices_find          (GPtrArray            *devices,
                                                     const char           *name);

/* The USB and PCI devices of the connection's host (element-type VmdNodeDevice, sorted by
 * name). */
void                 vmd_node_devices_list_async    (VmdConnection        *connection,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray           *vmd_node_devices_list_finish   (VmdConnection        *connection,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
