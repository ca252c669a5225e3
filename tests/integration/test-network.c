/* Networks on the real system daemon, in libvirtd's network namespace:
 * - an isolated network with a DHCP range made through VmdResources, the tiny guest on it
 *   takes a lease with udhcpc, and VM Desk's VmdGuestAddresses shows it (the delay from the
 *   lease appearing in libvirt to VM Desk showing it is printed); the network cannot be deleted
 *   while the guest runs, and can once it is off;
 * - the classic `virt-install --network bridge=br0`: a bridge made by hand in the namespace,
 *   the tiny guest created through VmdInstaller with "Host bridge br0", its vnetN a port of
 *   br0, and pings both ways between the guest and the bridge's address. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-guest-addresses.h"
#include "vmd-guest-fixture.h"
#include "vmd-installer.h"
#include "vmd-netns.h"
#include "vmd-resources.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

static char *
replace_once (const char *text, const char *what, const char *with)
{
  const char *at = strstr (text, what);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, with, at + strlen (what));
}

static gboolean
loaded (gpointer resources)
{
  return vmd_resources_get_loaded (resources);
}

static GAsyncResult *
wait_result (GAsyncResult **slot, guint timeout_ms)
{
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, slot, timeout_ms));
  return g_steal_pointer (slot);
}

/* Other programs share the daemon: a subnet they use is refused as overlapping, so try the
 * next. Returns the third octet of 10.231.X.0/24 that was taken. */
static guint
create_isolated_network (VmdResources *resources,
                         const char   *name,
                         const char   *bridge)
{
  for (guint x = getpid () % 200; x < 250; x++)
    {
      g_autoptr(VmdNetworkSpec) spec = vmd_network_spec_new ();
      GAsyncResult *slot = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      const char *field = NULL;

      spec->name = g_strdup (name);
      spec->mode = VMD_NETWORK_MODE_ISOLATED;
      spec->bridge = g_strdup (bridge);
      spec->autostart = FALSE;
      spec->ipv4 = g_strdup_printf ("10.231.%u.0/24", x);
      spec->dhcp4_start = g_strdup_printf ("10.231.%u.100", x);
      spec->dhcp4_end = g_strdup_printf ("10.231.%u.150", x);
      vmd_resources_create_network_async (resources, spec, NULL, vmd_test_store_result, &slot);
      result = wait_result (&slot, 30000);
      if (vmd_resources_create_finish (resources, result, &field, &error))
        return x;
      g_test_message ("%s: %s", field, error->message);
      g_assert_cmpstr (field, ==, VMD_NETWORK_FIELD_IPV4);
    }
  g_assert_not_reached ();
}

static void
remove_network (virConnectPtr conn, const char *name)
{
  virNetworkPtr network = virNetworkLookupByName (conn, name);

  if (network != NULL)
    {
      virNetworkDestroy (network);
      virNetworkUndefine (network);
      virNetworkFree (network);
    }
  virResetLastError ();
}

static char *
lease_of (virConnectPtr conn, const char *network_name)
{
  virNetworkPtr network = virNetworkLookupByName (conn, network_name);
  g_autoptr(GPtrArray) leases = network != NULL ? vmd_network_read_leases (network, NULL) : NULL;

  if (network != NULL)
    virNetworkFree (network);
  return leases != NULL && leases->len > 0
    ? g_strdup (((VmdNetworkLease *) leases->pdata[0])->address) : NULL;
}

typedef struct {
  virConnectPtr      conn;
  const char        *network;
  VmdGuestAddresses *addresses;
  char              *lease;
  gint64             lease_at;
} LeaseWatch;

static gboolean
lease_shown (gpointer user_data)
{
  LeaseWatch *watch = user_data;

  if (watch->lease == NULL && (watch->lease = lease_of (watch->conn, watch->network)) != NULL)
    watch->lease_at = g_get_monotonic_time ();
  return watch->lease != NULL && vmd_guest_addresses_has (watch->addresses, watch->lease);
}

static gboolean
poll_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;   /* wakes the waiting loop so lease_shown polls libvirt */
}

static void
delete_network_expect (VmdNetwork *network, gboolean ok, const char *words)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  vmd_network_delete_async (network, NULL, vmd_test_store_result, &slot);
  result = wait_result (&slot, 30000);
  g_assert_cmpint (vmd_network_operation_finish (network, result, &error), ==, ok);
  if (!ok)
    {
      g_test_message ("refused: %s", error->message);
      g_assert_nonnull (strstr (error->message, words));
    }
}

