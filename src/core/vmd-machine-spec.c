/* VmdMachineSpec: the new machine as the user describes it. Each check answers for one field so
 * the assistant can put the message beside it; the XML follows virt-install's choices (q35,
 * virtio where the OS has drivers, a serial console always, kernel boot only for the install). */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>

#include "vmd-display-name.h"
#include "vmd-error.h"
#include "vmd-install-media.h"
#include "vmd-machine-spec.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)
/* 16 TiB of memory and 1 PiB of disk: beyond any host, well inside 64-bit byte counts. */
#define MAX_MEMORY_MIB (G_GUINT64_CONSTANT (16) * 1024 * 1024)
#define MAX_DISK_GIB   (G_GUINT64_CONSTANT (1024) * 1024)
#define MAX_NAME_LENGTH 64
#define LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"

struct _VmdMachineSpec
{
  GObject           parent_instance;

  char             *name;
  VmdInstallMethod  method;
  char             *media_path;
  char             *kernel_path;
  char             *initrd_path;
  char             *kernel_args;
  char             *os_id;
  char             *os_name;
  char             *os_url;           /* libosinfo's id, e.g. http://debian.org/debian/11 */
  gboolean          virtio;
  guint64           memory_mib;
  guint             vcpus;
  VmdStorageKind    storage_kind;
  char             *disk_path;        /* an existing disk; new volumes get theirs from the pool */
  guint64           disk_size_gib;
  char             *pool_name;
  char             *pool_path;
  guint64           pool_free_bytes;  /* G_MAXUINT64 when unknown */
  VmdNetworkKind    network_kind;
  char             *network_source;
  VmdGraphicsKind   graphics;
  VmdFirmware       firmware;
  gboolean          kvm;
  char             *serial_log;       /* an explicit <log file/>, else one in serial_log_dir */
  char             *serial_log_dir;   /* where the host keeps domain logs; NULL: none (remote) */

  GStrv             taken_names;
  GStrv             host_bridges;     /* NULL when unknown: then any bridge name is accepted */
  GStrv             host_networks;    /* likewise for virtual networks */
  GStrv             inactive_networks;
  /* The OS defaults applied last: a value still equal to one was not changed by the user. */
  guint64           default_memory_mib;
  guint             default_vcpus;
  guint64           default_disk_gib;
  GHashTable       *session_bridges;  /* a session's: bridge -> why it cannot join it; else NULL */
  guint64           host_memory_mib;  /* 0 when unknown */
  guint             host_cpus;
  guint64           minimum_memory_mib;
};

G_DEFINE_FINAL_TYPE (VmdMachineSpec, vmd_machine_spec, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* What the assistant's spin buttons bind to. */
enum { PROP_0, PROP_MEMORY_MIB, PROP_VCPUS, PROP_DISK_SIZE_GIB, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
changed (VmdMachineSpec *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Replaces a string field; TRUE when it changed. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* --- setters and getters ------------------------------------------------------------------- */

void
vmd_machine_spec_set_name (VmdMachineSpec *self,
                           const char     *name)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  if (set_string (&self->name, name))
    changed (self);
}

const char *
vmd_machine_spec_get_name (VmdMachineSpec *self)
{
  return self->name;
}

void
vmd_machine_spec_set_install_method (VmdMachineSpec   *self,
                                     VmdInstallMethod  method)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  self->method = method;
  changed (self);
}

VmdInstallMethod
vmd_machine_spec_get_install_method (VmdMachineSpec *self)
{
  return self->method;
}

void
vmd_machine_spec_set_media_path (VmdMachineSpec *self,
                                 const char     *path)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  if (set_string (&self->media_path, path))
    changed (self);
}

const char *
vmd_machine_spec_get_media_path (VmdMachineSpec *self)
{
  return self->media_path;
}

void
vmd_machine_spec_set_kernel (VmdMachineSpec *self,
                             const char     *kernel_path,
                             const char     *initrd_path)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  set_string (&self->kernel_path, kernel_path);
  set_string (&self->initrd_path, initrd_path);
  changed (self);
}

const char *
vmd_machine_spec_get_kernel_path (VmdMachineSpec *self)
{
  return self->kernel_path;
}

const char *
vmd_machine_spec_get_initrd_path (VmdMachineSpec *self)
{
  return self->initrd_path;
}

void
vmd_machine_spec_set_kernel_args (VmdMachineSpec *self,
                                  const char     *args)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  if (set_string (&self->kernel_args, args))
    changed (self);
}

const char *
vmd_machine_spec_get_kernel_args (VmdMachineSpec *self)
{
  return self->kernel_args;
}

void
vmd_machine_spec_set_os (VmdMachineSpec *self,
                         const char     *short_id,
                         const char     *display_name,
                         gboolean        virtio)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  set_string (&self->os_id, short_id);
  set_string (&self->os_name, display_name);
  self->virtio = virtio;
  changed (self);
}

void
vmd_machine_spec_set_os_url (VmdMachineSpec *self,
                             const char     *osinfo_id)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  if (set_string (&self->os_url, osinfo_id))
    changed (self);
}

const char *
vmd_machine_spec_get_os_id (VmdMachineSpec *self)
{
  return self->os_id;
}

const char *
vmd_machine_spec_get_os_name (VmdMachineSpec *self)
{
  return self->os_name;
}

gboolean
vmd_machine_spec_get_virtio (VmdMachineSpec *self)
{
  return self->virtio;
}

