/* VmdHostCheck against fake /proc, /sys, /dev, /etc and /usr trees made in a temporary folder,
 * and against libvirt's test driver for the parts that ask libvirt. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmd-host-check.h"
#include "vmd-test-util.h"

#define CPU_VMX  "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr vmx ssse3\n"
#define CPU_SVM  "processor\t: 0\nflags\t\t: fpu vme de pse svm ssse3\n"
#define CPU_NONE "processor\t: 0\nflags\t\t: fpu vme de pse ssse3\n"
#define CPU_VM   "processor\t: 0\nflags\t\t: fpu vme de pse ssse3 hypervisor\n"
#define MODULES_INTEL "kvm_intel 380928 0 - Live 0x0\nkvm 1146880 1 kvm_intel, Live 0x0\n"
#define MODULES_AMD   "kvm_amd 155648 0 - Live 0x0\nkvm 1146880 1 kvm_amd, Live 0x0\n"
#define MODULES_KVM   "kvm 1146880 0 - Live 0x0\nloop 32768 0 - Live 0x0\n"
#define MODULES_NONE  "loop 32768 0 - Live 0x0\n"

typedef struct {
  char *root;
} Tree;

static void
tree_put (Tree       *tree,
          const char *path,
          const char *contents,
          int         mode)
{
  g_autofree char *full = g_build_filename (tree->root, path, NULL);
  g_autofree char *dir = g_path_get_dirname (full);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (full, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (full, mode), ==, 0);
}

static void
tree_mkdir (Tree       *tree,
            const char *path)
{
  g_autofree char *full = g_build_filename (tree->root, path, NULL);

  g_assert_cmpint (g_mkdir_with_parents (full, 0755), ==, 0);
}

/* A healthy Intel host without libvirt sockets: every KVM item passes. */
static void
tree_setup (Tree          *tree,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  tree->root = g_dir_make_tmp ("vmdesk-host-XXXXXX", &error);
  g_assert_no_error (error);
  tree_put (tree, "proc/cpuinfo", CPU_VMX, 0444);
  tree_put (tree, "proc/modules", MODULES_INTEL, 0444);
  tree_put (tree, "dev/kvm", "", 0660);
  tree_put (tree, "usr/bin/qemu-system-x86_64", "#!/bin/sh\n", 0755);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
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

static VmdHostCheck *
run_check_full (Tree           *tree,
                GVirConnection *connection,
                gboolean        session)
{
  VmdHostCheck *check = vmd_host_check_new (tree->root, connection, session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_host_check_run_async (check, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 10000));
  g_assert_true (vmd_host_check_run_finish (check, result, &error));
  g_assert_no_error (error);
  return check;
}

static VmdHostCheck *
run_check (Tree *tree)
{
  return run_check_full (tree, NULL, FALSE);
}

static VmdHostCheckItem *
item (VmdHostCheck *check,
      const char   *id)
{
  VmdHostCheckItem *found = vmd_host_check_find_item (check, id);

  g_assert_nonnull (found);
  return found;
}

static void
assert_item (VmdHostCheck       *check,
             const char         *id,
             VmdHostCheckStatus  status,
             const char         *in_detail,
             const char         *in_fix)
{
  VmdHostCheckItem *found = item (check, id);

  g_test_message ("%s: %s / %s", id, vmd_host_check_item_get_detail (found),
                  vmd_host_check_item_get_fix (found));
  g_assert_cmpint (vmd_host_check_item_get_status (found), ==, status);
  g_assert_nonnull (vmd_host_check_item_get_title (found));
  if (in_detail != NULL)
    g_assert_nonnull (strstr (vmd_host_check_item_get_detail (found), in_detail));
  if (in_fix != NULL)
    g_assert_nonnull (strstr (vmd_host_check_item_get_fix (found), in_fix));
  if (status == VMD_HOST_CHECK_STATUS_OK)
    g_assert_null (vmd_host_check_item_get_fix (found));
  else
    g_assert_nonnull (vmd_host_check_item_get_fix (found));
}

/* --- CPU ---------------------------------------------------------------------------------- */

static void
test_healthy_intel (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = run_check (tree);
  const char *order[] = { "cpu", "modules", "dev-kvm", "daemon", "emulator", "domain-caps" };
  GListModel *items = vmd_host_check_get_items (check);

  g_assert_cmpuint (g_list_model_get_n_items (items), ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(VmdHostCheckItem) it = g_list_model_get_item (items, i);

      g_assert_cmpstr (vmd_host_check_item_get_id (it), ==, order[i]);
    }
  assert_item (check, "cpu", VMD_HOST_CHECK_STATUS_OK, "VT-x", NULL);
  assert_item (check, "modules", VMD_HOST_CHECK_STATUS_OK, "kvm_intel", NULL);
  assert_item (check, "dev-kvm", VMD_HOST_CHECK_STATUS_OK, NULL, NULL);
  assert_item (check, "emulator", VMD_HOST_CHECK_STATUS_OK, "qemu-system-x86_64", NULL);
  assert_item (check, "domain-caps", VMD_HOST_CHECK_STATUS_WARNING, "Not checked", NULL);
  g_assert_cmpint (vmd_host_check_get_kvm_support (check), ==, VMD_KVM_USABLE);
}

static void
test_healthy_amd (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;

  tree_put (tree, "proc/cpuinfo", CPU_SVM, 0444);
  tree_put (tree, "proc/modules", MODULES_AMD, 0444);
  check = run_check (tree);
  assert_item (check, "cpu", VMD_HOST_CHECK_STATUS_OK, "AMD-V", NULL);
  assert_item (check, "modules", VMD_HOST_CHECK_STATUS_OK, "kvm_amd", NULL);
  g_assert_cmpint (vmd_host_check_get_kvm_support (check), ==, VMD_KVM_USABLE);
}

static void
test_cpu_without_extension (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;
  g_autofree char *kvm = g_build_filename (tree->root, "dev/kvm", NULL);

  tree_put (tree, "proc/cpuinfo", CPU_NONE, 0444);
  tree_put (tree, "proc/modules", MODULES_NONE, 0444);
  g_unlink (kvm);
  check = run_check (tree);
  assert_item (check, "cpu", VMD_HOST_CHECK_STATUS_FAILED, "neither", "firmware");
  assert_item (check, "modules", VMD_HOST_CHECK_STATUS_FAILED, "not loaded", "kvm_amd");
  assert_item (check, "dev-kvm", VMD_HOST_CHECK_STATUS_FAILED, "does not exist", NULL);
  g_assert_cmpint (vmd_host_check_get_kvm_support (check), !=, VMD_KVM_USABLE);
}

static void
test_cpu_in_virtual_machine (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;
  g_autofree char *kvm = g_build_filename (tree->root, "dev/kvm", NULL);

  tree_put (tree, "proc/cpuinfo", CPU_VM, 0444);
  g_unlink (kvm);
  check = run_check (tree);
  assert_item (check, "cpu", VMD_HOST_CHECK_STATUS_FAILED, "virtual machine", "nested");
}

/* A /dev/kvm without the flags (kvm_pvm; this test bed's own host): guests may hang, so it is a
 * warning, KVM is doubtful, and nothing says to turn on nested virtualization. */
static void
test_cpu_without_flags_but_kvm (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;
  VmdHostCheckItem *cpu;

  tree_put (tree, "proc/cpuinfo", CPU_VM, 0444);
  tree_put (tree, "proc/modules", "kvm_pvm 1 0 - Live 0x0\nkvm 2 1 kvm_pvm, Live 0x0\n", 0444);
  check = run_check (tree);
  assert_item (check, "cpu", VMD_HOST_CHECK_STATUS_WARNING, "nested or paravirtual KVM", "emulated");
  assert_item (check, "modules", VMD_HOST_CHECK_STATUS_OK, "kvm_pvm", NULL);
  cpu = item (check, "cpu");
  g_assert_null (strstr (vmd_host_check_item_get_fix (cpu), "nested=1"));
  g_assert_cmpint (vmd_host_check_get_kvm_support (check), ==, VMD_KVM_DOUBTFUL);
  g_assert_cmpstr (vmd_host_check_get_vendor_module (check), ==, "kvm_pvm");
}

/* Outside the kvm group on such a host: the advice is the group, not nested virtualization. */
static void
test_not_in_kvm_group (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;
  g_autofree char *kvm = g_build_filename (tree->root, "dev/kvm", NULL);
  VmdHostCheckItem *cpu;

  tree_put (tree, "proc/cpuinfo", CPU_VM, 0444);
  tree_put (tree, "proc/modules", "kvm_pvm 1 0 - Live 0x0\nkvm 2 1 kvm_pvm, Live 0x0\n", 0444);
  if (geteuid () == 0)
    g_assert_cmpint (chown (kvm, 54321, 54321), ==, 0);
  check = run_check (tree);
  assert_item (check, "dev-kvm", VMD_HOST_CHECK_STATUS_FAILED, "group", "adduser");
  cpu = item (check, "cpu");
  g_assert_null (strstr (vmd_host_check_item_get_detail (cpu), "itself a virtual machine"));
  g_assert_null (strstr (vmd_host_check_item_get_fix (cpu), "nested=1"));
  g_assert_cmpint (vmd_host_check_get_kvm_support (check), ==, VMD_KVM_UNAVAILABLE);
}

/* The one rule, as a table. */
static void
test_kvm_support_decide (void)
{
  const struct {
    gboolean       local;
    const char    *flag;
    gboolean       dev_kvm;
    gboolean       libvirt;
    VmdKvmSupport  want;
  } cases[] = {
    { TRUE,  "vmx", TRUE,  TRUE,  VMD_KVM_USABLE },
    { TRUE,  "svm", TRUE,  TRUE,  VMD_KVM_USABLE },
    { TRUE,  NULL,  TRUE,  TRUE,  VMD_KVM_DOUBTFUL },
    { TRUE,  NULL,  FALSE, TRUE,  VMD_KVM_UNAVAILABLE },
    { TRUE,  "vmx", TRUE,  FALSE, VMD_KVM_UNAVAILABLE },
    { TRUE,  NULL,  TRUE,  FALSE, VMD_KVM_UNAVAILABLE },
    { FALSE, NULL,  FALSE, TRUE,  VMD_KVM_USABLE },
    { FALSE, NULL,  FALSE, FALSE, VMD_KVM_UNAVAILABLE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (vmd_kvm_support_decide (cases[i].local, cases[i].flag, cases[i].dev_kvm,
                                             cases[i].libvirt), ==, cases[i].want);
}

static void
test_cpuinfo_unreadable (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;
  g_autofree char *cpuinfo = g_build_filename (tree->root, "proc/cpuinfo", NULL);

  g_unlink (cpuinfo);
  check = run_check (tree);
  assert_item (check, "cpu", VMD_HOST_CHECK_STATUS_FAILED, "could not be read", "/proc");
}

/* --- modules ------------------------------------------------------------------------------- */

static void
test_modules_vendor_missing (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;

  tree_put (tree, "proc/modules", MODULES_KVM, 0444);
  check = run_check (tree);
  assert_item (check, "modules", VMD_HOST_CHECK_STATUS_FAILED, "kvm_intel is not", "modprobe kvm_intel");
}

static void
test_modules_none (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;

  tree_put (tree, "proc/modules", MODULES_NONE, 0444);
  check = run_check (tree);
  assert_item (check, "modules", VMD_HOST_CHECK_STATUS_FAILED, "not loaded", "modprobe kvm_intel");
}

/* Built-in modules are missing from /proc/modules but present in /sys/module. */
static void
test_modules_built_in (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;
  g_autofree char *modules = g_build_filename (tree->root, "proc/modules", NULL);

  g_unlink (modules);
  tree_mkdir (tree, "sys/module/kvm");
  tree_mkdir (tree, "sys/module/kvm_intel");
  check = run_check (tree);
  assert_item (check, "modules", VMD_HOST_CHECK_STATUS_OK, "kvm_intel", NULL);
}

/* --- /dev/kvm ------------------------------------------------------------------------------ */

/* Mode 0 models "not usable": the check reads permission bits, which root does not bypass. */
static void
test_dev_kvm_mode_zero (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;

  tree_put (tree, "dev/kvm", "", 0);
  check = run_check (tree);
  assert_item (check, "dev-kvm", VMD_HOST_CHECK_STATUS_FAILED, "0000", "chmod 0660");
  g_assert_cmpint (vmd_host_check_get_kvm_support (check), !=, VMD_KVM_USABLE);
}

static void
test_dev_kvm_other_group (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;
  g_autofree char *kvm = g_build_filename (tree->root, "dev/kvm", NULL);

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to give the file to another owner");
      return;
    }
  g_assert_cmpint (chown (kvm, 54321, 54321), ==, 0);
  check = run_check (tree);
  assert_item (check, "dev-kvm", VMD_HOST_CHECK_STATUS_FAILED, "group", "adduser");
  g_assert_cmpint (vmd_host_check_get_kvm_support (check), !=, VMD_KVM_USABLE);
}

static void
test_dev_kvm_world_usable (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;
  g_autofree char *kvm = g_build_filename (tree->root, "dev/kvm", NULL);

  if (geteuid () == 0)
    g_assert_cmpint (chown (kvm, 54321, 54321), ==, 0);
  g_assert_cmpint (g_chmod (kvm, 0666), ==, 0);
  check = run_check (tree);
  assert_item (check, "dev-kvm", VMD_HOST_CHECK_STATUS_OK, NULL, NULL);
}

/* --- daemon and emulator without libvirt ---------------------------------------------------- */

static void
test_daemon_sockets (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) without = run_check (tree);
  g_autoptr(VmdHostCheck) with = NULL;
  g_autoptr(VmdHostCheck) session = NULL;

  assert_item (without, "daemon", VMD_HOST_CHECK_STATUS_FAILED, "not running", "libvirtd");
  tree_put (tree, "run/libvirt/virtqemud-sock", "", 0666);
  with = run_check (tree);
  assert_item (with, "daemon", VMD_HOST_CHECK_STATUS_OK, "virtqemud-sock", NULL);
  session = run_check_full (tree, NULL, TRUE);
  assert_item (session, "daemon", VMD_HOST_CHECK_STATUS_OK, "session", NULL);
}

static void
test_emulator_missing (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;
  g_autofree char *qemu = g_build_filename (tree->root, "usr/bin/qemu-system-x86_64", NULL);

  g_unlink (qemu);
  check = run_check (tree);
  assert_item (check, "emulator", VMD_HOST_CHECK_STATUS_FAILED, NULL, "qemu-system-x86");
}

/* --- qemu:///session bridge helper ------------------------------------------------------------ */

static void
put_helper (Tree *tree,
            int   mode)
{
  tree_put (tree, "usr/lib/qemu/qemu-bridge-helper", "", mode);
}

static void
test_bridge_conf_missing (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) check = NULL;
  g_autoptr(VmdHostCheck) system = run_check (tree);

  g_assert_null (vmd_host_check_find_item (system, "bridge-conf"));
  put_helper (tree, 04755);
  check = run_check_full (tree, NULL, TRUE);
  assert_item (check, "bridge-conf", VMD_HOST_CHECK_STATUS_FAILED, "does not exist", "allow br0");
}

