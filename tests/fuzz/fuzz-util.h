/* Small helpers the fuzz targets share: a scratch folder (under TMPDIR; tests/fuzz/run.sh points
 * it at /dev/shm), emptied between inputs. */
#pragma once

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

static int
fuzz_remove_one (const char        *path,
                 const struct stat *st,
                 int                flag,
                 struct FTW        *ftw)
{
  if (ftw->level > 0 && remove (path) < 0)
    {
      perror (path);
      abort ();
    }
  return 0;
}

/* Empties DIR (keeps DIR itself); links are removed, never followed. */
static inline void
fuzz_empty_dir (const char *dir)
{
  nftw (dir, fuzz_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *fuzz_scratch;

static void
fuzz_remove_scratch (void)
{
  fuzz_empty_dir (fuzz_scratch);
  g_rmdir (fuzz_scratch);
}

/* One per process, removed at exit. */
static inline char *
fuzz_scratch_dir (const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("vmdesk-%s-XXXXXX", name);
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (pattern, &error);

  if (dir == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      abort ();
    }
  fuzz_scratch = dir;
  atexit (fuzz_remove_scratch);
  return dir;
}