void
vmd_machine_spec_set_memory_mib (VmdMachineSpec *self,
                                 guint64         mib)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  if (self->memory_mib == mib)
    return;
  self->memory_mib = mib;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_MIB]);
  changed (self);
}

guint64
vmd_machine_spec_get_memory_mib (VmdMachineSpec *self)
{
  return self->memory_mib;
}

void
vmd_machine_spec_set_vcpus (VmdMachineSpec *self,
                            guint           vcpus)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  if (self->vcpus == vcpus)
    return;
  self->vcpus = vcpus;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VCPUS]);
  changed (self);
}

guint
vmd_machine_spec_get_vcpus (VmdMachineSpec *self)
{
  return self->vcpus;
}

void
vmd_machine_spec_set_storage (VmdMachineSpec *self,
                              VmdStorageKind  kind,
                              const char     *path,
                              guint64         size_gib)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  self->storage_kind = kind;
  set_string (&self->disk_path, path);
  vmd_machine_spec_set_disk_size_gib (self, size_gib);
  changed (self);
}

void
vmd_machine_spec_set_disk_size_gib (VmdMachineSpec *self,
                                    guint64         size_gib)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  if (self->disk_size_gib == size_gib)
    return;
  self->disk_size_gib = size_gib;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISK_SIZE_GIB]);
  changed (self);
}

/* An OS's recommendations: each replaces what the spec holds only while that is still the
 * previous recommendation (or the first one), so a detection that comes late keeps the user's
 * own choice. */
void
vmd_machine_spec_apply_defaults (VmdMachineSpec *self,
                                 guint64         memory_mib,
                                 guint           vcpus,
                                 guint64         disk_gib,
                                 guint64         minimum_memory_mib)
{
  gboolean first = self->default_memory_mib == 0;

  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  if (first || self->memory_mib == self->default_memory_mib)
    vmd_machine_spec_set_memory_mib (self, memory_mib);
  if (first || self->vcpus == self->default_vcpus)
    vmd_machine_spec_set_vcpus (self, vcpus);
  if (first || self->disk_size_gib == self->default_disk_gib)
    vmd_machine_spec_set_disk_size_gib (self, disk_gib);
  self->default_memory_mib = memory_mib;
  self->default_vcpus = vcpus;
  self->default_disk_gib = disk_gib;
  vmd_machine_spec_set_minimum (self, minimum_memory_mib);
}

VmdStorageKind
vmd_machine_spec_get_storage_kind (VmdMachineSpec *self)
{
  return self->storage_kind;
}

guint64
vmd_machine_spec_get_disk_size_gib (VmdMachineSpec *self)
{
  return self->disk_size_gib;
}

/* A new volume is named after the machine, in the pool's folder, as virt-manager does. */
char *
vmd_machine_spec_dup_disk_path (VmdMachineSpec *self)
{
  g_autofree char *file = NULL;

  switch (self->storage_kind)
    {
    case VMD_STORAGE_NEW_VOLUME:
      if (self->pool_path == NULL || self->name == NULL || *self->name == '\0')
        return NULL;
      file = g_strdup_printf ("%s.qcow2", self->name);
      return g_build_filename (self->pool_path, file, NULL);
    case VMD_STORAGE_EXISTING:
      return g_strdup (self->disk_path);
    case VMD_STORAGE_NONE:
    default:
      return NULL;
    }
}

/* libvirt does not probe formats (a raw image could claim to be qcow2): read the magic. */
const char *
vmd_machine_spec_get_disk_format (VmdMachineSpec *self)
{
  char magic[4] = { 0 };
  FILE *file;

  if (self->storage_kind != VMD_STORAGE_EXISTING)
    return "qcow2";
  if (self->disk_path == NULL || (file = fopen (self->disk_path, "rb")) == NULL)
    return g_str_has_suffix (self->disk_path != NULL ? self->disk_path : "", ".qcow2") ? "qcow2" : "raw";
  if (fread (magic, 1, sizeof magic, file) != sizeof magic)
    magic[0] = '\0';
  fclose (file);
  return memcmp (magic, "QFI\xfb", 4) == 0 ? "qcow2" : "raw";
}

void
vmd_machine_spec_set_pool (VmdMachineSpec *self,
                           const char     *pool_name,
                           const char     *pool_path,
                           guint64         free_bytes)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  set_string (&self->pool_name, pool_name);
  set_string (&self->pool_path, pool_path);
  self->pool_free_bytes = free_bytes;
  changed (self);
}

const char *
vmd_machine_spec_get_pool_name (VmdMachineSpec *self)
{
  return self->pool_name;
}

void
vmd_machine_spec_set_network (VmdMachineSpec *self,
                              VmdNetworkKind  kind,
                              const char     *source)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  self->network_kind = kind;
  set_string (&self->network_source, source);
  changed (self);
}

VmdNetworkKind
vmd_machine_spec_get_network_kind (VmdMachineSpec *self)
{
  return self->network_kind;
}

const char *
vmd_machine_spec_get_network_source (VmdMachineSpec *self)
{
  return self->network_source;
}

void
vmd_machine_spec_set_graphics (VmdMachineSpec  *self,
                               VmdGraphicsKind  kind)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  self->graphics = kind;
  changed (self);
}

VmdGraphicsKind
vmd_machine_spec_get_graphics (VmdMachineSpec *self)
{
  return self->graphics;
}

void
vmd_machine_spec_set_firmware (VmdMachineSpec *self,
                               VmdFirmware     firmware)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  self->firmware = firmware;
  changed (self);
}

