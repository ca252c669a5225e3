/* Turns libvirt's thread-local last error into a GError that keeps libvirt's own words. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"

G_DEFINE_QUARK (vmd-error-quark, vmd_error)

/* Must run on the thread that made the failing call: libvirt keeps the error per thread. */
void
vmd_error_set_from_libvirt (GError    **error,
                            const char *what)
{
  const char *message = virGetLastErrorMessage ();

  if (message == NULL || *message == '\0')
    message = _("libvirt gave no reason");

  if (what != NULL)
    g_set_error (error, VMD_ERROR, VMD_ERROR_LIBVIRT, "%s: %s", what, message);
  else
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_LIBVIRT, message);
  virResetLastError ();
}

/* For a worker's step that failed in libvirt: sets error from libvirt's last error after the
 * sentence format makes with the thing's name, and returns FALSE. */
gboolean
vmd_error_libvirt_failed (GError    **error,
                          const char *format,
                          const char *name)
{
  g_autofree char *what = g_strdup_printf (format, name);

  vmd_error_set_from_libvirt (error, what);
  return FALSE;
}
