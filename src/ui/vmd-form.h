/* Small helpers the create dialogs share: a problem shown beside its field, and text read from
 * entries. Not a type: plain functions over GTK widgets. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  const char *field;       /* a VMD_*_FIELD_* name */
  GtkWidget  *label;       /* the error label beside that field */
} VmdFormField;

void  vmd_form_show_problem (const VmdFormField *fields,
                             guint               n_fields,
                             GtkWidget          *general,
                             const char         *field,
                             const char         *message);
char *vmd_form_text         (GtkWidget          *entry);
void  vmd_form_set_busy     (GtkDialog          *dialog,
                             gboolean            busy);
gboolean vmd_form_end_create (GtkDialog         *dialog,
                              gboolean           created,
                              const GError      *error);

G_END_DECLS
