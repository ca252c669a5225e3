/* Every wait is bounded (vmd_test_wait_until), so a lost callback fails instead of hanging. */
#include "config.h"

#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-resources-fixture.h"
#include "vmd-test-util.h"

static gboolean
loaded (gpointer user_data)
{
  return vmd_resources_get_loaded (user_data);
}

void
resources_fixture_set_up (ResourcesFixture *fixture,
                          gconstpointer     data)
{
  g_autofree char *uri = vmd_test_data_uri ("resources.xml");
  g_autoptr(GError) error = NULL;

  fixture->connection = vmd_test_open_connection (uri, 1000, &error);
  g_assert_no_error (error);
  g_object_get (vmd_connection_get_gvir (fixture->connection), "handle", &fixture->handle, NULL);
  fixture->resources = g_object_ref (vmd_connection_get_resources (fixture->connection));
  g_assert_true (vmd_test_wait_until (loaded, fixture->resources, 5000));
  fixture->scratch = g_dir_make_tmp ("vmdesk-resources-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
resources_fixture_tear_down (ResourcesFixture *fixture,
                             gconstpointer     data)
{
  remove_tree (fixture->scratch);
  g_free (fixture->scratch);
  virConnectClose (fixture->handle);
  g_clear_object (&fixture->resources);
  g_clear_object (&fixture->connection);
}

/* Waits for *slot (filled by vmd_test_store_result) and returns it, owned by the caller. */
GAsyncResult *
resources_wait (GAsyncResult **slot)
{
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, slot, 10000));
  return g_steal_pointer (slot);
}

int
resources_count_networks (ResourcesFixture *fixture)
{
  return virConnectNumOfNetworks (fixture->handle) + virConnectNumOfDefinedNetworks (fixture->handle);
}

int
resources_count_pools (ResourcesFixture *fixture)
{
  return virConnectNumOfStoragePools (fixture->handle) +
         virConnectNumOfDefinedStoragePools (fixture->handle);
}

int
resources_count_volumes (ResourcesFixture *fixture,
                         const char       *name)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->handle, name);
  int n;

  g_assert_nonnull (pool);
  n = virStoragePoolNumOfVolumes (pool);
  virStoragePoolFree (pool);
  return n;
}

VmdStoragePool *
resources_pool (ResourcesFixture *fixture,
                const char       *name)
{
  VmdStoragePool *pool = vmd_resources_find_pool (fixture->resources, name);

  g_assert_nonnull (pool);
  return pool;
}
