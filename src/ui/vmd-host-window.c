/* VmdHostWindow: Host Details. Page "KVM" lists the host check's items with their fixes; page
 * "Network" lists VmdBridgeManager's devices and profiles and starts the bridge assistant or
 * a bridge deletion, both of which end in the "Keep these settings?" countdown; page "Virtual
 * Networks" lists each open libvirt connection's networks and which machine's tap is on which
 * bridge. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-bridge-assistant.h"
#include "vmd-bridge-manager.h"
#include "vmd-connection.h"
#include "vmd-host-facts.h"
#include "vmd-host-window.h"

enum { DEVICE_INTERFACE, DEVICE_KIND, DEVICE_STATE, DEVICE_ADDRESSES, DEVICE_BRIDGE, DEVICE_PROFILE };
enum { PROFILE_NAME, PROFILE_KIND, PROFILE_INTERFACE, PROFILE_CONTROLLER, PROFILE_ACTIVE };
enum { NETWORK_CONNECTION, NETWORK_NAME, NETWORK_BRIDGE, NETWORK_STATE };
enum { TAP_CONNECTION, TAP_MACHINE, TAP_DEVICE, TAP_BRIDGE };

struct _VmdHostWindow
{
  GtkWindow         parent_instance;

  GtkWidget        *stack;
  GtkWidget        *kvm_summary;
  GtkWidget        *check_list;
  GtkWidget        *recheck_button;
  GtkWidget        *network_status;
  GtkWidget        *device_view;
  GtkListStore     *device_store;
  GtkListStore     *profile_store;
  GtkWidget        *create_bridge_button;
  GtkWidget        *delete_bridge_button;
  GtkListStore     *network_store;
  GtkListStore     *tap_store;

  GListModel       *connections;   /* of VmdConnection, may be NULL */
  VmdHostFacts     *facts;         /* the KVM page's connection's */
  VmdBridgeManager *manager;
  char             *bridge_to_delete;
  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (VmdHostWindow, vmd_host_window, GTK_TYPE_WINDOW)

/* --- KVM ------------------------------------------------------------------------------------- */

static GtkWidget *
wrapped_label (const char *text,
               const char *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (style_class != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), style_class);
  return label;
}

static GtkWidget *
create_check_row (gpointer item,
                  gpointer user_data)
{
  VmdHostCheckItem *check = item;
  VmdHostCheckStatus status = vmd_host_check_item_get_status (check);
  const char *icons[] = { "emblem-ok-symbolic", "dialog-warning-symbolic", "dialog-error-symbolic" };
  const char *words[] = { N_("OK"), N_("Warning"), N_("Failed") };
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icons[status], GTK_ICON_SIZE_LARGE_TOOLBAR);
  GtkWidget *title = wrapped_label (vmd_host_check_item_get_title (check), NULL);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", vmd_host_check_item_get_title (check));
  g_autofree char *accessible = g_strdup_printf ("%s: %s", vmd_host_check_item_get_title (check),
                                                 _(words[status]));
  int row = 1;

  g_object_set (grid, "column-spacing", 12, "row-spacing", 3, "margin", 9, NULL);
  gtk_label_set_markup (GTK_LABEL (title), markup);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (icon, _(words[status]));
  atk_object_set_name (gtk_widget_get_accessible (icon), _(words[status]));
  gtk_grid_attach (GTK_GRID (grid), icon, 0, 0, 1, 3);
  gtk_grid_attach (GTK_GRID (grid), title, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), wrapped_label (vmd_host_check_item_get_detail (check), NULL),
                   1, row++, 1, 1);
  if (vmd_host_check_item_get_fix (check) != NULL)
    {
      g_autofree char *fix = g_strdup_printf (_("How to fix: %s"), vmd_host_check_item_get_fix (check));

      gtk_grid_attach (GTK_GRID (grid), wrapped_label (fix, "dim-label"), 1, row, 1, 1);
    }
  gtk_widget_show_all (grid);
  atk_object_set_name (gtk_widget_get_accessible (grid), accessible);
  return grid;
}

