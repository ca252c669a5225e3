/* VmdHostFacts: one per connection. A refresh runs the local host check (for a local URI) and
 * asks libvirt, in a worker thread, for what new machines can use; the answers stay until the
 * connection is made again. Every reader (main window, assistant, installer, Host window,
 * Details) takes KVM's verdict from here, so they cannot disagree. */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-host-facts.h"
#include "vmd-host-platform.h"
#include "vmd-xml.h"

#define DEFAULT_POOL "default"

/* What one libvirt probe finds; made and filled in the worker thread. */
typedef struct {
  virConnectPtr  conn;
  gboolean       is_local;
  gboolean       is_session;

  gboolean       kvm_offered;
  VmdHostPlatform platform;    /* UEFI, Secure Boot, TPM emulation */
  guint64        memory_mib;
  guint          cpus;
  GStrv          bridges;
  GHashTable    *bridge_problems; /* a session's: bridge -> why it may not join it, and the fix */
  char          *root;
  GPtrArray     *networks;     /* of VmdHostNetwork */
  GPtrArray     *taps;         /* of VmdHostTap */
  char          *pool_path;
  guint64        pool_free;
} LibvirtProbe;

struct _VmdHostFacts
{
  GObject        parent_instance;

  VmdConnection *connection;   /* weak: the connection owns us */
  char          *root;
  gboolean       is_local;
  gboolean       is_session;

  gboolean       ready;
  GPtrArray     *waiting;      /* GTasks of ensure calls while a refresh runs */
  VmdHostCheck  *check;        /* the running or last local check, NULL for remote hosts */
  GListStore    *check_items;  /* of VmdHostCheckItem, stable for the Host window to bind */
  LibvirtProbe  *probe;        /* the last libvirt answers, NULL before the first */
  VmdKvmSupport  kvm;
  char          *kvm_summary;
  guint          pending;      /* parts of the refresh under way */
  GError        *refresh_error;
};

G_DEFINE_FINAL_TYPE (VmdHostFacts, vmd_host_facts, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_READY,
  PROP_KVM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
vmd_host_network_free (VmdHostNetwork *network)
{
  g_free (network->network);
  g_free (network->bridge);
  g_free (network);
}

void
vmd_host_tap_free (VmdHostTap *tap)
{
  g_free (tap->machine);
  g_free (tap->tap);
  g_free (tap->bridge);
  g_free (tap->network);
  g_free (tap);
}

static void
libvirt_probe_free (LibvirtProbe *probe)
{
  g_clear_pointer (&probe->conn, virConnectClose);
  g_strfreev (probe->bridges);
  g_clear_pointer (&probe->bridge_problems, g_hash_table_unref);
  g_free (probe->root);
  g_clear_pointer (&probe->networks, g_ptr_array_unref);
  g_clear_pointer (&probe->taps, g_ptr_array_unref);
  g_free (probe->pool_path);
  g_free (probe);
}

/* --- asking libvirt (worker thread) ------------------------------------------------------------ */

static void
probe_node (LibvirtProbe *probe)
{
  virNodeInfo node;

  if (virNodeGetInfo (probe->conn, &node) == 0)
    {
      probe->memory_mib = node.memory / 1024;
      probe->cpus = node.cpus;
    }
}

/* libvirt refuses kvm domain capabilities when it cannot open /dev/kvm for its guests. */
static void
probe_virt (LibvirtProbe *probe)
{
  g_autofree char *kvm_caps = virConnectGetDomainCapabilities (probe->conn, NULL, "x86_64",
                                                              NULL, "kvm", 0);
  g_autofree char *caps = NULL;

  virResetLastError ();
  probe->kvm_offered = kvm_caps != NULL;
  caps = virConnectGetDomainCapabilities (probe->conn, NULL, "x86_64", "q35",
                                          probe->kvm_offered ? "kvm" : "qemu", 0);
  virResetLastError ();
  vmd_host_platform_read (caps, probe->is_local ? probe->root : NULL, &probe->platform);
}

/* libvirt's interface driver sees the network namespace QEMU runs in; without it (no udev, or
 * a driver that lacks it) a local host's /sys is the next best answer. */
static GStrv
list_bridges_in_sys (void)
{
  g_autoptr(GStrvBuilder) bridges = g_strv_builder_new ();
  g_autoptr(GDir) dir = g_dir_open ("/sys/class/net", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *bridge_dir = g_build_filename ("/sys/class/net", name, "bridge", NULL);

      if (g_file_test (bridge_dir, G_FILE_TEST_IS_DIR))
        g_strv_builder_add (bridges, name);
    }
  return dir != NULL ? g_strv_builder_end (bridges) : NULL;
}

static void
probe_bridges (LibvirtProbe *probe)
{
  g_autoptr(GStrvBuilder) bridges = g_strv_builder_new ();
  virInterfacePtr *ifaces = NULL;
  int n = virConnectListAllInterfaces (probe->conn, &ifaces, VIR_CONNECT_LIST_INTERFACES_ACTIVE);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = virInterfaceGetXMLDesc (ifaces[i], 0);
      g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;

      if (doc != NULL && vmd_xml_exists (doc, NULL, "/interface[@type='bridge']"))
        g_strv_builder_add (bridges, virInterfaceGetName (ifaces[i]));
      virInterfaceFree (ifaces[i]);
    }
  free (ifaces);
  if (n >= 0)
    probe->bridges = g_strv_builder_end (bridges);
  else
    {
      virResetLastError ();
      probe->bridges = probe->is_local ? list_bridges_in_sys () : NULL;
    }
}

