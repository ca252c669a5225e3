/* The features module's one entry point: see src/app/vmd-features.h. */
#include "config.h"

#include <gmodule.h>

#include "vmd-clone-dialog.h"
#include "vmd-connection-details-window.h"
#include "vmd-console-window.h"
#include "vmd-creation-assistant.h"
#include "vmd-details-window.h"
#include "vmd-features-module.h"
#include "vmd-host-window.h"
#include "vmd-migrate-dialog.h"

G_MODULE_EXPORT const VmdFeatures vmd_features = {
  .abi = VMD_FEATURES_ABI,
  .console_window_open = vmd_console_window_open,
  .console_window_open_when_found = vmd_console_window_open_when_found,
  .details_window_present = vmd_details_window_present,
  .details_window_show_by_name = vmd_details_window_show_by_name,
  .creation_assistant_new = vmd_creation_assistant_new,
  .host_window_new = vmd_host_window_new,
  .connection_details_window_new = vmd_connection_details_window_new,
  .clone_dialog_new = vmd_clone_dialog_new,
  .migrate_dialog_new = vmd_migrate_dialog_new,
};
