/* What a console window finds in a domain's XML: its text consoles and its graphics. */
#include "config.h"

#include "vmd-machine.h"

static const char *live_xml =
  "<domain type='qemu' id='3'><name>t</name><devices>"
  "<serial type='pty'><source path='/dev/pts/4'/><target type='isa-serial' port='0'/>"
  "  <alias name='serial0'/></serial>"
  "<serial type='file'><source path='/tmp/log'/><target port='1'/><alias name='serial1'/></serial>"
  "<serial type='pty'><source path='/dev/pts/5'/><target port='2'/><alias name='serial2'/></serial>"
  "<console type='pty' tty='/dev/pts/4'><target type='serial' port='0'/><alias name='serial0'/></console>"
  "<console type='pty'><target type='virtio' port='1'/><alias name='console1'/></console>"
  "<graphics type='spice' port='5901' tlsPort='5902' autoport='yes' listen='0.0.0.0'>"
  "  <listen type='address' address='0.0.0.0'/></graphics>"
  "<graphics type='vnc' port='5903'/>"
  "</devices></domain>";

static void
test_live (void)
{
  g_autoptr(VmdConsoleInfo) info = vmd_console_info_parse (live_xml);
  const char *aliases[] = { "serial0", "serial2", "console1" };
  const char *labels[] = { "Serial port 1", "Serial port 3", "Console 2 (virtio)" };

  g_assert_nonnull (info);
  /* The file-backed serial cannot be opened; the serial console is serial0 again. */
  g_assert_cmpuint (info->consoles->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      VmdConsoleDevice *device = info->consoles->pdata[i];

      g_assert_cmpstr (device->alias, ==, aliases[i]);
      g_assert_cmpstr (device->label, ==, labels[i]);
    }
  g_assert_cmpstr (info->graphics_type, ==, "spice");
  g_assert_cmpstr (info->graphics_listen, ==, "0.0.0.0");
  g_assert_cmpint (info->graphics_port, ==, 5901);
  g_assert_cmpint (info->graphics_tls_port, ==, 5902);
}

/* A shut-off machine's definition has no aliases: libvirt's own names are derived. */
static void
test_inactive_fd_only (void)
{
  g_autoptr(VmdConsoleInfo) info = vmd_console_info_parse (
    "<domain type='qemu'><name>t</name><devices>"
    "<serial type='pty'><target port='0'/></serial>"
    "<console type='pty'><target type='serial' port='0'/></console>"
    "<graphics type='spice' autoport='yes'><listen type='none'/></graphics>"
    "</devices></domain>");

  g_assert_nonnull (info);
  g_assert_cmpuint (info->consoles->len, ==, 1);
  g_assert_cmpstr (((VmdConsoleDevice *) info->consoles->pdata[0])->alias, ==, "serial0");
  g_assert_cmpstr (info->graphics_type, ==, "spice");
  g_assert_null (info->graphics_listen);
  g_assert_cmpint (info->graphics_port, ==, -1);
}

/* A serial port with <log file=.../> says where the host keeps what it printed. */
static void
test_log_file (void)
{
  g_autoptr(VmdConsoleInfo) info = vmd_console_info_parse (
    "<domain type='qemu'><name>t</name><devices>"
    "<serial type='pty'><log file='/var/log/libvirt/qemu/t-serial0.log' append='on'/>"
    "<target port='0'/></serial>"
    "<serial type='pty'><target port='1'/></serial>"
    "</devices></domain>");

  g_assert_nonnull (info);
  g_assert_cmpuint (info->consoles->len, ==, 2);
  g_assert_cmpstr (((VmdConsoleDevice *) info->consoles->pdata[0])->log_file, ==,
                   "/var/log/libvirt/qemu/t-serial0.log");
  g_assert_null (((VmdConsoleDevice *) info->consoles->pdata[1])->log_file);
}

static void
test_none (void)
{
  g_autoptr(VmdConsoleInfo) info = vmd_console_info_parse ("<domain><name>t</name><devices/></domain>");

  g_assert_nonnull (info);
  g_assert_cmpuint (info->consoles->len, ==, 0);
  g_assert_null (info->graphics_type);
  g_assert_null (vmd_console_info_parse ("<domain><devices>"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/console-info/live", test_live);
  g_test_add_func ("/console-info/inactive-fd-only", test_inactive_fd_only);
  g_test_add_func ("/console-info/log-file", test_log_file);
  g_test_add_func ("/console-info/none", test_none);
  return g_test_run ();
}
