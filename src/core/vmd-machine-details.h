/* VmdMachineDetails: the details of one machine (its definition, vCPUs, snapshots) and every
 * change the details view makes, applied through libvirt and read back from the new XML.
 *
 * One type, its calls in files by area: the model and its reload in vmd-machine-details.c; the
 * changes in vmd-machine-details-overview.c (name, title, autostart), -memory.c, -vcpus.c
 * (count and `virsh vcpuinfo`), -boot.c, -disks.c (disks and media), -devices.c (any device,
 * network interfaces), -snapshots.c and -define.c (the XML page). */
#pragma once

#include <gio/gio.h>

#include "vmd-device-xml.h"
#include "vmd-domain-xml.h"
#include "vmd-form-fields.h"
#include "vmd-machine.h"
#include "vmd-machine-config.h"

G_BEGIN_DECLS

/* One line of `virsh vcpuinfo`. */
typedef struct {
  guint    number;
  char    *state;         /* "running", "offline", "blocked"; NULL when the machine is off */
  int      cpu;           /* host CPU it last ran on; -1 when off */
  guint64  cpu_time_ns;
  char    *affinity;      /* host CPUs it may run on, "0-3" */
} VmdVcpuInfo;

typedef struct {
  char     *name;
  char     *description;
  gint64    creation_time;  /* seconds since the epoch */
  char     *state;          /* domain state when taken: "running", "shutoff" */
  gboolean  has_memory;     /* taken of a running machine, memory included */
  gboolean  external;       /* disk overlays (and a memory file) rather than inside the images */
  gboolean  current;
  char     *parent;         /* name of the snapshot it was taken on top of, or NULL */
} VmdSnapshotInfo;

/* How a form's change meets a change made elsewhere to the same fields. */
typedef enum {
  VMD_EDIT_NONE      = 0,
  VMD_EDIT_OVERWRITE = 1 << 0,  /* write the user's fields all the same */
} VmdEditFlags;

void vmd_vcpu_info_free     (VmdVcpuInfo     *info);
void vmd_snapshot_info_free (VmdSnapshotInfo *info);

#define VMD_TYPE_MACHINE_DETAILS (vmd_machine_details_get_type ())
G_DECLARE_FINAL_TYPE (VmdMachineDetails, vmd_machine_details, VMD, MACHINE_DETAILS, GObject)

VmdMachineDetails      *vmd_machine_details_new          (VmdMachine          *machine);
VmdMachine             *vmd_machine_details_get_machine  (VmdMachineDetails   *self);
const VmdMachineConfig *vmd_machine_details_get_config   (VmdMachineDetails   *self);

void     vmd_machine_details_reload_async        (VmdMachineDetails   *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);

/* Every change below finishes with vmd_machine_details_edit_finish(); on success the config has
 * been read again and "changed" emitted. note (optional) gets a sentence when a change applies
 * only at the next boot, and why. The forms' changes take what the form started from (base) and
 * what the user left in it (mine), and write only the fields that differ, onto the definition
 * libvirt holds at that moment; a field also changed elsewhere meanwhile fails the edit with
 * VMD_ERROR_CONFLICT, with the config read again, unless flags has VMD_EDIT_OVERWRITE. */
gboolean vmd_machine_details_edit_finish         (VmdMachineDetails   *self,
                                                  GAsyncResult        *result,
                                                  char               **note,
                                                  GError             **error);

void     vmd_machine_details_rename_async        (VmdMachineDetails   *self,
                                                  const char          *new_name,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_set_title_async     (VmdMachineDetails   *self,
                                                  const VmdTitleFields *base,
                                                  const VmdTitleFields *mine,
                                                  VmdEditFlags         flags,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_set_autostart_async (VmdMachineDetails   *self,
                                                  gboolean             autostart,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_set_kvm_async       (VmdMachineDetails   *self,
                                                  gboolean             kvm,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_set_firmware_async  (VmdMachineDetails   *self,
                                                  gboolean             uefi,
                                                  gboolean             secure_boot,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_set_memory_async    (VmdMachineDetails   *self,
                                                  const VmdMemoryFields *base,
                                                  const VmdMemoryFields *mine,
                                                  VmdEditFlags         flags,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_set_vcpus_async     (VmdMachineDetails   *self,
                                                  const VmdVcpuFields *base,
                                                  const VmdVcpuFields *mine,
                                                  VmdEditFlags         flags,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_set_boot_async      (VmdMachineDetails   *self,
                                                  const VmdBootSettings *base,
                                                  const VmdBootSettings *mine,
                                                  VmdEditFlags         flags,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_add_disk_async      (VmdMachineDetails   *self,
                                                  const VmdNewDisk    *disk,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_remove_disk_async   (VmdMachineDetails   *self,
                                                  const char          *target,
                                                  gboolean             delete_volume,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_change_media_async  (VmdMachineDetails   *self,
                                                  const char          *target,
                                                  const char          *iso_path,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_add_nic_async       (VmdMachineDetails   *self,
                                                  const VmdNewNic     *nic,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_remove_nic_async    (VmdMachineDetails   *self,
                                                  const char          *mac,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* Any device: its XML from vmd-device-xml.h; detached by an XPath of the definition. */
void     vmd_machine_details_attach_device_async (VmdMachineDetails   *self,
                                                  const char          *device_xml,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* Add Hardware: LIVE attaches to a running machine and its definition in one call (a refusal
 * changes neither); NEXT_BOOT and SHARED_FOLDER change the definition only and say so, and
 * SHARED_FOLDER adds the shared memory backing virtiofs needs in the same definition (only while
 * the machine is off when it is missing). */
typedef enum { VMD_HW_ATTACH_LIVE, VMD_HW_ATTACH_NEXT_BOOT, VMD_HW_ATTACH_SHARED_FOLDER } VmdHwAttach;
void     vmd_machine_details_add_hardware_async  (VmdMachineDetails   *self,
                                                  const char          *device_xml,
                                                  VmdHwAttach          mode,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* Add Hardware's storage: spec's drive on the next free target of its bus, attached as mode
 * says; with volume (may be NULL), a volume made for it first in its pool (spec's path is not
 * looked at) and deleted again when the attach fails, so a refusal leaves nothing. */
void     vmd_machine_details_add_storage_async   (VmdMachineDetails   *self,
                                                  const VmdDiskSpec   *spec,
                                                  const VmdNewVolume  *volume,
                                                  VmdHwAttach          mode,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_detach_device_async (VmdMachineDetails   *self,
                                                  const char          *xpath,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_set_link_async      (VmdMachineDetails   *self,
                                                  const char          *mac,
                                                  gboolean             up,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_define_xml_async    (VmdMachineDetails   *self,
                                                  const char          *base_xml,
                                                  const char          *xml,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     vmd_machine_details_create_snapshot_async (VmdMachineDetails   *self,
                                                    const char          *name,
                                                    const char          *description,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void     vmd_machine_details_revert_snapshot_async (VmdMachineDetails   *self,
                                                    const char          *name,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void     vmd_machine_details_delete_snapshot_async (VmdMachineDetails   *self,
                                                    const char          *name,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

void       vmd_machine_details_list_vcpus_async      (VmdMachineDetails   *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray *vmd_machine_details_list_vcpus_finish     (VmdMachineDetails   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
void       vmd_machine_details_list_snapshots_async  (VmdMachineDetails   *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray *vmd_machine_details_list_snapshots_finish (VmdMachineDetails   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