static void
test_bridge_conf_rules (Tree *tree, gconstpointer data)
{
  const struct {
    const char         *conf;
    const char         *included;
    VmdHostCheckStatus  status;
    const char         *detail;
  } cases[] = {
    { "allow br0\n",                   NULL, VMD_HOST_CHECK_STATUS_OK,     "allows br0" },
    { "# comment\n  allow   br0  # x\n", NULL, VMD_HOST_CHECK_STATUS_OK,   "allows br0" },
    { "allow all\n",                   NULL, VMD_HOST_CHECK_STATUS_OK,     "allows br0" },
    { "allow virbr0\n",                NULL, VMD_HOST_CHECK_STATUS_FAILED, "does not allow" },
    { "# allow br0\n",                 NULL, VMD_HOST_CHECK_STATUS_FAILED, "does not allow" },
    { "allow all\ndeny br0\n",         NULL, VMD_HOST_CHECK_STATUS_FAILED, "denies" },
    { "deny all\nallow br0\n",         NULL, VMD_HOST_CHECK_STATUS_FAILED, "denies" },
    { "include /etc/qemu/more.conf\n", "allow br0\n", VMD_HOST_CHECK_STATUS_OK, "allows br0" },
    { "include /etc/qemu/more.conf\n", "allow br1\n", VMD_HOST_CHECK_STATUS_FAILED, "does not allow" },
    { "",                              NULL, VMD_HOST_CHECK_STATUS_FAILED, "does not allow" },
  };

  put_helper (tree, 04755);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VmdHostCheck) check = NULL;

      tree_put (tree, "etc/qemu/bridge.conf", cases[i].conf, 0644);
      tree_put (tree, "etc/qemu/more.conf", cases[i].included != NULL ? cases[i].included : "", 0644);
      check = run_check_full (tree, NULL, TRUE);
      g_test_message ("case %u: %s", i, cases[i].conf);
      assert_item (check, "bridge-conf", cases[i].status, cases[i].detail, NULL);
    }
}

