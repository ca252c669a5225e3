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

static void
on_cloned (GtkWidget      *dialog,
           const char     *name,
           VmdMachineList *list)
{
  VmdMachine *source = g_object_get_data (G_OBJECT (dialog), "vmd-clone-source");
  VmdConnection *connection = vmd_machine_get_connection (source);
  PendingSelection *pending;
  GClosure *closure;

  if (connection == NULL)
    return;
  pending = g_new0 (PendingSelection, 1);
  pending->list = list;
  pending->connection = g_object_ref (connection);
  pending->name = g_strdup (name);
  if (select_if_listed (pending))
    {
      pending_selection_free (pending, NULL);
      return;
    }
  closure = g_cclosure_new (G_CALLBACK (on_machines_changed), pending, pending_selection_free);
  g_object_watch_closure (G_OBJECT (list), closure);
  pending->handler = g_signal_connect_closure (vmd_connection_get_machines (connection),
                                               "items-changed", closure, FALSE);
}

void
vmd_window_clone_machine (GtkWindow         *window,
                          const VmdFeatures *features,
                          VmdMachineList    *list,
                          VmdMachine        *machine)
{
  GtkWidget *dialog = features->clone_dialog_new (window, machine);

  g_object_set_data_full (G_OBJECT (dialog), "vmd-clone-source", g_object_ref (machine), g_object_unref);
  g_signal_connect_object (dialog, "cloned", G_CALLBACK (on_cloned), list, 0);
  gtk_widget_show (dialog);
}
