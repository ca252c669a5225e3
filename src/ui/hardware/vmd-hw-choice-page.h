/* VmdHwChoicePage: a kind of device described by at most two lists to choose from (a model and
 * an action, a type and a bus); the kind's typed builder (vmd-hw-choice-kinds.c) writes its XML
 * through core and says whether QEMU can add it to a running machine. */
#pragma once

#include "vmd-hw-page.h"

G_BEGIN_DECLS

typedef struct {
  const char *id;
  const char *title;            /* N_() */
} VmdHwChoice;

typedef struct {
  const char        *intro;     /* N_() */
  const char        *first_label;
  const VmdHwChoice *first;     /* ends with { NULL }; NULL: nothing to choose */
  const char        *second_label;
  const VmdHwChoice *second;
  char            *(*build)        (const char  *first,
                                    const char  *second,
                                    GError     **error);
  gboolean         (*hotpluggable) (const char  *first,
                                    const char  *second);
} VmdHwChoiceKind;

#define VMD_TYPE_HW_CHOICE_PAGE (vmd_hw_choice_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdHwChoicePage, vmd_hw_choice_page, VMD, HW_CHOICE_PAGE, VmdHwPage)

GtkWidget *vmd_hw_choice_page_new (VmdMachineDetails     *details,
                                   const VmdHwChoiceKind *kind);

G_END_DECLS
