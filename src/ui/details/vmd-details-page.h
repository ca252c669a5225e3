/* VmdDetailsPage: one page of the details window. It gets the machine's VmdMachineDetails (and
 * through it the machine) and nothing else of the window; it tells the window what to show in
 * its bars with "show-error" and "show-note". A subclass fills itself from each new config and
 * calls the details' typed changes. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-machine-details.h"

G_BEGIN_DECLS

typedef struct _VmdDetailsForm VmdDetailsForm;
typedef struct _VmdConflictBar VmdConflictBar;

#define VMD_TYPE_DETAILS_PAGE (vmd_details_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (VmdDetailsPage, vmd_details_page, VMD, DETAILS_PAGE, GtkBox)

struct _VmdDetailsPageClass
{
  GtkBoxClass parent_class;

  /* The details' config was read again (never NULL here). */
  void        (*config_changed) (VmdDetailsPage         *self,
                                 const VmdMachineConfig *config);
  /* The machine started, stopped, paused. */
  void        (*state_changed)  (VmdDetailsPage         *self,
                                 VmdMachine             *machine);
  /* What closing the window would lose, as the question to ask first; NULL: nothing. */
  const char *(*close_question) (VmdDetailsPage         *self);
  void        (*discard_input)  (VmdDetailsPage         *self);
};

VmdMachineDetails *vmd_details_page_get_details     (VmdDetailsPage *self);
VmdMachine        *vmd_details_page_get_machine     (VmdDetailsPage *self);
GCancellable      *vmd_details_page_get_cancellable (VmdDetailsPage *self);
const char        *vmd_details_page_close_question  (VmdDetailsPage *self);
void               vmd_details_page_discard_input   (VmdDetailsPage *self);
void               vmd_details_page_forget_input    (VmdDetailsPage *self);

/* For the subclasses. A page with forms applied by a button makes them here, over its conflict
 * bar; the page follows each new config with them after its config_changed. */
VmdDetailsForm    *vmd_details_page_new_form        (VmdDetailsPage *self,
                                                     VmdConflictBar *bar);
/* The page's buttons name these as "page.NAME" in its template; user_data is the page. */
void               vmd_details_page_add_actions     (VmdDetailsPage     *self,
                                                     const GActionEntry *entries,
                                                     int                 n_entries);
void               vmd_details_page_enable_action   (VmdDetailsPage     *self,
                                                     const char         *name,
                                                     gboolean            enabled);
void               vmd_details_page_show_error      (VmdDetailsPage *self,
                                                     const char     *message);
void               vmd_details_page_show_note       (VmdDetailsPage *self,
                                                     const char     *message);
gboolean           vmd_details_page_report_edit     (VmdDetailsPage *self,
                                                     GAsyncResult   *result);
void               vmd_details_page_edit_done       (GObject        *source,
                                                     GAsyncResult   *result,
                                                     gpointer        page);
GtkWindow         *vmd_details_page_get_window      (VmdDetailsPage *self);
void               vmd_details_page_present_dialog  (VmdDetailsPage *self,
                                                     GtkWidget      *dialog);
char              *vmd_details_page_selected_text   (GtkTreeView    *view,
                                                     int             column);
const char        *vmd_details_or_dash              (const char     *text);

/* A question with Cancel and a destructive action, and an optional check box; confirmed gets
 * subject (the disk, the snapshot) and whether the box was ticked. */
typedef void (*VmdDetailsConfirmed) (VmdDetailsPage *self,
                                     const char     *subject,
                                     gboolean        checked);

typedef struct {
  const char *question;
  const char *detail;
  const char *action;        /* "_Remove" */
  const char *check_label;   /* NULL: no check box */
  const char *check_name;    /* its accessible name */
} VmdDetailsQuestion;

void               vmd_details_page_confirm         (VmdDetailsPage           *self,
                                                     const VmdDetailsQuestion *question,
                                                     const char               *subject,
                                                     VmdDetailsConfirmed       confirmed);

/* A file to open, of the kinds patterns name ("*.iso"); chosen gets subject and its path, and
 * is not called once the page is gone. */
typedef void (*VmdDetailsChosen)    (VmdDetailsPage *self,
                                     const char     *subject,
                                     const char     *path);

typedef struct {
  const char         *title;
  const char         *accept;        /* "_Insert" */
  const char         *filter_name;
  const char * const *patterns;
} VmdDetailsFileQuestion;

void               vmd_details_page_choose_file     (VmdDetailsPage               *self,
                                                     const VmdDetailsFileQuestion *question,
                                                     const char                   *subject,
                                                     VmdDetailsChosen              chosen);

G_END_DECLS
