/* Live migration of a running machine to another open connection, as a VmdJob: progress from
 * libvirt's job statistics, Cancel that leaves the guest running where it was, disks copied when
 * the hosts share no storage. */
#pragma once

#include "vmd-connection.h"
#include "vmd-job.h"
#include "vmd-machine.h"

G_BEGIN_DECLS

typedef struct {
  gboolean copy_storage;     /* the hosts share no storage: copy each disk while it runs */
  gboolean persistent;       /* defined on the target, not only running there */
  gboolean undefine_source;  /* and no longer defined on the source */
  gboolean peer_to_peer;     /* the source's daemon opens the target itself */
  guint    bandwidth_mib_s;  /* a cap on the migration's speed in MiB/s; 0 for none */
} VmdMigrateOptions;

/* What libvirt last said about the migration under way; all 0 before the first answer. */
typedef struct {
  guint64 memory_remaining;
  guint64 disk_remaining;
  guint64 memory_bps;
  guint64 disk_bps;
  guint64 downtime_ms;       /* known at the end */
} VmdMigrateStats;

/* The migration's statistics, shared between its worker and whoever asked for them. */
typedef struct _VmdMigrateProgress VmdMigrateProgress;

/* progress, when not NULL, receives a reference to the statistics (vmd_migrate_progress_unref). */
VmdJob   *vmd_machine_migrate           (VmdMachine              *self,
                                         VmdConnection           *target,
                                         const VmdMigrateOptions *options,
                                         VmdMigrateProgress     **progress,
                                         GAsyncReadyCallback      callback,
                                         gpointer                 user_data);
void      vmd_migrate_progress_read     (VmdMigrateProgress      *progress,
                                         VmdMigrateStats         *stats);
void      vmd_migrate_progress_unref    (VmdMigrateProgress      *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdMigrateProgress, vmd_migrate_progress_unref)

G_END_DECLS
