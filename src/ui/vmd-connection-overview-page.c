#include "config.h"

#include <glib/gi18n.h>

#include "vmd-connection-overview-page.h"

struct _VmdConnectionOverviewPage
{
  GtkGrid        parent_instance;

  GtkWidget     *uri_value;
  GtkWidget     *state_value;
  GtkWidget     *cpus_value;
  GtkWidget     *memory_value;
  GtkWidget     *kvm_value;
  GtkWidget     *platform_value;
  GtkWidget     *networks_value;
  GtkWidget     *pools_value;

  VmdConnection *connection;
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdConnectionOverviewPage, vmd_connection_overview_page, GTK_TYPE_GRID)

static void
set_number (GtkWidget *label, guint64 value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);

  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
show_counts (VmdConnectionOverviewPage *self)
{
  VmdResources *resources = vmd_connection_get_resources (self->connection);

  set_number (self->networks_value, g_list_model_get_n_items (vmd_resources_get_networks (resources)));
  set_number (self->pools_value, g_list_model_get_n_items (vmd_resources_get_pools (resources)));
}

static void
show_state (VmdConnectionOverviewPage *self)
{
  const char *words[] = { N_("Disconnected"), N_("Connecting…"), N_("Connected"), N_("Failed"), N_("Lost") };
  VmdConnectionState state = vmd_connection_get_state (self->connection);
  const char *message = vmd_connection_get_error_message (self->connection);
  g_autofree char *text = message != NULL ? g_strdup_printf ("%s: %s", _(words[state]), message)
                                          : g_strdup (_(words[state]));

  gtk_label_set_text (GTK_LABEL (self->state_value), text);
}

static void
on_facts (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdConnectionOverviewPage) self = user_data;
  VmdHostFacts *facts = VMD_HOST_FACTS (source);
  g_autofree char *memory = NULL;
  g_autofree char *platform_text = NULL;
  VmdHostPlatform platform;

  if (!vmd_host_facts_ensure_finish (facts, result, NULL) || self->connection == NULL ||
      facts != vmd_connection_get_host_facts (self->connection))
    return;
  set_number (self->cpus_value, vmd_host_facts_get_cpus (facts));
  memory = g_format_size_full (vmd_host_facts_get_memory_mib (facts) * 1024 * 1024, G_FORMAT_SIZE_IEC_UNITS);
  gtk_label_set_text (GTK_LABEL (self->memory_value), memory);
  gtk_label_set_text (GTK_LABEL (self->kvm_value), vmd_host_facts_get_kvm_summary (facts));
  vmd_host_facts_get_platform (facts, &platform);
  platform_text = vmd_host_platform_describe (&platform);
  gtk_label_set_text (GTK_LABEL (self->platform_value), platform_text);
}

static void
forget (VmdConnectionOverviewPage *self)
{
  if (self->connection == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->connection, self);
  g_signal_handlers_disconnect_by_data (vmd_resources_get_networks (vmd_connection_get_resources (self->connection)), self);
  g_signal_handlers_disconnect_by_data (vmd_resources_get_pools (vmd_connection_get_resources (self->connection)), self);
  g_clear_object (&self->connection);
}

void
vmd_connection_overview_page_set_connection (VmdConnectionOverviewPage *self,
                                             VmdConnection             *connection)
{
  VmdResources *resources = vmd_connection_get_resources (connection);

  forget (self);
  self->connection = g_object_ref (connection);
  gtk_label_set_text (GTK_LABEL (self->uri_value), vmd_connection_get_uri (connection));
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (show_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vmd_resources_get_networks (resources), "items-changed", G_CALLBACK (show_counts),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vmd_resources_get_pools (resources), "items-changed", G_CALLBACK (show_counts),
                           self, G_CONNECT_SWAPPED);
  show_state (self);
  show_counts (self);
  vmd_host_facts_ensure_async (vmd_connection_get_host_facts (connection), FALSE, self->cancellable, on_facts,
                               g_object_ref (self));
}

static void
vmd_connection_overview_page_dispose (GObject *object)
{
  VmdConnectionOverviewPage *self = VMD_CONNECTION_OVERVIEW_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  forget (self);
  G_OBJECT_CLASS (vmd_connection_overview_page_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdConnectionOverviewPage, name)

static void
vmd_connection_overview_page_class_init (VmdConnectionOverviewPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_connection_overview_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vmdesk/VmDesk/ui/vmd-connection-overview-page.ui");
  BIND (uri_value); BIND (state_value); BIND (cpus_value); BIND (memory_value); BIND (kvm_value);
  BIND (platform_value);
  BIND (networks_value); BIND (pools_value);
}

static void
vmd_connection_overview_page_init (VmdConnectionOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
