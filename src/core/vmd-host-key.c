/* The host's keys come from ssh-keyscan (the SSH handshake only: nothing of the user's is sent,
 * no login is tried); what the user already trusts from `ssh-keygen -F`, which also reads hashed
 * known_hosts entries. Any known key for the host that matches none of the offered ones is a
 * change: refused, never overwritten. Accepting appends the offered keys, as ssh would. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-host-key.h"

#define SCAN_TIMEOUT_S "10"

/* The key ssh prefers, shown when the host offers several. */
static const char * const preferred[] = {
  "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
  "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", NULL
};

void
vmd_host_key_free (VmdHostKey *key)
{
  g_free (key->host);
  g_free (key->key_type);
  g_free (key->fingerprint);
  g_clear_pointer (&key->lines, g_ptr_array_unref);
  g_free (key);
}

/* "SHA256:" and the unpadded base64 of the blob's SHA-256, as ssh-keygen -l prints it. */
char *
vmd_host_key_fingerprint (const char *blob_base64)
{
  gsize length = 0;
  g_autofree guchar *blob = g_base64_decode (blob_base64, &length);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  g_autofree char *encoded = NULL;
  char *end;

  if (length == 0)
    return NULL;
  g_checksum_update (checksum, blob, length);
  g_checksum_get_digest (checksum, digest, &digest_length);
  encoded = g_base64_encode (digest, digest_length);
  end = strchr (encoded, '=');
  if (end != NULL)
    *end = '\0';
  return g_strconcat ("SHA256:", encoded, NULL);
}

/* (type, blob) pairs of known_hosts-style text: "host type blob [comment]" lines; comments and
 * marked lines (@revoked, @cert-authority) are not plain trust and are skipped. */
static GPtrArray *
parse_keys (const char *text)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      const char *line = g_strstrip (lines[i]);

      if (*line == '\0' || *line == '#' || *line == '@')
        continue;
      fields = g_strsplit_set (line, " \t", -1);
      if (g_strv_length (fields) < 3 || *fields[1] == '\0' || *fields[2] == '\0')
        continue;
      {
        char *pair[] = { g_strdup (fields[1]), g_strdup (fields[2]), NULL };

        g_ptr_array_add (keys, g_strdupv (pair));
        g_free (pair[0]);
        g_free (pair[1]);
      }
    }
  return g_steal_pointer (&keys);
}

static gboolean
has_key (GPtrArray  *keys,
         char      **key)
{
  for (guint i = 0; i < keys->len; i++)
    {
      char **other = keys->pdata[i];

      if (g_str_equal (other[0], key[0]) && g_str_equal (other[1], key[1]))
        return TRUE;
    }
  return FALSE;
}

static char **
preferred_key (GPtrArray *keys)
{
  for (guint p = 0; preferred[p] != NULL; p++)
    for (guint i = 0; i < keys->len; i++)
      if (g_str_equal (((char **) keys->pdata[i])[0], preferred[p]))
        return keys->pdata[i];
  return keys->len > 0 ? keys->pdata[0] : NULL;
}

/* scanned: what ssh-keyscan printed; known: what ssh-keygen -F found for the host. key_type and
 * blob get the key to show (NULL when nothing was offered). */
VmdHostKeyStatus
vmd_host_key_classify (const char  *scanned,
                       const char  *known,
                       char       **key_type,
                       char       **blob)
{
  g_autoptr(GPtrArray) offered = parse_keys (scanned);
  g_autoptr(GPtrArray) trusted = parse_keys (known);
  VmdHostKeyStatus status = trusted->len > 0 ? VMD_HOST_KEY_CHANGED : VMD_HOST_KEY_UNKNOWN;
  char **shown = preferred_key (offered);

  for (guint i = 0; i < offered->len; i++)
    if (has_key (trusted, offered->pdata[i]))
      {
        status = VMD_HOST_KEY_KNOWN;
        shown = offered->pdata[i];
        break;
      }
  *key_type = shown != NULL ? g_strdup (shown[0]) : NULL;
  *blob = shown != NULL ? g_strdup (shown[1]) : NULL;
  return status;
}

/* --- the check, in a worker ------------------------------------------------------------------ */

typedef struct {
  char *host;
  int   port;
  char *pattern;       /* host as known_hosts names it */
  char *known_hosts;
} Check;

static void
check_free (Check *check)
{
  g_free (check->host);
  g_free (check->pattern);
  g_free (check->known_hosts);
  g_free (check);
}

static char *
default_known_hosts (void)
{
  return g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);
}

/* TRUE for a URI whose transport is SSH to another computer: its host key is checked first. */
gboolean
vmd_host_key_applies_to (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *scheme = parsed != NULL ? g_uri_get_scheme (parsed) : NULL;
  const char *plus = scheme != NULL ? strchr (scheme, '+') : NULL;
  const char * const ssh[] = { "ssh", "libssh", "libssh2", NULL };

  return plus != NULL && g_strv_contains (ssh, plus + 1) &&
         g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0';
}

