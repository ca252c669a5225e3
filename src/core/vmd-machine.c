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
#include "vmd-error.h"
#include "vmd-machine.h"

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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  g_signal_connect_object (self->domain, "started", G_CALLBACK (on_domain_started), self, 0);
  g_signal_connect_object (self->domain, "resumed", G_CALLBACK (on_domain_started), self, 0);
  g_signal_connect_object (self->domain, "stopped", G_CALLBACK (on_domain_stopped), self, 0);
  g_signal_connect_object (self->domain, "stopped::crashed", G_CALLBACK (on_domain_crashed), self, 0);
  g_signal_connect_object (self->domain, "suspended", G_CALLBACK (on_domain_suspended), self, 0);
  g_signal_connect_object (self->domain, "pmsuspended", G_CALLBACK (on_domain_pmsuspended), self, 0);
}

/* --- GObject ------------------------------------------------------------------------------ */

static void
vmd_machine_constructed (GObject *object)
{
  VmdMachine *self = VMD_MACHINE (object);

  G_OBJECT_CLASS (vmd_machine_parent_class)->constructed (object);
  self->name = g_strdup (gvir_domain_get_name (self->domain));
  follow_domain_events (self);
}

static void
vmd_machine_dispose (GObject *object)
{
  VmdMachine *self = VMD_MACHINE (object);

  g_clear_object (&self->domain);
  g_clear_pointer (&self->name, g_free);
  G_OBJECT_CLASS (vmd_machine_parent_class)->dispose (object);
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
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_machine_class_init (VmdMachineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vmd_machine_constructed;
  object_class->dispose = vmd_machine_dispose;
  object_class->get_property = vmd_machine_get_property;
  object_class->set_property = vmd_machine_set_property;

  properties[PROP_DOMAIN] =
    g_param_spec_object ("domain", NULL, NULL, GVIR_TYPE_DOMAIN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_machine_init (VmdMachine *self)
{
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

const char *
vmd_machine_get_uuid (VmdMachine *self)
{
  g_return_val_if_fail (VMD_IS_MACHINE (self), NULL);
  return gvir_domain_get_uuid (self->domain);
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

static virDomainPtr
dup_handle (VmdMachine *self)
{
  virDomainPtr handle = NULL;

  g_object_get (self->domain, "handle", &handle, NULL);
  return handle;
}

typedef struct {
  virDomainPtr      handle;
  VmdMachineAction  action;
  char             *name;
  char            **disk_paths;
  int               state;
  int               reason;
  char             *alias;      /* consoles: the device; NULL for the first */
  char             *command;    /* monitor: the HMP command line */
  gboolean          force;      /* consoles: take over from another client */
} DomainCall;

static void
domain_call_free (DomainCall *call)
{
  g_clear_pointer (&call->handle, virDomainFree);
  g_free (call->name);
  g_strfreev (call->disk_paths);
  g_free (call->alias);
  g_free (call->command);
  g_free (call);
}

static GTask *
domain_call_task_new (VmdMachine          *self,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      DomainCall         **out_call)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  DomainCall *call = g_new0 (DomainCall, 1);

  g_task_set_source_tag (task, source_tag);
  call->handle = dup_handle (self);
  call->name = g_strdup (vmd_machine_get_name (self));
  g_task_set_task_data (task, call, (GDestroyNotify) domain_call_free);
  *out_call = call;
  return task;
}

/* For a call that needs nothing but the domain: func runs on a thread with its DomainCall. */
static void
run_domain_call_in_thread (VmdMachine          *self,
                           gpointer             source_tag,
                           GTaskThreadFunc      func,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DomainCall *call;

  task = domain_call_task_new (self, source_tag, cancellable, callback, user_data, &call);
  g_task_run_in_thread (task, func);
}

/* Fails the task with libvirt's last error, after a sentence that says what could not be done. */
static void G_GNUC_PRINTF (2, 3)
task_return_libvirt_error (GTask      *task,
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
    case VMD_MACHINE_ACTION_START:     return virDomainCreate (handle);
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
      task_return_libvirt_error (task, action_failure_format (call->action), call->name);
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
  DomainCall *call;

  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (action != VMD_MACHINE_ACTION_DELETE);

  task = domain_call_task_new (self, vmd_machine_run_action_async, cancellable, callback,
                               user_data, &call);
  call->action = action;

  if (!vmd_machine_can (self, action))
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                               _("“%s” is %s: that action does not apply now"),
                               call->name, vmd_machine_state_to_label (self->state));
      return;
    }
  g_task_run_in_thread (task, run_action_in_thread);
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
  run_domain_call_in_thread (self, vmd_machine_refresh_state_async, get_state_in_thread, NULL,
                             on_state_fetched, NULL);
}

/* --- disks and deletion ------------------------------------------------------------------- */

static gboolean
disk_is_readonly (GVirConfigDomainDisk *disk)
{
  g_autofree char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (disk));

  return strstr (xml, "<readonly/>") != NULL;
}

/* The local files and block devices a domain's XML names as writable disks; CD-ROMs, floppies
 * and read-only disks are install media, never offered for deletion. */
static void
collect_disks (const char *xml,
               gboolean    writable_only,
               GPtrArray  *paths,
               GPtrArray  *targets)
{
  g_autoptr(GError) error = NULL;
  GVirConfigDomain *config = gvir_config_domain_new_from_xml (xml, &error);
  GList *devices;

  if (config == NULL)
    return;

  devices = gvir_config_domain_get_devices (config);
  for (GList *l = devices; l != NULL; l = l->next)
    {
      GVirConfigDomainDisk *disk;
      GVirConfigDomainDiskType type;
      const char *source;

      if (!GVIR_CONFIG_IS_DOMAIN_DISK (l->data))
        continue;
      disk = GVIR_CONFIG_DOMAIN_DISK (l->data);
      type = gvir_config_domain_disk_get_disk_type (disk);
      source = gvir_config_domain_disk_get_source (disk);
      if (source == NULL ||
          (type != GVIR_CONFIG_DOMAIN_DISK_FILE && type != GVIR_CONFIG_DOMAIN_DISK_BLOCK))
        continue;
      if (writable_only &&
          gvir_config_domain_disk_get_guest_device_type (disk) != GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK)
        continue;
      if (writable_only && disk_is_readonly (disk))
        continue;
      g_ptr_array_add (paths, g_strdup (source));
      if (targets != NULL)
        g_ptr_array_add (targets, g_strdup (gvir_config_domain_disk_get_target_dev (disk)));
    }
  g_list_free_full (devices, g_object_unref);
  g_object_unref (config);
}

/* path -> name of another domain whose live or persistent definition uses it. */
static GHashTable *
disks_of_other_domains (virConnectPtr conn,
                        const char   *own_uuid)
{
  GHashTable *users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  virDomainPtr *domains = NULL;
  int n = virConnectListAllDomains (conn, &domains, 0);

  for (int i = 0; i < n; i++)
    {
      char uuid[VIR_UUID_STRING_BUFLEN];
      unsigned int flags[] = { 0, VIR_DOMAIN_XML_INACTIVE };

      if (virDomainGetUUIDString (domains[i], uuid) == 0 && g_strcmp0 (uuid, own_uuid) != 0)
        {
          for (guint f = 0; f < G_N_ELEMENTS (flags); f++)
            {
              g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
              g_autofree char *xml = virDomainGetXMLDesc (domains[i], flags[f]);

              if (xml == NULL)
                continue;
              collect_disks (xml, FALSE, paths, NULL);
              for (guint p = 0; p < paths->len; p++)
                g_hash_table_replace (users, g_strdup (paths->pdata[p]),
                                      g_strdup (virDomainGetName (domains[i])));
            }
        }
      virDomainFree (domains[i]);
    }
  free (domains);
  return users;
}

/* Pools learn of files only when refreshed; refresh once before giving up on a path. */
static virStorageVolPtr
lookup_volume (virConnectPtr conn,
               const char   *path)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);
  virStoragePoolPtr *pools = NULL;
  int n;

  if (vol != NULL)
    return vol;
  n = virConnectListAllStoragePools (conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
  for (int i = 0; i < n; i++)
    {
      virStoragePoolRefresh (pools[i], 0);
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  vol = virStorageVolLookupByPath (conn, path);
  virResetLastError ();
  return vol;
}

static GPtrArray *
disk_choices_for (virDomainPtr handle)
{
  GPtrArray *choices = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_disk_choice_free);
  virConnectPtr conn = virDomainGetConnect (handle);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) users = NULL;
  g_autofree char *xml = virDomainGetXMLDesc (handle, VIR_DOMAIN_XML_INACTIVE);

  if (xml == NULL)
    return choices;
  virDomainGetUUIDString (handle, uuid);
  collect_disks (xml, TRUE, paths, targets);
  users = disks_of_other_domains (conn, uuid);

  for (guint i = 0; i < paths->len; i++)
    {
      VmdDiskChoice *choice = g_new0 (VmdDiskChoice, 1);
      const char *user = g_hash_table_lookup (users, paths->pdata[i]);
      virStorageVolPtr vol = NULL;

      choice->path = g_strdup (paths->pdata[i]);
      choice->target = g_strdup (targets->pdata[i]);
      if (user != NULL)
        choice->reason = g_strdup_printf (_("Kept: “%s” uses it too"), user);
      else if ((vol = lookup_volume (conn, choice->path)) == NULL)
        choice->reason = g_strdup (_("Kept: it is not in a storage pool"));
      else
        choice->deletable = TRUE;
      g_clear_pointer (&vol, virStorageVolFree);
      g_ptr_array_add (choices, choice);
    }
  return choices;
}