/* The assistant's question for a session machine, answered with the Host window's words. */
static void
test_session_bridge_problem (Tree *tree, gconstpointer data)
{
  g_autofree char *no_conf = NULL;
  g_autofree char *not_setuid = NULL;
  g_autofree char *allowed = NULL;

  put_helper (tree, 0755);
  no_conf = vmd_host_check_session_bridge_problem (tree->root, "br0");
  g_assert_nonnull (strstr (no_conf, "does not exist"));
  g_assert_nonnull (strstr (no_conf, "allow br0"));
  tree_put (tree, "etc/qemu/bridge.conf", "allow br0\n", 0644);
  not_setuid = vmd_host_check_session_bridge_problem (tree->root, "br0");
  g_assert_nonnull (strstr (not_setuid, "dpkg-statoverride"));
  g_assert_null (strstr (not_setuid, "bridge.conf"));
  if (geteuid () != 0)
    return;
  put_helper (tree, 04755);
  allowed = vmd_host_check_session_bridge_problem (tree->root, "br0");
  g_assert_null (allowed);
}

static void
test_bridge_helper (Tree *tree, gconstpointer data)
{
  g_autoptr(VmdHostCheck) missing = NULL;
  g_autoptr(VmdHostCheck) plain = NULL;
  g_autoptr(VmdHostCheck) setuid = NULL;

  tree_put (tree, "etc/qemu/bridge.conf", "allow br0\n", 0644);
  missing = run_check_full (tree, NULL, TRUE);
  assert_item (missing, "bridge-helper", VMD_HOST_CHECK_STATUS_FAILED, "missing", "qemu-system-common");
  put_helper (tree, 0755);
  plain = run_check_full (tree, NULL, TRUE);
  assert_item (plain, "bridge-helper", VMD_HOST_CHECK_STATUS_FAILED, "not setuid", "dpkg-statoverride");
  if (geteuid () != 0)
    return;
  put_helper (tree, 04755);
  setuid = run_check_full (tree, NULL, TRUE);
  assert_item (setuid, "bridge-helper", VMD_HOST_CHECK_STATUS_OK, "setuid root", NULL);
}

