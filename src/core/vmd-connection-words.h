/* Words about connections, and the process-wide settings libvirt's clients need. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char               *vmd_connection_describe_failure  (const char          *uri,
                                                      const char          *libvirt_message);
char               *vmd_connection_title_for_uri     (const char          *uri);
gboolean            vmd_connection_system_available  (void);
void                vmd_connection_quiet_unknown_events (void);
void                vmd_connection_ignore_sigpipe    (void);
gboolean            vmd_connection_is_unknown_event_warning (const char *log_domain,
                                                         const char *message);

G_END_DECLS
