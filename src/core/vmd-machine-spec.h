/* VmdMachineSpec: what the creation assistant collects about a new machine, as GObject
 * properties its widgets bind to; it checks itself field by field and turns itself into libvirt
 * domain XML. No GTK, no libvirt connection. Its parts: the model and its properties
 * (vmd-machine-spec.c), the defaults that give way to the user (-defaults.c), the host's facts
 * (-host.c), the checks (-checks.c), the XML (-xml.c), the frozen copy for a worker (-copy.c). */
#pragma once

#include <gio/gio.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vmd-host-platform.h"

G_BEGIN_DECLS

typedef enum {
  VMD_INSTALL_METHOD_CDROM,        /* the ISO boots as a CD */
  VMD_INSTALL_METHOD_KERNEL_BOOT,  /* the kernel and initrd of an ISO or install tree boot directly */
  VMD_INSTALL_METHOD_IMPORT,       /* an existing disk image */
  VMD_INSTALL_METHOD_MANUAL,       /* no media */
} VmdInstallMethod;

typedef enum {
  VMD_STORAGE_NEW_VOLUME,
  VMD_STORAGE_EXISTING,
  VMD_STORAGE_NONE,
} VmdStorageKind;

typedef enum {
  VMD_NETWORK_NAT,
  VMD_NETWORK_BRIDGE,
  VMD_NETWORK_USER,
  VMD_NETWORK_NONE,
} VmdNetworkKind;

typedef enum {
  VMD_GRAPHICS_SPICE_QXL,
  VMD_GRAPHICS_SPICE_VIRTIO,
  VMD_GRAPHICS_NONE,
} VmdGraphicsKind;

typedef enum {
  VMD_FIRMWARE_BIOS,
  VMD_FIRMWARE_UEFI,
} VmdFirmware;

/* The fields a message can sit beside. */
typedef enum {
  VMD_SPEC_FIELD_MEDIA,
  VMD_SPEC_FIELD_OS,
  VMD_SPEC_FIELD_MEMORY,
  VMD_SPEC_FIELD_CPUS,
  VMD_SPEC_FIELD_STORAGE,
  VMD_SPEC_FIELD_NETWORK,
  VMD_SPEC_FIELD_FIRMWARE,
  VMD_SPEC_FIELD_NAME,
  VMD_SPEC_N_FIELDS,
} VmdSpecField;

/* The install boot (kernel, on_reboot=destroy) and the machine as it stays afterwards. */
typedef enum {
  VMD_SPEC_PHASE_INSTALL,
  VMD_SPEC_PHASE_FINAL,
} VmdSpecPhase;

#define VMD_TYPE_MACHINE_SPEC (vmd_machine_spec_get_type ())
G_DECLARE_FINAL_TYPE (VmdMachineSpec, vmd_machine_spec, VMD, MACHINE_SPEC, GObject)

VmdMachineSpec   *vmd_machine_spec_new                (void);
VmdMachineSpec   *vmd_machine_spec_copy               (VmdMachineSpec   *self);
gboolean          vmd_machine_spec_is_frozen          (VmdMachineSpec   *self);

/* What the user chooses; each is also a property ("name", "install-method", ...) that notifies
 * when, and only when, its value changes. An empty string is stored as NULL. */
void              vmd_machine_spec_set_name           (VmdMachineSpec   *self,
                                                       const char       *name);
const char       *vmd_machine_spec_get_name           (VmdMachineSpec   *self);
void              vmd_machine_spec_apply_suggested_name (VmdMachineSpec *self);
gboolean          vmd_machine_spec_name_is_suggested  (VmdMachineSpec   *self);
void              vmd_machine_spec_set_install_method (VmdMachineSpec   *self,
                                                       VmdInstallMethod  method);
VmdInstallMethod  vmd_machine_spec_get_install_method (VmdMachineSpec   *self);
void              vmd_machine_spec_set_media_path     (VmdMachineSpec   *self,
                                                       const char       *path);
const char       *vmd_machine_spec_get_media_path     (VmdMachineSpec   *self);
void              vmd_machine_spec_set_kernel         (VmdMachineSpec   *self,
                                                       const char       *kernel_path,
                                                       const char       *initrd_path);
