/* IPv4 settings as a user types them (address/prefix, gateway, DNS servers), checked with
 * messages that say what is wrong and what would be right. No libnm, no GTK: the bridge
 * assistant calls these on every keystroke, the bridge manager once more before it acts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean vmd_ipv4_parse_address        (const char  *text,
                                        guint32     *address,
                                        GError     **error);
gboolean vmd_ipv4_parse_address_prefix (const char  *text,
                                        char       **address,
                                        guint       *prefix,
                                        GError     **error);
gboolean vmd_ipv4_check_gateway        (const char  *gateway,
                                        const char  *address_prefix,
                                        GError     **error);
GStrv    vmd_ipv4_parse_dns            (const char  *text,
                                        GError     **error);

G_END_DECLS
