/* Shared by vmd-resources.c and vmd-resources-create.c only: a creation's data, handed to its
 * worker thread. */
#pragma once

#include <libvirt/libvirt.h>

#include "vmd-network-spec.h"
#include "vmd-storage-spec.h"

G_BEGIN_DECLS

typedef struct {
  virConnectPtr   conn;
  gboolean        local;
  VmdNetworkSpec *network;
  VmdPoolSpec    *pool;
  const char     *field;
} Create;


gboolean vmd_resources_create_network_sync (Create  *create,
                                            GError **error);
gboolean vmd_resources_create_pool_sync    (Create  *create,
                                            GError **error);

G_END_DECLS