const char       *vmd_machine_spec_get_kernel_path    (VmdMachineSpec   *self);
const char       *vmd_machine_spec_get_initrd_path    (VmdMachineSpec   *self);
void              vmd_machine_spec_set_kernel_args    (VmdMachineSpec   *self,
                                                       const char       *args);
const char       *vmd_machine_spec_get_kernel_args    (VmdMachineSpec   *self);
void              vmd_machine_spec_set_os             (VmdMachineSpec   *self,
                                                       const char       *short_id,
                                                       const char       *display_name,
                                                       gboolean          virtio);
void              vmd_machine_spec_set_os_id          (VmdMachineSpec   *self,
                                                       const char       *short_id);
void              vmd_machine_spec_set_os_url         (VmdMachineSpec   *self,
                                                       const char       *osinfo_id);
const char       *vmd_machine_spec_get_os_id          (VmdMachineSpec   *self);
const char       *vmd_machine_spec_get_os_name        (VmdMachineSpec   *self);
gboolean          vmd_machine_spec_get_virtio         (VmdMachineSpec   *self);
void              vmd_machine_spec_set_memory_mib     (VmdMachineSpec   *self,
                                                       guint64           mib);
guint64           vmd_machine_spec_get_memory_mib     (VmdMachineSpec   *self);
void              vmd_machine_spec_set_vcpus          (VmdMachineSpec   *self,
                                                       guint             vcpus);
guint             vmd_machine_spec_get_vcpus          (VmdMachineSpec   *self);
void              vmd_machine_spec_set_storage        (VmdMachineSpec   *self,
                                                       VmdStorageKind    kind,
                                                       const char       *path,
                                                       guint64           size_gib);
void              vmd_machine_spec_set_storage_kind   (VmdMachineSpec   *self,
                                                       VmdStorageKind    kind);
VmdStorageKind    vmd_machine_spec_get_storage_kind   (VmdMachineSpec   *self);
void              vmd_machine_spec_set_existing_path  (VmdMachineSpec   *self,
                                                       const char       *path);
const char       *vmd_machine_spec_get_existing_path  (VmdMachineSpec   *self);
void              vmd_machine_spec_set_disk_size_gib  (VmdMachineSpec   *self,
                                                       guint64           size_gib);
guint64           vmd_machine_spec_get_disk_size_gib  (VmdMachineSpec   *self);
void              vmd_machine_spec_apply_defaults     (VmdMachineSpec   *self,
                                                       guint64           memory_mib,
                                                       guint             vcpus,
                                                       guint64           disk_gib,
                                                       guint64           minimum_memory_mib);
char             *vmd_machine_spec_dup_disk_path      (VmdMachineSpec   *self);
const char       *vmd_machine_spec_get_disk_format    (VmdMachineSpec   *self);
void              vmd_machine_spec_set_network        (VmdMachineSpec   *self,
                                                       VmdNetworkKind    kind,
                                                       const char       *source);
void              vmd_machine_spec_set_network_kind   (VmdMachineSpec   *self,
                                                       VmdNetworkKind    kind);
VmdNetworkKind    vmd_machine_spec_get_network_kind   (VmdMachineSpec   *self);
void              vmd_machine_spec_set_network_source (VmdMachineSpec   *self,
                                                       const char       *source);
const char       *vmd_machine_spec_get_network_source (VmdMachineSpec   *self);
void              vmd_machine_spec_set_bridge         (VmdMachineSpec   *self,
                                                       const char       *bridge);
const char       *vmd_machine_spec_get_bridge         (VmdMachineSpec   *self);
void              vmd_machine_spec_set_graphics       (VmdMachineSpec   *self,
                                                       VmdGraphicsKind   kind);
VmdGraphicsKind   vmd_machine_spec_get_graphics       (VmdMachineSpec   *self);
void              vmd_machine_spec_set_firmware       (VmdMachineSpec   *self,
                                                       VmdFirmware       firmware);
VmdFirmware       vmd_machine_spec_get_firmware       (VmdMachineSpec   *self);
void              vmd_machine_spec_set_secure_boot    (VmdMachineSpec   *self,
                                                       gboolean          secure_boot);
