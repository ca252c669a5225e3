/* The form of a libvirt URI, checked before anything is opened: driver[+transport]://[host]/path. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean vmd_connection_uri_check (const char  *uri,
                                   GError     **error);
char    *vmd_connection_uri_build (const char  *transport,
                                   const char  *user,
                                   const char  *host,
                                   GError     **error);
gboolean vmd_connection_tls_available (void);

G_END_DECLS
