/* VmdStoragePage: every pool and volume operation runs in core's worker threads and the pool
 * is read again after it, so the browser shows what the operation left. A confirmation or a
 * prompt remembers what it is about (to_delete, prompt_*): the selection may move meanwhile. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-job-progress.h"
#include "vmd-pool-browser.h"
#include "vmd-pool-dialog.h"
#include "vmd-storage-page.h"
#include "vmd-text-prompt.h"
#include "vmd-volume-dialog.h"

typedef enum { PROMPT_RESIZE, PROMPT_CLONE, PROMPT_UPLOAD } PromptKind;

struct _VmdStoragePage
{
  GtkBox            parent_instance;

  GtkWidget        *browser;
  GtkWidget        *delete_pool_button;
  GtkWidget        *start_pool_button;
  GtkWidget        *stop_pool_button;
  GtkWidget        *refresh_pool_button;
  GtkWidget        *autostart_check;
  GtkWidget        *new_volume_button;
  GtkWidget        *delete_volume_button;
  GtkWidget        *resize_button;
  GtkWidget        *clone_button;
  GtkWidget        *upload_button;
  GtkWidget        *download_button;
  GtkWidget        *pool_info;
  GtkWidget        *job_progress;
  GtkWidget        *error_label;

  VmdResources     *resources;
  VmdStoragePool   *pool_to_delete;
  GtkWidget        *contents_check;
  VmdStorageVolume *volume_to_delete;
  PromptKind        prompt_kind;
  VmdStoragePool   *prompt_pool;
  VmdStorageVolume *prompt_volume;
  char             *upload_file;
  gboolean          updating;
  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdStoragePage, vmd_storage_page, GTK_TYPE_BOX)

static VmdStoragePool *
pool (VmdStoragePage *self)
{
  return vmd_pool_browser_get_selected_pool (VMD_POOL_BROWSER (self->browser));
}

static VmdStorageVolume *
volume (VmdStoragePage *self)
{
  return vmd_pool_browser_get_selected_volume (VMD_POOL_BROWSER (self->browser));
}

static GtkWindow *
toplevel (VmdStoragePage *self)
{
  GtkWidget *top = gtk_widget_get_toplevel (GTK_WIDGET (self));

  return GTK_IS_WINDOW (top) ? GTK_WINDOW (top) : NULL;
}

static void
show_error (VmdStoragePage *self, const GError *error)
{
  gboolean shown = error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  gtk_label_set_text (GTK_LABEL (self->error_label), shown ? error->message : "");
  gtk_widget_set_visible (self->error_label, shown);
}

static char *
describe_pool (VmdStoragePool *p)
{
  g_autofree char *used = g_format_size (vmd_storage_pool_get_allocation (p));
  g_autofree char *all = g_format_size (vmd_storage_pool_get_capacity (p));
  g_autofree char *free_space = g_format_size (vmd_storage_pool_get_available (p));
  const char *where = vmd_storage_pool_get_source (p) != NULL ? vmd_storage_pool_get_source (p)
                                                              : vmd_storage_pool_get_target_path (p);

  if (!vmd_storage_pool_get_active (p))
    return g_strdup_printf (_("%s pool at %s: not running"), vmd_storage_pool_get_pool_type (p), where ? where : "");
  /* TRANSLATORS: "dir pool at /var/lib/libvirt/images: 3.1 GB of 20.0 GB used, 16.9 GB free" */
  return g_strdup_printf (_("%s pool at %s: %s of %s used, %s free"), vmd_storage_pool_get_pool_type (p),
                          where ? where : "", used, all, free_space);
}

