/* The second libvirt host of tests/harness/second-host-up.sh, as the integration tests reach it:
 * over SSH from the first host's network namespace, the only place its address exists. */
#pragma once

#include <glib.h>

#define VMD_SECOND_HOST_ADDRESS "10.213.0.2"
#define VMD_SECOND_HOST_USER    "vmdesk-remote"
#define VMD_SECOND_HOST_CLIENT  "/run/vmdesk-host-b/client"

void  vmd_second_host_enter       (int         argc,
                                   char      **argv);
char *vmd_second_host_libssh_uri  (const char *known_hosts_file);
char *vmd_second_host_ssh_uri     (void);
char *vmd_second_host_local_uri   (void);
char *vmd_second_host_outside     (const char *path_on_b);
char *vmd_second_host_password    (void);
