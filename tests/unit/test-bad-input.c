/* Bad input, one table: every case must be refused with a message a user can read (or, for the
 * few marked OK, accepted), and must change nothing: the files, and libvirt's test driver,
 * are compared before and after. What it exercises: VmdMachineSpec's checks (names, sizes, media,
 * storage, network), VmdInstallMedia, the IPv4 checks of the bridge assistant, and the XML
 * define / edit path of VmdMachineDetails and VmdMachineConfig. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-address-validation.h"
#include "vmd-bridge-manager.h"
#include "vmd-connection.h"
#include "vmd-error.h"
#include "vmd-install-media.h"
#include "vmd-machine-config.h"
#include "vmd-machine-details.h"
#include "vmd-machine-spec.h"
#include "vmd-test-util.h"

#define OK   (-1)   /* the input is fine and must be accepted */
#define ANY  (-2)   /* refused, with any VMD_ERROR code */

typedef struct _Case Case;
typedef gboolean (*Attempt) (const Case *c, GError **error);

struct _Case {
  const char *id;
  Attempt     attempt;
  const char *text;      /* the input */
  const char *text2;     /* a second input, when the check takes two */
  guint64     number;
  int         code;      /* VMD_ERROR code expected, OK or ANY */
  const char *says;      /* a fragment the message must contain, or NULL */
};

/* Scratch files for the media cases; made once. */
static char *scratch_dir;

static char *
scratch (const char *name)
{
  return g_build_filename (scratch_dir, name, NULL);
}

/* --- names ----------------------------------------------------------------------------------- */

static VmdMachineSpec *
spec_new (void)
{
  const char *taken[] = { "web", "db", NULL };
  VmdMachineSpec *spec = vmd_machine_spec_new ();

  vmd_machine_spec_set_taken_names (spec, taken);
  return spec;
}

static gboolean
attempt_name (const Case  *c,
              GError     **error)
{
  g_autoptr(VmdMachineSpec) spec = spec_new ();
  g_autofree char *long_name = c->number > 0 ? g_strnfill (c->number, 'a') : NULL;

  vmd_machine_spec_set_name (spec, long_name != NULL ? long_name : c->text);
  return vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_NAME, error);
}

/* --- sizes ------------------------------------------------------------------------------------ */

static gboolean
attempt_memory (const Case  *c,
                GError     **error)
{
  g_autoptr(VmdMachineSpec) spec = spec_new ();

  vmd_machine_spec_set_host_resources (spec, 4096, 2);
  vmd_machine_spec_set_memory_mib (spec, c->number);
  return vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_MEMORY, error);
}

static gboolean
attempt_vcpus (const Case  *c,
               GError     **error)
{
  g_autoptr(VmdMachineSpec) spec = spec_new ();

  vmd_machine_spec_set_vcpus (spec, (guint) c->number);
  return vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_CPUS, error);
}

static gboolean
attempt_disk_size (const Case  *c,
                   GError     **error)
{
  g_autoptr(VmdMachineSpec) spec = spec_new ();

  vmd_machine_spec_set_name (spec, "bad-input-disk");
  vmd_machine_spec_set_pool (spec, "default", scratch_dir, G_GUINT64_CONSTANT (100) << 30);
  vmd_machine_spec_set_storage (spec, VMD_STORAGE_NEW_VOLUME, NULL, c->number);
  return vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_STORAGE, error);
}

/* --- media ------------------------------------------------------------------------------------ */

static gboolean
attempt_iso (const Case  *c,
             GError     **error)
{
  g_autofree char *path = c->text[0] == '/' ? g_strdup (c->text) : scratch (c->text);
  g_autoptr(VmdMachineSpec) spec = spec_new ();

  vmd_machine_spec_set_install_method (spec, VMD_INSTALL_METHOD_CDROM);
  vmd_machine_spec_set_media_path (spec, path);
  return vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_MEDIA, error);
}

static gboolean
attempt_no_media (const Case  *c,
                  GError     **error)
{
  g_autoptr(VmdMachineSpec) spec = spec_new ();

  vmd_machine_spec_set_install_method (spec, VMD_INSTALL_METHOD_CDROM);
  vmd_machine_spec_set_media_path (spec, c->text);
  return vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_MEDIA, error);
}

