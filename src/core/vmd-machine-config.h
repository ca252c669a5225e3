/* VmdMachineConfig: what the details view shows of one domain, read from its persistent
 * definition (and its live one when it runs), plus the XML edits that details make to it and the
 * typed fields of each form: read from a config, compared, described and merged three ways. */
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

/* Immutable once read, and shared: a form keeps a reference to the config it was filled from. */
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

VmdMachineConfig *vmd_machine_config_ref      (VmdMachineConfig  *config);
void              vmd_machine_config_unref    (VmdMachineConfig  *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdMachineConfig, vmd_machine_config_unref)
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
gboolean          vmd_machine_config_same_definition (const VmdMachineConfig *a,
                                                      const VmdMachineConfig *b);

/* --- the fields of each form ---------------------------------------------------------------
 * A form is applied as three of these: what it started from (base), what the user left in it
 * (mine) and what libvirt holds at apply time (current). Only the fields the user changed are
 * written; a field the user changed that was also changed elsewhere since is a conflict
 * (VMD_ERROR_CONFLICT), unless overwrite is asked. Strings are borrowed; NULL and "" both mean
 * none. */

typedef struct {
  const char *title;
  const char *description;
} VmdTitleFields;

typedef struct {
  guint64 max_kib;
  guint64 current_kib;
} VmdMemoryFields;

typedef struct {
  guint max;
  guint current;
} VmdVcpuFields;

VmdTitleFields   vmd_title_fields_of          (const VmdMachineConfig *config);
VmdMemoryFields  vmd_memory_fields_of         (const VmdMachineConfig *config);
VmdVcpuFields    vmd_vcpu_fields_of           (const VmdMachineConfig *config);
VmdBootSettings  vmd_boot_settings_of         (const VmdMachineConfig *config);

gboolean         vmd_title_fields_merge       (const VmdTitleFields   *base,
                                               const VmdTitleFields   *mine,
                                               const VmdTitleFields   *current,
                                               gboolean                overwrite,
                                               VmdTitleFields         *merged,
                                               GError                **error);
gboolean         vmd_memory_fields_merge      (const VmdMemoryFields  *base,
                                               const VmdMemoryFields  *mine,
                                               const VmdMemoryFields  *current,
                                               gboolean                overwrite,
                                               VmdMemoryFields        *merged,
                                               GError                **error);
gboolean         vmd_vcpu_fields_merge        (const VmdVcpuFields    *base,
                                               const VmdVcpuFields    *mine,
                                               const VmdVcpuFields    *current,
                                               gboolean                overwrite,
                                               VmdVcpuFields          *merged,
                                               GError                **error);
gboolean         vmd_boot_settings_merge      (const VmdBootSettings  *base,
                                               const VmdBootSettings  *mine,
                                               const VmdBootSettings  *current,
                                               gboolean                overwrite,
                                               VmdBootSettings        *merged,
                                               GError                **error);

/* "Maximum memory: 256 MiB → 128 MiB", a line per field that differs; NULL when none does. */
char            *vmd_name_describe_change     (const char             *before,
                                               const char             *after);
char            *vmd_title_fields_describe    (const VmdTitleFields   *before,
                                               const VmdTitleFields   *after);
char            *vmd_memory_fields_describe   (const VmdMemoryFields  *before,
                                               const VmdMemoryFields  *after);
char            *vmd_vcpu_fields_describe     (const VmdVcpuFields    *before,
                                               const VmdVcpuFields    *after);
char            *vmd_boot_settings_describe   (const VmdBootSettings  *before,
                                               const VmdBootSettings  *after);

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
