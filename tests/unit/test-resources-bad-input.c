/* Bad input for networks, pools and volumes: each case is refused with a message that names the
 * problem and the field it belongs beside, and libvirt has exactly what it had before. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "vmd-error.h"

#include "vmd-network-spec.h"
#include "vmd-resources-fixture.h"
#include "vmd-storage-spec.h"
#include "vmd-test-util.h"

typedef void (*FillNetwork) (VmdNetworkSpec *spec, ResourcesFixture *fixture);
typedef void (*FillPool) (VmdPoolSpec *spec, ResourcesFixture *fixture);
typedef void (*FillVolume) (VmdVolumeSpec *spec, ResourcesFixture *fixture);

typedef struct {
  const char  *path;
  FillNetwork  network;
  FillPool     pool;
  FillVolume   volume;
  const char  *field;
  const char  *words;    /* part of the message */
} BadInput;

/* --- networks: a good isolated network, then one thing wrong ------------------------------------ */

static void
good_network (VmdNetworkSpec *spec)
{
  spec->name = g_strdup ("fresh");
  spec->mode = VMD_NETWORK_MODE_ISOLATED;
  spec->ipv4 = g_strdup ("192.168.77.0/24");
  spec->dhcp4_start = g_strdup ("192.168.77.10");
  spec->dhcp4_end = g_strdup ("192.168.77.100");
}

#define SET(field, value) do { g_free (spec->field); spec->field = g_strdup (value); } while (0)

static void net_empty_name (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (name, ""); }
static void net_spaces_name (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (name, "   "); }
static void net_slash_name (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (name, "a/b"); }
static void net_newline_name (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (name, "two\nlines"); }
static void net_dash_name (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (name, "-net"); }
static void net_taken_name (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (name, "default"); }
static void net_bridge_of_other (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (bridge, "virbr0"); }
static void net_bridge_too_long (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (bridge, "bridge-name-too-long"); }
static void net_bridge_bad_chars (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (bridge, "br 0"); }
static void net_bad_ipv4 (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (ipv4, "192.168.300.0/24"); }
static void net_ipv6_in_ipv4 (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (ipv4, "fd00:77::/64"); }
static void net_prefix_33 (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (ipv4, "192.168.77.0/33"); }
static void net_prefix_word (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (ipv4, "192.168.77.0/abc"); }
static void net_no_prefix (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (ipv4, "192.168.77.0"); }
static void net_overlap (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (ipv4, "192.168.122.128/25"); }
static void net_overlap_wider (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (ipv4, "10.0.0.0/8"); }
static void net_dhcp_outside (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (dhcp4_end, "192.168.78.20"); }
static void net_dhcp_reversed (VmdNetworkSpec *spec, ResourcesFixture *f)
{
  SET (dhcp4_start, "192.168.77.200");
}
static void net_dhcp_half (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (dhcp4_end, ""); }
static void net_dhcp_gateway (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (dhcp4_start, "192.168.77.1"); }
static void net_dhcp_broadcast (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (dhcp4_end, "192.168.77.255"); }
static void net_dhcp_v6_in_v4 (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (dhcp4_start, "fd00::5"); }
static void net_dhcp_no_subnet (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (ipv4, ""); }
static void net_ipv6_overlap (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (ipv6, "fd00:10::/48"); }
static void net_ipv6_v4 (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (ipv6, "192.168.9.0/24"); }
static void net_dhcp6_outside (VmdNetworkSpec *spec, ResourcesFixture *f)
{
  SET (ipv6, "fd00:77::/64");
  SET (dhcp6_start, "fd00:78::10");
  SET (dhcp6_end, "fd00:78::20");
}
static void net_bad_domain (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (domain, "bad_domain!"); }
static void net_forward_isolated (VmdNetworkSpec *spec, ResourcesFixture *f) { SET (forward_dev, "eth0"); }
static void net_nat_no_subnet (VmdNetworkSpec *spec, ResourcesFixture *f)
{
  spec->mode = VMD_NETWORK_MODE_NAT;
  SET (ipv4, "");
  SET (dhcp4_start, "");
  SET (dhcp4_end, "");
}
static void net_host_bad_mac (VmdNetworkSpec *spec, ResourcesFixture *f)
{
  vmd_network_spec_add_host (spec, "52:54:00:zz:00:01", "192.168.77.5", "box");
}
static void net_host_outside (VmdNetworkSpec *spec, ResourcesFixture *f)
{
  vmd_network_spec_add_host (spec, "52:54:00:00:00:09", "10.99.0.5", "box");
}

