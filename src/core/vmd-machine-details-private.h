/* For the files of VmdMachineDetails' areas: how a typed change becomes a task. */
#pragma once

#include "vmd-details-edit.h"
#include "vmd-machine-details.h"

G_BEGIN_DECLS

/* A new edit on the machine's current handle; change (may be NULL) is freed with it. */
VmdDetailsEdit *vmd_machine_details_new_edit  (VmdMachineDetails   *self,
                                               VmdDetailsApply      apply,
                                               gpointer             change,
                                               GDestroyNotify       change_free);
/* Runs edit in a worker; finished with vmd_machine_details_edit_finish(). */
void            vmd_machine_details_run_edit  (VmdMachineDetails   *self,
                                               VmdDetailsEdit      *edit,
                                               gpointer             source_tag,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* An edit refused before it started: the caller's callback gets error (taken). */
void            vmd_machine_details_refuse    (VmdMachineDetails   *self,
                                               GError              *error,
                                               gpointer             source_tag,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* A read that is not an edit (vCPUs, snapshots): func gets a VmdDetailsEdit as task data. */
void            vmd_machine_details_run_read  (VmdMachineDetails   *self,
                                               GTaskThreadFunc      func,
                                               gpointer             source_tag,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gpointer        vmd_machine_details_read_finish (VmdMachineDetails *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);

/* Add Hardware's attach of device_xml as mode says (vmd-machine-details-devices.c). */
gboolean        vmd_machine_details_hw_attach (VmdDetailsEdit      *edit,
                                               const char          *device_xml,
                                               VmdHwAttach          mode,
                                               GError             **error);
/* The volume at path deleted (vmd-machine-details-disks.c); what failed is said in error. */
void            vmd_machine_details_delete_volume (virConnectPtr     conn,
                                                   const char       *path,
                                                   GError          **error);

G_END_DECLS
