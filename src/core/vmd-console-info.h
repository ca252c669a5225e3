/* VmdConsoleInfo: what a console window can show for one machine, read from its domain XML:
 * its text consoles (pty serial ports and virtio consoles) and its graphics. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A text console the machine offers: a serial port or a virtio console on a pty. */
typedef struct {
  char *alias;   /* the device alias libvirt opens it by, e.g. "serial0" */
  char *label;   /* for the user: "Serial port 1" */
  char *log_file; /* <log file=.../>: where the host keeps what it printed, or NULL */
} VmdConsoleDevice;

/* What a console window can show for one machine, read from its domain XML. */
typedef struct {
  GPtrArray *consoles;          /* (element-type VmdConsoleDevice) */
  char      *graphics_type;     /* "spice", "vnc", ... or NULL when it has no graphics */
  char      *graphics_listen;   /* listen address, NULL when it listens on no socket */
  int        graphics_port;     /* -1 when unknown (not running yet) or none */
  int        graphics_tls_port; /* -1 when none */
} VmdConsoleInfo;

void             vmd_console_info_free            (VmdConsoleInfo   *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdConsoleInfo, vmd_console_info_free)
VmdConsoleInfo  *vmd_console_info_parse           (const char       *domain_xml);

G_END_DECLS
