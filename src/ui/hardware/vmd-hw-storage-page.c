#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-device-xml.h"
#include "vmd-error.h"
#include "vmd-form.h"
#include "vmd-hw-storage-page.h"
#include "vmd-pool-browser.h"
#include "vmd-resources.h"

struct _VmdHwStoragePage
{
  VmdHwPage   parent_instance;

  GtkWidget  *device_combo, *new_radio, *pool_combo, *pool_error, *name_entry, *name_error;
  GtkWidget  *size_entry, *size_error, *existing_radio, *path_entry, *browse_button, *path_error;
  GtkWidget  *format_combo, *bus_combo, *bus_error, *cache_combo, *cache_error, *discard_combo;
  GtkWidget  *discard_error, *readonly_check, *shareable_check, *general_error;
  GListModel *pools;
  GtkWidget  *browser;      /* in the open "Choose a Volume" dialog, else NULL */
  gboolean    touched;
};

G_DEFINE_FINAL_TYPE (VmdHwStoragePage, vmd_hw_storage_page, VMD_TYPE_HW_PAGE)

/* The user's typed input, read from the page; the strings live as long as it. */
typedef struct {
  VmdDiskSpec     spec;
  VmdNewVolume    volume;
  gboolean        new_volume;
  VmdStoragePool *pool;
  char           *name, *path, *size;
} Input;

static void
input_clear (Input *input)
{
  g_free (input->name);
  g_free (input->path);
  g_free (input->size);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Input, input_clear)

static const char *
combo_id (GtkWidget *combo)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (combo));

  return g_strcmp0 (id, "default") == 0 ? NULL : id;
}

static VmdResources *
resources (VmdHwStoragePage *self)
{
  VmdMachineDetails *details = vmd_hw_page_get_details (VMD_HW_PAGE (self));
  VmdConnection *connection = details != NULL ? vmd_machine_get_connection (vmd_machine_details_get_machine (details)) : NULL;

  return connection != NULL ? vmd_connection_get_resources (connection) : NULL;
}

static void
read_input (VmdHwStoragePage *self,
            Input            *input)
{
  const char *pool_name = combo_id (self->pool_combo);
  VmdResources *res = resources (self);

  input->new_volume = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->new_radio));
  input->name = vmd_form_text (self->name_entry);
  input->path = vmd_form_text (self->path_entry);
  input->size = vmd_form_text (self->size_entry);
  input->pool = pool_name != NULL && res != NULL ? vmd_resources_find_pool (res, pool_name) : NULL;
  input->spec = (VmdDiskSpec) { combo_id (self->device_combo), combo_id (self->bus_combo), input->path,
                                combo_id (self->format_combo),
                                gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->readonly_check)),
                                gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->shareable_check)),
                                combo_id (self->cache_combo), combo_id (self->discard_combo) };
  input->volume = (VmdNewVolume) { pool_name, input->name, input->spec.format, 0 };
}

static void
show_problem (VmdHwStoragePage *self,
              VmdHwField        field,
              const char       *message)
{
  const VmdFormField fields[] = {
    { "pool", self->pool_error }, { "name", self->name_error }, { "size", self->size_error },
    { "path", self->path_error }, { "bus", self->bus_error }, { "cache", self->cache_error },
    { "discard", self->discard_error },
  };
  const char *name = field == VMD_HW_FIELD_POOL ? "pool" : field == VMD_HW_FIELD_VOLUME_NAME ? "name"
                   : field == VMD_HW_FIELD_SIZE ? "size" : field == VMD_HW_FIELD_PATH ? "path"
                   : field == VMD_HW_FIELD_BUS ? "bus" : field == VMD_HW_FIELD_CACHE ? "cache"
                   : field == VMD_HW_FIELD_DISCARD ? "discard" : NULL;

  vmd_form_show_problem (fields, G_N_ELEMENTS (fields), self->general_error, name,
                         self->touched ? message : NULL);
}

/* What the core's checks cannot know: the pool's state, its names and free space. */
static gboolean
new_volume_validate (Input       *input,
                     VmdHwField  *field,
                     GError     **error)
{
  guint64 available = input->pool != NULL ? vmd_storage_pool_get_available (input->pool) : 0;
  g_autoptr(GError) size_error = NULL;

  if (input->pool != NULL && !vmd_storage_pool_get_active (input->pool))
    {
      *field = VMD_HW_FIELD_POOL;
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("This pool is stopped: start it first"));
      return FALSE;
    }
  if (input->pool != NULL && input->name != NULL && vmd_storage_pool_find_volume (input->pool, input->name) != NULL)
    {
      *field = VMD_HW_FIELD_VOLUME_NAME;
      g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("The pool has a volume of this name already"));
      return FALSE;
    }
  input->volume.capacity = vmd_parse_size (input->size, &size_error);
  if (size_error != NULL)
    {
      *field = VMD_HW_FIELD_SIZE;
      g_propagate_error (error, g_steal_pointer (&size_error));
      return FALSE;
    }
  return vmd_new_disk_validate (&input->spec, &input->volume, available, field, error);
}