/* A session's QEMU joins a bridge through qemu-bridge-helper, which /etc/qemu/bridge.conf
 * and the helper's setuid bit allow or not (the Host window's items say the same). */
static void
probe_session_bridges (LibvirtProbe *probe)
{
  probe->bridge_problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; probe->bridges != NULL && probe->bridges[i] != NULL; i++)
    {
      char *problem = vmd_host_check_session_bridge_problem (probe->root, probe->bridges[i]);

      if (problem != NULL)
        g_hash_table_insert (probe->bridge_problems, g_strdup (probe->bridges[i]), problem);
    }
}

static void
probe_networks (LibvirtProbe *probe)
{
  virNetworkPtr *networks = NULL;
  int n = virConnectListAllNetworks (probe->conn, &networks, 0);

  for (int i = 0; i < n; i++)
    {
      VmdHostNetwork *network = g_new0 (VmdHostNetwork, 1);
      char *bridge = virNetworkGetBridgeName (networks[i]);

      network->network = g_strdup (virNetworkGetName (networks[i]));
      network->bridge = g_strdup (bridge);
      network->active = virNetworkIsActive (networks[i]) == 1;
      free (bridge);
      virResetLastError ();
      g_ptr_array_add (probe->networks, network);
      virNetworkFree (networks[i]);
    }
  free (networks);
  virResetLastError ();
}

/* The running machines' <interface>s: their tap, and the bridge or network it is on. */
static void
collect_taps (LibvirtProbe *probe,
              const char   *machine,
              const char   *xml)
{
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, NULL);
  g_autoptr(GPtrArray) nics = doc != NULL ? vmd_xml_nodes (doc, NULL, "/domain/devices/interface")
                                          : NULL;

  for (guint i = 0; nics != NULL && i < nics->len; i++)
    {
      g_autofree char *dev = vmd_xml_string (doc, nics->pdata[i], "target/@dev");
      VmdHostTap *tap;

      if (dev == NULL)
        continue;
      tap = g_new0 (VmdHostTap, 1);
      tap->machine = g_strdup (machine);
      tap->tap = g_steal_pointer (&dev);
      tap->bridge = vmd_xml_string (doc, nics->pdata[i], "source/@bridge");
      tap->network = vmd_xml_string (doc, nics->pdata[i], "source/@network");
      g_ptr_array_add (probe->taps, tap);
    }
}

