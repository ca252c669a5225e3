/* VmdMachine: one libvirt domain. Its state follows libvirt's lifecycle events; its statistics
 * come from VmdStatsSampler; its lifecycle calls run in worker threads because libvirt's are
 * blocking and may cross a network. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vmd-core-enums.h"
#include "vmd-display-name.h"
#include "vmd-error.h"
#include "vmd-machine.h"
#include "vmd-machine-private.h"

struct _VmdMachine
{
  GObject          parent_instance;

  GVirDomain      *domain;
  VmdMachineState  state;
  double           cpu_usage;
  double           cpu_history[VMD_MACHINE_CPU_HISTORY];
  guint            n_cpu_samples;
  guint64          memory_kib;
  char            *name;     /* ours: the domain's handle keeps the name it was looked up by */
  char            *uuid;     /* ours too: it outlives the domain handles of its reconnects */
  gboolean         connected;
  VmdConnection   *connection; /* weak: the connection that lists it */
  guint            definition_serial;

  /* Shut Down only asks the guest: from the request until the machine stops (or another state
   * or request comes), it is shutting down; past shutdown_timeout_s, overdue. */
  gboolean         shutting_down;
  gboolean         shutdown_overdue;
  guint            shutdown_timeout_s;
  guint            shutdown_timer_id;
};

G_DEFINE_FINAL_TYPE (VmdMachine, vmd_machine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DOMAIN,
  PROP_NAME,
  PROP_UUID,
  PROP_STATE,
  PROP_CPU_USAGE,
  PROP_MEMORY_KIB,
  PROP_CONNECTED,
  PROP_DEFINITION_SERIAL,
  PROP_SHUTTING_DOWN,
  PROP_SHUTDOWN_OVERDUE,
  PROP_SHUTDOWN_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { DELETED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
vmd_disk_choice_free (VmdDiskChoice *choice)
{
  g_free (choice->path);
  g_free (choice->target);
  g_free (choice->reason);
  g_free (choice);
}

VmdMachineState
vmd_machine_state_from_libvirt (int state,
                                int reason)
{
  switch (state)
    {
    case VIR_DOMAIN_RUNNING:
    case VIR_DOMAIN_BLOCKED:
    case VIR_DOMAIN_SHUTDOWN: /* still running while the guest shuts down */
      return VMD_MACHINE_STATE_RUNNING;
    case VIR_DOMAIN_PAUSED:
      return VMD_MACHINE_STATE_PAUSED;
    case VIR_DOMAIN_SHUTOFF:
      return reason == VIR_DOMAIN_SHUTOFF_CRASHED ? VMD_MACHINE_STATE_CRASHED
                                                  : VMD_MACHINE_STATE_SHUT_OFF;
    case VIR_DOMAIN_CRASHED:
      return VMD_MACHINE_STATE_CRASHED;
    case VIR_DOMAIN_PMSUSPENDED:
      return VMD_MACHINE_STATE_SUSPENDED;
    default:
      return VMD_MACHINE_STATE_UNKNOWN;
    }
}

const char *
vmd_machine_state_to_label (VmdMachineState state)
{
  switch (state)
    {
    case VMD_MACHINE_STATE_RUNNING:   return _("Running");
    case VMD_MACHINE_STATE_PAUSED:    return _("Paused");
    case VMD_MACHINE_STATE_SHUT_OFF:  return _("Shut off");
    case VMD_MACHINE_STATE_CRASHED:   return _("Crashed");
    case VMD_MACHINE_STATE_SUSPENDED: return _("Suspended");
    case VMD_MACHINE_STATE_UNKNOWN:
    default:                          return _("Unknown");
    }
}

const char *
vmd_machine_state_to_icon_name (VmdMachineState state)
{
  switch (state)
    {
    case VMD_MACHINE_STATE_RUNNING:   return "media-playback-start-symbolic";
    case VMD_MACHINE_STATE_PAUSED:    return "media-playback-pause-symbolic";
    case VMD_MACHINE_STATE_CRASHED:   return "dialog-error-symbolic";
    case VMD_MACHINE_STATE_SUSPENDED: return "weather-clear-night-symbolic";
    case VMD_MACHINE_STATE_SHUT_OFF:
    case VMD_MACHINE_STATE_UNKNOWN:
    default:                          return "system-shutdown-symbolic";
    }
}

/* --- state from events ------------------------------------------------------------------- */

static void
on_domain_started (GVirDomain *domain,
                   VmdMachine *self)
{
  vmd_machine_set_state (self, VMD_MACHINE_STATE_RUNNING);
}

static void
on_domain_stopped (GVirDomain *domain,
                   VmdMachine *self)
{
  vmd_machine_set_state (self, VMD_MACHINE_STATE_SHUT_OFF);
}

/* Connected after on_domain_stopped, so a crash overrides the plain "Shut off". */
static void
on_domain_crashed (GVirDomain *domain,
                   VmdMachine *self)
{
  vmd_machine_set_state (self, VMD_MACHINE_STATE_CRASHED);
}

static void
on_domain_suspended (GVirDomain *domain,
                     VmdMachine *self)
{
  vmd_machine_set_state (self, VMD_MACHINE_STATE_PAUSED);
}

static void
on_domain_pmsuspended (GVirDomain *domain,
                       VmdMachine *self)
{
  vmd_machine_set_state (self, VMD_MACHINE_STATE_SUSPENDED);
}

static void
follow_domain_events (VmdMachine *self)
{
  if (self->domain == NULL)
    return;
  g_signal_connect_object (self->domain, "started", G_CALLBACK (on_domain_started), self, 0);
  g_signal_connect_object (self->domain, "resumed", G_CALLBACK (on_domain_started), self, 0);
  g_signal_connect_object (self->domain, "stopped", G_CALLBACK (on_domain_stopped), self, 0);
  g_signal_connect_object (self->domain, "stopped::crashed", G_CALLBACK (on_domain_crashed), self, 0);
  g_signal_connect_object (self->domain, "suspended", G_CALLBACK (on_domain_suspended), self, 0);
  g_signal_connect_object (self->domain, "pmsuspended", G_CALLBACK (on_domain_pmsuspended), self, 0);
}

/* --- shutting down ------------------------------------------------------------------------ */

static void
set_shutdown_flags (VmdMachine *self,
                    gboolean    shutting_down,
                    gboolean    overdue)
{
  if (self->shutting_down != shutting_down)
    {
      self->shutting_down = shutting_down;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHUTTING_DOWN]);
    }
  if (self->shutdown_overdue != overdue)
    {
      self->shutdown_overdue = overdue;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHUTDOWN_OVERDUE]);
    }
}

