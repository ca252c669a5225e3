/* vmdesk-migrate-bench: one live migration through VM Desk's core (vmd_machine_migrate, a VmdJob),
 * for bench/migrate.py to time against `virsh migrate`:
 *   vmdesk-migrate-bench SOURCE_URI TARGET_URI NAME
 * Live, disks copied, persistent on the target and undefined on the source, as Migrate… does by
 * default. Prints "seconds downtime_ms" of the job (from its start to its end), after both
 * connections are open and list the machine, as a user who presses Migrate sees it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "vmd-connection.h"
#include "vmd-machine-migrate.h"

static GAsyncResult *done_result;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  done_result = g_object_ref (result);
}

static VmdConnection *
open_connection (const char *uri)
{
  VmdConnection *connection = vmd_connection_new (uri);

  vmd_connection_open_async (connection, NULL, NULL, NULL);
  while (vmd_connection_get_state (connection) != VMD_CONNECTION_STATE_CONNECTED)
    {
      if (vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_FAILED)
        {
          fprintf (stderr, "%s\n", vmd_connection_get_error_message (connection));
          exit (1);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  return connection;
}

int
main (int argc, char *argv[])
{
  VmdMigrateOptions options = { .copy_storage = TRUE, .persistent = TRUE, .undefine_source = TRUE };
  g_autoptr(VmdConnection) source = NULL;
  g_autoptr(VmdConnection) target = NULL;
  g_autoptr(VmdJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMigrateProgress) progress = NULL;
  VmdMigrateStats stats = { 0, };
  VmdMachine *machine;
  gint64 started;

  if (argc != 4)
    {
      fprintf (stderr, "usage: %s SOURCE_URI TARGET_URI NAME\n", argv[0]);
      return 2;
    }
  gvir_init_object (NULL, NULL);
  vmd_connection_quiet_unknown_events ();
  source = open_connection (argv[1]);
  target = open_connection (argv[2]);
  while ((machine = vmd_connection_find_machine (source, argv[3])) == NULL ||
         vmd_machine_get_state (machine) != VMD_MACHINE_STATE_RUNNING)
    g_main_context_iteration (NULL, TRUE);
  started = g_get_monotonic_time ();
  job = vmd_machine_migrate (machine, target, &options, &progress, on_done, NULL);
  while (done_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!vmd_job_run_finish (job, done_result, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  vmd_migrate_progress_read (progress, &stats);
  printf ("%.3f %" G_GUINT64_FORMAT "\n", (g_get_monotonic_time () - started) / 1e6, stats.downtime_ms);
  return 0;
}
