/* vmdesk: starts libvirt's GLib event loop integration, then the application. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt-gobject/libvirt-gobject.h>
#include <locale.h>

#include "vmd-application.h"
#include "vmd-connection.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VmdApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  /* VMDESK_LOCALEDIR (e.g. <build>/po) lets uninstalled runs and the UI tests find the .mo
     files meson compiled, which are only under LOCALEDIR once installed. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VMDESK_LOCALEDIR") != NULL
                                   ? g_getenv ("VMDESK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Puts libvirt's event loop on GLib's: events and streams depend on it. */
  if (!gvir_init_object_check (&argc, &argv, &error))
    {
      g_printerr ("vmdesk: %s\n", error->message);
      return 1;
    }

  vmd_connection_quiet_unknown_events ();
  vmd_connection_ignore_sigpipe ();
  app = vmd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
