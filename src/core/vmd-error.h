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
} VmdError;

GQuark vmd_error_quark (void);

void vmd_error_set_from_libvirt (GError    **error,
                                 const char *what);

G_END_DECLS
