/* VmdResources: follows the connection's state. While connected, libvirt's network and pool
 * lifecycle events (and pool refreshes) ask for a reload, coalesced over RELOAD_DELAY_MS and read
 * in a worker thread; the objects stay across reloads and reconnects, keyed by UUID. */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-connection.h"
#include "vmd-domain-usage.h"
#include "vmd-error.h"
#include "vmd-guest-addresses.h"
#include "vmd-resources.h"
#include "vmd-resources-private.h"

#define RELOAD_DELAY_MS 50
#define LEASE_INTERVAL_MS 2000

struct _VmdResources
{
  GObject        parent_instance;

  VmdConnection *connection;     /* weak: the connection owns us */
  virConnectPtr  handle;         /* while connected */
  int            network_event;
  int            pool_event;
  int            pool_refresh_event;
  GListStore    *networks;       /* of VmdNetwork, by name */
  GListStore    *pools;          /* of VmdStoragePool, by name */
  gboolean       loaded;
  guint          reload_id;
  GCancellable  *cancellable;

  GHashTable    *addresses;      /* machine uuid -> VmdGuestAddresses */
  guint          lease_interval_ms;
  guint          lease_id;
  gboolean       lease_poll_running;
  char          *last_leases;
};

G_DEFINE_FINAL_TYPE (VmdResources, vmd_resources, G_TYPE_OBJECT)

enum { PROP_0, PROP_LOADED, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { LEASES_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void schedule_reload (VmdResources *self);

static void
close_handle (gpointer handle)
{
  virConnectClose (handle);
}

/* --- reading everything (worker thread) ----------------------------------------------------------- */

typedef struct {
  GPtrArray *networks;   /* of VmdNetworkInfo */
  GPtrArray *pools;      /* of VmdStoragePoolInfo */
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_ptr_array_unref (snapshot->networks);
  g_ptr_array_unref (snapshot->pools);
  g_free (snapshot);
}

static void
load_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  virConnectPtr conn = task_data;
  g_autoptr(VmdDomainUsage) usage = vmd_domain_usage_scan (conn, FALSE);
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  virNetworkPtr *networks = NULL;
  virStoragePoolPtr *pools = NULL;
  int n_networks = virConnectListAllNetworks (conn, &networks, 0);
  int n_pools = virConnectListAllStoragePools (conn, &pools, 0);

  snapshot->networks = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_network_info_free);
  snapshot->pools = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_storage_pool_info_free);
  for (int i = 0; i < n_networks; i++)
    {
      g_ptr_array_add (snapshot->networks, vmd_network_info_load (networks[i], usage));
      virNetworkFree (networks[i]);
    }
  for (int i = 0; i < n_pools; i++)
    {
      g_ptr_array_add (snapshot->pools, vmd_storage_pool_info_load (pools[i], usage));
      virStoragePoolFree (pools[i]);
    }
  free (networks);
  free (pools);
  virResetLastError ();
  g_task_return_pointer (task, snapshot, (GDestroyNotify) snapshot_free);
}

/* --- applying it ------------------------------------------------------------------------------------ */

static int
compare_networks (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return g_strcmp0 (vmd_network_get_name ((VmdNetwork *) a), vmd_network_get_name ((VmdNetwork *) b));
}

static int
compare_pools (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return g_strcmp0 (vmd_storage_pool_get_name ((VmdStoragePool *) a),
                    vmd_storage_pool_get_name ((VmdStoragePool *) b));
}

typedef const char *(*TextOf) (gpointer object);

typedef struct {
  TextOf            uuid_of;
  TextOf            name_of;
  const char     *(*info_uuid) (gpointer info);
  gpointer        (*make) (gpointer info);
  void            (*update) (gpointer object, gpointer info);
  GCompareDataFunc  compare;
} Kind;

static gboolean
find_uuid (GListStore *store, const Kind *kind, const char *uuid, guint *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint j = 0; j < n; j++)
    {
      g_autoptr(GObject) candidate = g_list_model_get_item (G_LIST_MODEL (store), j);

      if (g_strcmp0 (kind->uuid_of (candidate), uuid) == 0)
        {
          *position = j;
          return TRUE;
        }
    }
  return FALSE;
}

/* The store gets exactly the snapshot's set: objects found by UUID are updated in place (moved
 * only when their name changed, so a list's selection stays), new ones added, missing ones
 * removed. */