/* Not the check but the loader: libarchive reading garbage must fail, not crash. */
static gboolean
attempt_load_media (const Case  *c,
                    GError     **error)
{
  g_autofree char *path = scratch (c->text);
  g_autoptr(VmdInstallMedia) media = vmd_install_media_load (path, NULL, NULL, error);

  return media != NULL;
}

static gboolean
attempt_existing_disk (const Case  *c,
                       GError     **error)
{
  g_autofree char *path = c->text[0] == '/' ? g_strdup (c->text) : scratch (c->text);
  g_autoptr(VmdMachineSpec) spec = spec_new ();

  vmd_machine_spec_set_install_method (spec, VMD_INSTALL_METHOD_IMPORT);
  vmd_machine_spec_set_storage (spec, VMD_STORAGE_EXISTING, path, 0);
  return vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_MEDIA, error);
}

/* --- network ----------------------------------------------------------------------------------- */

static gboolean
attempt_address (const Case  *c,
                 GError     **error)
{
  g_autofree char *address = NULL;
  guint prefix = 0;

  return vmd_ipv4_parse_address_prefix (c->text, &address, &prefix, error);
}

static gboolean
attempt_gateway (const Case  *c,
                 GError     **error)
{
  return vmd_ipv4_check_gateway (c->text, c->text2, error);
}

static gboolean
attempt_dns (const Case  *c,
             GError     **error)
{
  g_auto(GStrv) servers = vmd_ipv4_parse_dns (c->text, error);

  return servers != NULL;
}

static gboolean
attempt_bridge_name (const Case  *c,
                     GError     **error)
{
  g_autoptr(VmdBridgeSettings) settings = vmd_bridge_settings_new ();

  g_free (settings->name);
  settings->name = g_strdup (c->text);
  settings->dhcp = TRUE;
  return vmd_bridge_settings_validate (settings, error);
}

static gboolean
attempt_spec_bridge (const Case  *c,
                     GError     **error)
{
  const char *bridges[] = { "br0", "virbr0", NULL };
  g_autoptr(VmdMachineSpec) spec = spec_new ();

  vmd_machine_spec_set_host_bridges (spec, bridges);
  vmd_machine_spec_set_network (spec, VMD_NETWORK_BRIDGE, c->text);
  return vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_NETWORK, error);
}

/* --- XML, through the details' define path on libvirt's test driver ---------------------------- */

/* Every domain's name and inactive XML: what "nothing changed" compares. */
static char *
snapshot_domains (virConnectPtr conn)
{
  virDomainPtr *domains = NULL;
  GString *all = g_string_new (NULL);
  int n = virConnectListAllDomains (conn, &domains, 0);

  g_assert_cmpint (n, >=, 0);
  for (int i = 0; i < n; i++)
    {
      char *xml = virDomainGetXMLDesc (domains[i], VIR_DOMAIN_XML_INACTIVE);

      g_string_append_printf (all, "%s\n%s\n", virDomainGetName (domains[i]), xml);
      free (xml);
      virDomainFree (domains[i]);
    }
  free (domains);
  return g_string_free (all, FALSE);
}

typedef enum { XML_DEFINE, XML_RENAME, XML_MEMORY, XML_VCPUS, XML_RAW_DEFINE } XmlEdit;

