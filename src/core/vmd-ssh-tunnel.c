/* VmdSshTunnel: see the header. Each socket is one end of a socketpair whose other end is the
 * stdin and stdout of `ssh -W LISTEN:PORT HOST`: ssh forwards them to the port as the remote host
 * sees it, so a display listening on the host's loopback is reached, and nothing but SSH has to
 * get through. No shell runs: the argv is built here, from the URI's parts. The first ssh that
 * logs in shares its connection with the next ones (SPICE opens a socket per channel), so a
 * password is asked once per display. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-ssh-tunnel.h"

struct _VmdSshTunnel
{
  GObject       parent_instance;

  char        **argv;
  char         *control_dir;   /* private folder of the shared connection's socket */
  GPtrArray    *processes;     /* of GSubprocess, every ssh started and not yet reaped */
  GCancellable *cancellable;   /* cancelled by close: an ssh ending then is no failure */
  char         *failure;       /* what the last ssh that failed said, for the view to show */
};

G_DEFINE_FINAL_TYPE (VmdSshTunnel, vmd_ssh_tunnel, G_TYPE_OBJECT)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
transport_of (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *plus = scheme != NULL ? strchr (scheme, '+') : NULL;

  return plus != NULL ? plus + 1 : NULL;
}

/* TRUE for a URI whose transport is SSH (ssh, libssh, libssh2) to a named host. */
gboolean
vmd_ssh_tunnel_applies_to (const char *uri)
{
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char * const ssh[] = { "ssh", "libssh", "libssh2", NULL };
  const char *transport = parsed != NULL ? transport_of (parsed) : NULL;

  return transport != NULL && g_strv_contains (ssh, transport) &&
         g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0';
}

/* The address to forward to as the remote host sees it: a display listening on every interface
 * is reached on the host's own loopback. */
static char *
forward_target (const char *listen,
                int         port)
{
  if (listen == NULL || *listen == '\0' || g_str_equal (listen, "0.0.0.0"))
    return g_strdup_printf ("127.0.0.1:%d", port);
  if (g_str_equal (listen, "::"))
    return g_strdup_printf ("[::1]:%d", port);
  if (strchr (listen, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", listen, port);
  return g_strdup_printf ("%s:%d", listen, port);
}

static gboolean
param_is_true (GHashTable *params,
               const char *name)
{
  const char *value = params != NULL ? g_hash_table_lookup (params, name) : NULL;

  return value != NULL && (g_str_equal (value, "1") || g_ascii_strcasecmp (value, "yes") == 0);
}

/* The ssh command line that forwards a socket to listen:port on the URI's host, with the options
 * libvirt gives its own ssh for that URI (its command= as the ssh program on the ssh transport,
 * port, user, keyfile=, no_tty=, no_verify=) and known_hosts= as the host key file.
 * control_path, when given, is where the first ssh offers its connection to the next ones
 * (ControlMaster=auto): they then neither log in again nor ask for a password again. NULL with a
 * VMD_ERROR_INVALID_INPUT when the URI is not one over SSH or the port is not one. */
char **
vmd_ssh_tunnel_build_argv (const char  *uri,
                           const char  *listen,
                           int          port,
                           const char  *control_path,
                           GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GStrvBuilder) argv = NULL;
  g_autofree char *target = NULL;
  const char *transport;
  const char *value;

  if (!vmd_ssh_tunnel_applies_to (uri))
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                           _("Only a connection over SSH to another computer can carry the display."));
      return NULL;
    }
  if (port <= 0 || port > 65535)
    {
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                           _("This display has no network port to reach over SSH."));
      return NULL;
    }
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  transport = transport_of (parsed);
  if (g_uri_get_query (parsed) != NULL)
    params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);

  argv = g_strv_builder_new ();
  /* On the ssh transport command= names the ssh program libvirt runs; libssh has none. */
  value = params != NULL ? g_hash_table_lookup (params, "command") : NULL;
  g_strv_builder_add (argv, g_str_equal (transport, "ssh") && value != NULL && *value != '\0'
                      ? value : "ssh");
  if (g_uri_get_port (parsed) > 0)
    {
      g_autofree char *uri_port = g_strdup_printf ("%d", g_uri_get_port (parsed));

      g_strv_builder_add_many (argv, "-p", uri_port, NULL);
    }
  if (g_uri_get_user (parsed) != NULL && *g_uri_get_user (parsed) != '\0')
    g_strv_builder_add_many (argv, "-l", g_uri_get_user (parsed), NULL);
  value = params != NULL ? g_hash_table_lookup (params, "keyfile") : NULL;
  if (value != NULL && *value != '\0')
    g_strv_builder_add_many (argv, "-i", value, NULL);
  g_strv_builder_add_many (argv, "-T", "-e", "none", NULL);
  if (param_is_true (params, "no_tty"))
    g_strv_builder_add_many (argv, "-o", "BatchMode=yes", NULL);
  if (param_is_true (params, "no_verify"))
    g_strv_builder_add_many (argv, "-o", "StrictHostKeyChecking=no", NULL);
  value = params != NULL ? g_hash_table_lookup (params, "known_hosts") : NULL;
  if (value != NULL && *value != '\0')
    {
      g_autofree char *option = g_strconcat ("UserKnownHostsFile=", value, NULL);

      g_strv_builder_add_many (argv, "-o", option, NULL);
    }
  if (control_path != NULL)
    {
      g_autofree char *option = g_strconcat ("ControlPath=", control_path, NULL);

      g_strv_builder_add_many (argv, "-o", "ControlMaster=auto", "-o", option, NULL);
    }
  target = forward_target (listen, port);
  g_strv_builder_add_many (argv, "-W", target, "--", g_uri_get_host (parsed), NULL);
  return g_strv_builder_end (argv);
}

