/* VmdHostFacts: one answer per connection, from the local check and libvirt (the test driver),
 * on fake /proc, /sys and /dev trees. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "vmd-connection.h"
#include "vmd-host-facts.h"
#include "vmd-test-util.h"

#define CPU_VM "processor\t: 0\nflags\t\t: fpu vme de pse ssse3 hypervisor\n"
#define MODULES_PVM "kvm_pvm 1 0 - Live 0x0\nkvm 2 1 kvm_pvm, Live 0x0\n"

static const char node_xml[] =
  "<node>\n"
  "  <network><name>default</name><bridge name='virbr0'/><forward mode='nat'/>"
  "    <ip address='192.168.122.1' netmask='255.255.255.0'/></network>\n"
  "  <network><name>isolated</name><bridge name='virbr9'/></network>\n"
  "  <domain type='test'><name>web</name><memory>65536</memory><os><type>hvm</type></os>\n"
  "    <devices>\n"
  "      <interface type='network'><source network='default'/><target dev='vnet0'/></interface>\n"
  "      <interface type='bridge'><source bridge='br0'/><target dev='vnet1'/></interface>\n"
  "    </devices>\n"
  "  </domain>\n"
  "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
  "    <name>off</name><memory>65536</memory><os><type>hvm</type></os>\n"
  "    <devices><interface type='bridge'><source bridge='br0'/><target dev='vnet7'/></interface></devices>\n"
  "    <test:runstate>5</test:runstate>\n"
  "  </domain>\n"
  "</node>\n";

typedef struct {
  char *root;
} Tree;

static void
put (Tree       *tree,
     const char *path,
     const char *contents)
{
  g_autofree char *full = g_build_filename (tree->root, path, NULL);
  g_autofree char *dir = g_path_get_dirname (full);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (full, contents, -1, &error);
  g_assert_no_error (error);
}

/* This test bed's own kind of host: /dev/kvm through kvm_pvm, no vmx or svm. */
static void
tree_setup (Tree          *tree,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kvm = NULL;

  tree->root = g_dir_make_tmp ("vmdesk-facts-XXXXXX", &error);
  g_assert_no_error (error);
  put (tree, "proc/cpuinfo", CPU_VM);
  put (tree, "proc/modules", MODULES_PVM);
  put (tree, "dev/kvm", "");
  kvm = g_build_filename (tree->root, "dev/kvm", NULL);
  g_assert_cmpint (g_chmod (kvm, 0666), ==, 0);
  put (tree, "node.xml", node_xml);
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

static void
tree_teardown (Tree          *tree,
               gconstpointer  data)
{
  remove_tree (tree->root);
  g_free (tree->root);
}

static void
ensure (VmdHostFacts *facts,
        gboolean      again)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_host_facts_ensure_async (facts, again, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  g_assert_true (vmd_host_facts_ensure_finish (facts, result, &error));
  g_assert_no_error (error);
}

static VmdConnection *
open_node (Tree *tree)
{
  g_autofree char *uri = g_strdup_printf ("test://%s/node.xml", tree->root);
  g_autoptr(GError) error = NULL;
  VmdConnection *connection = vmd_test_open_connection (uri, 1000, &error);

  g_assert_no_error (error);
  return connection;
}

/* Not connected: the local check alone, and it says "doubtful", never "full speed". */
static void
test_doubtful_without_libvirt (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdConnection) connection = vmd_connection_new ("qemu:///system");
  g_autoptr(VmdHostFacts) facts = vmd_host_facts_new (connection, tree->root);

  g_assert_false (vmd_host_facts_get_ready (facts));
  g_assert_cmpint (vmd_host_facts_get_kvm (facts), ==, VMD_KVM_UNKNOWN);
  ensure (facts, FALSE);
  g_assert_true (vmd_host_facts_get_ready (facts));
  g_assert_true (vmd_host_facts_get_is_local (facts));
  g_assert_false (vmd_host_facts_get_is_session (facts));
  g_assert_cmpint (vmd_host_facts_get_kvm (facts), ==, VMD_KVM_DOUBTFUL);
  g_assert_false (vmd_host_facts_get_kvm_default (facts));
  g_assert_true (vmd_host_facts_get_kvm_offered (facts));
  g_assert_nonnull (strstr (vmd_host_facts_get_kvm_summary (facts), "kvm_pvm"));
  g_assert_null (strstr (vmd_host_facts_get_kvm_summary (facts), "full speed"));
  g_assert_nonnull (vmd_host_facts_describe_kvm_choice (facts));
  g_assert_cmpuint (g_list_model_get_n_items (vmd_host_facts_get_check_items (facts)), >, 3);
  g_assert_null (vmd_host_facts_get_networks (facts));
}

