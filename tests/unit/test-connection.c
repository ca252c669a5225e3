/* VmdConnection against libvirt's test driver: the list, its events, failures and statistics. */
#include "config.h"

#include <string.h>

#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-test-util.h"

static VmdConnection *
open_machines (guint stats_interval_ms)
{
  g_autofree char *uri = vmd_test_data_uri ("machines.xml");
  g_autoptr(GError) error = NULL;
  VmdConnection *connection = vmd_test_open_connection (uri, stats_interval_ms, &error);

  g_assert_no_error (error);
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_CONNECTED);
  return connection;
}

static void
test_lists_machines_sorted_with_state (void)
{
  g_autoptr(VmdConnection) connection = open_machines (1000);
  GListModel *machines = vmd_connection_get_machines (connection);
  const struct { const char *name; VmdMachineState state; } expected[] = {
    { "alpha", VMD_MACHINE_STATE_RUNNING },
    { "beta",  VMD_MACHINE_STATE_SHUT_OFF },
    { "gamma", VMD_MACHINE_STATE_PAUSED },
  };

  g_assert_cmpuint (g_list_model_get_n_items (machines), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (machines, i);

      g_assert_cmpstr (vmd_machine_get_name (machine), ==, expected[i].name);
      g_assert_cmpint (vmd_machine_get_state (machine), ==, expected[i].state);
    }
}

typedef struct {
  VmdConnection *connection;
  const char    *name;
} FindData;

static gboolean
machine_present (gpointer user_data)
{
  FindData *data = user_data;

  return vmd_connection_find_machine (data->connection, data->name) != NULL;
}

static gboolean
machine_absent (gpointer user_data)
{
  return !machine_present (user_data);
}

static gboolean
machine_shut_off (gpointer user_data)
{
  FindData *data = user_data;
  VmdMachine *machine = vmd_connection_find_machine (data->connection, data->name);

  return machine != NULL && vmd_machine_get_state (machine) == VMD_MACHINE_STATE_SHUT_OFF;
}

/* What a window following a machine sees when the list changes: the lookup by UUID must already
 * agree with the list (vmd-console-window.c, vmd-details-window.c). */
typedef struct {
  VmdConnection *connection;
  char          *uuid;
  gboolean       found_while_removed;
} UuidWatch;

static void
on_items_changed (GListModel *machines,
                  guint       position,
                  guint       removed,
                  guint       added,
                  UuidWatch  *watch)
{
  if (removed > 0 && watch->uuid != NULL &&
      vmd_connection_find_machine_by_uuid (watch->connection, watch->uuid) != NULL)
    watch->found_while_removed = TRUE;
}

static void
test_defined_and_undefined_follow_events (void)
{
  g_autoptr(VmdConnection) connection = open_machines (1000);
  FindData data = { connection, "delta" };
  UuidWatch watch = { connection, NULL, FALSE };
  g_autoptr(GListStore) connections = g_list_store_new (VMD_TYPE_CONNECTION);
  g_autoptr(VmdConnection) owner = NULL;
  VmdMachine *machine;
  virConnectPtr handle = NULL;
  virDomainPtr domain;
  const char *xml =
    "<domain type='test'><name>delta</name><memory>131072</memory>"
    "<os><type>hvm</type></os></domain>";

  g_object_get (vmd_connection_get_gvir (connection), "handle", &handle, NULL);
  domain = virDomainDefineXML (handle, xml);
  g_assert_nonnull (domain);
  g_assert_true (vmd_test_wait_until (machine_present, &data, 1000));
  /* Its state comes from a query of its own, as no event carries it. */
  g_assert_true (vmd_test_wait_until (machine_shut_off, &data, 1000));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, 4);
  machine = vmd_connection_find_machine (connection, "delta");
  watch.uuid = g_strdup (vmd_machine_get_uuid (machine));
  g_assert_true (vmd_connection_find_machine_by_uuid (connection, watch.uuid) == machine);
  g_list_store_append (connections, connection);
  owner = vmd_connection_find_owner (G_LIST_MODEL (connections), machine);
  g_assert_true (owner == connection);
  g_signal_connect (vmd_connection_get_machines (connection), "items-changed",
                    G_CALLBACK (on_items_changed), &watch);

  g_assert_cmpint (virDomainUndefine (domain), ==, 0);
  g_assert_true (vmd_test_wait_until (machine_absent, &data, 1000));
  g_assert_false (watch.found_while_removed);
  g_assert_null (vmd_connection_find_machine_by_uuid (connection, watch.uuid));
  g_signal_handlers_disconnect_by_data (vmd_connection_get_machines (connection), &watch);
  g_free (watch.uuid);
  virDomainFree (domain);
  virConnectClose (handle);
}

