/* VmdDetailsPage: the details a page binds to, its cancellable (cancelled with the page), the
 * calls into its subclass when the config or the machine's state changes, and what every page
 * needs to report an edit and to ask before one. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-details-form.h"
#include "vmd-details-page.h"

typedef struct
{
  VmdMachineDetails *details;
  GCancellable      *cancellable;
  VmdDetailsForm    *form;         /* NULL on a page without forms */
  GSimpleActionGroup *actions;     /* "page.*" */
} VmdDetailsPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (VmdDetailsPage, vmd_details_page, GTK_TYPE_BOX)

enum { PROP_0, PROP_DETAILS, N_PROPS };
enum { SHOW_ERROR, SHOW_NOTE, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define PRIV(self) ((VmdDetailsPagePrivate *) vmd_details_page_get_instance_private (VMD_DETAILS_PAGE (self)))

VmdMachineDetails *
vmd_details_page_get_details (VmdDetailsPage *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_PAGE (self), NULL);
  return PRIV (self)->details;
}

VmdMachine *
vmd_details_page_get_machine (VmdDetailsPage *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_PAGE (self), NULL);
  return vmd_machine_details_get_machine (PRIV (self)->details);
}

GCancellable *
vmd_details_page_get_cancellable (VmdDetailsPage *self)
{
  g_return_val_if_fail (VMD_IS_DETAILS_PAGE (self), NULL);
  return PRIV (self)->cancellable;
}

const char *
vmd_details_page_close_question (VmdDetailsPage *self)
{
  VmdDetailsPageClass *klass = VMD_DETAILS_PAGE_GET_CLASS (self);

  return klass->close_question != NULL ? klass->close_question (self) : NULL;
}

void
vmd_details_page_discard_input (VmdDetailsPage *self)
{
  VmdDetailsPageClass *klass = VMD_DETAILS_PAGE_GET_CLASS (self);

  if (klass->discard_input != NULL)
    klass->discard_input (self);
}

/* The header's Reload: typed input goes, the config that follows fills the forms. */
void
vmd_details_page_forget_input (VmdDetailsPage *self)
{
  g_return_if_fail (VMD_IS_DETAILS_PAGE (self));

  if (PRIV (self)->form != NULL)
    vmd_details_form_forget_input (PRIV (self)->form);
}

/* Returns the page's forms (owned by the page) to add each form to. */
VmdDetailsForm *
vmd_details_page_new_form (VmdDetailsPage *self,
                           VmdConflictBar *bar)
{
  VmdDetailsPagePrivate *priv = PRIV (self);

  g_return_val_if_fail (priv->form == NULL, priv->form);
  priv->form = vmd_details_form_new (self, bar);
  return priv->form;
}

void
vmd_details_page_add_actions (VmdDetailsPage     *self,
                              const GActionEntry *entries,
                              int                 n_entries)
{
  g_return_if_fail (VMD_IS_DETAILS_PAGE (self));
  g_action_map_add_action_entries (G_ACTION_MAP (PRIV (self)->actions), entries, n_entries, self);
}

void
vmd_details_page_enable_action (VmdDetailsPage *self,
                                const char     *name,
                                gboolean        enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (PRIV (self)->actions), name);

  g_return_if_fail (G_IS_SIMPLE_ACTION (action));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* --- reporting ---------------------------------------------------------------------------------- */

/* NULL hides the error shown. */
void
vmd_details_page_show_error (VmdDetailsPage *self,
                             const char     *message)
{
  g_signal_emit (self, signals[SHOW_ERROR], 0, message);
}

void
vmd_details_page_show_note (VmdDetailsPage *self,
                            const char     *message)
{
  g_signal_emit (self, signals[SHOW_NOTE], 0, message);
}

/* Libvirt's refusal shows; its note (a change that waits for the next boot) too. */
gboolean
vmd_details_page_report_edit (VmdDetailsPage *self,
                              GAsyncResult   *result)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  if (!vmd_machine_details_edit_finish (PRIV (self)->details, result, &note, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vmd_details_page_show_error (self, error->message);
      return FALSE;
    }
  vmd_details_page_show_error (self, NULL);
  if (note != NULL)
    vmd_details_page_show_note (self, note);
  return TRUE;
}