VmdFirmware
vmd_machine_spec_get_firmware (VmdMachineSpec *self)
{
  return self->firmware;
}

void
vmd_machine_spec_set_kvm (VmdMachineSpec *self,
                          gboolean        kvm)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  self->kvm = kvm;
  changed (self);
}

gboolean
vmd_machine_spec_get_kvm (VmdMachineSpec *self)
{
  return self->kvm;
}

void
vmd_machine_spec_set_serial_log (VmdMachineSpec *self,
                                 const char     *path)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  if (set_string (&self->serial_log, path))
    changed (self);
}

/* The host's folder for domain logs (a host fact): the serial port logs there as
 * NAME-serial0.log, so a console opened later shows what the machine printed before. */
void
vmd_machine_spec_set_serial_log_dir (VmdMachineSpec *self,
                                     const char     *dir)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  if (set_string (&self->serial_log_dir, dir))
    changed (self);
}

char *
vmd_machine_spec_dup_serial_log (VmdMachineSpec *self)
{
  g_autofree char *file = NULL;

  if (self->serial_log != NULL)
    return g_strdup (self->serial_log);
  if (self->serial_log_dir == NULL || self->name == NULL || *self->name == '\0')
    return NULL;
  file = g_strdup_printf ("%s-serial0.log", self->name);
  return g_build_filename (self->serial_log_dir, file, NULL);
}

void
vmd_machine_spec_set_taken_names (VmdMachineSpec     *self,
                                  const char * const *names)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  g_strfreev (self->taken_names);
  self->taken_names = g_strdupv ((char **) names);
  changed (self);
}

/* For a qemu:///session machine: no virtual networks, and a bridge only where the bridge helper
 * may use it. PROBLEMS maps each such bridge to the reason and fix; NULL for a system daemon. */
void
vmd_machine_spec_set_session_bridges (VmdMachineSpec *self,
                                      GHashTable     *problems)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  g_clear_pointer (&self->session_bridges, g_hash_table_unref);
  self->session_bridges = problems != NULL ? g_hash_table_ref (problems) : NULL;
  changed (self);
}

void
vmd_machine_spec_set_host_bridges (VmdMachineSpec     *self,
                                   const char * const *bridges)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  g_strfreev (self->host_bridges);
  self->host_bridges = g_strdupv ((char **) bridges);
  changed (self);
}

/* The connection's virtual networks, and which of them are not running (host facts). */
void
vmd_machine_spec_set_host_networks (VmdMachineSpec     *self,
                                    const char * const *networks,
                                    const char * const *inactive)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  g_strfreev (self->host_networks);
  g_strfreev (self->inactive_networks);
  self->host_networks = g_strdupv ((char **) networks);
  self->inactive_networks = g_strdupv ((char **) inactive);
  changed (self);
}

/* TRUE when the chosen virtual network exists but is not running: creating the machine starts it. */
gboolean
vmd_machine_spec_network_needs_start (VmdMachineSpec *self)
{
  return self->network_kind == VMD_NETWORK_NAT && self->inactive_networks != NULL &&
         self->network_source != NULL &&
         g_strv_contains ((const char * const *) self->inactive_networks, self->network_source);
}

void
vmd_machine_spec_set_host_resources (VmdMachineSpec *self,
                                     guint64         memory_mib,
                                     guint           cpus)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  self->host_memory_mib = memory_mib;
  self->host_cpus = cpus;
  changed (self);
}

void
vmd_machine_spec_set_minimum (VmdMachineSpec *self,
                              guint64         memory_mib)
{
  g_return_if_fail (VMD_IS_MACHINE_SPEC (self));
  self->minimum_memory_mib = memory_mib;
  changed (self);
}

/* --- checks -------------------------------------------------------------------------------- */

static gboolean
name_char_ok (gunichar c)
{
  return g_unichar_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '+';
}

static gboolean
check_name (VmdMachineSpec  *self,
            GError         **error)
{
  const char *name = self->name != NULL ? self->name : "";

  if (*name == '\0')
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("Give the machine a name.")), FALSE;
  if (g_utf8_strlen (name, -1) > MAX_NAME_LENGTH)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                        _("The name is too long: use at most %d characters."), MAX_NAME_LENGTH), FALSE;
  if (*name == '.' || *name == '-')
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("The name cannot start with “.” or “-”.")), FALSE;
  /* Said as escapes: quoted as they are, they would not show (vmd-display-name.h). */
  if (vmd_name_has_invisible_characters (name))
    {
      g_autofree char *shown = vmd_name_for_display (name);

      return g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                          _("The name holds characters that do not show, or that change how the "
                            "text around them reads: “%s”. Remove them."), shown), FALSE;
    }
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (!name_char_ok (g_utf8_get_char (p)))
      return g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                          _("The name cannot contain “%.*s”: use letters, digits, “-”, “_”, “.” "
                            "and “+”."), (int) (g_utf8_next_char (p) - p), p), FALSE;
  if (self->taken_names != NULL && g_strv_contains ((const char * const *) self->taken_names, name))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                        _("A machine called “%s” exists already: choose another name."), name), FALSE;
  return TRUE;
}

