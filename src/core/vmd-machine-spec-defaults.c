/* VmdMachineSpec, the defaults: what the spec proposes (an OS's recommended resources, a name
 * from the OS) and how each gives way to the user. A value still equal to the proposal made
 * last was not changed by the user, so a later proposal (an OS detected late, another
 * connection's names) may replace it; a value of the user's own stays. */
#include "config.h"

#include "vmd-machine-spec-private.h"

/* An OS's recommendations: each replaces what the spec holds only while that is still the
 * previous recommendation (or the first one), so a detection that comes late keeps the user's
 * own choice. */
void
vmd_machine_spec_apply_defaults (VmdMachineSpec *self,
                                 guint64         memory_mib,
                                 guint           vcpus,
                                 guint64         disk_gib,
                                 guint64         minimum_memory_mib)
{
  gboolean first = self->default_memory_mib == 0;

  g_return_if_fail (vmd_machine_spec_writable (self));
  g_object_freeze_notify (G_OBJECT (self));
  if (first || self->memory_mib == self->default_memory_mib)
    vmd_machine_spec_set_memory_mib (self, memory_mib);
  if (first || self->vcpus == self->default_vcpus)
    vmd_machine_spec_set_vcpus (self, vcpus);
  if (first || self->disk_size_gib == self->default_disk_gib)
    vmd_machine_spec_set_disk_size_gib (self, disk_gib);
  self->default_memory_mib = memory_mib;
  self->default_vcpus = vcpus;
  self->default_disk_gib = disk_gib;
  g_object_thaw_notify (G_OBJECT (self));
  vmd_machine_spec_set_minimum (self, minimum_memory_mib);
}

/* "debian11", then "debian11-2", "debian11-3", ... as virt-manager does. */
char *
vmd_machine_spec_suggest_name (VmdMachineSpec *self)
{
  const char *base = self->os_id != NULL && *self->os_id != '\0' ? self->os_id : "generic";
  const char * const *taken = (const char * const *) self->taken_names;
  char *name = g_strdup (base);

  for (guint i = 2; taken != NULL && g_strv_contains (taken, name); i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s-%u", base, i);
    }
  return name;
}

/* The name follows the OS (and the names taken) until the user gives one of their own: a name
 * still equal to the last suggestion, or none at all yet, is not the user's. */
void
vmd_machine_spec_apply_suggested_name (VmdMachineSpec *self)
{
  g_autofree char *name = vmd_machine_spec_suggest_name (self);
  gboolean users = g_strcmp0 (self->name, self->suggested_name) != 0;

  g_return_if_fail (vmd_machine_spec_writable (self));
  /* Replaced first, so a handler of the name's notify sees it suggested. */
  vmd_machine_spec_replace_string (&self->suggested_name, name);
  if (!users)
    vmd_machine_spec_set_name (self, name);
}

gboolean
vmd_machine_spec_name_is_suggested (VmdMachineSpec *self)
{
  return self->name != NULL && g_strcmp0 (self->name, self->suggested_name) == 0;
}
