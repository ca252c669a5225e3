/* Fuzzes the ISO reader (src/core/vmd-install-media.c: the quick check, the volume descriptor,
 * libarchive's ISO9660 listing through our descriptor, libosinfo's identification) and the kernel
 * extraction (vmd-install-media-extract.c). Input: the image. Copies are capped at 1 MiB here, so
 * that a zisofs entry that inflates without end is refused quickly. */
#include <stdint.h>
#include <string.h>

#include "fuzz-util.h"
#include "vmd-install-media.h"
#include "vmd-os-catalog.h"

static VmdOsCatalog *catalog;
static char *image;
static char *boot_dir;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  char *dir = fuzz_scratch_dir ("fuzz-iso");
  g_autoptr(GError) error = NULL;

  catalog = vmd_os_catalog_get_default ();
  if (!vmd_os_catalog_load_sync (catalog, &error))
    g_error ("osinfo-db: %s", error->message);
  image = g_build_filename (dir, "input.iso", NULL);
  boot_dir = g_build_filename (dir, "boot", NULL);
  return 0;
}

static void
extract (VmdInstallMedia *media)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;

  vmd_install_media_set_max_file_size (media, 1024 * 1024);
  if (vmd_install_media_extract_kernel (media, boot_dir, "fuzz", &kernel, &initrd, NULL, &error))
    {
      g_assert (error == NULL && g_str_has_prefix (kernel, boot_dir) &&
                g_str_has_prefix (initrd, boot_dir));
      return;
    }
  g_assert (error != NULL && kernel == NULL && initrd == NULL);
  /* All or nothing: a failed copy leaves no file behind. */
  g_assert (g_rmdir (boot_dir) == 0 || !g_file_test (boot_dir, G_FILE_TEST_EXISTS));
}

/* libosinfo's rules (its code, not instrumented, slow, and it keeps allocations, which makes
 * libFuzzer look for a leak after the input) for one image in 16, by its volume ID's bytes: an
 * image's last bytes are padding, its size a multiple of 2048. */
static gboolean
use_catalog (const uint8_t *data,
             size_t         size)
{
  guint sum = 0;

  for (size_t i = 16 * 2048 + 40; i < MIN (size, 16 * 2048 + 72); i++)
    sum += data[i];
  return size > 16 * 2048 + 72 && sum % 16 == 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VmdInstallMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (image, (const char *) data, size, NULL))
    abort ();
  vmd_install_media_check_iso (image, NULL);
  media = vmd_install_media_load (image, use_catalog (data, size) ? catalog : NULL, NULL, &error);
  g_assert ((media == NULL) == (error != NULL));
  if (media != NULL && vmd_install_media_can_kernel_boot (media))
    extract (media);
  fuzz_empty_dir (boot_dir);
  return 0;
}
