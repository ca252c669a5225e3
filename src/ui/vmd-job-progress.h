/* VmdJobProgress: any VmdJob shown the same way: its title, a progress bar with the bytes,
 * its speed and a Cancel button. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-job.h"

G_BEGIN_DECLS

#define VMD_TYPE_JOB_PROGRESS (vmd_job_progress_get_type ())
G_DECLARE_FINAL_TYPE (VmdJobProgress, vmd_job_progress, VMD, JOB_PROGRESS, GtkBox)

GtkWidget *vmd_job_progress_new     (void);
void       vmd_job_progress_set_job (VmdJobProgress *self,
                                     VmdJob         *job);
VmdJob    *vmd_job_progress_get_job (VmdJobProgress *self);

G_END_DECLS
