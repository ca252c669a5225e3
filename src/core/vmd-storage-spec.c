/* Pool and volume specs. The host's side (a path that is a file, a device that is not there,
 * the room left in a pool) is asked in the worker thread at the moment of creation, so a check
 * never answers from a stale copy. Paths are only looked at for local connections. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <libvirt/virterror.h>
#include <libxml/tree.h>

#include "vmd-error.h"
#include "vmd-network-spec.h"
#include "vmd-storage-spec.h"
#include "vmd-xml.h"

static const char *type_names[] = { "dir", "fs", "logical", "netfs", "iscsi", "disk" };

const char *
vmd_pool_type_to_string (VmdPoolType type)
{
  return type < G_N_ELEMENTS (type_names) ? type_names[type] : NULL;
}

gboolean
vmd_pool_type_from_string (const char  *text,
                           VmdPoolType *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_strcmp0 (text, type_names[i]) == 0)
      {
        *type = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
empty (const char *text)
{
  return text == NULL || *text == '\0';
}

static gboolean
invalid (GError **error, const char *format, const char *value)
{
  g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, format, value != NULL ? value : "");
  return FALSE;
}

static gboolean
invalid0 (GError **error, const char *message)
{
  g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, message);
  return FALSE;
}

/* --- pools ------------------------------------------------------------------------------------- */

static gboolean
check_pool_name (const VmdPoolSpec *spec, virConnectPtr conn, GError **error)
{
  virStoragePoolPtr other;

  if (!vmd_resource_name_check (spec->name, error))
    return FALSE;
  other = conn != NULL ? virStoragePoolLookupByName (conn, spec->name) : NULL;
  virResetLastError ();
  if (other == NULL)
    return TRUE;
  virStoragePoolFree (other);
  g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS, _("There is a pool called “%s” already."),
               spec->name);
  return FALSE;
}

static gboolean
check_target (const VmdPoolSpec *spec, gboolean local, GError **error)
{
  struct stat st;

  if (spec->type == VMD_POOL_TYPE_LOGICAL || spec->type == VMD_POOL_TYPE_ISCSI ||
      spec->type == VMD_POOL_TYPE_DISK)
    return TRUE;
  if (empty (spec->target_path))
    return invalid0 (error, _("Choose the folder the pool's volumes go in."));
  if (!g_path_is_absolute (spec->target_path))
    return invalid (error, _("“%s” is not a full path: it must start with “/”."), spec->target_path);
  if (!local)
    return TRUE;
  if (lstat (spec->target_path, &st) == 0)
    {
      if (S_ISLNK (st.st_mode))
        return invalid (error, _("%s is a symbolic link: choose the folder it points to."), spec->target_path);
      if (!S_ISDIR (st.st_mode))
        return invalid (error, _("%s is a file, not a folder."), spec->target_path);
      return TRUE;
    }
  if (!spec->build)
    return invalid (error, _("The folder %s does not exist: tick “Build” to make it."), spec->target_path);
  return TRUE;
}

static gboolean
check_device (const VmdPoolSpec *spec, gboolean local, GError **error)
{
  struct stat st;

  if (spec->type != VMD_POOL_TYPE_FS && spec->type != VMD_POOL_TYPE_LOGICAL &&
      spec->type != VMD_POOL_TYPE_DISK)
    return TRUE;
  if (empty (spec->source_device))
    {
      /* An existing volume group needs no device; a new one does. */
      if (spec->type == VMD_POOL_TYPE_LOGICAL && !spec->build)
        return TRUE;
      return invalid0 (error, _("Choose the disk or partition, such as /dev/sdb."));
    }
  if (!g_path_is_absolute (spec->source_device))
    return invalid (error, _("“%s” is not a full path: it must start with “/”."), spec->source_device);
  if (local && stat (spec->source_device, &st) != 0)
    return invalid (error, _("There is no device %s on this host."), spec->source_device);
  if (local && !S_ISBLK (st.st_mode))
    return invalid (error, _("%s is not a block device (a disk or a partition)."), spec->source_device);
  return TRUE;
}

