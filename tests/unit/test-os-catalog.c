/* VmdOsCatalog: libosinfo's database loaded once, off the main loop, searched, and the
 * resources it recommends. */
#include "config.h"

#include "vmd-os-catalog.h"
#include "vmd-test-util.h"

static void
count_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_os_catalog_load_finish (VMD_OS_CATALOG (source), result, &error));
  g_assert_no_error (error);
  (*(int *) user_data)++;
}

static gboolean
two_done (gpointer user_data)
{
  return *(int *) user_data == 2;
}

/* Two callers while it loads share one load; the main loop keeps running meanwhile. */
static void
test_catalog_load_async (void)
{
  VmdOsCatalog *catalog = vmd_os_catalog_get_default ();
  gint64 start = g_get_monotonic_time ();
  gint64 returned;
  int done = 0;

  vmd_os_catalog_load_async (catalog, NULL, count_done, &done);
  vmd_os_catalog_load_async (catalog, NULL, count_done, &done);
  returned = g_get_monotonic_time ();
  /* Both calls only queue work: the load (a second or more) has not happened in them. Not a
   * time limit, which a loaded machine could miss. */
  g_assert_cmpint (done, ==, 0);
  g_assert_false (vmd_os_catalog_is_loaded (catalog));
  /* A generous ceiling: under valgrind on a busy machine the load takes over a minute. */
  g_assert_true (vmd_test_wait_until (two_done, &done, 240000));
  g_assert_true (vmd_os_catalog_is_loaded (catalog));
  g_test_message ("osinfo-db loaded in %.0f ms (calls returned in %.1f ms)",
                  (g_get_monotonic_time () - start) / 1000.0, (returned - start) / 1000.0);
}

static gboolean
has_short_id (GPtrArray  *oses,
              const char *short_id)
{
  for (guint i = 0; i < oses->len; i++)
    if (g_strcmp0 (osinfo_product_get_short_id (oses->pdata[i]), short_id) == 0)
      return TRUE;
  return FALSE;
}

static void
test_catalog_search (void)
{
  VmdOsCatalog *catalog = vmd_test_loaded_catalog ();
  g_autoptr(GPtrArray) by_name = vmd_os_catalog_search (catalog, "debian 11", 20);
  g_autoptr(GPtrArray) by_id = vmd_os_catalog_search (catalog, "centos7.0", 20);
  g_autoptr(GPtrArray) by_vendor = vmd_os_catalog_search (catalog, "Red Hat", 0);
  g_autoptr(GPtrArray) nothing = vmd_os_catalog_search (catalog, "no such system anywhere", 0);

  g_assert_true (has_short_id (by_name, "debian11"));
  g_assert_true (has_short_id (by_id, "centos7.0"));
  g_assert_cmpuint (by_vendor->len, >, 10);
  g_assert_cmpuint (nothing->len, ==, 0);
  g_assert_nonnull (vmd_os_catalog_find (catalog, "debian11"));
  g_assert_null (vmd_os_catalog_find (catalog, "debian99"));
}

static void
test_catalog_defaults (void)
{
  VmdOsCatalog *catalog = vmd_test_loaded_catalog ();
  OsinfoOs *debian = vmd_os_catalog_find (catalog, "debian11");
  OsinfoOs *win = vmd_os_catalog_find (catalog, "win2k");
  VmdOsDefaults defaults;
  g_autofree char *label = vmd_os_catalog_describe (debian);

  vmd_os_catalog_get_defaults (debian, &defaults);
  g_test_message ("debian11: %" G_GUINT64_FORMAT " MiB (min %" G_GUINT64_FORMAT "), %u CPUs, %"
                  G_GUINT64_FORMAT " GiB", defaults.memory_mib, defaults.minimum_memory_mib,
                  defaults.cpus, defaults.storage_gib);
  g_assert_cmpuint (defaults.memory_mib, >=, 512);
  g_assert_cmpuint (defaults.minimum_memory_mib, >, 0);
  g_assert_cmpuint (defaults.cpus, >=, 1);
  g_assert_cmpuint (defaults.storage_gib, >=, 1);
  g_assert_true (defaults.virtio);
  g_assert_cmpstr (label, ==, "Debian 11 (debian11)");

  vmd_os_catalog_get_defaults (win, &defaults);
  g_assert_false (defaults.virtio);

  vmd_os_catalog_get_defaults (NULL, &defaults);
  g_assert_cmpuint (defaults.memory_mib, ==, 1024);
  g_assert_cmpuint (defaults.cpus, ==, 1);
  g_assert_cmpuint (defaults.storage_gib, ==, 20);
}

int
main (int    argc,
      char **argv)
{
  vmd_test_init (&argc, &argv);
  /* The first case sees the catalog before anything loaded it. */
  g_test_add_func ("/os-catalog/load-async", test_catalog_load_async);
  g_test_add_func ("/os-catalog/search", test_catalog_search);
  g_test_add_func ("/os-catalog/defaults", test_catalog_defaults);
  return g_test_run ();
}
