/* VmdCreationAssistant: six pages that fill a VmdMachineSpec, whose checks decide whether Forward
 * is on and what is written beside each field; VmdInstaller then makes the machine. Everything
 * slow (the OS database, reading the ISO, asking libvirt about the host) runs off the main loop,
 * so the assistant shows at once and fills itself in. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "vmd-connection.h"
#include "vmd-creation-assistant.h"
#include "vmd-install-media.h"
#include "vmd-installer.h"
#include "vmd-machine-spec.h"
#include "vmd-os-catalog.h"

#define MAX_OS_RESULTS 60
#define MEDIA_DELAY_MS 250

enum { PAGE_METHOD, PAGE_OS, PAGE_RESOURCES, PAGE_STORAGE, PAGE_NETWORK, PAGE_FINISH, PAGE_PROGRESS };

struct _VmdCreationAssistant
{
  GtkAssistant     parent_instance;

  GtkWidget       *kvm_bar;
  GtkWidget       *connection_combo;
  GtkWidget       *method_cdrom;
  GtkWidget       *method_kernel;
  GtkWidget       *method_import;
  GtkWidget       *method_manual;
  GtkWidget       *media_label;
  GtkWidget       *media_entry;
  GtkWidget       *media_browse;
  GtkWidget       *media_folder;
  GtkWidget       *media_message;
  GtkWidget       *kernel_args_label;
  GtkWidget       *kernel_args_entry;
  GtkWidget       *os_detected_label;
  GtkWidget       *os_search;
  GtkWidget       *os_list;
  GtkWidget       *os_chosen_label;
  GtkWidget       *memory_spin;
  GtkWidget       *memory_message;
  GtkWidget       *cpus_spin;
  GtkWidget       *cpus_message;
  GtkWidget       *storage_new;
  GtkWidget       *storage_existing;
  GtkWidget       *storage_none;
  GtkWidget       *disk_size_spin;
  GtkWidget       *disk_path_label;
  GtkWidget       *existing_entry;
  GtkWidget       *storage_message;
  GtkWidget       *net_nat;
  GtkWidget       *net_bridge;
  GtkWidget       *net_user;
  GtkWidget       *net_none;
  GtkWidget       *bridge_combo;
  GtkWidget       *network_message;
  GtkWidget       *name_entry;
  GtkWidget       *name_message;
  GtkWidget       *graphics_combo;
  GtkWidget       *firmware_combo;
  GtkWidget       *customize_check;
  GtkWidget       *summary_label;
  GtkWidget       *install_error_bar;
  GtkWidget       *install_error_label;
  GtkWidget       *progress_spinner;

  GListModel      *connections;
  VmdConnection   *connection;      /* the chosen one */
  VmdInstaller    *installer;       /* for the chosen connection, once probed */
  VmdInstaller    *probing;         /* the probe under way (no ref): earlier answers are stale */
  VmdMachineSpec  *spec;
  VmdInstallMedia *media;           /* the ISO or install tree read so far, or NULL */
  GError          *media_error;     /* why reading it failed, when its path looked right */
  OsinfoOs        *detected_os;     /* borrowed from the OS database */
  GCancellable    *cancellable;     /* everything, on close */
  GCancellable    *media_cancellable;
  guint            media_timeout_id;
  gboolean         syncing;         /* widgets being set from the spec: not user input */
  gboolean         name_edited;
  gboolean         installing;
  gint64           created_at;
  gint64           built_at;
  gboolean         reported;
  gboolean         building;        /* checks wait until every page is there */
};

G_DEFINE_FINAL_TYPE (VmdCreationAssistant, vmd_creation_assistant, GTK_TYPE_ASSISTANT)

static void update_pages (VmdCreationAssistant *self);
static void choose_os (VmdCreationAssistant *self, OsinfoOs *os);

static void
set_message (GtkWidget  *label,
             const char *text,
             gboolean    is_error)
{
  GtkStyleContext *style = gtk_widget_get_style_context (label);

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  if (is_error)
    gtk_style_context_add_class (style, "error");
  else
    gtk_style_context_remove_class (style, "error");
}

static GtkWidget *
page (VmdCreationAssistant *self,
      int                   index)
{
  return gtk_assistant_get_nth_page (GTK_ASSISTANT (self), index);
}

/* --- checks -> messages and Forward -------------------------------------------------------- */