/* A tap on a libvirt network sits on that network's bridge. */
static void
fill_network_bridges (LibvirtProbe *probe)
{
  for (guint i = 0; i < probe->taps->len; i++)
    {
      VmdHostTap *tap = probe->taps->pdata[i];

      for (guint j = 0; tap->bridge == NULL && tap->network != NULL && j < probe->networks->len; j++)
        {
          VmdHostNetwork *network = probe->networks->pdata[j];

          if (g_strcmp0 (network->network, tap->network) == 0)
            tap->bridge = g_strdup (network->bridge);
        }
    }
}

static int
compare_networks (gconstpointer a,
                  gconstpointer b)
{
  return g_strcmp0 ((*(VmdHostNetwork **) a)->network, (*(VmdHostNetwork **) b)->network);
}

static int
compare_taps (gconstpointer a,
              gconstpointer b)
{
  const VmdHostTap *x = *(VmdHostTap **) a, *y = *(VmdHostTap **) b;
  int by_machine = g_strcmp0 (x->machine, y->machine);

  return by_machine != 0 ? by_machine : g_strcmp0 (x->tap, y->tap);
}

static void
probe_taps (LibvirtProbe *probe)
{
  virDomainPtr *domains = NULL;
  int n = virConnectListAllDomains (probe->conn, &domains, VIR_CONNECT_LIST_DOMAINS_ACTIVE);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = virDomainGetXMLDesc (domains[i], 0);

      if (xml != NULL)
        collect_taps (probe, virDomainGetName (domains[i]), xml);
      virDomainFree (domains[i]);
    }
  free (domains);
  virResetLastError ();
  fill_network_bridges (probe);
  g_ptr_array_sort (probe->networks, compare_networks);
  g_ptr_array_sort (probe->taps, compare_taps);
}

static char *
default_pool_path (gboolean session)
{
  if (session)
    return g_build_filename (g_get_user_data_dir (), "libvirt", "images", NULL);
  return g_strdup ("/var/lib/libvirt/images");
}

static char *
pool_target_path (virStoragePoolPtr pool)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;

  return doc != NULL ? vmd_xml_string (doc, NULL, "/pool/target/path") : NULL;
}

/* Free space where a new disk goes: a pool not made yet is made where libvirt's tools make it,
 * so its nearest existing folder is asked. */
static guint64
free_space_at (const char *path)
{
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFileInfo) fs = NULL;

  while (dir != NULL && !g_file_query_exists (dir, NULL))
    {
      GFile *parent = g_file_get_parent (dir);

      g_object_unref (dir);
      dir = parent;
    }
  if (dir == NULL ||
      (fs = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL)) == NULL)
    return G_MAXUINT64;
  return g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
}

static void
probe_pool (LibvirtProbe *probe)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (probe->conn, DEFAULT_POOL);
  virStoragePoolInfo info;

  probe->pool_free = G_MAXUINT64;
  if (pool == NULL)
    {
      virResetLastError ();
      probe->pool_path = default_pool_path (probe->is_session);
      if (probe->is_local)
        probe->pool_free = free_space_at (probe->pool_path);
      return;
    }
  probe->pool_path = pool_target_path (pool);
  if (virStoragePoolIsActive (pool) == 1)
    virStoragePoolRefresh (pool, 0);
  if (virStoragePoolGetInfo (pool, &info) == 0 && info.state == VIR_STORAGE_POOL_RUNNING)
    probe->pool_free = info.available;
  virResetLastError ();
  virStoragePoolFree (pool);
}

static void
probe_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  LibvirtProbe *probe = task_data;

  probe_node (probe);
  probe_virt (probe);
  probe_bridges (probe);
  if (probe->is_session && probe->is_local)
    probe_session_bridges (probe);
  probe_networks (probe);
  probe_taps (probe);
  probe_pool (probe);
  g_task_return_pointer (task, probe, (GDestroyNotify) libvirt_probe_free);
}

/* --- the verdict --------------------------------------------------------------------------------- */

