/* VmdDomainUsage: which machines use which network, bridge and disk, read from every domain's
 * XML in one pass (worker thread): what a delete must refuse, and what the lists show. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef struct {
  GHashTable *networks;   /* network name -> GPtrArray of machine names */
  GHashTable *disks;      /* volume path, or "pool/volume" -> GPtrArray of machine names */
} VmdDomainUsage;

VmdDomainUsage *vmd_domain_usage_scan  (virConnectPtr   conn,
                                        gboolean        running_only);
void            vmd_domain_usage_free  (VmdDomainUsage *usage);
GStrv           vmd_domain_usage_users (GHashTable     *table,
                                        const char     *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdDomainUsage, vmd_domain_usage_free)

G_END_DECLS
