/* For vmd-snapshot-external.c only: the numbered, undoable steps of a revert or delete, the
 * files they touch and which disk images are still in use. Worker-thread calls. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef void (*VmdSnapshotUndo) (gpointer data);

/* One revert or delete: its numbered steps and what undoes those done so far. */
typedef struct {
  virDomainPtr  domain;
  const char   *machine;
  guint         step;
  GArray       *undo;
} VmdSnapshotRun;

void      vmd_snapshot_run_init       (VmdSnapshotRun       *run,
                                       virDomainPtr          domain);
void      vmd_snapshot_run_push_undo  (VmdSnapshotRun       *run,
                                       VmdSnapshotUndo       func,
                                       gpointer              data,
                                       GDestroyNotify        data_free);
gboolean  vmd_snapshot_run_end        (VmdSnapshotRun       *run,
                                       gboolean              ok);
gboolean  vmd_snapshot_run_step       (VmdSnapshotRun       *run,
                                       const char           *what,
                                       GError              **error);

gboolean  vmd_snapshot_copy_file      (const char           *from,
                                       const char           *to,
                                       GError              **error);
void      vmd_snapshot_undo_unlink    (gpointer              path);
gboolean  vmd_snapshot_move_aside     (VmdSnapshotRun       *run,
                                       const char           *from,
                                       GPtrArray            *to_remove,
                                       GError              **error);
void      vmd_snapshot_remove_unused  (virDomainPtr          domain,
                                       GPtrArray            *candidates,
                                       const char           *skip);

char     *vmd_snapshot_dup_string     (char                 *s);
char     *vmd_snapshot_domain_xml     (virDomainPtr          domain,
                                       gboolean              live);
char     *vmd_snapshot_xml            (virDomainSnapshotPtr  snapshot);
char     *vmd_snapshot_file_part      (const char           *name);

G_END_DECLS