static char *
describe_kvm (VmdHostFacts *self)
{
  const char *module = self->check != NULL ? vmd_host_check_get_vendor_module (self->check) : NULL;

  switch (self->kvm)
    {
    case VMD_KVM_USABLE:
      return g_strdup (_("KVM is usable: virtual machines run at full speed."));
    case VMD_KVM_DOUBTFUL:
      return g_strdup_printf (_("KVM is offered (through %s), but the processor shows neither "
                                "Intel VT-x nor AMD-V: a nested or paravirtual KVM, which may not "
                                "run guests. New machines run emulated (slowly); you can choose "
                                "KVM for a machine in the assistant or in its Details."),
                              module != NULL ? module : "/dev/kvm");
    case VMD_KVM_UNAVAILABLE:
      return g_strdup (_("KVM is not usable: virtual machines run emulated and slowly. Host "
                         "Details says why and what to do."));
    case VMD_KVM_UNKNOWN:
    default:
      return g_strdup (_("Not checked yet."));
    }
}

static void
decide (VmdHostFacts *self)
{
  gboolean offered = self->probe != NULL && self->probe->kvm_offered;

  /* The local check already weighed libvirt's answer with the CPU's flags. */
  if (self->check != NULL)
    self->kvm = vmd_host_check_get_kvm_support (self->check);
  else
    self->kvm = vmd_kvm_support_decide (FALSE, NULL, FALSE, offered);
  g_free (self->kvm_summary);
  self->kvm_summary = describe_kvm (self);
}

/* --- refreshing ---------------------------------------------------------------------------------- */

static void
finish_waiting (VmdHostFacts *self)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  g_autoptr(GError) error = g_steal_pointer (&self->refresh_error);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  if (error == NULL)
    {
      decide (self);
      self->ready = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KVM]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
  for (guint i = 0; i < waiting->len; i++)
    {
      if (error != NULL)
        g_task_return_error (waiting->pdata[i], g_error_copy (error));
      else
        g_task_return_boolean (waiting->pdata[i], TRUE);
    }
}

static void
part_done (VmdHostFacts *self,
           GError       *error)
{
  if (error != NULL && self->refresh_error == NULL)
    self->refresh_error = error;
  else if (error != NULL)
    g_error_free (error);
  if (--self->pending == 0)
    finish_waiting (self);
}

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(VmdHostFacts) self = user_data;
  GError *error = NULL;

  if (vmd_host_check_run_finish (VMD_HOST_CHECK (source), result, &error))
    {
      GListModel *items = vmd_host_check_get_items (VMD_HOST_CHECK (source));
      guint n = g_list_model_get_n_items (items);
      g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (copy, g_list_model_get_item (items, i));
      g_list_store_splice (self->check_items, 0,
                           g_list_model_get_n_items (G_LIST_MODEL (self->check_items)),
                           copy->pdata, copy->len);
    }
  part_done (self, error);
}

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VmdHostFacts) self = user_data;
  GError *error = NULL;
  LibvirtProbe *probe = g_task_propagate_pointer (G_TASK (result), &error);

  if (probe != NULL)
    {
      g_clear_pointer (&self->probe, libvirt_probe_free);
      self->probe = probe;
    }
  part_done (self, error);
}

static GVirConnection *
open_gvir (VmdHostFacts *self)
{
  GVirConnection *gconn = self->connection != NULL ? vmd_connection_get_gvir (self->connection) : NULL;

  return gconn != NULL && gvir_connection_is_open (gconn) ? gconn : NULL;
}

static void
start_libvirt_probe (VmdHostFacts   *self,
                     GVirConnection *gconn,
                     GCancellable   *cancellable)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, on_probed, g_object_ref (self));
  LibvirtProbe *probe = g_new0 (LibvirtProbe, 1);

  g_object_get (gconn, "handle", &probe->conn, NULL);
  probe->is_local = self->is_local;
  probe->is_session = self->is_session;
  probe->root = g_strdup (self->root);
  probe->networks = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_host_network_free);
  probe->taps = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_host_tap_free);
  g_task_set_source_tag (task, start_libvirt_probe);
  /* The thread hands the probe back as its result, which owns it from then on. */
  g_task_set_task_data (task, probe, NULL);
  g_task_run_in_thread (task, probe_in_thread);
}