static void
sync_store (GListStore *store,
            GPtrArray  *infos,
            const Kind *kind)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < infos->len; i++)
    {
      gpointer info = g_steal_pointer (&infos->pdata[i]);
      guint position;

      g_hash_table_add (seen, g_strdup (kind->info_uuid (info)));
      if (find_uuid (store, kind, kind->info_uuid (info), &position))
        {
          g_autoptr(GObject) object = g_list_model_get_item (G_LIST_MODEL (store), position);
          g_autofree char *old_name = g_strdup (kind->name_of (object));

          kind->update (object, info);
          if (g_strcmp0 (old_name, kind->name_of (object)) == 0)
            continue;
          g_list_store_remove (store, position);
          g_list_store_insert_sorted (store, object, kind->compare, NULL);
        }
      else
        {
          g_autoptr(GObject) object = kind->make (info);

          g_list_store_insert_sorted (store, object, kind->compare, NULL);
        }
    }
  for (guint j = g_list_model_get_n_items (G_LIST_MODEL (store)); j > 0; j--)
    {
      g_autoptr(GObject) object = g_list_model_get_item (G_LIST_MODEL (store), j - 1);

      if (!g_hash_table_contains (seen, kind->uuid_of (object)))
        g_list_store_remove (store, j - 1);
    }
}

static const char *
network_uuid (gpointer object)
{
  return vmd_network_get_uuid (object);
}

static const char *
network_name (gpointer object)
{
  return vmd_network_get_name (object);
}

static const char *
network_info_uuid (gpointer info)
{
  return ((VmdNetworkInfo *) info)->uuid;
}

static gpointer
make_network (gpointer info)
{
  return vmd_network_new (info);
}

static void
update_network (gpointer object, gpointer info)
{
  vmd_network_update (object, info);
}

static const char *
pool_uuid (gpointer object)
{
  return vmd_storage_pool_get_uuid (object);
}

static const char *
pool_name (gpointer object)
{
  return vmd_storage_pool_get_name (object);
}

static const char *
pool_info_uuid (gpointer info)
{
  return ((VmdStoragePoolInfo *) info)->uuid;
}

static gpointer
make_pool (gpointer info)
{
  return vmd_storage_pool_new (info);
}

static void
update_pool (gpointer object, gpointer info)
{
  vmd_storage_pool_update (object, info);
}

static const Kind network_kind = { network_uuid, network_name, network_info_uuid, make_network,
                                   update_network, compare_networks };
static const Kind pool_kind = { pool_uuid, pool_name, pool_info_uuid, make_pool, update_pool,
                                compare_pools };

static void
apply (VmdResources *self,
       Snapshot     *snapshot)
{
  g_ptr_array_set_free_func (snapshot->networks, NULL);
  g_ptr_array_set_free_func (snapshot->pools, NULL);
  sync_store (self->networks, snapshot->networks, &network_kind);
  sync_store (self->pools, snapshot->pools, &pool_kind);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) outer = user_data;
  VmdResources *self = g_task_get_source_object (outer);
  GError *error = NULL;
  Snapshot *snapshot = g_task_propagate_pointer (G_TASK (result), &error);

  if (snapshot == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  apply (self, snapshot);
  snapshot_free (snapshot);
  g_task_return_boolean (outer, TRUE);
}

void
vmd_resources_reload_async (VmdResources        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;

  g_task_set_source_tag (outer, vmd_resources_reload_async);
  if (self->handle == NULL)
    {
      g_task_return_new_error (outer, VMD_ERROR, VMD_ERROR_NOT_CONNECTED,
                               _("Not connected to %s."), vmd_connection_get_uri (self->connection));
      g_object_unref (outer);
      return;
    }
  inner = g_task_new (NULL, cancellable, on_loaded, outer);
  virConnectRef (self->handle);
  g_task_set_task_data (inner, self->handle, close_handle);
  g_task_run_in_thread (inner, load_in_thread);
}

gboolean
vmd_resources_reload_finish (VmdResources  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_event_reloaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!vmd_resources_reload_finish (VMD_RESOURCES (source), result, &error))
    g_debug ("resources: %s", error->message);
}

