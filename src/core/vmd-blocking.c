/* The worker thread gets only the operation's data (copies and libvirt references), never a
 * live object the main loop may change meanwhile. */
#include "config.h"

#include "vmd-blocking.h"

typedef struct {
  VmdBlockingFunc func;
  gpointer        data;
  GDestroyNotify  data_free;
} Call;

static void
call_free (Call *call)
{
  if (call->data_free != NULL)
    call->data_free (call->data);
  g_free (call);
}

static void
run_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;

  if (call->func (call->data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vmd_blocking_run_async (gpointer             source,
                        gpointer             source_tag,
                        VmdBlockingFunc      func,
                        gpointer             data,
                        GDestroyNotify       data_free,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->func = func;
  call->data = data;
  call->data_free = data_free;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  g_task_run_in_thread (task, run_in_thread);
}

gboolean
vmd_blocking_run_finish (gpointer       source,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
