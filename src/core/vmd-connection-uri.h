/* The form of a libvirt URI, checked before anything is opened: driver[+transport]://[host]/path. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean vmd_connection_uri_check (const char  *uri,
                                   GError     **error);

G_END_DECLS