static void
list_disks_in_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  DomainCall *call = task_data;

  g_task_return_pointer (task, disk_choices_for (call->handle), (GDestroyNotify) g_ptr_array_unref);
}

void
vmd_machine_list_disks_async (VmdMachine          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  run_domain_call_in_thread (self, vmd_machine_list_disks_async, list_disks_in_thread, cancellable,
                             callback, user_data);
}

/* Returns (transfer full) (element-type VmdDiskChoice). */
GPtrArray *
vmd_machine_list_disks_finish (VmdMachine    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
undefine (virDomainPtr handle)
{
  unsigned int flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
  g_autofree char *xml = virDomainGetXMLDesc (handle, VIR_DOMAIN_XML_INACTIVE);

  /* Only UEFI machines have NVRAM, and some drivers refuse the flag altogether. */
  if (xml != NULL && strstr (xml, "<nvram") != NULL)
    flags |= VIR_DOMAIN_UNDEFINE_NVRAM;
  return virDomainUndefineFlags (handle, flags) == 0;
}

/* Checked again here, not only when the dialog listed the disks: another machine may have
 * started to use one since. */
static gboolean
delete_disk (virDomainPtr  handle,
             const char   *path,
             GError      **error)
{
  g_autoptr(GPtrArray) choices = disk_choices_for (handle);
  virStorageVolPtr vol;
  int rc;

  for (guint i = 0; i < choices->len; i++)
    {
      VmdDiskChoice *choice = choices->pdata[i];

      if (g_strcmp0 (choice->path, path) != 0)
        continue;
      if (!choice->deletable)
        {
          g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_STATE, "%s: %s", path, choice->reason);
          return FALSE;
        }
      vol = lookup_volume (virDomainGetConnect (handle), path);
      rc = vol != NULL ? virStorageVolDelete (vol, 0) : -1;
      if (rc < 0)
        vmd_error_set_from_libvirt (error, path);
      g_clear_pointer (&vol, virStorageVolFree);
      return rc == 0;
    }
  g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND, _("%s is not one of its disks"), path);
  return FALSE;
}

