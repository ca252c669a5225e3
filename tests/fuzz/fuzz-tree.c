/* Fuzzes the install-tree reader (src/core/vmd-install-media.c: the folder, its .treeinfo, the
 * kernel lookup) and the copy of its kernel and initrd (vmd-install-media-extract.c), on a tree
 * built from the input in a scratch folder, with sentinels beside it (a secret file, a FIFO, a
 * folder with a kernel) that links in the tree may point at.
 *
 * The check that nothing outside the tree is ever opened: this program defines open(),
 * openat(), fopen() and syscall() itself, so every open the reader makes (its own, GLib's,
 * libarchive's, openat2() through syscall()) goes through them; while the reader runs, each
 * descriptor opened is looked up in /proc/self/fd (the kernel's word on what was opened, after
 * every link) and must be the tree, a file in it, or a copy in the boot folder. Anything else
 * aborts, and libFuzzer keeps the input.
 *
 * Input, one command a line:
 *   F path          a file; its content follows, up to a line holding only "."
 *   S path size     a file of SIZE zero bytes (sparse: size limits without the memory)
 *   D path          a folder
 *   L path target   a symbolic link (any target, absolute or relative)
 *   P path          a FIFO
 *   SWAP            what follows is done after the load and before the copy
 *   CANCEL          the copy is cancelled before it starts */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/openat2.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fuzz-util.h"
#include "vmd-install-media.h"
#include "vmd-os-catalog.h"

static VmdOsCatalog *catalog;
static char *tree;
static char *boot;
static __thread gboolean watching;

/* --- every open, checked ------------------------------------------------------------------- */

static int  (*real_open) (const char *, int, ...);
static int  (*real_openat) (int, const char *, int, ...);
static FILE *(*real_fopen) (const char *, const char *);
static long (*real_syscall) (long, ...);

/* Libraries' constructors (libnuma's) call these before LLVMFuzzerInitialize() runs. */
static void
find_real_calls (void)
{
  if (real_syscall != NULL)
    return;
  real_open = dlsym (RTLD_NEXT, "open");
  real_openat = dlsym (RTLD_NEXT, "openat");
  real_fopen = dlsym (RTLD_NEXT, "fopen");
  real_syscall = dlsym (RTLD_NEXT, "syscall");
}

