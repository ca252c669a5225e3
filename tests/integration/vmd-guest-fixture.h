/* The tiny test guest on the system libvirtd, shared by the integration tests: its files copied
 * where QEMU may read them, a storage pool for its disk, its domain XML and the waits on it. */
#pragma once

#include <libvirt/libvirt.h>

#include "vmd-connection.h"

/* One guest per test: a connection through VmdConnection and a raw one for setting up behind
 * the app's back, as virsh would. */
typedef struct {
  VmdConnection *connection;
  virConnectPtr  handle;
  char          *name;
  char          *pool_name;
  char          *pool_dir;
  char          *disk_path;
  char          *iso_path;     /* NULL unless the test copies the ISO itself */
  char          *serial_log;
  const char    *machine_type; /* NULL: "pc"; "q35" for UEFI with Secure Boot (SMM) */
} VmdGuestFixture;

void        vmd_guest_fixture_set_up          (VmdGuestFixture *fixture,
                                               const char      *prefix);
void        vmd_guest_fixture_tear_down       (VmdGuestFixture *fixture);
char       *vmd_guest_fixture_domain_xml      (VmdGuestFixture *fixture,
                                               guint            max_vcpus);
VmdMachine *vmd_guest_fixture_find            (VmdGuestFixture *fixture);
gboolean    vmd_guest_fixture_wait_for_state  (VmdGuestFixture *fixture,
                                               VmdMachineState  state,
                                               guint            timeout_ms);

char       *vmd_guest_fixture_copy_file       (const char      *name,
                                               const char      *to_dir);
void        vmd_guest_fixture_copy_boot_files (const char      *to_dir);
void        vmd_guest_fixture_remove_dir      (const char      *dir);
gboolean    vmd_guest_fixture_wait_for_banner (const char      *serial_log,
                                               guint            timeout_ms);
