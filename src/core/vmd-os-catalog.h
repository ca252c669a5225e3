/* VmdOsCatalog: libosinfo's OS database, loaded once off the main loop; search, media
 * identification and the resources each OS recommends. */
#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

#include "vmd-host-platform.h"

G_BEGIN_DECLS

/* What a new machine of an OS gets when the user changes nothing. */
typedef struct {
  guint64  memory_mib;
  guint64  minimum_memory_mib;
  guint    cpus;
  guint64  storage_gib;
  gboolean virtio;
} VmdOsDefaults;

#define VMD_TYPE_OS_CATALOG (vmd_os_catalog_get_type ())
G_DECLARE_FINAL_TYPE (VmdOsCatalog, vmd_os_catalog, VMD, OS_CATALOG, GObject)

VmdOsCatalog *vmd_os_catalog_get_default   (void);
gboolean      vmd_os_catalog_is_loaded     (VmdOsCatalog         *self);
void          vmd_os_catalog_load_async    (VmdOsCatalog         *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean      vmd_os_catalog_load_finish   (VmdOsCatalog         *self,
                                            GAsyncResult         *result,
                                            GError              **error);
gboolean      vmd_os_catalog_load_sync     (VmdOsCatalog         *self,
                                            GError              **error);
OsinfoDb     *vmd_os_catalog_get_db        (VmdOsCatalog         *self);
GPtrArray    *vmd_os_catalog_search        (VmdOsCatalog         *self,
                                            const char           *text,
                                            guint                 max_results);
OsinfoOs     *vmd_os_catalog_find          (VmdOsCatalog         *self,
                                            const char           *short_id);

void          vmd_os_catalog_get_defaults  (OsinfoOs             *os,
                                            VmdOsDefaults        *defaults);
gboolean      vmd_os_catalog_supports_virtio (OsinfoOs           *os);
void          vmd_os_catalog_get_platform  (OsinfoOs             *os,
                                            VmdOsPlatform        *platform);
char         *vmd_os_catalog_describe      (OsinfoOs             *os);

G_END_DECLS
