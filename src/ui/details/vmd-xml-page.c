/* VmdXmlPage: `virsh edit` in a page. The user's text is never replaced while it has unapplied
 * edits: a refused definition leaves it as typed, with libvirt's message above it; an accepted
 * one is replaced by what libvirt holds now, and the diff shows what the Apply changed in it.
 *
 * The editor remembers the definition its text was written from. When libvirt's changes under
 * it (another client, another page), a text with no edits is replaced; one with edits stays,
 * and the page says so, with the differences. Apply sends the text with the definition it
 * started from: libvirt holding another one now, nothing is defined, and the page shows the
 * three (started from, current, yours) and asks. */
#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "vmd-conflict-bar.h"
#include "vmd-error.h"
#include "vmd-text-diff.h"
#include "vmd-xml-page.h"

struct _VmdXmlPage
{
  VmdDetailsPage     parent_instance;

  VmdMachineConfig  *started_from;   /* the definition the text was written from */
  char              *submitted;      /* the text libvirt is looking at */

  GtkWidget         *xml_error_bar;
  GtkWidget         *xml_error_label;
  GtkWidget         *conflict_bar;
  GtkWidget         *compare_box;
  GtkWidget         *base_view;
  GtkWidget         *theirs_view;
  GtkWidget         *yours_view;
  GtkWidget         *xml_view;
  GtkWidget         *diff_view;
  GtkWidget         *diff_expander;
};

G_DEFINE_FINAL_TYPE (VmdXmlPage, vmd_xml_page, VMD_TYPE_DETAILS_PAGE)

static GtkTextBuffer *
buffer_of (GtkWidget *view)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static const VmdMachineConfig *
current_config (VmdXmlPage *self)
{
  return vmd_machine_details_get_config (vmd_details_page_get_details (VMD_DETAILS_PAGE (self)));
}

static char *
editor_text (VmdXmlPage *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer_of (self->xml_view), &start, &end);
  return gtk_text_buffer_get_text (buffer_of (self->xml_view), &start, &end, FALSE);
}

static gboolean
has_unapplied_edits (VmdXmlPage *self)
{
  return gtk_text_buffer_get_modified (buffer_of (self->xml_view));
}

static void
hide_conflict (VmdXmlPage *self)
{
  vmd_conflict_bar_dismiss (VMD_CONFLICT_BAR (self->conflict_bar));
  gtk_widget_hide (self->compare_box);
}

static void
show_definition (VmdXmlPage *self)
{
  const VmdMachineConfig *config = current_config (self);
  GtkTextBuffer *buffer = buffer_of (self->xml_view);

  if (config == NULL || gtk_text_buffer_get_modified (buffer))
    return;
  gtk_source_buffer_begin_not_undoable_action (GTK_SOURCE_BUFFER (buffer));
  gtk_text_buffer_set_text (buffer, config->xml, -1);
  gtk_source_buffer_end_not_undoable_action (GTK_SOURCE_BUFFER (buffer));
  gtk_text_buffer_set_modified (buffer, FALSE);
  g_clear_pointer (&self->started_from, vmd_machine_config_unref);
  self->started_from = vmd_machine_config_ref ((VmdMachineConfig *) config);
  hide_conflict (self);
}

/* The three views of a conflict; yours is the editor's text, or what was sent. */
static void
fill_comparison (VmdXmlPage *self,
                 const char   *yours)
{
  const char *base = self->started_from->xml;
  g_autofree char *theirs = vmd_text_diff (base, current_config (self)->xml);
  g_autofree char *mine = vmd_text_diff (base, yours);

  gtk_text_buffer_set_text (buffer_of (self->base_view), base, -1);
  gtk_text_buffer_set_text (buffer_of (self->theirs_view), theirs, -1);
  gtk_text_buffer_set_text (buffer_of (self->yours_view), mine, -1);
  gtk_widget_show (self->compare_box);
}

static gboolean
changed_elsewhere (VmdXmlPage *self)
{
  const VmdMachineConfig *config = current_config (self);

  return config != NULL && self->started_from != NULL && g_strcmp0 (config->xml, self->started_from->xml) != 0;
}

