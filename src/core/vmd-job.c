/* VmdJob: the work runs in a worker thread; its reports reach the main loop at most every
 * REPORT_MS through one idle, so a fast transfer never floods the UI. Undo steps run in the
 * worker thread, newest first, before the job says it failed: when the UI hears "cancelled",
 * nothing is left behind. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-core-enums.h"
#include "vmd-error.h"
#include "vmd-job.h"

#define REPORT_MS 100
#define SPEED_WINDOW_US (2 * G_USEC_PER_SEC)

typedef struct {
  VmdJobUndoFunc func;
  gpointer       data;
  GDestroyNotify data_free;
} UndoStep;

typedef struct {
  gint64  time;
  guint64 bytes;
} Sample;

struct _VmdJob
{
  GObject       parent_instance;

  char         *title;
  VmdJobState   state;
  guint64       done;
  guint64       total;
  double        speed;
  char         *message;
  GCancellable *cancellable;
  GArray       *samples;     /* of Sample, the last SPEED_WINDOW_US, main thread only */

  GMutex        lock;        /* guards what the worker writes: */
  guint64       pending_done;
  guint64       pending_total;
  guint         report_id;
  gint64        last_report;
  GPtrArray    *undo;        /* of UndoStep */
};

G_DEFINE_FINAL_TYPE (VmdJob, vmd_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_BYTES_DONE,
  PROP_BYTES_TOTAL,
  PROP_SPEED,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
undo_step_free (UndoStep *step)
{
  if (step->data_free != NULL)
    step->data_free (step->data);
  g_free (step);
}

/* --- progress, on the main loop ----------------------------------------------------------------- */

static void
update_speed (VmdJob *self)
{
  gint64 now = g_get_monotonic_time ();
  Sample sample = { now, self->done };
  Sample *first;

  g_array_append_val (self->samples, sample);
  while (self->samples->len > 2 &&
         now - g_array_index (self->samples, Sample, 1).time > SPEED_WINDOW_US)
    g_array_remove_index (self->samples, 0);
  first = &g_array_index (self->samples, Sample, 0);
  if (now > first->time && self->done >= first->bytes)
    self->speed = (double) (self->done - first->bytes) * G_USEC_PER_SEC / (double) (now - first->time);
}

static void
set_bytes (VmdJob  *self,
           guint64  done,
           guint64  total)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (total != self->total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_TOTAL]);
    }
  if (done != self->done)
    {
      self->done = done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
    }
  update_speed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
on_report_due (gpointer user_data)
{
  VmdJob *self = user_data;
  guint64 done, total;

  g_mutex_lock (&self->lock);
  self->report_id = 0;
  done = self->pending_done;
  total = self->pending_total;
  g_mutex_unlock (&self->lock);
  set_bytes (self, done, total);
  return G_SOURCE_REMOVE;
}

/* Thread-safe; the last report always arrives, earlier ones may be merged. */
void
vmd_job_report (VmdJob  *self,
                guint64  done,
                guint64  total)
{
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (VMD_IS_JOB (self));
  g_mutex_lock (&self->lock);
  self->pending_done = done;
  self->pending_total = total;
  if (self->report_id == 0 && (now - self->last_report >= REPORT_MS * 1000 || done == total))
    {
      self->last_report = now;
      self->report_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_report_due, g_object_ref (self),
                                         g_object_unref);
    }
  g_mutex_unlock (&self->lock);
}

void
vmd_job_push_undo (VmdJob         *self,
                   VmdJobUndoFunc  func,
                   gpointer        data,
                   GDestroyNotify  data_free)
{
  UndoStep *step = g_new0 (UndoStep, 1);

  g_return_if_fail (VMD_IS_JOB (self));
  step->func = func;
  step->data = data;
  step->data_free = data_free;
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->undo, step);
  g_mutex_unlock (&self->lock);
}

/* --- running ------------------------------------------------------------------------------------ */

typedef struct {
  VmdJobFunc     func;
  gpointer       data;
  GDestroyNotify data_free;
} Work;

static void
work_free (Work *work)
{
  if (work->data_free != NULL)
    work->data_free (work->data);
  g_free (work);
}

static void
run_undo (VmdJob *self)
{
  g_autoptr(GPtrArray) steps = NULL;

  g_mutex_lock (&self->lock);
  steps = g_steal_pointer (&self->undo);
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) undo_step_free);
  g_mutex_unlock (&self->lock);
  for (guint i = steps->len; i > 0; i--)
    {
      UndoStep *step = steps->pdata[i - 1];

      step->func (step->data);
    }
}

static void
run_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VmdJob *self = source;
  Work *work = task_data;
  GError *error = NULL;
  gboolean ok = work->func (self, work->data, cancellable, &error);

  /* A cancel that came as the work finished still counts: the user was told it would stop. */
  if (ok && g_cancellable_is_cancelled (cancellable))
    {
      ok = FALSE;
      g_cancellable_set_error_if_cancelled (cancellable, &error);
    }
  if (!ok)
    {
      run_undo (self);
      g_task_return_error (task, error);
      return;
    }
  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->undo, 0);
  g_mutex_unlock (&self->lock);
  g_task_return_boolean (task, TRUE);
}