/* text: the XML (or new name); a "%s" in it takes db's own definition with @SPLICE@ marks. */
static gboolean
attempt_xml (const Case  *c,
             GError     **error)
{
  g_autofree char *uri = vmd_test_data_uri ("details.xml");
  g_autoptr(VmdConnection) connection = vmd_test_open_connection (uri, 1000, NULL);
  g_autoptr(VmdMachineDetails) details = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *xml = NULL;
  virConnectPtr conn = NULL;
  gboolean ok = FALSE;

  g_assert_nonnull (connection);
  g_object_get (vmd_connection_get_gvir (connection), "handle", &conn, NULL);
  details = vmd_machine_details_new (vmd_connection_find_machine (connection, "db"));
  vmd_machine_details_reload_async (details, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
  g_assert_true (vmd_machine_details_edit_finish (details, result, NULL, NULL));
  g_clear_object (&result);
  before = snapshot_domains (conn);

  if (c->text2 != NULL)
    {
      /* Splice text2 into db's definition before </devices>, or in place of <name>db</name>. */
      const char *own = vmd_machine_details_get_config (details)->xml;
      g_auto(GStrv) parts = g_strsplit (own, c->text, 2);

      g_assert_nonnull (parts[1]);
      xml = g_strconcat (parts[0], c->text2, parts[1], NULL);
    }
  else
    xml = g_strdup (c->text);

  switch ((XmlEdit) c->number)
    {
    case XML_DEFINE:
      vmd_machine_details_define_xml_async (details, NULL, xml, NULL, vmd_test_store_result, &result);
      break;
    case XML_RENAME:
      vmd_machine_details_rename_async (details, xml, NULL, vmd_test_store_result, &result);
      break;
    case XML_MEMORY:
      {
        guint64 kib = g_ascii_strtoull (xml, NULL, 10);

        vmd_machine_details_set_memory_async (details, NULL, &(VmdMemoryFields) { kib, kib }, VMD_EDIT_NONE,
                                              NULL, vmd_test_store_result, &result);
      }
      break;
    case XML_VCPUS:
      {
        guint n = (guint) g_ascii_strtoull (xml, NULL, 10);

        vmd_machine_details_set_vcpus_async (details, NULL, &(VmdVcpuFields) { n, n }, VMD_EDIT_NONE,
                                             NULL, vmd_test_store_result, &result);
      }
      break;
    case XML_RAW_DEFINE:
      {
        /* libvirt's own define, as virsh define does it: libvirt must refuse, and say why. */
        virDomainPtr domain = virDomainDefineXML (conn, xml);

        if (domain != NULL)
          {
            virDomainFree (domain);
            ok = TRUE;
          }
        else
          vmd_error_set_from_libvirt (error, "virDomainDefineXML");
        break;
      }
    }
  if ((XmlEdit) c->number != XML_RAW_DEFINE)
    {
      g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 5000));
      ok = vmd_machine_details_edit_finish (details, result, NULL, error);
    }

  after = snapshot_domains (conn);
  if (!ok)
    g_assert_cmpstr (after, ==, before);
  virConnectClose (conn);
  return ok;
}

/* vmd_domain_xml_* edits of a document that is not XML. */
static gboolean
attempt_xml_edit (const Case  *c,
                  GError     **error)
{
  g_autofree char *edited = vmd_domain_xml_set_memory (c->text, 1048576, 1048576, error);

  return edited != NULL;
}

/* --- the table --------------------------------------------------------------------------------- */