static gboolean
on_shutdown_overdue (gpointer user_data)
{
  VmdMachine *self = user_data;

  self->shutdown_timer_id = 0;
  set_shutdown_flags (self, TRUE, TRUE);
  return G_SOURCE_REMOVE;
}

static void
begin_shutdown (VmdMachine *self)
{
  g_clear_handle_id (&self->shutdown_timer_id, g_source_remove);
  set_shutdown_flags (self, TRUE, FALSE);
  self->shutdown_timer_id = g_timeout_add_seconds (self->shutdown_timeout_s, on_shutdown_overdue, self);
}

static void
end_shutdown (VmdMachine *self)
{
  g_clear_handle_id (&self->shutdown_timer_id, g_source_remove);
  set_shutdown_flags (self, FALSE, FALSE);
}

/* TRUE from the moment Shut Down is asked until the machine stops, another state arrives, or
 * another action is asked; the guest may take its time, or ignore the request altogether. */
gboolean
vmd_machine_get_shutting_down (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  return self->shutting_down;
}

/* TRUE once it has been shutting down for longer than its shutdown timeout. */
gboolean
vmd_machine_get_shutdown_overdue (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  return self->shutdown_overdue;
}

/* Seconds a guest has to shut down before it counts as overdue; applies from the next request. */
void
vmd_machine_set_shutdown_timeout (VmdMachine *self,
                                  guint       seconds)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (seconds > 0);

  if (self->shutdown_timeout_s == seconds)
    return;
  self->shutdown_timeout_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHUTDOWN_TIMEOUT]);
}