/* The file libvirt checks the host key against: the URI's known_hosts parameter (libssh and
 * libssh2 transports), else the user's ~/.ssh/known_hosts, which OpenSSH reads. */
char *
vmd_host_key_known_hosts_for (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *query = parsed != NULL ? g_uri_get_query (parsed) : NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *file;

  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  file = params != NULL ? g_hash_table_lookup (params, "known_hosts") : NULL;
  if (file != NULL && *file != '\0' && strstr (g_uri_get_scheme (parsed), "+libssh") != NULL)
    return g_strdup (file);
  return default_known_hosts ();
}

static Check *
check_new (const char  *uri,
           const char  *known_hosts,
           GError     **error)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  Check *check;

  if (!vmd_host_key_applies_to (uri))
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("Only a connection over SSH to another computer has a host key to check."));
      return NULL;
    }
  check = g_new0 (Check, 1);
  check->host = g_strdup (g_uri_get_host (parsed));
  check->port = g_uri_get_port (parsed) > 0 ? g_uri_get_port (parsed) : 22;
  check->pattern = check->port == 22 ? g_strdup (check->host)
                                     : g_strdup_printf ("[%s]:%d", check->host, check->port);
  check->known_hosts = known_hosts != NULL ? g_strdup (known_hosts)
                                           : vmd_host_key_known_hosts_for (uri);
  return check;
}

static gboolean
run (const char * const  *argv,
     char               **output,
     int                 *exit_status,
     GError             **error)
{
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, output, NULL, &status, error))
    return FALSE;
  *exit_status = g_spawn_check_wait_status (status, NULL) ? 0 : 1;
  return TRUE;
}

static void
check_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Check *check = task_data;
  g_autofree char *port = g_strdup_printf ("%d", check->port);
  const char *scan_argv[] = { "ssh-keyscan", "-T", SCAN_TIMEOUT_S, "-p", port, "--", check->host,
                              NULL };
  const char *find_argv[] = { "ssh-keygen", "-F", check->pattern, "-f", check->known_hosts, NULL };
  g_autofree char *scanned = NULL;
  g_autofree char *known = NULL;
  g_autofree char *blob = NULL;
  g_autoptr(VmdHostKey) key = g_new0 (VmdHostKey, 1);
  g_autoptr(GPtrArray) offered = NULL;
  GError *error = NULL;
  int status = 0;

  if (!run (scan_argv, &scanned, &status, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_file_test (check->known_hosts, G_FILE_TEST_EXISTS) &&
      !run (find_argv, &known, &status, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  key->status = vmd_host_key_classify (scanned, known, &key->key_type, &blob);
  if (blob == NULL)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_NOT_CONNECTED,
                               _("%s did not answer as an SSH server on port %d; check the "
                                 "address and that sshd runs there."), check->host, check->port);
      return;
    }
  key->host = g_strdup (check->pattern);
  key->fingerprint = vmd_host_key_fingerprint (blob);
  key->lines = g_ptr_array_new_with_free_func (g_free);
  offered = parse_keys (scanned);
  for (guint i = 0; i < offered->len; i++)
    {
      char **pair = offered->pdata[i];

      g_ptr_array_add (key->lines, g_strdup_printf ("%s %s %s", check->pattern, pair[0], pair[1]));
    }
  g_task_return_pointer (task, g_steal_pointer (&key), (GDestroyNotify) vmd_host_key_free);
}

/* known_hosts: NULL for the user's ~/.ssh/known_hosts, which ssh and libssh read. */
void
vmd_host_key_check_async (const char          *uri,
                          const char          *known_hosts,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;
  Check *check = check_new (uri, known_hosts, &error);

  g_task_set_source_tag (task, vmd_host_key_check_async);
  if (check == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  g_task_run_in_thread (task, check_in_thread);
}

VmdHostKey *
vmd_host_key_check_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The user trusts the key shown: every key the host offered goes into known_hosts (ssh may
 * choose another of them). A changed key is never accepted here: the old one must be removed by
 * hand, after asking the host's administrator. A few hundred bytes appended: no worker. */
gboolean
vmd_host_key_accept (VmdHostKey  *key,
                     const char  *known_hosts,
                     GError     **error)
{
  g_autofree char *path = known_hosts != NULL ? g_strdup (known_hosts) : default_known_hosts ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (key->status == VMD_HOST_KEY_CHANGED)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_PERMISSION_DENIED,
                   _("The host key of %s has changed; VM Desk does not replace a known key."),
                   key->host);
      return FALSE;
    }
  if (key->status == VMD_HOST_KEY_KNOWN)
    return TRUE;
  if (g_mkdir_with_parents (folder, 0700) < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Could not make %s: %s"),
                   folder, g_strerror (errno));
      return FALSE;
    }
  for (guint i = 0; i < key->lines->len; i++)
    g_string_append_printf (text, "%s\n", (char *) key->lines->pdata[i]);
  stream = g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, error);
  if (stream == NULL ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (stream), text->str, text->len, NULL, NULL,
                                  error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error))
    return FALSE;
  key->status = VMD_HOST_KEY_KNOWN;
  return TRUE;
}