static gboolean
host_name_ok (const char *host)
{
  if (empty (host) || strlen (host) > 253)
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return host[0] != '-' && host[0] != '.';
}

static gboolean
check_host (const VmdPoolSpec *spec, GError **error)
{
  if (spec->type != VMD_POOL_TYPE_NETFS && spec->type != VMD_POOL_TYPE_ISCSI)
    return TRUE;
  if (empty (spec->source_host))
    return invalid0 (error, _("Give the server's name or address."));
  if (!host_name_ok (spec->source_host))
    return invalid (error, _("“%s” is not a host name or an IP address."), spec->source_host);
  return TRUE;
}

static gboolean
vg_name_ok (const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("+_.-", *p) == NULL)
      return FALSE;
  return name[0] != '-' && strlen (name) <= 127 && !g_str_equal (name, ".") && !g_str_equal (name, "..");
}

static gboolean
check_source (const VmdPoolSpec *spec, gboolean local, GError **error)
{
  g_autofree char *iscsiadm = NULL;

  switch (spec->type)
    {
    case VMD_POOL_TYPE_NETFS:
      if (empty (spec->source_path) || !g_path_is_absolute (spec->source_path))
        return invalid0 (error, _("Give the exported folder as a full path, such as /srv/nfs."));
      return TRUE;
    case VMD_POOL_TYPE_LOGICAL:
      if (empty (spec->source_name) || !vg_name_ok (spec->source_name))
        return invalid (error, _("“%s” is not a volume group name: use letters, digits, “+”, “_”, “.” and “-”."),
                        spec->source_name);
      return TRUE;
    case VMD_POOL_TYPE_ISCSI:
      if (empty (spec->source_name) || !(g_str_has_prefix (spec->source_name, "iqn.") ||
                                         g_str_has_prefix (spec->source_name, "eui.")))
        return invalid (error, _("“%s” is not an iSCSI target name such as iqn.2024-01.org.example:disk1."),
                        spec->source_name);
      iscsiadm = local ? g_find_program_in_path ("iscsiadm") : g_strdup ("remote");
      if (iscsiadm == NULL)
        return invalid0 (error, _("This host has no iSCSI tools: install open-iscsi first."));
      return TRUE;
    case VMD_POOL_TYPE_DIR:
    case VMD_POOL_TYPE_FS:
    case VMD_POOL_TYPE_DISK:
    default:
      return TRUE;
    }
}

/* The first problem and its field (a VMD_POOL_FIELD_*). conn may be NULL (no duplicate check). */
gboolean
vmd_pool_spec_validate (const VmdPoolSpec  *spec,
                        virConnectPtr       conn,
                        gboolean            local,
                        const char        **field,
                        GError            **error)
{
  const char *where = NULL;

  if (vmd_pool_type_to_string (spec->type) == NULL)
    {
      invalid0 (error, _("Unknown kind of pool."));
      where = VMD_POOL_FIELD_TYPE;
    }
  else if (!check_pool_name (spec, conn, error))
    where = VMD_POOL_FIELD_NAME;
  else if (!check_target (spec, local, error))
    where = VMD_POOL_FIELD_TARGET;
  else if (!check_device (spec, local, error))
    where = VMD_POOL_FIELD_DEVICE;
  else if (!check_host (spec, error))
    where = VMD_POOL_FIELD_HOST;
  else if (!check_source (spec, local, error))
    where = VMD_POOL_FIELD_SOURCE;
  if (field != NULL)
    *field = where;
  return where == NULL;
}

static xmlNode *
add (xmlNode *parent, const char *name, const char *attribute, const char *value)
{
  xmlNode *node = xmlNewChild (parent, NULL, BAD_CAST name, NULL);

  if (attribute != NULL)
    xmlNewProp (node, BAD_CAST attribute, BAD_CAST (value != NULL ? value : ""));
  return node;
}