static void
delete_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  DomainCall *call = task_data;
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  int persistent = virDomainIsPersistent (call->handle);

  if (virDomainIsActive (call->handle) == 1 && virDomainDestroy (call->handle) < 0)
    {
      task_return_libvirt_error (task, _("Could not force off “%s”"), call->name);
      return;
    }
  for (guint i = 0; call->disk_paths[i] != NULL; i++)
    {
      g_autoptr(GError) disk_error = NULL;

      if (!delete_disk (call->handle, call->disk_paths[i], &disk_error))
        g_ptr_array_add (failures, g_strdup (disk_error->message));
    }
  if (failures->len > 0)
    {
      g_ptr_array_add (failures, NULL);
      g_autofree char *joined = g_strjoinv ("\n", (char **) failures->pdata);
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_LIBVIRT,
                               _("“%s” was not deleted, because a disk could not be: %s"),
                               call->name, joined);
      return;
    }
  /* A transient domain disappeared when destroyed; a persistent one must be undefined. */
  if (persistent == 1 && !undefine (call->handle))
    {
      task_return_libvirt_error (task, _("Could not delete “%s”"), call->name);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Forces the machine off, deletes the given disks (each checked again: a volume that no other
 * domain uses), then undefines it, in virt-manager's order: when a disk fails, the machine is
 * still there for the user to look at, rather than a disk left behind with no machine. */
void
vmd_machine_delete_async (VmdMachine          *self,
                          const char * const  *disk_paths,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DomainCall *call;

  g_return_if_fail (VMD_IS_MACHINE (self));
  task = domain_call_task_new (self, vmd_machine_delete_async, cancellable, callback,
                               user_data, &call);
  call->action = VMD_MACHINE_ACTION_DELETE;
  call->disk_paths = disk_paths != NULL ? g_strdupv ((char **) disk_paths) : g_new0 (char *, 1);
  g_task_run_in_thread (task, delete_in_thread);
}

gboolean
vmd_machine_delete_finish (VmdMachine    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- consoles and monitor --- */

void
vmd_console_info_free (VmdConsoleInfo *info)
{
  g_clear_pointer (&info->consoles, g_ptr_array_unref);
  g_free (info->graphics_type);
  g_free (info->graphics_listen);
  g_free (info);
}

static void
console_device_free (VmdConsoleDevice *device)
{
  g_free (device->alias);
  g_free (device->label);
  g_free (device);
}

/* GMarkup state: which <serial>/<console>/<graphics> we are in and what it said so far. */
typedef struct {
  VmdConsoleInfo *info;
  int             depth_in_devices;
  char           *element;      /* "serial" or "console" while inside one */
  char           *chardev_type; /* its type='pty' */
  char           *target_type;  /* console target: serial, virtio, ... */
  int             port;
  char           *alias;
  guint           n_serials;
  guint           n_consoles;
  gboolean        in_graphics;
  gboolean        first_graphics;
  gboolean        seen_graphics;
} ConsoleParse;

static const char *
attribute (const char **names,
           const char **values,
           const char  *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return values[i];
  return NULL;
}

static int
attribute_int (const char **names,
               const char **values,
               const char  *name)
{
  const char *value = attribute (names, values, name);

  return value != NULL ? (int) g_ascii_strtoll (value, NULL, 10) : -1;
}

static void
start_graphics (ConsoleParse  *parse,
                const char   **names,
                const char   **values)
{
  const char *listen = attribute (names, values, "listen");

  parse->in_graphics = TRUE;
  /* Not graphics_type == NULL: a first <graphics> without a type is still the first (a second
   * one overwrote its listen address and leaked it; found by tests/fuzz/fuzz-serial). */
  parse->first_graphics = !parse->seen_graphics;
  parse->seen_graphics = TRUE;
  if (!parse->first_graphics)
    return;
  parse->info->graphics_type = g_strdup (attribute (names, values, "type"));
  parse->info->graphics_port = attribute_int (names, values, "port");
  parse->info->graphics_tls_port = attribute_int (names, values, "tlsPort");
  parse->info->graphics_listen = g_strdup (listen);
}

/* <listen type='address' address='...'/>, or type='none' for fd passing only. */
static void
start_graphics_listen (ConsoleParse  *parse,
                       const char   **names,
                       const char   **values)
{
  const char *type = attribute (names, values, "type");
  const char *address = attribute (names, values, "address");

  if (!parse->first_graphics)
    return;
  if (g_strcmp0 (type, "none") == 0 || g_strcmp0 (type, "socket") == 0)
    g_clear_pointer (&parse->info->graphics_listen, g_free);
  else if (address != NULL && parse->info->graphics_listen == NULL)
    parse->info->graphics_listen = g_strdup (address);
}

static void
on_start_element (GMarkupParseContext  *context,
                  const char           *element,
                  const char          **names,
                  const char          **values,
                  gpointer              user_data,
                  GError              **error)
{
  ConsoleParse *parse = user_data;

  if (g_str_equal (element, "devices"))
    parse->depth_in_devices = 1;
  else if (parse->depth_in_devices == 0)
    return;
  else if (parse->element == NULL && !parse->in_graphics &&
           (g_str_equal (element, "serial") || g_str_equal (element, "console")))
    {
      parse->element = g_strdup (element);
      parse->chardev_type = g_strdup (attribute (names, values, "type"));
      parse->port = -1;
    }
  else if (parse->element != NULL && g_str_equal (element, "target"))
    {
      g_free (parse->target_type);
      parse->target_type = g_strdup (attribute (names, values, "type"));
      parse->port = attribute_int (names, values, "port");
    }
  else if (parse->element != NULL && g_str_equal (element, "alias"))
    {
      g_free (parse->alias);
      parse->alias = g_strdup (attribute (names, values, "name"));
    }
  else if (parse->element == NULL && g_str_equal (element, "graphics"))
    start_graphics (parse, names, values);
  else if (parse->in_graphics && g_str_equal (element, "listen"))
    start_graphics_listen (parse, names, values);
}

static gboolean
has_console (VmdConsoleInfo *info,
             const char     *alias)
{
  for (guint i = 0; i < info->consoles->len; i++)
    if (g_str_equal (((VmdConsoleDevice *) info->consoles->pdata[i])->alias, alias))
      return TRUE;
  return FALSE;
}

/* A <console> whose target is a serial port is that port again: libvirt gives it the
 * serial's alias, and an inactive definition none at all, so it is skipped. */
static void
end_chardev (ConsoleParse *parse)
{
  gboolean serial = g_str_equal (parse->element, "serial");
  guint index = serial ? parse->n_serials++ : parse->n_consoles++;
  g_autofree char *alias = NULL;
  VmdConsoleDevice *device;

  if (!serial && (parse->target_type == NULL || g_str_equal (parse->target_type, "serial")))
    return;
  /* libvirt opens only pty-backed character devices as consoles. */
  if (g_strcmp0 (parse->chardev_type, "pty") != 0)
    return;
  alias = parse->alias != NULL ? g_strdup (parse->alias)
                               : g_strdup_printf ("%s%u", parse->element, index);
  if (has_console (parse->info, alias))
    return;
  device = g_new0 (VmdConsoleDevice, 1);
  device->alias = g_steal_pointer (&alias);
  if (serial)
    device->label = g_strdup_printf (_("Serial port %d"), (parse->port >= 0 ? parse->port : (int) index) + 1);
  else
    device->label = g_strdup_printf (_("Console %u (%s)"), index + 1, parse->target_type);
  g_ptr_array_add (parse->info->consoles, device);
}

static void
on_end_element (GMarkupParseContext  *context,
                const char           *element,
                gpointer              user_data,
                GError              **error)
{
  ConsoleParse *parse = user_data;

  if (g_str_equal (element, "devices"))
    parse->depth_in_devices = 0;
  else if (parse->element != NULL && g_str_equal (element, parse->element))
    {
      end_chardev (parse);
      g_clear_pointer (&parse->element, g_free);
      g_clear_pointer (&parse->chardev_type, g_free);
      g_clear_pointer (&parse->target_type, g_free);
      g_clear_pointer (&parse->alias, g_free);
    }
  else if (g_str_equal (element, "graphics"))
    parse->in_graphics = FALSE;
}

/* Returns NULL when the XML cannot be read. */
VmdConsoleInfo *
vmd_console_info_parse (const char *domain_xml)
{
  static const GMarkupParser parser = { on_start_element, on_end_element, NULL, NULL, NULL };
  g_autoptr(VmdConsoleInfo) info = g_new0 (VmdConsoleInfo, 1);
  g_autoptr(GMarkupParseContext) context = NULL;
  ConsoleParse parse = { info, };
  gboolean ok;

  info->consoles = g_ptr_array_new_with_free_func ((GDestroyNotify) console_device_free);
  info->graphics_port = -1;
  info->graphics_tls_port = -1;
  context = g_markup_parse_context_new (&parser, 0, &parse, NULL);
  ok = g_markup_parse_context_parse (context, domain_xml, -1, NULL) &&
       g_markup_parse_context_end_parse (context, NULL);
  g_free (parse.element);
  g_free (parse.chardev_type);
  g_free (parse.target_type);
  g_free (parse.alias);
  return ok ? g_steal_pointer (&info) : NULL;
}

static void
read_consoles_in_thread (GTask        *task,
                         gpointer      source,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  DomainCall *call = task_data;
  g_autofree char *xml = virDomainGetXMLDesc (call->handle, 0);
  VmdConsoleInfo *info;

  if (xml == NULL)
    {
      task_return_libvirt_error (task, _("Could not read the definition of “%s”"), call->name);
      return;
    }
  info = vmd_console_info_parse (xml);
  if (info == NULL)
    g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_FAILED,
                             _("The definition of “%s” could not be read"), call->name);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) vmd_console_info_free);
}

