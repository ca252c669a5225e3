/* VmdApplication: the command line, the connections it names, and application-wide actions. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_APPLICATION (vmd_application_get_type ())
G_DECLARE_FINAL_TYPE (VmdApplication, vmd_application, VMD, APPLICATION, GtkApplication)

VmdApplication *vmd_application_new             (void);

G_END_DECLS