/* --- GObject ------------------------------------------------------------------------------ */

static void
vmd_machine_constructed (GObject *object)
{
  VmdMachine *self = VMD_MACHINE (object);

  G_OBJECT_CLASS (vmd_machine_parent_class)->constructed (object);
  self->name = g_strdup (gvir_domain_get_name (self->domain));
  self->uuid = g_strdup (gvir_domain_get_uuid (self->domain));
  follow_domain_events (self);
}

static void
vmd_machine_dispose (GObject *object)
{
  VmdMachine *self = VMD_MACHINE (object);

  g_clear_handle_id (&self->shutdown_timer_id, g_source_remove);
  g_clear_object (&self->domain);
  vmd_machine_set_connection (self, NULL);
  G_OBJECT_CLASS (vmd_machine_parent_class)->dispose (object);
}

static void
vmd_machine_finalize (GObject *object)
{
  VmdMachine *self = VMD_MACHINE (object);

  g_free (self->name);
  g_free (self->uuid);
  G_OBJECT_CLASS (vmd_machine_parent_class)->finalize (object);
}

static void
vmd_machine_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VmdMachine *self = VMD_MACHINE (object);

  switch (prop_id)
    {
    case PROP_DOMAIN:     g_value_set_object (value, self->domain); break;
    case PROP_NAME:       g_value_set_string (value, vmd_machine_get_name (self)); break;
    case PROP_UUID:       g_value_set_string (value, vmd_machine_get_uuid (self)); break;
    case PROP_STATE:      g_value_set_enum (value, self->state); break;
    case PROP_CPU_USAGE:  g_value_set_double (value, self->cpu_usage); break;
    case PROP_MEMORY_KIB: g_value_set_uint64 (value, self->memory_kib); break;
    case PROP_CONNECTED:  g_value_set_boolean (value, self->connected); break;
    case PROP_DEFINITION_SERIAL: g_value_set_uint (value, self->definition_serial); break;
    case PROP_SHUTTING_DOWN:    g_value_set_boolean (value, self->shutting_down); break;
    case PROP_SHUTDOWN_OVERDUE: g_value_set_boolean (value, self->shutdown_overdue); break;
    case PROP_SHUTDOWN_TIMEOUT: g_value_set_uint (value, self->shutdown_timeout_s); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_machine_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VmdMachine *self = VMD_MACHINE (object);

  switch (prop_id)
    {
    case PROP_DOMAIN: self->domain = g_value_dup_object (value); break;
    case PROP_STATE:  self->state = g_value_get_enum (value); break;
    case PROP_SHUTDOWN_TIMEOUT: vmd_machine_set_shutdown_timeout (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_machine_class_init (VmdMachineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vmd_machine_constructed;
  object_class->dispose = vmd_machine_dispose;
  object_class->finalize = vmd_machine_finalize;
  object_class->get_property = vmd_machine_get_property;
  object_class->set_property = vmd_machine_set_property;

  /* Changes when the connection is made again: the machine stays, its handle is new. */
  properties[PROP_DOMAIN] =
    g_param_spec_object ("domain", NULL, NULL, GVIR_TYPE_DOMAIN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UUID] =
    g_param_spec_string ("uuid", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, VMD_TYPE_MACHINE_STATE, VMD_MACHINE_STATE_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CPU_USAGE] =
    g_param_spec_double ("cpu-usage", NULL, NULL, 0.0, 100.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEMORY_KIB] =
    g_param_spec_uint64 ("memory-kib", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* FALSE while its connection is lost or closed: its state may be stale then. */
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Counts the changes to the domain's definition that libvirt reported, whoever made them:
   * a redefinition, a rename, a revert, metadata, a device hot-plugged or unplugged. Whatever
   * shows the definition reads it again on notify. */
  properties[PROP_DEFINITION_SERIAL] =
    g_param_spec_uint ("definition-serial", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHUTTING_DOWN] =
    g_param_spec_boolean ("shutting-down", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHUTDOWN_OVERDUE] =
    g_param_spec_boolean ("shutdown-overdue", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHUTDOWN_TIMEOUT] =
    g_param_spec_uint ("shutdown-timeout", NULL, NULL, 1, 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The domain is gone for good: undefined, or not there when its connection came back. */
  signals[DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_machine_init (VmdMachine *self)
{
  self->connected = TRUE;
  self->shutdown_timeout_s = 60;
}

VmdMachine *
vmd_machine_new (GVirDomain      *domain,
                 VmdMachineState  state)
{
  g_return_val_if_fail (GVIR_IS_DOMAIN (domain), NULL);

  return g_object_new (VMD_TYPE_MACHINE, "domain", domain, "state", state, NULL);
}

GVirDomain *
vmd_machine_get_domain (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  return self->domain;
}

const char *
vmd_machine_get_name (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  return self->name;
}

/* For VmdConnection, which learns of renames from libvirt (libvirt-gobject does not tell). */
void
vmd_machine_set_name (VmdMachine *self,
                      const char *name)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

guint
vmd_machine_get_definition_serial (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), 0);
  return self->definition_serial;
}

/* For VmdConnection, which owns the libvirt callbacks that report such changes. */
void
vmd_machine_definition_changed (VmdMachine *self)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  self->definition_serial++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFINITION_SERIAL]);
}

const char *
vmd_machine_get_uuid (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  return self->uuid;
}

gboolean
vmd_machine_get_connected (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);
  return self->connected;
}

/* The connection that lists it, or NULL once it was deleted or its connection went away. */
VmdConnection *
vmd_machine_get_connection (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  return self->connection;
}

/* --- for VmdConnection: the life of a machine across reconnects ---------------------------------- */

void
vmd_machine_set_connection (VmdMachine    *self,
                            VmdConnection *connection)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  if (self->connection != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->connection), (gpointer *) &self->connection);
  self->connection = connection;
  if (connection != NULL)
    g_object_add_weak_pointer (G_OBJECT (connection), (gpointer *) &self->connection);
}

