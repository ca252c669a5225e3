#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection.h"
#include "vmd-device-xml.h"
#include "vmd-form.h"
#include "vmd-host-facts.h"
#include "vmd-hw-network-page.h"
#include "vmd-resources.h"

struct _VmdHwNetworkPage
{
  VmdHwPage   parent_instance;

  GtkWidget  *type_combo, *source_combo, *source_error, *model_combo, *model_error, *mac_entry;
  GtkWidget  *mac_error, *general_error;
  GListModel *networks;
  gboolean    touched;
};

G_DEFINE_FINAL_TYPE (VmdHwNetworkPage, vmd_hw_network_page, VMD_TYPE_HW_PAGE)

static VmdConnection *
connection (VmdHwNetworkPage *self)
{
  VmdMachineDetails *details = vmd_hw_page_get_details (VMD_HW_PAGE (self));

  return details != NULL ? vmd_machine_get_connection (vmd_machine_details_get_machine (details)) : NULL;
}

static const char *
card_type (VmdHwNetworkPage *self)
{
  return gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->type_combo));
}

static void
show_problem (VmdHwNetworkPage *self,
              VmdHwField        field,
              const char       *message)
{
  const VmdFormField fields[] = {
    { "source", self->source_error }, { "model", self->model_error }, { "mac", self->mac_error },
  };
  const char *name = field == VMD_HW_FIELD_SOURCE ? "source" : field == VMD_HW_FIELD_MODEL ? "model"
                   : field == VMD_HW_FIELD_MAC ? "mac" : NULL;

  vmd_form_show_problem (fields, G_N_ELEMENTS (fields), self->general_error, name,
                         self->touched ? message : NULL);
}

static char *
build (VmdHwPage    *page,
       const char   *domain_xml,
       VmdHwAttach  *mode,
       GError      **error)
{
  VmdHwNetworkPage *self = VMD_HW_NETWORK_PAGE (page);
  g_autofree char *source = vmd_form_text (gtk_bin_get_child (GTK_BIN (self->source_combo)));
  g_autofree char *mac = vmd_form_text (self->mac_entry);
  VmdNicSpec spec = { card_type (self), source, gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->model_combo)), mac };
  VmdHwField field = VMD_HW_FIELD_NONE;
  g_autoptr(GError) local_error = NULL;

  *mode = VMD_HW_ATTACH_LIVE;
  if (!vmd_nic_spec_validate (&spec, domain_xml, &field, &local_error))
    {
      show_problem (self, field, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  show_problem (self, VMD_HW_FIELD_NONE, NULL);
  return vmd_nic_spec_xml (&spec);
}

/* The sources the connection knows for the chosen type; a host interface for macvtap is typed. */
static void
fill_sources (VmdHwNetworkPage *self)
{
  GtkComboBoxText *combo = GTK_COMBO_BOX_TEXT (self->source_combo);
  const char *type = card_type (self);
  VmdConnection *conn = connection (self);
  VmdHostFacts *facts = conn != NULL ? vmd_connection_get_host_facts (conn) : NULL;
  const char * const *bridges = facts != NULL ? vmd_host_facts_get_bridges (facts) : NULL;
  guint n = self->networks != NULL ? g_list_model_get_n_items (self->networks) : 0;
  g_autofree char *typed = vmd_form_text (gtk_bin_get_child (GTK_BIN (combo)));

  gtk_combo_box_text_remove_all (combo);
  for (guint i = 0; g_strcmp0 (type, "network") == 0 && i < n; i++)
    {
      g_autoptr(VmdNetwork) network = g_list_model_get_item (self->networks, i);

      gtk_combo_box_text_append_text (combo, vmd_network_get_name (network));
    }
  for (guint i = 0; g_strcmp0 (type, "bridge") == 0 && bridges != NULL && bridges[i] != NULL; i++)
    gtk_combo_box_text_append_text (combo, bridges[i]);
  gtk_widget_set_sensitive (self->source_combo, g_strcmp0 (type, "user") != 0);
  if (typed == NULL && gtk_tree_model_iter_n_children (gtk_combo_box_get_model (GTK_COMBO_BOX (combo)), NULL) > 0)
    gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
}

static void
on_field_changed (VmdHwNetworkPage *self)
{
  self->touched = TRUE;
  vmd_hw_page_changed (VMD_HW_PAGE (self));
}

static void
on_type_changed (VmdHwNetworkPage *self)
{
  gtk_entry_set_text (GTK_ENTRY (gtk_bin_get_child (GTK_BIN (self->source_combo))), "");
  fill_sources (self);
  on_field_changed (self);
}

static void
vmd_hw_network_page_constructed (GObject *object)
{
  VmdHwNetworkPage *self = VMD_HW_NETWORK_PAGE (object);
  VmdConnection *conn;
  VmdResources *resources;

  G_OBJECT_CLASS (vmd_hw_network_page_parent_class)->constructed (object);
  conn = connection (self);
  if (conn != NULL && (resources = vmd_connection_get_resources (conn)) != NULL)
    {
      self->networks = g_object_ref (vmd_resources_get_networks (resources));
      g_signal_connect_object (self->networks, "items-changed", G_CALLBACK (fill_sources), self, G_CONNECT_SWAPPED);
    }
  fill_sources (self);
  self->touched = FALSE;
}

static void
vmd_hw_network_page_dispose (GObject *object)
{
  g_clear_object (&VMD_HW_NETWORK_PAGE (object)->networks);
  G_OBJECT_CLASS (vmd_hw_network_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdHwNetworkPage, name)

static void
vmd_hw_network_page_class_init (VmdHwNetworkPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->constructed = vmd_hw_network_page_constructed;
  G_OBJECT_CLASS (klass)->dispose = vmd_hw_network_page_dispose;
  VMD_HW_PAGE_CLASS (klass)->build = build;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/hardware/vmd-hw-network-page.ui");
  BIND (type_combo); BIND (source_combo); BIND (source_error); BIND (model_combo); BIND (model_error);
  BIND (mac_entry); BIND (mac_error); BIND (general_error);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_type_changed);
}

static void
vmd_hw_network_page_init (VmdHwNetworkPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