static gboolean
validate (VmdHwStoragePage  *self,
          Input             *input,
          GError           **error)
{
  VmdHwField field = VMD_HW_FIELD_NONE;
  g_autoptr(GError) local_error = NULL;
  gboolean valid;

  read_input (self, input);
  valid = input->new_volume ? new_volume_validate (input, &field, &local_error)
                            : vmd_disk_spec_validate (&input->spec, &field, &local_error);
  show_problem (self, field, valid ? NULL : local_error->message);
  if (!valid)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return valid;
}

/* SATA and floppy controllers take no drive while the machine runs. */
static VmdHwAttach
attach_mode (const VmdDiskSpec *spec)
{
  return g_strcmp0 (spec->bus, "sata") == 0 || g_strcmp0 (spec->bus, "fdc") == 0
           ? VMD_HW_ATTACH_NEXT_BOOT : VMD_HW_ATTACH_LIVE;
}

static char *
build (VmdHwPage    *page,
       const char   *domain_xml,
       VmdHwAttach  *mode,
       GError      **error)
{
  VmdHwStoragePage *self = VMD_HW_STORAGE_PAGE (page);
  g_auto(Input) input = { 0, };
  g_autofree char *target = NULL;

  if (!validate (self, &input, error))
    return NULL;
  *mode = attach_mode (&input.spec);
  if (input.new_volume)
    input.spec.path = "";   /* the volume's path is known once it is made */
  target = vmd_disk_free_target (domain_xml, input.spec.bus);
  return vmd_disk_spec_xml (&input.spec, target != NULL ? target : "");
}

static void
add_async (VmdHwPage           *page,
           const char          *domain_xml,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  VmdHwStoragePage *self = VMD_HW_STORAGE_PAGE (page);
  g_auto(Input) input = { 0, };

  if (!validate (self, &input, NULL))
    return;
  vmd_machine_details_add_storage_async (vmd_hw_page_get_details (page), &input.spec,
                                         input.new_volume ? &input.volume : NULL, attach_mode (&input.spec),
                                         cancellable, callback, user_data);
}

static void
on_field_changed (VmdHwStoragePage *self)
{
  gboolean new_volume = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->new_radio));

  gtk_widget_set_sensitive (self->pool_combo, new_volume);
  gtk_widget_set_sensitive (self->name_entry, new_volume);
  gtk_widget_set_sensitive (self->size_entry, new_volume);
  gtk_widget_set_sensitive (self->path_entry, !new_volume);
  gtk_widget_set_sensitive (self->browse_button, !new_volume && resources (self) != NULL);
  self->touched = TRUE;
  vmd_hw_page_changed (VMD_HW_PAGE (self));
}

/* A CD or floppy sits on the bus it needs; only a disk takes a new volume. */
static void
on_device_changed (VmdHwStoragePage *self)
{
  const char *device = combo_id (self->device_combo);

  if (g_strcmp0 (device, "floppy") == 0)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->bus_combo), "fdc");
  else if (g_strcmp0 (device, "cdrom") == 0)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->bus_combo), "sata");
  else if (g_strcmp0 (combo_id (self->bus_combo), "fdc") == 0)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->bus_combo), "virtio");
  if (g_strcmp0 (device, "disk") != 0)
    {
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->existing_radio), TRUE);
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->format_combo), "raw");
    }
  on_field_changed (self);
}

/* A typed file's format from its name; the user may still choose. */
static void
on_path_changed (VmdHwStoragePage *self)
{
  g_autofree char *path = vmd_form_text (self->path_entry);
  const char *suffix = path != NULL ? strrchr (path, '.') : NULL;

  if (g_strcmp0 (suffix, ".qcow2") == 0)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->format_combo), "qcow2");
  else if (g_strcmp0 (suffix, ".img") == 0 || g_strcmp0 (suffix, ".raw") == 0 || g_strcmp0 (suffix, ".iso") == 0)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->format_combo), "raw");
  on_field_changed (self);
}

/* --- the pool browser ---------------------------------------------------------------------------- */