/* The live definition when it runs: it has the device aliases and the ports QEMU got. */
void
vmd_machine_read_consoles_async (VmdMachine          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  run_domain_call_in_thread (self, vmd_machine_read_consoles_async, read_consoles_in_thread,
                             cancellable, callback, user_data);
}

VmdConsoleInfo *
vmd_machine_read_consoles_finish (VmdMachine    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
free_stream (gpointer stream)
{
  virStreamFree (stream);
}

/* libvirt says "Active console session exists for this domain" with a generic code. */
static gboolean
console_busy (void)
{
  virErrorPtr last = virGetLastError ();

  return last != NULL && last->code == VIR_ERR_OPERATION_FAILED &&
         last->message != NULL && strstr (last->message, "console session") != NULL;
}

static void
open_console_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  DomainCall *call = task_data;
  virStreamPtr stream = virStreamNew (virDomainGetConnect (call->handle), VIR_STREAM_NONBLOCK);
  unsigned int flags = VIR_DOMAIN_CONSOLE_SAFE | (call->force ? VIR_DOMAIN_CONSOLE_FORCE : 0);

  if (stream != NULL && virDomainOpenConsole (call->handle, call->alias, stream, flags) == 0)
    {
      g_task_return_pointer (task, stream, free_stream);
      return;
    }
  if (console_busy ())
    {
      virResetLastError ();
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_CONSOLE_BUSY,
                               _("Another program is using the console of “%s”"), call->name);
    }
  else
    {
      task_return_libvirt_error (task, _("Could not open the console of “%s”"), call->name);
    }
  if (stream != NULL)
    virStreamFree (stream);
}

