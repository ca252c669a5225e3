/* VmdCreationAssistant, where the disk lives: the new volume's pool, chosen from the
 * connection's (its VmdResources), and an existing volume chosen in the pool browser rather
 * than typed. The spec checks the choice (a stopped pool, too little room, a volume in use). */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-creation-assistant-private.h"
#include "vmd-pool-browser.h"
#include "vmd-resources.h"

/* The spec's pool leads: `default` is listed even where the installer has yet to make it. */
static void
fill_pools (VmdCreationAssistant *self)
{
  GtkComboBoxText *combo = GTK_COMBO_BOX_TEXT (self->pool_combo);
  const char *chosen = vmd_machine_spec_get_pool_name (self->spec);
  guint n = self->pools != NULL ? g_list_model_get_n_items (self->pools) : 0;
  gboolean listed = FALSE;

  g_signal_handlers_block_by_func (combo, vmd_creation_assistant_on_pool_changed, self);
  gtk_combo_box_text_remove_all (combo);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdStoragePool) pool = g_list_model_get_item (self->pools, i);
      const char *name = vmd_storage_pool_get_name (pool);

      gtk_combo_box_text_append (combo, name, name);
      listed |= g_strcmp0 (name, chosen) == 0;
    }
  if (!listed && chosen != NULL)
    gtk_combo_box_text_prepend (combo, chosen, chosen);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), chosen);
  g_signal_handlers_unblock_by_func (combo, vmd_creation_assistant_on_pool_changed, self);
}

void
vmd_creation_assistant_on_pool_changed (VmdCreationAssistant *self)
{
  const char *name = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->pool_combo));
  VmdResources *resources;
  VmdStoragePool *pool;

  if (name == NULL || self->connection == NULL)
    return;
  resources = vmd_connection_get_resources (self->connection);
  pool = resources != NULL ? vmd_resources_find_pool (resources, name) : NULL;
  if (pool == NULL)
    return;
  vmd_machine_spec_choose_pool (self->spec, name, vmd_storage_pool_get_target_path (pool),
                                vmd_storage_pool_get_available (pool),
                                vmd_storage_pool_get_active (pool));
  vmd_creation_assistant_touch (self, VMD_SPEC_FIELD_STORAGE);
}

/* Called when the chosen connection changes (and when its probe set the spec's pool). */
void
vmd_creation_assistant_follow_pools (VmdCreationAssistant *self)
{
  VmdResources *resources = self->connection != NULL ? vmd_connection_get_resources (self->connection) : NULL;
  GListModel *pools = resources != NULL ? vmd_resources_get_pools (resources) : NULL;

  if (pools != self->pools)
    {
      if (self->pools != NULL)
        g_signal_handlers_disconnect_by_func (self->pools, fill_pools, self);
      g_set_object (&self->pools, pools);
      if (pools != NULL)
        g_signal_connect_object (pools, "items-changed", G_CALLBACK (fill_pools), self, G_CONNECT_SWAPPED);
    }
  fill_pools (self);
  gtk_widget_set_sensitive (self->pick_volume_button, resources != NULL);
  gtk_widget_set_sensitive (self->media_volume_button, resources != NULL);
}

static void
use_volume (VmdCreationAssistant *self,
            VmdStorageVolume     *volume)
{
  const char *path = vmd_storage_volume_get_path (volume);

  /* Its users first: the check that follows the path's change must know them. */
  vmd_machine_spec_set_disk_users (self->spec, path, vmd_storage_volume_get_users (volume));
  if (vmd_creation_assistant_media_is_disk (self))
    {
      vmd_machine_spec_set_existing_path (self->spec, path);
      vmd_creation_assistant_touch (self, VMD_SPEC_FIELD_MEDIA);
    }
  else
    {
      vmd_machine_spec_set_storage (self->spec, VMD_STORAGE_EXISTING, path, 0);
      vmd_creation_assistant_touch (self, VMD_SPEC_FIELD_STORAGE);
    }
}

static void
on_browser_response (GtkDialog            *dialog,
                     int                   response,
                     VmdCreationAssistant *self)
{
  VmdStorageVolume *volume = vmd_pool_browser_get_selected_volume (VMD_POOL_BROWSER (self->volume_browser));

  if (response == GTK_RESPONSE_ACCEPT && volume != NULL)
    use_volume (self, volume);
  self->volume_browser = NULL;
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

/* A dialog of its own rather than a page: most machines get a new volume and never see it. */
void
vmd_creation_assistant_on_pick_volume (VmdCreationAssistant *self)
{
  VmdResources *resources = self->connection != NULL ? vmd_connection_get_resources (self->connection) : NULL;
  GtkWidget *dialog, *browser;

  if (resources == NULL || self->volume_browser != NULL)
    return;
  dialog = gtk_dialog_new_with_buttons (_("Choose a Volume"), GTK_WINDOW (self),
                                        GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                        _("_Cancel"), GTK_RESPONSE_CANCEL,
                                        _("_Use Volume"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 640, 360);
  browser = vmd_pool_browser_new ();
  vmd_pool_browser_set_resources (VMD_POOL_BROWSER (browser), resources);
  vmd_pool_browser_select_pool (VMD_POOL_BROWSER (browser), vmd_machine_spec_get_pool_name (self->spec));
  gtk_widget_set_vexpand (browser, TRUE);
  gtk_widget_show (browser);
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), browser);
  self->volume_browser = browser;
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_browser_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
