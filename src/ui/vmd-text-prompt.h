/* VmdTextPrompt: one question, one line of answer (a new size, the name of a copy), and the
 * answer's problem shown under it while the dialog stays open. The caller handles "response". */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VMD_TYPE_TEXT_PROMPT (vmd_text_prompt_get_type ())
G_DECLARE_FINAL_TYPE (VmdTextPrompt, vmd_text_prompt, VMD, TEXT_PROMPT, GtkDialog)

GtkWidget  *vmd_text_prompt_new          (GtkWindow     *parent,
                                          const char    *title,
                                          const char    *message,
                                          const char    *answer,
                                          const char    *ok_label);
const char *vmd_text_prompt_get_text     (VmdTextPrompt *self);
void        vmd_text_prompt_show_problem (VmdTextPrompt *self,
                                          const char    *message);
void        vmd_text_prompt_set_busy     (VmdTextPrompt *self,
                                          gboolean       busy);

G_END_DECLS
