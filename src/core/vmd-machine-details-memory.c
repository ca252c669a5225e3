/* VmdMachineDetails, the Memory page's form: the maximum and current amounts, written where the
 * user changed them; a running machine's balloon follows within its maximum. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-machine-details-private.h"

typedef struct {
  gboolean        has_base;
  gboolean        overwrite;
  VmdMemoryFields base;
  VmdMemoryFields mine;
  VmdMemoryFields merged;
} MemoryChange;

static char *
rewrite_memory (const VmdMachineConfig  *current,
                const char              *xml,
                gpointer                 data,
                GError                 **error)
{
  MemoryChange *change = data;
  VmdMemoryFields now = vmd_memory_fields_of (current);

  if (!vmd_memory_fields_merge (change->has_base ? &change->base : NULL, &change->mine, &now,
                                change->overwrite, &change->merged, error))
    return NULL;
  return vmd_domain_xml_set_memory (xml, change->merged.max_kib, change->merged.current_kib, error);
}

static void
memory_live (VmdDetailsEdit *edit,
             gpointer        data)
{
  const VmdMemoryFields *memory = &((MemoryChange *) data)->merged;
  virDomainInfo info;

  if (virDomainGetInfo (edit->handle, &info) < 0)
    return;
  if (info.maxMem != memory->max_kib)
    vmd_details_edit_add_note (edit, _("The new maximum memory applies at the next boot."));
  if (memory->current_kib > info.maxMem)
    vmd_details_edit_add_note (edit, _("The running machine keeps its memory: the new amount is above its maximum."));
  else if (info.memory != memory->current_kib &&
           virDomainSetMemoryFlags (edit->handle, memory->current_kib, VIR_DOMAIN_AFFECT_LIVE) < 0)
    vmd_details_edit_note_live_failure (edit, _("The new memory size"));
}

static gboolean
apply_memory (VmdDetailsEdit  *edit,
              gpointer         change,
              GError         **error)
{
  return vmd_details_edit_rewrite (edit, rewrite_memory, memory_live, change, error);
}

void
vmd_machine_details_set_memory_async (VmdMachineDetails     *self,
                                      const VmdMemoryFields *base,
                                      const VmdMemoryFields *mine,
                                      VmdEditFlags           flags,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  MemoryChange *change = g_new0 (MemoryChange, 1);

  change->overwrite = (flags & VMD_EDIT_OVERWRITE) != 0;
  change->has_base = base != NULL;
  if (base != NULL)
    change->base = *base;
  change->mine = *mine;
  vmd_machine_details_run_edit (self, vmd_machine_details_new_edit (self, apply_memory, change, g_free),
                                vmd_machine_details_set_memory_async, cancellable, callback, user_data);
}