static gboolean
check_media (VmdMachineSpec  *self,
             GError         **error)
{
  switch (self->method)
    {
    case VMD_INSTALL_METHOD_CDROM:
      if (self->media_path == NULL || *self->media_path == '\0')
        return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                    _("Choose the installation ISO.")), FALSE;
      return vmd_install_media_check_iso (self->media_path, error);
    case VMD_INSTALL_METHOD_KERNEL_BOOT:
      if (self->media_path == NULL || *self->media_path == '\0')
        return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                    _("Choose the installation ISO or the folder of an install "
                                      "tree.")), FALSE;
      return vmd_install_media_check_location (self->media_path, error);
    case VMD_INSTALL_METHOD_IMPORT:
      return vmd_machine_spec_check_field (self, VMD_SPEC_FIELD_STORAGE, error);
    case VMD_INSTALL_METHOD_MANUAL:
    default:
      return TRUE;
    }
}

static gboolean
check_memory (VmdMachineSpec  *self,
              GError         **error)
{
  if (self->memory_mib == 0)
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("The machine needs some memory.")), FALSE;
  /* Also what a negative number typed into an unsigned field becomes: catch it before the
   * conversion to KiB wraps around. */
  if (self->memory_mib > MAX_MEMORY_MIB)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                        _("%" PRIu64 " MiB is more memory than a machine can have (at most %"
                          PRIu64 " MiB)."), self->memory_mib, (guint64) MAX_MEMORY_MIB), FALSE;
  if (self->host_memory_mib > 0 && self->memory_mib > self->host_memory_mib)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                        _("The host has only %" PRIu64 " MiB of memory: give the machine at most "
                          "that."), self->host_memory_mib), FALSE;
  return TRUE;
}

static gboolean
check_cpus (VmdMachineSpec  *self,
            GError         **error)
{
  if (self->vcpus == 0)
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("The machine needs at least one CPU.")), FALSE;
  return TRUE;
}

static gboolean
check_new_volume (VmdMachineSpec  *self,
                  GError         **error)
{
  g_autofree char *path = vmd_machine_spec_dup_disk_path (self);
  guint64 free_gib = self->pool_free_bytes / GIB;

  if (self->disk_size_gib == 0)
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("The disk needs a size of at least 1 GiB.")), FALSE;
  /* Compared in GiB: the size in bytes could wrap around for absurd sizes. */
  if (self->pool_free_bytes != G_MAXUINT64 && self->disk_size_gib > free_gib)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_NO_SPACE,
                        _("The pool “%s” has %" PRIu64 " GiB free; the disk needs %"
                          PRIu64 " GiB."),
                        self->pool_name, free_gib, self->disk_size_gib), FALSE;
  if (self->disk_size_gib > MAX_DISK_GIB)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                        _("%" PRIu64 " GiB is larger than a disk can be (at most %" PRIu64
                          " GiB)."), self->disk_size_gib, (guint64) MAX_DISK_GIB), FALSE;
  /* Never overwrite: the path is the machine's name, so an old disk of that name blocks it. */
  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                        _("%s exists already and will not be overwritten: choose another name "
                          "or use the existing disk."), path), FALSE;
  return TRUE;
}

static gboolean
check_existing_disk (VmdMachineSpec  *self,
                     GError         **error)
{
  if (self->disk_path == NULL || *self->disk_path == '\0')
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("Choose the disk image.")), FALSE;
  if (!g_file_test (self->disk_path, G_FILE_TEST_IS_REGULAR))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                        _("%s does not exist or is not a file."), self->disk_path), FALSE;
  if (g_access (self->disk_path, R_OK) != 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                        _("%s cannot be read."), self->disk_path), FALSE;
  return TRUE;
}

static gboolean
check_storage (VmdMachineSpec  *self,
               GError         **error)
{
  switch (self->storage_kind)
    {
    case VMD_STORAGE_NEW_VOLUME:
      return check_new_volume (self, error);
    case VMD_STORAGE_EXISTING:
      return check_existing_disk (self, error);
    case VMD_STORAGE_NONE:
    default:
      return TRUE;
    }
}

static gboolean
check_network (VmdMachineSpec  *self,
               GError         **error)
{
  const char *source = self->network_source;

  if (self->network_kind == VMD_NETWORK_NAT && self->session_bridges != NULL)
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("A user session (qemu:///session) has no virtual networks: "
                                  "choose user-mode networking or a host bridge.")), FALSE;
  if (self->network_kind == VMD_NETWORK_NAT && (source == NULL || *source == '\0'))
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("Choose a virtual network.")), FALSE;
  if (self->network_kind == VMD_NETWORK_NAT && self->host_networks != NULL &&
      !g_strv_contains ((const char * const *) self->host_networks, source))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                        _("The virtual network “%s” does not exist: choose another network."),
                        source), FALSE;
  if (self->network_kind != VMD_NETWORK_BRIDGE)
    return TRUE;
  if (source == NULL || *source == '\0')
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("Choose a bridge.")), FALSE;
  if (self->host_bridges != NULL && !g_strv_contains ((const char * const *) self->host_bridges, source))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                        _("There is no bridge called “%s” on this host."), source), FALSE;
  if (self->session_bridges != NULL && g_hash_table_contains (self->session_bridges, source))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_PERMISSION_DENIED,
                        _("A user session's machine cannot join “%s” yet: %s"), source,
                        (const char *) g_hash_table_lookup (self->session_bridges, source)), FALSE;
  return TRUE;
}

