/* VmdSnapshotsPage: the tree of snapshots, each under the one it was taken on top of, is read
 * again with each config (a revert changes the definition, another client may take one);
 * Revert and Delete act on the selected row. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-display-name.h"
#include "vmd-snapshots-page.h"

struct _VmdSnapshotsPage
{
  VmdDetailsPage  parent_instance;

  GtkTreeStore   *snapshot_store;
  GtkWidget      *snapshot_view, *snapshot_message;
  GtkWidget      *snapshot_dialog, *snapshot_name_entry, *snapshot_description_entry, *snapshot_memory_label;
};

G_DEFINE_FINAL_TYPE (VmdSnapshotsPage, vmd_snapshots_page, VMD_TYPE_DETAILS_PAGE)

enum { SNAPSHOT_NAME, SNAPSHOT_TAKEN, SNAPSHOT_STATE, SNAPSHOT_MEMORY, SNAPSHOT_DESCRIPTION, SNAPSHOT_CURRENT,
       SNAPSHOT_KIND, SNAPSHOT_EXTERNAL };

/* --- the list ----------------------------------------------------------------------------------- */

/* Under its parent's row (the list comes parent first; tree store iters persist), at the top
 * when it has none. */
static void
add_snapshot_row (VmdSnapshotsPage      *self,
                  const VmdSnapshotInfo *snapshot,
                  GHashTable            *rows)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (snapshot->creation_time);
  g_autofree char *taken = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S") : NULL;
  GtkTreeIter *parent = snapshot->parent != NULL ? g_hash_table_lookup (rows, snapshot->parent) : NULL;
  GtkTreeIter iter;

  gtk_tree_store_insert_with_values (self->snapshot_store, &iter, parent, -1, SNAPSHOT_NAME, snapshot->name,
                                     SNAPSHOT_TAKEN, taken, SNAPSHOT_STATE, vmd_details_or_dash (snapshot->state),
                                     SNAPSHOT_MEMORY, snapshot->has_memory ? _("yes") : _("no"),
                                     SNAPSHOT_DESCRIPTION, snapshot->description != NULL ? snapshot->description : "",
                                     SNAPSHOT_CURRENT, snapshot->current ? _("current") : "",
                                     SNAPSHOT_KIND, snapshot->external ? _("external") : _("internal"),
                                     SNAPSHOT_EXTERNAL, snapshot->external, -1);
  g_hash_table_insert (rows, g_strdup (snapshot->name), g_memdup2 (&iter, sizeof iter));
}

static void
on_snapshots_listed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(VmdSnapshotsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = vmd_machine_details_list_snapshots_finish (VMD_MACHINE_DETAILS (source), result, &error);
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vmd_details_page_show_error (VMD_DETAILS_PAGE (self), error->message);
      return;
    }
  gtk_tree_store_clear (self->snapshot_store);
  for (guint i = 0; i < list->len; i++)
    add_snapshot_row (self, list->pdata[i], rows);
  gtk_tree_view_expand_all (GTK_TREE_VIEW (self->snapshot_view));
}

/* Create is off, and the page says why, for a machine libvirt takes no snapshots of. */
static void
vmd_snapshots_page_config_changed (VmdDetailsPage         *page,
                                   const VmdMachineConfig *config)
{
  VmdSnapshotsPage *self = VMD_SNAPSHOTS_PAGE (page);
  g_autofree char *reason = NULL;
  gboolean can_snapshot = vmd_machine_config_can_snapshot (config, &reason);

  vmd_details_page_enable_action (page, "create", can_snapshot);
  gtk_label_set_text (GTK_LABEL (self->snapshot_message), reason != NULL ? reason : "");
  gtk_widget_set_visible (self->snapshot_message, !can_snapshot);
  vmd_machine_details_list_snapshots_async (vmd_details_page_get_details (page),
                                            vmd_details_page_get_cancellable (page), on_snapshots_listed,
                                            g_object_ref (self));
}

/* Revert and Delete act on the selected snapshot: off until there is one. */
static void
on_snapshot_selection_changed (GtkTreeSelection *selection,
                               VmdSnapshotsPage *self)
{
  gboolean selected = gtk_tree_selection_get_selected (selection, NULL, NULL);

  vmd_details_page_enable_action (VMD_DETAILS_PAGE (self), "revert", selected);
  vmd_details_page_enable_action (VMD_DETAILS_PAGE (self), "delete", selected);
}

/* --- taking one --------------------------------------------------------------------------------- */

static void
activate_create (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdSnapshotsPage *self = user_data;
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);
  gboolean running = vmd_machine_is_active (vmd_details_page_get_machine (page));

  gtk_label_set_text (GTK_LABEL (self->snapshot_memory_label),
                      running ? _("The machine runs: its memory is saved with its disks, and reverting "
                                  "brings it back running where it was.")
                              : _("The machine is off: its disks are saved."));
  gtk_entry_set_text (GTK_ENTRY (self->snapshot_name_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->snapshot_description_entry), "");
  vmd_details_page_present_dialog (page, self->snapshot_dialog);
}