/* The text has edits and libvirt's definition moved on: say so, and show how. */
static void
tell_changed_elsewhere (VmdXmlPage *self)
{
  g_autofree char *yours = NULL;

  if (!changed_elsewhere (self))
    {
      hide_conflict (self);
      return;
    }
  yours = editor_text (self);
  fill_comparison (self, yours);
  if (!vmd_conflict_bar_is_asking (VMD_CONFLICT_BAR (self->conflict_bar)))
    vmd_conflict_bar_tell (VMD_CONFLICT_BAR (self->conflict_bar), NULL,
                           _("Your text is kept. Reload shows libvirt’s definition; the differences "
                             "are below."));
}

/* Not while an Apply is under way: its own definition arrives first, and on_defined decides. */
static void
vmd_xml_page_config_changed (VmdDetailsPage         *page,
                             const VmdMachineConfig *config)
{
  VmdXmlPage *self = VMD_XML_PAGE (page);

  if (self->submitted != NULL)
    return;
  if (has_unapplied_edits (self))
    tell_changed_elsewhere (self);
  else
    show_definition (self);
}

static void
on_xml_error_bar_response (GtkInfoBar   *bar,
                           int           response,
                           VmdXmlPage *self)
{
  gtk_widget_hide (GTK_WIDGET (bar));
}

/* What the Apply did to libvirt's definition (it held started_from until then), and, when
 * libvirt did not keep the text as sent, what it changed in it (defaults, addresses). */
static void
show_accepted (VmdXmlPage *self,
               const char   *before,
               const char   *submitted)
{
  const char *accepted = current_config (self)->xml;
  g_autofree char *diff = vmd_text_diff (before, accepted);
  g_autoptr(GString) text = g_string_new (diff);

  if (g_strcmp0 (submitted, accepted) != 0)
    {
      g_autofree char *kept = vmd_text_diff (submitted, accepted);

      g_string_append_printf (text, "\n# %s\n%s", _("What libvirt changed in what you sent:"), kept);
    }
  gtk_text_buffer_set_text (buffer_of (self->diff_view), text->str, -1);
  gtk_expander_set_expanded (GTK_EXPANDER (self->diff_expander), TRUE);
}

static void
on_defined (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VmdXmlPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *submitted = g_steal_pointer (&self->submitted);
  g_autoptr(VmdMachineConfig) before = self->started_from != NULL ? vmd_machine_config_ref (self->started_from) : NULL;

  if (!vmd_machine_details_edit_finish (VMD_MACHINE_DETAILS (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, VMD_ERROR, VMD_ERROR_CONFLICT) && before != NULL)
        {
          fill_comparison (self, submitted);
          vmd_conflict_bar_ask (VMD_CONFLICT_BAR (self->conflict_bar), NULL,
                                _("Nothing was applied: your text would undo what changed elsewhere (see "
                                  "the differences below). Overwrite with yours, take theirs, or cancel?"));
          return;
        }
      gtk_label_set_text (GTK_LABEL (self->xml_error_label), error->message);
      gtk_widget_show (self->xml_error_bar);
      return;
    }
  gtk_widget_hide (self->xml_error_bar);
  show_accepted (self, before != NULL ? before->xml : submitted, submitted);
  gtk_text_buffer_set_modified (buffer_of (self->xml_view), FALSE);
  show_definition (self);
}

static void
apply_text (VmdXmlPage *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);

  if (self->started_from == NULL)
    return;
  g_free (self->submitted);
  self->submitted = editor_text (self);
  vmd_machine_details_define_xml_async (vmd_details_page_get_details (page), self->started_from->xml,
                                        self->submitted, vmd_details_page_get_cancellable (page), on_defined,
                                        g_object_ref (self));
}

static void
activate_apply (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  VmdXmlPage *self = user_data;

  apply_text (self);
}

/* Overwrite with mine: the text goes over the definition just shown as current, and only over
 * that one (changed once more meanwhile, the page asks again). */
static void
on_conflict_overwrite (VmdConflictBar *bar,
                       VmdXmlPage   *self)
{
  const VmdMachineConfig *config = current_config (self);

  if (config == NULL)
    return;
  g_clear_pointer (&self->started_from, vmd_machine_config_unref);
  self->started_from = vmd_machine_config_ref ((VmdMachineConfig *) config);
  hide_conflict (self);
  apply_text (self);
}

