/* VmdHwPage: one kind of device in the Add Hardware dialog. A page reads its own fields, shows
 * each problem beside the field at fault, and gives the device's XML with how it is attached.
 * A new kind is one more subclass and one row in vmd-add-hardware-dialog.c. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine-details.h"

G_BEGIN_DECLS

#define VMD_TYPE_HW_PAGE (vmd_hw_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (VmdHwPage, vmd_hw_page, VMD, HW_PAGE, GtkBox)

struct _VmdHwPageClass
{
  GtkBoxClass parent_class;

  /* The device for the machine's current definition (domain_xml), or NULL when the input is not
   * valid: the page has shown why beside the field; error says it too. */
  char *(*build)     (VmdHwPage         *self,
                      const char        *domain_xml,
                      VmdHwAttach       *mode,
                      GError           **error);
  /* What to tell the user once it is added (a mount command); NULL: nothing. */
  char *(*added_hint) (VmdHwPage        *self);
  /* NULL: the details' add_hardware of build's XML. A kind that makes more than a device (a
   * new volume) adds it its own way, finished with vmd_machine_details_edit_finish(). */
  void  (*add_async)  (VmdHwPage           *self,
                       const char          *domain_xml,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data);
};

char *vmd_hw_page_build      (VmdHwPage   *self,
                              const char  *domain_xml,
                              VmdHwAttach *mode,
                              GError     **error);
char *vmd_hw_page_added_hint (VmdHwPage   *self);
/* The machine the page adds to (the "details" property, set when it is made). */
VmdMachineDetails *vmd_hw_page_get_details (VmdHwPage *self);
/* What Add does with the page's device; the default adds build's XML with its mode. */
void  vmd_hw_page_add_async  (VmdHwPage           *self,
                              const char          *domain_xml,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
/* For the subclasses: their input changed, the dialog checks it again. */
void  vmd_hw_page_changed    (VmdHwPage   *self);

G_END_DECLS
