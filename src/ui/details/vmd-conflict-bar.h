/* VmdConflictBar: "Changed elsewhere since you opened it", over a page whose input started from a
 * definition that has changed since: what changed, and Reload; when an Apply was refused for it,
 * the question instead: Overwrite with Mine, Take Theirs, Cancel. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_CONFLICT_BAR (vmd_conflict_bar_get_type ())
G_DECLARE_FINAL_TYPE (VmdConflictBar, vmd_conflict_bar, VMD, CONFLICT_BAR, GtkInfoBar)

void     vmd_conflict_bar_tell      (VmdConflictBar *self,
                                     const char     *changes,
                                     const char     *hint);
void     vmd_conflict_bar_ask       (VmdConflictBar *self,
                                     const char     *changes,
                                     const char     *question);
void     vmd_conflict_bar_dismiss   (VmdConflictBar *self);
gboolean vmd_conflict_bar_is_asking (VmdConflictBar *self);

G_END_DECLS