/* alias NULL opens the first console. Without force, a console another client (virsh console,
 * another VM Desk) holds fails with VMD_ERROR_CONSOLE_BUSY; with force it is taken over. */
void
vmd_machine_open_console_async (VmdMachine          *self,
                                const char          *alias,
                                gboolean             force,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DomainCall *call;

  g_return_if_fail (VMD_IS_MACHINE (self));
  task = domain_call_task_new (self, vmd_machine_open_console_async, cancellable, callback,
                               user_data, &call);
  call->alias = g_strdup (alias);
  call->force = force;
  g_task_run_in_thread (task, open_console_in_thread);
}

/* Returns (transfer full) a non-blocking stream; watch it on the main loop. */
GVirStream *
vmd_machine_open_console_finish (VmdMachine    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  virStreamPtr stream;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  stream = g_task_propagate_pointer (G_TASK (result), error);
  if (stream == NULL)
    return NULL;
  /* The GVirStream takes over our reference, as gvir_connection_get_stream() does. */
  return g_object_new (GVIR_TYPE_STREAM, "handle", stream, NULL);
}

static void
open_graphics_fd_in_thread (GTask        *task,
                            gpointer      source,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  DomainCall *call = task_data;
  int fd = virDomainOpenGraphicsFD (call->handle, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);

  if (fd < 0)
    {
      task_return_libvirt_error (task, _("Could not open the display of “%s”"), call->name);
      return;
    }
  g_task_return_int (task, fd);
}

