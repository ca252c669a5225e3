/* The typed fields of each details form (title, memory, vCPUs, boot): read from a config,
 * compared, described and merged three ways.
 *
 * A form is applied as three of these: what it started from (base), what the user left in it
 * (mine) and what libvirt holds at apply time (current). Only the fields the user changed are
 * written; a field the user changed that was also changed elsewhere since is a conflict
 * (VMD_ERROR_CONFLICT), unless overwrite is asked. Strings are borrowed; NULL and "" both mean
 * none. */
#pragma once

#include <glib.h>

#include "vmd-machine-config.h"

G_BEGIN_DECLS

typedef struct {
  const char *title;
  const char *description;
} VmdTitleFields;

typedef struct {
  guint64 max_kib;
  guint64 current_kib;
} VmdMemoryFields;

typedef struct {
  guint max;
  guint current;
} VmdVcpuFields;

/* NULL strings remove the element. */
typedef struct {
  const char * const *devices;
  gboolean            menu;
  const char         *kernel;
  const char         *initrd;
  const char         *cmdline;
} VmdBootSettings;

VmdTitleFields   vmd_title_fields_of          (const VmdMachineConfig *config);
VmdMemoryFields  vmd_memory_fields_of         (const VmdMachineConfig *config);
VmdVcpuFields    vmd_vcpu_fields_of           (const VmdMachineConfig *config);
VmdBootSettings  vmd_boot_settings_of         (const VmdMachineConfig *config);

/* Owned copies, for a change that outlives the caller's strings. */
void             vmd_title_fields_copy        (VmdTitleFields         *to,
                                               const VmdTitleFields   *from);
void             vmd_title_fields_clear       (VmdTitleFields         *fields);
void             vmd_boot_settings_copy       (VmdBootSettings        *to,
                                               const VmdBootSettings  *from);
void             vmd_boot_settings_clear      (VmdBootSettings        *boot);

/* base NULL: mine as it is, every field written. */
gboolean         vmd_title_fields_merge       (const VmdTitleFields   *base,
                                               const VmdTitleFields   *mine,
                                               const VmdTitleFields   *current,
                                               gboolean                overwrite,
                                               VmdTitleFields         *merged,
                                               GError                **error);
gboolean         vmd_memory_fields_merge      (const VmdMemoryFields  *base,
                                               const VmdMemoryFields  *mine,
                                               const VmdMemoryFields  *current,
                                               gboolean                overwrite,
                                               VmdMemoryFields        *merged,
                                               GError                **error);
gboolean         vmd_vcpu_fields_merge        (const VmdVcpuFields    *base,
                                               const VmdVcpuFields    *mine,
                                               const VmdVcpuFields    *current,
                                               gboolean                overwrite,
                                               VmdVcpuFields          *merged,
                                               GError                **error);
gboolean         vmd_boot_settings_merge      (const VmdBootSettings  *base,
                                               const VmdBootSettings  *mine,
                                               const VmdBootSettings  *current,
                                               gboolean                overwrite,
                                               VmdBootSettings        *merged,
                                               GError                **error);

/* "Maximum memory: 256 MiB → 128 MiB", a line per field that differs; NULL when none does. */
char            *vmd_name_describe_change     (const char             *before,
                                               const char             *after);
char            *vmd_title_fields_describe    (const VmdTitleFields   *before,
                                               const VmdTitleFields   *after);
char            *vmd_memory_fields_describe   (const VmdMemoryFields  *before,
                                               const VmdMemoryFields  *after);
char            *vmd_vcpu_fields_describe     (const VmdVcpuFields    *before,
                                               const VmdVcpuFields    *after);
char            *vmd_boot_settings_describe   (const VmdBootSettings  *before,
                                               const VmdBootSettings  *after);

G_END_DECLS
