/* VmdInstaller on the real system daemon and QEMU (TCG here): the tiny guest ISO installed as a
 * CD and by direct kernel boot; each must reach its banner on the serial log, and leave a
 * persistent machine that boots from disk. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-guest-fixture.h"
#include "vmd-installer.h"
#include "vmd-os-catalog.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

#define URI "qemu:///system"

typedef struct {
  VmdConnection  *connection;
  GVirConnection *gconn;
  virConnectPtr   conn;
  VmdInstaller   *installer;
  VmdMachineSpec *spec;
  char           *name;
  char           *dir;     /* under /var/lib/libvirt, so QEMU (libvirt-qemu) can read it */
  char           *iso;
  char           *serial_log;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fixture->name = g_strdup_printf ("vmdesk-create-%s-%d", (const char *) user_data, getpid ());
  fixture->dir = g_strdup_printf ("/var/lib/libvirt/vmdesk-tests/%s", fixture->name);
  fixture->serial_log = g_build_filename (fixture->dir, "serial.log", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0755), ==, 0);
  fixture->iso = vmd_guest_fixture_copy_file ("tiny-guest.iso", fixture->dir);

  fixture->connection = vmd_test_open_connection (URI, 1000, &error);
  g_assert_no_error (error);
  fixture->gconn = g_object_ref (vmd_connection_get_gvir (fixture->connection));
  g_object_get (fixture->gconn, "handle", &fixture->conn, NULL);
  fixture->installer = vmd_installer_new (fixture->connection);
  vmd_installer_probe_async (fixture->installer, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 30000));
  g_assert_true (vmd_installer_probe_finish (fixture->installer, result, &error));

  fixture->spec = vmd_machine_spec_new ();
  vmd_installer_apply_host_facts (fixture->installer, fixture->spec);
  vmd_machine_spec_set_name (fixture->spec, fixture->name);
  vmd_machine_spec_set_media_path (fixture->spec, fixture->iso);
  vmd_machine_spec_set_memory_mib (fixture->spec, 256);
  vmd_machine_spec_set_storage (fixture->spec, VMD_STORAGE_NEW_VOLUME, NULL, 1);
  vmd_machine_spec_set_serial_log (fixture->spec, fixture->serial_log);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *vol_name = g_strdup_printf ("%s.qcow2", fixture->name);
  virDomainPtr domain = virDomainLookupByName (fixture->conn, fixture->name);
  virStoragePoolPtr pool = virStoragePoolLookupByName (fixture->conn, "default");
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
  g_unlink (fixture->serial_log);
  g_unlink (fixture->iso);
  g_rmdir (fixture->dir);
  virConnectClose (fixture->conn);
  g_clear_object (&fixture->installer);
  g_clear_object (&fixture->spec);
  vmd_connection_close (fixture->connection);
  g_clear_object (&fixture->connection);
  g_clear_object (&fixture->gconn);
  g_free (fixture->name);
  g_free (fixture->dir);
  g_free (fixture->iso);
  g_free (fixture->serial_log);
}

static void
install_and_see_banner (Fixture         *fixture,
                        VmdInstallMedia *media)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  virDomainPtr domain;
  g_autofree char *persistent = NULL;
  char *live;
  g_autoptr(VmdXml) live_xml = NULL;
  g_autofree char *agent_socket = NULL;
  gint64 started = g_get_monotonic_time ();

  vmd_installer_install_async (fixture->installer, fixture->spec, media, NULL, VMD_INSTALL_NONE, NULL,
                               vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 120000));
  name = vmd_installer_install_finish (fixture->installer, result, &error);
  g_assert_no_error (error);
  g_test_message ("defined and started in %.1f s", (g_get_monotonic_time () - started) / 1e6);

  domain = virDomainLookupByName (fixture->conn, fixture->name);
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainIsActive (domain), ==, 1);
  g_assert_cmpint (virDomainIsPersistent (domain), ==, 1);
  persistent = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  /* The guest agent's channel runs: libvirt gave QEMU its socket. */
  live = virDomainGetXMLDesc (domain, 0);
  live_xml = vmd_xml_parse (live, &error);
  free (live);
  g_assert_no_error (error);
  agent_socket = vmd_xml_string (live_xml, NULL,
                                 "/domain/devices/channel[target/@name='org.qemu.guest_agent.0']/source/@path");
  g_assert_nonnull (agent_socket);
  g_test_message ("guest agent socket %s", agent_socket);
  virDomainFree (domain);
  g_assert_null (strstr (persistent, "<kernel>"));
  g_assert_nonnull (strstr (persistent, "<on_reboot>restart</on_reboot>"));

  g_assert_true (vmd_guest_fixture_wait_for_banner (fixture->serial_log, 120000));
  g_test_message ("banner after %.1f s", (g_get_monotonic_time () - started) / 1e6);
}

static void
test_cdrom (Fixture       *fixture,
            gconstpointer  user_data)
{
  /* The seed's defaults, but serial only so the banner is on the log. */
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_CDROM);
  vmd_machine_spec_set_graphics (fixture->spec, VMD_GRAPHICS_NONE);
  install_and_see_banner (fixture, NULL);
}

