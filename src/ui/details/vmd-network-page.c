/* VmdNetworkPage: the list follows the config; Add writes a VmdNewNic, which core turns into
 * the interface's XML (or refuses, with the reason). */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-guest-addresses.h"
#include "vmd-network-page.h"
#include "vmd-resources.h"

struct _VmdNetworkPage
{
  VmdDetailsPage  parent_instance;

  GtkListStore   *nic_store;
  GtkWidget      *nic_view, *add_nic_dialog, *nic_type_combo, *nic_source_entry, *nic_model_entry;
  GtkWidget      *addresses_label;
  VmdGuestAddresses *addresses;   /* the machine's, followed while the page lives */
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

/* --- where the guest can be reached ---------------------------------------------------------- */

static void
show_addresses (VmdNetworkPage *self)
{
  GPtrArray *entries = self->addresses != NULL ? vmd_guest_addresses_get_entries (self->addresses)
                                               : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      VmdGuestAddress *address = entries->pdata[i];

      g_string_append_printf (text, "%s%s/%u  (%s, %s, %s)", text->len > 0 ? "\n" : "",
                              address->address, address->prefix, address->interface,
                              address->mac != NULL ? address->mac : "-",
                              vmd_address_source_to_string (address->source));
    }
  gtk_label_set_text (GTK_LABEL (self->addresses_label),
                      text->len > 0 ? text->str : _("None known: the machine is off, or has taken "
                                                    "no address yet."));
  vmd_details_page_enable_action (VMD_DETAILS_PAGE (self), "copy-addresses", text->len > 0);
}

static void
follow_addresses (VmdNetworkPage *self,
                  VmdMachine     *machine)
{
  VmdConnection *connection = vmd_machine_get_connection (machine);

  if (self->addresses == NULL && connection != NULL)
    {
      self->addresses = g_object_ref (vmd_resources_get_addresses (vmd_connection_get_resources (connection),
                                                                   machine));
      g_signal_connect_object (self->addresses, "notify::text", G_CALLBACK (show_addresses), self,
                               G_CONNECT_SWAPPED);
    }
  show_addresses (self);
}

static void
vmd_network_page_state_changed (VmdDetailsPage *page,
                                VmdMachine     *machine)
{
  follow_addresses (VMD_NETWORK_PAGE (page), machine);
}

static void
activate_copy_addresses (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  VmdNetworkPage *self = user_data;

  if (self->addresses != NULL)
    gtk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self), GDK_SELECTION_CLIPBOARD),
                            vmd_guest_addresses_get_text (self->addresses), -1);
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
  g_clear_object (&VMD_NETWORK_PAGE (object)->addresses);
  G_OBJECT_CLASS (vmd_network_page_parent_class)->dispose (object);
}

static const GActionEntry actions[] = {
  { "add", activate_add },
  { "remove", activate_remove },
  { "link", activate_link },
  { "copy-addresses", activate_copy_addresses },
};

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdNetworkPage, name)

static void
vmd_network_page_class_init (VmdNetworkPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_network_page_dispose;
  VMD_DETAILS_PAGE_CLASS (klass)->config_changed = vmd_network_page_config_changed;
  VMD_DETAILS_PAGE_CLASS (klass)->state_changed = vmd_network_page_state_changed;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/details/vmd-network-page.ui");
  BIND (nic_store); BIND (nic_view); BIND (add_nic_dialog); BIND (nic_type_combo); BIND (nic_source_entry);
  BIND (nic_model_entry); BIND (addresses_label);
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