gboolean          vmd_machine_spec_get_secure_boot    (VmdMachineSpec   *self);
void              vmd_machine_spec_set_tpm            (VmdMachineSpec   *self,
                                                       gboolean          tpm);
gboolean          vmd_machine_spec_get_tpm            (VmdMachineSpec   *self);
void              vmd_machine_spec_set_os_platform    (VmdMachineSpec      *self,
                                                       const VmdOsPlatform *wants);
gboolean          vmd_machine_spec_get_hyperv         (VmdMachineSpec   *self);
char             *vmd_machine_spec_describe_platform  (VmdMachineSpec   *self);
void              vmd_machine_spec_set_kvm            (VmdMachineSpec   *self,
                                                       gboolean          kvm);
gboolean          vmd_machine_spec_get_kvm            (VmdMachineSpec   *self);
void              vmd_machine_spec_set_customize      (VmdMachineSpec   *self,
                                                       gboolean          customize);
gboolean          vmd_machine_spec_get_customize      (VmdMachineSpec   *self);
void              vmd_machine_spec_set_serial_log     (VmdMachineSpec   *self,
                                                       const char       *path);
char             *vmd_machine_spec_dup_serial_log     (VmdMachineSpec   *self);

/* Facts about the host that the checks need, found by VmdInstaller. */
void              vmd_machine_spec_set_taken_names    (VmdMachineSpec     *self,
                                                       const char * const *names);
void              vmd_machine_spec_set_session_bridges (VmdMachineSpec    *self,
                                                        GHashTable        *problems);
void              vmd_machine_spec_set_host_bridges   (VmdMachineSpec     *self,
                                                       const char * const *bridges);
void              vmd_machine_spec_set_host_networks  (VmdMachineSpec     *self,
                                                       const char * const *networks,
                                                       const char * const *inactive);
gboolean          vmd_machine_spec_network_needs_start (VmdMachineSpec  *self);
void              vmd_machine_spec_set_host_resources (VmdMachineSpec   *self,
                                                       guint64           memory_mib,
                                                       guint             cpus);
void              vmd_machine_spec_set_host_platform  (VmdMachineSpec        *self,
                                                       const VmdHostPlatform *platform);
char             *vmd_machine_spec_dup_platform_missing (VmdMachineSpec *self);
void              vmd_machine_spec_set_minimum        (VmdMachineSpec   *self,
                                                       guint64           memory_mib);
void              vmd_machine_spec_set_serial_log_dir (VmdMachineSpec   *self,
                                                       const char       *dir);
void              vmd_machine_spec_set_pool           (VmdMachineSpec   *self,
                                                       const char       *pool_name,
                                                       const char       *pool_path,
                                                       guint64           free_bytes);
const char       *vmd_machine_spec_get_pool_name      (VmdMachineSpec   *self);
void              vmd_machine_spec_choose_pool        (VmdMachineSpec   *self,
                                                       const char       *pool_name,
                                                       const char       *pool_path,
                                                       guint64           free_bytes,
                                                       gboolean          active);
void              vmd_machine_spec_set_disk_users     (VmdMachineSpec     *self,
                                                       const char         *path,
                                                       const char * const *users);

/* Checks. */
gboolean          vmd_machine_spec_check_field        (VmdMachineSpec   *self,
                                                       VmdSpecField      field,
                                                       GError          **error);
char             *vmd_machine_spec_dup_warning        (VmdMachineSpec   *self,
                                                       VmdSpecField      field);
gboolean          vmd_machine_spec_validate           (VmdMachineSpec   *self,
                                                       VmdSpecField     *bad_field,
                                                       GError          **error);
char             *vmd_machine_spec_suggest_name       (VmdMachineSpec   *self);

/* The domain. */
GVirConfigDomain *vmd_machine_spec_to_config          (VmdMachineSpec   *self,
                                                       VmdSpecPhase      phase);
char             *vmd_machine_spec_to_xml             (VmdMachineSpec   *self,
                                                       VmdSpecPhase      phase);
gboolean          vmd_machine_spec_needs_install_phase (VmdMachineSpec  *self);
char             *vmd_machine_spec_dup_cdrom_source   (VmdMachineSpec   *self);

G_END_DECLS
