/* The SSH host key of a remote connection's host, checked before the connection is opened:
 * known, unknown (shown with its fingerprint for the user to accept) or changed (refused). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  VMD_HOST_KEY_KNOWN,
  VMD_HOST_KEY_UNKNOWN,
  VMD_HOST_KEY_CHANGED,
} VmdHostKeyStatus;

typedef struct {
  char             *host;         /* as known_hosts names it: "host" or "[host]:port" */
  char             *key_type;     /* of the key shown: "ssh-ed25519" */
  char             *fingerprint;  /* "SHA256:...", as ssh-keygen -l prints it */
  VmdHostKeyStatus  status;
  GPtrArray        *lines;        /* every key the host offered, as known_hosts lines */
} VmdHostKey;

void              vmd_host_key_free         (VmdHostKey       *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdHostKey, vmd_host_key_free)

char             *vmd_host_key_fingerprint  (const char       *blob_base64);
char             *vmd_host_key_known_hosts_for (const char    *uri);
gboolean          vmd_host_key_applies_to   (const char       *uri);
VmdHostKeyStatus  vmd_host_key_classify     (const char       *scanned,
                                             const char       *known,
                                             char            **key_type,
                                             char            **blob);

void              vmd_host_key_check_async  (const char          *uri,
                                             const char          *known_hosts,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
VmdHostKey       *vmd_host_key_check_finish (GAsyncResult        *result,
                                             GError             **error);
gboolean          vmd_host_key_accept       (VmdHostKey          *key,
                                             const char          *known_hosts,
                                             GError             **error);

G_END_DECLS
