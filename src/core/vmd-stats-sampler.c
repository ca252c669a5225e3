/* VmdStatsSampler: virConnectGetAllDomainStats once per interval in a worker thread (it blocks,
 * and may cross a network), then CPU% = delta cpu.time / (delta t * 1e9) / host CPUs, as
 * virt-manager's statsmanager.py computes it. */
#include "config.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-machine.h"
#include "vmd-error.h"
#include "vmd-stats-sampler.h"

struct _VmdStatsSampler
{
  GObject         parent_instance;

  GVirConnection *connection;
  GHashTable     *machines;       /* borrowed from the connection: uuid -> VmdMachine */
  GHashTable     *last_cpu;       /* uuid -> CpuMark */
  GCancellable   *cancellable;
  guint           interval_ms;
  guint           timeout_id;
  guint           host_cpus;
  guint           n_calls;
  gboolean        in_flight;
};

G_DEFINE_FINAL_TYPE (VmdStatsSampler, vmd_stats_sampler, G_TYPE_OBJECT)

enum { SAMPLED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  guint64 cpu_time_ns;
  gint64  when_us;
} CpuMark;

typedef struct {
  char     uuid[VIR_UUID_STRING_BUFLEN];
  gboolean has_cpu_time;
  guint64  cpu_time_ns;
  guint64  memory_kib;
} Sample;

typedef struct {
  virConnectPtr  conn;
  GHashTable    *needs_memory;    /* uuids of running machines whose memory is not known yet */
  GArray        *samples;
  gint64         when_us;
  guint          host_cpus;
} Tick;

static void
tick_free (Tick *tick)
{
  g_clear_pointer (&tick->conn, virConnectClose);
  g_clear_pointer (&tick->needs_memory, g_hash_table_unref);
  g_clear_pointer (&tick->samples, g_array_unref);
  g_free (tick);
}

static void
read_record (virDomainStatsRecordPtr record,
             Sample                 *sample)
{
  for (int i = 0; i < record->nparams; i++)
    {
      virTypedParameterPtr param = &record->params[i];

      if (g_str_equal (param->field, "cpu.time"))
        {
          sample->has_cpu_time = TRUE;
          sample->cpu_time_ns = param->value.ul;
        }
      else if (g_str_equal (param->field, "balloon.current"))
        sample->memory_kib = param->value.ul;
    }
}

static void
sample_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Tick *tick = task_data;
  virDomainStatsRecordPtr *records = NULL;
  int n;

  if (tick->host_cpus == 0)
    {
      virNodeInfo node;

      tick->host_cpus = virNodeGetInfo (tick->conn, &node) == 0 && node.cpus > 0 ? node.cpus : 1;
    }

  n = virConnectGetAllDomainStats (tick->conn,
                                   VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON,
                                   &records, VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
  tick->when_us = g_get_monotonic_time ();
  if (n < 0)
    {
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_LIBVIRT, "%s",
                               virGetLastErrorMessage ());
      return;
    }

  tick->samples = g_array_sized_new (FALSE, TRUE, sizeof (Sample), n);
  for (int i = 0; i < n; i++)
    {
      Sample sample = { 0 };
      virDomainInfo info;

      read_record (records[i], &sample);
      /* A record with nothing in it (the test driver has no CPU or balloon statistics) costs
       * nothing more: with thousands of machines, formatting their UUIDs every second would. */
      if (!sample.has_cpu_time && sample.memory_kib == 0 &&
          g_hash_table_size (tick->needs_memory) == 0)
        continue;
      if (virDomainGetUUIDString (records[i]->dom, sample.uuid) < 0)
        continue;
      /* Drivers without balloon statistics (the test driver) still know the memory. */
      if (sample.memory_kib == 0 && g_hash_table_contains (tick->needs_memory, sample.uuid) &&
          virDomainGetInfo (records[i]->dom, &info) == 0)
        sample.memory_kib = info.memory;
      g_array_append_val (tick->samples, sample);
    }
  virDomainStatsRecordListFree (records);
  g_task_return_boolean (task, TRUE);
}

static double
cpu_percent (VmdStatsSampler *self,
             const Sample    *sample,
             gint64           when_us)
{
  CpuMark *mark = g_hash_table_lookup (self->last_cpu, sample->uuid);
  double percent = -1.0;

  if (mark != NULL && when_us > mark->when_us && sample->cpu_time_ns >= mark->cpu_time_ns)
    {
      double busy_ns = (double) (sample->cpu_time_ns - mark->cpu_time_ns);
      double wall_ns = (double) (when_us - mark->when_us) * 1000.0;

      percent = CLAMP (busy_ns / wall_ns / self->host_cpus * 100.0, 0.0, 100.0);
    }
  if (mark == NULL)
    {
      mark = g_new0 (CpuMark, 1);
      g_hash_table_insert (self->last_cpu, g_strdup (sample->uuid), mark);
    }
  mark->cpu_time_ns = sample->cpu_time_ns;
  mark->when_us = when_us;
  return percent;
}

