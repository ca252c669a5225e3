/* VmdMachineSpec, the copy for a worker thread: every field the copy's own, nothing shared with
 * the original the assistant goes on changing, and the copy frozen, so that nothing changes
 * under the worker either (each setter refuses it). */
#include "config.h"

#include <string.h>

#include "vmd-machine-spec-private.h"

/* Every string field, for finalize and copy: one list, so that neither forgets one. */
void
vmd_machine_spec_list_strings (VmdMachineSpec *self,
                               char          **strings[VMD_MACHINE_SPEC_N_STRINGS])
{
  char **all[VMD_MACHINE_SPEC_N_STRINGS] = {
    &self->name, &self->media_path, &self->kernel_args, &self->os_id, &self->os_name,
    &self->existing_path, &self->network_name, &self->bridge, &self->kernel_path,
    &self->initrd_path, &self->os_url, &self->serial_log, &self->suggested_name,
    &self->pool_name, &self->pool_path, &self->serial_log_dir,
  };

  memcpy (strings, all, sizeof all);
}

static GHashTable *
copy_table (GHashTable *table)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
  return copy;
}

/* Every field, each string and list its own: the copy shares nothing with the original. */
static void
copy_fields (VmdMachineSpec *copy,
             VmdMachineSpec *self)
{
  GObject parent = copy->parent_instance;
  char **mine[VMD_MACHINE_SPEC_N_STRINGS];
  char **theirs[VMD_MACHINE_SPEC_N_STRINGS];

  vmd_machine_spec_list_strings (copy, mine);
  vmd_machine_spec_list_strings (self, theirs);
  for (guint i = 0; i < VMD_MACHINE_SPEC_N_STRINGS; i++)
    g_clear_pointer (mine[i], g_free);
  /* The plain values at once; then what the copy must own, over the borrowed pointers. */
  *copy = *self;
  copy->parent_instance = parent;
  for (guint i = 0; i < VMD_MACHINE_SPEC_N_STRINGS; i++)
    *mine[i] = g_strdup (*theirs[i]);
  copy->taken_names = g_strdupv (self->taken_names);
  copy->host_bridges = g_strdupv (self->host_bridges);
  copy->host_networks = g_strdupv (self->host_networks);
  copy->inactive_networks = g_strdupv (self->inactive_networks);
  copy->session_bridges = self->session_bridges != NULL ? copy_table (self->session_bridges) : NULL;
  copy->disk_users = self->disk_users != NULL ? copy_table (self->disk_users) : NULL;
}

/* A snapshot for a worker thread, read-only: the assistant may go on changing the original
 * meanwhile, and nothing may change the copy under the worker (its setters refuse). */
VmdMachineSpec *
vmd_machine_spec_copy (VmdMachineSpec *self)
{
  VmdMachineSpec *copy;

  g_return_val_if_fail (VMD_IS_MACHINE_SPEC (self), NULL);
  copy = vmd_machine_spec_new ();
  copy_fields (copy, self);
  copy->frozen = TRUE;
  return copy;
}

gboolean
vmd_machine_spec_is_frozen (VmdMachineSpec *self)
{
  return self->frozen;
}
