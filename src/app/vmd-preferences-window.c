/* VmdPreferencesWindow: every control is bound to its GSettings key, so a change applies at once
 * and nothing needs an Apply button. */
#include "config.h"

#include "vmd-preferences-window.h"

struct _VmdPreferencesWindow
{
  GtkDialog  parent_instance;

  GtkWidget *stats_interval;
  GtkWidget *show_cpu_column;
  GtkWidget *show_memory_column;
  GtkWidget *show_addresses_column;
  GtkWidget *console_scaling;
  GtkWidget *new_vm_graphics;
  GtkWidget *confirm_force_off;
  GtkWidget *shutdown_timeout;
};

G_DEFINE_FINAL_TYPE (VmdPreferencesWindow, vmd_preferences_window, GTK_TYPE_DIALOG)

static void
vmd_preferences_window_class_init (VmdPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/vmdesk/VmDesk/ui/vmd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VmdPreferencesWindow, stats_interval);
  gtk_widget_class_bind_template_child (widget_class, VmdPreferencesWindow, show_cpu_column);
  gtk_widget_class_bind_template_child (widget_class, VmdPreferencesWindow, show_memory_column);
  gtk_widget_class_bind_template_child (widget_class, VmdPreferencesWindow, show_addresses_column);
  gtk_widget_class_bind_template_child (widget_class, VmdPreferencesWindow, console_scaling);
  gtk_widget_class_bind_template_child (widget_class, VmdPreferencesWindow, new_vm_graphics);
  gtk_widget_class_bind_template_child (widget_class, VmdPreferencesWindow, confirm_force_off);
  gtk_widget_class_bind_template_child (widget_class, VmdPreferencesWindow, shutdown_timeout);
}

static void
vmd_preferences_window_init (VmdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
vmd_preferences_window_new (GtkWindow *parent,
                            GSettings *settings)
{
  VmdPreferencesWindow *self = g_object_new (VMD_TYPE_PREFERENCES_WINDOW,
                                             "transient-for", parent,
                                             "use-header-bar", TRUE,
                                             NULL);

  g_settings_bind (settings, "stats-interval", self->stats_interval, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-cpu-column", self->show_cpu_column, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-memory-column", self->show_memory_column, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-addresses-column", self->show_addresses_column, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "console-scaling", self->console_scaling, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "new-vm-graphics", self->new_vm_graphics, "active-id", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "confirm-force-off", self->confirm_force_off, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "shutdown-timeout", self->shutdown_timeout, "value", G_SETTINGS_BIND_DEFAULT);
  return GTK_WIDGET (self);
}