/* The local check needs no daemon (it says what is missing); libvirt's part needs it open. */
static void
start_refresh (VmdHostFacts *self,
               GCancellable *cancellable)
{
  GVirConnection *gconn = open_gvir (self);

  self->pending = 1;   /* this function's own share, so nothing finishes before all started */
  if (self->is_local)
    {
      g_clear_object (&self->check);
      self->check = vmd_host_check_new (self->root, gconn, self->is_session);
      self->pending++;
      vmd_host_check_run_async (self->check, cancellable, on_check_done, g_object_ref (self));
    }
  if (gconn != NULL)
    {
      self->pending++;
      start_libvirt_probe (self, gconn, cancellable);
    }
  else
    g_clear_pointer (&self->probe, libvirt_probe_free);
  part_done (self, NULL);
}

/* Calls back once the facts are known; again = TRUE asks afresh even when they are. */
void
vmd_host_facts_ensure_async (VmdHostFacts        *self,
                             gboolean             again,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VMD_IS_HOST_FACTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_host_facts_ensure_async);
  if (self->ready && !again && self->pending == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
  if (self->pending == 0)
    start_refresh (self, NULL);
}

gboolean
vmd_host_facts_ensure_finish (VmdHostFacts  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A connection made again may be to a changed host (a daemon upgraded, a module loaded). */
static void
on_connection_state (VmdConnection *connection,
                     GParamSpec    *pspec,
                     VmdHostFacts  *self)
{
  if (vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_CONNECTED && self->ready)
    {
      self->ready = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
}

/* --- reading ------------------------------------------------------------------------------------- */

gboolean
vmd_host_facts_get_ready (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), FALSE);
  return self->ready;
}

gboolean
vmd_host_facts_get_is_local (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), FALSE);
  return self->is_local;
}

gboolean
vmd_host_facts_get_is_session (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), FALSE);
  return self->is_session;
}

VmdKvmSupport
vmd_host_facts_get_kvm (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), VMD_KVM_UNKNOWN);
  return self->kvm;
}

/* One sentence for the Host window, the main window's bar and the assistant. */
const char *
vmd_host_facts_get_kvm_summary (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), NULL);
  return self->kvm_summary;
}

/* Whether a new machine gets KVM when the user does not choose: only where it surely works. */
gboolean
vmd_host_facts_get_kvm_default (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), FALSE);
  return self->kvm == VMD_KVM_USABLE;
}

/* Whether the user may choose KVM at all: libvirt accepts kvm machines here. */
gboolean
vmd_host_facts_get_kvm_offered (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), FALSE);
  return self->kvm == VMD_KVM_USABLE || self->kvm == VMD_KVM_DOUBTFUL;
}

/* Beside a "Use KVM" choice: what choosing it means on this host, or NULL when nothing needs
 * saying. */
const char *
vmd_host_facts_describe_kvm_choice (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), NULL);
  if (self->kvm == VMD_KVM_DOUBTFUL)
    return _("This host's KVM is nested or paravirtual and may not run guests: if the machine "
             "hangs at boot, turn KVM off again.");
  if (self->kvm == VMD_KVM_UNAVAILABLE)
    return _("KVM is not available on this host: the machine will run emulated (TCG), which is "
             "much slower.");
  return NULL;
}

GListModel *
vmd_host_facts_get_check_items (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), NULL);
  return G_LIST_MODEL (self->check_items);
}

gboolean
vmd_host_facts_get_uefi_available (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), FALSE);
  return self->probe != NULL && self->probe->platform.uefi;
}

/* UEFI, Secure Boot and TPM emulation together; all FALSE before the first answer. */
void
vmd_host_facts_get_platform (VmdHostFacts    *self,
                             VmdHostPlatform *platform)
{
  g_return_if_fail (VMD_IS_HOST_FACTS (self));
  if (self->probe != NULL)
    *platform = self->probe->platform;
  else
    *platform = (VmdHostPlatform) { FALSE, FALSE, FALSE };
}

guint64
vmd_host_facts_get_memory_mib (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), 0);
  return self->probe != NULL ? self->probe->memory_mib : 0;
}

guint
vmd_host_facts_get_cpus (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), 0);
  return self->probe != NULL ? self->probe->cpus : 0;
}

