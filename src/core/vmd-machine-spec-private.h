/* The fields of VmdMachineSpec, shared by the files it is made of (vmd-machine-spec.c, -host.c,
 * -defaults.c, -checks.c, -xml.c, -copy.c) and by nothing else. */
#pragma once

#include "vmd-machine-spec.h"

G_BEGIN_DECLS

#define GIB (G_GUINT64_CONSTANT (1) << 30)

struct _VmdMachineSpec
{
  GObject           parent_instance;

  /* What the user chooses: the properties. */
  char             *name;
  VmdInstallMethod  method;
  char             *media_path;
  char             *kernel_args;
  char             *os_id;
  char             *os_name;
  guint64           memory_mib;
  guint             vcpus;
  VmdStorageKind    storage_kind;
  char             *existing_path;    /* an existing disk; new volumes get theirs from the pool */
  guint64           disk_size_gib;
  VmdNetworkKind    network_kind;
  char             *network_name;     /* the source while the kind is NAT, */
  char             *bridge;           /* and while it is a bridge: each kept while the other is chosen */
  VmdGraphicsKind   graphics;
  VmdFirmware       firmware;
  gboolean          secure_boot;
  gboolean          tpm;
  gboolean          kvm;
  gboolean          customize;

  /* What follows from the choices. */
  char             *kernel_path;
  char             *initrd_path;
  char             *os_url;           /* libosinfo's id, e.g. http://debian.org/debian/11 */
  gboolean          virtio;
  char             *serial_log;       /* an explicit <log file/>, else one in serial_log_dir */
  VmdStorageKind    storage_before_import;  /* given back when the user leaves Import */
  /* The defaults applied last: a value still equal to one was not changed by the user. */
  char             *suggested_name;
  guint64           default_memory_mib;
  guint             default_vcpus;
  guint64           default_disk_gib;
  /* The OS's wishes for the platform (-platform.c), and which choices the user made: those
   * the proposals leave alone. */
  VmdOsPlatform     os_wants;
  gboolean          users_firmware;
  gboolean          users_secure_boot;
  gboolean          users_tpm;

  /* Facts about the host (vmd-machine-spec-host.c). */
  char             *pool_name;
  char             *pool_path;
  guint64           pool_free_bytes;  /* G_MAXUINT64 when unknown */
  gboolean          pool_active;      /* FALSE: libvirt has the pool but it is stopped */
  GHashTable       *disk_users;       /* a volume's path -> the machines using it; or NULL */
  char             *serial_log_dir;   /* where the host keeps domain logs; NULL: none (remote) */
  GStrv             taken_names;
  GStrv             host_bridges;     /* NULL when unknown: then any bridge name is accepted */
  GStrv             host_networks;    /* likewise for virtual networks */
  GStrv             inactive_networks;
  GHashTable       *session_bridges;  /* a session's: bridge -> why it cannot join it; else NULL */
  guint64           host_memory_mib;  /* 0 when unknown */
  guint             host_cpus;
  guint64           minimum_memory_mib;
  VmdHostPlatform   host_platform;
  gboolean          host_platform_known;  /* FALSE: every part is assumed present */

  gboolean          frozen;           /* a copy for a worker thread: nothing may change it */
};

/* Every string field's address, for finalize and the copy: one list, so neither forgets one. */
#define VMD_MACHINE_SPEC_N_STRINGS 16
void     vmd_machine_spec_list_strings   (VmdMachineSpec *self,
                                          char          **strings[VMD_MACHINE_SPEC_N_STRINGS]);

/* Replaces a string field, "" as NULL; TRUE when it changed. */
gboolean vmd_machine_spec_replace_string (char       **field,
                                          const char  *value);
/* The platform's defaults again, after the OS or the host changed (-platform.c). */
void     vmd_machine_spec_apply_platform_defaults (VmdMachineSpec *self);
gboolean vmd_machine_spec_check_platform (VmdMachineSpec  *self,
                                          GError         **error);
char    *vmd_machine_spec_dup_platform_warning (VmdMachineSpec *self);

/* "changed": every setter emits it once its change is complete, after any notify. */
void     vmd_machine_spec_emit_changed   (VmdMachineSpec *self);

/* For the setters' g_return_if_fail: a copy made for a worker is read-only. */
static inline gboolean
vmd_machine_spec_writable (VmdMachineSpec *self)
{
  return VMD_IS_MACHINE_SPEC (self) && !self->frozen;
}

G_END_DECLS
