/* VmdDevicesPage: the list is made again from each config (vmd_device_list), so a device's
 * XPath always matches the definition it was read from; Remove detaches by it. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-device-list.h"
#include "vmd-devices-page.h"

struct _VmdDevicesPage
{
  VmdDetailsPage  parent_instance;

  GtkListStore   *device_store;
  GtkWidget      *device_view;
};

G_DEFINE_FINAL_TYPE (VmdDevicesPage, vmd_devices_page, VMD_TYPE_DETAILS_PAGE)

enum { DEVICE_KIND, DEVICE_DETAIL, DEVICE_XPATH };

/* A running machine's devices as it runs them: libvirt detaches those. */
static void
vmd_devices_page_config_changed (VmdDetailsPage         *page,
                                 const VmdMachineConfig *config)
{
  VmdDevicesPage *self = VMD_DEVICES_PAGE (page);
  g_autoptr(GPtrArray) entries = vmd_device_list (config->live_xml != NULL ? config->live_xml : config->xml);

  gtk_list_store_clear (self->device_store);
  for (guint i = 0; i < entries->len; i++)
    {
      VmdDeviceEntry *entry = entries->pdata[i];

      gtk_list_store_insert_with_values (self->device_store, NULL, -1, DEVICE_KIND, entry->kind,
                                         DEVICE_DETAIL, vmd_details_or_dash (entry->detail),
                                         DEVICE_XPATH, entry->xpath, -1);
    }
}

static void
on_selection_changed (GtkTreeSelection *selection,
                      VmdDevicesPage   *self)
{
  g_autofree char *xpath = vmd_details_page_selected_text (GTK_TREE_VIEW (self->device_view), DEVICE_XPATH);

  vmd_details_page_enable_action (VMD_DETAILS_PAGE (self), "remove", xpath != NULL);
}

static void
remove_confirmed (VmdDetailsPage *page,
                  const char     *xpath,
                  gboolean        checked)
{
  vmd_machine_details_detach_device_async (vmd_details_page_get_details (page), xpath,
                                           vmd_details_page_get_cancellable (page), vmd_details_page_edit_done,
                                           g_object_ref (page));
}

static void
activate_remove (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdDevicesPage *self = user_data;
  GtkTreeView *view = GTK_TREE_VIEW (self->device_view);
  g_autofree char *xpath = vmd_details_page_selected_text (view, DEVICE_XPATH);
  g_autofree char *kind = vmd_details_page_selected_text (view, DEVICE_KIND);
  g_autofree char *question = NULL;

  if (xpath == NULL)
    return;
  /* TRANSLATORS: %s is a kind of device: "Shared folder", "TPM" */
  question = g_strdup_printf (_("Remove this device (%s) from the machine?"), kind);
  vmd_details_page_confirm (VMD_DETAILS_PAGE (self), &(VmdDetailsQuestion) {
                              question, _("The guest loses the device."), _("_Remove"), NULL, NULL },
                            xpath, remove_confirmed);
}

static const GActionEntry actions[] = {
  { "remove", activate_remove },
};

static void
vmd_devices_page_class_init (VmdDevicesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  VMD_DETAILS_PAGE_CLASS (klass)->config_changed = vmd_devices_page_config_changed;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/details/vmd-devices-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdDevicesPage, device_store);
  gtk_widget_class_bind_template_child (widget_class, VmdDevicesPage, device_view);
}

static void
vmd_devices_page_init (VmdDevicesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_add_actions (VMD_DETAILS_PAGE (self), actions, G_N_ELEMENTS (actions));
  g_signal_connect_object (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->device_view)), "changed",
                           G_CALLBACK (on_selection_changed), self, 0);
  on_selection_changed (NULL, self);
}