void
vmd_machine_set_connected (VmdMachine *self,
                           gboolean    connected)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

/* The same domain, seen through a new connection's handle; the events now come from it. */
void
vmd_machine_set_domain (VmdMachine *self,
                        GVirDomain *domain)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (GVIR_IS_DOMAIN (domain));
  g_return_if_fail (g_strcmp0 (gvir_domain_get_uuid (domain), self->uuid) == 0);

  if (self->domain == domain)
    return;
  if (self->domain != NULL)
    g_signal_handlers_disconnect_by_data (self->domain, self);
  g_set_object (&self->domain, domain);
  follow_domain_events (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOMAIN]);
}

void
vmd_machine_mark_deleted (VmdMachine *self)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  g_object_ref (self);
  vmd_machine_set_connected (self, FALSE);
  vmd_machine_set_connection (self, NULL);
  g_signal_emit (self, signals[DELETED], 0);
  g_object_unref (self);
}

VmdMachineState
vmd_machine_get_state (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), VMD_MACHINE_STATE_UNKNOWN);
  return self->state;
}

gboolean
vmd_machine_is_active (VmdMachine *self)
{
  return self->state == VMD_MACHINE_STATE_RUNNING ||
         self->state == VMD_MACHINE_STATE_PAUSED ||
         self->state == VMD_MACHINE_STATE_SUSPENDED;
}

double
vmd_machine_get_cpu_usage (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), 0.0);
  return self->cpu_usage;
}

/* Oldest first. */
const double *
vmd_machine_get_cpu_history (VmdMachine *self,
                             guint      *n_samples)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  *n_samples = self->n_cpu_samples;
  return self->cpu_history;
}

guint64
vmd_machine_get_memory_kib (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), 0);
  return self->memory_kib;
}