/* The first error of FIELD beside it, else its warning; TRUE when there is no error. */
static gboolean
check_into (VmdCreationAssistant *self,
            VmdSpecField          field,
            GtkWidget            *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;

  if (!vmd_machine_spec_check_field (self->spec, field, &error))
    {
      set_message (label, error->message, TRUE);
      return FALSE;
    }
  warning = vmd_machine_spec_dup_warning (self->spec, field);
  set_message (label, warning, FALSE);
  return TRUE;
}

static void
update_media_hint (VmdCreationAssistant *self,
                   gboolean              media_ok)
{
  VmdInstallMethod method = vmd_machine_spec_get_install_method (self->spec);
  g_autofree char *hint = NULL;

  if (!media_ok || method == VMD_INSTALL_METHOD_IMPORT || method == VMD_INSTALL_METHOD_MANUAL)
    return;
  if (self->media_error != NULL)
    {
      set_message (self->media_message, self->media_error->message, TRUE);
      return;
    }
  if (self->media == NULL)
    hint = g_strdup (vmd_install_media_location_is_tree (vmd_machine_spec_get_media_path (self->spec))
                       ? _("Reading the install tree…") : _("Reading the ISO…"));
  else if (vmd_install_media_is_tree (self->media))
    hint = g_strdup_printf (_("Install tree, kernel: %s"), vmd_install_media_get_kernel_path (self->media));
  else if (method == VMD_INSTALL_METHOD_KERNEL_BOOT && !vmd_install_media_can_kernel_boot (self->media))
    hint = g_strdup (_("No kernel and initrd were found on this ISO: boot it as a CD instead."));
  else
    hint = g_strdup_printf (_("Volume “%s”%s%s"),
                            vmd_install_media_get_volume_id (self->media) != NULL
                              ? vmd_install_media_get_volume_id (self->media) : _("(no label)"),
                            method == VMD_INSTALL_METHOD_KERNEL_BOOT ? _(", kernel: ") : "",
                            method == VMD_INSTALL_METHOD_KERNEL_BOOT
                              ? vmd_install_media_get_kernel_path (self->media) : "");
  set_message (self->media_message, hint, FALSE);
}

/* Kernel boot also needs the ISO or tree read and a kernel in it. */
static gboolean
method_page_ok (VmdCreationAssistant *self)
{
  gboolean ok = check_into (self, VMD_SPEC_FIELD_MEDIA, self->media_message);

  update_media_hint (self, ok);
  if (ok && vmd_machine_spec_get_install_method (self->spec) == VMD_INSTALL_METHOD_KERNEL_BOOT)
    ok = self->media != NULL && vmd_install_media_can_kernel_boot (self->media);
  return ok && self->installer != NULL;
}

static void
update_summary (VmdCreationAssistant *self)
{
  g_autofree char *disk = vmd_machine_spec_dup_disk_path (self->spec);
  g_autofree char *summary = NULL;

  summary = g_strdup_printf (_("%s, %" PRIu64 " MiB, %u CPU(s), disk %s%s"),
                             vmd_machine_spec_get_os_name (self->spec),
                             vmd_machine_spec_get_memory_mib (self->spec),
                             vmd_machine_spec_get_vcpus (self->spec),
                             disk != NULL ? disk : _("none"),
                             vmd_machine_spec_get_kvm (self->spec) ? ""
                               : _(". Runs emulated (no KVM): expect it to be slow."));
  gtk_label_set_text (GTK_LABEL (self->summary_label), summary);
  gtk_label_set_text (GTK_LABEL (self->disk_path_label), disk != NULL ? disk : "");
}

static void
update_pages (VmdCreationAssistant *self)
{
  GtkAssistant *assistant = GTK_ASSISTANT (self);
  gboolean network_ok;

  if (self->building)
    return;

  gtk_assistant_set_page_complete (assistant, page (self, PAGE_METHOD), method_page_ok (self));
  gtk_assistant_set_page_complete (assistant, page (self, PAGE_OS), TRUE);
  gtk_assistant_set_page_complete (assistant, page (self, PAGE_RESOURCES),
                                   check_into (self, VMD_SPEC_FIELD_MEMORY, self->memory_message) &
                                   check_into (self, VMD_SPEC_FIELD_CPUS, self->cpus_message));
  gtk_assistant_set_page_complete (assistant, page (self, PAGE_STORAGE),
                                   check_into (self, VMD_SPEC_FIELD_STORAGE, self->storage_message));
  network_ok = check_into (self, VMD_SPEC_FIELD_NETWORK, self->network_message);
  if (network_ok && vmd_machine_spec_get_network_kind (self->spec) == VMD_NETWORK_USER)
    set_message (self->network_message,
                 _("User-mode networking needs no privileges and no helper, but the guest "
                   "cannot be reached from the host or the network."), FALSE);
  gtk_assistant_set_page_complete (assistant, page (self, PAGE_NETWORK), network_ok);
  gtk_assistant_set_page_complete (assistant, page (self, PAGE_FINISH),
                                   check_into (self, VMD_SPEC_FIELD_NAME, self->name_message) &&
                                   !self->installing);
  update_summary (self);
}

