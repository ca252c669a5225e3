/* VmdMachineConfig: what the details view shows of one domain, read from its persistent
 * definition (and its live one when it runs). Immutable once read, and shared: a form keeps a
 * reference to the config it was filled from. The fields each form edits are in
 * vmd-form-fields.h, the edits of the document in vmd-domain-xml.h. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One <disk> of the definition. */
typedef struct {
  char     *device;     /* "disk", "cdrom", "floppy", "lun" */
  char     *type;       /* "file", "block", "network", "volume" */
  char     *path;       /* source file or device; NULL for an empty CD drive */
  char     *format;     /* driver type: "qcow2", "raw"; NULL when not said */
  char     *bus;        /* "virtio", "sata", "scsi", "ide", "usb" */
  char     *target;     /* "vda", "sda" */
  gboolean  readonly;
  guint64   capacity;   /* bytes; 0 when unknown (filled in by VmdMachineDetails) */
} VmdDiskInfo;

/* One <interface>. */
typedef struct {
  char     *type;       /* "network", "bridge", "user", "direct", ... */
  char     *source;     /* network or bridge name; NULL for user mode */
  char     *model;      /* "virtio", "e1000"; NULL when not said */
  char     *mac;
  gboolean  link_up;
  char     *tap;        /* "vnet3" of a running machine, else NULL */
} VmdNicInfo;

typedef struct {
  gatomicrefcount ref_count;        /* private */

  char       *xml;                  /* persistent (inactive) definition */
  char       *live_xml;             /* NULL when the machine does not run */

  char       *name;
  char       *uuid;
  char       *title;
  char       *description;
  char       *os_id;                /* libosinfo id from the metadata, or NULL */
  char       *os_name;              /* its name, filled in when libosinfo knows it */
  char       *emulator;
  char       *domain_type;          /* "kvm", "qemu", "test" */
  char       *arch;
  char       *machine_type;         /* "pc-q35-7.2" */
  char       *firmware;             /* "BIOS" or "UEFI", with the loader path when given */
  gboolean    uefi;
  gboolean    secure_boot;          /* asked of libvirt's firmware auto-selection, or a secure loader */
  gboolean    autostart;            /* filled in by VmdMachineDetails */

  guint64     max_memory_kib;
  guint64     current_memory_kib;   /* of the persistent definition */
  guint64     live_memory_kib;      /* balloon of the running machine, 0 when off */
  guint       max_vcpus;
  guint       current_vcpus;
  guint       live_vcpus;           /* 0 when off */

  GStrv       boot_devices;         /* "hd", "cdrom", "network", "fd", in order */
  gboolean    boot_menu;
  char       *kernel;
  char       *initrd;
  char       *cmdline;

  GPtrArray  *disks;                /* (element-type VmdDiskInfo) */
  GPtrArray  *nics;                 /* (element-type VmdNicInfo) */
} VmdMachineConfig;

VmdMachineConfig  *vmd_machine_config_ref            (VmdMachineConfig       *config);
void               vmd_machine_config_unref          (VmdMachineConfig       *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdMachineConfig, vmd_machine_config_unref)
VmdMachineConfig  *vmd_machine_config_parse          (const char             *xml,
                                                      const char             *live_xml,
                                                      GError                **error);
const VmdDiskInfo *vmd_machine_config_find_disk      (const VmdMachineConfig *config,
                                                      const char             *target);
const VmdNicInfo  *vmd_machine_config_find_nic       (const VmdMachineConfig *config,
                                                      const char             *mac);
gboolean           vmd_machine_config_can_snapshot   (const VmdMachineConfig *config,
                                                      char                  **reason);
char              *vmd_machine_config_next_target    (const VmdMachineConfig *config,
                                                      const char             *bus);
gboolean           vmd_machine_config_same_definition (const VmdMachineConfig *a,
                                                       const VmdMachineConfig *b);

G_END_DECLS
