/* VmdDetailsForm: the forms of one page that are applied with a button, and the page's conflict
 * bar that speaks for them. A form that holds no input is filled again from each new config;
 * one that holds input the user has not applied keeps it, and the bar says "Changed elsewhere
 * since you opened it" when its fields changed under it. Applying sends what the form started
 * from with what the user made of it; a field also changed elsewhere makes the bar ask
 * (Overwrite with Mine, Take Theirs, Cancel). When libvirt refuses, its message shows and the
 * form stays as the user left it. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-conflict-bar.h"
#include "vmd-details-page.h"

G_BEGIN_DECLS

/* What a form does, given by the page that holds it (page is that page). */
typedef struct {
  /* Shows config in the form's widgets. */
  void  (*fill)    (VmdDetailsPage         *page,
                    const VmdMachineConfig *config);
  /* What changed in the form's fields between two configs, a line each; NULL: nothing. */
  char *(*changes) (const VmdMachineConfig *before,
                    const VmdMachineConfig *after);
  /* Calls the details' typed change with start's fields as the base and the widgets' as the
   * user's, finishing with done (done_data). */
  void  (*apply)   (VmdDetailsPage         *page,
                    const VmdMachineConfig *start,
                    VmdEditFlags            flags,
                    GAsyncReadyCallback     done,
                    gpointer                done_data);
} VmdFormClass;

#define VMD_TYPE_DETAILS_FORM (vmd_details_form_get_type ())
G_DECLARE_FINAL_TYPE (VmdDetailsForm, vmd_details_form, VMD, DETAILS_FORM, GObject)

VmdDetailsForm *vmd_details_form_new           (VmdDetailsPage     *page,
                                                VmdConflictBar     *bar);
guint           vmd_details_form_add           (VmdDetailsForm     *self,
                                                const VmdFormClass *form_class);
void            vmd_details_form_watch         (VmdDetailsForm     *self,
                                                guint               form,
                                                gpointer            instance,
                                                const char         *signal);
void            vmd_details_form_watch_spin    (VmdDetailsForm     *self,
                                                guint               form,
                                                GtkWidget          *spin);
void            vmd_details_form_mark_edited   (VmdDetailsForm     *self,
                                                guint               form);
void            vmd_details_form_apply         (VmdDetailsForm     *self,
                                                guint               form,
                                                VmdEditFlags        flags);
void            vmd_details_form_follow        (VmdDetailsForm     *self);
void            vmd_details_form_forget_input  (VmdDetailsForm     *self);

G_END_DECLS