/* --- widgets <- spec ----------------------------------------------------------------------- */

static void
suggest_name (VmdCreationAssistant *self)
{
  g_autofree char *name = NULL;

  if (self->name_edited)
    return;
  name = vmd_machine_spec_suggest_name (self->spec);
  self->syncing = TRUE;
  gtk_entry_set_text (GTK_ENTRY (self->name_entry), name);
  vmd_machine_spec_set_name (self->spec, name);
  self->syncing = FALSE;
}

/* The OS's recommended resources, bounded by the host (half its memory, all its CPUs). */
static void
apply_os_defaults (VmdCreationAssistant *self,
                   OsinfoOs             *os)
{
  guint64 host_mib = self->installer != NULL ? vmd_installer_get_host_memory_mib (self->installer) : 0;
  guint host_cpus = self->installer != NULL ? vmd_installer_get_host_cpus (self->installer) : 0;
  VmdOsDefaults defaults;
  guint64 memory;
  guint cpus;

  vmd_os_catalog_get_defaults (os, &defaults);
  memory = host_mib > 0 ? MIN (defaults.memory_mib, MAX (host_mib / 2, 256)) : defaults.memory_mib;
  cpus = host_cpus > 0 ? MIN (defaults.cpus, host_cpus) : defaults.cpus;

  self->syncing = TRUE;
  vmd_machine_spec_set_minimum (self->spec, defaults.minimum_memory_mib);
  vmd_machine_spec_set_memory_mib (self->spec, memory);
  vmd_machine_spec_set_vcpus (self->spec, cpus);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->memory_spin), memory);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->cpus_spin), cpus);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->disk_size_spin), defaults.storage_gib);
  self->syncing = FALSE;
}

static void
choose_os (VmdCreationAssistant *self,
           OsinfoOs             *os)
{
  g_autofree char *label = vmd_os_catalog_describe (os);
  VmdOsDefaults defaults;

  vmd_os_catalog_get_defaults (os, &defaults);
  vmd_machine_spec_set_os (self->spec,
                           os != NULL ? osinfo_product_get_short_id (OSINFO_PRODUCT (os)) : "generic",
                           label, defaults.virtio);
  vmd_machine_spec_set_os_url (self->spec, os != NULL ? osinfo_entity_get_id (OSINFO_ENTITY (os)) : NULL);
  gtk_label_set_text (GTK_LABEL (self->os_chosen_label), label);
  apply_os_defaults (self, os);
  /* Storage follows the size spin button, whose value the defaults just set. */
  vmd_machine_spec_set_storage (self->spec, vmd_machine_spec_get_storage_kind (self->spec),
                                gtk_entry_get_text (GTK_ENTRY (self->existing_entry)),
                                gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->disk_size_spin)));
  suggest_name (self);
}

/* --- OS list --------------------------------------------------------------------------------- */

static GtkWidget *
os_row_new (OsinfoOs *os)
{
  g_autofree char *text = vmd_os_catalog_describe (os);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_top (label, 3);
  gtk_widget_set_margin_bottom (label, 3);
  gtk_container_add (GTK_CONTAINER (row), label);
  if (os != NULL)
    g_object_set_data_full (G_OBJECT (row), "os", g_object_ref (os), g_object_unref);
  gtk_widget_show_all (row);
  return row;
}

/* "Generic" first, then what matches the search. */
static void
fill_os_list (VmdCreationAssistant *self)
{
  VmdOsCatalog *catalog = vmd_os_catalog_get_default ();
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->os_search));
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->os_list));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  gtk_container_add (GTK_CONTAINER (self->os_list), os_row_new (NULL));
  if (!vmd_os_catalog_is_loaded (catalog))
    return;
  if (*text == '\0' && self->detected_os != NULL)
    gtk_container_add (GTK_CONTAINER (self->os_list), os_row_new (self->detected_os));
  if (*text == '\0')
    return;
  found = vmd_os_catalog_search (catalog, text, MAX_OS_RESULTS);
  for (guint i = 0; i < found->len; i++)
    gtk_container_add (GTK_CONTAINER (self->os_list), os_row_new (found->pdata[i]));
}

