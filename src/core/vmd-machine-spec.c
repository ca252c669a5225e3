/* VmdMachineSpec, the model: what the user chooses, as properties the assistant's widgets bind
 * to. Every property notifies only when its value changes, so a binding's echo stops at once;
 * a setter that changes several fields notifies them together, once all are set, so a handler
 * never sees half a change. "changed" follows each batch: the spec may answer its checks
 * differently now. The defaults (an OS's resources, a name from the OS) give way to the user's
 * own values. */
#include "config.h"

#include <glib/gi18n.h>

#include "vmd-machine-spec-private.h"
#include "vmd-spec-enums.h"

G_DEFINE_FINAL_TYPE (VmdMachineSpec, vmd_machine_spec, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_NAME,
  PROP_INSTALL_METHOD,
  PROP_MEDIA_PATH,
  PROP_KERNEL_ARGS,
  PROP_OS_ID,
  PROP_OS_NAME,
  PROP_MEMORY_MIB,
  PROP_VCPUS,
  PROP_STORAGE_KIND,
  PROP_EXISTING_PATH,
  PROP_DISK_SIZE_GIB,
  PROP_NETWORK_KIND,
  PROP_NETWORK_SOURCE,
  PROP_BRIDGE,
  PROP_GRAPHICS,
  PROP_FIRMWARE,
  PROP_SECURE_BOOT,
  PROP_TPM,
  PROP_KVM,
  PROP_CUSTOMIZE,
  PROP_POOL_NAME,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
notify (VmdMachineSpec *self,
        guint           prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Assigns VALUE to the field and notifies PROP when the value is new; TRUE then. */
#define ASSIGN(self, field, value, prop) \
  ((self)->field != (value) ? ((self)->field = (value), notify ((self), (prop)), TRUE) : FALSE)

gboolean
vmd_machine_spec_replace_string (char       **field,
                                 const char  *value)
{
  char *old = *field;

  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (old, value) == 0)
    return FALSE;
  *field = g_strdup (value);
  g_free (old);
  return TRUE;
}

static gboolean
assign_string (VmdMachineSpec  *self,
               char           **field,
               const char      *value,
               guint            prop)
{
  if (!vmd_machine_spec_replace_string (field, value))
    return FALSE;
  notify (self, prop);
  return TRUE;
}

void
vmd_machine_spec_emit_changed (VmdMachineSpec *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* --- name and install method ----------------------------------------------------------------- */

void
vmd_machine_spec_set_name (VmdMachineSpec *self,
                           const char     *name)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  assign_string (self, &self->name, name, PROP_NAME);
}

const char *
vmd_machine_spec_get_name (VmdMachineSpec *self)
{
  return self->name;
}

static gboolean
assign_storage_kind (VmdMachineSpec *self,
                     VmdStorageKind  kind)
{
  return ASSIGN (self, storage_kind, kind, PROP_STORAGE_KIND);
}

/* Import brings its own disk: the storage is that image while it is chosen, and what the user
 * had chosen before comes back when they leave it. */
void
vmd_machine_spec_set_install_method (VmdMachineSpec   *self,
                                     VmdInstallMethod  method)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  if (self->method == method)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  if (method == VMD_INSTALL_METHOD_IMPORT)
    {
      self->storage_before_import = self->storage_kind;
      assign_storage_kind (self, VMD_STORAGE_EXISTING);
    }
  else if (self->method == VMD_INSTALL_METHOD_IMPORT)
    assign_storage_kind (self, self->storage_before_import);
  ASSIGN (self, method, method, PROP_INSTALL_METHOD);
  g_object_thaw_notify (G_OBJECT (self));
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
  g_return_if_fail (vmd_machine_spec_writable (self));
  assign_string (self, &self->media_path, path, PROP_MEDIA_PATH);
}

const char *
vmd_machine_spec_get_media_path (VmdMachineSpec *self)
{
  return self->media_path;
}

/* Where the installer put the kernel and initrd it took from the media; not the user's. */
void
vmd_machine_spec_set_kernel (VmdMachineSpec *self,
                             const char     *kernel_path,
                             const char     *initrd_path)
{
  gboolean changed;

  g_return_if_fail (vmd_machine_spec_writable (self));
  changed = vmd_machine_spec_replace_string (&self->kernel_path, kernel_path);
  changed |= vmd_machine_spec_replace_string (&self->initrd_path, initrd_path);
  if (changed)
    vmd_machine_spec_emit_changed (self);
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
  g_return_if_fail (vmd_machine_spec_writable (self));
  assign_string (self, &self->kernel_args, args, PROP_KERNEL_ARGS);
}

