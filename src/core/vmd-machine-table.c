/* VmdMachineTable: a VmdMachine lives as long as its domain. While its connection is lost or
 * closed, a listed machine sleeps here (connected = FALSE); when the daemon lists its domain
 * again it is the same object with the new handle swapped in, so every window that holds it
 * carries on; a machine not listed again, or undefined, is told it was deleted. */
#include "config.h"

#include "vmd-machine-table.h"

struct _VmdMachineTable
{
  VmdConnection *owner;      /* the connection whose machines these are (it owns us) */
  GListStore    *machines;   /* of VmdMachine, sorted by name */
  GHashTable    *by_uuid;    /* uuid -> VmdMachine, borrowed from machines */
  GHashTable    *sleeping;   /* uuid -> VmdMachine (owned): listed before, not now */
};

VmdMachineTable *
vmd_machine_table_new (VmdConnection *owner)
{
  VmdMachineTable *self = g_new0 (VmdMachineTable, 1);

  self->owner = owner;
  self->machines = g_list_store_new (VMD_TYPE_MACHINE);
  self->by_uuid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sleeping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return self;
}

/* The connection goes away: what it listed or kept is gone with it. */
void
vmd_machine_table_free (VmdMachineTable *self)
{
  if (self == NULL)
    return;
  vmd_machine_table_put_to_sleep (self);
  vmd_machine_table_end_sleep (self);
  g_object_unref (self->machines);
  g_hash_table_unref (self->by_uuid);
  g_hash_table_unref (self->sleeping);
  g_free (self);
}

GListModel *
vmd_machine_table_get_model (VmdMachineTable *self)
{
  return G_LIST_MODEL (self->machines);
}

/* uuid -> VmdMachine of the listed machines, for the statistics sampler. */
GHashTable *
vmd_machine_table_get_index (VmdMachineTable *self)
{
  return self->by_uuid;
}

VmdMachine *
vmd_machine_table_lookup (VmdMachineTable *self,
                          const char      *uuid)
{
  return g_hash_table_lookup (self->by_uuid, uuid);
}

VmdMachine *
vmd_machine_table_find_by_name (VmdMachineTable *self,
                                const char      *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->machines));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i);

      if (g_strcmp0 (vmd_machine_get_name (machine), name) == 0)
        return machine;
    }
  return NULL;
}

static int
compare_machines (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  return g_utf8_collate (vmd_machine_get_name ((VmdMachine *) a),
                         vmd_machine_get_name ((VmdMachine *) b));
}

static int
compare_machine_ptrs (gconstpointer a,
                      gconstpointer b)
{
  return compare_machines (*(VmdMachine **) a, *(VmdMachine **) b, NULL);
}

/* (transfer full) The sleeping machine of the domain woken, or a new one for a domain never
 * seen; indexed, not yet in the list. */
static VmdMachine *
wake_or_make (VmdMachineTable *self,
              GVirDomain      *domain,
              VmdMachineState  state)
{
  g_autoptr(VmdMachine) machine = NULL;
  g_autofree char *uuid = NULL;

  if (g_hash_table_steal_extended (self->sleeping, gvir_domain_get_uuid (domain),
                                   (gpointer *) &uuid, (gpointer *) &machine))
    {
      vmd_machine_set_domain (machine, domain);
      vmd_machine_set_state (machine, state);
      vmd_machine_set_name (machine, gvir_domain_get_name (domain));
      vmd_machine_set_connected (machine, TRUE);
      /* It may have been redefined while we were away. */
      vmd_machine_definition_changed (machine);
    }
  else
    machine = vmd_machine_new (domain, state);
  if (vmd_machine_get_state (machine) == VMD_MACHINE_STATE_UNKNOWN)
    vmd_machine_refresh_state_async (machine);
  vmd_machine_set_connection (machine, self->owner);
  g_hash_table_insert (self->by_uuid, g_strdup (gvir_domain_get_uuid (domain)), machine);
  return g_steal_pointer (&machine);
}

/* A domain defined, or listed by an event before the initial list arrived: duplicates are
 * ignored. */