static void
on_os_search_changed (VmdCreationAssistant *self)
{
  fill_os_list (self);
}

static void
on_os_row_selected (VmdCreationAssistant *self,
                    GtkListBoxRow        *row)
{
  if (row == NULL || self->syncing)
    return;
  choose_os (self, g_object_get_data (G_OBJECT (row), "os"));
}

static void
show_detected (VmdCreationAssistant *self)
{
  g_autofree char *text = NULL;

  if (self->detected_os != NULL)
    text = g_strdup_printf (_("Detected from the media: %s. Search to choose another."),
                            osinfo_product_get_name (OSINFO_PRODUCT (self->detected_os)));
  else if (self->media != NULL)
    text = g_strdup (_("The operating system on the media was not recognised: search for it, "
                       "or keep “Generic OS”."));
  else
    text = g_strdup (_("Search for the operating system, or keep “Generic OS”."));
  gtk_label_set_text (GTK_LABEL (self->os_detected_label), text);
}

static void
on_catalog_loaded (GObject      *source,
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
      gtk_label_set_text (GTK_LABEL (self->os_detected_label), error->message);
      return;
    }
  fill_os_list (self);
}

/* --- media ------------------------------------------------------------------------------------ */

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
    {
      /* Shown beside the field unless the spec's own check finds something first. */
      self->media_error = g_steal_pointer (&error);
      update_pages (self);
      return;
    }
  g_set_object (&self->media, media);
  self->detected_os = vmd_install_media_get_os (media);
  show_detected (self);
  fill_os_list (self);
  choose_os (self, self->detected_os);
  update_pages (self);
}

static gboolean
on_media_due (gpointer user_data)
{
  VmdCreationAssistant *self = user_data;
  const char *path = vmd_machine_spec_get_media_path (self->spec);

  self->media_timeout_id = 0;
  if (path == NULL || !vmd_machine_spec_check_field (self->spec, VMD_SPEC_FIELD_MEDIA, NULL))
    return G_SOURCE_REMOVE;
  self->media_cancellable = g_cancellable_new ();
  vmd_install_media_load_async (path, vmd_os_catalog_get_default (), self->media_cancellable,
                                on_media_loaded, self);
  return G_SOURCE_REMOVE;
}

/* Read the ISO once typing stops, not on every key. */
static void
schedule_media_read (VmdCreationAssistant *self)
{
  g_cancellable_cancel (self->media_cancellable);
  g_clear_object (&self->media_cancellable);
  g_clear_object (&self->media);
  g_clear_error (&self->media_error);
  self->detected_os = NULL;
  g_clear_handle_id (&self->media_timeout_id, g_source_remove);
  self->media_timeout_id = g_timeout_add (MEDIA_DELAY_MS, on_media_due, self);
}

static gboolean
media_is_disk (VmdCreationAssistant *self)
{
  return vmd_machine_spec_get_install_method (self->spec) == VMD_INSTALL_METHOD_IMPORT;
}

static void
on_media_entry_changed (VmdCreationAssistant *self)
{
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->media_entry));

  if (media_is_disk (self))
    {
      vmd_machine_spec_set_storage (self->spec, VMD_STORAGE_EXISTING, text, 0);
      return;
    }
  vmd_machine_spec_set_media_path (self->spec, text);
  schedule_media_read (self);
}

static void
on_kernel_args_changed (VmdCreationAssistant *self)
{
  vmd_machine_spec_set_kernel_args (self->spec, gtk_entry_get_text (GTK_ENTRY (self->kernel_args_entry)));
}

static void
on_media_chosen (GtkNativeDialog      *chooser,
                 int                   response,
                 VmdCreationAssistant *self)
{
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));
      gtk_entry_set_text (GTK_ENTRY (self->media_entry), path);
    }
  g_object_unref (chooser);
}

