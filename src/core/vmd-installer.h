/* VmdInstaller: makes a new machine from a VmdMachineSpec on one connection, in order: storage
 * pool (when missing), volume, install kernel, domain, first start (paused, when the caller
 * attaches a console first, then resumed); and undoes what it made when a later step fails. Gives the spec the host facts its checks need, from the connection's VmdHostFacts. */
#pragma once

#include <gio/gio.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "vmd-connection.h"
#include "vmd-install-media.h"
#include "vmd-machine-spec.h"

G_BEGIN_DECLS

typedef enum {
  VMD_INSTALL_STEP_NONE,
  VMD_INSTALL_STEP_POOL,
  VMD_INSTALL_STEP_VOLUME,
  VMD_INSTALL_STEP_KERNEL,
  VMD_INSTALL_STEP_NETWORK,
  VMD_INSTALL_STEP_DEFINE,
  VMD_INSTALL_STEP_START,
  VMD_INSTALL_STEP_FINALIZE,
  VMD_INSTALL_STEP_RESUME,
} VmdInstallStep;

typedef enum {
  VMD_INSTALL_NONE = 0,
  VMD_INSTALL_START_PAUSED = 1 << 0,  /* the caller resumes it, once its console is attached */
} VmdInstallFlags;

#define VMD_TYPE_INSTALLER (vmd_installer_get_type ())
G_DECLARE_FINAL_TYPE (VmdInstaller, vmd_installer, VMD, INSTALLER, GObject)

VmdInstaller  *vmd_installer_new                 (VmdConnection       *connection);

void           vmd_installer_probe_async         (VmdInstaller        *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       vmd_installer_probe_finish        (VmdInstaller        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void           vmd_installer_apply_host_facts    (VmdInstaller        *self,
                                                  VmdMachineSpec      *spec);
VmdHostFacts  *vmd_installer_get_host_facts      (VmdInstaller        *self);

void           vmd_installer_install_async       (VmdInstaller        *self,
                                                  VmdMachineSpec      *spec,
                                                  VmdInstallMedia     *media,
                                                  const char          *custom_xml,
                                                  VmdInstallFlags      flags,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char          *vmd_installer_install_finish      (VmdInstaller        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void           vmd_installer_resume_async        (VmdInstaller        *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       vmd_installer_resume_finish       (VmdInstaller        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
gboolean       vmd_installer_has_paused          (VmdInstaller        *self);

/* Test hook: fail at this step as if libvirt had refused it. */
void           vmd_installer_set_fail_at         (VmdInstaller        *self,
                                                  VmdInstallStep       step);
void           vmd_installer_set_boot_dir        (VmdInstaller        *self,
                                                  const char          *dir);

G_END_DECLS
