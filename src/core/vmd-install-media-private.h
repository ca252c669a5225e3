/* What the two halves of VmdInstallMedia share: vmd-install-media.c reads the media,
 * vmd-install-media-extract.c copies the kernel and initrd out of them. */
#pragma once

#include <archive.h>

#include "vmd-install-media.h"

/* A kernel or initrd may take this much, unless vmd_install_media_set_max_file_size() says. */
#define VMD_INSTALL_MEDIA_MAX_BOOT_FILE (G_GUINT64_CONSTANT (2) << 30)

struct _VmdInstallMedia
{
  GObject   parent_instance;

  char     *path;
  char     *volume_id;
  OsinfoOs *os;
  char     *kernel_entry;   /* paths inside the ISO, as libarchive names them, or in the tree */
  char     *initrd_entry;
  gboolean  is_tree;
  int       fd;             /* the ISO, or the tree's folder: opened once, read through this */
  guint64   max_file_size;  /* of a kernel or initrd */
};

struct archive *vmd_install_media_open_iso       (int              fd,
                                                  const char      *path,
                                                  GCancellable    *cancellable,
                                                  GError         **error);
gboolean        vmd_install_media_archive_failed (struct archive  *archive,
                                                  const char      *path,
                                                  GCancellable    *cancellable,
                                                  GError         **error);
