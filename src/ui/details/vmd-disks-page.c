/* VmdDisksPage: the list follows the config; each button calls one of the details' disk
 * changes, whose result (or refusal) the window's bars show. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-disks-page.h"

struct _VmdDisksPage
{
  VmdDetailsPage  parent_instance;

  GtkListStore   *disk_store;
  GtkWidget      *disk_view;
  GtkWidget      *add_disk_dialog, *new_volume_radio, *pool_entry, *size_spin, *existing_chooser, *cdrom_check;
};

G_DEFINE_FINAL_TYPE (VmdDisksPage, vmd_disks_page, VMD_TYPE_DETAILS_PAGE)

enum { DISK_TARGET, DISK_DEVICE, DISK_PATH, DISK_FORMAT, DISK_BUS, DISK_SIZE };

/* Sizes in IEC units (GiB), as the creation assistant asks for them. */
static void
vmd_disks_page_config_changed (VmdDetailsPage         *page,
                               const VmdMachineConfig *config)
{
  VmdDisksPage *self = VMD_DISKS_PAGE (page);

  gtk_list_store_clear (self->disk_store);
  for (guint i = 0; i < config->disks->len; i++)
    {
      VmdDiskInfo *disk = config->disks->pdata[i];
      g_autofree char *size = disk->capacity > 0 ? g_format_size_full (disk->capacity, G_FORMAT_SIZE_IEC_UNITS)
                                                 : g_strdup ("—");

      gtk_list_store_insert_with_values (self->disk_store, NULL, -1, DISK_TARGET, disk->target,
                                         DISK_DEVICE, disk->device,
                                         DISK_PATH, disk->path != NULL ? disk->path : _("(empty)"),
                                         DISK_FORMAT, vmd_details_or_dash (disk->format),
                                         DISK_BUS, vmd_details_or_dash (disk->bus), DISK_SIZE, size, -1);
    }
}

static char *
selected (VmdDisksPage *self,
          int           column)
{
  return vmd_details_page_selected_text (GTK_TREE_VIEW (self->disk_view), column);
}

static void
on_disk_selection_changed (GtkTreeSelection *selection,
                           VmdDisksPage     *self)
{
  g_autofree char *device = selected (self, DISK_DEVICE);
  gboolean removable = g_strcmp0 (device, "cdrom") == 0 || g_strcmp0 (device, "floppy") == 0;

  vmd_details_page_enable_action (VMD_DETAILS_PAGE (self), "eject", removable);
  vmd_details_page_enable_action (VMD_DETAILS_PAGE (self), "insert", removable);
  vmd_details_page_enable_action (VMD_DETAILS_PAGE (self), "remove", device != NULL);
}

/* --- adding ------------------------------------------------------------------------------------- */

static void
activate_add (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  VmdDisksPage *self = user_data;

  vmd_details_page_present_dialog (VMD_DETAILS_PAGE (self), self->add_disk_dialog);
}

static void
on_add_disk_response (GtkDialog    *dialog,
                      int           response,
                      VmdDisksPage *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);
  g_autofree char *path = NULL;
  gboolean cdrom = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->cdrom_check));
  gboolean new_volume = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->new_volume_radio));
  VmdNewDisk disk = { cdrom ? "cdrom" : "disk", NULL, NULL, NULL, NULL, 0 };

  gtk_widget_hide (GTK_WIDGET (dialog));
  if (response != GTK_RESPONSE_OK)
    return;
  if (!new_volume || cdrom)
    {
      path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (self->existing_chooser));
      if (path == NULL && !cdrom)
        {
          vmd_details_page_show_error (page, _("Choose the disk image to add"));
          return;
        }
    }
  disk.path = path;
  disk.pool = gtk_entry_get_text (GTK_ENTRY (self->pool_entry));
  disk.capacity = (guint64) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->size_spin)) << 30;
  vmd_machine_details_add_disk_async (vmd_details_page_get_details (page), &disk,
                                      vmd_details_page_get_cancellable (page), vmd_details_page_edit_done,
                                      g_object_ref (self));
}

/* --- removing ----------------------------------------------------------------------------------- */

