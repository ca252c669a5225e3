/* A connection to tests/unit/data/resources.xml (libvirt's test driver) with its networks and
 * pools loaded, and helpers that wait for async results and count what libvirt has. */
#pragma once

#include <libvirt/libvirt.h>

#include "vmd-connection.h"
#include "vmd-resources.h"

typedef struct {
  VmdConnection *connection;
  VmdResources  *resources;
  virConnectPtr  handle;
  char          *scratch;     /* a temporary folder, removed at tear-down */
} ResourcesFixture;

void          resources_fixture_set_up    (ResourcesFixture *fixture,
                                           gconstpointer     data);
void          resources_fixture_tear_down (ResourcesFixture *fixture,
                                           gconstpointer     data);
GAsyncResult *resources_wait              (GAsyncResult    **slot);
int           resources_count_networks    (ResourcesFixture *fixture);
int           resources_count_pools       (ResourcesFixture *fixture);
int           resources_count_volumes     (ResourcesFixture *fixture,
                                           const char       *pool);
VmdStoragePool *resources_pool            (ResourcesFixture *fixture,
                                           const char       *name);
