#include "config.h"

#include "vmd-form.h"

/* Shows message beside field's label (or in general when no field matches); hides every other
 * problem. A NULL message hides them all. */
void
vmd_form_show_problem (const VmdFormField *fields,
                       guint               n_fields,
                       GtkWidget          *general,
                       const char         *field,
                       const char         *message)
{
  gboolean placed = FALSE;

  for (guint i = 0; i < n_fields; i++)
    {
      gboolean here = message != NULL && g_strcmp0 (fields[i].field, field) == 0;

      gtk_label_set_text (GTK_LABEL (fields[i].label), here ? message : "");
      gtk_widget_set_visible (fields[i].label, here);
      placed = placed || here;
    }
  gtk_label_set_text (GTK_LABEL (general), message != NULL && !placed ? message : "");
  gtk_widget_set_visible (general, message != NULL && !placed);
}

/* The entry's text with spaces at the ends removed; NULL when empty. */
char *
vmd_form_text (GtkWidget *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (entry))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

/* While the dialog's work runs in the background: nothing to press twice. */
void
vmd_form_set_busy (GtkDialog *dialog,
                   gboolean   busy)
{
  gtk_widget_set_sensitive (gtk_dialog_get_content_area (dialog), !busy);
  gtk_dialog_set_response_sensitive (dialog, GTK_RESPONSE_OK, !busy);
}

/* A create call has returned: a dialog whose thing was made closes; one whose call was cancelled
 * (it is closing) is left alone; otherwise it takes input again, and TRUE says the caller shows
 * error's message beside its field. */
gboolean
vmd_form_end_create (GtkDialog    *dialog,
                     gboolean      created,
                     const GError *error)
{
  if (created)
    {
      gtk_widget_destroy (GTK_WIDGET (dialog));
      return FALSE;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  vmd_form_set_busy (dialog, FALSE);
  return TRUE;
}