static gboolean
on_reload_due (gpointer user_data)
{
  VmdResources *self = user_data;

  self->reload_id = 0;
  vmd_resources_reload_async (self, self->cancellable, on_event_reloaded, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_reload (VmdResources *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (RELOAD_DELAY_MS, on_reload_due, self);
}

/* --- events ------------------------------------------------------------------------------------------ */

static void
on_network_event (virConnectPtr conn, virNetworkPtr network, int event, int detail, void *opaque)
{
  schedule_reload (opaque);
}

static void
on_pool_event (virConnectPtr conn, virStoragePoolPtr pool, int event, int detail, void *opaque)
{
  schedule_reload (opaque);
}

static void
on_pool_refreshed (virConnectPtr conn, virStoragePoolPtr pool, void *opaque)
{
  schedule_reload (opaque);
}

static void
stop_watching (VmdResources *self)
{
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->lease_id, g_source_remove);
  if (self->handle == NULL)
    return;
  if (self->network_event >= 0)
    virConnectNetworkEventDeregisterAny (self->handle, self->network_event);
  if (self->pool_event >= 0)
    virConnectStoragePoolEventDeregisterAny (self->handle, self->pool_event);
  if (self->pool_refresh_event >= 0)
    virConnectStoragePoolEventDeregisterAny (self->handle, self->pool_refresh_event);
  self->network_event = self->pool_event = self->pool_refresh_event = -1;
  virResetLastError ();
  g_clear_pointer (&self->handle, virConnectClose);
}

static void start_lease_polling (VmdResources *self);

static void
start_watching (VmdResources *self)
{
  GVirConnection *gconn = vmd_connection_get_gvir (self->connection);

  stop_watching (self);
  if (gconn == NULL)
    return;
  g_object_get (gconn, "handle", &self->handle, NULL);
  if (self->handle == NULL)
    return;
  self->network_event = virConnectNetworkEventRegisterAny (
    self->handle, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE, VIR_NETWORK_EVENT_CALLBACK (on_network_event),
    self, NULL);
  self->pool_event = virConnectStoragePoolEventRegisterAny (
    self->handle, NULL, VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
    VIR_STORAGE_POOL_EVENT_CALLBACK (on_pool_event), self, NULL);
  self->pool_refresh_event = virConnectStoragePoolEventRegisterAny (
    self->handle, NULL, VIR_STORAGE_POOL_EVENT_ID_REFRESH,
    VIR_STORAGE_POOL_EVENT_CALLBACK (on_pool_refreshed), self, NULL);
  virResetLastError ();
  schedule_reload (self);
  start_lease_polling (self);
}

static void
on_connection_state (VmdConnection *connection,
                     GParamSpec    *pspec,
                     VmdResources  *self)
{
  if (vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_CONNECTED)
    start_watching (self);
  else
    stop_watching (self);
}

/* --- creating (worker thread) --------------------------------------------------------------------------- */

static void
create_free (Create *create)
{
  g_clear_pointer (&create->conn, virConnectClose);
  g_clear_pointer (&create->network, vmd_network_spec_free);
  g_clear_pointer (&create->pool, vmd_pool_spec_free);
  g_free (create);
}

static void
create_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Create *create = task_data;
  GError *error = NULL;
  gboolean ok = create->network != NULL ? vmd_resources_create_network_sync (create, &error)
                                     : vmd_resources_create_pool_sync (create, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_created_reloaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) outer = user_data;

  vmd_resources_reload_finish (VMD_RESOURCES (source), result, NULL);
  g_task_return_boolean (outer, TRUE);
}

/* The new network or pool is in the lists when the caller hears of it. */
static void
on_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *outer = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      g_object_unref (outer);
      return;
    }
  vmd_resources_reload_async (g_task_get_source_object (outer), NULL, on_created_reloaded, outer);
}

static void
start_create (VmdResources        *self,
              Create              *create,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;

  g_task_set_source_tag (outer, vmd_resources_create_finish);
  g_task_set_task_data (outer, create, (GDestroyNotify) create_free);
  if (self->handle == NULL)
    {
      g_task_return_new_error (outer, VMD_ERROR, VMD_ERROR_NOT_CONNECTED,
                               _("Not connected to %s."), vmd_connection_get_uri (self->connection));
      g_object_unref (outer);
      return;
    }
  virConnectRef (self->handle);
  create->conn = self->handle;
  create->local = vmd_host_facts_get_is_local (vmd_connection_get_host_facts (self->connection));
  inner = g_task_new (NULL, cancellable, on_created, outer);
  g_task_set_task_data (inner, create, NULL);
  g_task_run_in_thread (inner, create_in_thread);
}

void
vmd_resources_create_network_async (VmdResources         *self,
                                    const VmdNetworkSpec *spec,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  Create *create = g_new0 (Create, 1);

  create->network = vmd_network_spec_copy (spec);
  start_create (self, create, cancellable, callback, user_data);
}