static char *
dump (xmlDoc *doc)
{
  xmlBuffer *buffer = xmlBufferCreate ();
  char *xml;

  xmlNodeDump (buffer, doc, xmlDocGetRootElement (doc), 0, 1);
  xml = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  xmlFreeDoc (doc);
  return xml;
}

static void
add_pool_source (xmlNode *root, const VmdPoolSpec *spec)
{
  xmlNode *source = add (root, "source", NULL, NULL);

  switch (spec->type)
    {
    case VMD_POOL_TYPE_FS:
      add (source, "device", "path", spec->source_device);
      add (source, "format", "type", spec->build ? "ext4" : "auto");
      break;
    case VMD_POOL_TYPE_LOGICAL:
      if (!empty (spec->source_device))
        add (source, "device", "path", spec->source_device);
      xmlNewTextChild (source, NULL, BAD_CAST "name", BAD_CAST spec->source_name);
      add (source, "format", "type", "lvm2");
      break;
    case VMD_POOL_TYPE_NETFS:
      add (source, "host", "name", spec->source_host);
      add (source, "dir", "path", spec->source_path);
      add (source, "format", "type", "nfs");
      break;
    case VMD_POOL_TYPE_ISCSI:
      add (source, "host", "name", spec->source_host);
      add (source, "device", "path", spec->source_name);
      break;
    case VMD_POOL_TYPE_DISK:
      add (source, "device", "path", spec->source_device);
      add (source, "format", "type", "gpt");
      break;
    case VMD_POOL_TYPE_DIR:
    default:
      break;
    }
}

char *
vmd_pool_spec_to_xml (const VmdPoolSpec *spec)
{
  xmlDoc *doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNode *root = xmlNewNode (NULL, BAD_CAST "pool");
  g_autofree char *vg_path = NULL;
  const char *target = spec->target_path;

  xmlDocSetRootElement (doc, root);
  xmlNewProp (root, BAD_CAST "type", BAD_CAST vmd_pool_type_to_string (spec->type));
  xmlNewTextChild (root, NULL, BAD_CAST "name", BAD_CAST spec->name);
  if (spec->type != VMD_POOL_TYPE_DIR)
    add_pool_source (root, spec);
  if (spec->type == VMD_POOL_TYPE_LOGICAL)
    target = vg_path = g_build_filename ("/dev", spec->source_name, NULL);
  else if (spec->type == VMD_POOL_TYPE_ISCSI)
    target = "/dev/disk/by-path";
  else if (spec->type == VMD_POOL_TYPE_DISK)
    target = "/dev";
  xmlNewTextChild (add (root, "target", NULL, NULL), NULL, BAD_CAST "path", BAD_CAST target);
  return dump (doc);
}

VmdPoolSpec *
vmd_pool_spec_new (VmdPoolType type)
{
  VmdPoolSpec *spec = g_new0 (VmdPoolSpec, 1);

  spec->type = type;
  spec->autostart = TRUE;
  return spec;
}

VmdPoolSpec *
vmd_pool_spec_copy (const VmdPoolSpec *spec)
{
  VmdPoolSpec *copy = g_memdup2 (spec, sizeof *spec);

  copy->name = g_strdup (spec->name);
  copy->target_path = g_strdup (spec->target_path);
  copy->source_device = g_strdup (spec->source_device);
  copy->source_host = g_strdup (spec->source_host);
  copy->source_path = g_strdup (spec->source_path);
  copy->source_name = g_strdup (spec->source_name);
  return copy;
}

void
vmd_pool_spec_free (VmdPoolSpec *spec)
{
  g_free (spec->name);
  g_free (spec->target_path);
  g_free (spec->source_device);
  g_free (spec->source_host);
  g_free (spec->source_path);
  g_free (spec->source_name);
  g_free (spec);
}

/* --- volumes ------------------------------------------------------------------------------------- */

gboolean
vmd_volume_name_check (virStoragePoolPtr  pool,
                       const char        *name,
                       GError           **error)
{
  virStorageVolPtr other;

  if (!vmd_resource_name_check (name, error))
    return FALSE;
  other = virStorageVolLookupByName (pool, name);
  virResetLastError ();
  if (other == NULL)
    return TRUE;
  virStorageVolFree (other);
  g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS, _("The pool “%s” has a volume “%s” already."),
               virStoragePoolGetName (pool), name);
  return FALSE;
}