/* --- with a libvirt connection ---------------------------------------------------------------- */

/* The test driver answers, knows no x86_64 emulator and has no domain capabilities: so libvirt
 * says no KVM even though /dev/kvm is fine. */
static void
test_libvirt_test_driver (Tree *tree, gconstpointer data)
{
  GVirConnection *gconn = gvir_connection_new ("test:///default");
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdHostCheck) check = NULL;

  gvir_connection_open (gconn, NULL, &error);
  g_assert_no_error (error);
  check = run_check_full (tree, gconn, FALSE);
  assert_item (check, "daemon", VMD_HOST_CHECK_STATUS_OK, "test:///default", NULL);
  assert_item (check, "emulator", VMD_HOST_CHECK_STATUS_FAILED, "x86_64", NULL);
  assert_item (check, "domain-caps", VMD_HOST_CHECK_STATUS_FAILED, "emulated", NULL);
  assert_item (check, "dev-kvm", VMD_HOST_CHECK_STATUS_OK, NULL, NULL);
  g_assert_cmpint (vmd_host_check_get_kvm_support (check), !=, VMD_KVM_USABLE);
  g_clear_object (&check);
  gvir_connection_close (gconn);
  g_object_unref (gconn);
}

static void
test_not_run_is_not_usable (void)
{
  g_autoptr(VmdHostCheck) check = vmd_host_check_new ("/nonexistent", NULL, FALSE);

  g_assert_cmpuint (g_list_model_get_n_items (vmd_host_check_get_items (check)), ==, 0);
  g_assert_cmpint (vmd_host_check_get_kvm_support (check), !=, VMD_KVM_USABLE);
}