/* A tunnel for the display listening at listen:port on the URI's host; nothing starts yet. */
VmdSshTunnel *
vmd_ssh_tunnel_new (const char  *uri,
                    const char  *listen,
                    int          port,
                    GError     **error)
{
  g_autoptr(GError) dir_error = NULL;
  g_autofree char *control_dir = g_dir_make_tmp ("vmdesk-ssh-XXXXXX", &dir_error);
  g_autofree char *control_path = NULL;
  g_auto(GStrv) argv = NULL;
  VmdSshTunnel *self;

  /* Without a private folder each ssh logs in on its own: slower, and a password asked more. */
  if (control_dir != NULL)
    control_path = g_build_filename (control_dir, "c", NULL);
  argv = vmd_ssh_tunnel_build_argv (uri, listen, port, control_path, error);
  if (argv == NULL)
    {
      if (control_dir != NULL)
        g_rmdir (control_dir);
      return NULL;
    }
  self = g_object_new (VMD_TYPE_SSH_TUNNEL, NULL);
  self->argv = g_steal_pointer (&argv);
  self->control_dir = g_steal_pointer (&control_dir);
  return self;
}

/* ssh's last two lines say what went wrong ("Host key verification failed.", "connect failed:
 * Connection refused" then "stdio forwarding failed"); the banner of '@' before them does not. */
static char *
summary_of (const char *said)
{
  g_auto(GStrv) lines = g_strsplit (said != NULL ? said : "", "\n", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0' && lines[i][0] != '@')
        g_ptr_array_add (kept, lines[i]);
    }
  while (kept->len > 2)
    g_ptr_array_remove_index (kept, 0);
  g_ptr_array_add (kept, NULL);
  return g_strjoinv (" ", (char **) kept->pdata);
}

typedef struct {
  VmdSshTunnel *self;
  GSubprocess  *process;
} Watch;

static void
on_ssh_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Watch *watch = user_data;
  VmdSshTunnel *self = watch->self;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autofree char *said = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GError) error = NULL;
  gboolean read = g_subprocess_communicate_utf8_finish (process, result, NULL, &said, &error);

  g_ptr_array_remove (self->processes, process);
  if (read && !g_cancellable_is_cancelled (self->cancellable) &&
      g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) != 0)
    {
      summary = summary_of (said);
      g_free (self->failure);
      self->failure = *summary != '\0'
        ? g_strdup_printf (_("The display could not be reached over SSH: %s"), summary)
        : g_strdup_printf (_("The display could not be reached over SSH (ssh ended with status %d)."),
                           g_subprocess_get_exit_status (process));
      g_signal_emit (self, signals[FAILED], 0, self->failure);
    }
  g_object_unref (process);
  g_object_unref (self);
  g_free (watch);
}

