/* The first boot of a new machine, as virt-manager does it: the installer has started it
 * paused; once the connection lists it, the caller selects it, its console window opens and
 * attaches, and only then does the guest run, so its very first lines are on the console.
 * Each wait has a ceiling: a console that cannot attach delays the guest by seconds, never
 * leaves it paused. */
#include "config.h"

#include "vmd-console-window.h"
#include "vmd-first-boot.h"

#define LISTED_CEILING_MS 10000
#define ATTACH_CEILING_MS 5000

typedef struct {
  VmdInstaller          *installer;
  VmdConnection         *connection;
  GtkApplication        *application;
  char                  *name;
  VmdFirstBootFoundFunc  found;
  gpointer               found_data;
  GListModel            *machines;   /* followed until the machine is listed */
  VmdConsoleWindow      *console;    /* followed until it is ready */
  gulong                 listed_id;
  gulong                 ready_id;
  gulong                 destroy_id;
  guint                  ceiling_id;
  gboolean               resuming;
} FirstBoot;

static void
stop_following (FirstBoot *boot)
{
  if (boot->machines != NULL)
    g_clear_signal_handler (&boot->listed_id, boot->machines);
  if (boot->console != NULL)
    {
      g_clear_signal_handler (&boot->ready_id, boot->console);
      g_clear_signal_handler (&boot->destroy_id, boot->console);
    }
}

static void
first_boot_free (FirstBoot *boot)
{
  g_clear_handle_id (&boot->ceiling_id, g_source_remove);
  stop_following (boot);
  g_clear_object (&boot->machines);
  g_clear_object (&boot->console);
  g_clear_object (&boot->installer);
  g_clear_object (&boot->connection);
  g_clear_object (&boot->application);
  g_free (boot->name);
  g_free (boot);
}

static void
on_resumed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FirstBoot *boot = g_task_get_task_data (task);
  GError *error = NULL;

  if (vmd_installer_resume_finish (VMD_INSTALLER (source), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* The installer removed the machine: its console has nothing left to show. */
  if (boot->console != NULL)
    gtk_widget_destroy (GTK_WIDGET (boot->console));
  g_task_return_error (task, error);
}

static void
resume (GTask *task)
{
  g_autoptr(GTask) keep = g_object_ref (task);   /* the ceiling's source may hold the last ref */
  FirstBoot *boot = g_task_get_task_data (task);

  if (boot->resuming)
    return;
  boot->resuming = TRUE;
  g_clear_handle_id (&boot->ceiling_id, g_source_remove);
  stop_following (boot);
  vmd_installer_resume_async (boot->installer, NULL, on_resumed, g_object_ref (task));
}

static gboolean
on_ceiling (gpointer user_data)
{
  GTask *task = user_data;
  FirstBoot *boot = g_task_get_task_data (task);

  boot->ceiling_id = 0;
  g_debug ("first boot of %s: %s", boot->name,
           boot->console != NULL ? "the console did not attach in time" : "not listed in time");
  resume (task);
  return G_SOURCE_REMOVE;
}

static void
set_ceiling (GTask *task,
             guint  ms)
{
  FirstBoot *boot = g_task_get_task_data (task);
  guint previous = boot->ceiling_id;

  /* The new source takes its reference before the old one drops its own. */
  boot->ceiling_id = g_timeout_add_full (G_PRIORITY_DEFAULT, ms, on_ceiling, g_object_ref (task),
                                         g_object_unref);
  if (previous != 0)
    g_source_remove (previous);
}

static void
on_console_ready (VmdConsoleWindow *console,
                  GParamSpec       *pspec,
                  GTask            *task)
{
  if (vmd_console_window_get_ready (console))
    resume (task);
}

/* Closed before it attached: nobody waits for the first lines any more. */
static void
on_console_destroyed (VmdConsoleWindow *console,
                      GTask            *task)
{
  FirstBoot *boot = g_task_get_task_data (task);

  stop_following (boot);
  g_clear_object (&boot->console);
  resume (task);
}

static void
open_console (GTask      *task,
              VmdMachine *machine)
{
  FirstBoot *boot = g_task_get_task_data (task);

  stop_following (boot);
  if (boot->found != NULL)
    boot->found (machine, boot->found_data);
  boot->console = g_object_ref (vmd_console_window_present_for (boot->application, boot->connection,
                                                                machine));
  if (vmd_console_window_get_ready (boot->console))
    {
      resume (task);
      return;
    }
  /* The handlers go when the wait ends (resume); meanwhile the ceiling's source owns the task. */
  set_ceiling (task, ATTACH_CEILING_MS);
  boot->ready_id = g_signal_connect (boot->console, "notify::ready", G_CALLBACK (on_console_ready), task);
  boot->destroy_id = g_signal_connect (boot->console, "destroy", G_CALLBACK (on_console_destroyed), task);
}

static void
on_machines_changed (GListModel *machines,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GTask      *task)
{
  FirstBoot *boot = g_task_get_task_data (task);
  VmdMachine *machine = vmd_connection_find_machine (boot->connection, boot->name);

  if (machine != NULL && !boot->resuming)
    open_console (task, machine);
}

/* INSTALLER has just started the machine NAME paused (VMD_INSTALL_START_PAUSED). */
void
vmd_first_boot_async (VmdInstaller          *installer,
                      VmdConnection         *connection,
                      GtkApplication        *application,
                      const char            *name,
                      VmdFirstBootFoundFunc  found,
                      gpointer               found_data,
                      GAsyncReadyCallback    callback,
                      gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  FirstBoot *boot = g_new0 (FirstBoot, 1);
  VmdMachine *machine;

  g_task_set_source_tag (task, vmd_first_boot_async);
  boot->installer = g_object_ref (installer);
  boot->connection = g_object_ref (connection);
  boot->application = application != NULL ? g_object_ref (application) : NULL;
  boot->name = g_strdup (name);
  boot->found = found;
  boot->found_data = found_data;
  g_task_set_task_data (task, boot, (GDestroyNotify) first_boot_free);
  if (application == NULL)
    {
      resume (task);
      return;
    }
  machine = vmd_connection_find_machine (connection, name);
  if (machine != NULL)
    {
      open_console (task, machine);
      return;
    }
  /* libvirt's DEFINED event may come after the installer's answer. */
  boot->machines = g_object_ref (vmd_connection_get_machines (connection));
  set_ceiling (task, LISTED_CEILING_MS);
  boot->listed_id = g_signal_connect (boot->machines, "items-changed", G_CALLBACK (on_machines_changed),
                                      task);
}

gboolean
vmd_first_boot_finish (GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