gboolean
vmd_machine_can (VmdMachine       *self,
                 VmdMachineAction  action)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), FALSE);

  switch (action)
    {
    case VMD_MACHINE_ACTION_START:
      return self->state == VMD_MACHINE_STATE_SHUT_OFF || self->state == VMD_MACHINE_STATE_CRASHED;
    case VMD_MACHINE_ACTION_SHUTDOWN:
    case VMD_MACHINE_ACTION_REBOOT:
    case VMD_MACHINE_ACTION_PAUSE:
      return self->state == VMD_MACHINE_STATE_RUNNING;
    case VMD_MACHINE_ACTION_RESUME:
      return self->state == VMD_MACHINE_STATE_PAUSED;
    case VMD_MACHINE_ACTION_FORCE_OFF:
      return vmd_machine_is_active (self);
    case VMD_MACHINE_ACTION_DELETE:
      return self->state != VMD_MACHINE_STATE_UNKNOWN;
    default:
      return FALSE;
    }
}

static void
clear_stats (VmdMachine *self)
{
  self->n_cpu_samples = 0;
  if (self->cpu_usage != 0.0)
    {
      self->cpu_usage = 0.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU_USAGE]);
    }
  if (self->memory_kib != 0)
    {
      self->memory_kib = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_KIB]);
    }
}

void
vmd_machine_set_state (VmdMachine      *self,
                       VmdMachineState  state)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  if (self->state == state)
    return;
  self->state = state;
  if (!vmd_machine_is_active (self))
    clear_stats (self);
  end_shutdown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
record_cpu (VmdMachine *self,
            double      cpu_usage)
{
  if (self->n_cpu_samples == VMD_MACHINE_CPU_HISTORY)
    {
      memmove (self->cpu_history, self->cpu_history + 1,
               (VMD_MACHINE_CPU_HISTORY - 1) * sizeof (double));
      self->n_cpu_samples--;
    }
  self->cpu_history[self->n_cpu_samples++] = cpu_usage;

  if (self->cpu_usage != cpu_usage)
    {
      self->cpu_usage = cpu_usage;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU_USAGE]);
    }
}

/* cpu_usage < 0: unknown (the test driver has no CPU time), so no line is drawn;
 * memory_kib 0: unknown. */
void
vmd_machine_record_stats (VmdMachine *self,
                          double      cpu_usage,
                          guint64     memory_kib)
{
  g_return_if_fail (VMD_IS_MACHINE (self));

  if (cpu_usage >= 0.0)
    record_cpu (self, cpu_usage);
  if (memory_kib != 0 && self->memory_kib != memory_kib)
    {
      self->memory_kib = memory_kib;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_KIB]);
    }
}

/* --- worker-thread calls ------------------------------------------------------------------- */

virDomainPtr
vmd_machine_dup_handle (VmdMachine *self)
{
  virDomainPtr handle = NULL;

  g_object_get (self->domain, "handle", &handle, NULL);
  return handle;
}

void
vmd_domain_call_free (DomainCall *call)
{
  g_clear_pointer (&call->handle, virDomainFree);
  g_free (call->name);
  g_strfreev (call->disk_paths);
  g_free (call->alias);
  g_free (call->command);
  g_free (call);
}

GTask *
vmd_domain_call_task_new (VmdMachine          *self,
                          gpointer             source_tag,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          DomainCall         **out_call)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  DomainCall *call = g_new0 (DomainCall, 1);

  g_task_set_source_tag (task, source_tag);
  call->handle = vmd_machine_dup_handle (self);
  /* For messages only: shown as the user can read it (vmd-display-name.h). */
  call->name = vmd_name_for_display (vmd_machine_get_name (self));
  g_task_set_task_data (task, call, (GDestroyNotify) vmd_domain_call_free);
  *out_call = call;
  return task;
}

/* For a call that needs nothing but the domain: func runs on a thread with its DomainCall. */
void
vmd_domain_call_run_in_thread (VmdMachine          *self,
                               gpointer             source_tag,
                               GTaskThreadFunc      func,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DomainCall *call;

  task = vmd_domain_call_task_new (self, source_tag, cancellable, callback, user_data, &call);
  g_task_run_in_thread (task, func);
}

/* Fails the task with libvirt's last error, after a sentence that says what could not be done. */
void
vmd_task_return_libvirt_error (GTask      *task,
                               const char *format,
                               ...)
{
  g_autofree char *what = NULL;
  GError *error = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  vmd_error_set_from_libvirt (&error, what);
  g_task_return_error (task, error);
}

