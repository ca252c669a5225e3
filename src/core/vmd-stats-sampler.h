/* VmdStatsSampler: one bulk statistics call per connection and interval, for every running
 * machine at once, turned into CPU% and memory on each VmdMachine. */
#pragma once

#include <gio/gio.h>
#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

#define VMD_TYPE_STATS_SAMPLER (vmd_stats_sampler_get_type ())
G_DECLARE_FINAL_TYPE (VmdStatsSampler, vmd_stats_sampler, VMD, STATS_SAMPLER, GObject)

/* machines_by_uuid: uuid string -> VmdMachine, kept current by the connection. */
VmdStatsSampler *vmd_stats_sampler_new        (GVirConnection  *connection,
                                               GHashTable      *machines_by_uuid,
                                               guint            interval_ms);
void             vmd_stats_sampler_start      (VmdStatsSampler *self);
void             vmd_stats_sampler_stop       (VmdStatsSampler *self);
guint            vmd_stats_sampler_get_n_calls (VmdStatsSampler *self);

G_END_DECLS