static void
test_dhcp_lease_shown (void)
{
  VmdGuestFixture fixture = { 0 };
  g_autofree char *network_name = g_strdup_printf ("vmdesk-dhcp-%d", getpid ());
  g_autofree char *bridge = g_strdup_printf ("vmdd%d", getpid () % 100000);
  g_autofree char *xml = NULL;
  g_autofree char *nic = NULL;
  g_autofree char *with_nic = NULL;
  VmdResources *resources;
  VmdMachine *machine;
  LeaseWatch watch = { 0 };
  virDomainPtr domain;
  guint tick;

  vmd_guest_fixture_set_up (&fixture, "vmdesk-dhcp");
  resources = vmd_connection_get_resources (fixture.connection);
  g_assert_true (vmd_test_wait_until (loaded, resources, 10000));
  create_isolated_network (resources, network_name, bridge);
  g_assert_nonnull (vmd_resources_find_network (resources, network_name));

  xml = vmd_guest_fixture_domain_xml (&fixture, 1);
  nic = g_strdup_printf ("<devices><interface type='network'><source network='%s'/>"
                         "<model type='virtio'/></interface>", network_name);
  with_nic = replace_once (xml, "<devices>", nic);
  domain = virDomainDefineXML (fixture.handle, with_nic);
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainCreate (domain), ==, 0);
  virDomainFree (domain);
  g_assert_true (vmd_guest_fixture_wait_for_state (&fixture, VMD_MACHINE_STATE_RUNNING, 30000));
  machine = vmd_guest_fixture_find (&fixture);

  watch.conn = fixture.handle;
  watch.network = network_name;
  watch.addresses = vmd_resources_get_addresses (resources, machine);
  tick = g_timeout_add (100, poll_tick, NULL);
  g_assert_true (vmd_test_wait_until (lease_shown, &watch, 90000));
  g_source_remove (tick);
  g_test_message ("lease %s shown %.2f s after libvirt listed it (addresses: %s)", watch.lease,
                  (g_get_monotonic_time () - watch.lease_at) / 1e6,
                  vmd_guest_addresses_get_text (watch.addresses));
  g_assert_cmpint (g_get_monotonic_time () - watch.lease_at, <=, 10 * G_USEC_PER_SEC);

  delete_network_expect (vmd_resources_find_network (resources, network_name), FALSE, fixture.name);
  domain = virDomainLookupByName (fixture.handle, fixture.name);
  virDomainDestroy (domain);
  virDomainFree (domain);
  g_assert_true (vmd_guest_fixture_wait_for_state (&fixture, VMD_MACHINE_STATE_SHUT_OFF, 30000));
  delete_network_expect (vmd_resources_find_network (resources, network_name), TRUE, NULL);
  g_free (watch.lease);
  remove_network (fixture.handle, network_name);
  vmd_guest_fixture_tear_down (&fixture);
}

/* --- bridge=br0 ------------------------------------------------------------------------------------ */

typedef struct {
  VmdConnection  *connection;
  GVirConnection *gconn;
  virConnectPtr   conn;
  char           *name;
  char           *dir;
  char           *iso;
  char           *serial_log;
  char           *bridge;
  char           *port;
  char           *peer;
  gboolean        made_bridge;
} Bridged;

static gboolean
bridge_up (gpointer bridge)
{
  g_autofree char *link = NULL;

  return vmd_netns_run (&link, "ip", "-o", "link", "show", "dev", (const char *) bridge, NULL) &&
         strstr (link, " state UP ") != NULL;
}

static void
make_bridge (Bridged *b, guint x)
{
  g_autofree char *address = g_strdup_printf ("10.232.%u.1/24", x);
  g_autofree char *existing = NULL;

  /* br0 as virt-install users know it; another test's br0 is left alone. */
  b->bridge = g_strdup ("br0");
  if (vmd_netns_run (&existing, "ip", "link", "show", "br0", NULL))
    {
      g_free (b->bridge);
      b->bridge = g_strdup_printf ("vmdbr%d", getpid () % 100000);
    }
  g_assert_true (vmd_netns_run (NULL, "ip", "link", "add", b->bridge, "type", "bridge", NULL));
  b->made_bridge = TRUE;
  g_assert_true (vmd_netns_run (NULL, "ip", "addr", "add", address, "dev", b->bridge, NULL));
  g_assert_true (vmd_netns_run (NULL, "ip", "link", "set", b->bridge, "up", NULL));
  /* A port with a carrier, as a host's NIC would be: a bridge with no port has no carrier, and
   * libvirt's interface driver then calls it inactive (and VM Desk offers active bridges). */
  b->port = g_strdup_printf ("vmdp%d", getpid () % 100000);
  b->peer = g_strdup_printf ("vmdq%d", getpid () % 100000);
  g_assert_true (vmd_netns_run (NULL, "ip", "link", "add", b->port, "type", "veth", "peer", "name",
                                b->peer, NULL));
  g_assert_true (vmd_netns_run (NULL, "ip", "link", "set", b->port, "master", b->bridge, "up", NULL));
  g_assert_true (vmd_netns_run (NULL, "ip", "link", "set", b->peer, "up", NULL));
  g_assert_true (vmd_test_wait_until (bridge_up, b->bridge, 30000));
}

