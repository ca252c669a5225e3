/* VmdMachineSpec's pool and volume choices (issue 19): a stopped pool, a pool too small, a
 * volume another machine uses, each refused on the storage field with the reason. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-machine-spec.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)

static void
assert_storage_error (VmdMachineSpec *spec,
                      int             code,
                      const char     *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_STORAGE, &error));
  g_assert_error (error, VMD_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not say “%s”", error->message, fragment);
}

static void
assert_storage_ok (VmdMachineSpec *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_STORAGE, &error));
  g_assert_no_error (error);
}

static VmdMachineSpec *
new_spec (const char *dir)
{
  VmdMachineSpec *spec = vmd_machine_spec_new ();

  vmd_machine_spec_set_name (spec, "pooled");
  vmd_machine_spec_set_pool (spec, "default", dir, G_MAXUINT64);
  vmd_machine_spec_set_storage (spec, VMD_STORAGE_NEW_VOLUME, NULL, 2);
  return spec;
}

static void
count_notify (guint *count)
{
  (*count)++;
}

static void
test_choose_pool (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vmd-pool-XXXXXX", NULL);
  g_autoptr(VmdMachineSpec) spec = new_spec (dir);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  guint notified = 0;

  g_signal_connect_swapped (spec, "notify::pool-name", G_CALLBACK (count_notify), &notified);
  vmd_machine_spec_choose_pool (spec, "fast", dir, 10 * GIB, TRUE);
  g_object_get (spec, "pool-name", &name, NULL);
  g_assert_cmpstr (name, ==, "fast");
  g_assert_cmpuint (notified, ==, 1);
  assert_storage_ok (spec);
  path = vmd_machine_spec_dup_disk_path (spec);
  g_assert_true (g_str_has_prefix (path, dir));

  /* A stopped pool, named. */
  vmd_machine_spec_choose_pool (spec, "fast", dir, 10 * GIB, FALSE);
  g_assert_cmpuint (notified, ==, 1);
  assert_storage_error (spec, VMD_ERROR_INVALID_INPUT, "The pool “fast” is stopped");

  /* Too small for the size asked, and fine again once the size fits. */
  vmd_machine_spec_choose_pool (spec, "small", dir, 1 * GIB, TRUE);
  assert_storage_error (spec, VMD_ERROR_NO_SPACE, "The pool “small” has 1 GiB free; the disk needs 2 GiB");
  vmd_machine_spec_set_disk_size_gib (spec, 1);
  assert_storage_ok (spec);
  /* Only a new volume needs the pool: an existing disk or none does not care. */
  vmd_machine_spec_choose_pool (spec, "small", dir, 1 * GIB, FALSE);
  vmd_machine_spec_set_storage_kind (spec, VMD_STORAGE_NONE);
  assert_storage_ok (spec);
  g_rmdir (dir);
}

static void
test_volume_in_use (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vmd-pool-XXXXXX", NULL);
  g_autofree char *image = g_build_filename (dir, "shared.qcow2", NULL);
  g_autoptr(VmdMachineSpec) spec = new_spec (dir);
  const char *users[] = { "alpha", "beta", NULL };
  g_autoptr(VmdMachineSpec) copy = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (image, "QFI\xfb", 4, NULL));
  vmd_machine_spec_set_storage (spec, VMD_STORAGE_EXISTING, image, 0);
  assert_storage_ok (spec);
  vmd_machine_spec_set_disk_users (spec, image, users);
  assert_storage_error (spec, VMD_ERROR_EXISTS, "is the disk of alpha, beta already");
  /* The worker's copy knows it too. */
  copy = vmd_machine_spec_copy (spec);
  g_assert_false (vmd_machine_spec_check_field (copy, VMD_SPEC_FIELD_STORAGE, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_EXISTS);
  /* Import takes the same image: the same check. */
  vmd_machine_spec_set_install_method (spec, VMD_INSTALL_METHOD_IMPORT);
  vmd_machine_spec_set_existing_path (spec, image);
  g_assert_false (vmd_machine_spec_validate (spec, NULL, NULL));
  /* Once its machines let it go (or another volume is chosen), it is fine. */
  vmd_machine_spec_set_disk_users (spec, image, NULL);
  assert_storage_ok (spec);
  g_unlink (image);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/machine-spec-pool/choose", test_choose_pool);
  g_test_add_func ("/machine-spec-pool/volume-in-use", test_volume_in_use);
  return g_test_run ();
}
