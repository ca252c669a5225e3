/* Every wait here is bounded, so a NetworkManager that never answers fails the test instead of
 * hanging it until meson's timeout. */
#include "config.h"

#include <string.h>

#include "vmd-nm-test-util.h"

void
vmd_nm_test_waiter_done (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  VmdNmTestWaiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  waiter->done = TRUE;
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until *flag is set or timeout_ms pass; TRUE if it was set. */
gboolean
vmd_nm_test_wait_flag (gboolean *flag,
                       guint     timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_deadline, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return *flag;
}

/* Runs a command line (no shell) and fails the test, with its stderr, if it fails. */
void
vmd_nm_test_run (const char *line)
{
  g_auto(GStrv) argv = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_test_message ("%s", line);
  g_shell_parse_argv (line, NULL, &argv, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("“%s” failed: %s", line, err);
}

/* `ip -n NS -j ARGS...` in the wrapper's namespace (VMDESK_NM_NETNS); NULL if ip failed (for
 * example: no such device). */
char *
vmd_nm_test_ip_json (const char *first,
                     ...)
{
  const char *netns = g_getenv ("VMDESK_NM_NETNS");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *) "ip");
  g_ptr_array_add (argv, (char *) "-n");
  g_ptr_array_add (argv, (char *) netns);
  g_ptr_array_add (argv, (char *) "-j");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  g_test_message ("ip -n %s -j %s...: %s", netns, first, out);
  return g_steal_pointer (&out);
}

gboolean
vmd_nm_test_link_exists (const char *name)
{
  g_autofree char *out = vmd_nm_test_ip_json ("link", "show", "dev", name, NULL);

  return out != NULL && strstr (out, name) != NULL;
}

/* The bridge a device is a port of, NULL if none. */
char *
vmd_nm_test_link_master (const char *device)
{
  g_autofree char *out = vmd_nm_test_ip_json ("link", "show", "dev", device, NULL);
  const char *master = out != NULL ? strstr (out, "\"master\":\"") : NULL;

  if (master == NULL)
    return NULL;
  master += strlen ("\"master\":\"");
  return g_strndup (master, strcspn (master, "\""));
}

VmdNetProfile *
vmd_nm_test_find_profile (GPtrArray  *profiles,
                          const char *id)
{
  for (guint i = 0; i < profiles->len; i++)
    {
      VmdNetProfile *profile = profiles->pdata[i];

      if (g_strcmp0 (profile->id, id) == 0)
        return profile;
    }
  return NULL;
}