static void
on_conflict_reload (VmdConflictBar *bar,
                    VmdXmlPage   *self)
{
  vmd_details_page_discard_input (VMD_DETAILS_PAGE (self));
}

/* Nothing applied; the text stays, and the page still says the definition moved on. */
static void
on_conflict_cancel (VmdConflictBar *bar,
                    VmdXmlPage   *self)
{
  tell_changed_elsewhere (self);
}

static void
discard_confirmed (VmdDetailsPage *page,
                   const char     *subject,
                   gboolean        checked)
{
  vmd_details_page_discard_input (page);
}

/* Asks first: the edits would be gone. */
static void
activate_reload (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdXmlPage *self = user_data;

  if (!has_unapplied_edits (self))
    return;
  vmd_details_page_confirm (VMD_DETAILS_PAGE (self), &(VmdDetailsQuestion) {
                              _("Discard your changes to the XML?"),
                              _("The editor then shows the definition libvirt holds."), _("_Discard"), NULL, NULL },
                            NULL, discard_confirmed);
}

/* The window asks before closing over edits not applied. */
static const char *
vmd_xml_page_close_question (VmdDetailsPage *page)
{
  return has_unapplied_edits (VMD_XML_PAGE (page)) ? _("Discard your changes to the XML?") : NULL;
}

static void
vmd_xml_page_discard_input (VmdDetailsPage *page)
{
  VmdXmlPage *self = VMD_XML_PAGE (page);

  gtk_text_buffer_set_modified (buffer_of (self->xml_view), FALSE);
  gtk_widget_hide (self->xml_error_bar);
  hide_conflict (self);
  show_definition (self);
}

static void
vmd_xml_page_dispose (GObject *object)
{
  VmdXmlPage *self = VMD_XML_PAGE (object);

  g_clear_pointer (&self->started_from, vmd_machine_config_unref);
  g_clear_pointer (&self->submitted, g_free);
  G_OBJECT_CLASS (vmd_xml_page_parent_class)->dispose (object);
}

static const GActionEntry actions[] = {
  { "apply", activate_apply },
  { "reload", activate_reload },
};

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdXmlPage, name)

static void
vmd_xml_page_class_init (VmdXmlPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VmdDetailsPageClass *page_class = VMD_DETAILS_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_xml_page_dispose;
  page_class->config_changed = vmd_xml_page_config_changed;
  page_class->close_question = vmd_xml_page_close_question;
  page_class->discard_input = vmd_xml_page_discard_input;
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (VMD_TYPE_CONFLICT_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/details/vmd-xml-page.ui");
  BIND (xml_error_bar); BIND (xml_error_label); BIND (conflict_bar); BIND (compare_box);
  BIND (base_view); BIND (theirs_view); BIND (yours_view); BIND (xml_view); BIND (diff_view);
  BIND (diff_expander);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_info_bar_response",
                                                G_CALLBACK (on_xml_error_bar_response));
  gtk_widget_class_bind_template_callback (widget_class, on_conflict_reload);
  gtk_widget_class_bind_template_callback (widget_class, on_conflict_overwrite);
  gtk_widget_class_bind_template_callback (widget_class, on_conflict_cancel);
}

static void
vmd_xml_page_init (VmdXmlPage *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *xml = gtk_source_language_manager_get_language (languages, "xml");
  GtkSourceLanguage *diff = gtk_source_language_manager_get_language (languages, "diff");

  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_add_actions (VMD_DETAILS_PAGE (self), actions, G_N_ELEMENTS (actions));
  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (buffer_of (self->xml_view)), xml);
  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (buffer_of (self->base_view)), xml);
  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (buffer_of (self->diff_view)), diff);
  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (buffer_of (self->theirs_view)), diff);
  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (buffer_of (self->yours_view)), diff);
  /* GtkSourceView's accessible ignores the .ui's AtkObject child; name them here. */
  atk_object_set_name (gtk_widget_get_accessible (self->xml_view), _("XML definition"));
  atk_object_set_name (gtk_widget_get_accessible (self->diff_view), _("Differences"));
  atk_object_set_name (gtk_widget_get_accessible (self->base_view), _("Definition started from"));
  atk_object_set_name (gtk_widget_get_accessible (self->theirs_view), _("Changed elsewhere since"));
  atk_object_set_name (gtk_widget_get_accessible (self->yours_view), _("Your changes"));
}