static const Case cases[] = {
  /* Names. */
  { "name/empty",              attempt_name, "",                    NULL, 0,  VMD_ERROR_INVALID_INPUT, "name" },
  { "name/too-long",           attempt_name, NULL,                  NULL, 65, VMD_ERROR_INVALID_INPUT, "too long" },
  { "name/64-is-fine",         attempt_name, NULL,                  NULL, 64, OK, NULL },
  { "name/slash",              attempt_name, "web/01",              NULL, 0,  VMD_ERROR_INVALID_INPUT, "/" },
  { "name/only-spaces",        attempt_name, "   ",                 NULL, 0,  VMD_ERROR_INVALID_INPUT, NULL },
  { "name/newline",            attempt_name, "web\n01",             NULL, 0,  VMD_ERROR_INVALID_INPUT, NULL },
  { "name/leading-dash",       attempt_name, "-web",                NULL, 0,  VMD_ERROR_INVALID_INPUT, "-" },
  { "name/markup",             attempt_name, "a<b>&c",              NULL, 0,  VMD_ERROR_INVALID_INPUT, "<" },
  { "name/duplicate",          attempt_name, "web",                 NULL, 0,  VMD_ERROR_EXISTS, "web" },
  { "name/non-ascii-works",    attempt_name, "Ünïcødé-日本語-машина", NULL, 0,  OK, NULL },
  /* Sizes: the spec takes numbers (spin buttons parse the text), so "negative" arrives as a
   * wrapped-around guint64. */
  { "size/memory-zero",        attempt_memory, NULL, NULL, 0, VMD_ERROR_INVALID_INPUT, "memory" },
  { "size/memory-negative",    attempt_memory, NULL, NULL, (guint64) -1, VMD_ERROR_INVALID_INPUT, "MiB" },
  { "size/memory-huge",        attempt_memory, NULL, NULL, G_MAXUINT64 / 1024 + 1, VMD_ERROR_INVALID_INPUT, "MiB" },
  { "size/vcpus-zero",         attempt_vcpus,  NULL, NULL, 0, VMD_ERROR_INVALID_INPUT, "CPU" },
  { "size/disk-zero",          attempt_disk_size, NULL, NULL, 0, VMD_ERROR_INVALID_INPUT, "GiB" },
  { "size/disk-over-pool",     attempt_disk_size, NULL, NULL, 200, VMD_ERROR_NO_SPACE, "100 GiB free" },
  { "size/disk-huge-wraps",    attempt_disk_size, NULL, NULL, G_GUINT64_CONSTANT (1) << 34, VMD_ERROR_NO_SPACE, "GiB free" },
  /* Media. */
  { "media/none",              attempt_no_media, NULL,                  NULL, 0, VMD_ERROR_INVALID_INPUT, "ISO" },
  { "media/missing",           attempt_iso,      "/nonexistent/debian.iso", NULL, 0, VMD_ERROR_NOT_FOUND, "does not exist" },
  { "media/directory",         attempt_iso,      "a-directory.iso",     NULL, 0, VMD_ERROR_MEDIA, "not a file" },
  { "media/zero-bytes",        attempt_iso,      "empty.iso",           NULL, 0, VMD_ERROR_MEDIA, "not an ISO" },
  { "media/random-bytes",      attempt_iso,      "random.iso",          NULL, 0, VMD_ERROR_MEDIA, "not an ISO" },
  { "media/load-random",       attempt_load_media, "random.iso",        NULL, 0, VMD_ERROR_MEDIA, NULL },
  { "media/load-fake-magic",   attempt_load_media, "fake-magic.iso",    NULL, 0, VMD_ERROR_MEDIA, NULL },
  { "media/disk-missing",      attempt_existing_disk, "/nonexistent/disk.qcow2", NULL, 0, VMD_ERROR_NOT_FOUND, NULL },
  { "media/disk-directory",    attempt_existing_disk, "a-directory.iso", NULL, 0, VMD_ERROR_NOT_FOUND, "not a file" },
  /* XML edits on libvirt's test driver; nothing may change in libvirt. */
  { "xml/malformed",           attempt_xml, "<domain type='test'><name>db</domain>", NULL, XML_DEFINE, VMD_ERROR_INVALID_INPUT, NULL },
  { "xml/not-xml",             attempt_xml, "this is not XML at all", NULL, XML_DEFINE, VMD_ERROR_INVALID_INPUT, NULL },
  { "xml/libvirt-refuses",     attempt_xml, "</devices>", "<disk type='file' device='tape'/></devices>", XML_DEFINE,
    VMD_ERROR_LIBVIRT, "libvirt did not accept" },
  { "xml/bad-unit",            attempt_xml, "<memory unit='KiB'>", "<memory unit='parsecs'>", XML_DEFINE,
    VMD_ERROR_LIBVIRT, NULL },
  { "xml/other-machine-name",  attempt_xml, "<name>db</name>", "<name>web</name>", XML_DEFINE, ANY, NULL },
  { "xml/rename-to-existing",  attempt_xml, "web",           NULL, XML_RENAME, ANY, "web" },
  { "xml/rename-empty",        attempt_xml, "",              NULL, XML_RENAME, ANY, NULL },
  { "xml/rename-slash",        attempt_xml, "db/2",          NULL, XML_RENAME, ANY, NULL },
  { "xml/memory-zero",         attempt_xml, "0",             NULL, XML_MEMORY, ANY, NULL },
  { "xml/vcpus-zero",          attempt_xml, "0",             NULL, XML_VCPUS, ANY, NULL },
  { "xml/raw-define-malformed", attempt_xml, "<domain type='test'><name>x</nam></domain>", NULL, XML_RAW_DEFINE,
    VMD_ERROR_LIBVIRT, NULL },
  { "xml/raw-define-duplicate-uuid", attempt_xml, "<name>db</name>", "<name>db-copy</name>", XML_RAW_DEFINE,
    VMD_ERROR_LIBVIRT, "already" },
  { "xml/edit-not-xml",        attempt_xml_edit, "<domain><memory>", NULL, 0, ANY, NULL },
  /* Network addresses (the bridge assistant's fields). */
  { "net/prefix-33",           attempt_address, "192.168.1.80/33",  NULL, 0, VMD_ERROR_INVALID_ADDRESS, "prefix" },
  { "net/prefix-0",            attempt_address, "192.168.1.80/0",   NULL, 0, VMD_ERROR_INVALID_ADDRESS, "prefix" },
  { "net/prefix-missing",      attempt_address, "192.168.1.80",     NULL, 0, VMD_ERROR_INVALID_ADDRESS, "/24" },
  { "net/prefix-word",         attempt_address, "192.168.1.80/abc", NULL, 0, VMD_ERROR_INVALID_ADDRESS, NULL },
  { "net/octet-300",           attempt_address, "192.168.1.300/24", NULL, 0, VMD_ERROR_INVALID_ADDRESS, NULL },
  { "net/ipv6-in-ipv4",        attempt_address, "fe80::1/64",       NULL, 0, VMD_ERROR_INVALID_ADDRESS, "IPv6" },
  { "net/network-address",     attempt_address, "192.168.1.0/24",   NULL, 0, VMD_ERROR_INVALID_ADDRESS, NULL },
  { "net/good-address",        attempt_address, " 192.168.1.80/24 ", NULL, 0, OK, NULL },
  { "net/gateway-outside",     attempt_gateway, "10.0.0.1", "192.168.1.80/24", 0, VMD_ERROR_INVALID_ADDRESS, "outside" },
  { "net/gateway-ipv6",        attempt_gateway, "fe80::1",  "192.168.1.80/24", 0, VMD_ERROR_INVALID_ADDRESS, "IPv6" },
  { "net/gateway-is-self",     attempt_gateway, "192.168.1.80", "192.168.1.80/24", 0, VMD_ERROR_INVALID_ADDRESS, NULL },
  { "net/dns-garbage",         attempt_dns,     "192.168.1.1, banana", NULL, 0, VMD_ERROR_INVALID_ADDRESS, "banana" },
  { "net/limited-broadcast",   attempt_address, "255.255.255.255/32", NULL, 0, VMD_ERROR_INVALID_ADDRESS, "broadcast" },
  { "net/reserved-address",    attempt_address, "240.0.0.1/24",     NULL, 0, VMD_ERROR_INVALID_ADDRESS, "reserved" },
  { "net/gateway-is-network",  attempt_gateway, "192.168.1.0", "192.168.1.80/24", 0, VMD_ERROR_INVALID_ADDRESS, "itself" },
  { "net/gateway-is-broadcast", attempt_gateway, "192.168.1.255", "192.168.1.80/24", 0, VMD_ERROR_INVALID_ADDRESS, "broadcast" },
  { "net/gateway-zero",        attempt_gateway, "0.0.0.0", "192.168.1.80/24", 0, VMD_ERROR_INVALID_ADDRESS, "no address" },
  { "net/dns-zero",            attempt_dns,     "0.0.0.0",          NULL, 0, VMD_ERROR_INVALID_ADDRESS, "no address" },
  { "net/dns-broadcast",       attempt_dns,     "255.255.255.255",  NULL, 0, VMD_ERROR_INVALID_ADDRESS, "broadcast" },
  { "net/bridge-name-long",    attempt_bridge_name, "bridge-name-too-long", NULL, 0, VMD_ERROR_INVALID_INPUT, NULL },
  { "net/bridge-name-space",   attempt_bridge_name, "br 0",          NULL, 0, VMD_ERROR_INVALID_INPUT, NULL },
  { "net/bridge-name-slash",   attempt_bridge_name, "br/0",          NULL, 0, VMD_ERROR_INVALID_INPUT, NULL },
  { "net/bridge-not-on-host",  attempt_spec_bridge, "br7",           NULL, 0, VMD_ERROR_NOT_FOUND, "br7" },
  { "net/bridge-empty",        attempt_spec_bridge, "",              NULL, 0, VMD_ERROR_INVALID_INPUT, NULL },
};

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  gboolean accepted = c->attempt (c, &error);

  if (c->code == OK)
    {
      g_assert_no_error (error);
      g_assert_true (accepted);
      return;
    }
  g_assert_false (accepted);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", c->id, error->message);
  g_assert_true (error->domain == VMD_ERROR);
  if (c->code != ANY)
    g_assert_cmpint (error->code, ==, c->code);
  /* A sentence, not a code: long enough to say something, and what the case promises. */
  g_assert_cmpuint (strlen (error->message), >=, 10);
  if (c->says != NULL && strstr (error->message, c->says) == NULL)
    g_error ("%s: “%s” does not mention “%s”", c->id, error->message, c->says);
}