static void
update (VmdStoragePage *self)
{
  VmdStoragePool *p = pool (self);
  VmdStorageVolume *v = volume (self);
  gboolean active = p != NULL && vmd_storage_pool_get_active (p);
  VmdJob *job = vmd_job_progress_get_job (VMD_JOB_PROGRESS (self->job_progress));
  gboolean idle = job == NULL || vmd_job_get_finished (job);
  g_autofree char *info = p != NULL ? describe_pool (p) : g_strdup ("");

  gtk_label_set_text (GTK_LABEL (self->pool_info), info);
  gtk_widget_set_sensitive (self->delete_pool_button, p != NULL);
  gtk_widget_set_sensitive (self->start_pool_button, p != NULL && !active);
  gtk_widget_set_sensitive (self->stop_pool_button, active);
  gtk_widget_set_sensitive (self->refresh_pool_button, active);
  self->updating = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->autostart_check), p != NULL && vmd_storage_pool_get_autostart (p));
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->autostart_check, p != NULL);
  gtk_widget_set_sensitive (self->new_volume_button, active);
  gtk_widget_set_sensitive (self->upload_button, active && idle);
  gtk_widget_set_sensitive (self->delete_volume_button, v != NULL);
  gtk_widget_set_sensitive (self->resize_button, v != NULL);
  gtk_widget_set_sensitive (self->clone_button, v != NULL);
  gtk_widget_set_sensitive (self->download_button, v != NULL && idle);
}

/* --- pools ------------------------------------------------------------------------------------ */

static void
on_pool_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdStoragePage) self = user_data;
  g_autoptr(GError) error = NULL;

  vmd_storage_pool_operation_finish (VMD_STORAGE_POOL (source), result, &error);
  show_error (self, error);
  update (self);
}

static void
reread (VmdStoragePage *self, VmdStoragePool *p)
{
  vmd_storage_pool_refresh_async (p, FALSE, self->cancellable, on_pool_done, g_object_ref (self));
}

static void
on_add_pool_clicked (VmdStoragePage *self)
{
  gtk_widget_show (vmd_pool_dialog_new (toplevel (self), self->resources));
}

static void
on_start_pool_clicked (VmdStoragePage *self)
{
  vmd_storage_pool_start_async (pool (self), self->cancellable, on_pool_done, g_object_ref (self));
}

static void
on_stop_pool_clicked (VmdStoragePage *self)
{
  vmd_storage_pool_stop_async (pool (self), self->cancellable, on_pool_done, g_object_ref (self));
}

static void
on_refresh_pool_clicked (VmdStoragePage *self)
{
  vmd_storage_pool_refresh_async (pool (self), TRUE, self->cancellable, on_pool_done, g_object_ref (self));
}

static void
on_autostart_toggled (VmdStoragePage *self)
{
  if (!self->updating && pool (self) != NULL)
    vmd_storage_pool_set_autostart_async (pool (self),
                                          gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->autostart_check)),
                                          self->cancellable, on_pool_done, g_object_ref (self));
}

static GtkWidget *
confirm (VmdStoragePage *self, const char *accessible, const char *primary, const char *secondary)
{
  GtkWidget *dialog = gtk_message_dialog_new (toplevel (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", primary);
  GtkWidget *button;

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Delete"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  atk_object_set_name (gtk_widget_get_accessible (dialog), accessible);
  return dialog;
}

static void
on_delete_pool_answered (GtkDialog *dialog, int response, VmdStoragePage *self)
{
  gboolean contents = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->contents_check));

  if (response == GTK_RESPONSE_ACCEPT && self->pool_to_delete != NULL)
    vmd_storage_pool_delete_async (self->pool_to_delete, contents, self->cancellable, on_pool_done,
                                   g_object_ref (self));
  g_clear_object (&self->pool_to_delete);
  self->contents_check = NULL;
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
on_delete_pool_clicked (VmdStoragePage *self)
{
  g_autofree char *primary = g_strdup_printf (_("Delete the pool “%s”?"), vmd_storage_pool_get_name (pool (self)));
  GtkWidget *dialog = confirm (self, _("Delete Pool"), primary,
                               _("The pool is stopped and forgotten. Its volumes stay where they are "
                                 "unless you also delete them."));

  self->contents_check = gtk_check_button_new_with_mnemonic (_("Also delete its _volumes and storage"));
  atk_object_set_name (gtk_widget_get_accessible (self->contents_check), _("Delete volumes too"));
  gtk_widget_show (self->contents_check);
  gtk_container_add (GTK_CONTAINER (gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog))),
                     self->contents_check);
  g_set_object (&self->pool_to_delete, pool (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_pool_answered), self, 0);
  gtk_widget_show (dialog);
}