/* A socket to the machine's first display, passed by libvirt: no TCP port, no password. Works
 * on local connections only. */
void
vmd_machine_open_graphics_fd_async (VmdMachine          *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  run_domain_call_in_thread (self, vmd_machine_open_graphics_fd_async, open_graphics_fd_in_thread,
                             cancellable, callback, user_data);
}

/* Returns a file descriptor the caller owns, or -1. */
int
vmd_machine_open_graphics_fd_finish (VmdMachine    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (int) g_task_propagate_int (G_TASK (result), error);
}

static void
monitor_command_in_thread (GTask        *task,
                           gpointer      source,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  DomainCall *call = task_data;
  char *reply = NULL;

  if (virDomainQemuMonitorCommand (call->handle, call->command, &reply,
                                   VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) < 0)
    {
      task_return_libvirt_error (task, _("The monitor of “%s” did not run “%s”"),
                                 call->name, call->command);
      return;
    }
  g_task_return_pointer (task, reply, free);
}

/* An HMP command ("info status") through libvirt; libvirt marks the domain tainted. */
void
vmd_machine_monitor_command_async (VmdMachine          *self,
                                   const char          *command,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DomainCall *call;

  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (command != NULL);
  task = domain_call_task_new (self, vmd_machine_monitor_command_async, cancellable, callback,
                               user_data, &call);
  call->command = g_strdup (command);
  g_task_run_in_thread (task, monitor_command_in_thread);
}

/* Returns (transfer full) the monitor's answer, as QEMU wrote it. */
char *
vmd_machine_monitor_command_finish (VmdMachine    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  char *reply;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  reply = g_task_propagate_pointer (G_TASK (result), error);
  /* libvirt allocates with malloc; hand the caller something g_free() may release. */
  if (reply != NULL)
    {
      char *copy = g_strdup (reply);

      free (reply);
      return copy;
    }
  return NULL;
}