static void
test_kernel_boot (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdInstallMedia) media = vmd_install_media_load (fixture->iso, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (vmd_install_media_can_kernel_boot (media));
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_KERNEL_BOOT);
  vmd_machine_spec_set_kernel_args (fixture->spec, "console=ttyS0");
  vmd_machine_spec_set_graphics (fixture->spec, VMD_GRAPHICS_NONE);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_NONE, NULL);
  install_and_see_banner (fixture, media);
}

static void
on_received (VmdConsoleStream *stream,
             const char       *data,
             guint             size,
             GString          *received)
{
  g_string_append_len (received, data, size);
}

static gboolean
kernel_seen (gpointer user_data)
{
  return strstr (((GString *) user_data)->str, "Linux version") != NULL;
}

/* Started paused, a console attached, then resumed: the console has the guest's output from its
 * first byte on (SeaBIOS's, before the kernel's). A failed resume removes everything. */
static void
test_paused_first_boot (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) resumed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdInstallMedia) media = vmd_install_media_load (fixture->iso, NULL, NULL, &error);
  g_autoptr(VmdConsoleStream) console = NULL;
  g_autoptr(GString) received = g_string_new (NULL);
  g_autofree char *name = NULL;
  virDomainPtr domain;
  virStreamPtr stream;
  int state = 0, reason = 0;

  g_assert_no_error (error);
  vmd_machine_spec_set_install_method (fixture->spec, VMD_INSTALL_METHOD_KERNEL_BOOT);
  vmd_machine_spec_set_kernel_args (fixture->spec, "console=ttyS0");
  vmd_machine_spec_set_graphics (fixture->spec, VMD_GRAPHICS_NONE);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_NONE, NULL);
  vmd_installer_install_async (fixture->installer, fixture->spec, media, NULL, VMD_INSTALL_START_PAUSED,
                               NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 120000));
  name = vmd_installer_install_finish (fixture->installer, result, &error);
  g_assert_no_error (error);
  g_assert_true (vmd_installer_has_paused (fixture->installer));

  domain = virDomainLookupByName (fixture->conn, fixture->name);
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainGetState (domain, &state, &reason, 0), ==, 0);
  g_assert_cmpint (state, ==, VIR_DOMAIN_PAUSED);
  stream = virStreamNew (fixture->conn, VIR_STREAM_NONBLOCK);
  g_assert_cmpint (virDomainOpenConsole (domain, NULL, stream, VIR_DOMAIN_CONSOLE_SAFE), ==, 0);
  virDomainFree (domain);
  console = vmd_console_stream_new_take (stream);
  g_signal_connect (console, "received", G_CALLBACK (on_received), received);

  vmd_installer_resume_async (fixture->installer, NULL, vmd_test_store_result, &resumed);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &resumed, 30000));
  g_assert_true (vmd_installer_resume_finish (fixture->installer, resumed, &error));
  g_assert_no_error (error);
  g_assert_true (vmd_test_wait_until (kernel_seen, received, 120000));
  g_test_message ("the console's first bytes: %.60s", received->str);
  g_assert_nonnull (strstr (received->str, "SeaBIOS"));
  g_assert_true (strstr (received->str, "SeaBIOS") < strstr (received->str, "Linux version"));
  vmd_console_stream_close (console);
}

/* UEFI where the daemon offers it: libvirt picks OVMF and makes the NVRAM. (isolinux cannot boot
 * under UEFI, so no banner here: the machine starting with its firmware is the point.) */
static void
test_uefi (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *xml = NULL;
  virDomainPtr domain;

  if (!vmd_host_facts_get_uefi_available (vmd_installer_get_host_facts (fixture->installer)))
    {
      g_test_skip ("the daemon offers no UEFI firmware");
      return;
    }
  vmd_machine_spec_set_firmware (fixture->spec, VMD_FIRMWARE_UEFI);
  vmd_machine_spec_set_graphics (fixture->spec, VMD_GRAPHICS_NONE);
  vmd_machine_spec_set_network (fixture->spec, VMD_NETWORK_NONE, NULL);
  vmd_installer_install_async (fixture->installer, fixture->spec, NULL, NULL, VMD_INSTALL_NONE, NULL, vmd_test_store_result, &result);
  g_assert_true (vmd_test_wait_until (vmd_test_result_arrived, &result, 120000));
  name = vmd_installer_install_finish (fixture->installer, result, &error);
  g_assert_no_error (error);
  domain = virDomainLookupByName (fixture->conn, fixture->name);
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainIsActive (domain), ==, 1);
  xml = virDomainGetXMLDesc (domain, 0);
  virDomainFree (domain);
  g_assert_nonnull (strstr (xml, "<loader"));
  g_assert_nonnull (strstr (xml, "<nvram"));
}

int
main (int argc, char *argv[])
{
  vmd_test_init (&argc, &argv);

  g_assert_nonnull (g_getenv ("VMDESK_TINY_GUEST_DIR"));
  g_test_add ("/integration/create/cdrom", Fixture, "cd", fixture_set_up, test_cdrom, fixture_tear_down);
  g_test_add ("/integration/create/kernel-boot", Fixture, "kernel", fixture_set_up, test_kernel_boot,
              fixture_tear_down);
  g_test_add ("/integration/create/paused-first-boot", Fixture, "paused", fixture_set_up,
              test_paused_first_boot, fixture_tear_down);
  g_test_add ("/integration/create/uefi", Fixture, "uefi", fixture_set_up, test_uefi, fixture_tear_down);
  return g_test_run ();
}