/* Starts one ssh and returns the caller's end of its socket, or -1 with a VMD_ERROR when ssh
 * could not be started. ssh failing later (refused, port closed) closes the socket and emits
 * "failed" with what it said. Passwords and passphrases go through SSH_ASKPASS (VM Desk's
 * dialog) when the application set one: ssh is told to prefer it to a terminal. */
int
vmd_ssh_tunnel_open_fd (VmdSshTunnel  *self,
                        GError       **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) spawn_error = NULL;
  GSubprocess *process;
  Watch *watch;
  int pair[2];

  g_return_val_if_fail (VMD_IS_SSH_TUNNEL (self), -1);
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
    {
      int saved = errno;

      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, _("Could not make a socket for the display: %s"),
                   g_strerror (saved));
      return -1;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (g_getenv ("SSH_ASKPASS") != NULL)
    g_subprocess_launcher_setenv (launcher, "SSH_ASKPASS_REQUIRE", "prefer", TRUE);
  g_subprocess_launcher_take_stdin_fd (launcher, pair[1]);
  g_subprocess_launcher_take_stdout_fd (launcher, dup (pair[1]));
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) self->argv, &spawn_error);
  /* The launcher holds the child's end: it must close here, or ssh ending would not be seen as
   * the socket's end. */
  g_clear_object (&launcher);
  if (process == NULL)
    {
      close (pair[0]);
      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED, _("Could not start ssh for the display: %s"),
                   spawn_error->message);
      return -1;
    }
  g_ptr_array_add (self->processes, g_object_ref (process));
  watch = g_new0 (Watch, 1);
  watch->self = g_object_ref (self);
  watch->process = process;
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_ssh_done, watch);
  return pair[0];
}

/* What the last ssh that failed said, as a sentence for the user; NULL while none failed. */
const char *
vmd_ssh_tunnel_get_failure (VmdSshTunnel *self)
{
  g_return_val_if_fail (VMD_IS_SSH_TUNNEL (self), NULL);
  return self->failure;
}

/* Ends every ssh still running (GSubprocess reaps them); none is reported as failed. */
void
vmd_ssh_tunnel_close (VmdSshTunnel *self)
{
  g_return_if_fail (VMD_IS_SSH_TUNNEL (self));
  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < self->processes->len; i++)
    g_subprocess_force_exit (self->processes->pdata[i]);
  /* A killed master leaves its socket behind. */
  if (self->control_dir != NULL)
    {
      g_autofree char *control_path = g_build_filename (self->control_dir, "c", NULL);

      g_unlink (control_path);
      g_rmdir (self->control_dir);
      g_clear_pointer (&self->control_dir, g_free);
    }
}

static void
vmd_ssh_tunnel_dispose (GObject *object)
{
  VmdSshTunnel *self = VMD_SSH_TUNNEL (object);

  if (self->processes != NULL)
    vmd_ssh_tunnel_close (self);
  G_OBJECT_CLASS (vmd_ssh_tunnel_parent_class)->dispose (object);
}

static void
vmd_ssh_tunnel_finalize (GObject *object)
{
  VmdSshTunnel *self = VMD_SSH_TUNNEL (object);

  g_strfreev (self->argv);
  g_free (self->control_dir);
  g_ptr_array_unref (self->processes);
  g_object_unref (self->cancellable);
  g_free (self->failure);
  G_OBJECT_CLASS (vmd_ssh_tunnel_parent_class)->finalize (object);
}

static void
vmd_ssh_tunnel_class_init (VmdSshTunnelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_ssh_tunnel_dispose;
  object_class->finalize = vmd_ssh_tunnel_finalize;

  /* failed (message): an ssh ended with an error before the tunnel was closed. */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vmd_ssh_tunnel_init (VmdSshTunnel *self)
{
  self->processes = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}
