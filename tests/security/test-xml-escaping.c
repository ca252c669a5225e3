/* Names and paths that look like markup reach libvirt as the text the user typed: VmdMachineSpec
 * writes them through libvirt-gconfig, the details' rename through escaped XML. Each value is
 * read back twice: from our XML with libxml2, and from libvirt's test driver after a define. */
#include "config.h"

#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "vmd-connection.h"
#include "vmd-machine-details.h"
#include "vmd-machine-spec.h"
#include "vmd-test-util.h"

/* Quotes of both kinds, ampersands, angle brackets, a CDATA end, an entity, a comment start. */
#define HOSTILE "a<b>&c'd\"e]]>f&amp;g<!--h"
#define HOSTILE_NAME "evil-" HOSTILE
#define HOSTILE_PATH "/var/tmp/" HOSTILE ".iso"

/* The text of the first node the XPath expression selects; NULL when none. */
static char *
xpath_text (xmlDoc     *doc,
            const char *expression)
{
  xmlXPathContext *context = xmlXPathNewContext (doc);
  xmlXPathObject *result = xmlXPathEvalExpression ((const xmlChar *) expression, context);
  char *text = NULL;

  if (result != NULL && result->nodesetval != NULL && result->nodesetval->nodeNr > 0)
    {
      xmlChar *content = xmlNodeGetContent (result->nodesetval->nodeTab[0]);

      text = g_strdup ((const char *) content);
      xmlFree (content);
    }
  xmlXPathFreeObject (result);
  xmlXPathFreeContext (context);
  return text;
}

static xmlDoc *
parse_strictly (const char *xml)
{
  xmlDoc *doc = xmlReadMemory (xml, strlen (xml), "domain.xml", NULL,
                               XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

  if (doc == NULL)
    g_error ("not well-formed:\n%s", xml);
  return doc;
}

static void
assert_xpath (xmlDoc     *doc,
              const char *expression,
              const char *expected)
{
  g_autofree char *text = xpath_text (doc, expression);

  if (g_strcmp0 (text, expected) != 0)
    g_error ("%s is “%s”, not “%s”", expression, text, expected);
}

static VmdMachineSpec *
hostile_spec (void)
{
  VmdMachineSpec *spec = vmd_machine_spec_new ();

  vmd_machine_spec_set_name (spec, HOSTILE_NAME);
  vmd_machine_spec_set_install_method (spec, VMD_INSTALL_METHOD_KERNEL_BOOT);
  vmd_machine_spec_set_media_path (spec, HOSTILE_PATH);
  vmd_machine_spec_set_kernel (spec, "/var/tmp/" HOSTILE "-kernel", "/var/tmp/" HOSTILE "-initrd");
  vmd_machine_spec_set_kernel_args (spec, "console=ttyS0 note=\"" HOSTILE "\"");
  vmd_machine_spec_set_storage (spec, VMD_STORAGE_EXISTING, "/var/tmp/" HOSTILE ".qcow2", 0);
  vmd_machine_spec_set_network (spec, VMD_NETWORK_BRIDGE, "br<0>&'\"");
  vmd_machine_spec_set_serial_log (spec, "/var/tmp/" HOSTILE ".log");
  return spec;
}

/* The spec's own check refuses these names; the XML must still be right, as the check is the
 * assistant's and the XML is libvirt's. */
static void
test_spec_xml (void)
{
  g_autoptr(VmdMachineSpec) spec = hostile_spec ();
  g_autofree char *install = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_INSTALL);
  g_autofree char *final = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_FINAL);
  xmlDoc *doc;

  g_assert_false (vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_NAME, NULL));

  doc = parse_strictly (install);
  assert_xpath (doc, "/domain/name", HOSTILE_NAME);
  assert_xpath (doc, "/domain/os/kernel", "/var/tmp/" HOSTILE "-kernel");
  assert_xpath (doc, "/domain/os/initrd", "/var/tmp/" HOSTILE "-initrd");
  assert_xpath (doc, "/domain/os/cmdline", "console=ttyS0 note=\"" HOSTILE "\"");
  assert_xpath (doc, "/domain/devices/disk[@device='cdrom']/source/@file", HOSTILE_PATH);
  assert_xpath (doc, "/domain/devices/disk[@device='disk']/source/@file", "/var/tmp/" HOSTILE ".qcow2");
  assert_xpath (doc, "/domain/devices/interface/source/@bridge", "br<0>&'\"");
  assert_xpath (doc, "/domain/devices/serial/log/@file", "/var/tmp/" HOSTILE ".log");
  /* Nothing smuggled in: one domain, one name, no comment node made of our text. */
  g_assert_null (xpath_text (doc, "//comment()"));
  g_assert_null (xpath_text (doc, "/domain/name[2]"));
  xmlFreeDoc (doc);

  doc = parse_strictly (final);
  assert_xpath (doc, "/domain/name", HOSTILE_NAME);
  assert_xpath (doc, "/domain/devices/disk[@device='disk']/source/@file", "/var/tmp/" HOSTILE ".qcow2");
  xmlFreeDoc (doc);
}

