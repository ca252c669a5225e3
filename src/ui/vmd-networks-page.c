/* VmdNetworksPage: the list is filled again from VmdResources' model when a network comes,
 * goes or changes (libvirt's events); the selection is kept by name. Leases are read when a
 * network is selected and every LEASE_REFRESH_S while the page lives. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-network-dialog.h"
#include "vmd-network-xml-dialog.h"
#include "vmd-networks-page.h"

#define LEASE_REFRESH_S 3

enum { NET_NAME, NET_STATE, NET_MODE, NET_OBJECT };
enum { LEASE_ADDRESS, LEASE_MAC, LEASE_HOSTNAME, LEASE_EXPIRY };

struct _VmdNetworksPage
{
  GtkPaned      parent_instance;

  GtkWidget    *network_view;
  GtkListStore *network_store;
  GtkListStore *lease_store;
  GtkWidget    *delete_button;
  GtkWidget    *start_button;
  GtkWidget    *stop_button;
  GtkWidget    *xml_button;
  GtkWidget    *name_value;
  GtkWidget    *state_value;
  GtkWidget    *mode_value;
  GtkWidget    *bridge_value;
  GtkWidget    *subnets_value;
  GtkWidget    *machines_value;
  GtkWidget    *autostart_check;
  GtkWidget    *error_label;

  VmdResources *resources;
  VmdNetwork   *selected;
  VmdNetwork   *to_delete;     /* what the open confirmation asks about */
  GPtrArray    *watched;
  gboolean      filling;
  guint         lease_timer;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdNetworksPage, vmd_networks_page, GTK_TYPE_PANED)

static void
show_error (VmdNetworksPage *self, const GError *error)
{
  gboolean shown = error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  gtk_label_set_text (GTK_LABEL (self->error_label), shown ? error->message : "");
  gtk_widget_set_visible (self->error_label, shown);
}

static char *
joined (const char * const *strv, const char *none)
{
  return strv != NULL && strv[0] != NULL ? g_strjoinv (", ", (GStrv) strv) : g_strdup (none);
}

static void
on_leases (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdNetworksPage) self = user_data;
  g_autoptr(GPtrArray) leases = vmd_network_get_leases_finish (VMD_NETWORK (source), result, NULL);

  if (self->selected != VMD_NETWORK (source))
    return;
  gtk_list_store_clear (self->lease_store);
  for (guint i = 0; leases != NULL && i < leases->len; i++)
    {
      VmdNetworkLease *lease = leases->pdata[i];
      g_autoptr(GDateTime) expiry = g_date_time_new_from_unix_local (lease->expiry);
      g_autofree char *when = expiry != NULL ? g_date_time_format (expiry, "%X") : g_strdup ("");
      g_autofree char *address = g_strdup_printf ("%s/%u", lease->address, lease->prefix);

      gtk_list_store_insert_with_values (self->lease_store, NULL, -1, LEASE_ADDRESS, address,
                                         LEASE_MAC, lease->mac, LEASE_HOSTNAME, lease->hostname,
                                         LEASE_EXPIRY, when, -1);
    }
}

static void
read_leases (VmdNetworksPage *self)
{
  if (self->selected != NULL && vmd_network_get_active (self->selected))
    vmd_network_get_leases_async (self->selected, self->cancellable, on_leases, g_object_ref (self));
  else
    gtk_list_store_clear (self->lease_store);
}

static gboolean
on_lease_timer (gpointer user_data)
{
  read_leases (user_data);
  return G_SOURCE_CONTINUE;
}

static void
show_selected (VmdNetworksPage *self)
{
  VmdNetwork *n = self->selected;
  g_autofree char *subnets = n != NULL ? joined (vmd_network_get_subnets (n), _("none")) : NULL;
  g_autofree char *machines = n != NULL ? joined (vmd_network_get_machines (n), _("none")) : NULL;
  g_autofree char *mode = n != NULL ? vmd_network_describe_mode (n) : NULL;

  gtk_label_set_text (GTK_LABEL (self->name_value), n != NULL ? vmd_network_get_name (n) : "");
  gtk_label_set_text (GTK_LABEL (self->state_value), n == NULL ? "" : vmd_network_get_active (n) ? _("Active") : _("Inactive"));
  gtk_label_set_text (GTK_LABEL (self->mode_value), mode != NULL ? mode : "");
  gtk_label_set_text (GTK_LABEL (self->bridge_value), n != NULL && vmd_network_get_bridge (n) ? vmd_network_get_bridge (n) : "");
  gtk_label_set_text (GTK_LABEL (self->subnets_value), subnets != NULL ? subnets : "");
  gtk_label_set_text (GTK_LABEL (self->machines_value), machines != NULL ? machines : "");
  self->filling = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->autostart_check), n != NULL && vmd_network_get_autostart (n));
  self->filling = FALSE;
  gtk_widget_set_sensitive (self->autostart_check, n != NULL && vmd_network_get_persistent (n));
  gtk_widget_set_sensitive (self->delete_button, n != NULL);
  gtk_widget_set_sensitive (self->xml_button, n != NULL);
  gtk_widget_set_sensitive (self->start_button, n != NULL && !vmd_network_get_active (n));
  gtk_widget_set_sensitive (self->stop_button, n != NULL && vmd_network_get_active (n));
  read_leases (self);
}

