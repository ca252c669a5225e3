/* Follows every connection's machine list and state until one lists a machine of the name
 * asked for, or every connection has settled (opened, failed or closed) without it. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-machine-finder.h"

typedef struct {
  GListModel *connections;
  char       *name;
  GPtrArray  *watched;     /* the connections whose signals we hold */
  GTask      *task;        /* ours, borrowed: the handlers' data */
  gulong      cancel_id;
  guint       deadline_id; /* waiting for a machine to be defined: when to give up */
  gboolean    done;
} Finder;

static void look (GTask *task);

static void
unwatch (Finder *finder)
{
  for (guint i = 0; i < finder->watched->len; i++)
    {
      VmdConnection *connection = finder->watched->pdata[i];

      g_signal_handlers_disconnect_by_data (connection, finder->task);
      g_signal_handlers_disconnect_by_data (vmd_connection_get_machines (connection), finder->task);
    }
  g_ptr_array_set_size (finder->watched, 0);
  g_signal_handlers_disconnect_by_data (finder->connections, finder->task);
}

static void
finder_free (Finder *finder)
{
  unwatch (finder);
  g_clear_object (&finder->connections);
  g_free (finder->name);
  g_ptr_array_unref (finder->watched);
  g_free (finder);
}

static gboolean
settled (VmdConnection *connection)
{
  switch (vmd_connection_get_state (connection))
    {
    case VMD_CONNECTION_STATE_CONNECTED:
    case VMD_CONNECTION_STATE_FAILED:
    case VMD_CONNECTION_STATE_DISCONNECTED:
      return TRUE;
    case VMD_CONNECTION_STATE_CONNECTING:
    case VMD_CONNECTION_STATE_LOST:
    default:
      return FALSE;
    }
}

/* Any change anywhere sends us here: a connection added, a state, a machine listed. */
static void
watch_all (GTask *task)
{
  Finder *finder = g_task_get_task_data (task);
  guint n = g_list_model_get_n_items (finder->connections);

  unwatch (finder);
  g_signal_connect_swapped (finder->connections, "items-changed", G_CALLBACK (look), task);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (finder->connections, i);

      g_signal_connect_swapped (connection, "notify::state", G_CALLBACK (look), task);
      g_signal_connect_swapped (vmd_connection_get_machines (connection), "items-changed",
                                G_CALLBACK (look), task);
      g_ptr_array_add (finder->watched, g_steal_pointer (&connection));
    }
}

static void
finish (GTask      *task,
        VmdMachine *machine,
        GError     *error)
{
  Finder *finder = g_task_get_task_data (task);

  finder->done = TRUE;
  unwatch (finder);
  g_clear_handle_id (&finder->deadline_id, g_source_remove);
  g_cancellable_disconnect (g_task_get_cancellable (task), finder->cancel_id);
  finder->cancel_id = 0;
  if (machine != NULL)
    g_task_return_pointer (task, g_object_ref (machine), g_object_unref);
  else
    g_task_return_error (task, error);
  g_object_unref (task);   /* the reference the watch held */
}

static GError *
not_found (Finder *finder)
{
  return g_error_new (VMD_ERROR, VMD_ERROR_NOT_FOUND, _("No machine named “%s” was found."),
                      finder->name);
}

static gboolean
on_deadline (gpointer user_data)
{
  GTask *task = user_data;
  Finder *finder = g_task_get_task_data (task);

  finder->deadline_id = 0;
  finish (task, NULL, not_found (finder));
  return G_SOURCE_REMOVE;
}

static void
look (GTask *task)
{
  Finder *finder = g_task_get_task_data (task);
  guint n = g_list_model_get_n_items (finder->connections);
  gboolean all_settled = TRUE;

  if (finder->done)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (finder->connections, i);
      VmdMachine *machine = vmd_connection_find_machine (connection, finder->name);

      if (machine != NULL)
        {
          finish (task, machine, NULL);
          return;
        }
      all_settled = all_settled && settled (connection);
    }
  if (all_settled && finder->deadline_id == 0)
    finish (task, NULL, not_found (finder));
  else if (finder->watched->len != n)
    watch_all (task);
}

static gboolean
on_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;
  Finder *finder = g_task_get_task_data (task);

  if (!finder->done)
    finish (task, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
  return G_SOURCE_REMOVE;
}

/* g_cancellable_disconnect may not be called from the handler (nor may the handler, run at
 * once for a cancellable cancelled already, see its id): finish from an idle. */
static void
on_cancelled (GCancellable *cancellable,
              GTask        *task)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, on_cancelled_idle, g_object_ref (task), g_object_unref);
}

/* Calls back with the first machine named NAME that any of the connections lists, at once if
 * one does already. Fails with VMD_ERROR_NOT_FOUND once every connection has settled without
 * it (opened, failed or closed; a connection lost and coming back is waited for), or, when
 * wait_s > 0, once wait_s seconds have passed without it: a machine about to be defined (a
 * `vmdesk --show-console NAME` asked while the assistant makes NAME) is waited for. */
void
vmd_machine_find_async (GListModel          *connections,
                        const char          *name,
                        guint                wait_s,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Finder *finder = g_new0 (Finder, 1);

  finder->connections = g_object_ref (connections);
  finder->name = g_strdup (name);
  finder->watched = g_ptr_array_new_with_free_func (g_object_unref);
  finder->task = task;
  g_task_set_source_tag (task, vmd_machine_find_async);
  g_task_set_task_data (task, finder, (GDestroyNotify) finder_free);
  if (cancellable != NULL)
    finder->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), task, NULL);
  if (wait_s > 0)
    finder->deadline_id = g_timeout_add_seconds (wait_s, on_deadline, task);
  look (task);   /* the task's own reference goes with the answer, now or later */
}

VmdMachine *
vmd_machine_find_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