/* Defines the pool, builds it when spec->build, starts it; all or nothing. */
void
vmd_resources_create_pool_async (VmdResources        *self,
                                 const VmdPoolSpec   *spec,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Create *create = g_new0 (Create, 1);

  create->pool = vmd_pool_spec_copy (spec);
  start_create (self, create, cancellable, callback, user_data);
}

/* field: the VMD_NETWORK_FIELD_* or VMD_POOL_FIELD_* a bad input is about, or NULL. */
gboolean
vmd_resources_create_finish (VmdResources  *self,
                             GAsyncResult  *result,
                             const char   **field,
                             GError       **error)
{
  Create *create;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  create = g_task_get_task_data (G_TASK (result));
  if (field != NULL)
    *field = create->field;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- leases and guest addresses ---------------------------------------------------------------------- */

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/* Every active network's leases as one sorted text: what changed is all that matters. */
static void
leases_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  virConnectPtr conn = task_data;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  virNetworkPtr *networks = NULL;
  int n = virConnectListAllNetworks (conn, &networks, VIR_CONNECT_LIST_NETWORKS_ACTIVE);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GPtrArray) leases = vmd_network_read_leases (networks[i], NULL);

      for (guint j = 0; leases != NULL && j < leases->len; j++)
        {
          VmdNetworkLease *lease = leases->pdata[j];

          g_ptr_array_add (lines, g_strdup_printf ("%s %s %s", virNetworkGetName (networks[i]),
                                                   lease->mac, lease->address));
        }
      virNetworkFree (networks[i]);
    }
  free (networks);
  virResetLastError ();
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  g_task_return_pointer (task, g_strjoinv ("\n", (GStrv) lines->pdata), g_free);
}

static void
on_leases_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VmdResources) self = user_data;
  g_autofree char *leases = g_task_propagate_pointer (G_TASK (result), NULL);

  self->lease_poll_running = FALSE;
  if (leases == NULL || g_strcmp0 (leases, self->last_leases) == 0)
    return;
  g_free (self->last_leases);
  self->last_leases = g_steal_pointer (&leases);
  g_signal_emit (self, signals[LEASES_CHANGED], 0);
}

static gboolean
on_lease_poll_due (gpointer user_data)
{
  VmdResources *self = user_data;
  g_autoptr(GTask) task = NULL;

  if (self->handle == NULL || self->lease_poll_running || g_hash_table_size (self->addresses) == 0)
    return G_SOURCE_CONTINUE;
  self->lease_poll_running = TRUE;
  task = g_task_new (NULL, self->cancellable, on_leases_read, g_object_ref (self));
  virConnectRef (self->handle);
  g_task_set_task_data (task, self->handle, close_handle);
  g_task_run_in_thread (task, leases_in_thread);
  return G_SOURCE_CONTINUE;
}

/* Leases are polled only while some machine's addresses are asked for: libvirt has no event
 * for a new lease. */
static void
start_lease_polling (VmdResources *self)
{
  g_clear_handle_id (&self->lease_id, g_source_remove);
  if (self->handle != NULL && g_hash_table_size (self->addresses) > 0)
    self->lease_id = g_timeout_add (self->lease_interval_ms, on_lease_poll_due, self);
}

/* The machine's addresses, one object per machine for as long as the connection lives. */
VmdGuestAddresses *
vmd_resources_get_addresses (VmdResources *self,
                             VmdMachine   *machine)
{
  VmdGuestAddresses *addresses;

  g_return_val_if_fail (VMD_IS_RESOURCES (self), NULL);
  addresses = g_hash_table_lookup (self->addresses, vmd_machine_get_uuid (machine));
  if (addresses != NULL)
    return addresses;
  addresses = vmd_guest_addresses_new (machine);
  g_hash_table_insert (self->addresses, g_strdup (vmd_machine_get_uuid (machine)), addresses);
  g_signal_connect_object (self, "leases-changed", G_CALLBACK (vmd_guest_addresses_refresh),
                           addresses, G_CONNECT_SWAPPED);
  if (self->lease_id == 0)
    start_lease_polling (self);
  return addresses;
}

void
vmd_resources_set_lease_interval (VmdResources *self,
                                  guint         interval_ms)
{
  g_return_if_fail (VMD_IS_RESOURCES (self));
  self->lease_interval_ms = MAX (interval_ms, 100);
  if (self->lease_id != 0)
    start_lease_polling (self);
}

/* --- reading ------------------------------------------------------------------------------------------- */

