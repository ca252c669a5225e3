#include "config.h"

#include <glib/gi18n.h>

#include "vmd-device-extra-xml.h"
#include "vmd-hw-hostdev-page.h"
#include "vmd-node-devices.h"

struct _VmdHwHostdevPage
{
  VmdHwPage     parent_instance;

  GtkListStore *device_store;
  GtkWidget    *status_label, *device_view, *device_error;
  GPtrArray    *devices;        /* of VmdNodeDevice, once listed */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdHwHostdevPage, vmd_hw_hostdev_page, VMD_TYPE_HW_PAGE)

enum { DEVICE_DESCRIPTION, DEVICE_DRIVER, DEVICE_NAME };

static char *
selected_name (VmdHwHostdevPage *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (GTK_TREE_VIEW (self->device_view));
  GtkTreeModel *model;
  GtkTreeIter iter;
  char *name = NULL;

  if (gtk_tree_selection_get_selected (selection, &model, &iter))
    gtk_tree_model_get (model, &iter, DEVICE_NAME, &name, -1);
  return name;
}

/* Nothing chosen yet is not a problem to show, only a reason Add is off. */
static char *
build (VmdHwPage    *page,
       const char   *domain_xml,
       VmdHwAttach  *mode,
       GError      **error)
{
  VmdHwHostdevPage *self = VMD_HW_HOSTDEV_PAGE (page);
  g_autofree char *name = selected_name (self);
  g_autoptr(GError) local_error = NULL;
  char *xml = vmd_hostdev_device_xml (&(VmdHostdevSpec) { name }, self->devices, &local_error);

  *mode = VMD_HW_ATTACH_LIVE;
  gtk_label_set_text (GTK_LABEL (self->device_error), xml == NULL ? local_error->message : "");
  gtk_widget_set_visible (self->device_error, xml == NULL && name != NULL);
  if (xml == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return xml;
}

static void
fill (VmdHwHostdevPage *self)
{
  for (guint i = 0; i < self->devices->len; i++)
    {
      VmdNodeDevice *device = self->devices->pdata[i];
      g_autofree char *description = vmd_node_device_describe (device);

      gtk_list_store_insert_with_values (self->device_store, NULL, -1, DEVICE_DESCRIPTION, description,
                                         DEVICE_DRIVER, device->driver != NULL ? device->driver : "—",
                                         DEVICE_NAME, device->name, -1);
    }
  gtk_label_set_text (GTK_LABEL (self->status_label),
                      self->devices->len == 0 ? _("This host has no USB or PCI device to pass through.") : "");
  gtk_widget_set_visible (self->status_label, self->devices->len == 0);
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *devices = vmd_node_devices_list_finish (VMD_CONNECTION (source), result, &error);
  VmdHwHostdevPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = VMD_HW_HOSTDEV_PAGE (user_data);
  if (devices == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->status_label), error->message);
      return;
    }
  self->devices = devices;
  fill (self);
}

static void
on_selection_changed (VmdHwHostdevPage *self)
{
  vmd_hw_page_changed (VMD_HW_PAGE (self));
}

static void
vmd_hw_hostdev_page_constructed (GObject *object)
{
  VmdHwHostdevPage *self = VMD_HW_HOSTDEV_PAGE (object);
  VmdMachineDetails *details = vmd_hw_page_get_details (VMD_HW_PAGE (self));
  VmdConnection *connection = details != NULL ? vmd_machine_get_connection (vmd_machine_details_get_machine (details)) : NULL;

  G_OBJECT_CLASS (vmd_hw_hostdev_page_parent_class)->constructed (object);
  if (connection != NULL)
    vmd_node_devices_list_async (connection, self->cancellable, on_listed, self);
}

static void
vmd_hw_hostdev_page_dispose (GObject *object)
{
  VmdHwHostdevPage *self = VMD_HW_HOSTDEV_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  G_OBJECT_CLASS (vmd_hw_hostdev_page_parent_class)->dispose (object);
}

static void
vmd_hw_hostdev_page_class_init (VmdHwHostdevPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->constructed = vmd_hw_hostdev_page_constructed;
  G_OBJECT_CLASS (klass)->dispose = vmd_hw_hostdev_page_dispose;
  VMD_HW_PAGE_CLASS (klass)->build = build;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/hardware/vmd-hw-hostdev-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdHwHostdevPage, device_store);
  gtk_widget_class_bind_template_child (widget_class, VmdHwHostdevPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, VmdHwHostdevPage, device_view);
  gtk_widget_class_bind_template_child (widget_class, VmdHwHostdevPage, device_error);
}

static void
vmd_hw_hostdev_page_init (VmdHwHostdevPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->device_view)), "changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
}
