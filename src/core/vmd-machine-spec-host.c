/* VmdMachineSpec, the host's facts: what the checks need to know about the host the machine
 * will run on (the names taken, its bridges and networks, its memory and CPUs, the pool, where
 * it keeps logs), given by VmdInstaller from the connection's VmdHostFacts. None is the user's
 * choice, so none is a property; each change says "changed", for the checks. */
#include "config.h"

#include "vmd-machine-spec-private.h"

static void
replace_strv (GStrv              *field,
              const char * const *value)
{
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
}

void
vmd_machine_spec_set_pool (VmdMachineSpec *self,
                           const char     *pool_name,
                           const char     *pool_path,
                           guint64         free_bytes)
{
  vmd_machine_spec_choose_pool (self, pool_name, pool_path, free_bytes, TRUE);
}

/* The user's choice among the connection's pools (the installer gives `default` first). */
void
vmd_machine_spec_choose_pool (VmdMachineSpec *self,
                              const char     *pool_name,
                              const char     *pool_path,
                              guint64         free_bytes,
                              gboolean        active)
{
  gboolean renamed;

  g_return_if_fail (vmd_machine_spec_writable (self));
  renamed = vmd_machine_spec_replace_string (&self->pool_name, pool_name);
  vmd_machine_spec_replace_string (&self->pool_path, pool_path);
  self->pool_free_bytes = free_bytes;
  self->pool_active = active;
  if (renamed)
    g_object_notify (G_OBJECT (self), "pool-name");
  vmd_machine_spec_emit_changed (self);
}

/* The machines that use the volume at PATH already (a volume chosen in the pool browser knows
 * them), so that the check can name them; NULL or empty: none. */
void
vmd_machine_spec_set_disk_users (VmdMachineSpec     *self,
                                 const char         *path,
                                 const char * const *users)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  g_return_if_fail (path != NULL);
  if (self->disk_users == NULL)
    self->disk_users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (users == NULL || users[0] == NULL)
    g_hash_table_remove (self->disk_users, path);
  else
    g_hash_table_insert (self->disk_users, g_strdup (path),
                         g_strjoinv (", ", (char **) users));
  vmd_machine_spec_emit_changed (self);
}

const char *
vmd_machine_spec_get_pool_name (VmdMachineSpec *self)
{
  return self->pool_name;
}

/* An explicit log file for the serial port, where the host's folder is not the one wanted. */
void
vmd_machine_spec_set_serial_log (VmdMachineSpec *self,
                                 const char     *path)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  if (vmd_machine_spec_replace_string (&self->serial_log, path))
    vmd_machine_spec_emit_changed (self);
}

/* The host's folder for domain logs: the serial port logs there as NAME-serial0.log, so a
 * console opened later shows what the machine printed before. */
void
vmd_machine_spec_set_serial_log_dir (VmdMachineSpec *self,
                                     const char     *dir)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  if (vmd_machine_spec_replace_string (&self->serial_log_dir, dir))
    vmd_machine_spec_emit_changed (self);
}

char *
vmd_machine_spec_dup_serial_log (VmdMachineSpec *self)
{
  g_autofree char *file = NULL;

  if (self->serial_log != NULL)
    return g_strdup (self->serial_log);
  if (self->serial_log_dir == NULL || self->name == NULL)
    return NULL;
  file = g_strdup_printf ("%s-serial0.log", self->name);
  return g_build_filename (self->serial_log_dir, file, NULL);
}

void
vmd_machine_spec_set_taken_names (VmdMachineSpec     *self,
                                  const char * const *names)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  replace_strv (&self->taken_names, names);
  vmd_machine_spec_emit_changed (self);
}

/* For a qemu:///session machine: no virtual networks, and a bridge only where the bridge helper
 * may use it. PROBLEMS maps each such bridge to the reason and fix; NULL for a system daemon. */
void
vmd_machine_spec_set_session_bridges (VmdMachineSpec *self,
                                      GHashTable     *problems)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  g_clear_pointer (&self->session_bridges, g_hash_table_unref);
  self->session_bridges = problems != NULL ? g_hash_table_ref (problems) : NULL;
  vmd_machine_spec_emit_changed (self);
}

void
vmd_machine_spec_set_host_bridges (VmdMachineSpec     *self,
                                   const char * const *bridges)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  replace_strv (&self->host_bridges, bridges);
  vmd_machine_spec_emit_changed (self);
}

/* The connection's virtual networks, and which of them are not running. */
void
vmd_machine_spec_set_host_networks (VmdMachineSpec     *self,
                                    const char * const *networks,
                                    const char * const *inactive)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  replace_strv (&self->host_networks, networks);
  replace_strv (&self->inactive_networks, inactive);
  vmd_machine_spec_emit_changed (self);
}

/* TRUE when the chosen virtual network exists but is not running: creating the machine starts it. */
gboolean
vmd_machine_spec_network_needs_start (VmdMachineSpec *self)
{
  const char *source = vmd_machine_spec_get_network_source (self);

  return self->network_kind == VMD_NETWORK_NAT && self->inactive_networks != NULL &&
         source != NULL && g_strv_contains ((const char * const *) self->inactive_networks, source);
}

void
vmd_machine_spec_set_host_resources (VmdMachineSpec *self,
                                     guint64         memory_mib,
                                     guint           cpus)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  self->host_memory_mib = memory_mib;
  self->host_cpus = cpus;
  vmd_machine_spec_emit_changed (self);
}

/* The OS's minimum memory: less is allowed, with a warning. */
void
vmd_machine_spec_set_minimum (VmdMachineSpec *self,
                              guint64         memory_mib)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  self->minimum_memory_mib = memory_mib;
  vmd_machine_spec_emit_changed (self);
}