/* --- pools ------------------------------------------------------------------------------------- */

static void
good_pool (VmdPoolSpec *spec, ResourcesFixture *f)
{
  spec->name = g_strdup ("fresh-pool");
  spec->target_path = g_build_filename (f->scratch, "images", NULL);
  spec->build = TRUE;
}

static void pool_path_file (VmdPoolSpec *spec, ResourcesFixture *f)
{
  g_autofree char *file = g_build_filename (f->scratch, "a-file", NULL);

  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  SET (target_path, file);
}
static void pool_relative (VmdPoolSpec *spec, ResourcesFixture *f) { SET (target_path, "images"); }
static void pool_no_path (VmdPoolSpec *spec, ResourcesFixture *f) { SET (target_path, ""); }
static void pool_missing_no_build (VmdPoolSpec *spec, ResourcesFixture *f) { spec->build = FALSE; }
static void pool_taken (VmdPoolSpec *spec, ResourcesFixture *f) { SET (name, "vmdesk-pool"); }
static void pool_slash (VmdPoolSpec *spec, ResourcesFixture *f) { SET (name, "images/new"); }
static void pool_fs_no_device (VmdPoolSpec *spec, ResourcesFixture *f)
{
  spec->type = VMD_POOL_TYPE_FS;
  SET (source_device, "/dev/vmdesk-no-such-disk");
}
static void pool_fs_not_block (VmdPoolSpec *spec, ResourcesFixture *f)
{
  spec->type = VMD_POOL_TYPE_FS;
  SET (source_device, "/dev/null");
}
static void pool_lvm_bad_vg (VmdPoolSpec *spec, ResourcesFixture *f)
{
  spec->type = VMD_POOL_TYPE_LOGICAL;
  spec->build = FALSE;
  SET (source_name, "-bad vg");
}
static void pool_netfs_no_host (VmdPoolSpec *spec, ResourcesFixture *f)
{
  spec->type = VMD_POOL_TYPE_NETFS;
  SET (source_path, "/srv/nfs");
}
static void pool_netfs_bad_host (VmdPoolSpec *spec, ResourcesFixture *f)
{
  spec->type = VMD_POOL_TYPE_NETFS;
  SET (source_host, "nfs server!");
  SET (source_path, "/srv/nfs");
}
static void pool_netfs_relative_export (VmdPoolSpec *spec, ResourcesFixture *f)
{
  spec->type = VMD_POOL_TYPE_NETFS;
  SET (source_host, "192.0.2.10");
  SET (source_path, "srv/nfs");
}
static void pool_iscsi_bad_iqn (VmdPoolSpec *spec, ResourcesFixture *f)
{
  spec->type = VMD_POOL_TYPE_ISCSI;
  SET (source_host, "192.0.2.10");
  SET (source_name, "disk1");
}

/* --- volumes in vmdesk-pool (100 GiB, 97 GiB free as the test driver counts) ------------------------------------------------ */

static void
good_volume (VmdVolumeSpec *spec, ResourcesFixture *f)
{
  spec->name = g_strdup ("fresh.qcow2");
  spec->capacity = 1 * G_GUINT64_CONSTANT (1073741824);
}

static void vol_larger_than_pool (VmdVolumeSpec *spec, ResourcesFixture *f) { spec->capacity = 200 * G_GUINT64_CONSTANT (1073741824); }
static void vol_raw_beyond_free (VmdVolumeSpec *spec, ResourcesFixture *f)
{
  SET (format, "raw");
  spec->capacity = 98 * G_GUINT64_CONSTANT (1073741824);
}
static void vol_zero (VmdVolumeSpec *spec, ResourcesFixture *f) { spec->capacity = 0; }
static void vol_taken (VmdVolumeSpec *spec, ResourcesFixture *f) { SET (name, "web.qcow2"); }
static void vol_empty_name (VmdVolumeSpec *spec, ResourcesFixture *f) { SET (name, ""); }
static void vol_slash (VmdVolumeSpec *spec, ResourcesFixture *f) { SET (name, "../etc/passwd"); }
static void vol_no_backing (VmdVolumeSpec *spec, ResourcesFixture *f) { SET (backing, "nothing-here.qcow2"); }
static void vol_raw_backing (VmdVolumeSpec *spec, ResourcesFixture *f)
{
  SET (format, "raw");
  SET (backing, "base.qcow2");
}
static void vol_bad_format (VmdVolumeSpec *spec, ResourcesFixture *f) { SET (format, "vmdk"); }

