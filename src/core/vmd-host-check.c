/* VmdHostCheck: reads what the kernel, /dev and libvirt say about KVM, and turns each fact into an
 * item with a status and a fix in words. All reads happen in a GTask thread; paths go through a
 * root prefix so the unit tests can feed fake trees. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vmd-host-check.h"

#define BRIDGE_HELPER "usr/lib/qemu/qemu-bridge-helper"
#define BRIDGE_CONF   "/etc/qemu/bridge.conf"

/* --- VmdHostCheck ---------------------------------------------------------------------------- */

struct _VmdHostCheck
{
  GObject         parent_instance;

  char           *root;
  GVirConnection *connection;
  gboolean        session;
  char           *bridge;
  GListStore     *items;       /* of VmdHostCheckItem */
  VmdKvmSupport   kvm;
  const char     *vendor_module;
};

G_DEFINE_FINAL_TYPE (VmdHostCheck, vmd_host_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOT,
  PROP_CONNECTION,
  PROP_SESSION,
  PROP_BRIDGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What one run needs and finds; lives in the worker thread until the items are made. */
typedef struct {
  char          *root;
  virConnectPtr  conn;         /* NULL when no libvirt connection was given */
  char          *uri;
  gboolean       session;
  char          *bridge;
  GPtrArray     *items;

  const char    *cpu_flag;     /* "vmx", "svm" or NULL */
  const char    *vendor_module;
  gboolean       dev_kvm_present;
  gboolean       dev_kvm_usable;
  gboolean       libvirt_offers_kvm;
} Probe;

static void
probe_free (Probe *probe)
{
  g_free (probe->root);
  g_clear_pointer (&probe->conn, virConnectClose);
  g_free (probe->uri);
  g_free (probe->bridge);
  g_clear_pointer (&probe->items, g_ptr_array_unref);
  g_free (probe);
}

static char *
host_path (Probe      *probe,
           const char *path)
{
  return g_build_filename (probe->root, path, NULL);
}

static char *
read_host_file (Probe      *probe,
                const char *path)
{
  g_autofree char *full = host_path (probe, path);
  char *contents = NULL;

  if (!g_file_get_contents (full, &contents, NULL, NULL))
    return NULL;
  return contents;
}

static void
add_item (Probe              *probe,
          const char         *id,
          const char         *title,
          VmdHostCheckStatus  status,
          char               *detail,
          char               *fix)
{
  g_ptr_array_add (probe->items, vmd_host_check_item_new (id, title, status, detail, fix));
}

/* --- CPU ---------------------------------------------------------------------------------- */

static gboolean
flags_have (const char *cpuinfo,
            const char *flag)
{
  g_auto(GStrv) lines = g_strsplit (cpuinfo, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;

      if (!g_str_has_prefix (lines[i], "flags"))
        continue;
      words = g_strsplit_set (strchr (lines[i], ':') != NULL ? strchr (lines[i], ':') + 1 : "",
                              " \t", -1);
      return g_strv_contains ((const char * const *) words, flag);
    }
  return FALSE;
}

static void
check_cpu (Probe      *probe,
           const char *cpuinfo)
{
  const char *title = _("CPU virtualization extension");

  if (cpuinfo == NULL)
    {
      add_item (probe, "cpu", title, VMD_HOST_CHECK_STATUS_FAILED,
                g_strdup (_("/proc/cpuinfo could not be read.")),
                g_strdup (_("Make sure /proc is mounted.")));
      return;
    }
  if (probe->cpu_flag != NULL)
    {
      add_item (probe, "cpu", title, VMD_HOST_CHECK_STATUS_OK,
                g_strdup (g_str_equal (probe->cpu_flag, "vmx")
                            ? _("The processor has Intel VT-x (vmx).")
                            : _("The processor has AMD-V (svm).")),
                NULL);
      return;
    }

  /* Some kernels give a /dev/kvm without the flags (kvm_pvm, a nested hypervisor's paravirtual
   * KVM): guests may then hang in real mode, so it is a warning, and the advice is not about
   * nested virtualization, which the host may well have. Who may open /dev/kvm is the /dev/kvm
   * item's business, not this one's. */
  if (probe->dev_kvm_present)
    add_item (probe, "cpu", title, VMD_HOST_CHECK_STATUS_WARNING,
              g_strdup_printf (_("The processor shows neither Intel VT-x (vmx) nor AMD-V (svm), yet "
                                 "/dev/kvm exists (through %s): a nested or paravirtual KVM, which "
                                 "may not run guests."),
                               probe->vendor_module != NULL ? probe->vendor_module : "kvm"),
              g_strdup (_("New machines run emulated, which always works. You can choose KVM for "
                          "a machine in the New Virtual Machine assistant or in its Details; if "
                          "it hangs at boot, go back to emulation.")));
  else if (flags_have (cpuinfo, "hypervisor"))
    add_item (probe, "cpu", title, VMD_HOST_CHECK_STATUS_FAILED,
              g_strdup (_("The processor shows neither Intel VT-x (vmx) nor AMD-V (svm). This "
                          "computer is itself a virtual machine.")),
              g_strdup (_("Turn on nested virtualization on the host that runs this machine "
                          "(for KVM: the “nested=1” option of kvm_intel or kvm_amd, and the "
                          "“host-passthrough” CPU model).")));
  else
    add_item (probe, "cpu", title, VMD_HOST_CHECK_STATUS_FAILED,
              g_strdup (_("The processor shows neither Intel VT-x (vmx) nor AMD-V (svm).")),
              g_strdup (_("Turn on “Intel Virtualization Technology” (VT-x) or “SVM Mode” "
                          "(AMD-V) in the firmware (BIOS/UEFI) setup, then restart.")));
}

/* --- kernel modules ---------------------------------------------------------------------------- */

/* Loaded modules are in /proc/modules; built-in ones only appear in /sys/module. */
static gboolean
module_present (Probe      *probe,
                const char *modules,
                const char *name)
{
  g_autofree char *sys = g_build_filename (probe->root, "sys/module", name, NULL);

  if (modules != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (modules, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          const char *space = strchr (lines[i], ' ');
          gsize len = space != NULL ? (gsize) (space - lines[i]) : strlen (lines[i]);

          if (len == strlen (name) && strncmp (lines[i], name, len) == 0)
            return TRUE;
        }
    }
  return g_file_test (sys, G_FILE_TEST_IS_DIR);
}

static void
check_modules (Probe      *probe,
               const char *modules)
{
  const char *title = _("KVM kernel modules");
  const char *wanted = NULL;
  gboolean kvm = module_present (probe, modules, "kvm");

  if (g_strcmp0 (probe->cpu_flag, "vmx") == 0)
    wanted = "kvm_intel";
  else if (g_strcmp0 (probe->cpu_flag, "svm") == 0)
    wanted = "kvm_amd";

  if (wanted != NULL && module_present (probe, modules, wanted))
    probe->vendor_module = wanted;
  else if (wanted == NULL)
    {
      const char *any[] = { "kvm_intel", "kvm_amd", "kvm_pvm" };

      for (guint i = 0; i < G_N_ELEMENTS (any) && probe->vendor_module == NULL; i++)
        if (module_present (probe, modules, any[i]))
          probe->vendor_module = any[i];
    }

  if (kvm && probe->vendor_module != NULL)
    add_item (probe, "modules", title, VMD_HOST_CHECK_STATUS_OK,
              g_strdup_printf (_("kvm and %s are loaded."), probe->vendor_module), NULL);
  else if (kvm)
    add_item (probe, "modules", title, VMD_HOST_CHECK_STATUS_FAILED,
              g_strdup_printf (_("kvm is loaded, but %s is not."),
                               wanted != NULL ? wanted : _("neither kvm_intel nor kvm_amd")),
              g_strdup_printf (_("Load it as root: “modprobe %s”. If it refuses, “dmesg” says "
                                 "why (often: virtualization is turned off in the firmware)."),
                               wanted != NULL ? wanted : "kvm_intel” or “modprobe kvm_amd"));
  else
    add_item (probe, "modules", title, VMD_HOST_CHECK_STATUS_FAILED,
              g_strdup (_("The kvm module is not loaded.")),
              g_strdup_printf (_("Load it as root: “modprobe %s”, which loads kvm with it."),
                               wanted != NULL ? wanted : "kvm_intel” or “modprobe kvm_amd"));
}

/* --- /dev/kvm ---------------------------------------------------------------------------------- */

static gboolean
in_group (gid_t gid)
{
  gid_t groups[256];
  int n;

  if (getegid () == gid)
    return TRUE;
  n = getgroups (G_N_ELEMENTS (groups), groups);
  for (int i = 0; i < n; i++)
    if (groups[i] == gid)
      return TRUE;
  return FALSE;
}

/* Judged from the permission bits, not access(): root passes access() on any file, so the bits
 * are what tells whether the node is set up for use, and it makes the check testable as root.
 * The owner class, then the group class, then the others apply, as the kernel does. */
static gboolean
mode_allows_read_write (const struct stat *st)
{
  mode_t mode = st->st_mode;

  if (geteuid () == st->st_uid)
    return (mode & (S_IRUSR | S_IWUSR)) == (S_IRUSR | S_IWUSR);
  if (in_group (st->st_gid))
    return (mode & (S_IRGRP | S_IWGRP)) == (S_IRGRP | S_IWGRP);
  return (mode & (S_IROTH | S_IWOTH)) == (S_IROTH | S_IWOTH);
}

static char *
group_name (gid_t gid)
{
  struct group grp, *found = NULL;
  char buf[1024];

  if (getgrgid_r (gid, &grp, buf, sizeof buf, &found) == 0 && found != NULL)
    return g_strdup (found->gr_name);
  return g_strdup_printf ("%u", (guint) gid);
}

static void
check_dev_kvm (Probe *probe)
{
  const char *title = _("/dev/kvm usable");
  g_autofree char *path = host_path (probe, "dev/kvm");
  g_autofree char *group = NULL;
  struct stat st;

  if (stat (path, &st) != 0)
    {
      add_item (probe, "dev-kvm", title, VMD_HOST_CHECK_STATUS_FAILED,
                g_strdup (_("/dev/kvm does not exist.")),
                g_strdup (_("It appears when the KVM modules load: see “KVM kernel modules”. In "
                            "a container, pass the host's /dev/kvm through.")));
      return;
    }
  probe->dev_kvm_present = TRUE;
  if (mode_allows_read_write (&st))
    {
      probe->dev_kvm_usable = TRUE;
      add_item (probe, "dev-kvm", title, VMD_HOST_CHECK_STATUS_OK,
                g_strdup_printf (_("/dev/kvm is there and %s may use it."), g_get_user_name ()),
                NULL);
      return;
    }

  group = group_name (st.st_gid);
  if ((st.st_mode & (S_IRGRP | S_IWGRP)) == (S_IRGRP | S_IWGRP) && st.st_gid != 0)
    add_item (probe, "dev-kvm", title, VMD_HOST_CHECK_STATUS_FAILED,
              g_strdup_printf (_("/dev/kvm belongs to the group “%s”, and %s is not in it."),
                               group, g_get_user_name ()),
              g_strdup_printf (_("Add yourself to the group as root (“adduser %s %s”), then log "
                                 "out and back in."), g_get_user_name (), group));
  else
    add_item (probe, "dev-kvm", title, VMD_HOST_CHECK_STATUS_FAILED,
              g_strdup_printf (_("/dev/kvm has mode %04o, so %s may not read and write it."),
                               (guint) (st.st_mode & 07777), g_get_user_name ()),
              g_strdup (_("Give it to the kvm group as udev does, as root: “chgrp kvm /dev/kvm && "
                          "chmod 0660 /dev/kvm”, and add yourself to that group.")));
}

/* --- libvirt ----------------------------------------------------------------------------------- */

static char *
libvirt_message (void)
{
  const char *message = virGetLastErrorMessage ();
  char *copy = g_strdup (message != NULL && *message != '\0' ? message : _("libvirt gave no reason"));

  virResetLastError ();
  return copy;
}

static void
check_daemon (Probe *probe)
{
  const char *title = _("libvirt daemon reachable");
  const char *sockets[] = { "run/libvirt/libvirt-sock", "run/libvirt/virtqemud-sock" };
  unsigned long version = 0;

  if (probe->conn != NULL)
    {
      if (virConnectIsAlive (probe->conn) == 1 && virConnectGetLibVersion (probe->conn, &version) == 0)
        add_item (probe, "daemon", title, VMD_HOST_CHECK_STATUS_OK,
                  g_strdup_printf (_("Connected to %s (libvirt %lu.%lu.%lu)."), probe->uri,
                                   version / 1000000, version / 1000 % 1000, version % 1000),
                  NULL);
      else
        {
          g_autofree char *message = libvirt_message ();

          add_item (probe, "daemon", title, VMD_HOST_CHECK_STATUS_FAILED,
                    g_strdup_printf (_("The connection to %s does not answer: %s"), probe->uri,
                                     message),
                    g_strdup (_("Start the libvirt daemon as root (“systemctl start libvirtd”); "
                                "VM Desk reconnects by itself.")));
        }
      return;
    }
  if (probe->session)
    {
      add_item (probe, "daemon", title, VMD_HOST_CHECK_STATUS_OK,
                g_strdup (_("qemu:///session starts its own daemon when VM Desk connects.")), NULL);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    {
      g_autofree char *path = host_path (probe, sockets[i]);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          add_item (probe, "daemon", title, VMD_HOST_CHECK_STATUS_OK,
                    g_strdup_printf (_("The system daemon listens on /%s."), sockets[i]), NULL);
          return;
        }
    }
  add_item (probe, "daemon", title, VMD_HOST_CHECK_STATUS_FAILED,
            g_strdup (_("The system libvirt daemon is not running (no socket in /run/libvirt).")),
            g_strdup (_("Install libvirt-daemon-system and start it as root: “systemctl enable "
                        "--now libvirtd”.")));
}

/* libvirt lists a guest architecture only when it found its emulator binary. */
static char *
find_emulator (const char *caps_xml)
{
  g_autoptr(GObject) caps = NULL;     /* libvirt-gconfig 4.0 defines no autoptr cleanups */
  GList *guests;
  char *emulator = NULL;

  caps = G_OBJECT (gvir_config_capabilities_new_from_xml (caps_xml, NULL));
  if (caps == NULL)
    return NULL;
  guests = gvir_config_capabilities_get_guests (GVIR_CONFIG_CAPABILITIES (caps));
  for (GList *l = guests; l != NULL && emulator == NULL; l = l->next)
    {
      GVirConfigCapabilitiesGuestArch *arch = gvir_config_capabilities_guest_get_arch (l->data);

      if (arch == NULL)
        continue;
      if (g_strcmp0 (gvir_config_capabilities_guest_arch_get_name (arch), "x86_64") == 0)
        emulator = g_strdup (gvir_config_capabilities_guest_arch_get_emulator (arch));
      g_object_unref (arch);
    }
  g_list_free_full (guests, g_object_unref);
  return emulator;
}

static void
check_emulator (Probe *probe)
{
  const char *title = _("QEMU emulator present");
  const char *fix = _("Install it as root: “apt install qemu-system-x86” (Debian, Ubuntu) or "
                      "“dnf install qemu-kvm” (Fedora), then restart the libvirt daemon.");
  const char *candidates[] = { "usr/bin/qemu-system-x86_64", "usr/libexec/qemu-kvm" };
  g_autofree char *emulator = NULL;

  if (probe->conn != NULL)
    {
      g_autofree char *caps = virConnectGetCapabilities (probe->conn);

      if (caps == NULL)
        {
          g_autofree char *message = libvirt_message ();

          add_item (probe, "emulator", title, VMD_HOST_CHECK_STATUS_FAILED,
                    g_strdup_printf (_("libvirt could not report its capabilities: %s"), message),
                    g_strdup (fix));
          return;
        }
      emulator = find_emulator (caps);
      if (emulator != NULL)
        add_item (probe, "emulator", title, VMD_HOST_CHECK_STATUS_OK,
                  g_strdup_printf (_("libvirt uses %s for x86_64 machines."), emulator), NULL);
      else
        add_item (probe, "emulator", title, VMD_HOST_CHECK_STATUS_FAILED,
                  g_strdup (_("libvirt knows no emulator for x86_64 machines.")), g_strdup (fix));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *path = host_path (probe, candidates[i]);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        {
          add_item (probe, "emulator", title, VMD_HOST_CHECK_STATUS_OK,
                    g_strdup_printf (_("/%s is installed."), candidates[i]), NULL);
          return;
        }
    }
  add_item (probe, "emulator", title, VMD_HOST_CHECK_STATUS_FAILED,
            g_strdup (_("No qemu-system-x86_64 is installed.")), g_strdup (fix));
}

/* The final word on KVM: libvirt refuses kvm domain capabilities when it cannot use KVM. */
static void
check_domain_caps (Probe *probe)
{
  const char *title = _("libvirt can use KVM");
  g_autofree char *caps = NULL;
  g_autofree char *message = NULL;

  if (probe->conn == NULL)
    {
      add_item (probe, "domain-caps", title, VMD_HOST_CHECK_STATUS_WARNING,
                g_strdup (_("Not checked: there is no libvirt connection.")),
                g_strdup (_("Connect to libvirt and run the check again.")));
      return;
    }
  caps = virConnectGetDomainCapabilities (probe->conn, NULL, "x86_64", NULL, "kvm", 0);
  if (caps != NULL)
    {
      probe->libvirt_offers_kvm = TRUE;
      add_item (probe, "domain-caps", title, VMD_HOST_CHECK_STATUS_OK,
                g_strdup_printf (_("%s offers kvm machines."), probe->uri), NULL);
      return;
    }
  message = libvirt_message ();
  add_item (probe, "domain-caps", title, VMD_HOST_CHECK_STATUS_FAILED,
            g_strdup_printf (_("%s offers no kvm machines, so they run emulated (TCG) and slowly: "
                               "%s"), probe->uri, message),
            g_strdup (probe->dev_kvm_usable
                        ? _("/dev/kvm works for you but not for libvirt: on qemu:///system, let "
                            "the libvirt-qemu user use /dev/kvm (the kvm group) and restart the "
                            "daemon.")
                        : _("Fix the items above, then restart the libvirt daemon.")));
}

/* --- qemu:///session bridges: /etc/qemu/bridge.conf and the setuid helper ---------------------- */

typedef enum { ACL_NONE, ACL_ALLOW, ACL_DENY } Acl;

/* The helper's rules: "allow NAME|all", "deny NAME|all", "include FILE"; a deny wins. */
static Acl
read_bridge_acl (Probe      *probe,
                 const char *path,
                 const char *bridge,
                 guint       depth)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  Acl acl = ACL_NONE;

  if (depth > 4 || (contents = read_host_file (probe, path)) == NULL)
    return ACL_NONE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      char *hash = strchr (lines[i], '#');

      if (hash != NULL)
        *hash = '\0';
      words = g_strsplit_set (g_strstrip (lines[i]), " \t", 2);
      if (words[0] == NULL || words[1] == NULL)
        continue;
      g_strstrip (words[1]);
      if (g_str_equal (words[0], "include"))
        {
          Acl included = read_bridge_acl (probe, words[1], bridge, depth + 1);

          acl = MAX (acl, included);
        }
      else if (g_str_equal (words[1], bridge) || g_str_equal (words[1], "all"))
        {
          if (g_str_equal (words[0], "deny"))
            acl = ACL_DENY;
          else if (g_str_equal (words[0], "allow"))
            acl = MAX (acl, ACL_ALLOW);
        }
    }
  return acl;
}

