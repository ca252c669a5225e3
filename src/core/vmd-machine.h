/* VmdMachine: one libvirt domain, its live state and statistics, and its lifecycle. */
#pragma once

#include <gio/gio.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "vmd-console-info.h"

#include "vmd-console-stream.h"

G_BEGIN_DECLS

/* The metadata element a firmware change in Details leaves: the next start makes the machine's
 * UEFI variables afresh from the new firmware's template (VIR_DOMAIN_START_RESET_NVRAM). */
#define VMD_FIRMWARE_NS "https://vmdesk.github.io/xmlns/firmware/1.0"

typedef enum {
  VMD_MACHINE_STATE_UNKNOWN,
  VMD_MACHINE_STATE_RUNNING,
  VMD_MACHINE_STATE_PAUSED,
  VMD_MACHINE_STATE_SHUT_OFF,
  VMD_MACHINE_STATE_CRASHED,
  VMD_MACHINE_STATE_SUSPENDED,
} VmdMachineState;

typedef enum {
  VMD_MACHINE_ACTION_START,
  VMD_MACHINE_ACTION_SHUTDOWN,
  VMD_MACHINE_ACTION_REBOOT,
  VMD_MACHINE_ACTION_PAUSE,
  VMD_MACHINE_ACTION_RESUME,
  VMD_MACHINE_ACTION_FORCE_OFF,
  VMD_MACHINE_ACTION_DELETE,
} VmdMachineAction;

/* One disk of a machine being deleted, and whether deleting it is safe. */
typedef struct {
  char     *path;
  char     *target;       /* "vda", for the user to recognise it */
  gboolean  deletable;    /* a storage volume that no other machine uses */
  char     *reason;       /* why it is kept, when it is not deletable */
} VmdDiskChoice;

void vmd_disk_choice_free (VmdDiskChoice *choice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdDiskChoice, vmd_disk_choice_free)

#define VMD_MACHINE_CPU_HISTORY 30

typedef struct _VmdConnection VmdConnection;

#define VMD_TYPE_MACHINE (vmd_machine_get_type ())
G_DECLARE_FINAL_TYPE (VmdMachine, vmd_machine, VMD, MACHINE, GObject)

VmdMachine      *vmd_machine_new                (GVirDomain       *domain,
                                                 VmdMachineState   state);
GVirDomain      *vmd_machine_get_domain         (VmdMachine       *self);
const char      *vmd_machine_get_name           (VmdMachine       *self);
const char      *vmd_machine_get_uuid           (VmdMachine       *self);
VmdMachineState  vmd_machine_get_state          (VmdMachine       *self);
gboolean         vmd_machine_get_connected      (VmdMachine       *self);
VmdConnection   *vmd_machine_get_connection     (VmdMachine       *self);
VmdMachineState  vmd_machine_state_from_libvirt (int               state,
                                                 int               reason);
const char      *vmd_machine_state_to_label     (VmdMachineState   state);
const char      *vmd_machine_state_to_icon_name (VmdMachineState   state);
gboolean         vmd_machine_is_active          (VmdMachine       *self);
double           vmd_machine_get_cpu_usage      (VmdMachine       *self);
const double    *vmd_machine_get_cpu_history    (VmdMachine       *self,
                                                 guint            *n_samples);
guint64          vmd_machine_get_memory_kib     (VmdMachine       *self);
guint            vmd_machine_get_definition_serial (VmdMachine    *self);
gboolean         vmd_machine_can                (VmdMachine       *self,
                                                 VmdMachineAction  action);
gboolean         vmd_machine_get_shutting_down  (VmdMachine       *self);
gboolean         vmd_machine_get_shutdown_overdue (VmdMachine     *self);
void             vmd_machine_set_shutdown_timeout (VmdMachine     *self,
                                                   guint           seconds);

void             vmd_machine_run_action_async   (VmdMachine          *self,
                                                 VmdMachineAction     action,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         vmd_machine_run_action_finish  (VmdMachine       *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);

void             vmd_machine_list_disks_async   (VmdMachine          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray       *vmd_machine_list_disks_finish  (VmdMachine       *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);

void             vmd_machine_count_snapshots_async  (VmdMachine          *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
int              vmd_machine_count_snapshots_finish (VmdMachine       *self,
                                                     GAsyncResult     *result,
                                                     GError          **error);

void             vmd_machine_delete_async       (VmdMachine          *self,
                                                 const char * const  *disk_paths,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         vmd_machine_delete_finish      (VmdMachine       *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);

/* For VmdConnection and VmdStatsSampler, which own the facts these record. */
void             vmd_machine_set_state          (VmdMachine       *self,
                                                 VmdMachineState   state);
void             vmd_machine_set_name           (VmdMachine       *self,
                                                 const char       *name);
void             vmd_machine_set_connection     (VmdMachine       *self,
                                                 VmdConnection    *connection);
void             vmd_machine_set_connected      (VmdMachine       *self,
                                                 gboolean          connected);
void             vmd_machine_set_domain         (VmdMachine       *self,
                                                 GVirDomain       *domain);
void             vmd_machine_mark_deleted       (VmdMachine       *self);
void             vmd_machine_definition_changed (VmdMachine       *self);
void             vmd_machine_refresh_state_async (VmdMachine      *self);
void             vmd_machine_record_stats       (VmdMachine       *self,
                                                 double            cpu_usage,
                                                 guint64           memory_kib);

/* --- consoles and monitor --- */

void             vmd_machine_read_consoles_async  (VmdMachine          *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
VmdConsoleInfo  *vmd_machine_read_consoles_finish (VmdMachine       *self,
                                                   GAsyncResult     *result,
                                                   GError          **error);

void             vmd_machine_open_console_async   (VmdMachine          *self,
                                                   const char          *alias,
                                                   gboolean             force,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
VmdConsoleStream *vmd_machine_open_console_finish  (VmdMachine       *self,
                                                   GAsyncResult     *result,
                                                   GError          **error);

void             vmd_machine_open_graphics_fd_async  (VmdMachine          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
int              vmd_machine_open_graphics_fd_finish (VmdMachine       *self,
                                                      GAsyncResult     *result,
                                                      GError          **error);

void             vmd_machine_monitor_command_async  (VmdMachine          *self,
                                                     const char          *command,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
char            *vmd_machine_monitor_command_finish (VmdMachine       *self,
                                                     GAsyncResult     *result,
                                                     GError          **error);

G_END_DECLS
