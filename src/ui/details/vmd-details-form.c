/* VmdDetailsForm: a form's state is what it was last filled from, whether it holds input (then
 * it is not refilled), whether its Apply is under way, and whether that Apply was refused as a
 * conflict. The bar is the page's: it lists what changed in the fields of every form with input. */
#include "config.h"

#include "vmd-details-form.h"
#include "vmd-error.h"

typedef struct {
  const VmdFormClass *klass;
  VmdMachineConfig   *started_from;  /* the config the form was last filled from */
  gboolean            edited;        /* holds input not applied yet: not refilled */
  gboolean            applying;
  gboolean            conflicted;    /* its Apply was refused: changed elsewhere meanwhile */
} Form;

struct _VmdDetailsForm
{
  GObject         parent_instance;

  VmdDetailsPage *page;      /* owns us */
  VmdConflictBar *bar;
  GArray         *forms;     /* (element-type Form) */
  gboolean        filling;   /* setting widgets from the config, not the user */
};

G_DEFINE_FINAL_TYPE (VmdDetailsForm, vmd_details_form, G_TYPE_OBJECT)

static Form *
form_at (VmdDetailsForm *self,
         guint           form)
{
  return &g_array_index (self->forms, Form, form);
}

/* The form shows the details' config, and starts from it. */
static void
refill (VmdDetailsForm *self,
        Form           *form)
{
  const VmdMachineConfig *config = vmd_machine_details_get_config (vmd_details_page_get_details (self->page));

  if (config == NULL)
    return;
  self->filling = TRUE;
  form->klass->fill (self->page, config);
  self->filling = FALSE;
  g_clear_pointer (&form->started_from, vmd_machine_config_unref);
  form->started_from = vmd_machine_config_ref ((VmdMachineConfig *) config);
}

/* What changed since the forms that hold input were filled; asked about when an Apply of one
 * of them was refused for it. */
static void
update_bar (VmdDetailsForm *self)
{
  const VmdMachineConfig *config = vmd_machine_details_get_config (vmd_details_page_get_details (self->page));
  g_autoptr(GString) changes = g_string_new (NULL);
  gboolean asking = FALSE;

  for (guint i = 0; i < self->forms->len && config != NULL; i++)
    {
      Form *form = form_at (self, i);
      g_autofree char *described = NULL;

      if (!form->edited || form->applying || form->started_from == NULL)
        continue;
      asking |= form->conflicted;
      if ((described = form->klass->changes (form->started_from, config)) != NULL)
        g_string_append_printf (changes, "%s%s", changes->len > 0 ? "\n" : "", described);
    }
  if (asking)
    vmd_conflict_bar_ask (self->bar, changes->str, NULL);
  else if (changes->len > 0)
    vmd_conflict_bar_tell (self->bar, changes->str, NULL);
  else
    vmd_conflict_bar_dismiss (self->bar);
}

/* A new config: forms with no input show it; the others keep their input and their start. */
void
vmd_details_form_follow (VmdDetailsForm *self)
{
  g_return_if_fail (VMD_IS_DETAILS_FORM (self));

  for (guint i = 0; i < self->forms->len; i++)
    if (!form_at (self, i)->edited && !form_at (self, i)->applying)
      refill (self, form_at (self, i));
  update_bar (self);
}

/* The header's Reload: the input goes; the config read then fills the forms. */
void
vmd_details_form_forget_input (VmdDetailsForm *self)
{
  g_return_if_fail (VMD_IS_DETAILS_FORM (self));

  for (guint i = 0; i < self->forms->len; i++)
    if (!form_at (self, i)->applying)
      form_at (self, i)->edited = form_at (self, i)->conflicted = FALSE;
}

/* --- the bar's buttons -------------------------------------------------------------------------- */

/* Reload or Take Theirs: the input goes, and the forms show what libvirt holds. */
static void
on_bar_reload (VmdConflictBar *bar,
               VmdDetailsForm *self)
{
  vmd_details_form_forget_input (self);
  for (guint i = 0; i < self->forms->len; i++)
    if (!form_at (self, i)->applying)
      refill (self, form_at (self, i));
  update_bar (self);
}

static void
on_bar_overwrite (VmdConflictBar *bar,
                  VmdDetailsForm *self)
{
  for (guint i = 0; i < self->forms->len; i++)
    if (form_at (self, i)->conflicted)
      vmd_details_form_apply (self, i, VMD_EDIT_OVERWRITE);
}

/* Nothing applied; the input stays, and the bar goes back to saying what changed. */
static void
on_bar_cancel (VmdConflictBar *bar,
               VmdDetailsForm *self)
{
  for (guint i = 0; i < self->forms->len; i++)
    form_at (self, i)->conflicted = FALSE;
  update_bar (self);
}

/* --- input -------------------------------------------------------------------------------------- */

void
vmd_details_form_mark_edited (VmdDetailsForm *self,
                              guint           form)
{
  g_return_if_fail (VMD_IS_DETAILS_FORM (self) && form < self->forms->len);

  if (!self->filling)
    form_at (self, form)->edited = TRUE;
}

