/* VmdDefinitionWatch: libvirt's events that change a domain's definition, whoever made the
 * change (another client's define, a rename, a revert, metadata, a hot-plugged device), on one
 * connection handle, told to its owner by UUID. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef struct {
  /* The definition changed; new_name is set when it was a rename. */
  void (*changed) (const char *uuid,
                   const char *new_name,
                   gpointer    user_data);
  /* It migrated away: it may be gone from this host without an UNDEFINED event. */
  void (*migrated_away) (const char *uuid,
                         gpointer    user_data);
} VmdDefinitionWatchCallbacks;

typedef struct _VmdDefinitionWatch VmdDefinitionWatch;

VmdDefinitionWatch *vmd_definition_watch_new  (virConnectPtr                      handle,
                                               const VmdDefinitionWatchCallbacks *callbacks,
                                               gpointer                           user_data);
void                vmd_definition_watch_free (VmdDefinitionWatch                *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdDefinitionWatch, vmd_definition_watch_free)

G_END_DECLS