/* --- volumes ---------------------------------------------------------------------------------- */

static void
on_volume_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdStoragePage) self = user_data;
  g_autoptr(GError) error = NULL;

  vmd_storage_volume_operation_finish (VMD_STORAGE_VOLUME (source), result, &error);
  show_error (self, error);
  if (pool (self) != NULL)
    reread (self, pool (self));
}

static void
on_new_volume_clicked (VmdStoragePage *self)
{
  gtk_widget_show (vmd_volume_dialog_new (toplevel (self), pool (self)));
}

static void
on_delete_volume_answered (GtkDialog *dialog, int response, VmdStoragePage *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->volume_to_delete != NULL)
    vmd_storage_volume_delete_async (self->volume_to_delete, self->cancellable, on_volume_done, g_object_ref (self));
  g_clear_object (&self->volume_to_delete);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
on_delete_volume_clicked (VmdStoragePage *self)
{
  g_autofree char *primary = g_strdup_printf (_("Delete the volume “%s”?"), vmd_storage_volume_get_name (volume (self)));
  GtkWidget *dialog = confirm (self, _("Delete Volume"), primary, _("Its data is lost for good."));

  g_set_object (&self->volume_to_delete, volume (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_volume_answered), self, 0);
  gtk_widget_show (dialog);
}

static void on_prompt_response (VmdTextPrompt *prompt, int response, VmdStoragePage *self);

static void
ask (VmdStoragePage *self, PromptKind kind, const char *title, const char *message, const char *answer,
     const char *ok)
{
  GtkWidget *prompt = vmd_text_prompt_new (toplevel (self), title, message, answer, ok);

  self->prompt_kind = kind;
  g_set_object (&self->prompt_pool, pool (self));
  g_set_object (&self->prompt_volume, volume (self));
  g_signal_connect_object (prompt, "response", G_CALLBACK (on_prompt_response), self, 0);
  gtk_widget_show (prompt);
}

static void
on_resize_clicked (VmdStoragePage *self)
{
  g_autofree char *size = g_format_size_full (vmd_storage_volume_get_capacity (volume (self)), G_FORMAT_SIZE_IEC_UNITS);

  ask (self, PROMPT_RESIZE, _("Resize Volume"), _("The new size (it can only grow):"), size, _("_Resize"));
}

static void
on_clone_clicked (VmdStoragePage *self)
{
  g_autofree char *name = g_strdup_printf ("%s-copy", vmd_storage_volume_get_name (volume (self)));

  ask (self, PROMPT_CLONE, _("Clone Volume"), _("The copy's name:"), name, _("_Clone"));
}

static void
on_job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdStoragePage) self = user_data;
  g_autoptr(GError) error = NULL;

  vmd_job_run_finish (VMD_JOB (source), result, &error);
  show_error (self, error);
  update (self);
}

