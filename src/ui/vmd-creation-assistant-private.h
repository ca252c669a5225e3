/* The parts of VmdCreationAssistant, split by concern: the pages and their checks
 * (vmd-creation-assistant.c), the widgets bound to the spec (-bindings.c), the OS and the media
 * (-media.c), making the machine and moving between pages (-finish.c). For those files only. */
#pragma once

#include "vmd-connection.h"
#include "vmd-creation-assistant.h"
#include "vmd-install-media.h"
#include "vmd-installer.h"
#include "vmd-machine-spec.h"
#include "vmd-os-catalog.h"

G_BEGIN_DECLS

#define MAX_OS_RESULTS 60
#define MEDIA_DELAY_MS 250
/* A file chooser that fits the 1280x800 screens the assistant itself is sized for. */
#define CHOOSER_WIDTH  800
#define CHOOSER_HEIGHT 560

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
  GtkWidget       *pool_combo;      /* the new volume's pool */
  GtkWidget       *pick_volume_button;
  GtkWidget       *media_volume_button;  /* Import's: the disk from a pool */
  GtkWidget       *volume_browser;  /* the open "Choose a Volume" dialog's VmdPoolBrowser (no ref) */
  GListModel      *pools;           /* the chosen connection's, followed */
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
  GtkWidget       *secure_boot_check;
  GtkWidget       *tpm_check;
  GtkWidget       *firmware_message;
  GtkWidget       *platform_label;
  GtkWidget       *platform_missing_label;
  GtkWidget       *acceleration_combo;
  GtkWidget       *acceleration_note;
  GtkWidget       *kvm_label;
  GtkWidget       *customize_check;
  GtkWidget       *summary_label;
  GtkWidget       *install_error_bar;
  GtkWidget       *install_error_label;
  GtkWidget       *progress_spinner;
  GtkWidget       *progress_label;
  GtkWidget       *os_spinner;
  GtkWidget       *cancel_button;
  GtkWidget       *back_button;
  GtkWidget       *forward_button;
  GtkWidget       *finish_button;
  GtkWidget       *chooser;         /* the one file chooser open, or NULL */
  GtkWidget       *chooser_widget;  /* its GtkFileChooserWidget */
  GtkWidget       *discard_dialog;
  GtkWidget       *xml_dialog;      /* "Customize before install", while it is open */
  GtkTextView     *xml_view;        /* its text */
  GBinding        *media_binding;   /* the path entry's, to the field of the install method */

  GListModel      *connections;
  VmdConnection   *connection;      /* the chosen one */
  VmdInstaller    *installer;       /* for the chosen connection, once probed */
  VmdInstaller    *probing;         /* the probe under way (no ref): earlier answers are stale */
  VmdMachineSpec  *spec;
  VmdInstallMedia *media;           /* the ISO or install tree read so far, or NULL */
  GError          *media_error;     /* why reading it failed, when its path looked right */
  OsinfoOs        *detected_os;     /* borrowed from the OS database */
  OsinfoOs        *chosen_os;       /* likewise: what the spec describes, NULL for generic */
  GCancellable    *cancellable;     /* everything, on close */
  GCancellable    *media_cancellable;
  guint            media_timeout_id;
  gboolean         media_waits;     /* for the OS database: read without it, no OS is found */
  gboolean         catalog_failed;
  gboolean         os_chosen;       /* by the user: a detection arriving later does not replace it */
  gboolean         edited;          /* anything entered: Cancel asks before discarding */
  guint            touched;         /* (1 << VmdSpecField): the user has been in that field */
  gboolean         installing;
  gboolean         install_waits;   /* Finish pressed while the OS was being detected */
  char            *custom_xml;      /* what that install will define */
  gint64           created_at;
  gint64           built_at;
  gboolean         reported;
  gboolean         building;        /* checks wait until every page is there */
};

GtkWidget * vmd_creation_assistant_page (VmdCreationAssistant *self, int index);
void       vmd_creation_assistant_touch (VmdCreationAssistant *self, VmdSpecField field);
void       vmd_creation_assistant_update_buttons (VmdCreationAssistant *self);
void       vmd_creation_assistant_update_pages (VmdCreationAssistant *self);
void       vmd_creation_assistant_choose_os (VmdCreationAssistant *self, OsinfoOs *os);
void       vmd_creation_assistant_fill_os_list (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_os_search_changed (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_os_row_activated (VmdCreationAssistant *self, GtkListBoxRow *row);
void       vmd_creation_assistant_show_detected (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_catalog_loaded (GObject *source, GAsyncResult *result, gpointer user_data);
gboolean   vmd_creation_assistant_media_is_disk (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_media_path_changed (VmdCreationAssistant *self);
void       vmd_creation_assistant_schedule_media_read (VmdCreationAssistant *self);
gboolean   vmd_creation_assistant_on_media_focus_out (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_method_changed (VmdCreationAssistant *self);
void       vmd_creation_assistant_bind (VmdCreationAssistant *self);
void       vmd_creation_assistant_bind_media_entry (VmdCreationAssistant *self);
void       vmd_creation_assistant_follow_spec (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_media_browse (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_media_folder (VmdCreationAssistant *self);
void       vmd_creation_assistant_install (VmdCreationAssistant *self, const char *custom_xml);
void       vmd_creation_assistant_on_finish_clicked (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_forward_clicked (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_back_clicked (VmdCreationAssistant *self);
void       vmd_creation_assistant_cancel (GtkAssistant *assistant);
void       vmd_creation_assistant_on_cancel_clicked (VmdCreationAssistant *self);
gboolean   vmd_creation_assistant_on_delete_event (GtkWidget *widget, GdkEventAny *event);
void       vmd_creation_assistant_prepare (GtkAssistant *assistant, GtkWidget *page_widget);
void       vmd_creation_assistant_follow_pools (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_pool_changed (VmdCreationAssistant *self);
void       vmd_creation_assistant_on_pick_volume (VmdCreationAssistant *self);

G_END_DECLS
