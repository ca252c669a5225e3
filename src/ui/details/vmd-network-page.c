/* VmdNetworkPage: the list follows the config; Add writes a VmdNewNic, which core turns into
 * the interface's XML (or refuses, with the reason). */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-network-page.h"

struct _VmdNetworkPage
{
  VmdDetailsPage  parent_instance;

  GtkListStore   *nic_store;
  GtkWidget      *nic_view, *add_nic_dialog, *nic_type_combo, *nic_source_entry, *nic_model_entry;
};

G_DEFINE_FINAL_TYPE (VmdNetworkPage, vmd_network_page, VMD_TYPE_DETAILS_PAGE)

enum { NIC_TYPE, NIC_SOURCE, NIC_MODEL, NIC_MAC, NIC_LINK, NIC_TAP };

static void
vmd_network_page_config_changed (VmdDetailsPage         *page,
                                 const VmdMachineConfig *config)
{
  VmdNetworkPage *self = VMD_NETWORK_PAGE (page);

  gtk_list_store_clear (self->nic_store);
  for (guint i = 0; i < config->nics->len; i++)
    {
      VmdNicInfo *nic = config->nics->pdata[i];

      gtk_list_store_insert_with_values (self->nic_store, NULL, -1, NIC_TYPE, nic->type,
                                         NIC_SOURCE, vmd_details_or_dash (nic->source),
                                         NIC_MODEL, vmd_details_or_dash (nic->model), NIC_MAC, nic->mac,
                                         NIC_LINK, nic->link_up ? _("up") : _("down"),
                                         NIC_TAP, vmd_details_or_dash (nic->tap), -1);
    }
}

static char *
selected_mac (VmdNetworkPage *self)
{
  return vmd_details_page_selected_text (GTK_TREE_VIEW (self->nic_view), NIC_MAC);
}

static void
activate_add (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  VmdNetworkPage *self = user_data;

  vmd_details_page_present_dialog (VMD_DETAILS_PAGE (self), self->add_nic_dialog);
}

static void
on_add_nic_response (GtkDialog      *dialog,
                     int             response,
                     VmdNetworkPage *self)
{
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);
  VmdNewNic nic = {
    gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->nic_type_combo)),
    gtk_entry_get_text (GTK_ENTRY (self->nic_source_entry)),
    gtk_entry_get_text (GTK_ENTRY (self->nic_model_entry)),
  };

  gtk_widget_hide (GTK_WIDGET (dialog));
  if (response != GTK_RESPONSE_OK)
    return;
  vmd_machine_details_add_nic_async (vmd_details_page_get_details (page), &nic, vmd_details_page_get_cancellable (page),
                                     vmd_details_page_edit_done, g_object_ref (self));
}

static void
activate_remove (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VmdNetworkPage *self = user_data;
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);
  g_autofree char *mac = selected_mac (self);

  if (mac != NULL)
    vmd_machine_details_remove_nic_async (vmd_details_page_get_details (page), mac,
                                          vmd_details_page_get_cancellable (page), vmd_details_page_edit_done,
                                          g_object_ref (self));
}

/* Up when it is down, down when it is up, as libvirt holds it now. */
static void
activate_link (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  VmdNetworkPage *self = user_data;
  VmdDetailsPage *page = VMD_DETAILS_PAGE (self);
  g_autofree char *mac = selected_mac (self);
  const VmdMachineConfig *config = vmd_machine_details_get_config (vmd_details_page_get_details (page));
  const VmdNicInfo *nic = mac != NULL && config != NULL ? vmd_machine_config_find_nic (config, mac) : NULL;

  if (nic != NULL)
    vmd_machine_details_set_link_async (vmd_details_page_get_details (page), mac, !nic->link_up,
                                        vmd_details_page_get_cancellable (page), vmd_details_page_edit_done,
                                        g_object_ref (self));
}

/* The dialog is a toplevel of the template, not a child of the page: it goes with it. */
static void
vmd_network_page_dispose (GObject *object)
{
  g_clear_pointer (&VMD_NETWORK_PAGE (object)->add_nic_dialog, gtk_widget_destroy);
  G_OBJECT_CLASS (vmd_network_page_parent_class)->dispose (object);
}

static const GActionEntry actions[] = {
  { "add", activate_add },
  { "remove", activate_remove },
  { "link", activate_link },
};

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdNetworkPage, name)

static void
vmd_network_page_class_init (VmdNetworkPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_network_page_dispose;
  VMD_DETAILS_PAGE_CLASS (klass)->config_changed = vmd_network_page_config_changed;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/details/vmd-network-page.ui");
  BIND (nic_store); BIND (nic_view); BIND (add_nic_dialog); BIND (nic_type_combo); BIND (nic_source_entry);
  BIND (nic_model_entry);
  gtk_widget_class_bind_template_callback_full (widget_class, "gtk_widget_hide_on_delete",
                                                G_CALLBACK (gtk_widget_hide_on_delete));
}

static void
vmd_network_page_init (VmdNetworkPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_add_actions (VMD_DETAILS_PAGE (self), actions, G_N_ELEMENTS (actions));
  g_signal_connect_object (self->add_nic_dialog, "response", G_CALLBACK (on_add_nic_response), self, 0);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->nic_type_combo), "network");
}
