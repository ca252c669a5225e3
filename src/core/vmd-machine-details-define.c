/* VmdMachineDetails, the XML page: the editor's whole document as the new persistent
 * definition, only over the definition it was written from. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-error.h"
#include "vmd-machine-details-private.h"

typedef struct {
  char *base;   /* the definition the editor started from; NULL: no check */
  char *mine;
} XmlChange;

static void
xml_change_free (XmlChange *change)
{
  g_free (change->base);
  g_free (change->mine);
  g_free (change);
}

/* Else it would silently undo what another client changed. */
static gboolean
apply_define (VmdDetailsEdit  *edit,
              gpointer         data,
              GError         **error)
{
  XmlChange *change = data;
  g_autofree char *current = NULL;

  if (change->base != NULL)
    {
      if ((current = vmd_details_edit_get_xml (edit, FALSE, error)) == NULL)
        return FALSE;
      if (!g_str_equal (current, change->base))
        {
          g_set_error_literal (error, VMD_ERROR, VMD_ERROR_CONFLICT,
                               _("The definition was changed elsewhere since you opened it"));
          return FALSE;
        }
    }
  return vmd_details_edit_redefine (edit, change->mine, error);
}

/* On failure libvirt's message, and the caller still has its text. base_xml is the definition
 * the text was written from: when libvirt holds another one now, nothing is defined and the edit
 * fails with VMD_ERROR_CONFLICT (the config is then the current one). NULL defines without that
 * check. */
void
vmd_machine_details_define_xml_async (VmdMachineDetails   *self,
                                      const char          *base_xml,
                                      const char          *xml,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  XmlChange *change = g_new0 (XmlChange, 1);

  change->base = g_strdup (base_xml);
  change->mine = g_strdup (xml);
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_define, change,
                                                                    (GDestroyNotify) xml_change_free),
                                vmd_machine_details_define_xml_async, cancellable, callback, user_data);
}
