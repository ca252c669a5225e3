/* VmdJob: one long piece of work (a volume upload or download today; clone, migration, import
 * later) that the UI shows the same way whatever it is: progress 0..1, bytes and speed, a
 * Cancel, and all-or-nothing: the undo steps the work registered run when it fails or is
 * cancelled. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  VMD_JOB_STATE_WAITING,
  VMD_JOB_STATE_RUNNING,
  VMD_JOB_STATE_SUCCEEDED,
  VMD_JOB_STATE_FAILED,
  VMD_JOB_STATE_CANCELLED,
} VmdJobState;

#define VMD_TYPE_JOB (vmd_job_get_type ())
G_DECLARE_FINAL_TYPE (VmdJob, vmd_job, VMD, JOB, GObject)

/* The work, in a worker thread, on data of its own: it reports with vmd_job_report and
 * registers what to undo with vmd_job_push_undo, and returns FALSE with error to fail. */
typedef gboolean (*VmdJobFunc) (VmdJob        *job,
                                gpointer       data,
                                GCancellable  *cancellable,
                                GError       **error);
/* An undo step, in the worker thread, after a failure or cancel. */
typedef void (*VmdJobUndoFunc) (gpointer data);

VmdJob      *vmd_job_new              (const char          *title);
const char  *vmd_job_get_title        (VmdJob              *self);
VmdJobState  vmd_job_get_state        (VmdJob              *self);
double       vmd_job_get_progress     (VmdJob              *self);
guint64      vmd_job_get_bytes_done   (VmdJob              *self);
guint64      vmd_job_get_bytes_total  (VmdJob              *self);
double       vmd_job_get_speed        (VmdJob              *self);
const char  *vmd_job_get_message      (VmdJob              *self);
gboolean     vmd_job_get_finished     (VmdJob              *self);
void         vmd_job_cancel           (VmdJob              *self);

void         vmd_job_run_async        (VmdJob              *self,
                                       VmdJobFunc           func,
                                       gpointer             data,
                                       GDestroyNotify       data_free,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean     vmd_job_run_finish       (VmdJob              *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* From the worker thread. */
void         vmd_job_report           (VmdJob              *self,
                                       guint64              done,
                                       guint64              total);
void         vmd_job_push_undo        (VmdJob              *self,
                                       VmdJobUndoFunc       func,
                                       gpointer             data,
                                       GDestroyNotify       data_free);

char        *vmd_job_format_speed     (double               bytes_per_second);

G_END_DECLS
