/* VmdAddConnectionDialog: the URI's form is checked as it is typed (vmd_connection_uri_check:
 * driver, transport, host, path), and Connect stays off until it is one; whether the daemon
 * answers is shown on the connection's own row, as for every connection. For SSH, Connect first
 * checks the host's key (vmd_host_key_check_async): a known one goes on; an unknown one is shown
 * with its fingerprint and goes on only once the user trusts it (it is then added to known_hosts);
 * a changed one is refused. Nothing is sent to the host but the SSH handshake until then. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vmd-add-connection-dialog.h"
#include "vmd-connection-uri.h"
#include "vmd-connection.h"
#include "vmd-host-key.h"

struct _VmdAddConnectionDialog
{
  GtkDialog  parent_instance;

  GtkWidget *uri_entry;
  GtkWidget *problem_label;
  GtkWidget *remember_check;
  GtkWidget *connect_button;
  GtkWidget *host_key_box;
  GtkWidget *host_key_label;
  GtkWidget *trust_check;
  GtkWidget *transport_combo;
  GtkWidget *user_entry;
  GtkWidget *host_entry;

  GListModel   *connections;   /* of VmdConnection: those already open */
  GCancellable *cancellable;
  VmdHostKey   *host_key;      /* unknown, shown, for the URI it was checked for */
  gboolean      checking;
  gboolean      key_ok;        /* the response may go through */
};

G_DEFINE_FINAL_TYPE (VmdAddConnectionDialog, vmd_add_connection_dialog, GTK_TYPE_DIALOG)

static gboolean
is_open (VmdAddConnectionDialog *self,
         const char             *uri)
{
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (self->connections, i);

      if (g_strcmp0 (vmd_connection_get_uri (connection), uri) == 0)
        return TRUE;
    }
  return FALSE;
}

/* NULL when uri can be added, else what is wrong with it. */
static char *
find_problem (VmdAddConnectionDialog *self,
              const char             *uri)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (uri));

  if (!vmd_connection_uri_check (stripped, &error))
    return g_strdup (error->message);
  if (is_open (self, stripped))
    return g_strdup (_("This connection is in the list already."));
  return NULL;
}

static void
show_problem (VmdAddConnectionDialog *self,
              const char             *problem)
{
  gtk_label_set_text (GTK_LABEL (self->problem_label), problem != NULL ? problem : "");
  gtk_widget_set_visible (self->problem_label, problem != NULL);
}

static void
update_connect (VmdAddConnectionDialog *self,
                gboolean                form_ok)
{
  gboolean untrusted = self->host_key != NULL &&
                       !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->trust_check));

  gtk_widget_set_sensitive (self->connect_button, form_ok && !self->checking && !untrusted);
}

static void
on_uri_changed (GtkEditable            *entry,
                VmdAddConnectionDialog *self)
{
  g_autofree char *problem = find_problem (self, gtk_entry_get_text (GTK_ENTRY (entry)));

  /* A key shown was for the URI as it was. */
  g_clear_pointer (&self->host_key, vmd_host_key_free);
  gtk_widget_hide (self->host_key_box);
  show_problem (self, problem);
  update_connect (self, problem == NULL);
}

/* The fields write the URI (which stays editable, for parameters); a field that is not right
 * says so in the URI's problem line. */
static void
on_parts_changed (VmdAddConnectionDialog *self)
{
  const char *transport = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->transport_combo));
  gboolean remote = transport != NULL && *transport != '\0';
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  gtk_widget_set_sensitive (self->user_entry, remote);
  gtk_widget_set_sensitive (self->host_entry, remote);
  uri = vmd_connection_uri_build (transport, gtk_entry_get_text (GTK_ENTRY (self->user_entry)),
                                  gtk_entry_get_text (GTK_ENTRY (self->host_entry)), &error);
  if (uri == NULL)
    {
      gtk_entry_set_text (GTK_ENTRY (self->uri_entry), "");
      show_problem (self, error->message);
      return;
    }
  gtk_entry_set_text (GTK_ENTRY (self->uri_entry), uri);
}

static void
on_trust_toggled (VmdAddConnectionDialog *self)
{
  update_connect (self, TRUE);
}

static void
go_on (VmdAddConnectionDialog *self)
{
  self->key_ok = TRUE;
  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_ACCEPT);
}

