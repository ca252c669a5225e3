/* Commands in libvirtd's network namespace (tests/harness/libvirt-up.sh), for tests that make
 * bridges and ping across them: argv only, never a shell. */
#pragma once

#include <glib.h>

#define VMD_LIBVIRT_NETNS "vmdesk-libvirt"

gboolean vmd_netns_run (char **output,
                        const char *first,
                        ...) G_GNUC_NULL_TERMINATED;