static void
install_on_bridge (Bridged *b)
{
  g_autoptr(VmdInstaller) installer = vmd_installer_new (b->connection);
  g_autoptr(VmdMachineSpec) spec = vmd_machine_spec_new ();
  g_autoptr(VmdInstallMedia) media = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  vmd_installer_probe_async (installer, NULL, vmd_test_store_result, &slot);
  result = wait_result (&slot, 30000);
  g_assert_true (vmd_installer_probe_finish (installer, result, &error));
  g_clear_object (&result);
  vmd_installer_apply_host_facts (installer, spec);
  media = vmd_install_media_load (b->iso, NULL, NULL, &error);
  g_assert_no_error (error);
  vmd_machine_spec_set_name (spec, b->name);
  vmd_machine_spec_set_media_path (spec, b->iso);
  vmd_machine_spec_set_memory_mib (spec, 256);
  vmd_machine_spec_set_storage (spec, VMD_STORAGE_NEW_VOLUME, NULL, 1);
  vmd_machine_spec_set_serial_log (spec, b->serial_log);
  vmd_machine_spec_set_install_method (spec, VMD_INSTALL_METHOD_KERNEL_BOOT);
  vmd_machine_spec_set_kernel_args (spec, "console=ttyS0");
  vmd_machine_spec_set_graphics (spec, VMD_GRAPHICS_NONE);
  vmd_machine_spec_set_network (spec, VMD_NETWORK_BRIDGE, b->bridge);
  vmd_installer_install_async (installer, spec, media, NULL, VMD_INSTALL_NONE, NULL,
                               vmd_test_store_result, &slot);
  result = wait_result (&slot, 120000);
  name = vmd_installer_install_finish (installer, result, &error);
  g_assert_no_error (error);
}

static char *
tap_of (Bridged *b)
{
  virDomainPtr domain = virDomainLookupByName (b->conn, b->name);
  g_autofree char *xml = virDomainGetXMLDesc (domain, 0);
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, NULL);

  virDomainFree (domain);
  g_assert_true (vmd_xml_exists (doc, NULL, "/domain/devices/interface[@type='bridge']"));
  return vmd_xml_string (doc, NULL, "/domain/devices/interface[@type='bridge']/target/@dev");
}

/* Types a line on the guest's serial console (the shell on ttyS0), as a user would: a
 * non-blocking stream pumped by the main loop (libvirt's events run there), whatever the guest
 * sends back read and dropped, the serial log being what the test reads. */
