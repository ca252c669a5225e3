/* The devices the details view adds, each a typed description and the function that writes its
 * <devices> element. A new device type (for an Add Hardware dialog) is one more pair here, attached
 * with vmd_machine_details_attach_device_async(): nothing else in core changes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A disk to add: a new qcow2 volume in a pool, or an existing file (or ISO for a CD drive). */
typedef struct {
  const char *device;        /* "disk" or "cdrom" */
  const char *bus;           /* "virtio", "sata", "scsi"; NULL: virtio for disks, sata for CDs */
  const char *path;          /* existing file, or NULL to create a volume */
  const char *pool;          /* pool for the new volume */
  const char *volume_name;   /* e.g. "web-2.qcow2"; NULL: MACHINE-TARGET.qcow2 */
  guint64     capacity;      /* bytes, for the new volume */
} VmdNewDisk;

/* A network interface to add. */
typedef struct {
  const char *type;          /* "network" (source: its name), "bridge" (source: the bridge), "user" */
  const char *source;
  const char *model;         /* "virtio", "e1000"; NULL: libvirt's default */
} VmdNewNic;

/* The disk once its place and file are known; path NULL: an empty CD drive. format: "qcow2",
 * "raw". */
char *vmd_disk_device_xml (const char       *device,
                           const char       *bus,
                           const char       *target,
                           const char       *path,
                           const char       *format);
char *vmd_nic_device_xml  (const VmdNewNic  *nic,
                           GError          **error);

G_END_DECLS