static void
on_media_browse (VmdCreationAssistant *self)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;

  chooser = gtk_file_chooser_native_new (media_is_disk (self) ? _("Choose a Disk Image")
                                                              : _("Choose an Installer ISO"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  if (!media_is_disk (self))
    {
      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("ISO images"));
      gtk_file_filter_add_pattern (filter, "*.iso");
      gtk_file_filter_add_pattern (filter, "*.ISO");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  g_signal_connect (chooser, "response", G_CALLBACK (on_media_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* An install tree for a direct kernel boot; GTK's own dialog when there is no portal. */
static void
on_media_folder (VmdCreationAssistant *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose an Install Tree Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  g_signal_connect (chooser, "response", G_CALLBACK (on_media_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- method, resources, storage, network, options --------------------------------------------- */

static VmdInstallMethod
chosen_method (VmdCreationAssistant *self)
{
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->method_kernel)))
    return VMD_INSTALL_METHOD_KERNEL_BOOT;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->method_import)))
    return VMD_INSTALL_METHOD_IMPORT;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->method_manual)))
    return VMD_INSTALL_METHOD_MANUAL;
  return VMD_INSTALL_METHOD_CDROM;
}

static const char *
media_label (VmdInstallMethod method)
{
  switch (method)
    {
    case VMD_INSTALL_METHOD_IMPORT:      return _("_Disk image:");
    case VMD_INSTALL_METHOD_KERNEL_BOOT: return _("_ISO image or folder:");
    default:                             return _("_ISO image:");
    }
}

static void
on_method_toggled (VmdCreationAssistant *self,
                   GtkToggleButton      *button)
{
  VmdInstallMethod method = chosen_method (self);
  gboolean uses_media = method != VMD_INSTALL_METHOD_MANUAL;

  if (!gtk_toggle_button_get_active (button))
    return;
  vmd_machine_spec_set_install_method (self->spec, method);
  gtk_label_set_text_with_mnemonic (GTK_LABEL (self->media_label), media_label (method));
  gtk_widget_set_sensitive (self->media_entry, uses_media);
  gtk_widget_set_sensitive (self->media_browse, uses_media);
  gtk_widget_set_visible (self->media_folder, method == VMD_INSTALL_METHOD_KERNEL_BOOT);
  gtk_widget_set_visible (self->kernel_args_label, method == VMD_INSTALL_METHOD_KERNEL_BOOT);
  gtk_widget_set_visible (self->kernel_args_entry, method == VMD_INSTALL_METHOD_KERNEL_BOOT);
  set_message (self->media_message, NULL, FALSE);
  /* The path entry is shared: import keeps it as the disk, the others as the ISO. */
  if (method == VMD_INSTALL_METHOD_IMPORT)
    {
      vmd_machine_spec_set_media_path (self->spec, NULL);
      on_media_entry_changed (self);
    }
  else
    {
      if (vmd_machine_spec_get_storage_kind (self->spec) == VMD_STORAGE_EXISTING &&
          !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->storage_existing)))
        vmd_machine_spec_set_storage (self->spec, VMD_STORAGE_NEW_VOLUME, NULL,
                                      gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->disk_size_spin)));
      on_media_entry_changed (self);
    }
}

static void
on_resources_changed (VmdCreationAssistant *self)
{
  if (self->syncing)
    return;
  vmd_machine_spec_set_memory_mib (self->spec, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->memory_spin)));
  vmd_machine_spec_set_vcpus (self->spec, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->cpus_spin)));
}

static void
on_storage_changed (VmdCreationAssistant *self)
{
  VmdStorageKind kind = VMD_STORAGE_NEW_VOLUME;

  if (self->syncing || media_is_disk (self))
    return;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->storage_existing)))
    kind = VMD_STORAGE_EXISTING;
  else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->storage_none)))
    kind = VMD_STORAGE_NONE;
  gtk_widget_set_sensitive (self->disk_size_spin, kind == VMD_STORAGE_NEW_VOLUME);
  gtk_widget_set_sensitive (self->existing_entry, kind == VMD_STORAGE_EXISTING);
  vmd_machine_spec_set_storage (self->spec, kind, gtk_entry_get_text (GTK_ENTRY (self->existing_entry)),
                                gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->disk_size_spin)));
}

static void
on_network_changed (VmdCreationAssistant *self)
{
  g_autofree char *bridge = gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (self->bridge_combo));

  gtk_widget_set_sensitive (self->bridge_combo,
                            gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->net_bridge)));
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->net_bridge)))
    vmd_machine_spec_set_network (self->spec, VMD_NETWORK_BRIDGE, bridge);
  else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->net_user)))
    vmd_machine_spec_set_network (self->spec, VMD_NETWORK_USER, NULL);
  else if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->net_none)))
    vmd_machine_spec_set_network (self->spec, VMD_NETWORK_NONE, NULL);
  else
    vmd_machine_spec_set_network (self->spec, VMD_NETWORK_NAT, "default");
}

