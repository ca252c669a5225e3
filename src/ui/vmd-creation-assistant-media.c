/* VmdCreationAssistant, the OS and the media: the OS list and its search, reading the ISO or
 * install tree once the OS database has loaded (read before, media are not identified), the
 * detection applied whenever it comes unless the user chose an OS, and the file chooser. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-creation-assistant-private.h"
#include "vmd-os-row.h"

static void read_media (VmdCreationAssistant *self);

/* --- OS list --------------------------------------------------------------------------------- */

/* "Generic" first, then what matches the search. */
void
vmd_creation_assistant_fill_os_list (VmdCreationAssistant *self)
{
  VmdOsCatalog *catalog = vmd_os_catalog_get_default ();
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->os_search));
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->os_list));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  gtk_container_add (GTK_CONTAINER (self->os_list), vmd_os_row_new (NULL));
  if (!vmd_os_catalog_is_loaded (catalog))
    return;
  if (*text == '\0' && self->detected_os != NULL)
    gtk_container_add (GTK_CONTAINER (self->os_list), vmd_os_row_new (self->detected_os));
  if (*text == '\0')
    return;
  found = vmd_os_catalog_search (catalog, text, MAX_OS_RESULTS);
  for (guint i = 0; i < found->len; i++)
    gtk_container_add (GTK_CONTAINER (self->os_list), vmd_os_row_new (found->pdata[i]));
}

void
vmd_creation_assistant_on_os_search_changed (VmdCreationAssistant *self)
{
  vmd_creation_assistant_fill_os_list (self);
}

/* A click or Enter on a row: the user's own choice, which a detection never overrides. */
void
vmd_creation_assistant_on_os_row_activated (VmdCreationAssistant *self,
                                            GtkListBoxRow        *row)
{
  self->os_chosen = TRUE;
  self->edited = TRUE;
  vmd_creation_assistant_choose_os (self, vmd_os_row_get_os (VMD_OS_ROW (row)));
}

void
vmd_creation_assistant_show_detected (VmdCreationAssistant *self)
{
  gboolean detecting = self->media_cancellable != NULL || self->media_timeout_id != 0 || self->media_waits;
  g_autofree char *text = NULL;

  if (detecting)
    text = g_strdup (_("Detecting the operating system on the media…"));
  else if (self->detected_os != NULL && self->os_chosen)
    text = g_strdup_printf (_("Detected from the media: %s. You chose another."),
                            osinfo_product_get_name (OSINFO_PRODUCT (self->detected_os)));
  else if (self->detected_os != NULL)
    text = g_strdup_printf (_("Detected from the media: %s. Search to choose another."),
                            osinfo_product_get_name (OSINFO_PRODUCT (self->detected_os)));
  else if (self->media != NULL)
    text = g_strdup (_("The operating system on the media was not recognised: search for it, "
                       "or keep “Generic OS”."));
  else
    text = g_strdup (_("Search for the operating system, or keep “Generic OS”."));
  gtk_label_set_text (GTK_LABEL (self->os_detected_label), text);
  gtk_widget_set_visible (self->os_spinner, detecting);
  if (detecting)
    gtk_spinner_start (GTK_SPINNER (self->os_spinner));
  else
    gtk_spinner_stop (GTK_SPINNER (self->os_spinner));
}

void
vmd_creation_assistant_on_catalog_loaded (GObject      *source,
                                          GAsyncResult *result,
                                          gpointer      user_data)
{
  g_autoptr(VmdCreationAssistant) self = user_data;
  g_autoptr(GError) error = NULL;

  gboolean loaded = vmd_os_catalog_load_finish (VMD_OS_CATALOG (source), result, &error);

  /* Closed meanwhile: its labels are gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  if (!loaded)
    {
      self->catalog_failed = TRUE;
      if (self->media_waits)
        read_media (self);
      gtk_label_set_text (GTK_LABEL (self->os_detected_label), error->message);
      return;
    }
  vmd_creation_assistant_fill_os_list (self);
  if (self->media_waits)
    read_media (self);
}

/* --- media ------------------------------------------------------------------------------------ */

/* Applied whenever it comes, whichever page is showing, unless the user chose an OS meanwhile;
 * an install that waited for it goes on. */
static void
on_media_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  VmdCreationAssistant *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdInstallMedia) media = vmd_install_media_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->media_cancellable);
  if (media == NULL)
    /* Shown beside the field unless the spec's own check finds something first. */
    self->media_error = g_steal_pointer (&error);
  else
    {
      g_set_object (&self->media, media);
      self->detected_os = vmd_install_media_get_os (media);
      vmd_creation_assistant_fill_os_list (self);
      if (!self->os_chosen)
        vmd_creation_assistant_choose_os (self, self->detected_os);
    }
  vmd_creation_assistant_show_detected (self);
  vmd_creation_assistant_update_pages (self);
  if (self->install_waits)
    {
      self->install_waits = FALSE;
      vmd_creation_assistant_install (self, self->custom_xml);
    }
}

static void
read_media (VmdCreationAssistant *self)
{
  const char *path = vmd_machine_spec_get_media_path (self->spec);

  self->media_waits = FALSE;
  if (path != NULL && vmd_machine_spec_check_field (self->spec, VMD_SPEC_FIELD_MEDIA, NULL))
    {
      self->media_cancellable = g_cancellable_new ();
      vmd_install_media_load_async (path, vmd_os_catalog_get_default (), self->media_cancellable,
                                    on_media_loaded, self);
    }
  vmd_creation_assistant_show_detected (self);
  if (self->media_cancellable == NULL && self->install_waits)
    {
      self->install_waits = FALSE;
      vmd_creation_assistant_install (self, self->custom_xml);
    }
}

