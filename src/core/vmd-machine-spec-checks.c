/* VmdMachineSpec, the checks: each answers for one field, so the assistant can put its message
 * beside that field; a warning is what is allowed but probably not meant. They read the user's
 * choices and the host's facts, and never change the spec. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vmd-display-name.h"
#include "vmd-error.h"
#include "vmd-install-media.h"
#include "vmd-machine-spec-private.h"

/* 16 TiB of memory and 1 PiB of disk: beyond any host, well inside 64-bit byte counts. */
#define MAX_MEMORY_MIB (G_GUINT64_CONSTANT (16) * 1024 * 1024)
#define MAX_DISK_GIB   (G_GUINT64_CONSTANT (1024) * 1024)
#define MAX_NAME_LENGTH 64

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
  if (!self->pool_active)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                        _("The pool “%s” is stopped: start it in Connection Details › Storage, "
                          "or choose another pool."), self->pool_name), FALSE;
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
  const char *users;

  if (self->existing_path == NULL || *self->existing_path == '\0')
    return g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                _("Choose the disk image.")), FALSE;
  users = self->disk_users != NULL ? g_hash_table_lookup (self->disk_users, self->existing_path) : NULL;
  if (users != NULL)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_EXISTS,
                        _("%s is the disk of %s already: choose another volume, or copy it "
                          "first (Clone in Connection Details › Storage)."),
                        self->existing_path, users), FALSE;
  if (!g_file_test (self->existing_path, G_FILE_TEST_IS_REGULAR))
    return g_set_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND,
                        _("%s does not exist or is not a file."), self->existing_path), FALSE;
  if (g_access (self->existing_path, R_OK) != 0)
    return g_set_error (error, VMD_ERROR, VMD_ERROR_MEDIA,
                        _("%s cannot be read."), self->existing_path), FALSE;
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
  const char *source = vmd_machine_spec_get_network_source (self);

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
    case VMD_SPEC_FIELD_FIRMWARE: return vmd_machine_spec_check_platform (self, error);
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
  if (field == VMD_SPEC_FIELD_FIRMWARE)
    return vmd_machine_spec_dup_platform_warning (self);
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