/* Root reads anything: the unreadable case drops to nobody in a subprocess. */
static void
test_unreadable_media (void)
{
  g_autofree char *path = scratch ("unreadable.iso");

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VmdMachineSpec) spec = spec_new ();

      if (getuid () == 0)
        {
          g_assert_cmpint (setgid (65534), ==, 0);
          g_assert_cmpint (setuid (65534), ==, 0);
        }
      g_assert_false (vmd_install_media_check_iso (path, &error));
      g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
      g_printerr ("%s\n", error->message);
      g_clear_error (&error);
      vmd_machine_spec_set_storage (spec, VMD_STORAGE_EXISTING, path, 0);
      g_assert_false (vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_STORAGE, &error));
      g_assert_error (error, VMD_ERROR, VMD_ERROR_MEDIA);
      g_printerr ("%s\n", error->message);
      return;
    }
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*cannot be read*");
}

/* Media files are not touched by being checked. */
static void
test_media_unchanged (void)
{
  const char *names[] = { "empty.iso", "random.iso", "fake-magic.iso" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = scratch (names[i]);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      gsize before_len, after_len;
      g_autoptr(GError) error = NULL;
      g_autoptr(VmdInstallMedia) media = NULL;

      g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
      vmd_install_media_check_iso (path, NULL);
      media = vmd_install_media_load (path, NULL, NULL, &error);
      g_assert_null (media);
      g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
      g_assert_cmpmem (before, before_len, after, after_len);
    }
}