static void
on_facts_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(VmdHostWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_host_facts_ensure_finish (VMD_HOST_FACTS (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (GTK_LABEL (self->kvm_summary), error->message);
      return;
    }
  gtk_widget_set_sensitive (self->recheck_button, TRUE);
  gtk_label_set_text (GTK_LABEL (self->kvm_summary),
                      vmd_host_facts_get_kvm_summary (VMD_HOST_FACTS (source)));
}

/* libvirt's own answer counts most: the first open local connection, else the first local
 * one (its check then says the daemon is missing), else the first of all. */
static VmdConnection *
kvm_page_connection (VmdHostWindow *self)
{
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;
  VmdConnection *best = NULL;
  int best_rank = -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);
      gboolean local = vmd_host_facts_get_is_local (vmd_connection_get_host_facts (connection));
      gboolean open = vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_CONNECTED;
      int rank = (local ? 2 : 0) + (open ? 1 : 0);

      if (rank > best_rank)
        {
          best = connection;
          best_rank = rank;
        }
    }
  return best;
}

static void
run_check (VmdHostWindow *self,
           gboolean       again)
{
  VmdConnection *connection = kvm_page_connection (self);

  g_clear_object (&self->facts);
  if (connection == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->kvm_summary),
                          _("There is no connection to check: add one with Main menu › Add "
                            "Connection…"));
      gtk_widget_set_sensitive (self->recheck_button, FALSE);
      return;
    }
  self->facts = g_object_ref (vmd_connection_get_host_facts (connection));
  gtk_list_box_bind_model (GTK_LIST_BOX (self->check_list),
                           vmd_host_facts_get_check_items (self->facts),
                           create_check_row, NULL, NULL);
  gtk_widget_set_sensitive (self->recheck_button, FALSE);
  gtk_label_set_text (GTK_LABEL (self->kvm_summary), _("Checking…"));
  vmd_host_facts_ensure_async (self->facts, again, self->cancellable, on_facts_ready,
                               g_object_ref (self));
}

static void
on_recheck_clicked (VmdHostWindow *self)
{
  run_check (self, TRUE);
}

/* --- Network --------------------------------------------------------------------------------- */

static char *
selected_bridge (VmdHostWindow *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (GTK_TREE_VIEW (self->device_view));
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *kind = NULL;
  char *name = NULL;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return NULL;
  gtk_tree_model_get (model, &iter, DEVICE_INTERFACE, &name, DEVICE_KIND, &kind, -1);
  if (g_strcmp0 (kind, "bridge") != 0)
    g_clear_pointer (&name, g_free);
  return name;
}

static void
update_buttons (VmdHostWindow *self)
{
  g_autofree char *bridge = selected_bridge (self);
  gboolean ready = self->manager != NULL && vmd_bridge_manager_get_nm_running (self->manager) &&
                   vmd_bridge_manager_get_pending_checkpoint (self->manager) == NULL;

  gtk_widget_set_sensitive (self->create_bridge_button, ready);
  gtk_widget_set_sensitive (self->delete_bridge_button, ready && bridge != NULL);
}

static void
on_device_selection_changed (VmdHostWindow *self)
{
  update_buttons (self);
}

static char *
join_or_empty (GStrv strv)
{
  return strv != NULL ? g_strjoinv (", ", strv) : g_strdup ("");
}

static void
fill_devices (VmdHostWindow *self)
{
  g_autoptr(GPtrArray) devices = vmd_bridge_manager_dup_devices (self->manager);

  gtk_list_store_clear (self->device_store);
  for (guint i = 0; i < devices->len; i++)
    {
      VmdNetDevice *device = devices->pdata[i];
      g_autofree char *addresses = join_or_empty (device->addresses);
      g_autofree char *ports = join_or_empty (device->ports);
      g_autofree char *bridge = NULL;

      if (device->controller != NULL)
        bridge = g_strdup_printf (_("port of %s"), device->controller);
      else if (*ports != '\0')
        bridge = g_strdup_printf (_("ports: %s"), ports);
      gtk_list_store_insert_with_values (self->device_store, NULL, -1,
                                         DEVICE_INTERFACE, device->interface,
                                         DEVICE_KIND, device->kind,
                                         DEVICE_STATE, device->state,
                                         DEVICE_ADDRESSES, addresses,
                                         DEVICE_BRIDGE, bridge,
                                         DEVICE_PROFILE, device->profile,
                                         -1);
    }
}

