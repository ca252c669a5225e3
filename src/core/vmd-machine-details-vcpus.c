/* VmdMachineDetails, the vCPUs page: the count (a form: hot-plugged up to the running maximum,
 * the rest at the next boot, and the note says which) and `virsh vcpuinfo`. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "vmd-machine-details-private.h"

/* --- the count ---------------------------------------------------------------------------------- */

typedef struct {
  gboolean      has_base;
  gboolean      overwrite;
  VmdVcpuFields base;
  VmdVcpuFields mine;
  VmdVcpuFields merged;
} VcpuChange;

static char *
rewrite_vcpus (const VmdMachineConfig  *current,
               const char              *xml,
               gpointer                 data,
               GError                 **error)
{
  VcpuChange *change = data;
  VmdVcpuFields now = vmd_vcpu_fields_of (current);

  if (!vmd_vcpu_fields_merge (change->has_base ? &change->base : NULL, &change->mine, &now,
                              change->overwrite, &change->merged, error))
    return NULL;
  return vmd_domain_xml_set_vcpus (xml, change->merged.max, change->merged.current, error);
}

static void
vcpus_live (VmdDetailsEdit *edit,
            gpointer        data)
{
  const VmdVcpuFields *vcpus = &((VcpuChange *) data)->merged;
  int live_max = virDomainGetVcpusFlags (edit->handle, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM);
  int live_current = virDomainGetVcpusFlags (edit->handle, VIR_DOMAIN_AFFECT_LIVE);

  virResetLastError ();
  if (live_max >= 0 && (guint) live_max != vcpus->max)
    vmd_details_edit_add_note (edit, _("The new maximum number of vCPUs applies at the next boot."));
  if (live_current < 0 || (guint) live_current == vcpus->current)
    return;
  if (live_max >= 0 && vcpus->current > (guint) live_max)
    vmd_details_edit_add_note (edit, _("The running machine keeps its vCPUs: the new number is above its maximum."));
  else if (virDomainSetVcpusFlags (edit->handle, vcpus->current, VIR_DOMAIN_AFFECT_LIVE) < 0)
    vmd_details_edit_note_live_failure (edit, _("The new number of vCPUs"));
}

static gboolean
apply_vcpus (VmdDetailsEdit  *edit,
             gpointer         change,
             GError         **error)
{
  return vmd_details_edit_rewrite (edit, rewrite_vcpus, vcpus_live, change, error);
}

void
vmd_machine_details_set_vcpus_async (VmdMachineDetails   *self,
                                     const VmdVcpuFields *base,
                                     const VmdVcpuFields *mine,
                                     VmdEditFlags         flags,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  VcpuChange *change = g_new0 (VcpuChange, 1);

  change->overwrite = (flags & VMD_EDIT_OVERWRITE) != 0;
  change->has_base = base != NULL;
  if (base != NULL)
    change->base = *base;
  change->mine = *mine;
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_vcpus, change, g_free),
                                vmd_machine_details_set_vcpus_async, cancellable, callback, user_data);
}

/* --- vcpuinfo ------------------------------------------------------------------------------------ */

void
vmd_vcpu_info_free (VmdVcpuInfo *info)
{
  g_free (info->state);
  g_free (info->affinity);
  g_free (info);
}

/* "0-3,6" from a libvirt CPU map. */
static char *
format_cpumap (const unsigned char *map,
               int                  n_host_cpus)
{
  GString *out = g_string_new (NULL);

  for (int cpu = 0; cpu < n_host_cpus; cpu++)
    {
      int last = cpu;

      if (!VIR_CPU_USABLE (map, VIR_CPU_MAPLEN (n_host_cpus), 0, cpu))
        continue;
      while (last + 1 < n_host_cpus && VIR_CPU_USABLE (map, VIR_CPU_MAPLEN (n_host_cpus), 0, last + 1))
        last++;
      if (out->len > 0)
        g_string_append_c (out, ',');
      if (last == cpu)
        g_string_append_printf (out, "%d", cpu);
      else
        g_string_append_printf (out, "%d-%d", cpu, last);
      cpu = last;
    }
  return g_string_free (out, FALSE);
}

static const char *
vcpu_state_name (int state)
{
  switch (state)
    {
    case VIR_VCPU_OFFLINE: return "offline";
    case VIR_VCPU_RUNNING: return "running";
    case VIR_VCPU_BLOCKED: return "blocked";
    default:               return "unknown";
    }
}

static VmdVcpuInfo *
vcpu_info (const virVcpuInfo   *info,
           guint                index,
           const unsigned char *map,
           int                  n_host)
{
  VmdVcpuInfo *vcpu = g_new0 (VmdVcpuInfo, 1);

  vcpu->number = info != NULL ? info->number : index;
  vcpu->state = info != NULL ? g_strdup (vcpu_state_name (info->state)) : NULL;
  vcpu->cpu = info != NULL ? info->cpu : -1;
  vcpu->cpu_time_ns = info != NULL ? info->cpuTime : 0;
  vcpu->affinity = format_cpumap (map, n_host);
  return vcpu;
}

/* Of a running machine, each vCPU's state and host CPU; of one that is off, its pinning. */
static GPtrArray *
list_vcpus (VmdDetailsEdit  *edit,
            GError         **error)
{
  int n_host = virNodeGetCPUMap (virDomainGetConnect (edit->handle), NULL, NULL, 0);
  gboolean active = vmd_details_edit_is_active (edit);
  int n = virDomainGetVcpusFlags (edit->handle, active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG);
  int maplen = VIR_CPU_MAPLEN (MAX (n_host, 1));
  g_autofree virVcpuInfoPtr info = NULL;
  g_autofree unsigned char *maps = NULL;
  GPtrArray *vcpus;
  int got = -1;

  if (n_host >= 0 && n >= 0)
    {
      info = g_new0 (virVcpuInfo, n);
      maps = g_new0 (unsigned char, (gsize) n * maplen);
      got = active ? virDomainGetVcpus (edit->handle, info, n, maps, maplen)
                   : virDomainGetVcpuPinInfo (edit->handle, n, maps, maplen, VIR_DOMAIN_AFFECT_CONFIG);
    }
  if (got < 0)
    {
      vmd_details_edit_fail (edit, _("Could not read the vCPUs of “%s”"), error);
      return NULL;
    }
  vcpus = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_vcpu_info_free);
  for (int i = 0; i < got; i++)
    g_ptr_array_add (vcpus, vcpu_info (active ? &info[i] : NULL, (guint) i, maps + (gsize) i * maplen, n_host));
  return vcpus;
}

static void
list_vcpus_in_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *vcpus = list_vcpus (task_data, &error);

  if (vcpus == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, vcpus, (GDestroyNotify) g_ptr_array_unref);
}

void
vmd_machine_details_list_vcpus_async (VmdMachineDetails   *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  vmd_machine_details_run_read (self, list_vcpus_in_thread, vmd_machine_details_list_vcpus_async,
                                cancellable, callback, user_data);
}

/* Returns (transfer full) (element-type VmdVcpuInfo). */
GPtrArray *
vmd_machine_details_list_vcpus_finish (VmdMachineDetails  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  return vmd_machine_details_read_finish (self, result, error);
}