/* The callback of a change that is not a form's; takes a reference to the page. A page gone
 * meanwhile has cancelled the change: nothing is shown. */
void
vmd_details_page_edit_done (GObject      *source,
                            GAsyncResult *result,
                            gpointer      page)
{
  g_autoptr(VmdDetailsPage) self = page;

  vmd_details_page_report_edit (self, result);
}

GtkWindow *
vmd_details_page_get_window (VmdDetailsPage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  return GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL;
}

/* A dialog of the page's template, over the page's window. */
void
vmd_details_page_present_dialog (VmdDetailsPage *self,
                                 GtkWidget      *dialog)
{
  gtk_window_set_transient_for (GTK_WINDOW (dialog), vmd_details_page_get_window (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The selected row's text in column, or NULL. */
char *
vmd_details_page_selected_text (GtkTreeView *view,
                                int          column)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  char *text = NULL;

  if (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (view), &model, &iter))
    gtk_tree_model_get (model, &iter, column, &text, -1);
  return text;
}

/* A value the page shows, or a dash for none. */
const char *
vmd_details_or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "—";
}

/* --- asking ------------------------------------------------------------------------------------- */

/* What an answer acts on, held by the dialog's response handler. */
typedef struct {
  VmdDetailsPage      *page;
  char                *subject;
  GtkWidget           *check;       /* NULL without a check box */
  VmdDetailsConfirmed  confirmed;   /* for a question */
  VmdDetailsChosen     chosen;      /* for a file chooser */
} Answer;

static Answer *
answer_new (VmdDetailsPage *page,
            const char     *subject)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->page = g_object_ref (page);
  answer->subject = g_strdup (subject);
  return answer;
}

static void
answer_free (gpointer  data,
             GClosure *closure)
{
  Answer *answer = data;

  g_object_unref (answer->page);
  g_free (answer->subject);
  g_free (answer);
}

static void
on_confirm_response (GtkDialog *dialog,
                     int        response,
                     Answer    *answer)
{
  gboolean checked = answer->check != NULL && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (answer->check));

  if (response == GTK_RESPONSE_ACCEPT)
    answer->confirmed (answer->page, answer->subject, checked);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static GtkWidget *
question_dialog (GtkWindow                *parent,
                 const VmdDetailsQuestion *question)
{
  GtkWidget *dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", question->question);
  GtkWidget *button;

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", question->detail);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), question->action, GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  return dialog;
}

void
vmd_details_page_confirm (VmdDetailsPage           *self,
                          const VmdDetailsQuestion *question,
                          const char               *subject,
                          VmdDetailsConfirmed       confirmed)
{
  GtkWidget *dialog = question_dialog (vmd_details_page_get_window (self), question);
  Answer *answer = answer_new (self, subject);

  answer->confirmed = confirmed;
  if (question->check_label != NULL)
    {
      answer->check = gtk_check_button_new_with_mnemonic (question->check_label);
      atk_object_set_name (gtk_widget_get_accessible (answer->check), question->check_name);
      gtk_widget_show (answer->check);
      gtk_container_add (GTK_CONTAINER (gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog))),
                         answer->check);
    }
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_confirm_response), answer, answer_free, 0);
  gtk_widget_show (dialog);
}

/* The chooser is not a widget: it is freed here, with the answer. */
static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                Answer          *answer)
{
  g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));

  if (response == GTK_RESPONSE_ACCEPT && path != NULL && !g_cancellable_is_cancelled (PRIV (answer->page)->cancellable))
    answer->chosen (answer->page, answer->subject, path);
  g_object_unref (chooser);
}