static void
check_bridge_conf (Probe *probe)
{
  const char *title = _("Bridge helper may use the bridge");
  g_autofree char *path = host_path (probe, BRIDGE_CONF);
  g_autofree char *fix = g_strdup_printf (_("Add the line “allow %s” to %s as root."),
                                          probe->bridge, BRIDGE_CONF);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      add_item (probe, "bridge-conf", title, VMD_HOST_CHECK_STATUS_FAILED,
                g_strdup_printf (_("%s does not exist, so qemu:///session machines cannot join "
                                   "any bridge."), BRIDGE_CONF),
                g_steal_pointer (&fix));
      return;
    }
  switch (read_bridge_acl (probe, BRIDGE_CONF, probe->bridge, 0))
    {
    case ACL_ALLOW:
      add_item (probe, "bridge-conf", title, VMD_HOST_CHECK_STATUS_OK,
                g_strdup_printf (_("%s allows %s."), BRIDGE_CONF, probe->bridge), NULL);
      break;
    case ACL_DENY:
      add_item (probe, "bridge-conf", title, VMD_HOST_CHECK_STATUS_FAILED,
                g_strdup_printf (_("%s denies %s."), BRIDGE_CONF, probe->bridge),
                g_strdup_printf (_("Remove the “deny” line that matches %s from %s, and add "
                                   "“allow %s”."), probe->bridge, BRIDGE_CONF, probe->bridge));
      break;
    case ACL_NONE:
    default:
      add_item (probe, "bridge-conf", title, VMD_HOST_CHECK_STATUS_FAILED,
                g_strdup_printf (_("%s does not allow %s."), BRIDGE_CONF, probe->bridge),
                g_steal_pointer (&fix));
      break;
    }
}