static void
remove_confirmed (VmdDetailsPage *page,
                  const char     *target,
                  gboolean        delete_volume)
{
  vmd_machine_details_remove_disk_async (vmd_details_page_get_details (page), target, delete_volume,
                                         vmd_details_page_get_cancellable (page), vmd_details_page_edit_done,
                                         g_object_ref (page));
}

/* A disk (not a CD) may take its volume with it. */
static void
activate_remove (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdDisksPage *self = user_data;
  g_autofree char *target = selected (self, DISK_TARGET);
  g_autofree char *device = selected (self, DISK_DEVICE);
  g_autofree char *question = NULL;
  gboolean disk = g_strcmp0 (device, "disk") == 0;

  if (target == NULL)
    return;
  question = g_strdup_printf (_("Remove %s from the machine?"), target);
  vmd_details_page_confirm (VMD_DETAILS_PAGE (self), &(VmdDetailsQuestion) {
                              question, _("The guest loses the device."), _("_Remove"),
                              disk ? _("Also _delete its volume (never one another machine uses)") : NULL,
                              _("Also delete its volume") },
                            target, remove_confirmed);
}

/* --- media -------------------------------------------------------------------------------------- */

static void
change_media (VmdDisksPage *self,
              const char   *target,
              const char   *iso_path)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);

  vmd_machine_details_change_media_async (vmd_details_page_get_details (page), target, iso_path,
                                          vmd_details_page_get_cancellable (page), vmd_details_page_edit_done,
                                          g_object_ref (self));
}

static void
activate_eject (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  VmdDisksPage *self = user_data;
  g_autofree char *target = selected (self, DISK_TARGET);

  if (target != NULL)
    change_media (self, target, NULL);
}

static void
iso_chosen (VmdDetailsPage *page,
            const char     *target,
            const char     *path)
{
  change_media (VMD_DISKS_PAGE (page), target, path);
}

static void
activate_insert (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdDisksPage *self = user_data;
  static const char * const patterns[] = { "*.iso", "*.ISO", NULL };
  g_autofree char *target = selected (self, DISK_TARGET);

  if (target != NULL)
    vmd_details_page_choose_file (VMD_DETAILS_PAGE (self), &(VmdDetailsFileQuestion) {
                                    _("Insert an ISO Image"), _("_Insert"), _("ISO images"), patterns },
                                  target, iso_chosen);
}

static const GActionEntry actions[] = {
  { "add", activate_add },
  { "remove", activate_remove },
  { "eject", activate_eject },
  { "insert", activate_insert },
};

/* --- GObject ------------------------------------------------------------------------------------ */

/* The dialog is a toplevel of the template, not a child of the page: it goes with it. */
static void
vmd_disks_page_dispose (GObject *object)
{
  g_clear_pointer (&VMD_DISKS_PAGE (object)->add_disk_dialog, gtk_widget_destroy);
  G_OBJECT_CLASS (vmd_disks_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdDisksPage, name)

static void
vmd_disks_page_class_init (VmdDisksPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_disks_page_dispose;
  VMD_DETAILS_PAGE_CLASS (klass)->config_changed = vmd_disks_page_config_changed;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/details/vmd-disks-page.ui");
  BIND (disk_store); BIND (disk_view);
  BIND (add_disk_dialog); BIND (new_volume_radio); BIND (pool_entry); BIND (size_spin); BIND (existing_chooser);
  BIND (cdrom_check);
  gtk_widget_class_bind_template_callback_full (widget_class, "gtk_widget_hide_on_delete",
                                                G_CALLBACK (gtk_widget_hide_on_delete));
}

static void
vmd_disks_page_init (VmdDisksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_add_actions (VMD_DETAILS_PAGE (self), actions, G_N_ELEMENTS (actions));
  g_signal_connect_object (self->add_disk_dialog, "response", G_CALLBACK (on_add_disk_response), self, 0);
  g_signal_connect_object (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->disk_view)), "changed",
                           G_CALLBACK (on_disk_selection_changed), self, 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->size_spin), 10);
  on_disk_selection_changed (NULL, self);
}
