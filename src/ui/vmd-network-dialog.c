/* VmdNetworkDialog: the fields make a VmdNetworkSpec on every change; the spec is checked
 * against the networks listed now (the same check creation runs again against libvirt). */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-form.h"
#include "vmd-network-dialog.h"

struct _VmdNetworkDialog
{
  GtkDialog          parent_instance;

  GtkWidget         *name_entry;
  GtkWidget         *name_error;
  GtkWidget         *mode_combo;
  GtkWidget         *bridge_entry;
  GtkWidget         *bridge_error;
  GtkWidget         *forward_entry;
  GtkWidget         *forward_dev_error;
  GtkWidget         *ipv4_entry;
  GtkWidget         *ipv4_error;
  GtkWidget         *dhcp4_start_entry;
  GtkWidget         *dhcp4_end_entry;
  GtkWidget         *dhcp4_error;
  GtkWidget         *ipv6_entry;
  GtkWidget         *ipv6_error;
  GtkWidget         *dhcp6_start_entry;
  GtkWidget         *dhcp6_end_entry;
  GtkWidget         *dhcp6_error;
  GtkWidget         *domain_entry;
  GtkWidget         *domain_error;
  GtkWidget         *hosts_view;
  GtkWidget         *hosts_error;
  GtkWidget         *autostart_check;
  GtkWidget         *general_error;

  VmdResources      *resources;
  VmdNetworkContext *context;
  GCancellable      *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdNetworkDialog, vmd_network_dialog, GTK_TYPE_DIALOG)

static void
fields_of (VmdNetworkDialog *self, VmdFormField fields[9])
{
  VmdFormField all[9] = {
    { VMD_NETWORK_FIELD_NAME, self->name_error }, { VMD_NETWORK_FIELD_BRIDGE, self->bridge_error },
    { VMD_NETWORK_FIELD_FORWARD_DEV, self->forward_dev_error }, { VMD_NETWORK_FIELD_IPV4, self->ipv4_error },
    { VMD_NETWORK_FIELD_DHCP4, self->dhcp4_error }, { VMD_NETWORK_FIELD_IPV6, self->ipv6_error },
    { VMD_NETWORK_FIELD_DHCP6, self->dhcp6_error }, { VMD_NETWORK_FIELD_DOMAIN, self->domain_error },
    { VMD_NETWORK_FIELD_HOSTS, self->hosts_error },
  };

  memcpy (fields, all, sizeof all);
}

static void
show_problem (VmdNetworkDialog *self, const char *field, const char *message)
{
  VmdFormField fields[9];

  fields_of (self, fields);
  vmd_form_show_problem (fields, G_N_ELEMENTS (fields), self->general_error, field, message);
}

/* "MAC ADDRESS [NAME]" per line; a line that does not split so is kept whole as a MAC, for
 * the check to name it. */
static void
read_hosts (VmdNetworkDialog *self, VmdNetworkSpec *spec)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->hosts_view));
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      guint n = g_strv_length (words);

      if (*lines[i] != '\0')
        vmd_network_spec_add_host (spec, words[0], n > 1 ? words[1] : NULL, n > 2 ? words[2] : NULL);
    }
}

static VmdNetworkSpec *
read_spec (VmdNetworkDialog *self)
{
  VmdNetworkSpec *spec = vmd_network_spec_new ();
  const char *mode = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->mode_combo));

  spec->name = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->name_entry)));
  spec->mode = g_strcmp0 (mode, "route") == 0 ? VMD_NETWORK_MODE_ROUTED
             : g_strcmp0 (mode, "isolated") == 0 ? VMD_NETWORK_MODE_ISOLATED
             : g_strcmp0 (mode, "open") == 0 ? VMD_NETWORK_MODE_OPEN : VMD_NETWORK_MODE_NAT;
  spec->bridge = vmd_form_text (self->bridge_entry);
  spec->forward_dev = vmd_form_text (self->forward_entry);
  spec->ipv4 = vmd_form_text (self->ipv4_entry);
  spec->dhcp4_start = vmd_form_text (self->dhcp4_start_entry);
  spec->dhcp4_end = vmd_form_text (self->dhcp4_end_entry);
  spec->ipv6 = vmd_form_text (self->ipv6_entry);
  spec->dhcp6_start = vmd_form_text (self->dhcp6_start_entry);
  spec->dhcp6_end = vmd_form_text (self->dhcp6_end_entry);
  spec->domain = vmd_form_text (self->domain_entry);
  spec->autostart = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->autostart_check));
  read_hosts (self, spec);
  return spec;
}

