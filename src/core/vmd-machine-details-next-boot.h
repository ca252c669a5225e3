/* VmdMachineDetails, a device QEMU cannot hot-plug (vmd_device_kind_hotpluggable() says FALSE):
 * written to the persistent definition only, so it works on a running machine too and takes
 * effect at its next boot; the edit's note says so when the machine is running. */
#pragma once

#include "vmd-machine-details.h"

G_BEGIN_DECLS

/* Finished with vmd_machine_details_edit_finish(). */
void vmd_machine_details_attach_device_next_boot_async (VmdMachineDetails   *self,
                                                        const char          *device_xml,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);

G_END_DECLS