static const BadInput cases[] = {
  { "/network/name/empty", net_empty_name, NULL, NULL, VMD_NETWORK_FIELD_NAME, "name" },
  { "/network/name/spaces", net_spaces_name, NULL, NULL, VMD_NETWORK_FIELD_NAME, "name" },
  { "/network/name/slash", net_slash_name, NULL, NULL, VMD_NETWORK_FIELD_NAME, "“/”" },
  { "/network/name/newline", net_newline_name, NULL, NULL, VMD_NETWORK_FIELD_NAME, "control" },
  { "/network/name/leading-dash", net_dash_name, NULL, NULL, VMD_NETWORK_FIELD_NAME, "“-”" },
  { "/network/name/taken", net_taken_name, NULL, NULL, VMD_NETWORK_FIELD_NAME, "already" },
  { "/network/bridge/of-another-network", net_bridge_of_other, NULL, NULL, VMD_NETWORK_FIELD_BRIDGE, "“default”" },
  { "/network/bridge/too-long", net_bridge_too_long, NULL, NULL, VMD_NETWORK_FIELD_BRIDGE, "15" },
  { "/network/bridge/space", net_bridge_bad_chars, NULL, NULL, VMD_NETWORK_FIELD_BRIDGE, "letters" },
  { "/network/ipv4/not-an-address", net_bad_ipv4, NULL, NULL, VMD_NETWORK_FIELD_IPV4, "192.168.300.0" },
  { "/network/ipv4/ipv6-given", net_ipv6_in_ipv4, NULL, NULL, VMD_NETWORK_FIELD_IPV4, "IPv6" },
  { "/network/ipv4/prefix-33", net_prefix_33, NULL, NULL, VMD_NETWORK_FIELD_IPV4, "prefix" },
  { "/network/ipv4/prefix-word", net_prefix_word, NULL, NULL, VMD_NETWORK_FIELD_IPV4, "prefix" },
  { "/network/ipv4/no-prefix", net_no_prefix, NULL, NULL, VMD_NETWORK_FIELD_IPV4, "address/prefix" },
  { "/network/ipv4/overlaps", net_overlap, NULL, NULL, VMD_NETWORK_FIELD_IPV4, "overlaps 192.168.122.1/24" },
  { "/network/ipv4/overlaps-wider", net_overlap_wider, NULL, NULL, VMD_NETWORK_FIELD_IPV4, "“lab”" },
  { "/network/dhcp4/outside", net_dhcp_outside, NULL, NULL, VMD_NETWORK_FIELD_DHCP4, "outside the subnet" },
  { "/network/dhcp4/reversed", net_dhcp_reversed, NULL, NULL, VMD_NETWORK_FIELD_DHCP4, "after its end" },
  { "/network/dhcp4/half", net_dhcp_half, NULL, NULL, VMD_NETWORK_FIELD_DHCP4, "both" },
  { "/network/dhcp4/gateway", net_dhcp_gateway, NULL, NULL, VMD_NETWORK_FIELD_DHCP4, "host's own" },
  { "/network/dhcp4/broadcast", net_dhcp_broadcast, NULL, NULL, VMD_NETWORK_FIELD_DHCP4, "broadcast" },
  { "/network/dhcp4/ipv6-given", net_dhcp_v6_in_v4, NULL, NULL, VMD_NETWORK_FIELD_DHCP4, "IPv6" },
  { "/network/dhcp4/no-subnet", net_dhcp_no_subnet, NULL, NULL, VMD_NETWORK_FIELD_DHCP4, "IPv4 subnet" },
  { "/network/ipv6/overlaps", net_ipv6_overlap, NULL, NULL, VMD_NETWORK_FIELD_IPV6, "“lab”" },
  { "/network/ipv6/ipv4-given", net_ipv6_v4, NULL, NULL, VMD_NETWORK_FIELD_IPV6, "IPv4" },
  { "/network/dhcp6/outside", net_dhcp6_outside, NULL, NULL, VMD_NETWORK_FIELD_DHCP6, "outside" },
  { "/network/domain/bad", net_bad_domain, NULL, NULL, VMD_NETWORK_FIELD_DOMAIN, "DNS domain" },
  { "/network/forward/isolated", net_forward_isolated, NULL, NULL, VMD_NETWORK_FIELD_FORWARD_DEV, "NAT" },
  { "/network/ipv4/nat-needs-one", net_nat_no_subnet, NULL, NULL, VMD_NETWORK_FIELD_IPV4, "NAT" },
  { "/network/hosts/bad-mac", net_host_bad_mac, NULL, NULL, VMD_NETWORK_FIELD_HOSTS, "MAC" },
  { "/network/hosts/outside", net_host_outside, NULL, NULL, VMD_NETWORK_FIELD_HOSTS, "outside" },
  { "/pool/target/is-a-file", NULL, pool_path_file, NULL, VMD_POOL_FIELD_TARGET, "is a file" },
  { "/pool/target/relative", NULL, pool_relative, NULL, VMD_POOL_FIELD_TARGET, "full path" },
  { "/pool/target/empty", NULL, pool_no_path, NULL, VMD_POOL_FIELD_TARGET, "folder" },
  { "/pool/target/missing-without-build", NULL, pool_missing_no_build, NULL, VMD_POOL_FIELD_TARGET, "Build" },
  { "/pool/name/taken", NULL, pool_taken, NULL, VMD_POOL_FIELD_NAME, "already" },
  { "/pool/name/slash", NULL, pool_slash, NULL, VMD_POOL_FIELD_NAME, "“/”" },
  { "/pool/fs/no-such-device", NULL, pool_fs_no_device, NULL, VMD_POOL_FIELD_DEVICE, "no device" },
  { "/pool/fs/not-a-block-device", NULL, pool_fs_not_block, NULL, VMD_POOL_FIELD_DEVICE, "block device" },
  { "/pool/logical/bad-group-name", NULL, pool_lvm_bad_vg, NULL, VMD_POOL_FIELD_SOURCE, "volume group" },
  { "/pool/netfs/no-host", NULL, pool_netfs_no_host, NULL, VMD_POOL_FIELD_HOST, "server" },
  { "/pool/netfs/bad-host", NULL, pool_netfs_bad_host, NULL, VMD_POOL_FIELD_HOST, "host name" },
  { "/pool/netfs/relative-export", NULL, pool_netfs_relative_export, NULL, VMD_POOL_FIELD_SOURCE, "full path" },
  { "/pool/iscsi/bad-target", NULL, pool_iscsi_bad_iqn, NULL, VMD_POOL_FIELD_SOURCE, "iqn" },
  { "/volume/capacity/larger-than-pool", NULL, NULL, vol_larger_than_pool, VMD_VOLUME_FIELD_CAPACITY, "whole pool" },
  { "/volume/capacity/raw-beyond-free", NULL, NULL, vol_raw_beyond_free, VMD_VOLUME_FIELD_CAPACITY, "free" },
  { "/volume/capacity/zero", NULL, NULL, vol_zero, VMD_VOLUME_FIELD_CAPACITY, "above zero" },
  { "/volume/name/taken", NULL, NULL, vol_taken, VMD_VOLUME_FIELD_NAME, "already" },
  { "/volume/name/empty", NULL, NULL, vol_empty_name, VMD_VOLUME_FIELD_NAME, "name" },
  { "/volume/name/slash", NULL, NULL, vol_slash, VMD_VOLUME_FIELD_NAME, "“/”" },
  { "/volume/backing/missing", NULL, NULL, vol_no_backing, VMD_VOLUME_FIELD_BACKING, "nothing-here.qcow2" },
  { "/volume/backing/raw", NULL, NULL, vol_raw_backing, VMD_VOLUME_FIELD_BACKING, "qcow2" },
  { "/volume/format/unknown", NULL, NULL, vol_bad_format, VMD_VOLUME_FIELD_FORMAT, "vmdk" },
};