static gboolean
list_sorted_as_renamed (gpointer user_data)
{
  GListModel *machines = vmd_connection_get_machines (user_data);
  const char *expected[] = { "alpha", "gamma", "zeta" };

  if (g_list_model_get_n_items (machines) != G_N_ELEMENTS (expected))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (machines, i);

      if (g_strcmp0 (vmd_machine_get_name (machine), expected[i]) != 0)
        return FALSE;
    }
  return TRUE;
}

/* libvirt-gobject does not pass renames on; the list learns them all the same, and keeps the
 * same machine (its state, its place in other views) under the new name, in sorted order. */
static void
test_renamed_machine_follows (void)
{
  g_autoptr(VmdConnection) connection = open_machines (1000);
  VmdMachine *beta = vmd_connection_find_machine (connection, "beta");
  virConnectPtr handle = NULL;
  virDomainPtr domain;

  g_object_get (vmd_connection_get_gvir (connection), "handle", &handle, NULL);
  domain = virDomainLookupByName (handle, "beta");
  g_assert_cmpint (virDomainRename (domain, "zeta", 0), ==, 0);
  g_assert_true (vmd_test_wait_until (list_sorted_as_renamed, connection, 1000));
  g_assert_true (vmd_connection_find_machine (connection, "zeta") == beta);
  g_assert_cmpint (vmd_machine_get_state (beta), ==, VMD_MACHINE_STATE_SHUT_OFF);
  virDomainFree (domain);
  virConnectClose (handle);
}

typedef struct {
  VmdMachine *machine;
  guint       serial;
} SerialWatch;

static gboolean
serial_moved (gpointer user_data)
{
  SerialWatch *watch = user_data;

  return vmd_machine_get_definition_serial (watch->machine) > watch->serial;
}

/* Another client's define (DEFINED/UPDATED), a rename and a metadata change each tell the
 * machine its definition changed; the machine object stays the same one. */
static void
test_definition_changes_follow_events (void)
{
  g_autoptr(VmdConnection) connection = open_machines (1000);
  VmdMachine *beta = vmd_connection_find_machine (connection, "beta");
  SerialWatch watch = { beta, vmd_machine_get_definition_serial (beta) };
  virConnectPtr handle = NULL;
  virDomainPtr domain, defined;
  char *xml;
  g_auto(GStrv) parts = NULL;
  g_autofree char *described = NULL;

  g_object_get (vmd_connection_get_gvir (connection), "handle", &handle, NULL);
  domain = virDomainLookupByName (handle, "beta");
  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  parts = g_strsplit (xml, "</name>", 2);
  free (xml);
  described = g_strjoinv ("</name><description>from outside</description>", parts);
  defined = virDomainDefineXML (handle, described);
  g_assert_nonnull (defined);
  virDomainFree (defined);
  g_assert_true (vmd_test_wait_until (serial_moved, &watch, 1000));

  watch.serial = vmd_machine_get_definition_serial (beta);
  g_assert_cmpint (virDomainSetMetadata (domain, VIR_DOMAIN_METADATA_TITLE, "Beta", NULL, NULL,
                                         VIR_DOMAIN_AFFECT_CONFIG), ==, 0);
  g_assert_true (vmd_test_wait_until (serial_moved, &watch, 1000));

  watch.serial = vmd_machine_get_definition_serial (beta);
  g_assert_cmpint (virDomainRename (domain, "zeta", 0), ==, 0);
  g_assert_true (vmd_test_wait_until (serial_moved, &watch, 1000));
  g_assert_true (vmd_connection_find_machine (connection, "zeta") == beta);
  virDomainFree (domain);
  virConnectClose (handle);
}

