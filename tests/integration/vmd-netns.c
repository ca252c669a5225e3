#include "config.h"

#include <stdarg.h>

#include "vmd-netns.h"

/* Runs `ip netns exec NS ARGS...`; TRUE when it exits with 0. output (may be NULL) gets stdout. */
gboolean
vmd_netns_run (char       **output,
               const char  *first,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;
  va_list args;

  g_ptr_array_add (argv, (char *) "ip");
  g_ptr_array_add (argv, (char *) "netns");
  g_ptr_array_add (argv, (char *) "exec");
  g_ptr_array_add (argv, (char *) VMD_LIBVIRT_NETNS);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error))
    {
      g_test_message ("ip netns exec: %s", error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s: %s", first, err);
  if (output != NULL)
    *output = g_steal_pointer (&out);
  return g_spawn_check_wait_status (status, NULL);
}
