/* Cloning a shut-off machine: the plan (its disks and what may be done with each, the pools,
 * the names in use) is read off the main loop; the user's choices go into it; the clone runs
 * as a VmdJob: disks copied (full or thin), NVRAM copied, the clone defined, its TPM state
 * copied, each step undone if a later one fails or the user cancels. */
#pragma once

#include <gio/gio.h>

#include "vmd-job.h"
#include "vmd-machine.h"

G_BEGIN_DECLS

typedef enum {
  VMD_CLONE_DISK_COPY,    /* a full copy, in the chosen pool */
  VMD_CLONE_DISK_THIN,    /* a qcow2 file in the chosen pool, the original as its backing */
  VMD_CLONE_DISK_SHARE,   /* the clone uses the same file */
} VmdCloneDiskMode;

/* The steps a test can make fail, each after it is done, to see it undone. */
typedef enum {
  VMD_CLONE_STEP_NONE,
  VMD_CLONE_STEP_CHECK,
  VMD_CLONE_STEP_DISKS,
  VMD_CLONE_STEP_NVRAM,
  VMD_CLONE_STEP_DEFINE,
  VMD_CLONE_STEP_TPM,
} VmdCloneStep;

typedef struct {
  char             *target;      /* "vda", for the user to recognise it */
  char             *path;
  char             *format;      /* "qcow2", "raw" */
  guint64           bytes;       /* what a full copy moves */
  gboolean          is_volume;   /* copies need the original to be a pool's volume */
  gboolean          must_share;  /* a CD-ROM, a floppy, a read-only or shareable disk */
  VmdCloneDiskMode  mode;
} VmdCloneDisk;

typedef struct {
  char         *source_name;
  char         *source_uuid;
  char         *xml;            /* the original's definition, as read with the plan */
  char         *name;           /* the clone's */
  char         *pool;           /* where copies go */
  GPtrArray    *disks;          /* of VmdCloneDisk */
  GStrv         pools;          /* active pools, for the choice */
  GStrv         taken_names;
  char         *nvram;          /* the original's NVRAM file, or NULL */
  gboolean      has_tpm;        /* an emulated TPM */
  char         *tpm_state_dir;  /* its swtpm state, when on this host and readable: copied */
  VmdCloneStep  fail_at;        /* test hook */
} VmdClonePlan;

void          vmd_clone_plan_free       (VmdClonePlan       *plan);
VmdClonePlan *vmd_clone_plan_copy       (const VmdClonePlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdClonePlan, vmd_clone_plan_free)

gboolean      vmd_clone_plan_check_name (const VmdClonePlan *plan,
                                         const char         *name,
                                         GError            **error);
gboolean      vmd_clone_plan_validate   (const VmdClonePlan *plan,
                                         GError            **error);
guint64       vmd_clone_plan_bytes      (const VmdClonePlan *plan);

void          vmd_machine_clone_plan_async  (VmdMachine          *machine,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
VmdClonePlan *vmd_machine_clone_plan_finish (VmdMachine          *machine,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Runs the clone on the job (made by the caller, shown by the UI); callback as
 * vmd_job_run_async's. */
void          vmd_machine_clone_run         (VmdMachine          *machine,
                                             const VmdClonePlan  *plan,
                                             VmdJob              *job,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);

G_END_DECLS