VmdConnection *
vmd_resources_get_connection (VmdResources *self)
{
  g_return_val_if_fail (VMD_IS_RESOURCES (self), NULL);
  return self->connection;
}

GListModel *
vmd_resources_get_networks (VmdResources *self)
{
  g_return_val_if_fail (VMD_IS_RESOURCES (self), NULL);
  return G_LIST_MODEL (self->networks);
}

GListModel *
vmd_resources_get_pools (VmdResources *self)
{
  g_return_val_if_fail (VMD_IS_RESOURCES (self), NULL);
  return G_LIST_MODEL (self->pools);
}

gboolean
vmd_resources_get_loaded (VmdResources *self)
{
  g_return_val_if_fail (VMD_IS_RESOURCES (self), FALSE);
  return self->loaded;
}

static gpointer
find_by_name (GListModel  *model,
              const char  *name,
              const char *(*name_of) (gpointer))
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) object = g_list_model_get_item (model, i);

      if (g_strcmp0 (name_of (object), name) == 0)
        return object;
    }
  return NULL;
}

VmdNetwork *
vmd_resources_find_network (VmdResources *self,
                            const char   *name)
{
  g_return_val_if_fail (VMD_IS_RESOURCES (self), NULL);
  return find_by_name (G_LIST_MODEL (self->networks), name, network_name);
}

VmdStoragePool *
vmd_resources_find_pool (VmdResources *self,
                         const char   *name)
{
  g_return_val_if_fail (VMD_IS_RESOURCES (self), NULL);
  return find_by_name (G_LIST_MODEL (self->pools), name, pool_name);
}

/* For checks as the user types: the networks listed now and the host's bridges as its facts
 * know them. Creation checks again against libvirt itself. */
VmdNetworkContext *
vmd_resources_network_context (VmdResources *self)
{
  VmdNetworkContext *context = vmd_network_context_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->networks));
  const char * const *bridges = vmd_host_facts_get_bridges (vmd_connection_get_host_facts (self->connection));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VmdNetwork) network = g_list_model_get_item (G_LIST_MODEL (self->networks), i);

      vmd_network_context_add (context, vmd_network_get_name (network), vmd_network_get_bridge (network),
                               vmd_network_get_subnets (network));
    }
  context->interfaces = g_strdupv ((GStrv) bridges);
  return context;
}

/* --- GObject ------------------------------------------------------------------------------------------- */

static void
vmd_resources_dispose (GObject *object)
{
  VmdResources *self = VMD_RESOURCES (object);

  g_cancellable_cancel (self->cancellable);
  stop_watching (self);
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      g_object_remove_weak_pointer (G_OBJECT (self->connection), (gpointer *) &self->connection);
      self->connection = NULL;
    }
  g_hash_table_remove_all (self->addresses);
  G_OBJECT_CLASS (vmd_resources_parent_class)->dispose (object);
}

static void
vmd_resources_finalize (GObject *object)
{
  VmdResources *self = VMD_RESOURCES (object);

  g_clear_object (&self->networks);
  g_clear_object (&self->pools);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->addresses);
  g_free (self->last_leases);
  G_OBJECT_CLASS (vmd_resources_parent_class)->finalize (object);
}

static void
vmd_resources_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_LOADED: g_value_set_boolean (value, VMD_RESOURCES (object)->loaded); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_resources_class_init (VmdResourcesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vmd_resources_dispose;
  object_class->finalize = vmd_resources_finalize;
  object_class->get_property = vmd_resources_get_property;
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[LEASES_CHANGED] = g_signal_new ("leases-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_resources_init (VmdResources *self)
{
  self->networks = g_list_store_new (VMD_TYPE_NETWORK);
  self->pools = g_list_store_new (VMD_TYPE_STORAGE_POOL);
  self->cancellable = g_cancellable_new ();
  self->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->lease_interval_ms = LEASE_INTERVAL_MS;
  self->network_event = self->pool_event = self->pool_refresh_event = -1;
}

VmdResources *
vmd_resources_new (VmdConnection *connection)
{
  VmdResources *self = g_object_new (VMD_TYPE_RESOURCES, NULL);

  self->connection = connection;
  g_object_add_weak_pointer (G_OBJECT (connection), (gpointer *) &self->connection);
  g_signal_connect (connection, "notify::state", G_CALLBACK (on_connection_state), self);
  if (vmd_connection_get_state (connection) == VMD_CONNECTION_STATE_CONNECTED)
    start_watching (self);
  return self;
}
