/* What VmdResources' creations do in their worker thread: the checks against the host as it is
 * now, then libvirt's define, build and start, undone when a later step fails, so a network or
 * pool is made whole or not at all. */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmd-error.h"
#include "vmd-network.h"
#include "vmd-resources-private.h"

static void
add_interface_names (GStrvBuilder *names,
                     virConnectPtr conn,
                     gboolean      local)
{
  virInterfacePtr *ifaces = NULL;
  int n = virConnectListAllInterfaces (conn, &ifaces, 0);
  g_autoptr(GDir) dir = local ? g_dir_open ("/sys/class/net", 0, NULL) : NULL;
  const char *name;

  for (int i = 0; i < n; i++)
    {
      g_strv_builder_add (names, virInterfaceGetName (ifaces[i]));
      virInterfaceFree (ifaces[i]);
    }
  free (ifaces);
  virResetLastError ();
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_strv_builder_add (names, name);
}

/* What the host has now, asked at the moment of creation. */
static VmdNetworkContext *
context_from_libvirt (virConnectPtr conn,
                      gboolean      local)
{
  VmdNetworkContext *context = vmd_network_context_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  virNetworkPtr *networks = NULL;
  int n = virConnectListAllNetworks (conn, &networks, 0);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(VmdNetworkInfo) info = vmd_network_info_load (networks[i], NULL);

      vmd_network_context_add (context, info->name, info->bridge, (const char * const *) info->subnets);
      virNetworkFree (networks[i]);
    }
  free (networks);
  virResetLastError ();
  add_interface_names (names, conn, local);
  context->interfaces = g_strv_builder_end (names);
  return context;
}

gboolean
vmd_resources_create_network_sync (Create  *create,
                                   GError **error)
{
  g_autoptr(VmdNetworkContext) context = context_from_libvirt (create->conn, create->local);
  g_autofree char *xml = NULL;
  virNetworkPtr network;

  if (!vmd_network_spec_validate (create->network, context, &create->field, error))
    return FALSE;
  xml = vmd_network_spec_to_xml (create->network);
  network = virNetworkDefineXML (create->conn, xml);
  if (network == NULL)
    {
      vmd_error_set_from_libvirt (error, _("The network was not created"));
      return FALSE;
    }
  /* All or nothing: a network that does not start is not left defined. */
  if (virNetworkCreate (network) < 0 ||
      (create->network->autostart && virNetworkSetAutostart (network, 1) < 0))
    {
      vmd_error_set_from_libvirt (error, _("The network did not start"));
      virNetworkDestroy (network);
      virNetworkUndefine (network);
      virResetLastError ();
      virNetworkFree (network);
      return FALSE;
    }
  virNetworkFree (network);
  return TRUE;
}

static void
undo_pool (virStoragePoolPtr pool,
           gboolean          built)
{
  virStoragePoolDestroy (pool);
  if (built)
    virStoragePoolDelete (pool, 0);
  virStoragePoolUndefine (pool);
  virResetLastError ();
  virStoragePoolFree (pool);
}

/* libvirt formats a device only when asked to, and never over a filesystem or volume group it
 * finds there: that would be someone's data. */
static unsigned int
build_flags (const VmdPoolSpec *spec)
{
  if (spec->type == VMD_POOL_TYPE_FS || spec->type == VMD_POOL_TYPE_LOGICAL ||
      spec->type == VMD_POOL_TYPE_DISK)
    return VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
  return 0;
}

gboolean
vmd_resources_create_pool_sync (Create  *create,
                                GError **error)
{
  g_autofree char *xml = NULL;
  virStoragePoolPtr pool;
  gboolean built = FALSE;

  if (!vmd_pool_spec_validate (create->pool, create->conn, create->local, &create->field, error))
    return FALSE;
  xml = vmd_pool_spec_to_xml (create->pool);
  pool = virStoragePoolDefineXML (create->conn, xml, 0);
  if (pool == NULL)
    {
      vmd_error_set_from_libvirt (error, _("The pool was not created"));
      return FALSE;
    }
  if (create->pool->build && !(built = virStoragePoolBuild (pool, build_flags (create->pool)) == 0))
    vmd_error_set_from_libvirt (error, _("The pool's storage was not made"));
  else if (virStoragePoolCreate (pool, 0) < 0)
    vmd_error_set_from_libvirt (error, _("The pool did not start"));
  else if (create->pool->autostart && virStoragePoolSetAutostart (pool, 1) < 0)
    vmd_error_set_from_libvirt (error, _("The pool's autostart was not set"));
  else
    {
      virStoragePoolFree (pool);
      return TRUE;
    }
  undo_pool (pool, built);
  return FALSE;
}

