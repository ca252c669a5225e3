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

/* --- Add Hardware: typed specs, validators and writers (vmd-device-xml-hw.c) -------------------
 * Each validator reads the machine's current definition (domain_xml, may be NULL) for what is
 * in use, and on failure names the form field the message belongs beside. */
G_BEGIN_DECLS

typedef enum {
  VMD_HW_FIELD_NONE,
  VMD_HW_FIELD_PATH,
  VMD_HW_FIELD_VOLUME_NAME,
  VMD_HW_FIELD_SIZE,
  VMD_HW_FIELD_BUS,
  VMD_HW_FIELD_CACHE,
  VMD_HW_FIELD_DISCARD,
  VMD_HW_FIELD_SOURCE,
  VMD_HW_FIELD_MODEL,
  VMD_HW_FIELD_MAC,
  VMD_HW_FIELD_FOLDER,
  VMD_HW_FIELD_TAG,
  VMD_HW_FIELD_TPM,
  VMD_HW_FIELD_POOL,
} VmdHwField;

typedef struct {
  const char *device;        /* "disk", "cdrom", "floppy" */
  const char *bus;           /* "virtio", "sata", "scsi", "usb", "fdc" */
  const char *path;          /* the file (an existing volume's path or a typed file) */
  const char *format;        /* "qcow2", "raw" */
  gboolean    readonly;
  gboolean    shareable;
  const char *cache;         /* NULL/"" libvirt's default, "none", "writeback", "writethrough", "directsync", "unsafe" */
  const char *discard;       /* NULL/"" default, "unmap", "ignore" */
} VmdDiskSpec;

typedef struct {
  const char *type;          /* "network", "bridge", "direct" (macvtap on a host NIC), "user" */
  const char *source;        /* network, bridge or host NIC name */
  const char *model;         /* "virtio", "e1000", "rtl8139"; NULL: libvirt's default */
  const char *mac;           /* NULL or "": libvirt generates one */
} VmdNicSpec;

typedef struct {
  const char *folder;        /* host directory */
  const char *tag;           /* the guest's mount tag */
  gboolean    readonly;
} VmdFsSpec;

typedef struct {
  gboolean    passthrough;   /* FALSE: emulated TPM 2.0 (swtpm) */
  const char *device;        /* passthrough host device; NULL: /dev/tpm0 */
} VmdTpmSpec;

/* A volume Add Hardware makes for a new disk, in any pool of the connection. */
typedef struct {
  const char *pool;
  const char *name;
  const char *format;        /* "qcow2", "raw" */
  guint64     capacity;      /* bytes */
} VmdNewVolume;

#define VMD_VIRTIOFSD_PATH "/usr/lib/qemu/virtiofsd"
#define VMD_HOST_TPM_PATH  "/dev/tpm0"

gboolean vmd_new_volume_validate   (const char        *name,
                                    guint64            capacity,
                                    guint64            pool_available,
                                    VmdHwField        *field,
                                    GError           **error);
gboolean vmd_disk_spec_validate    (const VmdDiskSpec *spec,
                                    VmdHwField        *field,
                                    GError           **error);
/* A disk on a volume still to be made: spec's path is not looked at. */
gboolean vmd_new_disk_validate     (const VmdDiskSpec  *spec,
                                    const VmdNewVolume *volume,
                                    guint64             pool_available,
                                    VmdHwField         *field,
                                    GError            **error);
/* target: a free name for its bus (vmd_disk_free_target). */
char    *vmd_disk_spec_xml         (const VmdDiskSpec *spec,
                                    const char        *target);
char    *vmd_disk_free_target      (const char        *domain_xml,
                                    const char        *bus);
gboolean vmd_mac_validate          (const char        *mac,
                                    const char        *domain_xml,
                                    GError           **error);
gboolean vmd_nic_spec_validate     (const VmdNicSpec  *spec,
                                    const char        *domain_xml,
                                    VmdHwField        *field,
                                    GError           **error);
char    *vmd_nic_spec_xml          (const VmdNicSpec  *spec);
gboolean vmd_fs_spec_validate      (const VmdFsSpec   *spec,
                                    const char        *domain_xml,
                                    VmdHwField        *field,
                                    GError           **error);
char    *vmd_fs_spec_xml           (const VmdFsSpec   *spec);
/* TRUE when the definition already has the shared memory backing virtiofs needs. */
gboolean vmd_domain_has_shared_memory (const char     *domain_xml);
char    *vmd_domain_xml_with_shared_memory (const char  *domain_xml,
                                            GError     **error);
gboolean vmd_host_tpm_available    (char             **reason);
gboolean vmd_tpm_spec_validate     (const VmdTpmSpec  *spec,
                                    const char        *domain_xml,
                                    GError           **error);
char    *vmd_tpm_spec_xml          (const VmdTpmSpec  *spec);

G_END_DECLS