gboolean
vmd_machine_spec_check_field (VmdMachineSpec  *self,
                              VmdSpecField     field,
                              GError         **error)
{
  g_return_val_if_fail (VMD_IS_MACHINE_SPEC (self), FALSE);

  switch (field)
    {
    case VMD_SPEC_FIELD_MEDIA:   return check_media (self, error);
    case VMD_SPEC_FIELD_OS:      return TRUE;
    case VMD_SPEC_FIELD_MEMORY:  return check_memory (self, error);
    case VMD_SPEC_FIELD_CPUS:    return check_cpus (self, error);
    case VMD_SPEC_FIELD_STORAGE: return check_storage (self, error);
    case VMD_SPEC_FIELD_NETWORK: return check_network (self, error);
    case VMD_SPEC_FIELD_NAME:    return check_name (self, error);
    case VMD_SPEC_N_FIELDS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Things that are allowed but probably not meant. */
char *
vmd_machine_spec_dup_warning (VmdMachineSpec *self,
                              VmdSpecField    field)
{
  if (field == VMD_SPEC_FIELD_MEMORY && self->minimum_memory_mib > 0 &&
      self->memory_mib > 0 && self->memory_mib < self->minimum_memory_mib)
    return g_strdup_printf (_("%s needs at least %" PRIu64 " MiB; it may not install."),
                            self->os_name != NULL ? self->os_name : _("This system"),
                            self->minimum_memory_mib);
  if (field == VMD_SPEC_FIELD_CPUS && self->host_cpus > 0 && self->vcpus > self->host_cpus)
    return g_strdup_printf (_("The host has only %u CPUs; more will be slower, not faster."),
                            self->host_cpus);
  return NULL;
}

gboolean
vmd_machine_spec_validate (VmdMachineSpec  *self,
                           VmdSpecField    *bad_field,
                           GError         **error)
{
  g_return_val_if_fail (VMD_IS_MACHINE_SPEC (self), FALSE);

  for (VmdSpecField field = 0; field < VMD_SPEC_N_FIELDS; field++)
    if (!vmd_machine_spec_check_field (self, field, error))
      {
        if (bad_field != NULL)
          *bad_field = field;
        return FALSE;
      }
  return TRUE;
}

/* "debian11", then "debian11-2", "debian11-3", ... as virt-manager does. */
char *
vmd_machine_spec_suggest_name (VmdMachineSpec *self)
{
  const char *base = self->os_id != NULL && *self->os_id != '\0' ? self->os_id : "generic";
  const char * const *taken = (const char * const *) self->taken_names;
  char *name = g_strdup (base);

  for (guint i = 2; taken != NULL && g_strv_contains (taken, name); i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s-%u", base, i);
    }
  return name;
}

/* --- the domain ------------------------------------------------------------------------------ */

gboolean
vmd_machine_spec_needs_install_phase (VmdMachineSpec *self)
{
  return self->method == VMD_INSTALL_METHOD_CDROM || self->method == VMD_INSTALL_METHOD_KERNEL_BOOT;
}

/* What the install boot's CD-ROM drive holds: the ISO, or nothing when the kernel comes from an
 * install tree (a folder is no disc); a file:// URI is given as its path. */
char *
vmd_machine_spec_dup_cdrom_source (VmdMachineSpec *self)
{
  if (self->media_path == NULL || *self->media_path == '\0')
    return NULL;
  if (self->method != VMD_INSTALL_METHOD_KERNEL_BOOT)
    return g_strdup (self->media_path);
  if (vmd_install_media_location_is_tree (self->media_path))
    return NULL;
  return vmd_install_media_dup_local_path (self->media_path, NULL);
}

static GVirConfigDomainOs *
make_os (VmdMachineSpec *self,
         VmdSpecPhase    phase)
{
  GVirConfigDomainOs *os = gvir_config_domain_os_new ();
  GList *boot = NULL;
  gboolean kernel = phase == VMD_SPEC_PHASE_INSTALL && self->method == VMD_INSTALL_METHOD_KERNEL_BOOT;

  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_os_set_arch (os, "x86_64");
  gvir_config_domain_os_set_machine (os, "q35");
  if (self->firmware == VMD_FIRMWARE_UEFI)
    gvir_config_domain_os_set_firmware (os, GVIR_CONFIG_DOMAIN_OS_FIRMWARE_EFI);
  if (kernel)
    {
      gvir_config_domain_os_set_kernel (os, self->kernel_path);
      gvir_config_domain_os_set_ramdisk (os, self->initrd_path);
      if (self->kernel_args != NULL && *self->kernel_args != '\0')
        gvir_config_domain_os_set_cmdline (os, self->kernel_args);
    }
  else
    {
      if (phase == VMD_SPEC_PHASE_INSTALL && self->method == VMD_INSTALL_METHOD_CDROM)
        boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_CDROM));
      boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_HD));
      gvir_config_domain_os_set_boot_devices (os, boot);
      g_list_free (boot);
    }
  /* Without a display, SeaBIOS's own messages should reach the serial console too. */
  if (self->graphics == VMD_GRAPHICS_NONE && self->firmware == VMD_FIRMWARE_BIOS)
    gvir_config_domain_os_bios_enable_serial (os, TRUE);
  return os;
}