/* NULL when unknown (then any bridge name is worth a try). */
const char * const *
vmd_host_facts_get_bridges (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), NULL);
  return self->probe != NULL ? (const char * const *) self->probe->bridges : NULL;
}

/* A local session's bridges that qemu-bridge-helper may not use: bridge -> the reason and its
 * fix. NULL for a system daemon, a remote host, or before the first answer. (transfer none) */
GHashTable *
vmd_host_facts_get_session_bridge_problems (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), NULL);
  return self->probe != NULL ? self->probe->bridge_problems : NULL;
}

/* (element-type VmdHostNetwork) (transfer none), NULL before the first answer. */
GPtrArray *
vmd_host_facts_get_networks (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), NULL);
  return self->probe != NULL ? self->probe->networks : NULL;
}

/* (element-type VmdHostTap) (transfer none), NULL before the first answer. */
GPtrArray *
vmd_host_facts_get_taps (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), NULL);
  return self->probe != NULL ? self->probe->taps : NULL;
}

const char *
vmd_host_facts_get_pool_path (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), NULL);
  return self->probe != NULL ? self->probe->pool_path : NULL;
}

/* G_MAXUINT64 when unknown. */
guint64
vmd_host_facts_get_pool_free (VmdHostFacts *self)
{
  g_return_val_if_fail (VMD_IS_HOST_FACTS (self), G_MAXUINT64);
  return self->probe != NULL ? self->probe->pool_free : G_MAXUINT64;
}

/* --- GObject ------------------------------------------------------------------------------------- */

static void
vmd_host_facts_dispose (GObject *object)
{
  VmdHostFacts *self = VMD_HOST_FACTS (object);

  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      g_object_remove_weak_pointer (G_OBJECT (self->connection), (gpointer *) &self->connection);
      self->connection = NULL;
    }
  g_clear_object (&self->check);
  G_OBJECT_CLASS (vmd_host_facts_parent_class)->dispose (object);
}

static void
vmd_host_facts_finalize (GObject *object)
{
  VmdHostFacts *self = VMD_HOST_FACTS (object);

  g_free (self->root);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_object (&self->check_items);
  g_clear_pointer (&self->probe, libvirt_probe_free);
  g_free (self->kvm_summary);
  g_clear_error (&self->refresh_error);
  G_OBJECT_CLASS (vmd_host_facts_parent_class)->finalize (object);
}

static void
vmd_host_facts_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VmdHostFacts *self = VMD_HOST_FACTS (object);

  switch (prop_id)
    {
    case PROP_READY: g_value_set_boolean (value, self->ready); break;
    case PROP_KVM:   g_value_set_int (value, self->kvm); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_host_facts_class_init (VmdHostFactsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_host_facts_dispose;
  object_class->finalize = vmd_host_facts_finalize;
  object_class->get_property = vmd_host_facts_get_property;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KVM] =
    g_param_spec_int ("kvm", NULL, NULL, VMD_KVM_UNKNOWN, VMD_KVM_UNAVAILABLE, VMD_KVM_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_host_facts_init (VmdHostFacts *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->check_items = g_list_store_new (VMD_TYPE_HOST_CHECK_ITEM);
  self->kvm_summary = describe_kvm (self);
}

static gboolean
uri_is_local (const char *uri)
{
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  return parsed != NULL && (host == NULL || *host == '\0');
}

/* root: "/" for this host; tests give a fake tree (VMDESK_HOST_ROOT does for the app). */
VmdHostFacts *
vmd_host_facts_new (VmdConnection *connection,
                    const char    *root)
{
  VmdHostFacts *self = g_object_new (VMD_TYPE_HOST_FACTS, NULL);
  const char *uri = vmd_connection_get_uri (connection);

  self->connection = connection;
  g_object_add_weak_pointer (G_OBJECT (connection), (gpointer *) &self->connection);
  self->root = g_strdup (root != NULL ? root : "/");
  self->is_local = uri_is_local (uri);
  self->is_session = self->is_local && g_str_has_suffix (uri, "/session");
  g_signal_connect (connection, "notify::state", G_CALLBACK (on_connection_state), self);
  return self;
}