const char *
vmd_machine_spec_get_kernel_args (VmdMachineSpec *self)
{
  return self->kernel_args;
}

/* --- the OS and resources -------------------------------------------------------------------- */

/* virtio is no property: it changes only with the OS, whose notify and "changed" come once it
 * is set too. */
void
vmd_machine_spec_set_os (VmdMachineSpec *self,
                         const char     *short_id,
                         const char     *display_name,
                         gboolean        virtio)
{
  gboolean virtio_changed;
  gboolean notified;

  g_return_if_fail (vmd_machine_spec_writable (self));
  virtio_changed = self->virtio != !!virtio;
  self->virtio = !!virtio;
  g_object_freeze_notify (G_OBJECT (self));
  notified = assign_string (self, &self->os_id, short_id, PROP_OS_ID);
  notified |= assign_string (self, &self->os_name, display_name, PROP_OS_NAME);
  g_object_thaw_notify (G_OBJECT (self));
  if (virtio_changed && !notified)
    vmd_machine_spec_emit_changed (self);
}

void
vmd_machine_spec_set_os_id (VmdMachineSpec *self,
                            const char     *short_id)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  assign_string (self, &self->os_id, short_id, PROP_OS_ID);
}

void
vmd_machine_spec_set_os_url (VmdMachineSpec *self,
                             const char     *osinfo_id)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  if (vmd_machine_spec_replace_string (&self->os_url, osinfo_id))
    vmd_machine_spec_emit_changed (self);
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
  g_return_if_fail (vmd_machine_spec_writable (self));
  ASSIGN (self, memory_mib, mib, PROP_MEMORY_MIB);
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
  g_return_if_fail (vmd_machine_spec_writable (self));
  ASSIGN (self, vcpus, vcpus, PROP_VCPUS);
}

guint
vmd_machine_spec_get_vcpus (VmdMachineSpec *self)
{
  return self->vcpus;
}

/* --- storage --------------------------------------------------------------------------------- */

void
vmd_machine_spec_set_storage (VmdMachineSpec *self,
                              VmdStorageKind  kind,
                              const char     *path,
                              guint64         size_gib)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  g_object_freeze_notify (G_OBJECT (self));
  assign_storage_kind (self, kind);
  assign_string (self, &self->existing_path, path, PROP_EXISTING_PATH);
  ASSIGN (self, disk_size_gib, size_gib, PROP_DISK_SIZE_GIB);
  g_object_thaw_notify (G_OBJECT (self));
}

void
vmd_machine_spec_set_storage_kind (VmdMachineSpec *self,
                                   VmdStorageKind  kind)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  assign_storage_kind (self, kind);
}

VmdStorageKind
vmd_machine_spec_get_storage_kind (VmdMachineSpec *self)
{
  return self->storage_kind;
}

void
vmd_machine_spec_set_existing_path (VmdMachineSpec *self,
                                    const char     *path)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  assign_string (self, &self->existing_path, path, PROP_EXISTING_PATH);
}

const char *
vmd_machine_spec_get_existing_path (VmdMachineSpec *self)
{
  return self->existing_path;
}

void
vmd_machine_spec_set_disk_size_gib (VmdMachineSpec *self,
                                    guint64         size_gib)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  ASSIGN (self, disk_size_gib, size_gib, PROP_DISK_SIZE_GIB);
}

guint64
vmd_machine_spec_get_disk_size_gib (VmdMachineSpec *self)
{
  return self->disk_size_gib;
}

/* --- network --------------------------------------------------------------------------------- */

const char *
vmd_machine_spec_get_network_source (VmdMachineSpec *self)
{
  switch (self->network_kind)
    {
    case VMD_NETWORK_NAT:    return self->network_name;
    case VMD_NETWORK_BRIDGE: return self->bridge;
    case VMD_NETWORK_USER:
    case VMD_NETWORK_NONE:
    default:                 return NULL;
    }
}

/* The source is the kind's own (the network's name, the bridge): switching kinds brings back
 * what that kind had, so the bridge typed stays while NAT is tried. */
static void
assign_network_kind (VmdMachineSpec *self,
                     VmdNetworkKind  kind)
{
  g_autofree char *before = g_strdup (vmd_machine_spec_get_network_source (self));

  if (ASSIGN (self, network_kind, kind, PROP_NETWORK_KIND) &&
      g_strcmp0 (before, vmd_machine_spec_get_network_source (self)) != 0)
    notify (self, PROP_NETWORK_SOURCE);
}

