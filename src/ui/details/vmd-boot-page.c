/* VmdBootPage: one form: the devices to boot from in order (ticked, moved up and down), the
 * boot menu, and the kernel, initrd and arguments of a direct kernel boot. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-boot-page.h"
#include "vmd-details-form.h"

struct _VmdBootPage
{
  VmdDetailsPage  parent_instance;

  VmdDetailsForm *form;        /* the page's */
  guint           boot_form;

  GtkWidget      *conflict_bar, *boot_view, *boot_menu_check, *kernel_entry, *initrd_entry, *cmdline_entry;
  GtkListStore   *boot_store;
};

G_DEFINE_FINAL_TYPE (VmdBootPage, vmd_boot_page, VMD_TYPE_DETAILS_PAGE)

enum { BOOT_ENABLED, BOOT_DEV, BOOT_LABEL };

static const struct { const char *dev; const char *label; } boot_devices[] = {
  { "hd",      N_("Hard disk") },
  { "cdrom",   N_("CD/DVD") },
  { "network", N_("Network (PXE)") },
  { "fd",      N_("Floppy") },
};

static const char *
boot_label (const char *dev)
{
  for (guint i = 0; i < G_N_ELEMENTS (boot_devices); i++)
    if (g_str_equal (boot_devices[i].dev, dev))
      return _(boot_devices[i].label);
  return dev;
}

static void
set_entry (GtkWidget  *entry,
           const char *text)
{
  gtk_entry_set_text (GTK_ENTRY (entry), text != NULL ? text : "");
}

/* The devices booted from first, in order; then the others, unticked. */
static void
fill_boot (VmdDetailsPage         *page,
           const VmdMachineConfig *config)
{
  VmdBootPage *self = VMD_BOOT_PAGE (page);

  gtk_list_store_clear (self->boot_store);
  for (guint i = 0; config->boot_devices[i] != NULL; i++)
    gtk_list_store_insert_with_values (self->boot_store, NULL, -1, BOOT_ENABLED, TRUE,
                                       BOOT_DEV, config->boot_devices[i],
                                       BOOT_LABEL, boot_label (config->boot_devices[i]), -1);
  for (guint i = 0; i < G_N_ELEMENTS (boot_devices); i++)
    if (!g_strv_contains ((const char * const *) config->boot_devices, boot_devices[i].dev))
      gtk_list_store_insert_with_values (self->boot_store, NULL, -1, BOOT_ENABLED, FALSE,
                                         BOOT_DEV, boot_devices[i].dev,
                                         BOOT_LABEL, _(boot_devices[i].label), -1);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->boot_menu_check), config->boot_menu);
  set_entry (self->kernel_entry, config->kernel);
  set_entry (self->initrd_entry, config->initrd);
  set_entry (self->cmdline_entry, config->cmdline);
}

static char *
boot_changes (const VmdMachineConfig *before,
              const VmdMachineConfig *after)
{
  VmdBootSettings a = vmd_boot_settings_of (before), b = vmd_boot_settings_of (after);

  return vmd_boot_settings_describe (&a, &b);
}

static GStrv
checked_boot_devices (VmdBootPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkTreeModel *model = GTK_TREE_MODEL (self->boot_store);
  GtkTreeIter iter;

  for (gboolean ok = gtk_tree_model_get_iter_first (model, &iter); ok; ok = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *dev = NULL;
      gboolean enabled;

      gtk_tree_model_get (model, &iter, BOOT_ENABLED, &enabled, BOOT_DEV, &dev, -1);
      if (enabled)
        g_strv_builder_add (builder, dev);
    }
  return g_strv_builder_end (builder);
}