static void
make_scratch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *random_path = NULL;
  g_autofree char *fake = NULL;
  g_autofree char *unreadable = NULL;
  g_autofree guint8 *bytes = g_malloc (64 * 1024);
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);

  scratch_dir = g_dir_make_tmp ("vmdesk-bad-input-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (scratch_dir, 0755);
  dir = scratch ("a-directory.iso");
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  empty = scratch ("empty.iso");
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  for (guint i = 0; i < 64 * 1024; i++)
    bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
  random_path = scratch ("random.iso");
  g_assert_true (g_file_set_contents (random_path, (char *) bytes, 64 * 1024, NULL));
  /* The magic where an ISO has it, and garbage around it: the quick check passes, the reader
   * must still refuse. */
  memcpy (bytes + 32769, "CD001", 5);
  fake = scratch ("fake-magic.iso");
  g_assert_true (g_file_set_contents (fake, (char *) bytes, 64 * 1024, NULL));
  unreadable = scratch ("unreadable.iso");
  g_assert_true (g_file_set_contents (unreadable, "CD001", 5, NULL));
  g_chmod (unreadable, 0);
}

static void
remove_scratch (void)
{
  const char *names[] = { "empty.iso", "random.iso", "fake-magic.iso", "unreadable.iso" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = scratch (names[i]);

      g_unlink (path);
    }
  {
    g_autofree char *dir = scratch ("a-directory.iso");

    g_rmdir (dir);
  }
  g_rmdir (scratch_dir);
  g_clear_pointer (&scratch_dir, g_free);
}

int
main (int argc, char *argv[])
{
  int status;

  vmd_test_init (&argc, &argv);
  if (!g_test_subprocess ())
    make_scratch ();
  else
    scratch_dir = g_strdup (g_getenv ("VMDESK_BAD_INPUT_DIR"));
  g_setenv ("VMDESK_BAD_INPUT_DIR", scratch_dir, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/%s", cases[i].id);

      g_test_add_data_func (path, &cases[i], run_case);
    }
  g_test_add_func ("/bad-input/media/unreadable", test_unreadable_media);
  g_test_add_func ("/bad-input/media/files-unchanged", test_media_unchanged);

  status = g_test_run ();
  if (!g_test_subprocess ())
    remove_scratch ();
  else
    g_free (scratch_dir);
  return status;
}
