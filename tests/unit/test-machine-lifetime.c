/* A VmdMachine lives as long as its domain: the same object across a connection made again,
 * "deleted" when the domain is gone; and the one lookup that waits for a machine by name. */
#include "config.h"

#include <glib/gstdio.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-machine-finder.h"
#include "vmd-test-util.h"

static const char two_machines[] =
  "<node>\n"
  "  <domain type='test'><name>kept</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
  "<memory>65536</memory><os><type>hvm</type></os></domain>\n"
  "  <domain type='test'><name>doomed</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e1940</uuid>"
  "<memory>65536</memory><os><type>hvm</type></os></domain>\n"
  "</node>\n";

static const char one_machine[] =
  "<node>\n"
  "  <domain type='test'><name>kept</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
  "<memory>65536</memory><os><type>hvm</type></os></domain>\n"
  "</node>\n";

typedef struct {
  char          *dir;
  char          *path;
  VmdConnection *connection;
} Fixture;

static void
write_node (Fixture    *fixture,
            const char *xml)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (fixture->path, xml, -1, &error);
  g_assert_no_error (error);
}

/* The test driver reads its file at every open: rewriting it between a close and an open is a
 * daemon that changed while the connection was down. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  fixture->dir = g_dir_make_tmp ("vmdesk-lifetime-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "node.xml", NULL);
  write_node (fixture, two_machines);
  uri = g_strdup_printf ("test://%s", fixture->path);
  fixture->connection = vmd_test_open_connection (uri, 1000, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->connection);
  g_unlink (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
record_connected (VmdMachine *machine,
                  GParamSpec *pspec,
                  GString    *seen)
{
  g_string_append_c (seen, vmd_machine_get_connected (machine) ? 'T' : 'F');
}

static void
record_deleted (VmdMachine *machine,
                GString    *seen)
{
  g_string_append_c (seen, 'D');
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vmd_test_open (fixture->connection, &error));
  g_assert_no_error (error);
}

static void
test_same_object_after_reconnect (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(VmdMachine) kept = g_object_ref (vmd_connection_find_machine (fixture->connection, "kept"));
  g_autoptr(GString) seen = g_string_new (NULL);
  GVirDomain *first_domain = vmd_machine_get_domain (kept);

  g_signal_connect (kept, "notify::connected", G_CALLBACK (record_connected), seen);
  g_signal_connect (kept, "deleted", G_CALLBACK (record_deleted), seen);
  g_assert_true (vmd_machine_get_connected (kept));
  g_assert_true (vmd_machine_get_connection (kept) == fixture->connection);

  vmd_connection_close (fixture->connection);
  g_assert_false (vmd_machine_get_connected (kept));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (fixture->connection)), ==, 0);
  g_assert_true (vmd_machine_get_connection (kept) == fixture->connection);

  reopen (fixture);
  g_assert_true (vmd_connection_find_machine (fixture->connection, "kept") == kept);
  g_assert_true (vmd_machine_get_connected (kept));
  g_assert_cmpstr (seen->str, ==, "FT");
  /* A new handle from the new connection, so its events reach the machine. */
  g_assert_false (vmd_machine_get_domain (kept) == first_domain);
  g_assert_cmpstr (vmd_machine_get_uuid (kept), ==, "6695eb01-f6a4-8304-79aa-97f2502e193f");
  g_signal_handlers_disconnect_by_data (kept, seen);
}

/* Two holders (the console and the details window, say) keep one object, and a machine
 * deleted while the connection was down tells its holders so when it is back. */
static void
test_deleted_while_away (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(VmdMachine) doomed = g_object_ref (vmd_connection_find_machine (fixture->connection, "doomed"));
  g_autoptr(VmdMachine) console_holds = g_object_ref (vmd_connection_find_machine (fixture->connection, "kept"));
  g_autoptr(VmdMachine) details_holds = g_object_ref (vmd_connection_find_machine (fixture->connection, "kept"));
  g_autoptr(GString) seen = g_string_new (NULL);

  g_signal_connect (doomed, "deleted", G_CALLBACK (record_deleted), seen);
  vmd_connection_close (fixture->connection);
  write_node (fixture, one_machine);
  g_assert_cmpstr (seen->str, ==, "");
  reopen (fixture);
  g_assert_cmpstr (seen->str, ==, "D");
  g_assert_false (vmd_machine_get_connected (doomed));
  g_assert_null (vmd_machine_get_connection (doomed));
  g_assert_null (vmd_connection_find_machine (fixture->connection, "doomed"));
  g_assert_true (console_holds == details_holds);
  g_assert_true (vmd_connection_find_machine (fixture->connection, "kept") == console_holds);
  g_signal_handlers_disconnect_by_data (doomed, seen);
}

