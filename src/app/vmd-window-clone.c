/* The clone's row appears when libvirt's "defined" event reaches its connection, which may be
 * after the job has finished: the list is asked to select it then. */
#include "config.h"

#include "vmd-connection.h"
#include "vmd-window-clone.h"

typedef struct {
  VmdMachineList *list;      /* the closure is invalidated when it goes */
  VmdConnection  *connection;
  char           *name;
  gulong          handler;
} PendingSelection;

static void
pending_selection_free (gpointer data,
                        GClosure *closure)
{
  PendingSelection *pending = data;

  g_object_unref (pending->connection);
  g_free (pending->name);
  g_free (pending);
}

static gboolean
select_if_listed (PendingSelection *pending)
{
  VmdMachine *machine = vmd_connection_find_machine (pending->connection, pending->name);

  if (machine == NULL)
    return FALSE;
  vmd_machine_list_select_machine (pending->list, machine);
  return TRUE;
}

static void
on_machines_changed (GListModel       *model,
                     guint             position,
                     guint             removed,
                     guint             added,
                     PendingSelection *pending)
{
  /* Last: disconnecting frees pending (the closure is kept alive until this call returns). */
  if (added > 0 && select_if_listed (pending))
    g_signal_handler_disconnect (model, pending->handler);
}

/* What the "cloned" handler needs: where the clone will be listed, and the list to select it in. */
typedef struct {
  VmdMachineList *list;
  VmdConnection  *connection;
} CloneTarget;

static void
clone_target_free (gpointer  data,
                   GClosure *closure)
{
  CloneTarget *target = data;

  g_clear_object (&target->list);
  g_clear_object (&target->connection);
  g_free (target);
}

static void
on_cloned (GtkWidget   *dialog,
           const char  *name,
           CloneTarget *target)
{
  PendingSelection *pending;
  GClosure *closure;

  if (target->connection == NULL)
    return;
  pending = g_new0 (PendingSelection, 1);
  pending->list = target->list;
  pending->connection = g_object_ref (target->connection);
  pending->name = g_strdup (name);
  if (select_if_listed (pending))
    {
      pending_selection_free (pending, NULL);
      return;
    }
  closure = g_cclosure_new (G_CALLBACK (on_machines_changed), pending, pending_selection_free);
  g_object_watch_closure (G_OBJECT (target->list), closure);
  pending->handler = g_signal_connect_closure (vmd_connection_get_machines (target->connection),
                                               "items-changed", closure, FALSE);
}

void
vmd_window_clone_machine (GtkWindow         *window,
                          const VmdFeatures *features,
                          VmdMachineList    *list,
                          VmdMachine        *machine)
{
  GtkWidget *dialog = features->clone_dialog_new (window, machine);
  CloneTarget *target = g_new0 (CloneTarget, 1);
  VmdConnection *connection = vmd_machine_get_connection (machine);

  target->list = g_object_ref (list);
  target->connection = connection != NULL ? g_object_ref (connection) : NULL;
  g_signal_connect_data (dialog, "cloned", G_CALLBACK (on_cloned), target, clone_target_free, 0);
  gtk_widget_show (dialog);
}