static void
on_name_changed (VmdCreationAssistant *self)
{
  if (self->syncing)
    return;
  self->name_edited = TRUE;
  vmd_machine_spec_set_name (self->spec, gtk_entry_get_text (GTK_ENTRY (self->name_entry)));
}

static void
on_options_changed (VmdCreationAssistant *self)
{
  const char *graphics = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->graphics_combo));
  const char *firmware = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->firmware_combo));

  vmd_machine_spec_set_graphics (self->spec, g_strcmp0 (graphics, "none") == 0 ? VMD_GRAPHICS_NONE
                                             : g_strcmp0 (graphics, "spice-virtio") == 0
                                               ? VMD_GRAPHICS_SPICE_VIRTIO : VMD_GRAPHICS_SPICE_QXL);
  vmd_machine_spec_set_firmware (self->spec, g_strcmp0 (firmware, "uefi") == 0 ? VMD_FIRMWARE_UEFI
                                                                                : VMD_FIRMWARE_BIOS);
}

/* --- connection and host facts ----------------------------------------------------------------- */

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VmdCreationAssistant) self = user_data;
  VmdInstaller *installer = VMD_INSTALLER (source);
  g_autoptr(GError) error = NULL;
  const char * const *bridges;

  if (!vmd_installer_probe_finish (installer, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && installer == self->probing)
        set_message (self->media_message, error->message, TRUE);
      return;
    }
  /* The user chose another connection meanwhile (the system one is probed first, then the
   * session the user picks): only the chosen connection's facts count. */
  if (installer != self->probing)
    return;
  self->probing = NULL;
  g_set_object (&self->installer, installer);
  gtk_widget_set_visible (self->kvm_bar, !vmd_installer_get_kvm_usable (installer));
  /* Refilling the bridge list sets the spec's network from the radio buttons: before the host's
   * facts, which may change it (a session has no NAT network). */
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->bridge_combo));
  bridges = vmd_installer_get_bridges (installer);
  for (guint i = 0; bridges != NULL && bridges[i] != NULL; i++)
    gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (self->bridge_combo), bridges[i]);
  vmd_installer_apply_host_facts (installer, self->spec);
  if (!vmd_installer_get_uefi_available (installer))
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->firmware_combo), "bios");
  gtk_widget_set_sensitive (self->firmware_combo, vmd_installer_get_uefi_available (installer));
  if (vmd_machine_spec_get_network_kind (self->spec) == VMD_NETWORK_USER)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->net_user), TRUE);
  apply_os_defaults (self, self->detected_os);
  suggest_name (self);
  update_pages (self);
}

static void
probe_connection (VmdCreationAssistant *self)
{
  GVirConnection *gconn;
  g_autoptr(VmdInstaller) installer = NULL;

  g_clear_object (&self->installer);
  self->probing = NULL;
  if (self->connection == NULL || vmd_connection_get_state (self->connection) != VMD_CONNECTION_STATE_CONNECTED)
    {
      set_message (self->media_message, _("Waiting for the connection…"), FALSE);
      update_pages (self);
      return;
    }
  gconn = vmd_connection_get_gvir (self->connection);
  installer = vmd_installer_new (gconn);
  self->probing = installer;
  vmd_installer_probe_async (installer, self->cancellable, on_probed, g_object_ref (self));
}

static void
on_connection_state (VmdConnection        *connection,
                     GParamSpec           *pspec,
                     VmdCreationAssistant *self)
{
  if (connection == self->connection && self->installer == NULL)
    probe_connection (self);
}

static void
on_connection_changed (VmdCreationAssistant *self)
{
  int active = gtk_combo_box_get_active (GTK_COMBO_BOX (self->connection_combo));

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (self->connection, on_connection_state, self);
  g_clear_object (&self->connection);
  if (active >= 0 && self->connections != NULL)
    self->connection = g_list_model_get_item (self->connections, active);
  if (self->connection != NULL)
    g_signal_connect_object (self->connection, "notify::state", G_CALLBACK (on_connection_state), self, 0);
  probe_connection (self);
}

/* The first connected one, preferring the system daemon (it has networks and a pool). */
static void
fill_connections (VmdCreationAssistant *self)
{
  guint n = g_list_model_get_n_items (self->connections);
  int best = -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);
      gboolean connected = vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_CONNECTED;

      gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (self->connection_combo),
                                      vmd_connection_get_title (connection));
      if (connected && (best < 0 || g_str_has_suffix (vmd_connection_get_uri (connection), "/system")))
        best = i;
    }
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->connection_combo), best >= 0 ? best : 0);
}