static gboolean
try_network (ResourcesFixture *fixture, const BadInput *bad, const char **field, GError **error)
{
  g_autoptr(VmdNetworkSpec) spec = vmd_network_spec_new ();
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  good_network (spec);
  bad->network (spec, fixture);
  vmd_resources_create_network_async (fixture->resources, spec, NULL, vmd_test_store_result, &slot);
  result = resources_wait (&slot);
  return vmd_resources_create_finish (fixture->resources, result, field, error);
}

static gboolean
try_pool (ResourcesFixture *fixture, const BadInput *bad, const char **field, GError **error)
{
  g_autoptr(VmdPoolSpec) spec = vmd_pool_spec_new (VMD_POOL_TYPE_DIR);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  good_pool (spec, fixture);
  bad->pool (spec, fixture);
  vmd_resources_create_pool_async (fixture->resources, spec, NULL, vmd_test_store_result, &slot);
  result = resources_wait (&slot);
  return vmd_resources_create_finish (fixture->resources, result, field, error);
}

static gboolean
try_volume (ResourcesFixture *fixture, const BadInput *bad, const char **field, GError **error)
{
  g_autoptr(VmdVolumeSpec) spec = vmd_volume_spec_new ();
  VmdStoragePool *pool = resources_pool (fixture, "vmdesk-pool");
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  good_volume (spec, fixture);
  bad->volume (spec, fixture);
  vmd_storage_pool_create_volume_async (pool, spec, NULL, vmd_test_store_result, &slot);
  result = resources_wait (&slot);
  return vmd_storage_pool_create_volume_finish (pool, result, field, error);
}

