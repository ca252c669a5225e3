/* vmdesk-askpass: the SSH_ASKPASS program VM Desk gives ssh (qemu+ssh:// connections). ssh runs
 * it with the question as its argument; it asks the VM Desk that made the folder it is run from
 * (a link in that private folder, beside the app's socket) and prints the answer. Exit status 1:
 * the user cancelled, or no VM Desk answers. Nothing is kept. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>

#define MAX_ANSWER 4096

int
main (int argc, char *argv[])
{
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  char answer[MAX_ANSWER + 1];
  gsize got = 0;
  const char *prompt = argc > 1 ? argv[1] : "";

  folder = g_path_get_dirname (argv[0]);
  path = g_build_filename (folder, "socket", NULL);
  client = g_socket_client_new ();
  address = g_unix_socket_address_new (path);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  if (connection == NULL)
    {
      g_printerr ("vmdesk-askpass: %s\n", error->message);
      return 1;
    }
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  prompt, strlen (prompt), NULL, NULL, &error) ||
      !g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, &error) ||
      !g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                answer, MAX_ANSWER, &got, NULL, &error))
    {
      g_printerr ("vmdesk-askpass: %s\n", error->message);
      return 1;
    }
  /* "+" and the answer, or "-" for a cancel. */
  if (got == 0 || answer[0] != '+')
    return 1;
  answer[got] = '\0';
  printf ("%s\n", answer + 1);
  explicit_bzero (answer, sizeof answer);
  return 0;
}