static void
start_job (VmdStoragePage *self, VmdJob *job)
{
  vmd_job_progress_set_job (VMD_JOB_PROGRESS (self->job_progress), job);
  g_signal_connect_object (job, "notify::state", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  gtk_widget_show (self->job_progress);
  update (self);
}

static void
on_upload_chosen (GtkNativeDialog *chooser, int response, VmdStoragePage *self)
{
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;
  g_autofree char *name = file != NULL ? g_file_get_basename (file) : NULL;

  g_object_unref (chooser);
  if (file == NULL)
    return;
  g_free (self->upload_file);
  self->upload_file = g_file_get_path (file);
  ask (self, PROMPT_UPLOAD, _("Upload File"), _("The new volume's name:"), name, _("_Upload"));
}

static void
on_upload_clicked (VmdStoragePage *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Upload a File as a New Volume"), toplevel (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);

  g_signal_connect_object (chooser, "response", G_CALLBACK (on_upload_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_download_chosen (GtkNativeDialog *chooser, int response, VmdStoragePage *self)
{
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(VmdJob) job = NULL;

  g_object_unref (chooser);
  if (path == NULL || self->prompt_volume == NULL)
    return;
  job = vmd_storage_volume_download (self->prompt_volume, path, on_job_done, g_object_ref (self));
  start_job (self, job);
}

static void
on_download_clicked (VmdStoragePage *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Download the Volume to a File"), toplevel (self),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);

  g_set_object (&self->prompt_volume, volume (self));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), vmd_storage_volume_get_name (volume (self)));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_download_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_prompt_response (VmdTextPrompt *prompt, int response, VmdStoragePage *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = vmd_text_prompt_get_text (prompt);
  guint64 size;

  if (response != GTK_RESPONSE_OK || (self->prompt_volume == NULL && self->prompt_kind != PROMPT_UPLOAD))
    {
      gtk_widget_destroy (GTK_WIDGET (prompt));
      return;
    }
  if (self->prompt_kind == PROMPT_RESIZE)
    {
      if ((size = vmd_parse_size (text, &error)) == 0)
        {
          vmd_text_prompt_show_problem (prompt, error != NULL ? error->message : _("Give a size above zero."));
          return;
        }
      vmd_storage_volume_resize_async (self->prompt_volume, size, self->cancellable, on_volume_done, g_object_ref (self));
    }
  else if (self->prompt_kind == PROMPT_CLONE)
    vmd_storage_volume_clone_async (self->prompt_volume, text, self->cancellable, on_volume_done, g_object_ref (self));
  else
    {
      g_autoptr(VmdJob) job = vmd_storage_pool_upload (self->prompt_pool, self->upload_file, text, on_job_done,
                                                       g_object_ref (self));

      start_job (self, job);
    }
  gtk_widget_destroy (GTK_WIDGET (prompt));
}

/* --- GObject ----------------------------------------------------------------------------------- */

void
vmd_storage_page_set_resources (VmdStoragePage *self,
                                VmdResources   *resources)
{
  g_return_if_fail (VMD_IS_STORAGE_PAGE (self));
  g_set_object (&self->resources, resources);
  show_error (self, NULL);
  vmd_pool_browser_set_resources (VMD_POOL_BROWSER (self->browser), resources);
  update (self);
}

static void
vmd_storage_page_dispose (GObject *object)
{
  VmdStoragePage *self = VMD_STORAGE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->resources);
  g_clear_object (&self->pool_to_delete);
  g_clear_object (&self->volume_to_delete);
  g_clear_object (&self->prompt_pool);
  g_clear_object (&self->prompt_volume);
  g_clear_pointer (&self->upload_file, g_free);
  G_OBJECT_CLASS (vmd_storage_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdStoragePage, name)
#define CALLBACK(name) gtk_widget_class_bind_template_callback (widget_class, name)

static void
vmd_storage_page_class_init (VmdStoragePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_storage_page_dispose;
  g_type_ensure (VMD_TYPE_POOL_BROWSER);
  g_type_ensure (VMD_TYPE_JOB_PROGRESS);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-storage-page.ui");
  BIND (browser); BIND (delete_pool_button); BIND (start_pool_button); BIND (stop_pool_button);
  BIND (refresh_pool_button); BIND (autostart_check); BIND (new_volume_button); BIND (delete_volume_button);
  BIND (resize_button); BIND (clone_button); BIND (upload_button); BIND (download_button); BIND (pool_info);
  BIND (job_progress); BIND (error_label);
  CALLBACK (on_add_pool_clicked); CALLBACK (on_delete_pool_clicked); CALLBACK (on_start_pool_clicked);
  CALLBACK (on_stop_pool_clicked); CALLBACK (on_refresh_pool_clicked); CALLBACK (on_autostart_toggled);
  CALLBACK (on_new_volume_clicked); CALLBACK (on_delete_volume_clicked); CALLBACK (on_resize_clicked);
  CALLBACK (on_clone_clicked); CALLBACK (on_upload_clicked); CALLBACK (on_download_clicked);
}

static void
vmd_storage_page_init (VmdStoragePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->browser, "selection-changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}