static void
on_host_key_checked (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(VmdAddConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmdHostKey) key = vmd_host_key_check_finish (result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->checking = FALSE;
  update_connect (self, TRUE);
  if (key == NULL)
    {
      show_problem (self, error->message);
      return;
    }
  if (key->status == VMD_HOST_KEY_KNOWN)
    {
      go_on (self);
      return;
    }
  if (key->status == VMD_HOST_KEY_CHANGED)
    {
      text = g_strdup_printf (_("The host key of %s has changed since it was accepted (it is now "
                                "%s). Someone may be intercepting the connection, or the host "
                                "was reinstalled. VM Desk will not connect; ask the host's "
                                "administrator."), key->host, key->fingerprint);
      show_problem (self, text);
      gtk_widget_set_sensitive (self->connect_button, FALSE);
      return;
    }
  text = g_strdup_printf (_("%s is not known yet. Its host key (%s) has the fingerprint\n%s\n"
                            "Compare it with the one its administrator gives you before you "
                            "trust it."), key->host, key->key_type, key->fingerprint);
  gtk_label_set_text (GTK_LABEL (self->host_key_label), text);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->trust_check), FALSE);
  gtk_widget_show (self->host_key_box);
  self->host_key = g_steal_pointer (&key);
  update_connect (self, TRUE);
}

/* Runs before the application's handler, which adds the connection: for SSH that waits for the
 * host key. */
static void
on_response (VmdAddConnectionDialog *self,
             int                     response,
             gpointer                user_data)
{
  g_autofree char *uri = NULL;
  g_autofree char *known_hosts = NULL;
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT || self->key_ok)
    return;
  uri = vmd_add_connection_dialog_dup_uri (self);
  if (!vmd_host_key_applies_to (uri))
    return;
  g_signal_stop_emission_by_name (self, "response");
  if (self->host_key != NULL)
    {
      /* Shown, and trusted (Connect is off until then). */
      known_hosts = vmd_host_key_known_hosts_for (uri);
      if (!vmd_host_key_accept (self->host_key, known_hosts, &error))
        show_problem (self, error->message);
      else
        go_on (self);
      return;
    }
  show_problem (self, NULL);
  self->checking = TRUE;
  update_connect (self, TRUE);
  vmd_host_key_check_async (uri, NULL, self->cancellable, on_host_key_checked,
                            g_object_ref (self));
}

/* The URI typed, without the spaces around it. (An entry's text is not ours to strip in place:
 * an empty entry's is a constant.) */
char *
vmd_add_connection_dialog_dup_uri (VmdAddConnectionDialog *self)
{
  return g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->uri_entry))));
}

gboolean
vmd_add_connection_dialog_get_remember (VmdAddConnectionDialog *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->remember_check));
}

static void
vmd_add_connection_dialog_dispose (GObject *object)
{
  VmdAddConnectionDialog *self = VMD_ADD_CONNECTION_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->host_key, vmd_host_key_free);
  g_clear_object (&self->connections);
  G_OBJECT_CLASS (vmd_add_connection_dialog_parent_class)->dispose (object);
}

static void
vmd_add_connection_dialog_class_init (VmdAddConnectionDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_add_connection_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-add-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, uri_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, remember_check);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, host_key_box);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, host_key_label);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, trust_check);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, transport_combo);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, user_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, host_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_parts_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_uri_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_trust_toggled);
}

static void
vmd_add_connection_dialog_init (VmdAddConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* TLS only where the certificates it needs are in libvirt's places. */
  if (!vmd_connection_tls_available ())
    gtk_combo_box_text_remove (GTK_COMBO_BOX_TEXT (self->transport_combo), 3);
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
  on_uri_changed (GTK_EDITABLE (self->uri_entry), self);
  /* Nothing typed yet is no mistake to point at. */
  gtk_widget_hide (self->problem_label);
}

/* connections: those open already, which are refused as duplicates. */
GtkWidget *
vmd_add_connection_dialog_new (GtkWindow  *parent,
                               GListModel *connections)
{
  VmdAddConnectionDialog *self = g_object_new (VMD_TYPE_ADD_CONNECTION_DIALOG,
                                               "transient-for", parent,
                                               "use-header-bar", TRUE, NULL);

  self->connections = g_object_ref (connections);
  return GTK_WIDGET (self);
}