static char *
pool_type (virStoragePoolPtr pool)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;

  return doc != NULL ? vmd_xml_string (doc, NULL, "/pool/@type") : NULL;
}

static gboolean
check_size (const VmdVolumeSpec *spec, virStoragePoolPtr pool, GError **error)
{
  virStoragePoolInfo info;
  g_autofree char *want = g_format_size_full (spec->capacity, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *have = NULL;

  if (spec->capacity == 0)
    return invalid0 (error, _("Give the volume a size above zero."));
  if (virStoragePoolGetInfo (pool, &info) < 0)
    {
      virResetLastError ();
      return TRUE;
    }
  if (spec->capacity > info.capacity)
    {
      have = g_format_size_full (info.capacity, G_FORMAT_SIZE_IEC_UNITS);
      g_set_error (error, VMD_ERROR, VMD_ERROR_NO_SPACE,
                   _("%s is larger than the whole pool (%s)."), want, have);
      return FALSE;
    }
  /* A qcow2 volume grows as the guest writes; a raw one takes its size at once. */
  if (g_strcmp0 (spec->format, "raw") == 0 && spec->capacity > info.available)
    {
      have = g_format_size_full (info.available, G_FORMAT_SIZE_IEC_UNITS);
      g_set_error (error, VMD_ERROR, VMD_ERROR_NO_SPACE,
                   _("The pool has %s free; the volume needs %s."), have, want);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_backing (const VmdVolumeSpec *spec, virStoragePoolPtr pool, char **backing_path,
               GError **error)
{
  virStorageVolPtr backing;

  if (empty (spec->backing))
    return TRUE;
  if (g_strcmp0 (spec->format, "qcow2") != 0)
    return invalid0 (error, _("Only a qcow2 volume can have a backing volume."));
  backing = virStorageVolLookupByName (pool, spec->backing);
  if (backing == NULL && g_path_is_absolute (spec->backing))
    backing = virStorageVolLookupByPath (virStoragePoolGetConnect (pool), spec->backing);
  virResetLastError ();
  if (backing == NULL)
    return invalid (error, _("There is no volume “%s” to build on."), spec->backing);
  if (backing_path != NULL)
    *backing_path = virStorageVolGetPath (backing);
  virStorageVolFree (backing);
  return TRUE;
}

/* In a worker thread. backing_path receives the backing volume's path (free() it). */
gboolean
vmd_volume_spec_validate (const VmdVolumeSpec  *spec,
                          virStoragePoolPtr     pool,
                          char                **backing_path,
                          const char          **field,
                          GError              **error)
{
  g_autofree char *type = pool_type (pool);
  const char *where = NULL;

  if (!vmd_volume_name_check (pool, spec->name, error))
    where = VMD_VOLUME_FIELD_NAME;
  else if (g_strcmp0 (spec->format, "qcow2") != 0 && g_strcmp0 (spec->format, "raw") != 0)
    {
      invalid (error, _("“%s” is not a format VM Desk makes: choose qcow2 or raw."), spec->format);
      where = VMD_VOLUME_FIELD_FORMAT;
    }
  else if (g_strcmp0 (type, "logical") == 0 && g_strcmp0 (spec->format, "raw") != 0)
    {
      invalid0 (error, _("An LVM pool holds raw volumes only."));
      where = VMD_VOLUME_FIELD_FORMAT;
    }
  else if (!check_size (spec, pool, error))
    where = VMD_VOLUME_FIELD_CAPACITY;
  else if (!check_backing (spec, pool, backing_path, error))
    where = VMD_VOLUME_FIELD_BACKING;
  if (field != NULL)
    *field = where;
  return where == NULL;
}

char *
vmd_volume_spec_to_xml (const VmdVolumeSpec *spec,
                        const char          *backing_path,
                        const char          *backing_format)
{
  xmlDoc *doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNode *root = xmlNewNode (NULL, BAD_CAST "volume");
  g_autofree char *capacity = g_strdup_printf ("%" G_GUINT64_FORMAT, spec->capacity);
  xmlNode *target;

  xmlDocSetRootElement (doc, root);
  xmlNewTextChild (root, NULL, BAD_CAST "name", BAD_CAST spec->name);
  xmlNewProp (xmlNewTextChild (root, NULL, BAD_CAST "capacity", BAD_CAST capacity),
              BAD_CAST "unit", BAD_CAST "bytes");
  if (g_strcmp0 (spec->format, "qcow2") == 0)
    xmlNewTextChild (root, NULL, BAD_CAST "allocation", BAD_CAST "0");
  target = add (root, "target", NULL, NULL);
  add (target, "format", "type", spec->format);
  if (backing_path != NULL)
    {
      xmlNode *backing = add (root, "backingStore", NULL, NULL);

      xmlNewTextChild (backing, NULL, BAD_CAST "path", BAD_CAST backing_path);
      add (backing, "format", "type", backing_format != NULL ? backing_format : "qcow2");
    }
  return dump (doc);
}

/* A copy of source under another name, same size and format (libvirt copies the data). */
char *
vmd_volume_clone_xml (virStorageVolPtr  source,
                      const char       *name)
{
  g_autofree char *xml = virStorageVolGetXMLDesc (source, 0);
  g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;
  g_autoptr(VmdVolumeSpec) spec = vmd_volume_spec_new ();
  virStorageVolInfo info;

  if (doc == NULL || virStorageVolGetInfo (source, &info) < 0)
    return NULL;
  spec->name = g_strdup (name);
  spec->capacity = info.capacity;
  g_free (spec->format);
  spec->format = vmd_xml_string (doc, NULL, "/volume/target/format/@type");
  if (spec->format == NULL)
    spec->format = g_strdup ("raw");
  return vmd_volume_spec_to_xml (spec, NULL, NULL);
}

VmdVolumeSpec *
vmd_volume_spec_new (void)
{
  VmdVolumeSpec *spec = g_new0 (VmdVolumeSpec, 1);

  spec->format = g_strdup ("qcow2");
  return spec;
}

VmdVolumeSpec *
vmd_volume_spec_copy (const VmdVolumeSpec *spec)
{
  VmdVolumeSpec *copy = g_new0 (VmdVolumeSpec, 1);

  copy->name = g_strdup (spec->name);
  copy->format = g_strdup (spec->format);
  copy->capacity = spec->capacity;
  copy->backing = g_strdup (spec->backing);
  return copy;
}

void
vmd_volume_spec_free (VmdVolumeSpec *spec)
{
  g_free (spec->name);
  g_free (spec->format);
  g_free (spec->backing);
  g_free (spec);
}

/* "20 GiB", "512M", "1.5G", "1048576": binary units (K, M, G, T, with or without "iB"/"B"). */
guint64
vmd_parse_size (const char  *text,
                GError     **error)
{
  g_autofree char *copy = g_strstrip (g_ascii_strup (text != NULL ? text : "", -1));
  char *end = NULL;
  double value = g_ascii_strtod (copy, &end);
  const char *units = "KMGT";
  const char *unit;
  double scale = 1;
  gboolean number = end != copy;

  while (end != NULL && *end == ' ')
    end++;
  if (end != NULL && *end != '\0' && (unit = strchr (units, *end)) != NULL)
    {
      for (const char *u = units; u <= unit; u++)
        scale *= 1024;
      end++;
      if (g_str_equal (end, "IB") || g_str_equal (end, "B"))
        end += strlen (end);
    }
  else if (end != NULL && g_str_equal (end, "B"))
    end++;
  if (!number || end == NULL || *end != '\0' || value < 0 || value * scale > (double) G_MAXINT64)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("“%s” is not a size such as 20 GiB or 512 MiB."), text != NULL ? text : "");
      return 0;
    }
  return (guint64) (value * scale);
}