static void
test_open_failure_says_why (void)
{
  g_autoptr(VmdConnection) connection = vmd_connection_new ("test:///no/such/file.xml");
  g_autoptr(GError) error = NULL;

  g_assert_false (vmd_test_open (connection, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (error->message, "test:///no/such/file.xml"));
  /* The row shows the same words, and nothing pops up. */
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_FAILED);
  g_assert_cmpstr (vmd_connection_get_error_message (connection), ==, error->message);
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, 0);
}

static void
test_describe_failure (void)
{
  const struct { const char *libvirt; const char *expect; } cases[] = {
    { "Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory",
      "daemon is not running" },
    /* Outside the libvirt group (issue 12, item 7): the command that fixes it. */
    { "Failed to connect socket to '/run/libvirt/libvirt-sock': Permission denied",
      "not allowed" },
    { "authentication unavailable: no polkit agent available", "not allowed" },
    { "internal error: something else", "Could not connect" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = vmd_connection_describe_failure ("qemu:///system", cases[i].libvirt);

      g_assert_nonnull (strstr (text, cases[i].expect));
      g_assert_nonnull (strstr (text, "qemu:///system"));
      /* libvirt's own words are kept. */
      g_assert_nonnull (strstr (text, cases[i].libvirt));
    }
}

/* A changed host key is told as such, never as a question of group membership (libvirt says
 * "authentication failed" around it); an unknown one as not accepted. */
static void
test_describe_host_key (void)
{
  const char *uri = "qemu+libssh://user@host.example/system";
  const struct { const char *libvirt; const char *expect; } cases[] = {
    { "authentication failed: !!! SSH HOST KEY VERIFICATION FAILED !!!: Identity of host "
      "'host.example:22' differs from stored identity.", "has changed" },
    { "Cannot recv data: @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
      "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @", "has changed" },
    { "libssh transport error: No user interaction callback provided: Can't verify the session "
      "host key", "not known" },
    { "Cannot recv data: Host key verification failed.: Connection reset by peer", "not known" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = vmd_connection_describe_failure (uri, cases[i].libvirt);

      g_assert_nonnull (strstr (text, cases[i].expect));
      g_assert_nonnull (strstr (text, "host.example"));
      g_assert_null (strstr (text, "libvirt” group"));
      g_assert_nonnull (strstr (text, cases[i].libvirt));
    }
}

/* The row that shows the message names the connection already; libvirt's words often do too. */
static void
test_describe_failure_names_uri_once (void)
{
  const char *uri = "bogus:///nothing";
  g_autofree char *text = vmd_connection_describe_failure (uri, "no connection driver available for bogus:///nothing");
  const char *first = strstr (text, uri);

  g_assert_nonnull (first);
  g_assert_null (strstr (first + 1, uri));
}

static gboolean
machines_listed (gpointer user_data)
{
  return g_list_model_get_n_items (vmd_connection_get_machines (user_data)) == 3;
}

/* Disconnect and Connect on a connection's row: a closed connection lists nothing, says it is
 * disconnected with no error, and opens again on request with its machines in their states. */
static void
test_close_then_reopen (void)
{
  g_autoptr(VmdConnection) connection = open_machines (1000);
  g_autoptr(GError) error = NULL;

  vmd_connection_close (connection);
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_DISCONNECTED);
  g_assert_null (vmd_connection_get_error_message (connection));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_connection_get_machines (connection)), ==, 0);
  g_assert_null (vmd_connection_get_gvir (connection));

  g_assert_true (vmd_test_open (connection, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_CONNECTED);
  g_assert_true (vmd_test_wait_until (machines_listed, connection, 2000));
  g_assert_true (vmd_test_wait_for_machine_state (connection, "gamma", VMD_MACHINE_STATE_PAUSED, 2000));

  /* And once more, as a user may. */
  vmd_connection_close (connection);
  g_assert_true (vmd_test_open (connection, &error));
  g_assert_true (vmd_test_wait_until (machines_listed, connection, 2000));
}