static void
check_bridge_helper (Probe *probe)
{
  const char *title = _("Bridge helper can create taps");
  g_autofree char *path = host_path (probe, BRIDGE_HELPER);
  struct stat st;

  if (stat (path, &st) != 0)
    add_item (probe, "bridge-helper", title, VMD_HOST_CHECK_STATUS_FAILED,
              g_strdup_printf (_("/%s is missing."), BRIDGE_HELPER),
              g_strdup (_("Install it as root: “apt install qemu-system-common”.")));
  else if (st.st_uid != 0 || (st.st_mode & S_ISUID) == 0)
    add_item (probe, "bridge-helper", title, VMD_HOST_CHECK_STATUS_FAILED,
              g_strdup_printf (_("/%s is not setuid root, so it cannot add a tap device to a "
                                 "bridge for an unprivileged user."), BRIDGE_HELPER),
              g_strdup_printf (_("Make it setuid root, as root: “dpkg-statoverride --update --add "
                                 "root root 4755 /%s”."), BRIDGE_HELPER));
  else
    add_item (probe, "bridge-helper", title, VMD_HOST_CHECK_STATUS_OK,
              g_strdup_printf (_("/%s is setuid root."), BRIDGE_HELPER), NULL);
}

/* NULL when a qemu:///session machine may join BRIDGE through qemu-bridge-helper (setuid root,
 * and /etc/qemu/bridge.conf allows BRIDGE), else what stands in the way and how to allow it:
 * the same words as the Host window's items. Reads files only: may run in any thread. */
