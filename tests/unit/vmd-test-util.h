/* Helpers shared by the GTest suites: waiting on the main loop, opening connections. */
#pragma once

#include "vmd-connection.h"
#include "vmd-os-catalog.h"

typedef gboolean (*VmdTestCondition) (gpointer user_data);

gboolean       vmd_test_wait_until      (VmdTestCondition condition,
                                         gpointer         user_data,
                                         guint            timeout_ms);
void           vmd_test_spin            (guint            ms);
gboolean       vmd_test_open            (VmdConnection   *connection,
                                         GError         **error);
VmdConnection *vmd_test_open_connection (const char      *uri,
                                         guint            stats_interval_ms,
                                         GError         **error);
char          *vmd_test_data_uri        (const char      *file_name);
void           vmd_test_store_result    (GObject         *source,
                                         GAsyncResult    *result,
                                         gpointer         user_data);
gboolean       vmd_test_result_arrived  (gpointer         user_data);
gboolean       vmd_test_wait_for_machine_state (VmdConnection   *connection,
                                                const char      *name,
                                                VmdMachineState  state,
                                                guint            timeout_ms);
VmdOsCatalog  *vmd_test_loaded_catalog  (void);
void           vmd_test_init            (int             *argc,
                                         char          ***argv);
