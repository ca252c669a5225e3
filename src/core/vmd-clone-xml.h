/* The clone's definition, made from the original's: its own name, no UUID and no MAC addresses
 * (libvirt makes new ones at define), its disks pointing at their copies, its NVRAM at its own
 * file, and a serial log of its own. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A disk that moves: the disk whose target is `target` now reads `path`, in `format`; a block
 * device (a logical pool's volume) when `block`. */
typedef struct {
  const char *target;
  const char *path;
  const char *format;
  gboolean    block;
} VmdCloneDiskSource;

/* nvram: the copy's path, or NULL for libvirt to make a fresh one from the firmware's
 * template. */
char *vmd_clone_xml_rewrite (const char               *xml,
                             const char               *old_name,
                             const char               *new_name,
                             const VmdCloneDiskSource *disks,
                             guint                     n_disks,
                             const char               *nvram,
                             GError                  **error);

G_END_DECLS
