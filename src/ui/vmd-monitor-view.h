/* VmdMonitorView: a command line to QEMU's human monitor (HMP), through libvirt. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine.h"

G_BEGIN_DECLS

#define VMD_TYPE_MONITOR_VIEW (vmd_monitor_view_get_type ())
G_DECLARE_FINAL_TYPE (VmdMonitorView, vmd_monitor_view, VMD, MONITOR_VIEW, GtkBox)

GtkWidget *vmd_monitor_view_new (VmdMachine *machine);

G_END_DECLS