/* libvirt's test driver offers no kvm machines: that settles it, whatever /dev says. */
static void
test_libvirt_says_no (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdConnection) connection = open_node (tree);
  g_autoptr(VmdHostFacts) facts = vmd_host_facts_new (connection, tree->root);

  ensure (facts, FALSE);
  g_assert_cmpint (vmd_host_facts_get_kvm (facts), ==, VMD_KVM_UNAVAILABLE);
  g_assert_false (vmd_host_facts_get_kvm_offered (facts));
  g_assert_null (strstr (vmd_host_facts_get_kvm_summary (facts), "full speed"));
  g_assert_cmpuint (vmd_host_facts_get_cpus (facts), >, 0);
  g_assert_cmpuint (vmd_host_facts_get_memory_mib (facts), >, 0);
}

static VmdHostTap *
find_tap_on (GPtrArray  *taps,
             const char *bridge)
{
  for (guint i = 0; i < taps->len; i++)
    if (g_strcmp0 (((VmdHostTap *) taps->pdata[i])->bridge, bridge) == 0)
      return taps->pdata[i];
  return NULL;
}

static void
test_networks_and_taps (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdConnection) connection = open_node (tree);
  VmdHostFacts *facts = vmd_connection_get_host_facts (connection);
  GPtrArray *networks, *taps;
  VmdHostNetwork *network;
  VmdHostTap *tap;

  g_assert_true (vmd_connection_get_host_facts (connection) == facts);
  ensure (facts, FALSE);
  networks = vmd_host_facts_get_networks (facts);
  taps = vmd_host_facts_get_taps (facts);
  g_assert_cmpuint (networks->len, ==, 2);
  network = networks->pdata[0];
  g_assert_cmpstr (network->network, ==, "default");
  g_assert_cmpstr (network->bridge, ==, "virbr0");
  g_assert_true (network->active);

  /* Only running machines have taps (the test driver names them testnetN, not vnetN). */
  g_assert_cmpuint (taps->len, ==, 2);
  tap = find_tap_on (taps, "virbr0");
  g_assert_nonnull (tap);
  g_assert_cmpstr (tap->machine, ==, "web");
  g_assert_cmpstr (tap->network, ==, "default");
  g_assert_true (g_str_has_prefix (tap->tap, "testnet"));
  tap = find_tap_on (taps, "br0");
  g_assert_nonnull (tap);
  g_assert_cmpstr (tap->machine, ==, "web");
  g_assert_null (tap->network);
}

/* Two readers at once share one refresh; a later reader gets the cached answer at once. */
static void
test_ensure_shares_one_refresh (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdConnection) connection = open_node (tree);
  g_autoptr(VmdHostFacts) facts = vmd_host_facts_new (connection, tree->root);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;

  vmd_host_facts_ensure_async (facts, FALSE, NULL, vmd_test_store_result, &first);
  vmd_host_facts_ensure_async (facts, FALSE, NULL, vmd_test_store_result, &second);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &second, 10000));
  g_assert_nonnull (first);
  g_assert_true (vmd_host_facts_ensure_finish (facts, first, NULL));
  g_assert_true (vmd_host_facts_ensure_finish (facts, second, NULL));
  g_clear_object (&first);
  vmd_host_facts_ensure_async (facts, FALSE, NULL, vmd_test_store_result, &first);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &first, 10000));
  ensure (facts, TRUE);
  g_assert_cmpint (vmd_host_facts_get_kvm (facts), ==, VMD_KVM_UNAVAILABLE);
}

int
main (int    argc,
      char **argv)
{
  vmd_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Tree, NULL, tree_setup, func, tree_teardown)
  ADD ("/host-facts/kvm/doubtful-without-libvirt", test_doubtful_without_libvirt);
  ADD ("/host-facts/kvm/libvirt-says-no", test_libvirt_says_no);
  ADD ("/host-facts/networks-and-taps", test_networks_and_taps);
  ADD ("/host-facts/ensure/shares-one-refresh", test_ensure_shares_one_refresh);
#undef ADD
  return g_test_run ();
}
