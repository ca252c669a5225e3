/* VMD_ERROR: the errors a VM Desk user can meet, each with a message to read. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VMD_ERROR (vmd_error_quark ())

typedef enum {
  VMD_ERROR_FAILED,
  VMD_ERROR_LIBVIRT,
  VMD_ERROR_NOT_CONNECTED,
  VMD_ERROR_INVALID_STATE,
  VMD_ERROR_NOT_FOUND,
  VMD_ERROR_INVALID_ADDRESS,
  VMD_ERROR_NM_NOT_RUNNING,
  VMD_ERROR_PERMISSION_DENIED,
  VMD_ERROR_UNSUPPORTED_DEVICE,
  VMD_ERROR_ROLLED_BACK,
  VMD_ERROR_INVALID_INPUT,
  VMD_ERROR_MEDIA,
  VMD_ERROR_EXISTS,
  VMD_ERROR_NO_SPACE,
  VMD_ERROR_CONSOLE_BUSY,
  VMD_ERROR_CONFLICT,          /* changed elsewhere since the user started from it */
} VmdError;

GQuark vmd_error_quark (void);

void vmd_error_set_from_libvirt (GError    **error,
                                 const char *what);
gboolean vmd_error_libvirt_failed (GError    **error,
                                   const char *format,
                                   const char *name);

G_END_DECLS