/* The kinds without a source (user mode, none) ignore one. */
static void
assign_network_source (VmdMachineSpec *self,
                       const char     *source)
{
  if (self->network_kind == VMD_NETWORK_NAT)
    assign_string (self, &self->network_name, source, PROP_NETWORK_SOURCE);
  else if (self->network_kind == VMD_NETWORK_BRIDGE &&
           assign_string (self, &self->bridge, source, PROP_BRIDGE))
    notify (self, PROP_NETWORK_SOURCE);
}

void
vmd_machine_spec_set_network (VmdMachineSpec *self,
                              VmdNetworkKind  kind,
                              const char     *source)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  g_object_freeze_notify (G_OBJECT (self));
  assign_network_kind (self, kind);
  assign_network_source (self, source);
  g_object_thaw_notify (G_OBJECT (self));
}

void
vmd_machine_spec_set_network_kind (VmdMachineSpec *self,
                                   VmdNetworkKind  kind)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  g_object_freeze_notify (G_OBJECT (self));
  assign_network_kind (self, kind);
  g_object_thaw_notify (G_OBJECT (self));
}

VmdNetworkKind
vmd_machine_spec_get_network_kind (VmdMachineSpec *self)
{
  return self->network_kind;
}

void
vmd_machine_spec_set_network_source (VmdMachineSpec *self,
                                     const char     *source)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  g_object_freeze_notify (G_OBJECT (self));
  assign_network_source (self, source);
  g_object_thaw_notify (G_OBJECT (self));
}

void
vmd_machine_spec_set_bridge (VmdMachineSpec *self,
                             const char     *bridge)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  g_object_freeze_notify (G_OBJECT (self));
  if (assign_string (self, &self->bridge, bridge, PROP_BRIDGE) &&
      self->network_kind == VMD_NETWORK_BRIDGE)
    notify (self, PROP_NETWORK_SOURCE);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
vmd_machine_spec_get_bridge (VmdMachineSpec *self)
{
  return self->bridge;
}

/* --- display, firmware, acceleration ----------------------------------------------------------- */

void
vmd_machine_spec_set_graphics (VmdMachineSpec  *self,
                               VmdGraphicsKind  kind)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  ASSIGN (self, graphics, kind, PROP_GRAPHICS);
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
  g_return_if_fail (vmd_machine_spec_writable (self));
  self->users_firmware = TRUE;
  ASSIGN (self, firmware, firmware, PROP_FIRMWARE);
}

/* Secure Boot turned on brings the TPM along while the TPM is still the spec's own proposal. */
void
vmd_machine_spec_set_secure_boot (VmdMachineSpec *self,
                                  gboolean        secure_boot)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  self->users_secure_boot = TRUE;
  g_object_freeze_notify (G_OBJECT (self));
  if (ASSIGN (self, secure_boot, !!secure_boot, PROP_SECURE_BOOT))
    vmd_machine_spec_apply_platform_defaults (self);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
vmd_machine_spec_get_secure_boot (VmdMachineSpec *self)
{
  return self->secure_boot;
}

void
vmd_machine_spec_set_tpm (VmdMachineSpec *self,
                          gboolean        tpm)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  self->users_tpm = TRUE;
  ASSIGN (self, tpm, !!tpm, PROP_TPM);
}

gboolean
vmd_machine_spec_get_tpm (VmdMachineSpec *self)
{
  return self->tpm;
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
  g_return_if_fail (vmd_machine_spec_writable (self));
  ASSIGN (self, kvm, !!kvm, PROP_KVM);
}

gboolean
vmd_machine_spec_get_kvm (VmdMachineSpec *self)
{
  return self->kvm;
}

/* The user's wish to edit the XML before it is defined; the XML does not change for it. */
void
vmd_machine_spec_set_customize (VmdMachineSpec *self,
                                gboolean        customize)
{
  g_return_if_fail (vmd_machine_spec_writable (self));
  ASSIGN (self, customize, !!customize, PROP_CUSTOMIZE);
}