int
main (int    argc,
      char **argv)
{
  vmd_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Tree, NULL, tree_setup, func, tree_teardown)
  ADD ("/host-check/cpu/intel", test_healthy_intel);
  ADD ("/host-check/cpu/amd", test_healthy_amd);
  ADD ("/host-check/cpu/none", test_cpu_without_extension);
  ADD ("/host-check/cpu/virtual-machine", test_cpu_in_virtual_machine);
  ADD ("/host-check/cpu/no-flags-but-kvm", test_cpu_without_flags_but_kvm);
  ADD ("/host-check/cpu/unreadable", test_cpuinfo_unreadable);
  ADD ("/host-check/modules/vendor-missing", test_modules_vendor_missing);
  ADD ("/host-check/modules/none", test_modules_none);
  ADD ("/host-check/modules/built-in", test_modules_built_in);
  ADD ("/host-check/dev-kvm/mode-zero", test_dev_kvm_mode_zero);
  ADD ("/host-check/dev-kvm/other-group", test_dev_kvm_other_group);
  ADD ("/host-check/dev-kvm/world-usable", test_dev_kvm_world_usable);
  ADD ("/host-check/daemon/sockets", test_daemon_sockets);
  ADD ("/host-check/emulator/missing", test_emulator_missing);
  ADD ("/host-check/bridge/conf-missing", test_bridge_conf_missing);
  ADD ("/host-check/bridge/conf-rules", test_bridge_conf_rules);
  ADD ("/host-check/bridge/helper", test_bridge_helper);
  ADD ("/host-check/bridge/session-problem", test_session_bridge_problem);
  ADD ("/host-check/libvirt/test-driver", test_libvirt_test_driver);
  ADD ("/host-check/dev-kvm/not-in-group-no-flags", test_not_in_kvm_group);
#undef ADD
  g_test_add_func ("/host-check/not-run", test_not_run_is_not_usable);
  g_test_add_func ("/host-check/kvm-support/decide", test_kvm_support_decide);

  return g_test_run ();
}