/* --- installing ---------------------------------------------------------------------------- */

static void
on_installed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VmdCreationAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = vmd_installer_install_finish (VMD_INSTALLER (source), result, &error);

  self->installing = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (GTK_SPINNER (self->progress_spinner));
  if (name != NULL)
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  gtk_label_set_text (GTK_LABEL (self->install_error_label), error->message);
  gtk_widget_show (self->install_error_bar);
  gtk_assistant_previous_page (GTK_ASSISTANT (self));
  update_pages (self);
}

static void
install (VmdCreationAssistant *self,
         const char           *custom_xml)
{
  self->installing = TRUE;
  gtk_widget_hide (self->install_error_bar);
  gtk_spinner_start (GTK_SPINNER (self->progress_spinner));
  vmd_installer_install_async (self->installer, self->spec, self->media, custom_xml,
                               self->cancellable, on_installed, g_object_ref (self));
}

static void
on_xml_response (GtkDialog            *dialog,
                 int                   response,
                 VmdCreationAssistant *self)
{
  GtkTextBuffer *buffer = g_object_get_data (G_OBJECT (dialog), "buffer");
  GtkTextIter start, end;
  g_autofree char *xml = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  xml = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    install (self, xml);
  else
    gtk_assistant_previous_page (GTK_ASSISTANT (self));
}

/* "Customize before install": the final machine's XML, to edit before it is defined. */
static void
show_xml (VmdCreationAssistant *self)
{
  g_autofree char *xml = vmd_machine_spec_to_xml (self->spec, VMD_SPEC_PHASE_FINAL);
  GtkWidget *dialog = gtk_dialog_new_with_buttons (_("Customize the Machine"), GTK_WINDOW (self),
                                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                   _("_Cancel"), GTK_RESPONSE_CANCEL,
                                                   _("_Begin Installation"), GTK_RESPONSE_ACCEPT, NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  gtk_text_buffer_set_text (buffer, xml, -1);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  atk_object_set_name (gtk_widget_get_accessible (view), _("Domain XML"));
  gtk_widget_set_size_request (scrolled, 600, 420);
  gtk_container_add (GTK_CONTAINER (scrolled), view);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), scrolled, TRUE, TRUE, 0);
  g_object_set_data (G_OBJECT (dialog), "buffer", buffer);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_xml_response), self, 0);
  gtk_widget_show_all (dialog);
}

static void
vmd_creation_assistant_apply (GtkAssistant *assistant)
{
  VmdCreationAssistant *self = VMD_CREATION_ASSISTANT (assistant);

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->customize_check)))
    show_xml (self);
  else
    install (self, NULL);
}

static void
vmd_creation_assistant_cancel (GtkAssistant *assistant)
{
  gtk_widget_destroy (GTK_WIDGET (assistant));
}

/* Import brings its own disk: the storage page has nothing to ask. */
static int
forward_page (int      current,
              gpointer user_data)
{
  VmdCreationAssistant *self = user_data;

  if (current == PAGE_RESOURCES && media_is_disk (self))
    return PAGE_NETWORK;
  return current + 1;
}

/* Printed for the UI test, which checks the assistant opens in under 300 ms: from its
 * construction to the end of its first painted frame. */
static void
on_first_paint (GdkFrameClock        *clock,
                VmdCreationAssistant *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, self);
  g_printerr ("vmdesk: creation assistant shown in %.1f ms (built in %.1f ms)\n",
              (g_get_monotonic_time () - self->created_at) / 1000.0,
              (self->built_at - self->created_at) / 1000.0);
}

static gboolean
on_map_event (GtkWidget   *widget,
              GdkEventAny *event)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock != NULL && g_getenv ("VMDESK_PRINT_TIMINGS") != NULL && !VMD_CREATION_ASSISTANT (widget)->reported)
    {
      VMD_CREATION_ASSISTANT (widget)->reported = TRUE;
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_first_paint), widget, 0);
    }
  return GDK_EVENT_PROPAGATE;
}

/* --- GObject ------------------------------------------------------------------------------- */

static void
on_spec_changed (VmdCreationAssistant *self)
{
  update_pages (self);
}