static void
type_line (Bridged *b, const char *line)
{
  virDomainPtr domain = virDomainLookupByName (b->conn, b->name);
  virStreamPtr stream = virStreamNew (b->conn, VIR_STREAM_NONBLOCK);
  g_autofree char *text = g_strdup_printf ("%s\r", line);
  gsize length = strlen (text), done = 0;
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gint64 settle = 0;
  char sink[4096];

  g_assert_cmpint (virDomainOpenConsole (domain, NULL, stream, VIR_DOMAIN_CONSOLE_FORCE), ==, 0);
  while (g_get_monotonic_time () < until && (done < length || g_get_monotonic_time () < settle))
    {
      int n = done < length ? virStreamSend (stream, text + done, length - done) : -2;

      if (n > 0 && (done += n) == length)
        settle = g_get_monotonic_time () + G_USEC_PER_SEC;
      g_assert_cmpint (n, !=, -1);
      while (virStreamRecv (stream, sink, sizeof sink) > 0)
        ;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_cmpuint (done, ==, length);
  virStreamAbort (stream);
  virStreamFree (stream);
  virDomainFree (domain);
  virResetLastError ();
}

static gboolean
log_has (gpointer user_data)
{
  const char **what = user_data;
  g_autofree char *log = NULL;

  return g_file_get_contents (what[0], &log, NULL, NULL) && strstr (log, what[1]) != NULL;
}

static void
bridged_tear_down (Bridged *b)
{
  g_autofree char *vol_name = g_strdup_printf ("%s.qcow2", b->name);
  virDomainPtr domain = virDomainLookupByName (b->conn, b->name);
  virStoragePoolPtr pool = virStoragePoolLookupByName (b->conn, "default");
  virStorageVolPtr volume = NULL;

  if (domain != NULL)
    {
      virDomainDestroy (domain);
      virDomainUndefineFlags (domain, VIR_DOMAIN_UNDEFINE_NVRAM);
      virDomainFree (domain);
    }
  if (pool != NULL)
    {
      virStoragePoolRefresh (pool, 0);
      volume = virStorageVolLookupByName (pool, vol_name);
      virStoragePoolFree (pool);
    }
  if (volume != NULL)
    {
      virStorageVolDelete (volume, 0);
      virStorageVolFree (volume);
    }
  virResetLastError ();
  if (b->port != NULL)
    vmd_netns_run (NULL, "ip", "link", "del", b->port, NULL);
  if (b->made_bridge)
    vmd_netns_run (NULL, "ip", "link", "del", b->bridge, NULL);
  g_free (b->port);
  g_free (b->peer);
  g_unlink (b->serial_log);
  g_unlink (b->iso);
  g_rmdir (b->dir);
  virConnectClose (b->conn);
  vmd_connection_close (b->connection);
  g_clear_object (&b->connection);
  g_clear_object (&b->gconn);
  g_free (b->name);
  g_free (b->dir);
  g_free (b->iso);
  g_free (b->serial_log);
  g_free (b->bridge);
}

static void
test_bridge_br0 (void)
{
  Bridged b = { 0 };
  g_autoptr(GError) error = NULL;
  guint x = getpid () % 250;
  g_autofree char *tap = NULL;
  g_autofree char *link = NULL;
  g_autofree char *master = NULL;
  g_autofree char *guest = g_strdup_printf ("10.232.%u.2", x);
  g_autofree char *host = g_strdup_printf ("10.232.%u.1", x);
  g_autofree char *command = NULL;
  const char *wait_log[2];

  b.name = g_strdup_printf ("vmdesk-br0-%d", getpid ());
  b.dir = g_strdup_printf ("/var/lib/libvirt/vmdesk-tests/%s", b.name);
  b.serial_log = g_build_filename (b.dir, "serial.log", NULL);
  g_assert_cmpint (g_mkdir_with_parents (b.dir, 0755), ==, 0);
  b.iso = vmd_guest_fixture_copy_file ("tiny-guest.iso", b.dir);
  b.connection = vmd_test_open_connection ("qemu:///system", 1000, &error);
  g_assert_no_error (error);
  b.gconn = g_object_ref (vmd_connection_get_gvir (b.connection));
  g_object_get (b.gconn, "handle", &b.conn, NULL);

  make_bridge (&b, x);
  install_on_bridge (&b);
  g_assert_true (vmd_guest_fixture_wait_for_banner (b.serial_log, 120000));

  tap = tap_of (&b);
  g_assert_nonnull (tap);
  g_assert_true (vmd_netns_run (&link, "ip", "-o", "link", "show", "dev", tap, NULL));
  master = g_strdup_printf (" master %s ", b.bridge);
  g_test_message ("%s", g_strstrip (link));
  g_assert_nonnull (strstr (link, master));

  /* Guest -> bridge: the guest's own ping says it (the marker is computed by the shell, so the
   * typed line's echo cannot match it). */
  command = g_strdup_printf ("ip addr add %s/24 dev eth0; ping -c 3 -W 2 %s && echo PING-$((40+2))-OK",
                             guest, host);
  type_line (&b, command);
  wait_log[0] = b.serial_log;
  wait_log[1] = "PING-42-OK";
  g_assert_true (vmd_test_wait_until (log_has, wait_log, 30000));
  /* Bridge -> guest. */
  g_assert_true (vmd_netns_run (NULL, "busybox", "ping", "-c", "3", "-W", "2", guest, NULL));
  bridged_tear_down (&b);
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_test_add_func ("/integration/network/dhcp-lease-shown", test_dhcp_lease_shown);
  g_test_add_func ("/integration/network/bridge-br0", test_bridge_br0);
  return g_test_run ();
}