typedef struct {
  VmdDetailsForm *self;
  guint           form;
} Watch;

static void
watch_free (gpointer  data,
            GClosure *closure)
{
  Watch *watch = data;

  g_object_unref (watch->self);
  g_free (watch);
}

/* Connected swapped: the signal's own arguments do not matter. */
static void
on_input (Watch *watch)
{
  vmd_details_form_mark_edited (watch->self, watch->form);
}

/* Any emission of signal on instance is input to form. */
void
vmd_details_form_watch (VmdDetailsForm *self,
                        guint           form,
                        gpointer        instance,
                        const char     *signal)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->self = g_object_ref (self);
  watch->form = form;
  g_signal_connect_data (instance, signal, G_CALLBACK (on_input), watch, watch_free, G_CONNECT_SWAPPED);
}

/* A spin button's text counts as soon as it is typed, not only once it is parsed on leaving:
 * a config arriving meanwhile must not wipe it. */
void
vmd_details_form_watch_spin (VmdDetailsForm *self,
                             guint           form,
                             GtkWidget      *spin)
{
  vmd_details_form_watch (self, form, spin, "value-changed");
  vmd_details_form_watch (self, form, spin, "changed");
}

/* --- applying ----------------------------------------------------------------------------------- */

typedef struct {
  VmdDetailsForm *self;
  VmdDetailsPage *page;
  guint           form;
} FormEdit;

/* Accepted: the form shows what libvirt made of it. Changed elsewhere: the bar asks. Refused:
 * libvirt's message, and the input stays. */
static void
on_form_edit_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree FormEdit *edit = user_data;
  g_autoptr(VmdDetailsForm) self = edit->self;
  g_autoptr(VmdDetailsPage) page = edit->page;
  Form *form = form_at (self, edit->form);
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  form->applying = FALSE;
  if (vmd_machine_details_edit_finish (VMD_MACHINE_DETAILS (source), result, &note, &error))
    {
      vmd_details_page_show_error (page, NULL);
      if (note != NULL)
        vmd_details_page_show_note (page, note);
      form->edited = FALSE;
      refill (self, form);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (g_error_matches (error, VMD_ERROR, VMD_ERROR_CONFLICT))
    form->conflicted = TRUE;
  else
    vmd_details_page_show_error (page, error->message);
  update_bar (self);
}

/* The form keeps its input while libvirt works: a config arriving meanwhile does not refill
 * it. Nothing to apply before the form was first filled. */
void
vmd_details_form_apply (VmdDetailsForm *self,
                        guint           form,
                        VmdEditFlags    flags)
{
  Form *state;
  FormEdit *edit;

  g_return_if_fail (VMD_IS_DETAILS_FORM (self) && form < self->forms->len);
  state = form_at (self, form);
  if (state->started_from == NULL)
    return;
  edit = g_new0 (FormEdit, 1);
  edit->self = g_object_ref (self);
  edit->page = g_object_ref (self->page);
  edit->form = form;
  state->applying = TRUE;
  state->conflicted = FALSE;
  update_bar (self);
  state->klass->apply (self->page, state->started_from, flags, on_form_edit_done, edit);
}

/* --- GObject ------------------------------------------------------------------------------------ */

static void
form_clear (Form *form)
{
  g_clear_pointer (&form->started_from, vmd_machine_config_unref);
}

static void
vmd_details_form_finalize (GObject *object)
{
  VmdDetailsForm *self = VMD_DETAILS_FORM (object);

  g_array_unref (self->forms);
  G_OBJECT_CLASS (vmd_details_form_parent_class)->finalize (object);
}

static void
vmd_details_form_class_init (VmdDetailsFormClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_details_form_finalize;
}

static void
vmd_details_form_init (VmdDetailsForm *self)
{
  self->forms = g_array_new (FALSE, TRUE, sizeof (Form));
  g_array_set_clear_func (self->forms, (GDestroyNotify) form_clear);
}

/* page holds the forms and bar; the forms' state lives as long as their widgets. */
VmdDetailsForm *
vmd_details_form_new (VmdDetailsPage *page,
                      VmdConflictBar *bar)
{
  VmdDetailsForm *self = g_object_new (VMD_TYPE_DETAILS_FORM, NULL);

  self->page = page;
  self->bar = bar;
  g_signal_connect_object (bar, "reload", G_CALLBACK (on_bar_reload), self, 0);
  g_signal_connect_object (bar, "overwrite", G_CALLBACK (on_bar_overwrite), self, 0);
  g_signal_connect_object (bar, "cancel", G_CALLBACK (on_bar_cancel), self, 0);
  return self;
}

/* Returns the form's number, for the calls above. */
guint
vmd_details_form_add (VmdDetailsForm     *self,
                      const VmdFormClass *form_class)
{
  Form form = { form_class, NULL, FALSE, FALSE, FALSE };

  g_return_val_if_fail (VMD_IS_DETAILS_FORM (self), 0);
  g_array_append_val (self->forms, form);
  return self->forms->len - 1;
}