static GVirConfigDomainDisk *
make_disk (VmdMachineSpec *self)
{
  g_autofree char *path = vmd_machine_spec_dup_disk_path (self);
  GVirConfigDomainDiskDriver *driver = gvir_config_domain_disk_driver_new ();
  GVirConfigDomainDisk *disk = gvir_config_domain_disk_new ();

  gvir_config_domain_disk_set_type (disk, GVIR_CONFIG_DOMAIN_DISK_FILE);
  gvir_config_domain_disk_set_guest_device_type (disk, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK);
  gvir_config_domain_disk_set_source (disk, path);
  gvir_config_domain_disk_driver_set_name (driver, "qemu");
  gvir_config_domain_disk_driver_set_format (driver,
    g_str_equal (vmd_machine_spec_get_disk_format (self), "qcow2")
      ? GVIR_CONFIG_DOMAIN_DISK_FORMAT_QCOW2 : GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW);
  gvir_config_domain_disk_set_driver (disk, driver);
  g_object_unref (driver);
  gvir_config_domain_disk_set_target_bus (disk, self->virtio ? GVIR_CONFIG_DOMAIN_DISK_BUS_VIRTIO
                                                             : GVIR_CONFIG_DOMAIN_DISK_BUS_SATA);
  gvir_config_domain_disk_set_target_dev (disk, self->virtio ? "vda" : "sda");
  return disk;
}

/* The CD-ROM drive stays after the install, empty, as virt-install leaves it. */
static GVirConfigDomainDisk *
make_cdrom (VmdMachineSpec *self,
            VmdSpecPhase    phase)
{
  GVirConfigDomainDisk *cdrom = gvir_config_domain_disk_new ();
  gboolean sata_disk = !self->virtio && self->storage_kind != VMD_STORAGE_NONE;
  g_autofree char *source = phase == VMD_SPEC_PHASE_INSTALL ? vmd_machine_spec_dup_cdrom_source (self)
                                                             : NULL;

  gvir_config_domain_disk_set_type (cdrom, GVIR_CONFIG_DOMAIN_DISK_FILE);
  gvir_config_domain_disk_set_guest_device_type (cdrom, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_CDROM);
  if (source != NULL)
    gvir_config_domain_disk_set_source (cdrom, source);
  gvir_config_domain_disk_set_target_bus (cdrom, GVIR_CONFIG_DOMAIN_DISK_BUS_SATA);
  gvir_config_domain_disk_set_target_dev (cdrom, sata_disk ? "sdb" : "sda");
  gvir_config_domain_disk_set_readonly (cdrom, TRUE);
  return cdrom;
}

static GVirConfigDomainInterface *
make_interface (VmdMachineSpec *self)
{
  GVirConfigDomainInterface *iface;

  switch (self->network_kind)
    {
    case VMD_NETWORK_NAT:
      iface = GVIR_CONFIG_DOMAIN_INTERFACE (gvir_config_domain_interface_network_new ());
      gvir_config_domain_interface_network_set_source (GVIR_CONFIG_DOMAIN_INTERFACE_NETWORK (iface),
                                                       self->network_source);
      break;
    case VMD_NETWORK_BRIDGE:
      iface = GVIR_CONFIG_DOMAIN_INTERFACE (gvir_config_domain_interface_bridge_new ());
      gvir_config_domain_interface_bridge_set_source (GVIR_CONFIG_DOMAIN_INTERFACE_BRIDGE (iface),
                                                      self->network_source);
      break;
    case VMD_NETWORK_USER:
      iface = GVIR_CONFIG_DOMAIN_INTERFACE (gvir_config_domain_interface_user_new ());
      break;
    case VMD_NETWORK_NONE:
    default:
      return NULL;
    }
  gvir_config_domain_interface_set_model (iface, self->virtio ? "virtio" : "e1000e");
  return iface;
}

static void
add (GVirConfigDomain *domain,
     gpointer          device)
{
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (device));
  g_object_unref (device);
}

/* set_source keeps its own reference to the source. */
static void
set_chardev_source (gpointer chardev,
                    gpointer source)
{
  gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (chardev),
                                         GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (source));
  g_object_unref (source);
}

static void
add_serial (VmdMachineSpec   *self,
            GVirConfigDomain *domain)
{
  g_autofree char *path = vmd_machine_spec_dup_serial_log (self);
  g_autofree char *log = NULL;
  g_autofree char *xml = NULL;
  GVirConfigDomainConsole *console;

  /* gconfig has no <log/>: the serial port is written as XML when it must be logged. Appended
   * to, so a boot's output stays readable after the next start; virtlogd rotates the file. */
  if (path != NULL)
    log = g_markup_printf_escaped ("<log file='%s' append='on'/>", path);
  xml = g_strdup_printf ("<serial type='pty'>%s<target port='0'/></serial>", log != NULL ? log : "");
  add (domain, gvir_config_domain_serial_new_from_xml (xml, NULL));

  console = gvir_config_domain_console_new ();
  gvir_config_domain_console_set_target_type (console, GVIR_CONFIG_DOMAIN_CONSOLE_TARGET_SERIAL);
  set_chardev_source (console, gvir_config_domain_chardev_source_pty_new ());
  add (domain, console);
}

