/* The words VM Desk says about a libvirt connection (its title, why it failed) and the
 * process-wide settings libvirt's clients need (SIGPIPE ignored, libvirt-gobject's noise
 * about events it does not know dropped). */
#include "config.h"

#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "vmd-connection-words.h"

char *
vmd_connection_title_for_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *scheme = parsed != NULL ? g_uri_get_scheme (parsed) : NULL;
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;
  const char *path = parsed != NULL ? g_uri_get_path (parsed) : NULL;

  if (scheme == NULL)
    return g_strdup (uri);
  if (g_str_has_prefix (scheme, "qemu") && host != NULL && *host != '\0')
    return g_strdup_printf (_("QEMU/KVM on %s"), host);
  if (g_str_equal (scheme, "qemu") && g_strcmp0 (path, "/session") == 0)
    return g_strdup (_("QEMU/KVM User session"));
  if (g_str_equal (scheme, "qemu") && g_strcmp0 (path, "/system") == 0)
    return g_strdup (_("QEMU/KVM"));
  if (g_str_equal (scheme, "test"))
    return g_strdup_printf (_("Test driver (%s)"), uri);
  return g_strdup (uri);
}

/* TRUE if this process has the group NAME: a user added to it since logging in is in
 * /etc/group but not yet here. */
static gboolean
process_has_group (const char *name)
{
  struct group *group = getgrnam (name);
  gid_t gids[NGROUPS_MAX];
  int n = getgroups (G_N_ELEMENTS (gids), gids);

  if (group == NULL)
    return FALSE;
  for (int i = 0; i < n; i++)
    if (gids[i] == group->gr_gid)
      return TRUE;
  return getegid () == group->gr_gid;
}

static gboolean
user_listed_in_group (const char *name)
{
  struct group *group = getgrnam (name);

  return group != NULL && group->gr_mem != NULL &&
         g_strv_contains ((const char * const *) group->gr_mem, g_get_user_name ());
}

/* Debian lets the "libvirt" group use the system daemon (its polkit rule, or the socket's
 * group); what to do depends on whether the user is in it already. */
static char *
describe_not_allowed (const char *uri,
                      const char *libvirt_message)
{
  if (g_strcmp0 (uri, "qemu:///system") != 0 || process_has_group ("libvirt"))
    return g_strdup_printf (_("You are not allowed to use %s. Ask for membership of the "
                              "“libvirt” group. (%s)"), uri, libvirt_message);
  if (user_listed_in_group ("libvirt"))
    return g_strdup_printf (_("You are not allowed to use %s yet: you were added to the "
                              "“libvirt” group after logging in. Log out and in again. (%s)"),
                            uri, libvirt_message);
  return g_strdup_printf (_("You are not allowed to use %s: it takes membership of the "
                            "“libvirt” group. As root, run “adduser %s libvirt”, then log in "
                            "again. (%s)"), uri, g_get_user_name (), libvirt_message);
}

static char *
host_of (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  return g_strdup (host != NULL && *host != '\0' ? host : uri);
}

/* A host key that changed is the one failure the user must not simply work around: say why. The
 * words are libssh's (the first two) and OpenSSH's. */
static char *
describe_host_key (const char *uri,
                   const char *libvirt_message)
{
  g_autofree char *host = host_of (uri);

  if (strstr (libvirt_message, "HOST KEY VERIFICATION FAILED") != NULL ||
      strstr (libvirt_message, "differs from stored identity") != NULL ||
      strstr (libvirt_message, "IDENTIFICATION HAS CHANGED") != NULL)
    return g_strdup_printf (_("The host key of %s has changed since it was accepted. Someone may "
                              "be intercepting the connection, or the host was reinstalled. VM "
                              "Desk did not connect. Check the new key with the host's "
                              "administrator before you remove the old one from your known "
                              "hosts. (%s)"), host, libvirt_message);
  if (strstr (libvirt_message, "Can't verify the session host key") != NULL ||
      strstr (libvirt_message, "Host key verification failed") != NULL)
    return g_strdup_printf (_("The host key of %s is not known and was not accepted, so nothing "
                              "was sent to it. (%s)"), host, libvirt_message);
  return NULL;
}

/* Keeps libvirt's words, and says first what the user can do about the common cases. A socket
 * the user may not open is a question of rights, not of a daemon that is not running. */
char *
vmd_connection_describe_failure (const char *uri,
                                 const char *libvirt_message)
{
  char *host_key = describe_host_key (uri, libvirt_message);

  if (host_key != NULL)
    return host_key;
  if (strstr (libvirt_message, "Permission denied") != NULL ||
      strstr (libvirt_message, "authentication") != NULL)
    return describe_not_allowed (uri, libvirt_message);
  if (strstr (libvirt_message, "Failed to connect socket") != NULL ||
      strstr (libvirt_message, "No such file or directory") != NULL ||
      strstr (libvirt_message, "Connection refused") != NULL)
    return g_strdup_printf (_("The libvirt daemon is not running for %s. Start it (for example "
                              "“systemctl start libvirtd”) and VM Desk will connect. (%s)"),
                            uri, libvirt_message);
  /* libvirt's words often name the URI already ("no connection driver available for URI"),
   * under a row that names it too: once is enough. */
  if (strstr (libvirt_message, uri) != NULL)
    return g_strdup_printf (_("Could not connect: %s"), libvirt_message);
  return g_strdup_printf (_("Could not connect to %s: %s"), uri, libvirt_message);
}

/* libvirt-gobject 4.0 knows only the event details of its time: for newer ones (a rename, a
 * definition from a snapshot) it warns "code should not be reached", emits nothing and carries
 * on. The warning says nothing a user could act on, so it is dropped; every other message
 * passes through unchanged. The rename it does not emit, watch_definitions catches. */
gboolean
vmd_connection_is_unknown_event_warning (const char *log_domain,
                                         const char *message)
{
  /* libvirt-gobject logs without a domain of its own. */
  return (log_domain == NULL || *log_domain == '\0') && message != NULL &&
         strstr (message, "domain_event_cb: code should not be reached") != NULL;
}

static void
on_libvirt_gobject_log (const char     *log_domain,
                        GLogLevelFlags  level,
                        const char     *message,
                        gpointer        user_data)
{
  /* Dropped, not re-logged: a message logged from inside a log handler aborts. */
  if (!vmd_connection_is_unknown_event_warning (log_domain, message))
    g_log_default_handler (log_domain, level, message, user_data);
}

/* libvirt writes to sockets the other end may have closed (a keepalive, a call racing a dead
 * daemon), and its documentation asks clients to ignore SIGPIPE, as virsh does: the write then
 * fails, the connection closes, and the list reconnects, instead of the process being killed. */
void
vmd_connection_ignore_sigpipe (void)
{
  signal (SIGPIPE, SIG_IGN);
}

void
vmd_connection_quiet_unknown_events (void)
{
  g_log_set_handler (NULL, G_LOG_LEVEL_WARNING, on_libvirt_gobject_log, NULL);
}

/* The system daemon is opened by default only where its socket is there for us to use. */
gboolean
vmd_connection_system_available (void)
{
  const char *sockets[] = { "/run/libvirt/libvirt-sock", "/run/libvirt/virtqemud-sock" };

  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    if (access (sockets[i], R_OK | W_OK) == 0)
      return TRUE;
  return FALSE;
}

