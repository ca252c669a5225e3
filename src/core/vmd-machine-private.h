/* For the files that make up VmdMachine (vmd-machine.c, -disks.c, -consoles.c): a call to
 * libvirt on a worker thread, with its own handle of the domain and what it needs. */
#pragma once

#include <libvirt/libvirt.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

/* One call's data; each call fills the fields it needs. */
typedef struct {
  virDomainPtr      handle;
  VmdMachineAction  action;
  char             *name;
  char            **disk_paths;
  int               state;
  int               reason;
  char             *alias;      /* consoles: the device; NULL for the first */
  char             *command;    /* monitor: the HMP command line */
  gboolean          force;      /* consoles: take over from another client */
} DomainCall;

virDomainPtr vmd_machine_dup_handle        (VmdMachine          *self);
void         vmd_domain_call_free          (DomainCall          *call);
GTask       *vmd_domain_call_task_new      (VmdMachine          *self,
                                            gpointer             source_tag,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data,
                                            DomainCall         **out_call);
void         vmd_domain_call_run_in_thread (VmdMachine          *self,
                                            gpointer             source_tag,
                                            GTaskThreadFunc      func,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void         vmd_task_return_libvirt_error (GTask               *task,
                                            const char          *format,
                                            ...) G_GNUC_PRINTF (2, 3);
/* Start, with fresh NVRAM after a firmware change (vmd-machine-disks.c); in a worker thread. */
int          vmd_machine_start_domain      (virDomainPtr         handle);
/* A pool volume by its path, pools refreshed once when none has it yet; NULL if none does. */
virStorageVolPtr vmd_lookup_volume_by_path (virConnectPtr        conn,
                                            const char          *path);

G_END_DECLS
