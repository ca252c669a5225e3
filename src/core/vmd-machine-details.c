/* VmdMachineDetails: the model. Its config follows the machine: each definition-serial bump
 * (whoever changed it), a start or stop (the live half), the connection coming back. One read
 * at a time, none while an edit runs (the edit reads the definition back itself), and "changed"
 * only when the definition differs.
 *
 * Each change is a typed struct of its area's file, applied in a worker (VmdDetailsEdit) onto
 * the definition libvirt holds at that moment; the forms' changes write only the fields the user
 * changed, and never over a field changed elsewhere since the form was filled unless the user
 * says so. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-error.h"
#include "vmd-machine-details-private.h"
#include "vmd-os-catalog.h"

struct _VmdMachineDetails
{
  GObject           parent_instance;

  VmdMachine       *machine;
  VmdMachineConfig *config;
  guint             generation;     /* bumped each time config is replaced */
  guint             n_running;      /* edits and reloads under way */
  gboolean          reload_wanted;  /* the definition changed while they ran */
};

G_DEFINE_FINAL_TYPE (VmdMachineDetails, vmd_machine_details, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- libosinfo's name for the OS ---------------------------------------------------------------- */

static void on_os_catalog_loaded (GObject *source, GAsyncResult *result, gpointer user_data);

/* The catalog loads once, off the main loop. */
static void
fill_os_name (VmdMachineDetails *self)
{
  VmdOsCatalog *catalog = vmd_os_catalog_get_default ();
  OsinfoOs *os;

  if (self->config == NULL || self->config->os_id == NULL || self->config->os_name != NULL)
    return;
  if (!vmd_os_catalog_is_loaded (catalog))
    {
      vmd_os_catalog_load_async (catalog, NULL, on_os_catalog_loaded, g_object_ref (self));
      return;
    }
  os = osinfo_db_get_os (vmd_os_catalog_get_db (catalog), self->config->os_id);
  self->config->os_name = g_strdup (os != NULL ? osinfo_product_get_name (OSINFO_PRODUCT (os))
                                               : self->config->os_id);
}

static void
on_os_catalog_loaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(VmdMachineDetails) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vmd_os_catalog_load_finish (VMD_OS_CATALOG (source), result, &error))
    {
      g_debug ("libosinfo: %s", error->message);
      return;
    }
  if (self->config != NULL && self->config->os_name == NULL)
    {
      fill_os_name (self);
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

/* Takes config. */
static void
set_config (VmdMachineDetails *self,
            VmdMachineConfig  *config)
{
  g_clear_pointer (&self->config, vmd_machine_config_unref);
  self->config = config;
  self->generation++;
  fill_os_name (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* --- following the machine ---------------------------------------------------------------------- */

static void start_followed_reload (VmdMachineDetails *self);

/* Not while the connection is away either: its handle answers nothing until it is back. */
static void
maybe_reload (VmdMachineDetails *self)
{
  if (!self->reload_wanted || self->n_running > 0 || !vmd_machine_get_connected (self->machine))
    return;
  self->reload_wanted = FALSE;
  start_followed_reload (self);
}

static void
on_followed_reload_done (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  VmdMachineDetails *self = VMD_MACHINE_DETAILS (source);
  VmdDetailsEdit *edit = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->n_running--;
  /* A machine deleted meanwhile has nothing to read: its window follows the machine, not this. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_debug ("%s: %s", vmd_machine_get_name (self->machine), error->message);
  else if (edit->generation != self->generation)
    self->reload_wanted = TRUE;   /* an edit read it meanwhile: this read may be older */
  else if (self->config == NULL || !vmd_machine_config_same_definition (self->config, edit->config))
    set_config (self, g_steal_pointer (&edit->config));
  maybe_reload (self);
}

static void
on_definition_changed (VmdMachine        *machine,
                       GParamSpec        *pspec,
                       VmdMachineDetails *self)
{
  self->reload_wanted = TRUE;
  maybe_reload (self);
}

static void
start_followed_reload (VmdMachineDetails *self)
{
  self->n_running++;
  vmd_machine_details_run_read (self, vmd_details_edit_run_in_thread, start_followed_reload, NULL,
                                on_followed_reload_done, NULL);
}

/* --- running edits ------------------------------------------------------------------------------ */

static GTask *
new_task (VmdMachineDetails   *self,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

VmdDetailsEdit *
vmd_machine_details_new_edit (VmdMachineDetails *self,
                              VmdDetailsApply    apply,
                              gpointer           change,
                              GDestroyNotify     change_free)
{
  virDomainPtr handle = NULL;

  g_object_get (vmd_machine_get_domain (self->machine), "handle", &handle, NULL);
  return vmd_details_edit_new (handle, vmd_machine_get_name (self->machine), self->generation,
                               apply, change, change_free);
}

static void
on_edit_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  VmdMachineDetails *self = VMD_MACHINE_DETAILS (source);
  g_autoptr(GTask) outer = user_data;
  VmdDetailsEdit *edit = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  self->n_running--;
  /* A conflict comes with the definition that caused it, for the caller to show. */
  if (edit->config != NULL)
    set_config (self, g_steal_pointer (&edit->config));
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (outer, error);
  else
    {
      g_task_set_task_data (outer, g_steal_pointer (&edit->note), g_free);
      g_task_return_boolean (outer, TRUE);
    }
  maybe_reload (self);
}

/* The worker reports to on_edit_done, which updates the config and emits "changed" before the
 * caller's callback runs: the caller then reads the new config. */
void
vmd_machine_details_run_edit (VmdMachineDetails   *self,
                              VmdDetailsEdit      *edit,
                              gpointer             source_tag,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *outer = new_task (self, source_tag, cancellable, callback, user_data);
  g_autoptr(GTask) inner = g_task_new (self, cancellable, on_edit_done, outer);

  g_task_set_task_data (inner, edit, (GDestroyNotify) vmd_details_edit_free);
  self->n_running++;
  g_task_run_in_thread (inner, vmd_details_edit_run_in_thread);
}

void
vmd_machine_details_refuse (VmdMachineDetails   *self,
                            GError              *error,
                            gpointer             source_tag,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = new_task (self, source_tag, cancellable, callback, user_data);

  g_task_return_error (task, error);
}

gboolean
vmd_machine_details_edit_finish (VmdMachineDetails  *self,
                                 GAsyncResult       *result,
                                 char              **note,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (note != NULL)
    *note = g_strdup (g_task_get_task_data (G_TASK (result)));
  return TRUE;
}

void
vmd_machine_details_run_read (VmdMachineDetails   *self,
                              GTaskThreadFunc      func,
                              gpointer             source_tag,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = new_task (self, source_tag, cancellable, callback, user_data);

  g_task_set_task_data (task, vmd_machine_details_new_edit (self, NULL, NULL, NULL),
                        (GDestroyNotify) vmd_details_edit_free);
  g_task_run_in_thread (task, func);
}

gpointer
vmd_machine_details_read_finish (VmdMachineDetails  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vmd_machine_details_reload_async (VmdMachineDetails   *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE_DETAILS (self));
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, NULL, NULL, NULL),
                                vmd_machine_details_reload_async, cancellable, callback, user_data);
}

/* --- GObject ------------------------------------------------------------------------------------ */

static void
vmd_machine_details_dispose (GObject *object)
{
  VmdMachineDetails *self = VMD_MACHINE_DETAILS (object);

  g_clear_object (&self->machine);
  g_clear_pointer (&self->config, vmd_machine_config_unref);
  G_OBJECT_CLASS (vmd_machine_details_parent_class)->dispose (object);
}

static void
vmd_machine_details_class_init (VmdMachineDetailsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vmd_machine_details_dispose;

  /* The config was read again: after a change, a reload, or a change made elsewhere (only when
   * the definition differs then). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_machine_details_init (VmdMachineDetails *self)
{
}

VmdMachineDetails *
vmd_machine_details_new (VmdMachine *machine)
{
  VmdMachineDetails *self;

  g_return_val_if_fail (VMD_IS_MACHINE (machine), NULL);
  self = g_object_new (VMD_TYPE_MACHINE_DETAILS, NULL);
  self->machine = g_object_ref (machine);
  /* Whoever changed it (another client, or a start or stop for the live half); and what changed
   * while the connection was away. */
  g_signal_connect_object (machine, "notify::definition-serial", G_CALLBACK (on_definition_changed), self, 0);
  g_signal_connect_object (machine, "notify::state", G_CALLBACK (on_definition_changed), self, 0);
  g_signal_connect_object (machine, "notify::connected", G_CALLBACK (on_definition_changed), self, 0);
  return self;
}

VmdMachine *
vmd_machine_details_get_machine (VmdMachineDetails *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_DETAILS (self), NULL);
  return self->machine;
}

/* NULL until the first reload has finished. */
const VmdMachineConfig *
vmd_machine_details_get_config (VmdMachineDetails *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE_DETAILS (self), NULL);
  return self->config;
}
