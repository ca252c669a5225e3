/* VmdDetailsWindow: a header with Reload, the bars where the pages' errors and notes show, and a
 * sidebar over a stack of VmdDetailsPage widgets, each made from the list in
 * vmd-details-pages.c with the machine's VmdMachineDetails (which follows the definition,
 * whoever changes it). The window holds its machine for as long as it is open: while the
 * connection is away the pages are insensitive and keep what was typed; a machine deleted closes
 * its window. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-details-page.h"
#include "vmd-details-pages.h"
#include "vmd-details-window.h"
#include "vmd-add-hardware-dialog.h"
#include "vmd-display-name.h"
#include "vmd-machine-details.h"
#include "vmd-machine-finder.h"

/* --show-details NAME waits this long for a machine being made meanwhile. */
#define FIND_WAIT_S 60

struct _VmdDetailsWindow
{
  GtkWindow          parent_instance;

  VmdMachineDetails *details;
  GCancellable      *cancellable;

  GtkWidget         *error_bar, *error_label, *note_bar, *note_label, *stack;
};

G_DEFINE_FINAL_TYPE (VmdDetailsWindow, vmd_details_window, GTK_TYPE_WINDOW)

/* --- the bars ----------------------------------------------------------------------------------- */

/* NULL hides the error. */
static void
on_show_error (VmdDetailsPage   *page,
               const char       *message,
               VmdDetailsWindow *self)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_bar, message != NULL);
}

static void
on_show_note (VmdDetailsPage   *page,
              const char       *message,
              VmdDetailsWindow *self)
{
  gtk_label_set_text (GTK_LABEL (self->note_label), message);
  gtk_widget_show (self->note_bar);
}

static void
on_info_bar_response (GtkInfoBar       *bar,
                      int               response,
                      VmdDetailsWindow *self)
{
  gtk_widget_hide (GTK_WIDGET (bar));
}

/* --- the pages ---------------------------------------------------------------------------------- */

static void
add_pages (VmdDetailsWindow *self)
{
  guint n;
  const VmdDetailsPageEntry *entries = vmd_details_pages (&n);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *page = g_object_new (entries[i].get_type (), "details", self->details, NULL);

      g_signal_connect_object (page, "show-error", G_CALLBACK (on_show_error), self, 0);
      g_signal_connect_object (page, "show-note", G_CALLBACK (on_show_note), self, 0);
      gtk_widget_show (page);
      gtk_stack_add_titled (GTK_STACK (self->stack), page, entries[i].name, _(entries[i].title));
    }
}

static void
on_reload_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VmdDetailsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (vmd_machine_details_edit_finish (VMD_MACHINE_DETAILS (source), result, NULL, &error))
    gtk_widget_hide (self->error_bar);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    on_show_error (NULL, error->message, self);
}

/* Reload is asked for: libvirt's values replace whatever was typed in the forms. */
static void
activate_reload (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdDetailsWindow *self = user_data;
  g_autoptr(GList) pages = gtk_container_get_children (GTK_CONTAINER (self->stack));

  for (GList *l = pages; l != NULL; l = l->next)
    vmd_details_page_forget_input (l->data);
  vmd_machine_details_reload_async (self->details, self->cancellable, on_reload_done, g_object_ref (self));
}