static void
fill (VmdNetworksPage *self)
{
  GListModel *networks = vmd_resources_get_networks (self->resources);
  guint n = g_list_model_get_n_items (networks);
  GtkTreeSelection *selection = gtk_tree_view_get_selection (GTK_TREE_VIEW (self->network_view));
  g_autoptr(VmdNetwork) keep = self->selected != NULL ? g_object_ref (self->selected) : NULL;

  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (self->watched->pdata[i], self);
  g_ptr_array_set_size (self->watched, 0);
  self->filling = TRUE;
  gtk_list_store_clear (self->network_store);
  g_clear_object (&self->selected);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdNetwork) network = g_list_model_get_item (networks, i);
      g_autofree char *mode = vmd_network_describe_mode (network);
      GtkTreeIter iter;

      gtk_list_store_insert_with_values (self->network_store, &iter, -1, NET_NAME, vmd_network_get_name (network),
                                         NET_STATE, vmd_network_get_active (network) ? _("Active") : _("Inactive"),
                                         NET_MODE, mode, NET_OBJECT, network, -1);
      if (network == keep)
        {
          gtk_tree_selection_select_iter (selection, &iter);
          self->selected = g_object_ref (network);
        }
      g_signal_connect_object (network, "changed", G_CALLBACK (fill), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->watched, g_object_ref (network));
    }
  self->filling = FALSE;
  show_selected (self);
}

static void
on_selection_changed (VmdNetworksPage *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  VmdNetwork *network = NULL;

  if (self->filling)
    return;
  if (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->network_view)), &model, &iter))
    gtk_tree_model_get (model, &iter, NET_OBJECT, &network, -1);
  g_clear_object (&self->selected);
  self->selected = network;
  show_error (self, NULL);
  show_selected (self);
}

/* --- actions --------------------------------------------------------------------------------- */

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdNetworksPage) self = user_data;
  g_autoptr(GError) error = NULL;

  vmd_network_operation_finish (VMD_NETWORK (source), result, &error);
  show_error (self, error);
}

static GtkWindow *
toplevel (VmdNetworksPage *self)
{
  GtkWidget *top = gtk_widget_get_toplevel (GTK_WIDGET (self));

  return GTK_IS_WINDOW (top) ? GTK_WINDOW (top) : NULL;
}

static void
on_add_clicked (VmdNetworksPage *self)
{
  if (self->resources != NULL)
    gtk_widget_show (vmd_network_dialog_new (toplevel (self), self->resources));
}

static void
on_start_clicked (VmdNetworksPage *self)
{
  vmd_network_start_async (self->selected, self->cancellable, on_done, g_object_ref (self));
}

static void
on_stop_clicked (VmdNetworksPage *self)
{
  vmd_network_stop_async (self->selected, self->cancellable, on_done, g_object_ref (self));
}

static void
on_xml_clicked (VmdNetworksPage *self)
{
  gtk_widget_show (vmd_network_xml_dialog_new (toplevel (self), self->selected));
}

static void
on_autostart_toggled (VmdNetworksPage *self)
{
  if (self->filling || self->selected == NULL)
    return;
  vmd_network_set_autostart_async (self->selected,
                                   gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->autostart_check)),
                                   self->cancellable, on_done, g_object_ref (self));
}

static void
on_delete_answered (GtkDialog *dialog, int response, VmdNetworksPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->to_delete != NULL)
    vmd_network_delete_async (self->to_delete, self->cancellable, on_done, g_object_ref (self));
  g_clear_object (&self->to_delete);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
on_delete_clicked (VmdNetworksPage *self)
{
  GtkWidget *dialog = gtk_message_dialog_new (toplevel (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                              _("Delete the network “%s”?"), vmd_network_get_name (self->selected));
  GtkWidget *button;

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("It is stopped and its definition removed. Machines that "
                                              "use it lose their network until they are moved to another one."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Delete"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  atk_object_set_name (gtk_widget_get_accessible (dialog), _("Delete Network"));
  /* The selection may change while the dialog is open: it asks about this one. */
  g_set_object (&self->to_delete, self->selected);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_answered), self, 0);
  gtk_widget_show (dialog);
}

/* --- GObject ----------------------------------------------------------------------------------- */

void
vmd_networks_page_set_resources (VmdNetworksPage *self,
                                 VmdResources    *resources)
{
  g_return_if_fail (VMD_IS_NETWORKS_PAGE (self));
  if (self->resources != NULL)
    g_signal_handlers_disconnect_by_data (vmd_resources_get_networks (self->resources), self);
  g_clear_object (&self->selected);
  g_set_object (&self->resources, resources);
  g_signal_connect_object (vmd_resources_get_networks (resources), "items-changed", G_CALLBACK (fill), self,
                           G_CONNECT_SWAPPED);
  show_error (self, NULL);
  fill (self);
}

static void
vmd_networks_page_dispose (GObject *object)
{
  VmdNetworksPage *self = VMD_NETWORKS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->lease_timer, g_source_remove);
  if (self->watched != NULL)
    for (guint i = 0; i < self->watched->len; i++)
      g_signal_handlers_disconnect_by_data (self->watched->pdata[i], self);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  if (self->resources != NULL)
    g_signal_handlers_disconnect_by_data (vmd_resources_get_networks (self->resources), self);
  g_clear_object (&self->resources);
  g_clear_object (&self->selected);
  g_clear_object (&self->to_delete);
  G_OBJECT_CLASS (vmd_networks_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdNetworksPage, name)

static void
vmd_networks_page_class_init (VmdNetworksPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_networks_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-networks-page.ui");
  BIND (network_view); BIND (network_store); BIND (lease_store); BIND (delete_button); BIND (start_button);
  BIND (stop_button); BIND (xml_button); BIND (name_value); BIND (state_value); BIND (mode_value);
  BIND (bridge_value); BIND (subnets_value); BIND (machines_value); BIND (autostart_check); BIND (error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_start_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_xml_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_autostart_toggled);
}

static void
vmd_networks_page_init (VmdNetworksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->network_view)), "changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  self->lease_timer = g_timeout_add_seconds (LEASE_REFRESH_S, on_lease_timer, self);
  show_selected (self);
}