static void
apply_tick (VmdStatsSampler *self,
            Tick            *tick)
{
  gboolean changed = FALSE;

  self->host_cpus = tick->host_cpus;
  for (guint i = 0; i < tick->samples->len; i++)
    {
      const Sample *sample = &g_array_index (tick->samples, Sample, i);
      VmdMachine *machine = g_hash_table_lookup (self->machines, sample->uuid);
      double percent;

      if (machine == NULL || !vmd_machine_is_active (machine))
        continue;
      percent = sample->has_cpu_time ? cpu_percent (self, sample, tick->when_us) : -1.0;
      if (percent < 0.0 && sample->memory_kib == 0)
        continue;
      vmd_machine_record_stats (machine, percent, sample->memory_kib);
      changed = TRUE;
    }
  if (changed)
    g_signal_emit (self, signals[SAMPLED], 0);
}

static void
on_sampled (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  VmdStatsSampler *self = VMD_STATS_SAMPLER (source);

  self->in_flight = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("statistics: %s", error->message);
      return;
    }
  if (!g_cancellable_is_cancelled (self->cancellable))
    apply_tick (self, g_task_get_task_data (G_TASK (result)));
}

static GHashTable *
uuids_needing_memory (VmdStatsSampler *self)
{
  GHashTable *uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->machines);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (vmd_machine_is_active (value) && vmd_machine_get_memory_kib (value) == 0)
      g_hash_table_add (uuids, g_strdup (key));
  return uuids;
}

static gboolean
on_interval (gpointer user_data)
{
  VmdStatsSampler *self = user_data;
  g_autoptr(GTask) task = NULL;
  Tick *tick;

  /* A slow daemon must not pile up calls: skip a beat instead. */
  if (self->in_flight)
    return G_SOURCE_CONTINUE;

  tick = g_new0 (Tick, 1);
  g_object_get (self->connection, "handle", &tick->conn, NULL);
  if (tick->conn == NULL)
    {
      tick_free (tick);
      return G_SOURCE_CONTINUE;
    }
  tick->needs_memory = uuids_needing_memory (self);
  tick->host_cpus = self->host_cpus;

  task = g_task_new (self, self->cancellable, on_sampled, NULL);
  g_task_set_source_tag (task, on_interval);
  g_task_set_task_data (task, tick, (GDestroyNotify) tick_free);
  self->in_flight = TRUE;
  self->n_calls++;
  g_task_run_in_thread (task, sample_in_thread);
  return G_SOURCE_CONTINUE;
}

void
vmd_stats_sampler_start (VmdStatsSampler *self)
{
  g_return_if_fail (VMD_IS_STATS_SAMPLER (self));

  if (self->timeout_id != 0)
    return;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  on_interval (self);
  /* Whole seconds let GLib coalesce this wake-up with others, which keeps an idle app idle. */
  if (self->interval_ms % 1000 == 0)
    self->timeout_id = g_timeout_add_seconds (self->interval_ms / 1000, on_interval, self);
  else
    self->timeout_id = g_timeout_add (self->interval_ms, on_interval, self);
}

void
vmd_stats_sampler_stop (VmdStatsSampler *self)
{
  g_return_if_fail (VMD_IS_STATS_SAMPLER (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_hash_table_remove_all (self->last_cpu);
}

guint
vmd_stats_sampler_get_n_calls (VmdStatsSampler *self)
{
  return self->n_calls;
}

static void
vmd_stats_sampler_dispose (GObject *object)
{
  VmdStatsSampler *self = VMD_STATS_SAMPLER (object);

  vmd_stats_sampler_stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->machines, g_hash_table_unref);
  g_clear_pointer (&self->last_cpu, g_hash_table_unref);
  G_OBJECT_CLASS (vmd_stats_sampler_parent_class)->dispose (object);
}

static void
vmd_stats_sampler_class_init (VmdStatsSamplerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vmd_stats_sampler_dispose;

  /* Emitted once per interval in which some machine's figures changed, so a list can redraw
   * its visible rows once instead of once per machine. */
  signals[SAMPLED] = g_signal_new ("sampled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_stats_sampler_init (VmdStatsSampler *self)
{
  self->last_cpu = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

VmdStatsSampler *
vmd_stats_sampler_new (GVirConnection *connection,
                       GHashTable     *machines_by_uuid,
                       guint           interval_ms)
{
  VmdStatsSampler *self = g_object_new (VMD_TYPE_STATS_SAMPLER, NULL);

  self->connection = g_object_ref (connection);
  self->machines = g_hash_table_ref (machines_by_uuid);
  self->interval_ms = MAX (interval_ms, 100);
  return self;
}