void
vmd_details_page_choose_file (VmdDetailsPage               *self,
                              const VmdDetailsFileQuestion *question,
                              const char                   *subject,
                              VmdDetailsChosen              chosen)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (question->title, vmd_details_page_get_window (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, question->accept,
                                                               _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();
  Answer *answer = answer_new (self, subject);

  gtk_file_filter_set_name (filter, question->filter_name);
  for (guint i = 0; question->patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, question->patterns[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  answer->chosen = chosen;
  g_signal_connect_data (chooser, "response", G_CALLBACK (on_file_chosen), answer, answer_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- following the details ---------------------------------------------------------------------- */

static void
on_details_changed (VmdMachineDetails *details,
                    VmdDetailsPage    *self)
{
  VmdDetailsPageClass *klass = VMD_DETAILS_PAGE_GET_CLASS (self);
  const VmdMachineConfig *config = vmd_machine_details_get_config (details);

  if (config == NULL)
    return;
  if (klass->config_changed != NULL)
    klass->config_changed (self, config);
  if (PRIV (self)->form != NULL)
    vmd_details_form_follow (PRIV (self)->form);
}

static void
on_state_changed (VmdMachine     *machine,
                  GParamSpec     *pspec,
                  VmdDetailsPage *self)
{
  VmdDetailsPageClass *klass = VMD_DETAILS_PAGE_GET_CLASS (self);

  if (klass->state_changed != NULL)
    klass->state_changed (self, machine);
}

static void
vmd_details_page_constructed (GObject *object)
{
  VmdDetailsPage *self = VMD_DETAILS_PAGE (object);
  VmdDetailsPagePrivate *priv = PRIV (self);

  G_OBJECT_CLASS (vmd_details_page_parent_class)->constructed (object);
  g_return_if_fail (priv->details != NULL);
  g_signal_connect_object (priv->details, "changed", G_CALLBACK (on_details_changed), self, 0);
  g_signal_connect_object (vmd_details_page_get_machine (self), "notify::state",
                           G_CALLBACK (on_state_changed), self, 0);
  on_state_changed (vmd_details_page_get_machine (self), NULL, self);
  on_details_changed (priv->details, self);
}

static void
vmd_details_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_DETAILS: PRIV (object)->details = g_value_dup_object (value); break;
    default:           G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_details_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_DETAILS: g_value_set_object (value, PRIV (object)->details); break;
    default:           G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The details and the (cancelled) cancellable stay to the end: a chooser answered after the
 * window closed still finds them, and starts nothing. */
static void
vmd_details_page_dispose (GObject *object)
{
  VmdDetailsPagePrivate *priv = PRIV (object);

  g_cancellable_cancel (priv->cancellable);
  G_OBJECT_CLASS (vmd_details_page_parent_class)->dispose (object);
  /* After the widgets: their input handlers hold the forms until then. */
  g_clear_object (&priv->form);
}

static void
vmd_details_page_finalize (GObject *object)
{
  VmdDetailsPagePrivate *priv = PRIV (object);

  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->details);
  g_clear_object (&priv->actions);
  G_OBJECT_CLASS (vmd_details_page_parent_class)->finalize (object);
}

static void
vmd_details_page_class_init (VmdDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vmd_details_page_constructed;
  object_class->set_property = vmd_details_page_set_property;
  object_class->get_property = vmd_details_page_get_property;
  object_class->dispose = vmd_details_page_dispose;
  object_class->finalize = vmd_details_page_finalize;

  properties[PROP_DETAILS] =
    g_param_spec_object ("details", NULL, NULL, VMD_TYPE_MACHINE_DETAILS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A message for the window's bars: an error (NULL hides it), a note on what applies later. */
  signals[SHOW_ERROR] = g_signal_new ("show-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SHOW_NOTE] = g_signal_new ("show-note", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vmd_details_page_init (VmdDetailsPage *self)
{
  PRIV (self)->cancellable = g_cancellable_new ();
  PRIV (self)->actions = g_simple_action_group_new ();
  gtk_widget_insert_action_group (GTK_WIDGET (self), "page", G_ACTION_GROUP (PRIV (self)->actions));
}