static gboolean
inside (const char *path,
        const char *dir)
{
  size_t n = strlen (dir);

  return strncmp (path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void
check_opened (int         fd,
              const char *how,
              const char *name)
{
  char link[64], path[4096];
  ssize_t n;

  if (fd < 0 || !watching)
    return;
  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, path, sizeof path - 1);
  path[n > 0 ? n : 0] = '\0';
  if (inside (path, tree) || inside (path, boot))
    return;
  fprintf (stderr, "the tree reader opened %s (%s “%s”), outside the tree %s\n", path, how, name,
           tree);
  abort ();
}

static int
mode_of (int     flags,
         va_list args)
{
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg (args, int) : 0;
}

int
open (const char *name,
      int         flags,
      ...)
{
  va_list args;
  int mode, fd;

  va_start (args, flags);
  mode = mode_of (flags, args);
  va_end (args);
  find_real_calls ();
  fd = real_open (name, flags, mode);
  check_opened (fd, "open", name);
  return fd;
}

int open64 (const char *name, int flags, ...) __attribute__ ((alias ("open")));

int
openat (int         dir_fd,
        const char *name,
        int         flags,
        ...)
{
  va_list args;
  int mode, fd;

  va_start (args, flags);
  mode = mode_of (flags, args);
  va_end (args);
  find_real_calls ();
  fd = real_openat (dir_fd, name, flags, mode);
  check_opened (fd, "openat", name);
  return fd;
}

int openat64 (int dir_fd, const char *name, int flags, ...) __attribute__ ((alias ("openat")));

FILE *
fopen (const char *name,
       const char *mode)
{
  FILE *file;

  find_real_calls ();
  file = real_fopen (name, mode);
  if (file != NULL)
    check_opened (fileno (file), "fopen", name);
  return file;
}

FILE *fopen64 (const char *name, const char *mode) __attribute__ ((alias ("fopen")));

/* The number of arguments depends on the call; six are read, as the C library's syscall() does,
 * so reading past what a caller passed is expected here and not checked. */
__attribute__ ((no_sanitize ("address")))
long
syscall (long number,
         ...)
{
  va_list args;
  long a[6], result;

  va_start (args, number);
  for (int i = 0; i < 6; i++)
    a[i] = va_arg (args, long);
  va_end (args);
  find_real_calls ();
  result = real_syscall (number, a[0], a[1], a[2], a[3], a[4], a[5]);
  if (number == SYS_openat2 || number == SYS_openat || number == SYS_open)
    check_opened ((int) result, "syscall", number == SYS_open ? (const char *) a[0]
                                                              : (const char *) a[1]);
  return result;
}

/* --- the tree, from the input -------------------------------------------------------------- */

/* "a/../b//c" -> "a/b/c": the harness itself never writes outside the tree. */
static GStrv
safe_parts (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", 8);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; parts[i] != NULL && n < 6; i++)
    if (*parts[i] != '\0' && !g_str_equal (parts[i], ".") && !g_str_equal (parts[i], ".."))
      {
        g_autofree char *short_name = g_strndup (parts[i], 40);

        g_strv_builder_add (kept, short_name);
        n++;
      }
  return n == 0 ? NULL : g_strv_builder_end (kept);
}

/* The folder that holds PATH's last part, made as needed, never through a link; -1 if not. */
static int
parent_of (const char * const *parts)
{
  int dir = real_open (tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  guint i;

  for (i = 0; dir >= 0 && parts[i + 1] != NULL; i++)
    {
      int next;

      mkdirat (dir, parts[i], 0755);
      next = real_openat (dir, parts[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      close (dir);
      dir = next;
    }
  return dir;
}

/* Out of the way: a file is unlinked, a folder renamed aside (it may hold things). */
static void
clear_place (int         dir,
             const char *name)
{
  static guint aside;
  char new_name[32];

  if (unlinkat (dir, name, 0) == 0 || errno != EISDIR)
    return;
  snprintf (new_name, sizeof new_name, "aside-%u", aside++);
  renameat (dir, name, dir, new_name);
}

static void
write_file (int         dir,
            const char *name,
            const char *content,
            gsize       length,
            off_t       size)
{
  int fd = real_openat (dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

  if (fd < 0)
    return;
  if (content != NULL && write (fd, content, length) < 0)
    perror ("write");
  if (size > 0 && ftruncate (fd, size) < 0)
    perror ("ftruncate");
  close (fd);
}

/* At most 64 MiB: sparse, so it costs nothing unless read, and the readers stop long before. */
static off_t
sparse_size (const char *text)
{
  return text != NULL ? MIN (g_ascii_strtoull (text, NULL, 10), 64 << 20) : 0;
}

/* One command; *LINE moves past it (and past a file's content). */
static void
run_command (char ***line)
{
  const char *command = **line;
  g_auto(GStrv) words = g_strsplit (command, " ", 3);
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) content = NULL;
  int dir;

  (*line)++;
  if (words[0] == NULL || words[1] == NULL || strlen (words[0]) != 1 ||
      (parts = safe_parts (words[1])) == NULL || (dir = parent_of ((const char * const *) parts)) < 0)
    return;
  if (words[0][0] == 'F')
    for (content = g_string_new (NULL); **line != NULL && !g_str_equal (**line, "."); (*line)++)
      g_string_append_printf (content, "%s\n", **line);
  const char *name = parts[g_strv_length (parts) - 1];
  clear_place (dir, name);
  switch (words[0][0])
    {
    case 'F': write_file (dir, name, content->str, content->len, 0); break;
    case 'S': write_file (dir, name, NULL, 0, sparse_size (words[2])); break;
    case 'D': mkdirat (dir, name, 0755); break;
    case 'L': symlinkat (words[2] != NULL ? words[2] : "", dir, name); break;
    case 'P': mkfifoat (dir, name, 0644); break;
    default: break;
    }
  close (dir);
}

/* Runs the commands up to SWAP (or the end); returns where it stopped. */
static char **
build (char **line,
       gboolean *cancel)
{
  while (*line != NULL && !g_str_equal (*line, "SWAP"))
    {
      if (g_str_equal (*line, "CANCEL"))
        {
          *cancel = TRUE;
          line++;
          continue;
        }
      run_command (&line);
    }
  return *line != NULL ? line + 1 : line;
}

/* The check must catch an open outside the tree by each way in: tried in children, each of
 * which must abort. */
static void
self_check (const char *secret)
{
  for (int way = 0; way < 3; way++)
    {
      int status = 0;
      pid_t child = fork ();

      if (child == 0)
        {
          struct open_how how = { .flags = O_RDONLY };
          int null = real_open ("/dev/null", O_WRONLY);

          dup2 (null, STDERR_FILENO);
          watching = TRUE;
          if (way == 0)
            open (secret, O_RDONLY);
          else if (way == 1)
            openat (AT_FDCWD, secret, O_RDONLY);
          else
            syscall (SYS_openat2, AT_FDCWD, secret, &how, sizeof how);
          _exit (0);
        }
      if (waitpid (child, &status, 0) != child || !WIFSIGNALED (status) || WTERMSIG (status) != SIGABRT)
        {
          fprintf (stderr, "fuzz-tree: the open check missed way %d\n", way);
          abort ();
        }
    }
}

/* --- the target ---------------------------------------------------------------------------- */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  char *dir = fuzz_scratch_dir ("fuzz-tree");
  g_autofree char *outside = g_build_filename (dir, "outside", NULL);
  g_autofree char *secret = g_build_filename (outside, "secret", NULL);
  g_autofree char *fifo = g_build_filename (outside, "fifo", NULL);
  g_autofree char *kernels = g_build_filename (outside, "isolinux", NULL);
  g_autoptr(GError) error = NULL;

  find_real_calls ();
  catalog = vmd_os_catalog_get_default ();
  if (!vmd_os_catalog_load_sync (catalog, &error))
    g_error ("osinfo-db: %s", error->message);
  tree = g_build_filename (dir, "tree", NULL);
  boot = g_build_filename (dir, "boot", NULL);
  g_mkdir_with_parents (tree, 0755);
  g_mkdir_with_parents (kernels, 0755);
  g_file_set_contents (secret, "root:SECRET:19000:0:99999:7:::\n", -1, NULL);
  mkfifo (fifo, 0644);
  for (const char *const *name = (const char *const[]) { "vmlinuz", "initrd.img", NULL }; *name; name++)
    {
      g_autofree char *path = g_build_filename (kernels, *name, NULL);

      g_file_set_contents (path, "OUTSIDE", -1, NULL);
    }
  self_check (secret);
  return 0;
}

static void
copy (VmdInstallMedia *media,
      gboolean         cancel)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;

  if (cancel)
    g_cancellable_cancel (cancellable);
  vmd_install_media_set_max_file_size (media, 1024 * 1024);
  if (!vmd_install_media_extract_kernel (media, boot, "fuzz", &kernel, &initrd, cancellable, &error))
    {
      g_assert (error != NULL && kernel == NULL && initrd == NULL);
      return;
    }
  g_assert (!cancel);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, MIN (size, 64 * 1024));
  g_auto(GStrv) lines = g_strsplit (text, "\n", 256);
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cancel = FALSE;
  char **rest = build (lines, &cancel);

  watching = TRUE;
  vmd_install_media_check_location (tree, NULL);
  /* libosinfo's rules for one input in 8: they are slow, and not what is fuzzed here. */
  media = vmd_install_media_load (tree, size % 8 == 0 ? catalog : NULL, NULL, &error);
  watching = FALSE;
  g_assert ((media == NULL) == (error != NULL));
  if (media != NULL)
    {
      build (rest, &cancel);
      watching = TRUE;
      copy (media, cancel);
      watching = FALSE;
    }
  fuzz_empty_dir (tree);
  fuzz_empty_dir (boot);
  return 0;
}