static void
add_spice (VmdMachineSpec   *self,
           GVirConfigDomain *domain)
{
  GVirConfigDomainVideo *video = gvir_config_domain_video_new ();
  GVirConfigDomainChannel *channel = gvir_config_domain_channel_new ();
  GVirConfigDomainControllerUsb *usb = gvir_config_domain_controller_usb_new ();
  GVirConfigDomainInput *tablet = gvir_config_domain_input_new ();

  /* Listening on no socket at all: VM Desk's display opens it through libvirt. */
  add (domain, gvir_config_domain_graphics_spice_new_from_xml (
         "<graphics type='spice'><listen type='none'/></graphics>", NULL));

  gvir_config_domain_video_set_model (video, self->graphics == VMD_GRAPHICS_SPICE_VIRTIO
                                               ? GVIR_CONFIG_DOMAIN_VIDEO_MODEL_VIRTIO
                                               : GVIR_CONFIG_DOMAIN_VIDEO_MODEL_QXL);
  add (domain, video);

  gvir_config_domain_channel_set_target_type (channel, GVIR_CONFIG_DOMAIN_CHANNEL_TARGET_VIRTIO);
  gvir_config_domain_channel_set_target_name (channel, "com.redhat.spice.0");
  set_chardev_source (channel, gvir_config_domain_chardev_source_spicevmc_new ());
  add (domain, channel);

  gvir_config_domain_controller_usb_set_model (usb, GVIR_CONFIG_DOMAIN_CONTROLLER_USB_MODEL_QEMU_XHCI);
  add (domain, usb);
  for (guint i = 0; i < 2; i++)
    {
      GVirConfigDomainRedirdev *redir = gvir_config_domain_redirdev_new ();

      gvir_config_domain_redirdev_set_bus (redir, GVIR_CONFIG_DOMAIN_REDIRDEV_BUS_USB);
      set_chardev_source (redir, gvir_config_domain_chardev_source_spicevmc_new ());
      add (domain, redir);
    }
  gvir_config_domain_input_set_device_type (tablet, GVIR_CONFIG_DOMAIN_INPUT_DEVICE_TABLET);
  gvir_config_domain_input_set_bus (tablet, GVIR_CONFIG_DOMAIN_INPUT_BUS_USB);
  add (domain, tablet);
}

static void
add_devices (VmdMachineSpec   *self,
             GVirConfigDomain *domain,
             VmdSpecPhase      phase)
{
  GVirConfigDomainInterface *iface = make_interface (self);
  GVirConfigDomainMemballoon *balloon = gvir_config_domain_memballoon_new ();

  if (self->storage_kind != VMD_STORAGE_NONE)
    add (domain, make_disk (self));
  if (vmd_machine_spec_needs_install_phase (self))
    add (domain, make_cdrom (self, phase));
  if (iface != NULL)
    add (domain, iface);
  add_serial (self, domain);
  if (self->graphics != VMD_GRAPHICS_NONE)
    add_spice (self, domain);
  gvir_config_domain_memballoon_set_model (balloon, self->virtio
                                                      ? GVIR_CONFIG_DOMAIN_MEMBALLOON_MODEL_VIRTIO
                                                      : GVIR_CONFIG_DOMAIN_MEMBALLOON_MODEL_NONE);
  add (domain, balloon);
}

/* As virt-install and Boxes do: other tools read the OS back from the domain's metadata. */
static void
add_os_metadata (VmdMachineSpec   *self,
                 GVirConfigDomain *domain)
{
  g_autofree char *xml = NULL;

  if (self->os_url == NULL)
    return;
  /* The children need the prefix too, or they land in no namespace. */
  xml = g_markup_printf_escaped ("<libosinfo:libosinfo xmlns:libosinfo='%s'><libosinfo:os id='%s'/>"
                                 "</libosinfo:libosinfo>", LIBOSINFO_NS, self->os_url);
  gvir_config_domain_set_custom_xml (domain, xml, "libosinfo", LIBOSINFO_NS, NULL);
}

GVirConfigDomain *
vmd_machine_spec_to_config (VmdMachineSpec *self,
                            VmdSpecPhase    phase)
{
  const char *features[] = { "acpi", "apic", NULL };
  GVirConfigDomainOs *os;
  GVirConfigDomain *domain;

  g_return_val_if_fail (VMD_IS_MACHINE_SPEC (self), NULL);

  domain = gvir_config_domain_new ();
  gvir_config_domain_set_virt_type (domain, self->kvm ? GVIR_CONFIG_DOMAIN_VIRT_KVM
                                                      : GVIR_CONFIG_DOMAIN_VIRT_QEMU);
  gvir_config_domain_set_name (domain, self->name);
  gvir_config_domain_set_memory (domain, self->memory_mib * 1024);
  gvir_config_domain_set_current_memory (domain, self->memory_mib * 1024);
  gvir_config_domain_set_vcpus (domain, self->vcpus);
  gvir_config_domain_set_features (domain, (const GStrv) features);
  os = make_os (self, phase);
  gvir_config_domain_set_os (domain, os);
  g_object_unref (os);
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_POWEROFF,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);
  /* The install boot must end on the guest's reboot, so the next start boots the disk. */
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_REBOOT,
                                    phase == VMD_SPEC_PHASE_INSTALL && vmd_machine_spec_needs_install_phase (self)
                                      ? GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY
                                      : GVIR_CONFIG_DOMAIN_LIFECYCLE_RESTART);
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_CRASH,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);
  add_devices (self, domain, phase);
  add_os_metadata (self, domain);
  return domain;
}

char *
vmd_machine_spec_to_xml (VmdMachineSpec *self,
                         VmdSpecPhase    phase)
{
  GVirConfigDomain *domain = vmd_machine_spec_to_config (self, phase);
  char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));

  g_object_unref (domain);
  return xml;
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_machine_spec_finalize (GObject *object)
{
  VmdMachineSpec *self = VMD_MACHINE_SPEC (object);

  g_free (self->name);
  g_free (self->media_path);
  g_free (self->kernel_path);
  g_free (self->initrd_path);
  g_free (self->kernel_args);
  g_free (self->os_id);
  g_free (self->os_name);
  g_free (self->os_url);
  g_free (self->disk_path);
  g_free (self->pool_name);
  g_free (self->pool_path);
  g_free (self->network_source);
  g_free (self->serial_log);
  g_free (self->serial_log_dir);
  g_strfreev (self->taken_names);
  g_strfreev (self->host_bridges);
  g_strfreev (self->host_networks);
  g_strfreev (self->inactive_networks);
  g_clear_pointer (&self->session_bridges, g_hash_table_unref);
  G_OBJECT_CLASS (vmd_machine_spec_parent_class)->finalize (object);
}