/* Unicode names must work all the way, as the check accepts them. */
static void
test_spec_unicode (void)
{
  g_autoptr(VmdMachineSpec) spec = vmd_machine_spec_new ();
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  xmlDoc *doc;

  vmd_machine_spec_set_name (spec, "Ünïcødé-日本語-машина");
  g_assert_true (vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_NAME, &error));
  g_assert_no_error (error);
  xml = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_FINAL);
  doc = parse_strictly (xml);
  assert_xpath (doc, "/domain/name", "Ünïcødé-日本語-машина");
  xmlFreeDoc (doc);
}

/* libvirt's test driver defines what the spec wrote (with the test driver's domain type and
 * guest) and hands the same name and paths back. */
static void
test_spec_define (void)
{
  g_autofree char *uri = vmd_test_data_uri ("details.xml");
  g_autoptr(VmdMachineSpec) spec = hostile_spec ();
  g_autofree char *xml = NULL;
  g_autofree char *libvirt_xml = NULL;
  virConnectPtr conn = virConnectOpen (uri);
  virDomainPtr domain;
  xmlDoc *doc;
  xmlChar *text = NULL;
  int length = 0;
  char *desc;

  g_assert_nonnull (conn);
  vmd_machine_spec_set_network (spec, VMD_NETWORK_NONE, NULL);
  vmd_machine_spec_set_graphics (spec, VMD_GRAPHICS_NONE);
  xml = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_INSTALL);
  doc = parse_strictly (xml);
  xmlSetProp (xmlDocGetRootElement (doc), (const xmlChar *) "type", (const xmlChar *) "test");
  xmlDocDumpMemory (doc, &text, &length);
  xmlFreeDoc (doc);
  domain = virDomainDefineXML (conn, (const char *) text);
  xmlFree (text);
  if (domain == NULL)
    g_error ("the test driver refused the spec's XML: %s", virGetLastErrorMessage ());
  g_assert_cmpstr (virDomainGetName (domain), ==, HOSTILE_NAME);
  desc = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  libvirt_xml = g_strdup (desc);
  free (desc);
  doc = parse_strictly (libvirt_xml);
  assert_xpath (doc, "/domain/name", HOSTILE_NAME);
  assert_xpath (doc, "/domain/os/cmdline", "console=ttyS0 note=\"" HOSTILE "\"");
  assert_xpath (doc, "/domain/devices/disk[@device='cdrom']/source/@file", HOSTILE_PATH);
  assert_xpath (doc, "/domain/devices/disk[@device='disk']/source/@file", "/var/tmp/" HOSTILE ".qcow2");
  xmlFreeDoc (doc);
  virDomainUndefine (domain);
  virDomainFree (domain);
  virConnectClose (conn);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_arrived (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

/* The details' rename writes the new name into XML for libvirt. */
static void
test_rename (void)
{
  g_autofree char *uri = vmd_test_data_uri ("details.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdConnection) connection = vmd_test_open_connection (uri, 1000, &error);
  g_autoptr(VmdMachineDetails) details = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  virConnectPtr conn = NULL;
  virDomainPtr domain;
  GLogLevelFlags fatal;
  char uuid[VIR_UUID_STRING_BUFLEN];

  g_assert_no_error (error);
  details = vmd_machine_details_new (vmd_connection_find_machine (connection, "db"));
  vmd_machine_details_reload_async (details, NULL, store_result, &result);
  g_assert_true (vmd_test_wait_until (result_arrived, &result, 5000));
  g_assert_true (vmd_machine_details_edit_finish (details, result, NULL, NULL));
  g_clear_object (&result);

  /* libvirt-gobject 4.0 warns about the RENAMED event detail it does not know (as in
   * test-machine-details.c): not fatal here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  vmd_machine_details_rename_async (details, HOSTILE_NAME, NULL, store_result, &result);
  g_assert_true (vmd_test_wait_until (result_arrived, &result, 5000));
  vmd_machine_details_edit_finish (details, result, NULL, &error);
  vmd_test_spin (300);
  g_log_set_always_fatal (fatal);
  g_assert_no_error (error);

  g_object_get (vmd_connection_get_gvir (connection), "handle", &conn, NULL);
  domain = virDomainLookupByName (conn, HOSTILE_NAME);
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainGetUUIDString (domain, uuid), ==, 0);
  g_assert_cmpstr (uuid, ==, "bbbbbbbb-2222-4222-8222-222222222222");
  virDomainFree (domain);
  virConnectClose (conn);
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_test_add_func ("/security/xml/spec-hostile-values", test_spec_xml);
  g_test_add_func ("/security/xml/spec-unicode-name", test_spec_unicode);
  g_test_add_func ("/security/xml/spec-define-test-driver", test_spec_define);
  g_test_add_func ("/security/xml/details-rename", test_rename);
  return g_test_run ();
}