static void
on_browser_response (GtkDialog        *dialog,
                     int               response,
                     VmdHwStoragePage *self)
{
  VmdStorageVolume *volume = vmd_pool_browser_get_selected_volume (VMD_POOL_BROWSER (self->browser));

  if (response == GTK_RESPONSE_ACCEPT && volume != NULL)
    {
      const char *format = vmd_storage_volume_get_format (volume);

      gtk_entry_set_text (GTK_ENTRY (self->path_entry), vmd_storage_volume_get_path (volume));
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->format_combo),
                                   g_strcmp0 (format, "qcow2") == 0 ? "qcow2" : "raw");
    }
  self->browser = NULL;
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
on_browse (VmdHwStoragePage *self)
{
  VmdResources *res = resources (self);
  GtkWidget *dialog;

  if (res == NULL || self->browser != NULL)
    return;
  dialog = gtk_dialog_new_with_buttons (_("Choose a Volume"), GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                        GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                        _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Use Volume"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 640, 360);
  self->browser = vmd_pool_browser_new ();
  vmd_pool_browser_set_resources (VMD_POOL_BROWSER (self->browser), res);
  if (combo_id (self->pool_combo) != NULL)
    vmd_pool_browser_select_pool (VMD_POOL_BROWSER (self->browser), combo_id (self->pool_combo));
  gtk_widget_set_vexpand (self->browser, TRUE);
  gtk_widget_show (self->browser);
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), self->browser);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_browser_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- pools ---------------------------------------------------------------------------------------- */

/* A name no volume of the pool has yet: MACHINE-N.qcow2. */
static void
suggest_name (VmdHwStoragePage *self)
{
  VmdMachineDetails *details = vmd_hw_page_get_details (VMD_HW_PAGE (self));
  const VmdMachineConfig *config = details != NULL ? vmd_machine_details_get_config (details) : NULL;
  const char *pool_name = combo_id (self->pool_combo);
  VmdStoragePool *pool = pool_name != NULL && resources (self) != NULL ? vmd_resources_find_pool (resources (self), pool_name) : NULL;
  g_autofree char *current = vmd_form_text (self->name_entry);

  if (current != NULL || config == NULL)
    return;
  for (guint n = 1; n < 100; n++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u.qcow2", config->name, n);

      if (pool == NULL || vmd_storage_pool_find_volume (pool, name) == NULL)
        {
          gtk_entry_set_text (GTK_ENTRY (self->name_entry), name);
          return;
        }
    }
}

static void
fill_pools (VmdHwStoragePage *self)
{
  GtkComboBoxText *combo = GTK_COMBO_BOX_TEXT (self->pool_combo);
  g_autofree char *keep = g_strdup (combo_id (self->pool_combo));
  guint n = self->pools != NULL ? g_list_model_get_n_items (self->pools) : 0;

  gtk_combo_box_text_remove_all (combo);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdStoragePool) pool = g_list_model_get_item (self->pools, i);

      gtk_combo_box_text_append (combo, vmd_storage_pool_get_name (pool), vmd_storage_pool_get_name (pool));
    }
  if (keep == NULL || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), keep))
    if (!gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), "default") && n > 0)
      gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
  suggest_name (self);
}

static void
vmd_hw_storage_page_constructed (GObject *object)
{
  VmdHwStoragePage *self = VMD_HW_STORAGE_PAGE (object);
  VmdResources *res;

  G_OBJECT_CLASS (vmd_hw_storage_page_parent_class)->constructed (object);
  if ((res = resources (self)) != NULL)
    {
      self->pools = g_object_ref (vmd_resources_get_pools (res));
      g_signal_connect_object (self->pools, "items-changed", G_CALLBACK (fill_pools), self, G_CONNECT_SWAPPED);
    }
  fill_pools (self);
  gtk_entry_set_text (GTK_ENTRY (self->size_entry), "10 GiB");
  self->touched = FALSE;
}

static void
vmd_hw_storage_page_dispose (GObject *object)
{
  VmdHwStoragePage *self = VMD_HW_STORAGE_PAGE (object);

  g_clear_object (&self->pools);
  G_OBJECT_CLASS (vmd_hw_storage_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdHwStoragePage, name)

static void
vmd_hw_storage_page_class_init (VmdHwStoragePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->constructed = vmd_hw_storage_page_constructed;
  G_OBJECT_CLASS (klass)->dispose = vmd_hw_storage_page_dispose;
  VMD_HW_PAGE_CLASS (klass)->build = build;
  VMD_HW_PAGE_CLASS (klass)->add_async = add_async;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/hardware/vmd-hw-storage-page.ui");
  BIND (device_combo); BIND (new_radio); BIND (pool_combo); BIND (pool_error); BIND (name_entry);
  BIND (name_error); BIND (size_entry); BIND (size_error); BIND (existing_radio); BIND (path_entry);
  BIND (browse_button); BIND (path_error); BIND (format_combo); BIND (bus_combo); BIND (bus_error);
  BIND (cache_combo); BIND (cache_error); BIND (discard_combo); BIND (discard_error);
  BIND (readonly_check); BIND (shareable_check); BIND (general_error);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_device_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_path_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_browse);
}

static void
vmd_hw_storage_page_init (VmdHwStoragePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
