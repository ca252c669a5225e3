#include "config.h"

#include <glib/gi18n.h>

#include "vmd-device-xml.h"
#include "vmd-form.h"
#include "vmd-hw-folder-page.h"

struct _VmdHwFolderPage
{
  VmdHwPage  parent_instance;

  GtkWidget *folder_entry, *folder_error, *tag_entry, *tag_error, *readonly_check, *general_error;
  gboolean   touched;
};

G_DEFINE_FINAL_TYPE (VmdHwFolderPage, vmd_hw_folder_page, VMD_TYPE_HW_PAGE)

static void
show_problem (VmdHwFolderPage *self,
              VmdHwField       field,
              const char      *message)
{
  const VmdFormField fields[] = {
    { "folder", self->folder_error },
    { "tag", self->tag_error },
  };
  const char *name = field == VMD_HW_FIELD_FOLDER ? "folder" : field == VMD_HW_FIELD_TAG ? "tag" : NULL;

  vmd_form_show_problem (fields, G_N_ELEMENTS (fields), self->general_error, name,
                         self->touched ? message : NULL);
}

static char *
build (VmdHwPage    *page,
       const char   *domain_xml,
       VmdHwAttach  *mode,
       GError      **error)
{
  VmdHwFolderPage *self = VMD_HW_FOLDER_PAGE (page);
  g_autofree char *folder = vmd_form_text (self->folder_entry);
  g_autofree char *tag = vmd_form_text (self->tag_entry);
  VmdFsSpec spec = { folder, tag, gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->readonly_check)) };
  VmdHwField field = VMD_HW_FIELD_NONE;
  g_autoptr(GError) local_error = NULL;

  *mode = VMD_HW_ATTACH_SHARED_FOLDER;
  if (!vmd_fs_spec_validate (&spec, domain_xml, &field, &local_error))
    {
      show_problem (self, field, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  show_problem (self, VMD_HW_FIELD_NONE, NULL);
  return vmd_fs_spec_xml (&spec);
}

static char *
added_hint (VmdHwPage *page)
{
  VmdHwFolderPage *self = VMD_HW_FOLDER_PAGE (page);
  g_autofree char *tag = vmd_form_text (self->tag_entry);

  return g_strdup_printf (_("In the guest, mount it with: mount -t virtiofs %s /mnt"), tag);
}

static void
on_field_changed (VmdHwFolderPage *self)
{
  self->touched = TRUE;
  vmd_hw_page_changed (VMD_HW_PAGE (self));
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdHwFolderPage, name)

static void
vmd_hw_folder_page_class_init (VmdHwFolderPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  VMD_HW_PAGE_CLASS (klass)->build = build;
  VMD_HW_PAGE_CLASS (klass)->added_hint = added_hint;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/hardware/vmd-hw-folder-page.ui");
  BIND (folder_entry); BIND (folder_error); BIND (tag_entry); BIND (tag_error);
  BIND (readonly_check); BIND (general_error);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
}

static void
vmd_hw_folder_page_init (VmdHwFolderPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
