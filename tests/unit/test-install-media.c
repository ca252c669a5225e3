/* VmdInstallMedia on small ISOs made here with xorriso: one whose volume ID an
 * osinfo-db rule knows (Debian 11 netinst), one it does not, one without a kernel; and on install
 * trees (folders): one whose .treeinfo osinfo-db knows (Fedora 36 Server), one with only a
 * well-known kernel pair, one without a kernel. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-install-media.h"
#include "vmd-os-catalog.h"
#include "vmd-test-util.h"
#include "vmd-untrusted-file.h"

static char *scratch;

/* Files as "path=content" pairs in the folder NAME; returns its path. */
static char *
make_tree (const char  *name,
           const char **files)
{
  char *tree = g_build_filename (scratch, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (tree, 0755), ==, 0);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (files[i], "=", 2);
      g_autofree char *path = g_build_filename (tree, pair[0], NULL);
      g_autofree char *dir = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (g_file_set_contents (path, pair[1], -1, NULL));
    }
  return tree;
}

/* The files of make_tree() on an ISO; returns the ISO's path. */
static char *
make_iso (const char  *name,
          const char  *volume_id,
          const char **files)
{
  g_autofree char *tree = make_tree (name, files);
  g_autofree char *iso_name = g_strdup_printf ("%s.iso", name);
  char *iso = g_build_filename (scratch, iso_name, NULL);
  g_autoptr(GError) error = NULL;
  int status = 0;

  {
    const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-r", "-J", "-V", volume_id,
                           "-o", iso, tree, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                  G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return iso;
}

static void
assert_file_content (const char *path,
                     const char *expected)
{
  g_autofree char *content = NULL;

  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, expected);
}

/* The volume ID matches debian-11.xml's rule; the kernel path comes from libosinfo. */
static void
test_media_debian11 (void)
{
  const char *files[] = { "install.amd/vmlinuz=KERNEL", "install.amd/initrd.gz=INITRD",
                          "README.txt=Debian", NULL };
  g_autofree char *iso = make_iso ("debian", "Debian 11.6.0 amd64 n", files);
  g_autofree char *boot = g_build_filename (scratch, "boot", NULL);
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  media = vmd_install_media_load (iso, vmd_test_loaded_catalog (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_install_media_get_volume_id (media), ==, "Debian 11.6.0 amd64 n");
  g_assert_nonnull (vmd_install_media_get_os (media));
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (vmd_install_media_get_os (media))),
                   ==, "debian11");
  g_assert_true (vmd_install_media_can_kernel_boot (media));
  g_assert_true (g_str_has_suffix (vmd_install_media_get_kernel_path (media), "install.amd/vmlinuz"));

  g_assert_true (vmd_install_media_extract_kernel (media, boot, "test", &kernel, &initrd, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (kernel, boot));
  assert_file_content (kernel, "KERNEL");
  assert_file_content (initrd, "INITRD");
  g_assert_cmpint (g_access (kernel, R_OK), ==, 0);
  g_unlink (kernel);
  g_unlink (initrd);
}

