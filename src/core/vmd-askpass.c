/* The folder (in the user's runtime directory, 0700) holds the socket and a link to the helper:
 * the helper finds the socket beside the path it was run as, since libvirt gives ssh only a few
 * variables of our environment (SSH_ASKPASS and DISPLAY among them, nothing of our own). One
 * question per connection: the helper writes it and shuts its side; we answer "+TEXT" or "-". */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vmd-askpass.h"

#define MAX_PROMPT 4096

/* --- one question ------------------------------------------------------------------------------ */

struct _VmdAskpassRequest
{
  GObject            parent_instance;

  GSocketConnection *connection;
  char              *prompt;
  gboolean           answered;
};

G_DEFINE_FINAL_TYPE (VmdAskpassRequest, vmd_askpass_request, G_TYPE_OBJECT)

const char *
vmd_askpass_request_get_prompt (VmdAskpassRequest *self)
{
  return self->prompt;
}

/* Passwords and passphrases are typed unseen; a yes/no question is not a secret. */
gboolean
vmd_askpass_request_is_secret (VmdAskpassRequest *self)
{
  g_autofree char *lower = g_ascii_strdown (self->prompt, -1);

  return strstr (lower, "password") != NULL || strstr (lower, "passphrase") != NULL ||
         strstr (lower, "pin") != NULL;
}

static void
answer (VmdAskpassRequest *self,
        const char        *text)
{
  GOutputStream *out;

  if (self->answered)
    return;
  self->answered = TRUE;
  out = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  /* A few bytes on a local socket the helper is reading: no wait worth a worker. */
  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
}

void
vmd_askpass_request_reply (VmdAskpassRequest *self,
                           const char        *text)
{
  g_autofree char *message = g_strconcat ("+", text, NULL);

  answer (self, message);
  explicit_bzero (message, strlen (message));
}

void
vmd_askpass_request_cancel (VmdAskpassRequest *self)
{
  answer (self, "-");
}

static void
vmd_askpass_request_finalize (GObject *object)
{
  VmdAskpassRequest *self = VMD_ASKPASS_REQUEST (object);

  vmd_askpass_request_cancel (self);
  g_clear_object (&self->connection);
  g_free (self->prompt);
  G_OBJECT_CLASS (vmd_askpass_request_parent_class)->finalize (object);
}

static void
vmd_askpass_request_class_init (VmdAskpassRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_askpass_request_finalize;
}

static void
vmd_askpass_request_init (VmdAskpassRequest *self)
{
}

/* --- the listener ------------------------------------------------------------------------------ */

struct _VmdAskpass
{
  GObject          parent_instance;

  char            *folder;
  char            *program;   /* the link ssh runs */
  char            *socket_path;
  GSocketService  *service;
};

G_DEFINE_FINAL_TYPE (VmdAskpass, vmd_askpass, G_TYPE_OBJECT)

enum { ASK, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  VmdAskpass        *self;
  GSocketConnection *connection;
  char               buffer[MAX_PROMPT + 1];
} Reading;

static void
on_prompt_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Reading *reading = user_data;
  g_autoptr(VmdAskpassRequest) request = g_object_new (VMD_TYPE_ASKPASS_REQUEST, NULL);
  gsize got = 0;

  request->connection = g_steal_pointer (&reading->connection);
  if (g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &got, NULL))
    {
      reading->buffer[got] = '\0';
      request->prompt = g_utf8_make_valid (g_strstrip (reading->buffer), -1);
      /* Nobody to ask: the request is cancelled when it goes. */
      if (g_signal_has_handler_pending (reading->self, signals[ASK], 0, TRUE))
        g_signal_emit (reading->self, signals[ASK], 0, request);
    }
  else
    request->prompt = g_strdup ("");
  g_object_unref (reading->self);
  g_free (reading);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             VmdAskpass        *self)
{
  Reading *reading = g_new0 (Reading, 1);

  reading->self = g_object_ref (self);
  reading->connection = g_object_ref (connection);
  g_input_stream_read_all_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                 reading->buffer, MAX_PROMPT, G_PRIORITY_DEFAULT, NULL,
                                 on_prompt_read, reading);
  return TRUE;
}

/* The installed helper, else the one beside this program (the build tree); the environment's
 * VMDESK_ASKPASS_HELPER first. */
char *
vmd_askpass_find_helper (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *beside = NULL;
  const char *given = g_getenv ("VMDESK_ASKPASS_HELPER");

  if (given != NULL && *given != '\0')
    return g_strdup (given);
  if (g_file_test (LIBEXECDIR "/vmdesk/vmdesk-askpass", G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (LIBEXECDIR "/vmdesk/vmdesk-askpass");
  if (self == NULL)
    return NULL;
  beside = g_path_get_dirname (self);
  return g_build_filename (beside, "vmdesk-askpass", NULL);
}

/* Listens for helper's questions; SSH_ASKPASS is the caller's to set to
 * vmd_askpass_get_program. */
VmdAskpass *
vmd_askpass_new (const char  *helper,
                 GError     **error)
{
  g_autoptr(VmdAskpass) self = g_object_new (VMD_TYPE_ASKPASS, NULL);
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *template = g_build_filename (g_get_user_runtime_dir (), "vmdesk-askpass-XXXXXX",
                                                NULL);

  if (helper == NULL || !g_file_test (helper, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The password helper vmdesk-askpass is missing (%s)"),
                   helper != NULL ? helper : "?");
      return NULL;
    }
  if (g_mkdtemp_full (template, 0700) == NULL)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", template,
                   g_strerror (errno));
      return NULL;
    }
  self->folder = g_steal_pointer (&template);
  self->program = g_build_filename (self->folder, "askpass", NULL);
  self->socket_path = g_build_filename (self->folder, "socket", NULL);
  if (symlink (helper, self->program) < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", self->program,
                   g_strerror (errno));
      return NULL;
    }
  address = g_unix_socket_address_new (self->socket_path);
  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL,
                                      error))
    return NULL;
  g_signal_connect_object (self->service, "incoming", G_CALLBACK (on_incoming), self, 0);
  g_socket_service_start (self->service);
  return g_steal_pointer (&self);
}

const char *
vmd_askpass_get_program (VmdAskpass *self)
{
  return self->program;
}

static void
vmd_askpass_finalize (GObject *object)
{
  VmdAskpass *self = VMD_ASKPASS (object);

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  if (self->folder != NULL)
    {
      g_unlink (self->socket_path);
      g_unlink (self->program);
      g_rmdir (self->folder);
    }
  g_free (self->folder);
  g_free (self->program);
  g_free (self->socket_path);
  G_OBJECT_CLASS (vmd_askpass_parent_class)->finalize (object);
}

static void
vmd_askpass_class_init (VmdAskpassClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_askpass_finalize;
  /* ask (VmdAskpassRequest *request): answer it with _reply or _cancel, now or later (keep a
   * reference); one dropped unanswered is a cancel. */
  signals[ASK] = g_signal_new ("ask", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                               NULL, G_TYPE_NONE, 1, VMD_TYPE_ASKPASS_REQUEST);
}

static void
vmd_askpass_init (VmdAskpass *self)
{
}