static void
fill_profiles (VmdHostWindow *self)
{
  g_autoptr(GPtrArray) profiles = vmd_bridge_manager_dup_profiles (self->manager);

  gtk_list_store_clear (self->profile_store);
  for (guint i = 0; i < profiles->len; i++)
    {
      VmdNetProfile *profile = profiles->pdata[i];

      gtk_list_store_insert_with_values (self->profile_store, NULL, -1,
                                         PROFILE_NAME, profile->id,
                                         PROFILE_KIND, profile->kind,
                                         PROFILE_INTERFACE, profile->interface,
                                         PROFILE_CONTROLLER, profile->controller,
                                         PROFILE_ACTIVE, profile->active,
                                         -1);
    }
}

static void
refresh_network (VmdHostWindow *self)
{
  if (!vmd_bridge_manager_get_nm_running (self->manager))
    {
      gtk_label_set_text (GTK_LABEL (self->network_status),
                          _("NetworkManager is not running, so VM Desk cannot list or change the "
                            "network here. Start it (“systemctl start NetworkManager”), or use "
                            "libvirt's NAT network."));
      gtk_list_store_clear (self->device_store);
      gtk_list_store_clear (self->profile_store);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->network_status),
                          _("A bridge puts virtual machines on the same network as this computer. "
                            "Select a bridge to delete it."));
      fill_devices (self);
      fill_profiles (self);
    }
  update_buttons (self);
}

static void
on_manager_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VmdHostWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  VmdBridgeManager *manager = vmd_bridge_manager_new_finish (result, &error);

  if (manager == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (GTK_LABEL (self->network_status), error->message);
      return;
    }
  self->manager = manager;
  g_signal_connect_object (manager, "changed", G_CALLBACK (refresh_network), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "notify::pending-checkpoint", G_CALLBACK (update_buttons), self,
                           G_CONNECT_SWAPPED);
  refresh_network (self);
}

static void
on_create_bridge_clicked (VmdHostWindow *self)
{
  GtkWidget *assistant = vmd_bridge_assistant_new (GTK_WINDOW (self), self->manager);

  gtk_widget_show (assistant);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VmdHostWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (vmd_bridge_manager_delete_bridge_finish (VMD_BRIDGE_MANAGER (source), result, &error))
    vmd_bridge_ask_keep (GTK_WINDOW (self), self->manager, VMD_BRIDGE_ROLLBACK_TIMEOUT_S);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    vmd_bridge_show_error (GTK_WINDOW (self), _("The bridge was not deleted"), error->message);
}

static void
on_delete_confirmed (GtkDialog     *dialog,
                     int            response,
                     VmdHostWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->bridge_to_delete != NULL)
    vmd_bridge_manager_delete_bridge_async (self->manager, self->bridge_to_delete,
                                            VMD_BRIDGE_ROLLBACK_TIMEOUT_S, self->cancellable,
                                            on_deleted, g_object_ref (self));
  g_clear_pointer (&self->bridge_to_delete, g_free);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
on_delete_bridge_clicked (VmdHostWindow *self)
{
  g_autofree char *bridge = selected_bridge (self);
  GtkWidget *dialog;
  GtkWidget *button;

  if (bridge == NULL)
    return;
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Delete the bridge “%s”?"), bridge);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("Its network adapter gets its previous settings back. "
                                              "Virtual machines on the bridge lose their network "
                                              "until they are moved to another one. You will be "
                                              "asked to keep the change; without an answer it is "
                                              "undone."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Delete"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_free (self->bridge_to_delete);
  self->bridge_to_delete = g_steal_pointer (&bridge);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_confirmed), self, 0);
  gtk_widget_show (dialog);
}