static void
test_bad_input (ResourcesFixture *fixture,
                gconstpointer     data)
{
  const BadInput *bad = data;
  int networks = resources_count_networks (fixture);
  int pools = resources_count_pools (fixture);
  int volumes = resources_count_volumes (fixture, "vmdesk-pool");
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  gboolean made;

  if (bad->network != NULL)
    made = try_network (fixture, bad, &field, &error);
  else if (bad->pool != NULL)
    made = try_pool (fixture, bad, &field, &error);
  else
    made = try_volume (fixture, bad, &field, &error);
  g_assert_false (made);
  g_assert_nonnull (error);
  g_test_message ("%s: [%s] %s", bad->path, field, error->message);
  g_assert_cmpstr (field, ==, bad->field);
  g_assert_nonnull (strstr (error->message, bad->words));
  g_assert_cmpint (resources_count_networks (fixture), ==, networks);
  g_assert_cmpint (resources_count_pools (fixture), ==, pools);
  g_assert_cmpint (resources_count_volumes (fixture, "vmdesk-pool"), ==, volumes);
}

/* The good specs themselves pass: the cases above fail for their one change. */
static void
test_good_specs_pass (ResourcesFixture *fixture,
                      gconstpointer     data)
{
  g_autoptr(VmdNetworkSpec) network = vmd_network_spec_new ();
  g_autoptr(VmdPoolSpec) pool = vmd_pool_spec_new (VMD_POOL_TYPE_DIR);
  g_autoptr(VmdNetworkContext) context = vmd_resources_network_context (fixture->resources);
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  good_network (network);
  g_assert_true (vmd_network_spec_validate (network, context, &field, &error));
  g_assert_no_error (error);
  good_pool (pool, fixture);
  g_assert_true (vmd_pool_spec_validate (pool, fixture->handle, TRUE, &field, &error));
  g_assert_no_error (error);
}

static void
test_bad_sizes (void)
{
  const char *bad[] = { "", "ten gigs", "-5G", "5 XB", "1e400", "G" };
  const struct { const char *text; guint64 bytes; } good[] = {
    { "20 GiB", 20 * G_GUINT64_CONSTANT (1073741824) }, { "512M", 512 * 1048576 },
    { "1.5G", 1610612736 }, { "4096", 4096 }, { "64 MiB", 64 * 1048576 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (vmd_parse_size (bad[i], &error), ==, 0);
      g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_cmpuint (vmd_parse_size (good[i].text, NULL), ==, good[i].bytes);
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/resources-bad-input", cases[i].path, NULL);

      g_test_add (path, ResourcesFixture, &cases[i], resources_fixture_set_up, test_bad_input,
                  resources_fixture_tear_down);
    }
  g_test_add ("/resources-bad-input/good-specs-pass", ResourcesFixture, NULL,
              resources_fixture_set_up, test_good_specs_pass, resources_fixture_tear_down);
  g_test_add_func ("/resources-bad-input/sizes", test_bad_sizes);
  return g_test_run ();
}