/* No rule for this volume ID: no OS, but the kernel at a well-known path is found. */
static void
test_media_unknown_with_kernel (void)
{
  const char *files[] = { "boot/vmlinuz=K", "boot/initrd=I", NULL };
  g_autofree char *iso = make_iso ("tiny", "VMDESK TINY", files);
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  media = vmd_install_media_load (iso, vmd_test_loaded_catalog (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_install_media_get_volume_id (media), ==, "VMDESK TINY");
  g_assert_null (vmd_install_media_get_os (media));
  g_assert_true (vmd_install_media_can_kernel_boot (media));
  g_assert_true (g_str_has_suffix (vmd_install_media_get_initrd_path (media), "boot/initrd"));
}

static void
test_media_no_kernel (void)
{
  const char *files[] = { "docs/readme=hello", NULL };
  g_autofree char *iso = make_iso ("plain", "PLAIN DATA", files);
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;
  char *kernel = NULL, *initrd = NULL;

  media = vmd_install_media_load (iso, vmd_test_loaded_catalog (), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (vmd_install_media_can_kernel_boot (media));
  g_assert_false (vmd_install_media_extract_kernel (media, scratch, "t", &kernel, &initrd, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
  g_assert_nonnull (strstr (error->message, "boot it as a CD"));
}

static void
test_media_not_iso (void)
{
  g_autofree char *path = g_build_filename (scratch, "photo.jpg", NULL);
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "not an image of a disc", -1, NULL));
  media = vmd_install_media_load (path, vmd_test_loaded_catalog (), NULL, &error);
  g_assert_null (media);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
  g_test_message ("%s", error->message);
}

/* --- install trees --------------------------------------------------------------------------- */

/* Loaded in a worker thread, as the assistant does. */
static VmdInstallMedia *
load_async (const char  *location,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_install_media_load_async (location, vmd_test_loaded_catalog (), NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  return vmd_install_media_load_finish (result, error);
}

/* family/version/variant/arch match fedora-36.xml's <treeinfo>; the images come from .treeinfo. */
static void
test_tree_treeinfo (void)
{
  const char *files[] = {
    ".treeinfo=[general]\nfamily = Fedora\nversion = 36\narch = x86_64\nvariant = Server\n"
    "[images-x86_64]\nkernel = images/pxeboot/vmlinuz\ninitrd = images/pxeboot/initrd.img\n",
    "images/pxeboot/vmlinuz=FEDORA KERNEL", "images/pxeboot/initrd.img=FEDORA INITRD",
    /* A well-known pair too: .treeinfo's wins. */
    "isolinux/vmlinuz=OTHER", "isolinux/initrd.img=OTHER", NULL };
  g_autofree char *tree = make_tree ("fedora-tree", files);
  g_autofree char *uri = g_filename_to_uri (tree, NULL, NULL);
  g_autofree char *boot = g_build_filename (scratch, "tree-boot", NULL);
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  /* A file:// URI is the folder. */
  media = load_async (uri, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_install_media_is_tree (media));
  g_assert_cmpstr (vmd_install_media_get_path (media), ==, tree);
  g_assert_null (vmd_install_media_get_volume_id (media));
  g_assert_nonnull (vmd_install_media_get_os (media));
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (vmd_install_media_get_os (media))),
                   ==, "fedora36");
  g_assert_cmpstr (vmd_install_media_get_kernel_path (media), ==, "images/pxeboot/vmlinuz");
  g_assert_cmpstr (vmd_install_media_get_initrd_path (media), ==, "images/pxeboot/initrd.img");

  g_assert_true (vmd_install_media_extract_kernel (media, boot, "test", &kernel, &initrd, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (kernel, boot));
  assert_file_content (kernel, "FEDORA KERNEL");
  assert_file_content (initrd, "FEDORA INITRD");
  g_unlink (kernel);
  g_unlink (initrd);
}

/* No .treeinfo: the table of places the ISOs use. */
static void
test_tree_well_known (void)
{
  const char *files[] = { "isolinux/vmlinuz=K", "isolinux/initrd.img=I", NULL };
  g_autofree char *tree = make_tree ("plain-tree", files);
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_install_media_check_location (tree, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_install_media_location_is_tree (tree));
  media = load_async (tree, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_install_media_is_tree (media));
  g_assert_null (vmd_install_media_get_os (media));
  g_assert_cmpstr (vmd_install_media_get_kernel_path (media), ==, "isolinux/vmlinuz");
  g_assert_cmpstr (vmd_install_media_get_initrd_path (media), ==, "isolinux/initrd.img");
}

/* A .treeinfo may not make us copy a file from outside the tree. */
static void
test_tree_outside (void)
{
  const char *files[] = {
    ".treeinfo=[general]\nfamily = Fedora\nversion = 36\narch = x86_64\n"
    "[images-x86_64]\nkernel = ../secret\ninitrd = ../secret\n",
    "boot/vmlinuz=K", "boot/initrd.img=I", NULL };
  g_autofree char *secret = g_build_filename (scratch, "secret", NULL);
  g_autofree char *tree = make_tree ("escaping-tree", files);
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (secret, "SECRET", -1, NULL));
  media = vmd_install_media_load (tree, vmd_test_loaded_catalog (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_install_media_get_kernel_path (media), ==, "boot/vmlinuz");
}

static void
test_tree_no_kernel (void)
{
  const char *files[] = { "docs/readme=hello", "isolinux/vmlinuz=K", NULL };
  g_autofree char *tree = make_tree ("kernel-less-tree", files);
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  media = load_async (tree, &error);
  g_assert_null (media);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
  g_assert_nonnull (strstr (error->message, "No kernel and initrd were found in the folder"));
  g_test_message ("%s", error->message);
}

static void
test_tree_missing (void)
{
  g_autofree char *tree = g_build_filename (scratch, "no-such-tree", NULL);
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (vmd_install_media_check_location (tree, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  media = vmd_install_media_load (tree, vmd_test_loaded_catalog (), NULL, &error);
  g_assert_null (media);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
}

/* Fetching a tree over the network is not done (yet): said plainly. */
static void
test_tree_url (void)
{
  const char *url = "https://download.fedoraproject.org/pub/fedora/linux/releases/36/Server/x86_64/os";
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (vmd_install_media_check_location (url, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
  g_assert_nonnull (strstr (error->message, "Only local folders are supported"));
  g_clear_error (&error);
  media = vmd_install_media_load (url, NULL, NULL, &error);
  g_assert_null (media);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
  g_assert_false (vmd_install_media_location_is_tree (url));
}


/* --- hostile trees and files: swapped between check and copy, FIFOs, endless files ----------- */

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

/* A fresh folder for the copies: whatever is in it afterwards was written by the copy. */
static char *
make_boot_dir (const char *name)
{
  char *dir = g_build_filename (scratch, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

static void
assert_copy_refused (VmdInstallMedia *media,
                     const char      *boot,
                     GCancellable    *cancellable,
                     const char      *message)
{
  g_autoptr(GError) error = NULL;
  char *kernel = NULL, *initrd = NULL;

  g_assert_false (vmd_install_media_extract_kernel (media, boot, "t", &kernel, &initrd,
                                                    cancellable, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, message));
  g_assert_null (kernel);
  g_assert_null (initrd);
  g_assert_cmpuint (count_entries (boot), ==, 0);
}

/* Between the load (which checked isolinux/vmlinuz) and the copy, the kernel is replaced by a
 * link to a file outside the tree: the copy is refused and nothing is written. USER_DATA says
 * whether openat2() may be used, so that both ways of opening are tried. */
static void
test_tree_swapped_file (gconstpointer user_data)
{
  g_autofree char *name = g_strdup_printf ("swap-file-tree-%d", GPOINTER_TO_INT (user_data));
  const char *files[] = { "isolinux/vmlinuz=K", "isolinux/initrd.img=I", NULL };
  g_autofree char *tree = make_tree (name, files);
  g_autofree char *secret = g_build_filename (scratch, "shadow", NULL);
  g_autofree char *kernel = g_build_filename (tree, "isolinux", "vmlinuz", NULL);
  g_autofree char *boot = make_boot_dir ("swap-file-boot");
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  vmd_untrusted_file_set_use_openat2 (GPOINTER_TO_INT (user_data));
  g_assert_true (g_file_set_contents (secret, "root:SECRET:19000:0:99999:7:::", -1, NULL));
  media = vmd_install_media_load (tree, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_install_media_get_kernel_path (media), ==, "isolinux/vmlinuz");

  g_assert_cmpint (g_unlink (kernel), ==, 0);
  g_assert_cmpint (symlink (secret, kernel), ==, 0);
  assert_copy_refused (media, boot, NULL, "symbolic link");
  vmd_untrusted_file_set_use_openat2 (TRUE);
}

/* The same with the folder: isolinux/ becomes a link to a folder outside with the same names. */
static void
test_tree_swapped_folder (gconstpointer user_data)
{
  g_autofree char *name = g_strdup_printf ("swap-dir-tree-%d", GPOINTER_TO_INT (user_data));
  const char *files[] = { "isolinux/vmlinuz=K", "isolinux/initrd.img=I", NULL };
  const char *outside_files[] = { "vmlinuz=OUTSIDE", "initrd.img=OUTSIDE", NULL };
  g_autofree char *tree = make_tree (name, files);
  g_autofree char *outside = make_tree ("swap-dir-outside", outside_files);
  g_autofree char *isolinux = g_build_filename (tree, "isolinux", NULL);
  g_autofree char *moved = g_build_filename (tree, "isolinux.old", NULL);
  g_autofree char *boot = make_boot_dir ("swap-dir-boot");
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  vmd_untrusted_file_set_use_openat2 (GPOINTER_TO_INT (user_data));
  media = vmd_install_media_load (tree, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (isolinux, moved), ==, 0);
  g_assert_cmpint (symlink (outside, isolinux), ==, 0);
  assert_copy_refused (media, boot, NULL, "symbolic link");
  vmd_untrusted_file_set_use_openat2 (TRUE);
}

/* A link that stays inside the tree is refused as well: links are never followed below the top. */
static void
test_tree_link_at_load (void)
{
  const char *files[] = { "isolinux/vmlinuz=K", "isolinux/initrd.img=I", "boot/initrd=I", NULL };
  g_autofree char *tree = make_tree ("link-tree", files);
  g_autofree char *link = g_build_filename (tree, "boot", "vmlinuz", NULL);
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink ("../isolinux/vmlinuz", link), ==, 0);
  media = vmd_install_media_load (tree, NULL, NULL, &error);
  g_assert_no_error (error);
  /* boot/vmlinuz + boot/initrd come first in the table, but the kernel is a link. */
  g_assert_cmpstr (vmd_install_media_get_kernel_path (media), ==, "isolinux/vmlinuz");
}

/* The copies are the user's alone: 0600, never readable by others. */
static void
test_tree_copy_private (void)
{
  const char *files[] = { "isolinux/vmlinuz=K", "isolinux/initrd.img=I", NULL };
  g_autofree char *tree = make_tree ("private-tree", files);
  g_autofree char *boot = make_boot_dir ("private-boot");
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  media = vmd_install_media_load (tree, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_install_media_extract_kernel (media, boot, "t", &kernel, &initrd, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (kernel, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (initrd, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  assert_file_content (kernel, "K");
  g_unlink (kernel);
  g_unlink (initrd);
}

/* Loads in a worker thread with a ceiling, so that a loader that blocks fails the test instead
 * of hanging it. */
static VmdInstallMedia *
load_with_ceiling (const char    *location,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vmd_install_media_load_async (location, NULL, cancellable, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  return vmd_install_media_load_finish (result, error);
}

static void
assert_tree_refused (const char *tree,
                     const char *message)
{
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  media = load_with_ceiling (tree, NULL, &error);
  g_test_message ("refused in %.1f ms: %s", (g_get_monotonic_time () - start) / 1000.0,
                  error != NULL ? error->message : "(not refused)");
  g_assert_null (media);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
  g_assert_nonnull (strstr (error->message, message));
}

static void
test_treeinfo_fifo (void)
{
  const char *files[] = { "isolinux/vmlinuz=K", "isolinux/initrd.img=I", NULL };
  g_autofree char *tree = make_tree ("fifo-tree", files);
  g_autofree char *treeinfo = g_build_filename (tree, ".treeinfo", NULL);

  g_assert_cmpint (mkfifo (treeinfo, 0644), ==, 0);
  assert_tree_refused (tree, "named pipe");
}

static void
test_treeinfo_dev_zero (void)
{
  const char *files[] = { "isolinux/vmlinuz=K", "isolinux/initrd.img=I", NULL };
  g_autofree char *tree = make_tree ("zero-tree", files);
  g_autofree char *treeinfo = g_build_filename (tree, ".treeinfo", NULL);

  g_assert_cmpint (symlink ("/dev/zero", treeinfo), ==, 0);
  assert_tree_refused (tree, "symbolic link");
}

static void
test_treeinfo_oversized (void)
{
  const char *files[] = { "isolinux/vmlinuz=K", "isolinux/initrd.img=I", NULL };
  g_autofree char *tree = make_tree ("big-tree", files);
  g_autofree char *treeinfo = g_build_filename (tree, ".treeinfo", NULL);
  gsize size = 1024 * 1024 + 1;
  g_autofree char *text = g_malloc (size);

  memset (text, '#', size);
  g_assert_true (g_file_set_contents (treeinfo, text, size, NULL));
  assert_tree_refused (tree, "larger than 1.0");
}

/* A kernel over the ceiling (lowered here to 4 bytes) is not copied, from a tree or an ISO. */
static void
test_kernel_oversized (void)
{
  const char *files[] = { "boot/vmlinuz=KERNEL", "boot/initrd=I", NULL };
  g_autofree char *tree = make_tree ("big-kernel-tree", files);
  g_autofree char *iso = make_iso ("big-kernel", "BIG KERNEL", files);
  g_autofree char *boot = make_boot_dir ("big-kernel-boot");
  const char *locations[] = { tree, iso };

  for (guint i = 0; i < G_N_ELEMENTS (locations); i++)
    {
      g_autoptr(VmdInstallMedia) media = NULL;
      g_autoptr(GError) error = NULL;

      media = vmd_install_media_load (locations[i], NULL, NULL, &error);
      g_assert_no_error (error);
      vmd_install_media_set_max_file_size (media, 4);
      assert_copy_refused (media, boot, NULL, "larger than 4");
    }
}

/* Cancelled before it starts: the load says so; so does a copy, which writes nothing. */
static void
test_cancelled (void)
{
  const char *files[] = { "boot/vmlinuz=K", "boot/initrd=I", NULL };
  g_autofree char *tree = make_tree ("cancel-tree", files);
  g_autofree char *iso = make_iso ("cancel", "CANCEL", files);
  g_autofree char *boot = make_boot_dir ("cancel-boot");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const char *locations[] = { tree, iso };

  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (locations); i++)
    {
      g_autoptr(VmdInstallMedia) media = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_null (load_with_ceiling (locations[i], cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      media = vmd_install_media_load (locations[i], NULL, NULL, &error);
      g_assert_no_error (error);
      assert_copy_refused (media, boot, cancellable, "ancel");
    }
}

/* An "ISO" that is a FIFO or a link to /dev/zero: refused at once by the check and the loader. */
static void
test_iso_not_regular (void)
{
  g_autofree char *fifo = g_build_filename (scratch, "fifo.iso", NULL);
  g_autofree char *zero = g_build_filename (scratch, "zero.iso", NULL);
  const char *paths[] = { fifo, zero };
  const char *messages[] = { "named pipe", "device" };

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(VmdInstallMedia) media = NULL;
      g_autoptr(GError) error = NULL;

      /* O_NONBLOCK: the check on the main loop does not wait for a writer. */
      g_assert_false (vmd_install_media_check_iso (paths[i], &error));
      g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
      g_assert_nonnull (strstr (error->message, messages[i]));
      g_clear_error (&error);
      media = load_with_ceiling (paths[i], NULL, &error);
      g_assert_null (media);
      g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
      g_assert_nonnull (strstr (error->message, messages[i]));
    }
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

int
main (int argc, char *argv[])
{
  int status;

  vmd_test_init (&argc, &argv);
  scratch = g_dir_make_tmp ("vmd-media-XXXXXX", NULL);

  g_test_add_func ("/install-media/debian11-identified", test_media_debian11);
  g_test_add_func ("/install-media/unknown-with-kernel", test_media_unknown_with_kernel);
  g_test_add_func ("/install-media/no-kernel", test_media_no_kernel);
  g_test_add_func ("/install-media/not-iso", test_media_not_iso);
  g_test_add_func ("/install-media/tree/treeinfo-identified", test_tree_treeinfo);
  g_test_add_func ("/install-media/tree/well-known-kernel", test_tree_well_known);
  g_test_add_func ("/install-media/tree/nothing-from-outside", test_tree_outside);
  g_test_add_func ("/install-media/tree/no-kernel", test_tree_no_kernel);
  g_test_add_func ("/install-media/tree/missing", test_tree_missing);
  g_test_add_func ("/install-media/tree/url-refused", test_tree_url);
  g_test_add_data_func ("/install-media/tree/swapped-file/openat2", GINT_TO_POINTER (TRUE),
                        test_tree_swapped_file);
  g_test_add_data_func ("/install-media/tree/swapped-file/per-component", GINT_TO_POINTER (FALSE),
                        test_tree_swapped_file);
  g_test_add_data_func ("/install-media/tree/swapped-folder/openat2", GINT_TO_POINTER (TRUE),
                        test_tree_swapped_folder);
  g_test_add_data_func ("/install-media/tree/swapped-folder/per-component", GINT_TO_POINTER (FALSE),
                        test_tree_swapped_folder);
  g_test_add_func ("/install-media/tree/no-links", test_tree_link_at_load);
  g_test_add_func ("/install-media/tree/copy-private", test_tree_copy_private);
  g_test_add_func ("/install-media/tree/treeinfo-fifo", test_treeinfo_fifo);
  g_test_add_func ("/install-media/tree/treeinfo-dev-zero", test_treeinfo_dev_zero);
  g_test_add_func ("/install-media/tree/treeinfo-oversized", test_treeinfo_oversized);
  g_test_add_func ("/install-media/kernel-oversized", test_kernel_oversized);
  g_test_add_func ("/install-media/cancelled", test_cancelled);
  g_test_add_func ("/install-media/iso-not-regular", test_iso_not_regular);
  status = g_test_run ();
  remove_tree (scratch);
  g_free (scratch);
  return status;
}
