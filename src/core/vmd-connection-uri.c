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

/* A user or host name as Add Connection's fields take them: no space, and none of the
 * characters that would end it in a URI. */
static gboolean
plain_name (const char *text,
            const char *forbidden)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr (forbidden, *p) != NULL)
      return FALSE;
  return TRUE;
}

/* qemu[+TRANSPORT]://[USER@]HOST/system from Add Connection's fields. transport: NULL or "" for
 * this computer (user and host are then ignored), else "ssh", "libssh" or "tls". NULL with a
 * VMD_ERROR_INVALID_INPUT naming the field when one is not right. */
char *
vmd_connection_uri_build (const char  *transport,
                          const char  *user,
                          const char  *host,
                          GError     **error)
{
  g_autofree char *scheme = NULL;
  g_autofree char *clean_host = g_strstrip (g_strdup (host != NULL ? host : ""));
  g_autofree char *clean_user = g_strstrip (g_strdup (user != NULL ? user : ""));

  if (transport == NULL || *transport == '\0')
    return g_strdup ("qemu:///system");
  if (*clean_host == '\0')
    {
      fail (error, _("Type the name or address of the computer to connect to."));
      return NULL;
    }
  if (!plain_name (clean_host, "/@?#%\\[]"))
    {
      fail (error, _("The computer's name has a character a name cannot have: use its name, as "
                     "in server.example.org, or its address."));
      return NULL;
    }
  if (!plain_name (clean_user, "/@:?#%\\[]"))
    {
      fail (error, _("The user name has a character a user name cannot have."));
      return NULL;
    }
  scheme = g_strconcat ("qemu+", transport, NULL);
  return g_uri_join (G_URI_FLAGS_NONE, scheme, *clean_user != '\0' ? clean_user : NULL,
                     clean_host, -1, "/system", NULL, NULL);
}

/* TLS needs the client's certificate and the authority's (libvirt's default places). */
gboolean
vmd_connection_tls_available (void)
{
  g_autofree char *user_cert = g_build_filename (g_get_home_dir (), ".pki", "libvirt",
                                                 "clientcert.pem", NULL);

  return g_file_test ("/etc/pki/CA/cacert.pem", G_FILE_TEST_EXISTS) &&
         (g_file_test ("/etc/pki/libvirt/clientcert.pem", G_FILE_TEST_EXISTS) ||
          g_file_test (user_cert, G_FILE_TEST_EXISTS));
}