gboolean
vmd_machine_spec_get_customize (VmdMachineSpec *self)
{
  return self->customize;
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
vmd_machine_spec_finalize (GObject *object)
{
  VmdMachineSpec *self = VMD_MACHINE_SPEC (object);
  char **strings[VMD_MACHINE_SPEC_N_STRINGS];

  vmd_machine_spec_list_strings (self, strings);
  for (guint i = 0; i < VMD_MACHINE_SPEC_N_STRINGS; i++)
    g_clear_pointer (strings[i], g_free);
  g_strfreev (self->taken_names);
  g_strfreev (self->host_bridges);
  g_strfreev (self->host_networks);
  g_strfreev (self->inactive_networks);
  g_clear_pointer (&self->session_bridges, g_hash_table_unref);
  g_clear_pointer (&self->disk_users, g_hash_table_unref);
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
    case PROP_NAME:           g_value_set_string (value, self->name); break;
    case PROP_INSTALL_METHOD: g_value_set_enum (value, self->method); break;
    case PROP_MEDIA_PATH:     g_value_set_string (value, self->media_path); break;
    case PROP_KERNEL_ARGS:    g_value_set_string (value, self->kernel_args); break;
    case PROP_OS_ID:          g_value_set_string (value, self->os_id); break;
    case PROP_OS_NAME:        g_value_set_string (value, self->os_name); break;
    case PROP_MEMORY_MIB:     g_value_set_uint64 (value, self->memory_mib); break;
    case PROP_VCPUS:          g_value_set_uint (value, self->vcpus); break;
    case PROP_STORAGE_KIND:   g_value_set_enum (value, self->storage_kind); break;
    case PROP_EXISTING_PATH:  g_value_set_string (value, self->existing_path); break;
    case PROP_DISK_SIZE_GIB:  g_value_set_uint64 (value, self->disk_size_gib); break;
    case PROP_NETWORK_KIND:   g_value_set_enum (value, self->network_kind); break;
    case PROP_NETWORK_SOURCE: g_value_set_string (value, vmd_machine_spec_get_network_source (self)); break;
    case PROP_BRIDGE:         g_value_set_string (value, self->bridge); break;
    case PROP_GRAPHICS:       g_value_set_enum (value, self->graphics); break;
    case PROP_FIRMWARE:       g_value_set_enum (value, self->firmware); break;
    case PROP_SECURE_BOOT:    g_value_set_boolean (value, self->secure_boot); break;
    case PROP_TPM:            g_value_set_boolean (value, self->tpm); break;
    case PROP_KVM:            g_value_set_boolean (value, self->kvm); break;
    case PROP_CUSTOMIZE:      g_value_set_boolean (value, self->customize); break;
    case PROP_POOL_NAME:      g_value_set_string (value, self->pool_name); break;
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
    case PROP_NAME:           vmd_machine_spec_set_name (self, g_value_get_string (value)); break;
    case PROP_INSTALL_METHOD: vmd_machine_spec_set_install_method (self, g_value_get_enum (value)); break;
    case PROP_MEDIA_PATH:     vmd_machine_spec_set_media_path (self, g_value_get_string (value)); break;
    case PROP_KERNEL_ARGS:    vmd_machine_spec_set_kernel_args (self, g_value_get_string (value)); break;
    case PROP_OS_ID:          vmd_machine_spec_set_os_id (self, g_value_get_string (value)); break;
    case PROP_MEMORY_MIB:     vmd_machine_spec_set_memory_mib (self, g_value_get_uint64 (value)); break;
    case PROP_VCPUS:          vmd_machine_spec_set_vcpus (self, g_value_get_uint (value)); break;
    case PROP_STORAGE_KIND:   vmd_machine_spec_set_storage_kind (self, g_value_get_enum (value)); break;
    case PROP_EXISTING_PATH:  vmd_machine_spec_set_existing_path (self, g_value_get_string (value)); break;
    case PROP_DISK_SIZE_GIB:  vmd_machine_spec_set_disk_size_gib (self, g_value_get_uint64 (value)); break;
    case PROP_NETWORK_KIND:   vmd_machine_spec_set_network_kind (self, g_value_get_enum (value)); break;
    case PROP_NETWORK_SOURCE: vmd_machine_spec_set_network_source (self, g_value_get_string (value)); break;
    case PROP_BRIDGE:         vmd_machine_spec_set_bridge (self, g_value_get_string (value)); break;
    case PROP_GRAPHICS:       vmd_machine_spec_set_graphics (self, g_value_get_enum (value)); break;
    case PROP_FIRMWARE:       vmd_machine_spec_set_firmware (self, g_value_get_enum (value)); break;
    case PROP_SECURE_BOOT:    vmd_machine_spec_set_secure_boot (self, g_value_get_boolean (value)); break;
    case PROP_TPM:            vmd_machine_spec_set_tpm (self, g_value_get_boolean (value)); break;
    case PROP_KVM:            vmd_machine_spec_set_kvm (self, g_value_get_boolean (value)); break;
    case PROP_CUSTOMIZE:      vmd_machine_spec_set_customize (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* After the notify handlers of a batch (one setter, one g_object_set): "changed" comes last, so
 * its handler sees what they did too. GObject calls this even with no notify handler at all. */
static void
vmd_machine_spec_dispatch_properties_changed (GObject     *object,
                                              guint        n_pspecs,
                                              GParamSpec **pspecs)
{
  G_OBJECT_CLASS (vmd_machine_spec_parent_class)->dispatch_properties_changed (object, n_pspecs, pspecs);
  vmd_machine_spec_emit_changed (VMD_MACHINE_SPEC (object));
}

static GParamSpec *
string_property (const char *name,
                 GParamFlags flags)
{
  return g_param_spec_string (name, NULL, NULL, NULL, flags);
}

static GParamSpec *
enum_property (const char *name,
               GType       type,
               int         fallback,
               GParamFlags flags)
{
  return g_param_spec_enum (name, NULL, NULL, type, fallback, flags);
}

static void
install_properties (GObjectClass *object_class)
{
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  properties[PROP_NAME] = string_property ("name", rw);
  properties[PROP_INSTALL_METHOD] = enum_property ("install-method", VMD_TYPE_INSTALL_METHOD,
                                                   VMD_INSTALL_METHOD_CDROM, rw);
  properties[PROP_MEDIA_PATH] = string_property ("media-path", rw);
  properties[PROP_KERNEL_ARGS] = string_property ("kernel-args", rw);
  properties[PROP_OS_ID] = string_property ("os-id", rw);
  properties[PROP_OS_NAME] = string_property ("os-name", ro);
  /* Unbounded here: the checks, not the type, say what is too much. */
  properties[PROP_MEMORY_MIB] = g_param_spec_uint64 ("memory-mib", NULL, NULL, 0, G_MAXUINT64, 1024, rw);
  properties[PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 0, G_MAXUINT, 1, rw);
  properties[PROP_STORAGE_KIND] = enum_property ("storage-kind", VMD_TYPE_STORAGE_KIND,
                                                 VMD_STORAGE_NEW_VOLUME, rw);
  properties[PROP_EXISTING_PATH] = string_property ("existing-path", rw);
  properties[PROP_DISK_SIZE_GIB] = g_param_spec_uint64 ("disk-size-gib", NULL, NULL, 0, G_MAXUINT64, 20, rw);
  properties[PROP_NETWORK_KIND] = enum_property ("network-kind", VMD_TYPE_NETWORK_KIND,
                                                 VMD_NETWORK_NAT, rw);
  properties[PROP_NETWORK_SOURCE] = string_property ("network-source", rw);
  properties[PROP_BRIDGE] = string_property ("bridge", rw);
  properties[PROP_GRAPHICS] = enum_property ("graphics", VMD_TYPE_GRAPHICS_KIND,
                                             VMD_GRAPHICS_SPICE_QXL, rw);
  properties[PROP_FIRMWARE] = enum_property ("firmware", VMD_TYPE_FIRMWARE, VMD_FIRMWARE_BIOS, rw);
  properties[PROP_SECURE_BOOT] = g_param_spec_boolean ("secure-boot", NULL, NULL, FALSE, rw);
  properties[PROP_TPM] = g_param_spec_boolean ("tpm", NULL, NULL, FALSE, rw);
  properties[PROP_KVM] = g_param_spec_boolean ("kvm", NULL, NULL, FALSE, rw);
  properties[PROP_CUSTOMIZE] = g_param_spec_boolean ("customize", NULL, NULL, FALSE, rw);
  /* Chosen with vmd_machine_spec_choose_pool: the name alone does not say how much room. */
  properties[PROP_POOL_NAME] = string_property ("pool-name", ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vmd_machine_spec_class_init (VmdMachineSpecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vmd_machine_spec_finalize;
  object_class->get_property = vmd_machine_spec_get_property;
  object_class->set_property = vmd_machine_spec_set_property;
  object_class->dispatch_properties_changed = vmd_machine_spec_dispatch_properties_changed;
  install_properties (object_class);

  /* Any change, a property or a fact about the host: the assistant checks its pages again. */
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
  self->storage_before_import = VMD_STORAGE_NEW_VOLUME;
  self->disk_size_gib = 20;
  self->pool_name = g_strdup ("default");
  self->pool_path = g_strdup ("/var/lib/libvirt/images");
  self->pool_free_bytes = G_MAXUINT64;
  self->pool_active = TRUE;
  self->network_kind = VMD_NETWORK_NAT;
  self->network_name = g_strdup ("default");
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
