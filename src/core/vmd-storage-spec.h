/* VmdPoolSpec and VmdVolumeSpec: what the Create Pool and Create Volume dialogs collect,
 * checked in the worker thread against the host (each problem names its field) and turned into
 * libvirt's XML. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef enum {
  VMD_POOL_TYPE_DIR,
  VMD_POOL_TYPE_FS,
  VMD_POOL_TYPE_LOGICAL,
  VMD_POOL_TYPE_NETFS,
  VMD_POOL_TYPE_ISCSI,
  VMD_POOL_TYPE_DISK,
} VmdPoolType;

typedef struct {
  char        *name;
  VmdPoolType  type;
  char        *target_path;    /* dir, fs, netfs: the folder; logical: ignored */
  char        *source_device;  /* fs, logical, disk: a block device; iscsi: ignored */
  char        *source_host;    /* netfs, iscsi */
  char        *source_path;    /* netfs: the export */
  char        *source_name;    /* logical: the volume group; iscsi: the target's IQN */
  gboolean     build;          /* make the folder, format the device, make the group */
  gboolean     autostart;
} VmdPoolSpec;

typedef struct {
  char    *name;
  char    *format;             /* "qcow2" or "raw" */
  guint64  capacity;           /* bytes */
  char    *backing;            /* a volume of the same pool (name or path), or NULL */
} VmdVolumeSpec;

#define VMD_POOL_FIELD_NAME     "name"
#define VMD_POOL_FIELD_TARGET   "target"
#define VMD_POOL_FIELD_DEVICE   "device"
#define VMD_POOL_FIELD_HOST     "host"
#define VMD_POOL_FIELD_SOURCE   "source"
#define VMD_POOL_FIELD_TYPE     "type"

#define VMD_VOLUME_FIELD_NAME     "name"
#define VMD_VOLUME_FIELD_FORMAT   "format"
#define VMD_VOLUME_FIELD_CAPACITY "capacity"
#define VMD_VOLUME_FIELD_BACKING  "backing"

const char    *vmd_pool_type_to_string  (VmdPoolType          type);
gboolean       vmd_pool_type_from_string (const char         *text,
                                          VmdPoolType        *type);
VmdPoolSpec   *vmd_pool_spec_new        (VmdPoolType          type);
VmdPoolSpec   *vmd_pool_spec_copy       (const VmdPoolSpec   *spec);
void           vmd_pool_spec_free       (VmdPoolSpec         *spec);
gboolean       vmd_pool_spec_validate   (const VmdPoolSpec   *spec,
                                         virConnectPtr        conn,
                                         gboolean             local,
                                         const char         **field,
                                         GError             **error);
char          *vmd_pool_spec_to_xml     (const VmdPoolSpec   *spec);

VmdVolumeSpec *vmd_volume_spec_new      (void);
VmdVolumeSpec *vmd_volume_spec_copy     (const VmdVolumeSpec *spec);
void           vmd_volume_spec_free     (VmdVolumeSpec       *spec);
gboolean       vmd_volume_spec_validate (const VmdVolumeSpec *spec,
                                         virStoragePoolPtr    pool,
                                         char               **backing_path,
                                         const char         **field,
                                         GError             **error);
char          *vmd_volume_spec_to_xml   (const VmdVolumeSpec *spec,
                                         const char          *backing_path,
                                         const char          *backing_format);

gboolean       vmd_volume_name_check    (virStoragePoolPtr    pool,
                                         const char          *name,
                                         GError             **error);
char          *vmd_volume_clone_xml     (virStorageVolPtr     source,
                                         const char          *name);
guint64        vmd_parse_size           (const char          *text,
                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdPoolSpec, vmd_pool_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VmdVolumeSpec, vmd_volume_spec_free)

G_END_DECLS