static const char *
action_failure_format (VmdMachineAction action)
{
  switch (action)
    {
    case VMD_MACHINE_ACTION_START:     return _("Could not start “%s”");
    case VMD_MACHINE_ACTION_SHUTDOWN:  return _("Could not shut down “%s”");
    case VMD_MACHINE_ACTION_REBOOT:    return _("Could not reboot “%s”");
    case VMD_MACHINE_ACTION_PAUSE:     return _("Could not pause “%s”");
    case VMD_MACHINE_ACTION_RESUME:    return _("Could not resume “%s”");
    case VMD_MACHINE_ACTION_FORCE_OFF: return _("Could not force off “%s”");
    case VMD_MACHINE_ACTION_DELETE:
    default:                           return _("Could not delete “%s”");
    }
}

static int
call_libvirt (virDomainPtr     handle,
              VmdMachineAction action)
{
  switch (action)
    {
    case VMD_MACHINE_ACTION_START:     return vmd_machine_start_domain (handle);
    /* Flags 0, as virsh: the guest agent when there is one, else the ACPI power button. */
    case VMD_MACHINE_ACTION_SHUTDOWN:  return virDomainShutdownFlags (handle, 0);
    case VMD_MACHINE_ACTION_REBOOT:    return virDomainReboot (handle, 0);
    case VMD_MACHINE_ACTION_PAUSE:     return virDomainSuspend (handle);
    case VMD_MACHINE_ACTION_RESUME:    return virDomainResume (handle);
    case VMD_MACHINE_ACTION_FORCE_OFF: return virDomainDestroy (handle);
    case VMD_MACHINE_ACTION_DELETE:
    default:                           g_return_val_if_reached (-1);
    }
}

static void
run_action_in_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  DomainCall *call = task_data;

  if (call_libvirt (call->handle, call->action) < 0)
    {
      vmd_task_return_libvirt_error (task, action_failure_format (call->action), call->name);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* The call has run: a Shut Down that libvirt refused is no longer under way. */
static void
on_action_ran (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DomainCall *call = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (call->action == VMD_MACHINE_ACTION_SHUTDOWN)
        end_shutdown (VMD_MACHINE (source));
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* One entry point for the simple lifecycle calls; deletion has its own, as it needs choices. */
void
vmd_machine_run_action_async (VmdMachine          *self,
                              VmdMachineAction     action,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) call_task = NULL;
  DomainCall *call;

  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (action != VMD_MACHINE_ACTION_DELETE);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vmd_machine_run_action_async);
  if (!vmd_machine_can (self, action))
    {
      g_autofree char *name = vmd_name_for_display (self->name);

      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                               _("“%s” is %s: that action does not apply now"),
                               name, vmd_machine_state_to_label (self->state));
      return;
    }
  /* Not cancellable: once sent, the request stands whoever stops waiting for its answer. */
  call_task = vmd_domain_call_task_new (self, vmd_machine_run_action_async, NULL, on_action_ran,
                                    g_object_ref (task), &call);
  call->action = action;
  if (action == VMD_MACHINE_ACTION_SHUTDOWN)
    begin_shutdown (self);
  else
    end_shutdown (self);
  g_task_run_in_thread (call_task, run_action_in_thread);
}

gboolean
vmd_machine_run_action_finish (VmdMachine    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- state refresh, for machines that appear after the first load -------------------------- */

static void
get_state_in_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  DomainCall *call = task_data;
  GError *error = NULL;

  if (virDomainGetState (call->handle, &call->state, &call->reason, 0) < 0)
    {
      vmd_error_set_from_libvirt (&error, NULL);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_state_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  VmdMachine *self = VMD_MACHINE (source);
  DomainCall *call = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_debug ("state of %s: %s", call->name, error->message);
      return;
    }
  vmd_machine_set_state (self, vmd_machine_state_from_libvirt (call->state, call->reason));
}

void
vmd_machine_refresh_state_async (VmdMachine *self)
{
  vmd_domain_call_run_in_thread (self, vmd_machine_refresh_state_async, get_state_in_thread, NULL,
                             on_state_fetched, NULL);
}