static void
on_field_changed (VmdNetworkDialog *self)
{
  g_autoptr(VmdNetworkSpec) spec = read_spec (self);
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  gboolean valid = vmd_network_spec_validate (spec, self->context, &field, &error);
  gboolean forwards = spec->mode == VMD_NETWORK_MODE_NAT || spec->mode == VMD_NETWORK_MODE_ROUTED;

  gtk_widget_set_sensitive (self->forward_entry, forwards);
  show_problem (self, field, valid ? NULL : error->message);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_OK, valid);
}

static void
on_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdNetworkDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  gboolean created = vmd_resources_create_finish (VMD_RESOURCES (source), result, &field, &error);

  if (vmd_form_end_create (GTK_DIALOG (self), created, error))
    show_problem (self, field, error->message);
}

static void
on_response (VmdNetworkDialog *self, int response)
{
  g_autoptr(VmdNetworkSpec) spec = NULL;

  if (response != GTK_RESPONSE_OK)
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  spec = read_spec (self);
  vmd_form_set_busy (GTK_DIALOG (self), TRUE);
  vmd_resources_create_network_async (self->resources, spec, self->cancellable, on_created,
                                      g_object_ref (self));
}

/* network, network-2, ...; 192.168.100.0/24, 192.168.101.0/24, ...: the first free. */
static void
suggest (VmdNetworkDialog *self)
{
  g_autofree char *bridge = vmd_network_suggest_bridge (self->context);

  gtk_entry_set_text (GTK_ENTRY (self->bridge_entry), bridge);
  for (guint i = 1; i < 100; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup ("network") : g_strdup_printf ("network-%u", i);

      if (vmd_resources_find_network (self->resources, name) == NULL)
        {
          gtk_entry_set_text (GTK_ENTRY (self->name_entry), name);
          break;
        }
    }
  for (guint n = 100; n < 255; n++)
    {
      g_autoptr(VmdNetworkSpec) spec = vmd_network_spec_new ();
      g_autofree char *start = g_strdup_printf ("192.168.%u.128", n);
      g_autofree char *end = g_strdup_printf ("192.168.%u.254", n);

      spec->name = g_strdup ("x");
      spec->ipv4 = g_strdup_printf ("192.168.%u.0/24", n);
      if (vmd_network_spec_validate (spec, self->context, NULL, NULL))
        {
          gtk_entry_set_text (GTK_ENTRY (self->ipv4_entry), spec->ipv4);
          gtk_entry_set_text (GTK_ENTRY (self->dhcp4_start_entry), start);
          gtk_entry_set_text (GTK_ENTRY (self->dhcp4_end_entry), end);
          break;
        }
    }
}

static void
vmd_network_dialog_dispose (GObject *object)
{
  VmdNetworkDialog *self = VMD_NETWORK_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->resources);
  g_clear_pointer (&self->context, vmd_network_context_free);
  G_OBJECT_CLASS (vmd_network_dialog_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdNetworkDialog, name)

static void
vmd_network_dialog_class_init (VmdNetworkDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_network_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-network-dialog.ui");
  BIND (name_entry); BIND (name_error); BIND (mode_combo); BIND (bridge_entry); BIND (bridge_error);
  BIND (forward_entry); BIND (forward_dev_error); BIND (ipv4_entry); BIND (ipv4_error);
  BIND (dhcp4_start_entry); BIND (dhcp4_end_entry); BIND (dhcp4_error); BIND (ipv6_entry);
  BIND (ipv6_error); BIND (dhcp6_start_entry); BIND (dhcp6_end_entry); BIND (dhcp6_error);
  BIND (domain_entry); BIND (domain_error); BIND (hosts_view); BIND (hosts_error);
  BIND (autostart_check); BIND (general_error);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
}

static void
vmd_network_dialog_init (VmdNetworkDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

GtkWidget *
vmd_network_dialog_new (GtkWindow    *parent,
                        VmdResources *resources)
{
  VmdNetworkDialog *self = g_object_new (VMD_TYPE_NETWORK_DIALOG, "transient-for", parent, NULL);

  self->resources = g_object_ref (resources);
  self->context = vmd_resources_network_context (resources);
  suggest (self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->hosts_view)), "changed",
                            G_CALLBACK (on_field_changed), self);
  on_field_changed (self);
  return GTK_WIDGET (self);
}