static void
set_state (VmdJob      *self,
           VmdJobState  state,
           const char  *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
on_work_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  VmdJob *self = VMD_JOB (source);
  g_autoptr(GTask) outer = user_data;
  GError *error = NULL;

  guint64 done, total;

  /* The last bytes the worker reported, before the state says it is over. */
  g_mutex_lock (&self->lock);
  g_clear_handle_id (&self->report_id, g_source_remove);
  done = self->pending_done;
  total = self->pending_total;
  g_mutex_unlock (&self->lock);
  set_bytes (self, done, total);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_state (self, VMD_JOB_STATE_SUCCEEDED, NULL);
      g_task_return_boolean (outer, TRUE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_state (self, VMD_JOB_STATE_CANCELLED, _("Cancelled"));
      g_task_return_error (outer, error);
    }
  else
    {
      set_state (self, VMD_JOB_STATE_FAILED, error->message);
      g_task_return_error (outer, error);
    }
}

/* Runs once: func in a worker thread; callback when it and its undo (if any) are over. */
void
vmd_job_run_async (VmdJob              *self,
                   VmdJobFunc           func,
                   gpointer             data,
                   GDestroyNotify       data_free,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *outer;
  g_autoptr(GTask) inner = NULL;
  Work *work;

  g_return_if_fail (VMD_IS_JOB (self));
  g_return_if_fail (self->state == VMD_JOB_STATE_WAITING);

  outer = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (outer, vmd_job_run_async);
  work = g_new0 (Work, 1);
  work->func = func;
  work->data = data;
  work->data_free = data_free;
  inner = g_task_new (self, self->cancellable, on_work_done, outer);
  /* The work ends by itself when cancelled, after its undo: never drop it early. */
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_return_on_cancel (inner, FALSE);
  g_task_set_task_data (inner, work, (GDestroyNotify) work_free);
  set_state (self, VMD_JOB_STATE_RUNNING, NULL);
  g_task_run_in_thread (inner, run_in_thread);
}

gboolean
vmd_job_run_finish (VmdJob        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
vmd_job_cancel (VmdJob *self)
{
  g_return_if_fail (VMD_IS_JOB (self));
  g_cancellable_cancel (self->cancellable);
}

/* --- reading ------------------------------------------------------------------------------------- */

const char *
vmd_job_get_title (VmdJob *self)
{
  g_return_val_if_fail (VMD_IS_JOB (self), NULL);
  return self->title;
}

VmdJobState
vmd_job_get_state (VmdJob *self)
{
  g_return_val_if_fail (VMD_IS_JOB (self), VMD_JOB_STATE_WAITING);
  return self->state;
}

gboolean
vmd_job_get_finished (VmdJob *self)
{
  g_return_val_if_fail (VMD_IS_JOB (self), FALSE);
  return self->state >= VMD_JOB_STATE_SUCCEEDED;
}

double
vmd_job_get_progress (VmdJob *self)
{
  g_return_val_if_fail (VMD_IS_JOB (self), 0);
  if (self->state == VMD_JOB_STATE_SUCCEEDED)
    return 1.0;
  return self->total > 0 ? MIN (1.0, (double) self->done / (double) self->total) : 0.0;
}

guint64
vmd_job_get_bytes_done (VmdJob *self)
{
  g_return_val_if_fail (VMD_IS_JOB (self), 0);
  return self->done;
}

guint64
vmd_job_get_bytes_total (VmdJob *self)
{
  g_return_val_if_fail (VMD_IS_JOB (self), 0);
  return self->total;
}

/* Bytes per second over the last two seconds. */
double
vmd_job_get_speed (VmdJob *self)
{
  g_return_val_if_fail (VMD_IS_JOB (self), 0);
  return self->speed;
}

const char *
vmd_job_get_message (VmdJob *self)
{
  g_return_val_if_fail (VMD_IS_JOB (self), NULL);
  return self->message;
}

char *
vmd_job_format_speed (double bytes_per_second)
{
  g_autofree char *size = g_format_size ((guint64) MAX (0, bytes_per_second));

  /* TRANSLATORS: a transfer's speed, e.g. "85.3 MB/s" */
  return g_strdup_printf (_("%s/s"), size);
}

/* --- GObject ------------------------------------------------------------------------------------- */

static void
vmd_job_finalize (GObject *object)
{
  VmdJob *self = VMD_JOB (object);

  g_free (self->title);
  g_free (self->message);
  g_clear_object (&self->cancellable);
  g_array_unref (self->samples);
  g_ptr_array_unref (self->undo);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (vmd_job_parent_class)->finalize (object);
}

static void
vmd_job_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  VmdJob *self = VMD_JOB (object);

  switch (prop_id)
    {
    case PROP_TITLE:       g_value_set_string (value, self->title); break;
    case PROP_STATE:       g_value_set_enum (value, self->state); break;
    case PROP_PROGRESS:    g_value_set_double (value, vmd_job_get_progress (self)); break;
    case PROP_BYTES_DONE:  g_value_set_uint64 (value, self->done); break;
    case PROP_BYTES_TOTAL: g_value_set_uint64 (value, self->total); break;
    case PROP_SPEED:       g_value_set_double (value, self->speed); break;
    case PROP_MESSAGE:     g_value_set_string (value, self->message); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_job_class_init (VmdJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vmd_job_finalize;
  object_class->get_property = vmd_job_get_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, VMD_TYPE_JOB_STATE,
                                              VMD_JOB_STATE_WAITING, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_BYTES_DONE] = g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_BYTES_TOTAL] = g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_SPEED] = g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_job_init (VmdJob *self)
{
  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
  self->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) undo_step_free);
}

VmdJob *
vmd_job_new (const char *title)
{
  VmdJob *self = g_object_new (VMD_TYPE_JOB, NULL);

  self->title = g_strdup (title);
  return self;
}
