/* VmdApplication: parses the virt-manager-style command line, opens the connections (the user
 * session, plus the system daemon when it is there for us), and owns the accelerators. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-add-connection-dialog.h"
#include "vmd-application.h"
#include "vmd-connection.h"
#include "vmd-features.h"
#include "vmd-password-dialog.h"
#include "vmd-preferences-window.h"
#include "vmd-window.h"
#include "vmdesk-resources.h"

struct _VmdApplication
{
  GtkApplication  parent_instance;

  GListStore     *connections;   /* of VmdConnection */
  GSettings      *settings;      /* NULL when the schema is not installed */
  VmdAskpass     *askpass;       /* ssh's questions; NULL without its helper */
};

G_DEFINE_FINAL_TYPE (VmdApplication, vmd_application, GTK_TYPE_APPLICATION)

static const GOptionEntry options[] = {
  { "connect", 'c', 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Connect to the libvirt URI (repeatable), e.g. qemu:///system"), N_("URI") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { "show-console", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show the console of the machine NAME"), N_("NAME") },
  { "new-vm", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the New Virtual Machine assistant"), NULL },
  { "show-details", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show the details of the machine NAME"), N_("NAME") },
  { NULL }
};

static const struct {
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "app.quit",        { "<Primary>q", NULL } },
  { "app.preferences", { "<Primary>comma", NULL } },
  { "win.find",        { "<Primary>f", NULL } },
  { "win.start",       { "<Primary><Shift>Return", NULL } },
  { "win.shutdown",    { "<Primary><Shift>s", NULL } },
  { "win.reboot",      { "<Primary><Shift>r", NULL } },
  { "win.pause",       { "<Primary><Shift>p", NULL } },
  { "win.resume",      { "<Primary><Shift>u", NULL } },
  { "win.force-off",   { "<Primary><Shift>f", NULL } },
  { "win.delete",      { "<Primary>Delete", NULL } },
  { "win.fullscreen",  { "F11", NULL } },
  { "win.new-vm",      { "<Primary>n", NULL } },
};

/* Run straight from the build tree (build/src/vmdesk), the program finds the schema meson
 * compiled there, in build/data, as it finds its features module beside it. Only when nobody
 * chose a schema folder and none is installed: an installed program never reads a build tree. */
static GSettingsSchema *
lookup_build_tree_schema (void)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *program_dir = NULL;
  g_autofree char *schema_dir = NULL;
  g_autofree char *compiled = NULL;
  g_autoptr(GSettingsSchemaSource) source = NULL;

  if (program == NULL || g_getenv ("GSETTINGS_SCHEMA_DIR") != NULL)
    return NULL;
  program_dir = g_path_get_dirname (program);
  schema_dir = g_build_filename (program_dir, "..", "data", NULL);
  compiled = g_build_filename (schema_dir, "gschemas.compiled", NULL);
  if (!g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
    return NULL;
  source = g_settings_schema_source_new_from_directory (schema_dir,
                                                       g_settings_schema_source_get_default (),
                                                       FALSE, NULL);
  return source != NULL ? g_settings_schema_source_lookup (source, APPLICATION_ID, FALSE) : NULL;
}

/* g_settings_new() aborts on a missing schema; an uninstalled build without a schema must still
 * run, only without remembering anything. */
static GSettings *
settings_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    schema = lookup_build_tree_schema ();
  if (schema == NULL)
    {
      g_message ("GSettings schema %s not found: settings are not remembered", APPLICATION_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/* The connection in the list for uri, or NULL; and its position. */
static VmdConnection *
find_connection (VmdApplication *self,
                 const char     *uri,
                 guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      if (g_strcmp0 (vmd_connection_get_uri (connection), uri) == 0)
        {
          if (position != NULL)
            *position = i;
          return connection;   /* the store keeps it */
        }
    }
  return NULL;
}

static void
on_connection_opened (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failure is shown on the connection's own row; nothing pops up. */
  if (!vmd_connection_open_finish (VMD_CONNECTION (source), result, &error))
    g_debug ("%s", error->message);
}

static VmdConnection *
add_connection (VmdApplication *self,
                const char     *uri)
{
  g_autoptr(VmdConnection) connection = NULL;
  VmdConnection *found = find_connection (self, uri, NULL);

  if (found != NULL)
    return found;
  connection = g_object_new (VMD_TYPE_CONNECTION, "uri", uri,
                             "stats-interval", self->settings != NULL
                               ? g_settings_get_uint (self->settings, "stats-interval") * 1000 : 1000,
                             NULL);
  g_list_store_append (self->connections, connection);
  vmd_connection_open_async (connection, NULL, on_connection_opened, self);
  return connection;   /* the store keeps it */
}

/* The main window, not whichever window has the focus: a console or details window may. */
static VmdWindow *
find_main_window (VmdApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (VMD_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static VmdWindow *
ensure_window (VmdApplication *self)
{
  VmdWindow *window = find_main_window (self);

  if (window == NULL)
    window = vmd_window_new (GTK_APPLICATION (self), G_LIST_MODEL (self->connections), self->settings);
  return window;
}

/* A parent for the app's dialogs: the window the user works in, else the main window. */
static GtkWindow *
dialog_parent (VmdApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  return active != NULL ? active : GTK_WINDOW (ensure_window (self));
}

/* --console NAME and --details NAME: windows of the features module. */
static void
open_windows_asked_for (VmdApplication *self,
                        GVariantDict   *options_dict)
{
  const char *console_name = NULL;
  const char *details_name = NULL;
  const VmdFeatures *features;
  g_autoptr(GError) error = NULL;

  g_variant_dict_lookup (options_dict, "show-console", "&s", &console_name);
  g_variant_dict_lookup (options_dict, "show-details", "&s", &details_name);
  if (console_name == NULL && details_name == NULL)
    return;
  features = vmd_features_get (&error);
  if (features == NULL)
    {
      vmd_window_show_error (ensure_window (self), error->message);
      return;
    }
  if (console_name != NULL)
    features->console_window_open_when_found (GTK_APPLICATION (self),
                                              G_LIST_MODEL (self->connections), console_name);
  if (details_name != NULL)
    features->details_window_show_by_name (GTK_APPLICATION (self),
                                           G_LIST_MODEL (self->connections), details_name);
}

static int
vmd_application_handle_local_options (GApplication *app,
                                      GVariantDict *options_dict)
{
  if (g_variant_dict_contains (options_dict, "version"))
    {
      g_print ("vmdesk %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static int
vmd_application_command_line (GApplication            *app,
                              GApplicationCommandLine *command_line)
{
  VmdApplication *self = VMD_APPLICATION (app);
  GVariantDict *options_dict = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **uris = NULL;

  g_variant_dict_lookup (options_dict, "connect", "^a&s", &uris);
  if (uris != NULL)
    for (guint i = 0; uris[i] != NULL; i++)
      add_connection (self, uris[i]);
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->connections)) == 0)
    {
      g_auto(GStrv) remembered = self->settings != NULL
                                   ? g_settings_get_strv (self->settings, "connections") : NULL;

      add_connection (self, "qemu:///session");
      if (vmd_connection_system_available ())
        add_connection (self, "qemu:///system");
      for (guint i = 0; remembered != NULL && remembered[i] != NULL; i++)
        add_connection (self, remembered[i]);
    }

  gtk_window_present (GTK_WINDOW (ensure_window (self)));
  open_windows_asked_for (self, options_dict);
  if (g_variant_dict_contains (options_dict, "new-vm"))
    g_action_group_activate_action (G_ACTION_GROUP (ensure_window (self)), "new-vm", NULL);
  return 0;
}

static void
vmd_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (ensure_window (VMD_APPLICATION (app))));
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  VmdApplication *self = user_data;

  gtk_show_about_dialog (dialog_parent (self),
                         "program-name", _("VM Desk"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Create, run and show virtual machines"),
                         "logo-icon-name", "computer",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* The translators of the user's language; GTK shows nothing when the
                          * string is left untranslated. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* app.new-vm: the window's assistant, for menus and --new-vm. */
static void
on_new_vm (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  VmdWindow *window = ensure_window (VMD_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "new-vm", NULL);
}

static void
remember_connection (VmdApplication *self,
                     const char     *uri)
{
  g_auto(GStrv) uris = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  if (self->settings == NULL)
    return;
  uris = g_settings_get_strv (self->settings, "connections");
  if (g_strv_contains ((const char * const *) uris, uri))
    return;
  g_strv_builder_addv (builder, (const char **) uris);
  g_strv_builder_add (builder, uri);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "connections", (const char * const *) updated);
}

static void
forget_connection (VmdApplication *self,
                   const char     *uri)
{
  g_auto(GStrv) uris = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  if (self->settings == NULL)
    return;
  uris = g_settings_get_strv (self->settings, "connections");
  for (guint i = 0; uris[i] != NULL; i++)
    if (!g_str_equal (uris[i], uri))
      g_strv_builder_add (builder, uris[i]);
  updated = g_strv_builder_end (builder);
  if (g_strv_length (updated) != g_strv_length (uris))
    g_settings_set_strv (self->settings, "connections", (const char * const *) updated);
}

/* An added URI is remembered once it has connected: a mistyped host or a daemon that is not
 * there is not opened again at every start. */
static void
on_added_connection_state (VmdConnection  *connection,
                           GParamSpec     *pspec,
                           VmdApplication *self)
{
  if (vmd_connection_get_state (connection) != VMD_CONNECTION_STATE_CONNECTED)
    return;
  remember_connection (self, vmd_connection_get_uri (connection));
  g_signal_handlers_disconnect_by_func (connection, on_added_connection_state, self);
}

static void
on_add_connection_response (GtkDialog      *dialog,
                            int             response,
                            VmdApplication *self)
{
  VmdAddConnectionDialog *add = VMD_ADD_CONNECTION_DIALOG (dialog);
  VmdConnection *connection;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *uri = vmd_add_connection_dialog_dup_uri (add);

      /* Whether the daemon answers shows on the connection's own row. */
      connection = add_connection (self, uri);
      if (vmd_add_connection_dialog_get_remember (add))
        {
          g_signal_connect_object (connection, "notify::state",
                                   G_CALLBACK (on_added_connection_state), self, 0);
          on_added_connection_state (connection, NULL, self);
        }
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
on_add_connection (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  VmdApplication *self = user_data;
  GtkWidget *dialog = vmd_add_connection_dialog_new (dialog_parent (self),
                                                     G_LIST_MODEL (self->connections));

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_add_connection_response), self, 0);
  gtk_widget_show (dialog);
}

/* app.remove-connection('URI'): closed, out of the list, and no longer opened at start. A
 * default connection (the session, the system daemon) comes back at the next start. */
static void
on_remove_connection (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  VmdApplication *self = user_data;
  const char *uri = g_variant_get_string (parameter, NULL);
  guint position;
  VmdConnection *connection = find_connection (self, uri, &position);

  forget_connection (self, uri);
  if (connection == NULL)
    return;
  g_signal_handlers_disconnect_by_func (connection, on_added_connection_state, self);
  vmd_connection_close (connection);
  g_list_store_remove (self->connections, position);
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  VmdApplication *self = user_data;
  GtkWidget *dialog;

  if (self->settings == NULL)
    return;
  dialog = vmd_preferences_window_new (dialog_parent (self), self->settings);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (dialog);
}

static const GActionEntry app_actions[] = {
  { "preferences", on_preferences },
  { "add-connection", on_add_connection },
  { "remove-connection", on_remove_connection, "s" },
  { "quit", on_quit },
  { "about", on_about },
  { "new-vm", on_new_vm },
};

static void
load_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/vmdesk/VmDesk/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (provider),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
on_askpass_ask (VmdAskpass        *askpass,
                VmdAskpassRequest *request,
                VmdApplication    *self)
{
  gtk_widget_show (vmd_password_dialog_new (dialog_parent (self), request));
}

/* qemu+ssh:// runs ssh, which asks for passwords through SSH_ASKPASS: here, in our own dialog.
 * Without the helper ssh asks as it would have (a terminal, the desktop's askpass). */
static void
start_askpass (VmdApplication *self)
{
  g_autofree char *helper = vmd_askpass_find_helper ();
  g_autoptr(GError) error = NULL;

  self->askpass = vmd_askpass_new (helper, &error);
  if (self->askpass == NULL)
    {
      g_message ("%s", error->message);
      return;
    }
  g_setenv ("SSH_ASKPASS", vmd_askpass_get_program (self->askpass), TRUE);
  g_signal_connect_object (self->askpass, "ask", G_CALLBACK (on_askpass_ask), self, 0);
}

static void
vmd_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (vmd_application_parent_class)->startup (app);

  g_set_application_name (_("VM Desk"));
  gtk_window_set_default_icon_name ("computer");
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accelerators[i].action,
                                           accelerators[i].accels);
  load_style ();
  VMD_APPLICATION (app)->settings = settings_if_installed ();
  start_askpass (VMD_APPLICATION (app));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app), "preferences")),
                               VMD_APPLICATION (app)->settings != NULL);
}

static void
vmd_application_dispose (GObject *object)
{
  VmdApplication *self = VMD_APPLICATION (object);
  guint n = self->connections != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->connections)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      vmd_connection_close (connection);
    }
  g_clear_object (&self->connections);
  g_clear_object (&self->settings);
  g_clear_object (&self->askpass);
  G_OBJECT_CLASS (vmd_application_parent_class)->dispose (object);
}

static void
vmd_application_class_init (VmdApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vmd_application_dispose;
  app_class->startup = vmd_application_startup;
  app_class->activate = vmd_application_activate;
  app_class->command_line = vmd_application_command_line;
  app_class->handle_local_options = vmd_application_handle_local_options;
}

static void
vmd_application_init (VmdApplication *self)
{
  self->connections = g_list_store_new (VMD_TYPE_CONNECTION);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Create, run and show KVM/QEMU virtual machines."));
}

VmdApplication *
vmd_application_new (void)
{
  vmdesk_register_resource ();
  return g_object_new (VMD_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}