char *
vmd_host_check_session_bridge_problem (const char *root,
                                       const char *bridge)
{
  Probe probe = { .root = (char *) (root != NULL ? root : "/"), .session = TRUE,
                  .bridge = (char *) bridge };
  g_autoptr(GString) text = g_string_new (NULL);

  probe.items = g_ptr_array_new_with_free_func (g_object_unref);
  check_bridge_conf (&probe);
  check_bridge_helper (&probe);
  for (guint i = 0; i < probe.items->len; i++)
    {
      VmdHostCheckItem *item = probe.items->pdata[i];

      if (vmd_host_check_item_get_status (item) != VMD_HOST_CHECK_STATUS_FAILED)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, "%s %s", vmd_host_check_item_get_detail (item),
                              vmd_host_check_item_get_fix (item) ?: "");
    }
  g_ptr_array_unref (probe.items);
  return text->len > 0 ? g_strdup (g_strstrip (text->str)) : NULL;
}

/* --- running --------------------------------------------------------------------------------- */

static void
run_in_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Probe *probe = task_data;
  g_autofree char *cpuinfo = read_host_file (probe, "proc/cpuinfo");
  g_autofree char *modules = read_host_file (probe, "proc/modules");
  g_autoptr(GPtrArray) cpu_items = NULL;

  if (cpuinfo != NULL)
    probe->cpu_flag = flags_have (cpuinfo, "vmx") ? "vmx" : flags_have (cpuinfo, "svm") ? "svm" : NULL;

  /* The CPU item's words depend on /dev/kvm, so it is made after it but listed first. */
  check_modules (probe, modules);
  check_dev_kvm (probe);
  cpu_items = g_steal_pointer (&probe->items);
  probe->items = g_ptr_array_new_with_free_func (g_object_unref);
  check_cpu (probe, cpuinfo);
  g_ptr_array_extend_and_steal (probe->items, g_steal_pointer (&cpu_items));

  if (!g_task_return_error_if_cancelled (task))
    {
      check_daemon (probe);
      check_emulator (probe);
      check_domain_caps (probe);
      if (probe->session)
        {
          check_bridge_conf (probe);
          check_bridge_helper (probe);
        }
      g_task_return_boolean (task, TRUE);
    }
}

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VmdHostCheck *self = g_task_get_source_object (task);
  Probe *probe = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The store changes here, on the main thread, in one items-changed. */
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       probe->items->pdata, probe->items->len);
  /* Without libvirt's word, /dev/kvm that the user may open is the best local answer. */
  self->kvm = vmd_kvm_support_decide (TRUE, probe->cpu_flag, probe->dev_kvm_present,
                                      probe->conn != NULL ? probe->libvirt_offers_kvm
                                                          : probe->dev_kvm_usable);
  self->vendor_module = probe->vendor_module;
  g_task_return_boolean (task, TRUE);
}