static gboolean
on_media_due (gpointer user_data)
{
  VmdCreationAssistant *self = user_data;

  self->media_timeout_id = 0;
  /* Media read before the OS database has loaded are not identified: on_catalog_loaded reads. */
  if (!vmd_os_catalog_is_loaded (vmd_os_catalog_get_default ()) && !self->catalog_failed)
    {
      self->media_waits = TRUE;
      vmd_creation_assistant_show_detected (self);
      return G_SOURCE_REMOVE;
    }
  read_media (self);
  return G_SOURCE_REMOVE;
}

/* Read the ISO once typing stops, not on every key. */
void
vmd_creation_assistant_schedule_media_read (VmdCreationAssistant *self)
{
  g_cancellable_cancel (self->media_cancellable);
  g_clear_object (&self->media_cancellable);
  g_clear_object (&self->media);
  g_clear_error (&self->media_error);
  self->detected_os = NULL;
  g_clear_handle_id (&self->media_timeout_id, g_source_remove);
  self->media_waits = FALSE;
  self->media_timeout_id = g_timeout_add (MEDIA_DELAY_MS, on_media_due, self);
  vmd_creation_assistant_show_detected (self);
}

gboolean
vmd_creation_assistant_media_is_disk (VmdCreationAssistant *self)
{
  return vmd_machine_spec_get_install_method (self->spec) == VMD_INSTALL_METHOD_IMPORT;
}

/* The ISO's or install tree's path (only the user writes it, through the entry). */
void
vmd_creation_assistant_on_media_path_changed (VmdCreationAssistant *self)
{
  if (vmd_machine_spec_get_media_path (self->spec) != NULL)
    vmd_creation_assistant_touch (self, VMD_SPEC_FIELD_MEDIA);
  vmd_creation_assistant_schedule_media_read (self);
}

gboolean
vmd_creation_assistant_on_media_focus_out (VmdCreationAssistant *self)
{
  vmd_creation_assistant_touch (self, vmd_creation_assistant_media_is_disk (self) ? VMD_SPEC_FIELD_STORAGE : VMD_SPEC_FIELD_MEDIA);
  vmd_creation_assistant_update_pages (self);
  return GDK_EVENT_PROPAGATE;
}

static void
on_media_chosen (GtkDialog            *dialog,
                 int                   response,
                 VmdCreationAssistant *self)
{
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (self->chooser_widget));
  self->chooser_widget = NULL;
  g_clear_pointer (&self->chooser, gtk_widget_destroy);
  if (path != NULL)
    gtk_entry_set_text (GTK_ENTRY (self->media_entry), path);
}

static void
on_file_activated (GtkFileChooser *chooser,
                   GtkDialog      *dialog)
{
  gtk_dialog_response (dialog, GTK_RESPONSE_ACCEPT);
}

/* One chooser at a time, modal to the assistant and gone with it. A file chooser widget in a
 * dialog of our own, because GtkFileChooserDialog (and the native one) size themselves, taller
 * than an 800-pixel screen; this one fits the screen it is on. */
static void
open_chooser (VmdCreationAssistant *self,
              const char           *title,
              GtkFileChooserAction  action,
              const char           *accept,
              GtkFileFilter        *filter)
{
  GdkRectangle area = { 0, 0, CHOOSER_WIDTH, CHOOSER_HEIGHT };
  GdkWindow *window = gtk_widget_get_window (GTK_WIDGET (self));
  GdkMonitor *monitor = window != NULL ? gdk_display_get_monitor_at_window (gdk_window_get_display (window), window)
                                       : NULL;
  GtkWidget *chooser;

  if (self->chooser != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->chooser));
      return;
    }
  if (monitor != NULL)
    gdk_monitor_get_workarea (monitor, &area);
  self->chooser = gtk_dialog_new_with_buttons (title, GTK_WINDOW (self),
                                               GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                               _("_Cancel"), GTK_RESPONSE_CANCEL,
                                               accept, GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (self->chooser), GTK_RESPONSE_ACCEPT);
  gtk_window_set_default_size (GTK_WINDOW (self->chooser), MIN (CHOOSER_WIDTH, area.width * 9 / 10),
                               MIN (CHOOSER_HEIGHT, area.height * 8 / 10));
  chooser = self->chooser_widget = gtk_file_chooser_widget_new (action);
  gtk_file_chooser_set_local_only (GTK_FILE_CHOOSER (chooser), TRUE);
  if (filter != NULL)
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_container_set_border_width (GTK_CONTAINER (chooser), 6);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (self->chooser))), chooser,
                      TRUE, TRUE, 0);
  g_signal_connect_object (chooser, "file-activated", G_CALLBACK (on_file_activated), self->chooser, 0);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_media_chosen), self, 0);
  gtk_widget_show_all (self->chooser);
}

void
vmd_creation_assistant_on_media_browse (VmdCreationAssistant *self)
{
  GtkFileFilter *filter = NULL;

  if (!vmd_creation_assistant_media_is_disk (self))
    {
      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("ISO images"));
      gtk_file_filter_add_pattern (filter, "*.iso");
      gtk_file_filter_add_pattern (filter, "*.ISO");
    }
  open_chooser (self, vmd_creation_assistant_media_is_disk (self) ? _("Choose a Disk Image") : _("Choose an Installer ISO"),
                GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), filter);
}

/* An install tree for a direct kernel boot. */
void
vmd_creation_assistant_on_media_folder (VmdCreationAssistant *self)
{
  open_chooser (self, _("Choose an Install Tree Folder"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                _("_Select"), NULL);
}
