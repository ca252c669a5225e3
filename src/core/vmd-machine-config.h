/* VmdMachineConfig: what the details view shows of one domain, read from its persistent
 * definition (and its live one when it runs), plus the XML edits that details make to it. */
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

/* The boot fields as one edit; NULL strings remove the element. */
typedef struct {
  const char * const *devices;
  gboolean            menu;
  const char         *kernel;
  const char         *initrd;
  const char         *cmdline;
} VmdBootSettings;

void              vmd_machine_config_free      (VmdMachineConfig  *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdMachineConfig, vmd_machine_config_free)
VmdMachineConfig *vmd_machine_config_parse     (const char        *xml,
                                                const char        *live_xml,
                                                GError           **error);
const VmdDiskInfo *vmd_machine_config_find_disk (const VmdMachineConfig *config,
                                                 const char             *target);
const VmdNicInfo  *vmd_machine_config_find_nic  (const VmdMachineConfig *config,
                                                 const char             *mac);
gboolean          vmd_machine_config_can_snapshot (const VmdMachineConfig *config,
                                                   char                  **reason);
char             *vmd_machine_config_next_target (const VmdMachineConfig *config,
                                                  const char             *bus);

/* Edits of a domain XML: each returns the new document, or NULL with an error. */
char *vmd_domain_xml_set_title       (const char             *xml,
                                      const char             *title,
                                      const char             *description,
                                      GError                **error);
char *vmd_domain_xml_set_memory      (const char             *xml,
                                      guint64                 max_kib,
                                      guint64                 current_kib,
                                      GError                **error);
char *vmd_domain_xml_set_vcpus       (const char             *xml,
                                      guint                   max,
                                      guint                   current,
                                      GError                **error);
char *vmd_domain_xml_set_boot        (const char             *xml,
                                      const VmdBootSettings  *boot,
                                      GError                **error);
char *vmd_domain_xml_add_device      (const char             *xml,
                                      const char             *device_xml,
                                      GError                **error);
char *vmd_domain_xml_remove_device   (const char             *xml,
                                      const char             *xpath,
                                      GError                **error);
char *vmd_domain_xml_replace_device  (const char             *xml,
                                      const char             *xpath,
                                      const char             *device_xml,
                                      GError                **error);
char *vmd_domain_xml_get_device      (const char             *xml,
                                      const char             *xpath,
                                      GError                **error);
char *vmd_disk_xml_set_source        (const char             *disk_xml,
                                      const char             *path,
                                      GError                **error);
char *vmd_nic_xml_set_link           (const char             *nic_xml,
                                      gboolean                up,
                                      GError                **error);
char *vmd_disk_xpath                 (const char             *target);
char *vmd_nic_xpath                  (const char             *mac);

char *vmd_text_diff                  (const char             *before,
                                      const char             *after);

G_END_DECLS