static gboolean
string_not_empty (gpointer user_data)
{
  return ((GString *) user_data)->len > 0;
}

static void
test_undefined_emits_deleted (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(VmdMachine) doomed = g_object_ref (vmd_connection_find_machine (fixture->connection, "doomed"));
  g_autoptr(GString) seen = g_string_new (NULL);
  GVirDomain *domain = vmd_machine_get_domain (doomed);
  g_autoptr(GError) error = NULL;

  g_signal_connect (doomed, "deleted", G_CALLBACK (record_deleted), seen);
  gvir_domain_delete (domain, 0, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_until (string_not_empty, seen, 5000));
  g_assert_cmpstr (seen->str, ==, "D");
  g_signal_handlers_disconnect_by_data (doomed, seen);
}

static void
test_find_lists_at_once (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GListStore) connections = g_list_store_new (VMD_TYPE_CONNECTION);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachine) found = NULL;

  g_list_store_append (connections, fixture->connection);
  vmd_machine_find_async (G_LIST_MODEL (connections), "kept", 0, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  found = vmd_machine_find_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (found == vmd_connection_find_machine (fixture->connection, "kept"));
}

/* Asked while the connection is still opening, the answer comes once it lists the machine. */
static void
test_find_waits_for_the_list (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GListStore) connections = g_list_store_new (VMD_TYPE_CONNECTION);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachine) found = NULL;

  vmd_connection_close (fixture->connection);
  g_list_store_append (connections, fixture->connection);
  vmd_connection_open_async (fixture->connection, NULL, vmd_test_store_result, &opened);
  vmd_machine_find_async (G_LIST_MODEL (connections), "kept", 0, NULL, vmd_test_store_result, &result);
  g_assert_null (result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  found = vmd_machine_find_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_machine_get_name (found), ==, "kept");
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &opened, 5000));
}

static void
test_find_not_found (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GListStore) connections = g_list_store_new (VMD_TYPE_CONNECTION);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_list_store_append (connections, fixture->connection);
  vmd_machine_find_async (G_LIST_MODEL (connections), "nowhere", 0, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  g_assert_null (vmd_machine_find_finish (result, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
}

static gboolean
define_late (gpointer user_data)
{
  GVirConnection *gconn = user_data;
  /* libvirt-gconfig 4.0 defines no autoptr cleanups. */
  GVirConfigDomain *config = gvir_config_domain_new_from_xml (
    "<domain type='test'><name>late</name><memory>65536</memory><os><type>hvm</type></os></domain>",
    NULL);
  g_autoptr(GError) error = NULL;
  GVirDomain *domain = gvir_connection_create_domain (gconn, config, &error);

  g_assert_no_error (error);
  g_object_unref (domain);
  g_object_unref (config);
  return G_SOURCE_REMOVE;
}

/* Asked with a wait, a machine not there yet is waited for: defined half a second later. */
static void
test_find_waits_for_a_definition (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GListStore) connections = g_list_store_new (VMD_TYPE_CONNECTION);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachine) found = NULL;

  g_list_store_append (connections, fixture->connection);
  vmd_machine_find_async (G_LIST_MODEL (connections), "late", 30, NULL, vmd_test_store_result, &result);
  g_timeout_add (500, define_late, vmd_connection_get_gvir (fixture->connection));
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  found = vmd_machine_find_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vmd_machine_get_name (found), ==, "late");
}

static void
test_find_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GListStore) connections = g_list_store_new (VMD_TYPE_CONNECTION);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GError) error = NULL;

  vmd_connection_close (fixture->connection);
  g_list_store_append (connections, fixture->connection);
  vmd_connection_open_async (fixture->connection, NULL, vmd_test_store_result, &opened);
  vmd_machine_find_async (G_LIST_MODEL (connections), "kept", 0, cancellable, vmd_test_store_result,
                          &result);
  g_cancellable_cancel (cancellable);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  g_assert_null (vmd_machine_find_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &opened, 5000));
}

int
main (int    argc,
      char **argv)
{
  vmd_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/machine-lifetime/same-object-after-reconnect", test_same_object_after_reconnect);
  ADD ("/machine-lifetime/deleted-while-away", test_deleted_while_away);
  ADD ("/machine-lifetime/undefined-emits-deleted", test_undefined_emits_deleted);
  ADD ("/machine-lifetime/find/listed-at-once", test_find_lists_at_once);
  ADD ("/machine-lifetime/find/waits-for-the-list", test_find_waits_for_the_list);
  ADD ("/machine-lifetime/find/not-found", test_find_not_found);
  ADD ("/machine-lifetime/find/waits-for-a-definition", test_find_waits_for_a_definition);
  ADD ("/machine-lifetime/find/cancelled", test_find_cancelled);
#undef ADD
  return g_test_run ();
}