static void
on_details_changed (VmdMachineDetails *details,
                    VmdDetailsWindow  *self)
{
  g_autofree char *name = vmd_name_for_display (vmd_machine_details_get_config (details)->name);
  g_autofree char *title = g_strdup_printf (_("%s — Details"), name);

  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* --- closing ------------------------------------------------------------------------------------ */

static void
close_confirmed (VmdDetailsPage *page,
                 const char     *subject,
                 gboolean        checked)
{
  vmd_details_page_discard_input (page);
  gtk_window_close (vmd_details_page_get_window (page));
}

/* Closing never drops what a page would lose without asking. */
static gboolean
vmd_details_window_delete_event (GtkWidget   *widget,
                                 GdkEventAny *event)
{
  VmdDetailsWindow *self = VMD_DETAILS_WINDOW (widget);
  g_autoptr(GList) pages = gtk_container_get_children (GTK_CONTAINER (self->stack));

  for (GList *l = pages; l != NULL; l = l->next)
    {
      const char *question = vmd_details_page_close_question (l->data);

      if (question == NULL)
        continue;
      gtk_stack_set_visible_child (GTK_STACK (self->stack), l->data);
      vmd_details_page_confirm (l->data, &(VmdDetailsQuestion) {
                                  question, _("They have not been applied to the machine."), _("_Discard"),
                                  NULL, NULL },
                                NULL, close_confirmed);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

/* --- following the machine ---------------------------------------------------------------------- */

/* The details read the definition again by themselves when it is back. */
static void
on_connected_changed (VmdMachine       *machine,
                      GParamSpec       *pspec,
                      VmdDetailsWindow *self)
{
  gboolean connected = vmd_machine_get_connected (machine);

  gtk_widget_set_sensitive (self->stack, connected);
  if (!connected)
    on_show_note (NULL, _("The connection to libvirt was lost. The details come back with it."), self);
  else
    gtk_widget_hide (self->note_bar);
}

/* There is nothing left to show or to change. */
static void
on_machine_deleted (VmdMachine       *machine,
                    VmdDetailsWindow *self)
{
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
hold_machine (VmdDetailsWindow *self,
              VmdMachine       *machine)
{
  g_autofree char *name = vmd_name_for_display (vmd_machine_get_name (machine));
  g_autofree char *title = g_strdup_printf (_("%s — Details"), name);

  gtk_window_set_title (GTK_WINDOW (self), title);
  self->details = vmd_machine_details_new (machine);
  g_signal_connect_object (self->details, "changed", G_CALLBACK (on_details_changed), self, 0);
  g_signal_connect_object (machine, "notify::connected", G_CALLBACK (on_connected_changed), self, 0);
  g_signal_connect_object (machine, "deleted", G_CALLBACK (on_machine_deleted), self, 0);
  add_pages (self);
  on_connected_changed (machine, NULL, self);
  vmd_machine_details_reload_async (self->details, self->cancellable, on_reload_done, g_object_ref (self));
}

/* --- GObject ------------------------------------------------------------------------------------ */

static void
vmd_details_window_dispose (GObject *object)
{
  VmdDetailsWindow *self = VMD_DETAILS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (vmd_details_window_parent_class)->dispose (object);
  g_clear_object (&self->details);
}

static void
vmd_details_window_class_init (VmdDetailsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_details_window_dispose;
  widget_class->delete_event = vmd_details_window_delete_event;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-details-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsWindow, error_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsWindow, note_bar);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsWindow, note_label);
  gtk_widget_class_bind_template_child (widget_class, VmdDetailsWindow, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_info_bar_response);
}

static void
on_hardware_added (GtkWidget        *dialog,
                   const char       *message,
                   VmdDetailsWindow *self)
{
  if (*message != '\0')
    on_show_note (NULL, message, self);
}

static void
activate_add_hardware (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  VmdDetailsWindow *self = user_data;
  GtkWidget *dialog = vmd_add_hardware_dialog_new (GTK_WINDOW (self), self->details);

  g_signal_connect_object (dialog, "added", G_CALLBACK (on_hardware_added), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry actions[] = {
  { "reload", activate_reload },
  { "add-hardware", activate_add_hardware },
};

static void
vmd_details_window_init (VmdDetailsWindow *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (group), actions, G_N_ELEMENTS (actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "details", G_ACTION_GROUP (group));
}

/* One window per machine: a second request presents the open one. The machine knows its
 * connection: connection is not needed. */
GtkWidget *
vmd_details_window_present (GtkApplication *application,
                            VmdConnection  *connection,
                            VmdMachine     *machine)
{
  VmdDetailsWindow *self;

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (VMD_IS_DETAILS_WINDOW (l->data) &&
        vmd_machine_details_get_machine (VMD_DETAILS_WINDOW (l->data)->details) == machine)
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return l->data;
      }
  self = g_object_new (VMD_TYPE_DETAILS_WINDOW, "application", application, NULL);
  hold_machine (self, machine);
  gtk_window_present (GTK_WINDOW (self));
  return GTK_WIDGET (self);
}

/* --- --show-details NAME ------------------------------------------------------------------------ */

typedef struct {
  GtkApplication *application;
  char           *name;
} NameLookup;

static void
on_machine_found (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  NameLookup *lookup = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdMachine) machine = vmd_machine_find_finish (result, &error);

  if (machine != NULL)
    vmd_details_window_present (lookup->application, NULL, machine);
  else
    g_printerr (_("vmdesk: no machine named “%s”\n"), lookup->name);
  g_object_unref (lookup->application);
  g_free (lookup->name);
  g_free (lookup);
}

/* The connections may still be opening: the window opens once one lists the machine. */
void
vmd_details_window_show_by_name (GtkApplication *application,
                                 GListModel     *connections,
                                 const char     *name)
{
  NameLookup *lookup = g_new0 (NameLookup, 1);

  lookup->application = g_object_ref (application);
  lookup->name = g_strdup (name);
  vmd_machine_find_async (connections, name, FIND_WAIT_S, NULL, on_machine_found, lookup);
}