void
vmd_machine_table_add (VmdMachineTable *self,
                       GVirDomain      *domain,
                       VmdMachineState  state)
{
  g_autoptr(VmdMachine) machine = NULL;

  if (g_hash_table_contains (self->by_uuid, gvir_domain_get_uuid (domain)))
    return;
  machine = wake_or_make (self, domain, state);
  g_list_store_insert_sorted (self->machines, machine, compare_machines, NULL);
}

/* The initial list, in one items-changed rather than one per machine; states: uuid ->
 * VmdMachineState. Those still sleeping afterwards were deleted while we were away. */
void
vmd_machine_table_add_all (VmdMachineTable *self,
                           GList           *domains,
                           GHashTable      *states)
{
  g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func (g_object_unref);

  for (GList *l = domains; l != NULL; l = l->next)
    {
      const char *uuid = gvir_domain_get_uuid (l->data);

      if (!g_hash_table_contains (self->by_uuid, uuid))
        g_ptr_array_add (machines, wake_or_make (self, l->data,
                                                 GPOINTER_TO_INT (g_hash_table_lookup (states, uuid))));
    }
  g_ptr_array_sort (machines, compare_machine_ptrs);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->machines)) == 0)
    g_list_store_splice (self->machines, 0, 0, machines->pdata, machines->len);
  else  /* some came by events meanwhile: keep the order */
    for (guint i = 0; i < machines->len; i++)
      g_list_store_insert_sorted (self->machines, machines->pdata[i], compare_machines, NULL);
  vmd_machine_table_end_sleep (self);
}

/* libvirt may report one removal twice (stop of a transient domain, then undefine). */
void
vmd_machine_table_remove (VmdMachineTable *self,
                          const char      *uuid)
{
  VmdMachine *found = g_hash_table_lookup (self->by_uuid, uuid);
  g_autoptr(VmdMachine) machine = found != NULL ? g_object_ref (found) : NULL;
  guint position;

  if (machine == NULL)
    return;
  /* Out of the index first: what listens to the list's items-changed looks machines up there. */
  g_hash_table_remove (self->by_uuid, uuid);
  if (g_list_store_find (self->machines, machine, &position))
    g_list_store_remove (self->machines, position);
  vmd_machine_mark_deleted (machine);
}

/* The machine moves to its new place in the sorted list. */
void
vmd_machine_table_rename (VmdMachineTable *self,
                          VmdMachine      *found,
                          const char      *name)
{
  g_autoptr(VmdMachine) machine = g_object_ref (found);
  guint position;

  if (g_list_store_find (self->machines, machine, &position))
    g_list_store_remove (self->machines, position);
  vmd_machine_set_name (machine, name);
  g_list_store_insert_sorted (self->machines, machine, compare_machines, NULL);
}

/* The connection is lost or closed: the listed machines wait, unlisted, for it to come back. */
void
vmd_machine_table_put_to_sleep (VmdMachineTable *self)
{
  GHashTableIter iter;
  gpointer uuid, machine;

  g_hash_table_iter_init (&iter, self->by_uuid);
  while (g_hash_table_iter_next (&iter, &uuid, &machine))
    {
      vmd_machine_set_connected (machine, FALSE);
      g_hash_table_insert (self->sleeping, g_strdup (uuid), g_object_ref (machine));
    }
  g_hash_table_remove_all (self->by_uuid);
  g_list_store_remove_all (self->machines);
}

/* Those still sleeping are gone: deleted meanwhile, or their connection is. */
void
vmd_machine_table_end_sleep (VmdMachineTable *self)
{
  GHashTableIter iter;
  gpointer machine;
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);

  g_hash_table_iter_init (&iter, self->sleeping);
  while (g_hash_table_iter_next (&iter, NULL, &machine))
    g_ptr_array_add (gone, g_object_ref (machine));
  g_hash_table_remove_all (self->sleeping);
  for (guint i = 0; i < gone->len; i++)
    vmd_machine_mark_deleted (gone->pdata[i]);
}