void
vmd_host_check_run_async (VmdHostCheck        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) probe_task = NULL;
  GTask *task;
  Probe *probe;

  g_return_if_fail (VMD_IS_HOST_CHECK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_host_check_run_async);

  probe = g_new0 (Probe, 1);
  probe->root = g_strdup (self->root);
  probe->session = self->session;
  probe->bridge = g_strdup (self->bridge);
  probe->items = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->connection != NULL && gvir_connection_is_open (self->connection))
    {
      g_object_get (self->connection, "handle", &probe->conn, NULL);
      probe->uri = g_strdup (gvir_connection_get_uri (self->connection));
    }

  probe_task = g_task_new (NULL, cancellable, on_probed, task);
  g_task_set_source_tag (probe_task, vmd_host_check_run_async);
  g_task_set_task_data (probe_task, probe, (GDestroyNotify) probe_free);
  g_task_run_in_thread (probe_task, run_in_thread);
}

gboolean
vmd_host_check_run_finish (VmdHostCheck  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

GListModel *
vmd_host_check_get_items (VmdHostCheck *self)
{
  g_return_val_if_fail (VMD_IS_HOST_CHECK (self), NULL);
  return G_LIST_MODEL (self->items);
}

VmdHostCheckItem *
vmd_host_check_find_item (VmdHostCheck *self,
                          const char   *id)
{
  guint n;

  g_return_val_if_fail (VMD_IS_HOST_CHECK (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdHostCheckItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (g_strcmp0 (vmd_host_check_item_get_id (item), id) == 0)
        return item;
    }
  return NULL;
}

/* The one rule for "is KVM usable?". libvirt's domain capabilities say whether it may open
 * /dev/kvm for its guests, but not whether guests then run: a /dev/kvm without the CPU's
 * vmx/svm (kvm_pvm, some nested hosts) is offered by libvirt, yet the tiny guest hangs after
 * "Probing EDD" there. Only a local host's /proc tells; a remote host is taken at libvirt's
 * word. */
VmdKvmSupport
vmd_kvm_support_decide (gboolean    local,
                        const char *cpu_flag,
                        gboolean    dev_kvm_present,
                        gboolean    libvirt_offers_kvm)
{
  if (!libvirt_offers_kvm)
    return VMD_KVM_UNAVAILABLE;
  if (!local || cpu_flag != NULL)
    return VMD_KVM_USABLE;
  return dev_kvm_present ? VMD_KVM_DOUBTFUL : VMD_KVM_UNAVAILABLE;
}

/* VMD_KVM_UNKNOWN before the first run. */
VmdKvmSupport
vmd_host_check_get_kvm_support (VmdHostCheck *self)
{
  g_return_val_if_fail (VMD_IS_HOST_CHECK (self), VMD_KVM_UNKNOWN);
  return self->kvm;
}

/* "kvm_intel", "kvm_amd", "kvm_pvm", or NULL when none is loaded or before the first run. */
const char *
vmd_host_check_get_vendor_module (VmdHostCheck *self)
{
  g_return_val_if_fail (VMD_IS_HOST_CHECK (self), NULL);
  return self->vendor_module;
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_host_check_finalize (GObject *object)
{
  VmdHostCheck *self = VMD_HOST_CHECK (object);

  g_free (self->root);
  g_free (self->bridge);
  g_clear_object (&self->connection);
  g_clear_object (&self->items);
  G_OBJECT_CLASS (vmd_host_check_parent_class)->finalize (object);
}

static void
vmd_host_check_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VmdHostCheck *self = VMD_HOST_CHECK (object);

  switch (prop_id)
    {
    case PROP_ROOT:       g_value_set_string (value, self->root); break;
    case PROP_CONNECTION: g_value_set_object (value, self->connection); break;
    case PROP_SESSION:    g_value_set_boolean (value, self->session); break;
    case PROP_BRIDGE:     g_value_set_string (value, self->bridge); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_host_check_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VmdHostCheck *self = VMD_HOST_CHECK (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      g_free (self->root);
      self->root = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value) : "/");
      break;
    case PROP_CONNECTION:
      g_set_object (&self->connection, g_value_get_object (value));
      break;
    case PROP_SESSION:
      self->session = g_value_get_boolean (value);
      break;
    case PROP_BRIDGE:
      g_free (self->bridge);
      self->bridge = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value) : "br0");
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_host_check_class_init (VmdHostCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_host_check_finalize;
  object_class->get_property = vmd_host_check_get_property;
  object_class->set_property = vmd_host_check_set_property;

  properties[PROP_ROOT] =
    g_param_spec_string ("root", NULL, NULL, "/",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, GVIR_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_boolean ("session", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BRIDGE] =
    g_param_spec_string ("bridge", NULL, NULL, "br0",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_host_check_init (VmdHostCheck *self)
{
  self->items = g_list_store_new (VMD_TYPE_HOST_CHECK_ITEM);
}

/* root: "/" for this host, or a fake tree; connection: NULL to skip libvirt's own answers;
 * session: add the qemu:///session bridge helper items. */
VmdHostCheck *
vmd_host_check_new (const char     *root,
                    GVirConnection *connection,
                    gboolean        session)
{
  return g_object_new (VMD_TYPE_HOST_CHECK,
                       "root", root != NULL ? root : "/",
                       "connection", connection,
                       "session", session,
                       NULL);
}