static void
on_snapshot_response (GtkDialog        *dialog,
                      int               response,
                      VmdSnapshotsPage *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);

  gtk_widget_hide (GTK_WIDGET (dialog));
  if (response != GTK_RESPONSE_OK)
    return;
  vmd_machine_details_create_snapshot_async (vmd_details_page_get_details (page),
                                             gtk_entry_get_text (GTK_ENTRY (self->snapshot_name_entry)),
                                             gtk_entry_get_text (GTK_ENTRY (self->snapshot_description_entry)),
                                             vmd_details_page_get_cancellable (page), vmd_details_page_edit_done,
                                             g_object_ref (self));
}

/* --- reverting and deleting --------------------------------------------------------------------- */

typedef void (*SnapshotCall) (VmdMachineDetails *, const char *, GCancellable *, GAsyncReadyCallback, gpointer);

static void
call_on_snapshot (VmdDetailsPage *page,
                  const char     *snapshot,
                  SnapshotCall    call)
{
  call (vmd_details_page_get_details (page), snapshot, vmd_details_page_get_cancellable (page),
        vmd_details_page_edit_done, g_object_ref (page));
}

static void
revert_confirmed (VmdDetailsPage *page,
                  const char     *snapshot,
                  gboolean        checked)
{
  call_on_snapshot (page, snapshot, vmd_machine_details_revert_snapshot_async);
}

static void
delete_confirmed (VmdDetailsPage *page,
                  const char     *snapshot,
                  gboolean        checked)
{
  call_on_snapshot (page, snapshot, vmd_machine_details_delete_snapshot_async);
}

static void
activate_revert (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdSnapshotsPage *self = user_data;
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);
  g_autofree char *name = vmd_details_page_selected_text (GTK_TREE_VIEW (self->snapshot_view), SNAPSHOT_NAME);
  g_autofree char *machine = NULL;
  g_autofree char *question = NULL;
  GtkTreeModel *model;
  GtkTreeIter iter;
  gboolean external = FALSE;

  if (name == NULL)
    return;
  if (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->snapshot_view)), &model, &iter))
    gtk_tree_model_get (model, &iter, SNAPSHOT_EXTERNAL, &external, -1);
  machine = vmd_name_for_display (vmd_machine_get_name (vmd_details_page_get_machine (page)));
  question = g_strdup_printf (_("Revert “%s” to the snapshot “%s”?"), machine, name);
  vmd_details_page_confirm (page, &(VmdDetailsQuestion) {
                              question, external
                                ? _("Everything that changed in the machine since the snapshot was taken is "
                                    "lost. The machine is stopped, its disks go on from the snapshot's images "
                                    "and its UEFI settings are those of the snapshot.")
                                : _("Everything that changed in the machine since the snapshot "
                                    "was taken is lost."), _("_Revert"), NULL, NULL },
                            name, revert_confirmed);
}

static void
activate_delete (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdSnapshotsPage *self = user_data;
  g_autofree char *name = vmd_details_page_selected_text (GTK_TREE_VIEW (self->snapshot_view), SNAPSHOT_NAME);
  g_autofree char *question = NULL;

  if (name == NULL)
    return;
  question = g_strdup_printf (_("Delete the snapshot “%s”?"), name);
  vmd_details_page_confirm (VMD_DETAILS_PAGE (self), &(VmdDetailsQuestion) {
                              question, _("The machine stays as it is now."), _("_Delete"), NULL, NULL },
                            name, delete_confirmed);
}

static const GActionEntry actions[] = {
  { "create", activate_create },
  { "revert", activate_revert },
  { "delete", activate_delete },
};

/* --- GObject ------------------------------------------------------------------------------------ */

/* The dialog is a toplevel of the template, not a child of the page: it goes with it. */
static void
vmd_snapshots_page_dispose (GObject *object)
{
  g_clear_pointer (&VMD_SNAPSHOTS_PAGE (object)->snapshot_dialog, gtk_widget_destroy);
  G_OBJECT_CLASS (vmd_snapshots_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdSnapshotsPage, name)

static void
vmd_snapshots_page_class_init (VmdSnapshotsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_snapshots_page_dispose;
  VMD_DETAILS_PAGE_CLASS (klass)->config_changed = vmd_snapshots_page_config_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vmdesk/VmDesk/ui/details/vmd-snapshots-page.ui");
  BIND (snapshot_store); BIND (snapshot_view); BIND (snapshot_message); BIND (snapshot_dialog);
  BIND (snapshot_name_entry); BIND (snapshot_description_entry); BIND (snapshot_memory_label);
  gtk_widget_class_bind_template_callback_full (widget_class, "gtk_widget_hide_on_delete",
                                                G_CALLBACK (gtk_widget_hide_on_delete));
}

static void
vmd_snapshots_page_init (VmdSnapshotsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_add_actions (VMD_DETAILS_PAGE (self), actions, G_N_ELEMENTS (actions));
  g_signal_connect_object (self->snapshot_dialog, "response", G_CALLBACK (on_snapshot_response), self, 0);
  g_signal_connect_object (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->snapshot_view)), "changed",
                           G_CALLBACK (on_snapshot_selection_changed), self, 0);
  on_snapshot_selection_changed (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->snapshot_view)), self);
}