static void
apply_boot (VmdDetailsPage         *page,
            const VmdMachineConfig *start,
            VmdEditFlags            flags,
            GAsyncReadyCallback     done,
            gpointer                done_data)
{
  VmdBootPage *self = VMD_BOOT_PAGE (page);
  g_auto(GStrv) devices = checked_boot_devices (self);
  VmdBootSettings base = vmd_boot_settings_of (start), mine;

  mine.devices = (const char * const *) devices;
  mine.menu = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->boot_menu_check));
  mine.kernel = gtk_entry_get_text (GTK_ENTRY (self->kernel_entry));
  mine.initrd = gtk_entry_get_text (GTK_ENTRY (self->initrd_entry));
  mine.cmdline = gtk_entry_get_text (GTK_ENTRY (self->cmdline_entry));
  vmd_machine_details_set_boot_async (vmd_details_page_get_details (page), &base, &mine, flags,
                                      vmd_details_page_get_cancellable (page), done, done_data);
}

static const VmdFormClass boot_form_class = { fill_boot, boot_changes, apply_boot };

/* --- the list's input --------------------------------------------------------------------------- */

static void
on_boot_toggled (GtkCellRendererToggle *renderer,
                 const char            *path,
                 VmdBootPage           *self)
{
  GtkTreeIter iter;
  gboolean enabled;

  if (!gtk_tree_model_get_iter_from_string (GTK_TREE_MODEL (self->boot_store), &iter, path))
    return;
  gtk_tree_model_get (GTK_TREE_MODEL (self->boot_store), &iter, BOOT_ENABLED, &enabled, -1);
  gtk_list_store_set (self->boot_store, &iter, BOOT_ENABLED, !enabled, -1);
  vmd_details_form_mark_edited (self->form, self->boot_form);
}

static void
move_boot_row (VmdBootPage *self,
               gboolean     up)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (GTK_TREE_VIEW (self->boot_view));
  GtkTreeIter iter, other;

  if (!gtk_tree_selection_get_selected (selection, NULL, &iter))
    return;
  other = iter;
  if (up ? gtk_tree_model_iter_previous (GTK_TREE_MODEL (self->boot_store), &other)
         : gtk_tree_model_iter_next (GTK_TREE_MODEL (self->boot_store), &other))
    {
      gtk_list_store_swap (self->boot_store, &iter, &other);
      vmd_details_form_mark_edited (self->form, self->boot_form);
    }
}

static void
activate_up (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  VmdBootPage *self = user_data;

  move_boot_row (self, TRUE);
}

static void
activate_down (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  VmdBootPage *self = user_data;

  move_boot_row (self, FALSE);
}

static void
activate_apply (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  VmdBootPage *self = user_data;

  vmd_details_form_apply (self->form, self->boot_form, VMD_EDIT_NONE);
}

static const GActionEntry actions[] = {
  { "up", activate_up },
  { "down", activate_down },
  { "apply", activate_apply },
};

/* --- GObject ------------------------------------------------------------------------------------ */

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VmdBootPage, name)

static void
vmd_boot_page_class_init (VmdBootPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (VMD_TYPE_CONFLICT_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/details/vmd-boot-page.ui");
  BIND (conflict_bar); BIND (boot_view); BIND (boot_menu_check); BIND (kernel_entry); BIND (initrd_entry);
  BIND (cmdline_entry); BIND (boot_store);
  gtk_widget_class_bind_template_callback (widget_class, on_boot_toggled);
}

static void
vmd_boot_page_init (VmdBootPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vmd_details_page_add_actions (VMD_DETAILS_PAGE (self), actions, G_N_ELEMENTS (actions));
  self->form = vmd_details_page_new_form (VMD_DETAILS_PAGE (self), VMD_CONFLICT_BAR (self->conflict_bar));
  self->boot_form = vmd_details_form_add (self->form, &boot_form_class);
  vmd_details_form_watch (self->form, self->boot_form, self->boot_menu_check, "toggled");
  vmd_details_form_watch (self->form, self->boot_form, self->kernel_entry, "changed");
  vmd_details_form_watch (self->form, self->boot_form, self->initrd_entry, "changed");
  vmd_details_form_watch (self->form, self->boot_form, self->cmdline_entry, "changed");
}
