/* vmdesk-transfer-bench: one volume upload or download through VM Desk's own core (VmdResources,
 * VmdStoragePool, VmdJob over libvirt streams), for bench/transfer.py to time against virsh.
 *   vmdesk-transfer-bench URI POOL upload FILE NAME
 *   vmdesk-transfer-bench URI POOL download VOLUME FILE
 * Prints "seconds bytes" of the job (from its start to its end), after the connection is open
 * and the pool listed, as a user who presses Upload in an open window sees it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "vmd-connection.h"
#include "vmd-resources.h"

static GAsyncResult *done_result;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  done_result = g_object_ref (result);
}

static void
on_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!vmd_connection_open_finish (VMD_CONNECTION (source), result, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      exit (1);
    }
}

static VmdStoragePool *
open_pool (const char *uri, const char *name)
{
  VmdConnection *connection = vmd_connection_new (uri);
  VmdResources *resources = vmd_connection_get_resources (connection);
  VmdStoragePool *pool;

  vmd_connection_open_async (connection, NULL, on_opened, NULL);
  while (!vmd_resources_get_loaded (resources))
    g_main_context_iteration (NULL, TRUE);
  pool = vmd_resources_find_pool (resources, name);
  if (pool == NULL)
    {
      fprintf (stderr, "no pool %s\n", name);
      exit (1);
    }
  return pool;
}

int
main (int argc, char *argv[])
{
  VmdStoragePool *pool;
  g_autoptr(VmdJob) job = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  if (argc != 6)
    {
      fprintf (stderr, "usage: %s URI POOL upload FILE NAME | URI POOL download VOLUME FILE\n", argv[0]);
      return 2;
    }
  gvir_init_object (NULL, NULL);
  vmd_connection_quiet_unknown_events ();
  pool = open_pool (argv[1], argv[2]);
  started = g_get_monotonic_time ();
  if (g_str_equal (argv[3], "upload"))
    job = vmd_storage_pool_upload (pool, argv[4], argv[5], on_done, NULL);
  else
    {
      VmdStorageVolume *volume = vmd_storage_pool_find_volume (pool, argv[4]);

      if (volume == NULL)
        {
          fprintf (stderr, "no volume %s\n", argv[4]);
          return 1;
        }
      job = vmd_storage_volume_download (volume, argv[5], on_done, NULL);
    }
  while (done_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!vmd_job_run_finish (job, done_result, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("%.3f %" G_GUINT64_FORMAT "\n", (g_get_monotonic_time () - started) / 1e6, vmd_job_get_bytes_done (job));
  return 0;
}
