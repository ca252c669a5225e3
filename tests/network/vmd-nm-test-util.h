/* Helpers shared by the tests that run against a NetworkManager of their own
 * (tests/network/run-network-test.sh): bounded waits on the main loop and the kernel's view of
 * the test's network namespace, read with `ip -n NS -j`. */
#pragma once

#include "vmd-bridge-manager.h"

/* Receives an async result: pass vmd_nm_test_waiter_done and a zeroed waiter, then wait on
 * waiter.done; the caller unrefs waiter.result. */
typedef struct {
  GAsyncResult *result;
  gboolean      done;
} VmdNmTestWaiter;

void           vmd_nm_test_waiter_done  (GObject      *source,
                                         GAsyncResult *result,
                                         gpointer      user_data);
gboolean       vmd_nm_test_wait_flag    (gboolean     *flag,
                                         guint         timeout_ms);
void           vmd_nm_test_run          (const char   *line);

char          *vmd_nm_test_ip_json      (const char   *first,
                                         ...) G_GNUC_NULL_TERMINATED;
gboolean       vmd_nm_test_link_exists  (const char   *name);
char          *vmd_nm_test_link_master  (const char   *device);
VmdNetProfile *vmd_nm_test_find_profile (GPtrArray    *profiles,
                                         const char   *id);