static void
vmd_machine_spec_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VmdMachineSpec *self = VMD_MACHINE_SPEC (object);

  switch (prop_id)
    {
    case PROP_MEMORY_MIB:    g_value_set_uint64 (value, self->memory_mib); break;
    case PROP_VCPUS:         g_value_set_uint (value, self->vcpus); break;
    case PROP_DISK_SIZE_GIB: g_value_set_uint64 (value, self->disk_size_gib); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_machine_spec_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VmdMachineSpec *self = VMD_MACHINE_SPEC (object);

  switch (prop_id)
    {
    case PROP_MEMORY_MIB:    vmd_machine_spec_set_memory_mib (self, g_value_get_uint64 (value)); break;
    case PROP_VCPUS:         vmd_machine_spec_set_vcpus (self, g_value_get_uint (value)); break;
    case PROP_DISK_SIZE_GIB: vmd_machine_spec_set_disk_size_gib (self, g_value_get_uint64 (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vmd_machine_spec_class_init (VmdMachineSpecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vmd_machine_spec_finalize;
  object_class->get_property = vmd_machine_spec_get_property;
  object_class->set_property = vmd_machine_spec_set_property;

  /* Unbounded here: the checks, not the type, say what is too much. */
  properties[PROP_MEMORY_MIB] = g_param_spec_uint64 ("memory-mib", NULL, NULL, 0, G_MAXUINT64, 1024, flags);
  properties[PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 0, G_MAXUINT, 1, flags);
  properties[PROP_DISK_SIZE_GIB] = g_param_spec_uint64 ("disk-size-gib", NULL, NULL, 0, G_MAXUINT64, 20, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Any change: the assistant checks its page again. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* The answers virt-install gives when asked nothing. */
static void
vmd_machine_spec_init (VmdMachineSpec *self)
{
  self->method = VMD_INSTALL_METHOD_CDROM;
  self->memory_mib = 1024;
  self->vcpus = 1;
  self->storage_kind = VMD_STORAGE_NEW_VOLUME;
  self->disk_size_gib = 20;
  self->pool_name = g_strdup ("default");
  self->pool_path = g_strdup ("/var/lib/libvirt/images");
  self->pool_free_bytes = G_MAXUINT64;
  self->network_kind = VMD_NETWORK_NAT;
  self->network_source = g_strdup ("default");
  self->graphics = VMD_GRAPHICS_SPICE_QXL;
  self->firmware = VMD_FIRMWARE_BIOS;
  self->os_id = g_strdup ("generic");
  self->os_name = g_strdup (_("Generic OS"));
  self->virtio = TRUE;
}

VmdMachineSpec *
vmd_machine_spec_new (void)
{
  return g_object_new (VMD_TYPE_MACHINE_SPEC, NULL);
}

/* A snapshot for a worker thread: the assistant may go on changing the original meanwhile. */
VmdMachineSpec *
vmd_machine_spec_copy (VmdMachineSpec *self)
{
  VmdMachineSpec *copy = vmd_machine_spec_new ();

  g_return_val_if_fail (VMD_IS_MACHINE_SPEC (self), NULL);
#define COPY_STRING(field) G_STMT_START { g_free (copy->field); copy->field = g_strdup (self->field); } G_STMT_END
  COPY_STRING (name); COPY_STRING (media_path); COPY_STRING (kernel_path); COPY_STRING (initrd_path);
  COPY_STRING (kernel_args); COPY_STRING (os_id); COPY_STRING (os_name); COPY_STRING (os_url);
  COPY_STRING (disk_path); COPY_STRING (pool_name); COPY_STRING (pool_path);
  COPY_STRING (network_source); COPY_STRING (serial_log); COPY_STRING (serial_log_dir);
#undef COPY_STRING
  copy->method = self->method;
  copy->virtio = self->virtio;
  copy->memory_mib = self->memory_mib;
  copy->vcpus = self->vcpus;
  copy->storage_kind = self->storage_kind;
  copy->disk_size_gib = self->disk_size_gib;
  copy->pool_free_bytes = self->pool_free_bytes;
  copy->network_kind = self->network_kind;
  copy->graphics = self->graphics;
  copy->firmware = self->firmware;
  copy->kvm = self->kvm;
  copy->taken_names = g_strdupv (self->taken_names);
  copy->host_networks = g_strdupv (self->host_networks);
  copy->inactive_networks = g_strdupv (self->inactive_networks);
  copy->default_memory_mib = self->default_memory_mib;
  copy->default_vcpus = self->default_vcpus;
  copy->default_disk_gib = self->default_disk_gib;
  copy->host_bridges = g_strdupv (self->host_bridges);
  copy->session_bridges = self->session_bridges != NULL ? g_hash_table_ref (self->session_bridges) : NULL;
  copy->host_memory_mib = self->host_memory_mib;
  copy->host_cpus = self->host_cpus;
  copy->minimum_memory_mib = self->minimum_memory_mib;
  return copy;
}
