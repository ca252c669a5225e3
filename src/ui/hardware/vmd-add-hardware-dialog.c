#include "config.h"

#include <glib/gi18n.h>

#include "vmd-add-hardware-dialog.h"
#include "vmd-form.h"
#include "vmd-hw-choice-kinds.h"
#include "vmd-hw-folder-page.h"
#include "vmd-hw-graphics-page.h"
#include "vmd-hw-hostdev-page.h"
#include "vmd-hw-network-page.h"
#include "vmd-hw-storage-page.h"
#include "vmd-hw-tpm-page.h"

struct _VmdAddHardwareDialog
{
  GtkDialog          parent_instance;

  GtkWidget         *stack;
  GtkWidget         *general_error;
  VmdMachineDetails *details;
  GCancellable      *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdAddHardwareDialog, vmd_add_hardware_dialog, GTK_TYPE_DIALOG)

enum { ADDED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The kinds, in the sidebar's order: a new kind is one more row. */
static const struct {
  const char            *name;
  const char            *title;
  GType                (*get_type) (void);
  const VmdHwChoiceKind *choice;      /* a VmdHwChoicePage of this kind, instead of get_type */
} kinds[] = {
  { "storage", N_("Storage"), vmd_hw_storage_page_get_type },
  { "network", N_("Network"), vmd_hw_network_page_get_type },
  { "folder", N_("Shared Folder"), vmd_hw_folder_page_get_type },
  { "tpm", N_("TPM"), vmd_hw_tpm_page_get_type },
  { "hostdev", N_("Host Device"), vmd_hw_hostdev_page_get_type },
  { "graphics", N_("Graphics"), vmd_hw_graphics_page_get_type },
  { "channel", N_("Channel"), NULL, &vmd_hw_channel_kind },
  { "input", N_("Input"), NULL, &vmd_hw_input_kind },
  { "sound", N_("Sound"), NULL, &vmd_hw_sound_kind },
  { "video", N_("Video"), NULL, &vmd_hw_video_kind },
  { "watchdog", N_("Watchdog"), NULL, &vmd_hw_watchdog_kind },
  { "rng", N_("RNG"), NULL, &vmd_hw_rng_kind },
  { "controller", N_("Controller"), NULL, &vmd_hw_controller_kind },
  { "char", N_("Serial, Parallel, Console"), NULL, &vmd_hw_char_kind },
  { "redirection", N_("USB Redirection"), NULL, &vmd_hw_redirection_kind },
  { "smartcard", N_("Smartcard"), NULL, &vmd_hw_smartcard_kind },
};

static VmdHwPage *
shown_page (VmdAddHardwareDialog *self)
{
  return VMD_HW_PAGE (gtk_stack_get_visible_child (GTK_STACK (self->stack)));
}

static const char *
current_xml (VmdAddHardwareDialog *self)
{
  const VmdMachineConfig *config = vmd_machine_details_get_config (self->details);

  return config != NULL ? config->xml : NULL;
}

static char *
build (VmdAddHardwareDialog *self,
       VmdHwAttach          *mode)
{
  g_autoptr(GError) error = NULL;

  return vmd_hw_page_build (shown_page (self), current_xml (self), mode, &error);
}

static void
check_input (VmdAddHardwareDialog *self)
{
  VmdHwAttach mode;
  g_autofree char *xml = build (self, &mode);

  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_OK, xml != NULL);
}

static void
on_added (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(VmdAddHardwareDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *hint = NULL;
  g_autofree char *message = NULL;
  gboolean added = vmd_machine_details_edit_finish (VMD_MACHINE_DETAILS (source), result, &note, &error);

  if (added)
    {
      hint = vmd_hw_page_added_hint (shown_page (self));
      message = g_strjoin (" ", note != NULL ? note : "", hint != NULL ? hint : "", NULL);
      g_signal_emit (self, signals[ADDED], 0, g_strstrip (message));
    }
  if (vmd_form_end_create (GTK_DIALOG (self), added, error))
    {
      gtk_label_set_text (GTK_LABEL (self->general_error), error->message);
      gtk_widget_show (self->general_error);
    }
}

static void
on_response (VmdAddHardwareDialog *self,
             int                   response)
{
  VmdHwAttach mode;
  g_autofree char *xml = NULL;

  if (response != GTK_RESPONSE_OK)
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  if ((xml = build (self, &mode)) == NULL)
    return;
  gtk_widget_hide (self->general_error);
  vmd_form_set_busy (GTK_DIALOG (self), TRUE);
  vmd_hw_page_add_async (shown_page (self), current_xml (self), self->cancellable, on_added,
                         g_object_ref (self));
}

static void
add_pages (VmdAddHardwareDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GtkWidget *page = kinds[i].choice != NULL ? vmd_hw_choice_page_new (self->details, kinds[i].choice)
                                                : g_object_new (kinds[i].get_type (), "details", self->details, NULL);

      gtk_widget_show (page);
      g_signal_connect_object (page, "changed", G_CALLBACK (check_input), self, G_CONNECT_SWAPPED);
      gtk_stack_add_titled (GTK_STACK (self->stack), page, kinds[i].name, _(kinds[i].title));
    }
}

GtkWidget *
vmd_add_hardware_dialog_new (GtkWindow         *parent,
                             VmdMachineDetails *details)
{
  VmdAddHardwareDialog *self = g_object_new (VMD_TYPE_ADD_HARDWARE_DIALOG, "transient-for", parent,
                                             "use-header-bar", FALSE, NULL);

  self->details = g_object_ref (details);
  add_pages (self);
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (check_input), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (details, "changed", G_CALLBACK (check_input), self, G_CONNECT_SWAPPED);
  check_input (self);
  return GTK_WIDGET (self);
}

static void
vmd_add_hardware_dialog_dispose (GObject *object)
{
  VmdAddHardwareDialog *self = VMD_ADD_HARDWARE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->details);
  G_OBJECT_CLASS (vmd_add_hardware_dialog_parent_class)->dispose (object);
}

static void
vmd_add_hardware_dialog_class_init (VmdAddHardwareDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_add_hardware_dialog_dispose;
  signals[ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                 NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/hardware/vmd-add-hardware-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdAddHardwareDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, VmdAddHardwareDialog, general_error);
  gtk_widget_class_bind_template_callback (widget_class, on_response);
}

static void
vmd_add_hardware_dialog_init (VmdAddHardwareDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
