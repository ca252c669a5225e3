/* VmdAddConnectionDialog: the URI is checked as it is typed (a libvirt URI is a URI with a
 * driver scheme), and Connect stays off until it is one; whether the daemon answers is shown on
 * the connection's own row, as for every connection. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vmd-add-connection-dialog.h"

struct _VmdAddConnectionDialog
{
  GtkDialog  parent_instance;

  GtkWidget *uri_entry;
  GtkWidget *problem_label;
  GtkWidget *remember_check;
  GtkWidget *connect_button;
};

G_DEFINE_FINAL_TYPE (VmdAddConnectionDialog, vmd_add_connection_dialog, GTK_TYPE_DIALOG)

gboolean
vmd_add_connection_uri_is_valid (const char  *uri,
                                 char       **problem)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (uri != NULL ? uri : ""));

  if (*stripped == '\0')
    {
      *problem = g_strdup (_("Type a libvirt URI, for example qemu+ssh://user@host/system."));
      return FALSE;
    }
  parsed = g_uri_parse (stripped, G_URI_FLAGS_NONE, &error);
  if (parsed == NULL || strstr (stripped, ":/") == NULL)
    {
      *problem = g_strdup_printf (_("“%s” is not a URI: it needs a driver and a path, as in "
                                    "qemu:///system or qemu+ssh://user@host/system."), stripped);
      return FALSE;
    }
  *problem = NULL;
  return TRUE;
}

static void
on_uri_changed (GtkEditable            *entry,
                VmdAddConnectionDialog *self)
{
  g_autofree char *problem = NULL;
  gboolean valid = vmd_add_connection_uri_is_valid (gtk_entry_get_text (GTK_ENTRY (entry)), &problem);

  gtk_label_set_text (GTK_LABEL (self->problem_label), problem != NULL ? problem : "");
  gtk_widget_set_visible (self->problem_label, problem != NULL);
  gtk_widget_set_sensitive (self->connect_button, valid);
}

const char *
vmd_add_connection_dialog_get_uri (VmdAddConnectionDialog *self)
{
  return g_strstrip ((char *) gtk_entry_get_text (GTK_ENTRY (self->uri_entry)));
}

gboolean
vmd_add_connection_dialog_get_remember (VmdAddConnectionDialog *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->remember_check));
}

static void
vmd_add_connection_dialog_class_init (VmdAddConnectionDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-add-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, uri_entry);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, remember_check);
  gtk_widget_class_bind_template_child (widget_class, VmdAddConnectionDialog, connect_button);
  gtk_widget_class_bind_template_callback (widget_class, on_uri_changed);
}

static void
vmd_add_connection_dialog_init (VmdAddConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  on_uri_changed (GTK_EDITABLE (self->uri_entry), self);
  /* Nothing typed yet is no mistake to point at. */
  gtk_widget_hide (self->problem_label);
}

GtkWidget *
vmd_add_connection_dialog_new (GtkWindow *parent)
{
  return g_object_new (VMD_TYPE_ADD_CONNECTION_DIALOG, "transient-for", parent,
                       "use-header-bar", TRUE, NULL);
}