/* --- Virtual Networks ------------------------------------------------------------------------ */

static void
fill_networks (VmdHostWindow *self,
               VmdHostFacts  *facts,
               const char    *title)
{
  GPtrArray *networks = vmd_host_facts_get_networks (facts);
  GPtrArray *taps = vmd_host_facts_get_taps (facts);

  for (guint i = 0; networks != NULL && i < networks->len; i++)
    {
      VmdHostNetwork *network = networks->pdata[i];

      gtk_list_store_insert_with_values (self->network_store, NULL, -1,
                                         NETWORK_CONNECTION, title,
                                         NETWORK_NAME, network->network,
                                         NETWORK_BRIDGE, network->bridge,
                                         NETWORK_STATE, network->active ? _("active") : _("inactive"),
                                         -1);
    }
  for (guint i = 0; taps != NULL && i < taps->len; i++)
    {
      VmdHostTap *tap = taps->pdata[i];

      gtk_list_store_insert_with_values (self->tap_store, NULL, -1,
                                         TAP_CONNECTION, title,
                                         TAP_MACHINE, tap->machine,
                                         TAP_DEVICE, tap->tap,
                                         TAP_BRIDGE, tap->bridge != NULL ? tap->bridge : _("none"),
                                         -1);
    }
}

/* The stores are filled again from every connection's facts when any of them answers, so two
 * refreshes that cross never show a connection twice. */
static void
show_all_networks (VmdHostWindow *self)
{
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;

  gtk_list_store_clear (self->network_store);
  gtk_list_store_clear (self->tap_store);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);
      VmdHostFacts *facts = vmd_connection_get_host_facts (connection);

      if (vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_CONNECTED &&
          vmd_host_facts_get_ready (facts))
        fill_networks (self, facts, vmd_connection_get_title (connection));
    }
}

static void
on_networks_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(VmdHostWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_host_facts_ensure_finish (VMD_HOST_FACTS (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("host facts: %s", error->message);
      return;
    }
  show_all_networks (self);
}

static void
refresh_libvirt_networks (VmdHostWindow *self,
                          gboolean       again)
{
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;

  show_all_networks (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);

      if (vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_CONNECTED)
        vmd_host_facts_ensure_async (vmd_connection_get_host_facts (connection), again,
                                     self->cancellable, on_networks_listed, g_object_ref (self));
    }
}

static void
on_refresh_networks_clicked (VmdHostWindow *self)
{
  refresh_libvirt_networks (self, TRUE);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_host_window_dispose (GObject *object)
{
  VmdHostWindow *self = VMD_HOST_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->facts);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->bridge_to_delete, g_free);
  g_clear_object (&self->connections);
  G_OBJECT_CLASS (vmd_host_window_parent_class)->dispose (object);
}

static void
vmd_host_window_class_init (VmdHostWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_host_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-host-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, kvm_summary);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, check_list);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, recheck_button);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, network_status);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, device_view);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, device_store);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, profile_store);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, create_bridge_button);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, delete_bridge_button);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, network_store);
  gtk_widget_class_bind_template_child (widget_class, VmdHostWindow, tap_store);
  gtk_widget_class_bind_template_callback (widget_class, on_recheck_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_networks_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_create_bridge_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_bridge_clicked);
}

static void
vmd_host_window_init (VmdHostWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (gtk_tree_view_get_selection (GTK_TREE_VIEW (self->device_view)), "changed",
                           G_CALLBACK (on_device_selection_changed), self, G_CONNECT_SWAPPED);
}

GtkWidget *
vmd_host_window_new (GtkWindow  *parent,
                     GListModel *connections)
{
  VmdHostWindow *self = g_object_new (VMD_TYPE_HOST_WINDOW, "transient-for", parent, NULL);

  self->connections = connections != NULL ? g_object_ref (connections) : NULL;
  run_check (self, FALSE);
  refresh_libvirt_networks (self, FALSE);
  vmd_bridge_manager_new_async (NULL, self->cancellable, on_manager_ready, g_object_ref (self));
  return GTK_WIDGET (self);
}

