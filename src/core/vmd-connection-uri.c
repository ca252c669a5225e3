/* What Add Connection says about a URI before it opens it: its driver, its transport, its host
 * and, for the drivers that have a fixed set, its path. libvirt would say only "no connection
 * driver available for URI" after a round trip; here the user learns which part is wrong, beside
 * the field, as they type. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vmd-connection-uri.h"
#include "vmd-error.h"

/* libvirt 9's URI schemes: hypervisor drivers, and the modular daemons' own. */
static const char * const drivers[] = {
  "qemu", "lxc", "xen", "test", "vbox", "vmwareplayer", "vmwarews", "vmwarefusion", "esx",
  "gsx", "vpx", "hyperv", "bhyve", "openvz", "vz", "parallels", "ch", "remote",
  "network", "interface", "nodedev", "nwfilter", "secret", "storage", NULL
};

/* Transports that reach another computer, and so need its name. */
static const char * const remote_transports[] = { "ssh", "libssh", "libssh2", "tcp", "tls", NULL };

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, message);
  return FALSE;
}

static gboolean
check_scheme (const char  *scheme,
              GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (scheme, "+", 2);
  g_autofree char *message = NULL;

  if (!g_strv_contains (drivers, parts[0]))
    {
      message = g_strdup_printf (_("“%s” is not a libvirt driver. Use qemu (or another driver such "
                                   "as lxc, xen or test), as in qemu:///system."), parts[0]);
      return fail (error, message);
    }
  if (parts[1] != NULL && !g_strv_contains (remote_transports, parts[1]) &&
      !g_str_equal (parts[1], "unix") && !g_str_equal (parts[1], "ext"))
    {
      message = g_strdup_printf (_("“%s” is not a transport libvirt knows. Use ssh, libssh, tls, "
                                   "tcp, unix or ext, as in %s+ssh://user@host/system."),
                                 parts[1], parts[0]);
      return fail (error, message);
    }
  return TRUE;
}

static gboolean
check_host (const char  *scheme,
            const char  *host,
            const char  *query,
            GError     **error)
{
  const char *plus = strchr (scheme, '+');
  const char *transport = plus != NULL ? plus + 1 : NULL;
  g_autofree char *message = NULL;

  if (transport != NULL && g_strv_contains (remote_transports, transport) && *host == '\0')
    {
      message = g_strdup_printf (_("A %s connection needs the name of the computer, as in "
                                   "%s://user@host/system."), scheme, scheme);
      return fail (error, message);
    }
  if (g_strcmp0 (transport, "unix") == 0 && *host != '\0')
    return fail (error, _("A unix socket is on this computer: leave the host out, as in "
                          "qemu+unix:///system."));
  if (g_strcmp0 (transport, "ext") == 0 && (query == NULL || strstr (query, "command=") == NULL))
    return fail (error, _("An ext connection needs the program to run, as in "
                          "qemu+ext:///system?command=/path/to/program."));
  return TRUE;
}

static gboolean
check_path (const char  *scheme,
            const char  *path,
            GError     **error)
{
  g_autofree char *driver = g_strndup (scheme, strcspn (scheme, "+"));

  if (g_str_equal (driver, "qemu") &&
      !g_str_equal (path, "/system") && !g_str_equal (path, "/session") &&
      !g_str_equal (path, "/embed"))
    return fail (error, _("A QEMU connection ends in /system (the system's machines) or /session "
                          "(your own), as in qemu:///system."));
  if (g_str_equal (driver, "test") && (path[0] != '/' || path[1] == '\0'))
    return fail (error, _("A test connection ends in /default or in the path of a test driver "
                          "file, as in test:///default."));
  return TRUE;
}

/* TRUE when uri has the form of a libvirt URI; else FALSE with a VMD_ERROR_INVALID_INPUT that
 * says what to change (it does not repeat the URI: it is shown beside the field it was typed in). */
gboolean
vmd_connection_uri_check (const char  *uri,
                          GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (uri != NULL ? uri : ""));
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *scheme = NULL;

  if (*stripped == '\0')
    return fail (error, _("Type a libvirt URI, for example qemu+ssh://user@host/system."));
  parsed = g_uri_parse (stripped, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return fail (error, _("This is not a URI. A libvirt URI names a driver, then the computer and "
                          "a path, as in qemu:///system or qemu+ssh://user@host/system."));
  scheme = g_ascii_strdown (g_uri_get_scheme (parsed), -1);
  if (!check_scheme (scheme, error))
    return FALSE;
  if (g_uri_get_host (parsed) == NULL)
    return fail (error, _("A libvirt URI has “//” after the driver, as in qemu:///system."));
  return check_host (scheme, g_uri_get_host (parsed), g_uri_get_query (parsed), error) &&
         check_path (scheme, g_uri_get_path (parsed), error);
}