static void
vmd_creation_assistant_dispose (GObject *object)
{
  VmdCreationAssistant *self = VMD_CREATION_ASSISTANT (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->media_cancellable);
  g_clear_handle_id (&self->media_timeout_id, g_source_remove);
  if (self->spec != NULL)
    g_signal_handlers_disconnect_by_data (self->spec, self);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->media_cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->connections);
  g_clear_object (&self->installer);
  g_clear_object (&self->media);
  g_clear_error (&self->media_error);
  g_clear_object (&self->spec);
  G_OBJECT_CLASS (vmd_creation_assistant_parent_class)->dispose (object);
}

static void
vmd_creation_assistant_class_init (VmdCreationAssistantClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkAssistantClass *assistant_class = GTK_ASSISTANT_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_creation_assistant_dispose;
  widget_class->map_event = on_map_event;
  assistant_class->apply = vmd_creation_assistant_apply;
  assistant_class->cancel = vmd_creation_assistant_cancel;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vmdesk/VmDesk/ui/vmd-creation-assistant.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdCreationAssistant, name)
  BIND (kvm_bar); BIND (connection_combo);
  BIND (method_cdrom); BIND (method_kernel); BIND (method_import); BIND (method_manual);
  BIND (media_label); BIND (media_entry); BIND (media_browse); BIND (media_folder);
  BIND (media_message);
  BIND (kernel_args_label); BIND (kernel_args_entry);
  BIND (os_detected_label); BIND (os_search); BIND (os_list); BIND (os_chosen_label);
  BIND (memory_spin); BIND (memory_message); BIND (cpus_spin); BIND (cpus_message);
  BIND (storage_new); BIND (storage_existing); BIND (storage_none); BIND (disk_size_spin);
  BIND (disk_path_label); BIND (existing_entry); BIND (storage_message);
  BIND (net_nat); BIND (net_bridge); BIND (net_user); BIND (net_none); BIND (bridge_combo);
  BIND (network_message);
  BIND (name_entry); BIND (name_message); BIND (graphics_combo); BIND (firmware_combo);
  BIND (customize_check); BIND (summary_label); BIND (install_error_bar); BIND (install_error_label);
  BIND (progress_spinner);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_connection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_method_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_media_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_media_browse);
  gtk_widget_class_bind_template_callback (widget_class, on_media_folder);
  gtk_widget_class_bind_template_callback (widget_class, on_kernel_args_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_os_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_os_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_resources_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_storage_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_network_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_options_changed);
}

static void
vmd_creation_assistant_init (VmdCreationAssistant *self)
{
  self->created_at = g_get_monotonic_time ();
  self->building = TRUE;
  self->cancellable = g_cancellable_new ();
  self->spec = vmd_machine_spec_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_visible (self->kernel_args_label, FALSE);
  gtk_widget_set_visible (self->kernel_args_entry, FALSE);
  gtk_widget_set_sensitive (self->bridge_combo, FALSE);
  gtk_widget_set_sensitive (self->existing_entry, FALSE);
  gtk_assistant_set_forward_page_func (GTK_ASSISTANT (self), forward_page, self, NULL);
  g_signal_connect_swapped (self->spec, "changed", G_CALLBACK (on_spec_changed), self);
  apply_os_defaults (self, NULL);
  choose_os (self, NULL);
  show_detected (self);
  fill_os_list (self);
  vmd_os_catalog_load_async (vmd_os_catalog_get_default (), self->cancellable, on_catalog_loaded,
                             g_object_ref (self));
}

/* The display the user prefers for new machines (Preferences); SPICE when nothing is stored. */
static void
apply_preferences (VmdCreationAssistant *self,
                   GSettings            *settings)
{
  g_autofree char *graphics = NULL;

  if (settings == NULL)
    return;
  graphics = g_settings_get_string (settings, "new-vm-graphics");
  if (g_strcmp0 (graphics, "none") == 0)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->graphics_combo), "none");
}

/* SETTINGS may be NULL (an uninstalled build without the schema). */
GtkWidget *
vmd_creation_assistant_new (GtkWindow  *parent,
                            GListModel *connections,
                            GSettings  *settings)
{
  VmdCreationAssistant *self = g_object_new (VMD_TYPE_CREATION_ASSISTANT,
                                             "transient-for", parent,
                                             "use-header-bar", FALSE,
                                             NULL);

  self->connections = g_object_ref (connections);
  apply_preferences (self, settings);
  fill_connections (self);
  self->building = FALSE;
  update_pages (self);
  self->built_at = g_get_monotonic_time ();
  return GTK_WIDGET (self);
}