/* A failed connection can be closed (forgotten) and tried again. */
static void
test_close_failed_then_reopen (void)
{
  g_autoptr(VmdConnection) connection = vmd_connection_new ("test:///no/such/file.xml");
  g_autoptr(GError) error = NULL;

  g_assert_false (vmd_test_open (connection, &error));
  g_clear_error (&error);
  vmd_connection_close (connection);
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_DISCONNECTED);
  g_assert_null (vmd_connection_get_error_message (connection));
  g_assert_false (vmd_test_open (connection, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_CONNECTED);
  g_assert_cmpint (vmd_connection_get_state (connection), ==, VMD_CONNECTION_STATE_FAILED);
}

static void
test_titles (void)
{
  const struct { const char *uri; const char *title; } cases[] = {
    { "qemu:///session", "QEMU/KVM User session" },
    { "qemu:///system", "QEMU/KVM" },
    { "qemu+ssh://root@host.example/system", "QEMU/KVM on host.example" },
    { "test:///default", "Test driver (test:///default)" },
    { "xen:///", "xen:///" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = vmd_connection_title_for_uri (cases[i].uri);

      g_assert_cmpstr (title, ==, cases[i].title);
    }
}

static gboolean
memory_known (gpointer user_data)
{
  return vmd_machine_get_memory_kib (user_data) > 0;
}

static gboolean
ten_intervals_passed (gpointer user_data)
{
  return g_get_monotonic_time () >= *(gint64 *) user_data;
}

/* One bulk call per interval, whatever the number of machines; the test driver has no balloon
 * statistics, so memory comes from a one-off query per running machine. */
static void
test_stats_one_call_per_interval (void)
{
  g_autoptr(VmdConnection) connection = open_machines (100);
  VmdMachine *alpha = vmd_connection_find_machine (connection, "alpha");
  VmdMachine *beta = vmd_connection_find_machine (connection, "beta");
  gint64 deadline = g_get_monotonic_time () + 1000 * G_TIME_SPAN_MILLISECOND;
  guint calls;

  g_assert_true (vmd_test_wait_until (memory_known, alpha, 2000));
  g_assert_cmpuint (vmd_machine_get_memory_kib (alpha), ==, 524288);
  g_assert_cmpuint (vmd_machine_get_memory_kib (beta), ==, 0);

  calls = vmd_connection_get_stats_calls (connection);
  vmd_test_wait_until (ten_intervals_passed, &deadline, 2000);
  calls = vmd_connection_get_stats_calls (connection) - calls;
  g_assert_cmpuint (calls, >=, 8);
  g_assert_cmpuint (calls, <=, 11);
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_test_add_func ("/connection/open/lists-machines-sorted-with-state", test_lists_machines_sorted_with_state);
  g_test_add_func ("/connection/open/failure-says-why", test_open_failure_says_why);
  g_test_add_func ("/connection/events/defined-and-undefined", test_defined_and_undefined_follow_events);
  g_test_add_func ("/connection/events/renamed", test_renamed_machine_follows);
  g_test_add_func ("/connection/events/definition-changed", test_definition_changes_follow_events);
  g_test_add_func ("/connection/words/describe-failure", test_describe_failure);
  g_test_add_func ("/connection/words/describe-host-key", test_describe_host_key);
  g_test_add_func ("/connection/words/titles", test_titles);
  g_test_add_func ("/connection/words/uri-once", test_describe_failure_names_uri_once);
  g_test_add_func ("/connection/close/reopen", test_close_then_reopen);
  g_test_add_func ("/connection/close/failed-then-reopen", test_close_failed_then_reopen);
  g_test_add_func ("/connection/stats/one-call-per-interval", test_stats_one_call_per_interval);
  return g_test_run ();
}
