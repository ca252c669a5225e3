/* The platform of a new machine (issue 15): firmware, Secure Boot, TPM and Hyper-V chosen from
 * the OS (libosinfo and the table beside it) and the host's domain capabilities, the XML that
 * asks libvirt's firmware auto-selection for them, and the combinations that are refused. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "vmd-domain-xml.h"
#include "vmd-error.h"
#include "vmd-host-platform.h"
#include "vmd-machine.h"
#include "vmd-machine-spec.h"
#include "vmd-os-catalog.h"
#include "vmd-test-util.h"
#include "vmd-xml.h"

static const VmdHostPlatform full_host = { TRUE, TRUE, TRUE };

static gboolean
xml_has (const char *xml,
         const char *expr)
{
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, NULL);

  g_assert_nonnull (doc);
  return vmd_xml_exists (doc, NULL, expr);
}

static guint64
xml_count (const char *xml,
           const char *expr)
{
  g_autoptr(VmdXml) doc = vmd_xml_parse (xml, NULL);
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (doc, NULL, expr);

  return nodes->len;
}

/* A spec for OS, as the assistant makes it when the user picks OS in the search. */
static VmdMachineSpec *
spec_for_os (const char            *short_id,
             const VmdHostPlatform *host)
{
  VmdMachineSpec *spec = vmd_machine_spec_new ();
  OsinfoOs *os = vmd_os_catalog_find (vmd_test_loaded_catalog (), short_id);
  VmdOsDefaults defaults;
  VmdOsPlatform platform;

  g_assert_nonnull (os);
  vmd_os_catalog_get_defaults (os, &defaults);
  vmd_os_catalog_get_platform (os, &platform);
  vmd_machine_spec_set_os (spec, short_id, short_id, defaults.virtio);
  vmd_machine_spec_set_os_platform (spec, &platform);
  vmd_machine_spec_apply_defaults (spec, defaults.memory_mib, defaults.cpus, defaults.storage_gib,
                                   defaults.minimum_memory_mib);
  if (host != NULL)
    vmd_machine_spec_set_host_platform (spec, host);
  vmd_machine_spec_set_name (spec, "platform-test");
  vmd_machine_spec_set_install_method (spec, VMD_INSTALL_METHOD_MANUAL);
  return spec;
}

static void
test_os_windows11 (void)
{
  OsinfoOs *os = vmd_os_catalog_find (vmd_test_loaded_catalog (), "win11");
  VmdOsDefaults defaults;
  VmdOsPlatform platform;

  vmd_os_catalog_get_defaults (os, &defaults);
  vmd_os_catalog_get_platform (os, &platform);
  g_assert_true (platform.uefi);
  g_assert_true (platform.secure_boot);
  g_assert_true (platform.tpm);
  g_assert_true (platform.hyperv);
  g_assert_cmpuint (defaults.memory_mib, ==, 4096);
  g_assert_cmpuint (defaults.storage_gib, ==, 64);
  g_assert_cmpuint (defaults.cpus, ==, 2);
}

/* Windows 10 starts from BIOS and has no requirement: Hyper-V only. Debian: nothing. */
static void
test_os_others (void)
{
  VmdOsPlatform platform;

  vmd_os_catalog_get_platform (vmd_os_catalog_find (vmd_test_loaded_catalog (), "win10"), &platform);
  g_assert_false (platform.uefi);
  g_assert_false (platform.secure_boot);
  g_assert_false (platform.tpm);
  g_assert_true (platform.hyperv);
  vmd_os_catalog_get_platform (vmd_os_catalog_find (vmd_test_loaded_catalog (), "debian11"), &platform);
  g_assert_false (platform.uefi || platform.secure_boot || platform.tpm || platform.hyperv);
  vmd_os_catalog_get_platform (NULL, &platform);
  g_assert_false (platform.uefi || platform.secure_boot || platform.tpm || platform.hyperv);
}

static void
test_xml_windows11 (void)
{
  g_autoptr(VmdMachineSpec) spec = spec_for_os ("win11", &full_host);
  g_autofree char *xml = NULL;
  g_autofree char *tcg_xml = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (vmd_machine_spec_get_firmware (spec), ==, VMD_FIRMWARE_UEFI);
  g_assert_true (vmd_machine_spec_get_secure_boot (spec));
  g_assert_true (vmd_machine_spec_get_tpm (spec));
  g_assert_cmpuint (vmd_machine_spec_get_memory_mib (spec), ==, 4096);
  g_assert_cmpuint (vmd_machine_spec_get_disk_size_gib (spec), ==, 64);
  g_assert_cmpuint (vmd_machine_spec_get_vcpus (spec), ==, 2);
  shown = vmd_machine_spec_describe_platform (spec);
  g_assert_cmpstr (shown, ==, "UEFI, Secure Boot on, TPM 2.0");
  g_assert_true (vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_FIRMWARE, &error));
  g_assert_no_error (error);

  /* Under TCG: Windows' clock, but no Hyper-V enlightenments, which QEMU refuses there. */
  tcg_xml = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_FINAL);
  g_assert_false (xml_has (tcg_xml, "/domain/features/hyperv"));
  g_assert_true (xml_has (tcg_xml, "/domain/clock[@offset='localtime']/timer[@name='hypervclock']"));

  vmd_machine_spec_set_kvm (spec, TRUE);
  xml = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_FINAL);
  g_assert_true (g_str_has_prefix (xml, "<domain"));
  g_assert_true (xml_has (xml, "/domain/os[@firmware='efi']/type[@machine='q35']"));
  g_assert_true (xml_has (xml, "/domain/os/firmware/feature[@name='secure-boot'][@enabled='yes']"));
  g_assert_true (xml_has (xml, "/domain/os/firmware/feature[@name='enrolled-keys'][@enabled='yes']"));
  g_assert_true (xml_has (xml, "/domain/features/acpi"));
  g_assert_true (xml_has (xml, "/domain/features/smm[@state='on']"));
  g_assert_true (xml_has (xml, "/domain/devices/tpm[@model='tpm-crb']/backend[@type='emulator'][@version='2.0']"));
  g_assert_cmpuint (xml_count (xml, "/domain/devices/tpm"), ==, 1);
  /* Hyper-V as virt-manager gives it, and Windows' clock. */
  g_assert_true (xml_has (xml, "/domain/features/hyperv[@mode='custom']/spinlocks[@state='on'][@retries='8191']"));
  for (const char *const *f = (const char *const[]) { "relaxed", "vapic", "vpindex", "runtime", "synic",
                                                      "stimer", "reset", "frequencies", NULL }; *f != NULL; f++)
    {
      g_autofree char *expr = g_strdup_printf ("/domain/features/hyperv/%s[@state='on']", *f);

      g_assert_true (xml_has (xml, expr));
    }
  g_assert_true (xml_has (xml, "/domain/clock[@offset='localtime']/timer[@name='rtc'][@tickpolicy='catchup']"));
  g_assert_true (xml_has (xml, "/domain/clock/timer[@name='pit'][@tickpolicy='delay']"));
  g_assert_true (xml_has (xml, "/domain/clock/timer[@name='hpet'][@present='no']"));
  g_assert_true (xml_has (xml, "/domain/clock/timer[@name='hypervclock'][@present='yes']"));
  g_assert_cmpuint (xml_count (xml, "/domain/clock"), ==, 1);
  g_assert_cmpuint (xml_count (xml, "/domain/features/smm"), ==, 1);
}

/* Plain UEFI says "no Secure Boot", or libvirt would pick Debian's enrolled build by priority. */
static void
test_xml_uefi_without_secure_boot (void)
{
  g_autoptr(VmdMachineSpec) spec = spec_for_os ("debian11", &full_host);
  g_autofree char *xml = NULL;
  g_autofree char *shown = NULL;

  g_assert_cmpint (vmd_machine_spec_get_firmware (spec), ==, VMD_FIRMWARE_BIOS);
  g_assert_false (vmd_machine_spec_get_tpm (spec));
  xml = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_FINAL);
  g_assert_false (xml_has (xml, "/domain/os/@firmware"));
  g_assert_false (xml_has (xml, "/domain/os/firmware"));
  g_assert_false (xml_has (xml, "/domain/devices/tpm"));
  g_assert_false (xml_has (xml, "/domain/features/hyperv"));
  g_assert_false (xml_has (xml, "/domain/clock"));
  g_free (xml);

  vmd_machine_spec_set_firmware (spec, VMD_FIRMWARE_UEFI);
  shown = vmd_machine_spec_describe_platform (spec);
  g_assert_cmpstr (shown, ==, "UEFI, Secure Boot off");
  xml = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_FINAL);
  g_assert_true (xml_has (xml, "/domain/os[@firmware='efi']/firmware/feature[@name='secure-boot'][@enabled='no']"));
  g_assert_false (xml_has (xml, "/domain/os/firmware/feature[@name='enrolled-keys']"));
  g_assert_false (xml_has (xml, "/domain/features/smm"));
  g_assert_true (xml_has (xml, "/domain/features/acpi"));
}

/* Secure Boot turned on brings a TPM along (still the spec's own choice); off again, it goes. */
static void
test_secure_boot_brings_tpm (void)
{
  g_autoptr(VmdMachineSpec) spec = spec_for_os ("debian11", &full_host);
  g_autofree char *xml = NULL;

  vmd_machine_spec_set_firmware (spec, VMD_FIRMWARE_UEFI);
  vmd_machine_spec_set_secure_boot (spec, TRUE);
  g_assert_true (vmd_machine_spec_get_tpm (spec));
  xml = vmd_machine_spec_to_xml (spec, VMD_SPEC_PHASE_FINAL);
  g_assert_true (xml_has (xml, "/domain/devices/tpm/backend[@type='emulator']"));
  g_assert_true (xml_has (xml, "/domain/features/smm[@state='on']"));
  vmd_machine_spec_set_secure_boot (spec, FALSE);
  g_assert_false (vmd_machine_spec_get_tpm (spec));

  /* The user's own TPM stays whatever Secure Boot does. */
  vmd_machine_spec_set_tpm (spec, TRUE);
  vmd_machine_spec_set_secure_boot (spec, TRUE);
  vmd_machine_spec_set_secure_boot (spec, FALSE);
  g_assert_true (vmd_machine_spec_get_tpm (spec));
  vmd_machine_spec_set_tpm (spec, FALSE);
  vmd_machine_spec_set_secure_boot (spec, TRUE);
  g_assert_false (vmd_machine_spec_get_tpm (spec));
}

/* The user's choices stay when the OS changes; the OS's proposals follow it otherwise. */
static void
test_user_choice_stays (void)
{
  g_autoptr(VmdMachineSpec) spec = spec_for_os ("win11", &full_host);
  OsinfoOs *debian = vmd_os_catalog_find (vmd_test_loaded_catalog (), "debian11");
  VmdOsPlatform platform;

  vmd_machine_spec_set_tpm (spec, FALSE);
  vmd_os_catalog_get_platform (debian, &platform);
  vmd_machine_spec_set_os_platform (spec, &platform);
  g_assert_cmpint (vmd_machine_spec_get_firmware (spec), ==, VMD_FIRMWARE_BIOS);
  g_assert_false (vmd_machine_spec_get_secure_boot (spec));
  g_assert_false (vmd_machine_spec_get_tpm (spec));
}

/* Secure Boot with BIOS cannot start: refused beside the firmware, with what to do. */
static void
test_refused_secure_boot_with_bios (void)
{
  g_autoptr(VmdMachineSpec) spec = spec_for_os ("win11", &full_host);
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  VmdSpecField bad = VMD_SPEC_N_FIELDS;

  vmd_machine_spec_set_firmware (spec, VMD_FIRMWARE_BIOS);
  g_assert_false (vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_FIRMWARE, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Secure Boot needs UEFI"));
  g_clear_error (&error);
  g_assert_false (vmd_machine_spec_validate (spec, &bad, &error));
  g_assert_cmpint (bad, ==, VMD_SPEC_FIELD_FIRMWARE);
  g_clear_error (&error);

  /* Without Secure Boot it is allowed, with a warning that Windows 11 will not start. */
  vmd_machine_spec_set_secure_boot (spec, FALSE);
  g_assert_true (vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_FIRMWARE, &error));
  warning = vmd_machine_spec_dup_warning (spec, VMD_SPEC_FIELD_FIRMWARE);
  g_assert_nonnull (strstr (warning, "BIOS"));
}

/* A host without OVMF's Secure Boot build or swtpm: not proposed, refused when chosen, and the
 * missing package named. */
static void
test_refused_missing_on_host (void)
{
  const VmdHostPlatform bare = { TRUE, FALSE, FALSE };
  g_autoptr(VmdMachineSpec) spec = spec_for_os ("win11", &bare);
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = vmd_machine_spec_dup_platform_missing (spec);

  g_assert_cmpint (vmd_machine_spec_get_firmware (spec), ==, VMD_FIRMWARE_UEFI);
  g_assert_false (vmd_machine_spec_get_secure_boot (spec));
  g_assert_false (vmd_machine_spec_get_tpm (spec));
  g_assert_nonnull (strstr (missing, "apt install ovmf"));
  g_assert_nonnull (strstr (missing, "apt install swtpm swtpm-tools"));

  vmd_machine_spec_set_tpm (spec, TRUE);
  g_assert_false (vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_FIRMWARE, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_UNSUPPORTED_DEVICE);
  g_assert_nonnull (strstr (error->message, "swtpm"));
  g_clear_error (&error);
  vmd_machine_spec_set_tpm (spec, FALSE);
  vmd_machine_spec_set_secure_boot (spec, TRUE);
  g_assert_false (vmd_machine_spec_check_field (spec, VMD_SPEC_FIELD_FIRMWARE, &error));
  g_assert_nonnull (strstr (error->message, "Secure Boot"));
}

/* Domain capabilities as libvirt 9.0 gives them on Debian 12, and without ovmf or swtpm. */
static void
test_host_platform (void)
{
  const char *full =
    "<domainCapabilities><os supported='yes'><enum name='firmware'><value>efi</value></enum>"
    "<loader supported='yes'><value>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</value>"
    "<enum name='secure'><value>yes</value><value>no</value></enum></loader></os>"
    "<devices><tpm supported='yes'><enum name='model'><value>tpm-crb</value></enum>"
    "<enum name='backendModel'><value>passthrough</value><value>emulator</value></enum>"
    "<enum name='backendVersion'><value>1.2</value><value>2.0</value></enum></tpm></devices>"
    "</domainCapabilities>";
  const char *bare =
    "<domainCapabilities><os supported='yes'><loader supported='yes'>"
    "<enum name='secure'><value>no</value></enum></loader></os>"
    "<devices><tpm supported='yes'><enum name='backendModel'><value>passthrough</value></enum>"
    "</tpm></devices></domainCapabilities>";
  const char *old = "<domainCapabilities><os supported='yes'/><devices/></domainCapabilities>";
  g_autofree char *root = g_dir_make_tmp ("vmd-platform-XXXXXX", NULL);
  g_autofree char *bin = g_build_filename (root, "usr", "bin", NULL);
  g_autofree char *described = NULL;
  VmdHostPlatform p;

  vmd_host_platform_read (full, NULL, &p);
  g_assert_true (p.uefi && p.secure_boot && p.tpm);
  described = vmd_host_platform_describe (&p);
  g_assert_cmpstr (described, ==, "UEFI with Secure Boot, TPM 2.0 emulation.");
  g_clear_pointer (&described, g_free);
  vmd_host_platform_read (bare, "/", &p);
  g_assert_false (p.uefi || p.secure_boot || p.tpm);
  described = vmd_host_platform_describe (&p);
  g_assert_nonnull (strstr (described, "BIOS only"));
  g_assert_nonnull (strstr (described, "apt install ovmf"));
  g_assert_nonnull (strstr (described, "apt install swtpm swtpm-tools"));
  g_clear_pointer (&described, g_free);
  vmd_host_platform_read (NULL, "/", &p);
  g_assert_false (p.uefi || p.secure_boot || p.tpm);

  /* No <tpm> in the capabilities: the host's own swtpm binaries answer, and a remote host's not. */
  g_assert_cmpint (g_mkdir_with_parents (bin, 0755), ==, 0);
  vmd_host_platform_read (old, root, &p);
  g_assert_false (p.tpm);
  for (const char *const *tool = (const char *const[]) { "swtpm", "swtpm_setup", NULL }; *tool != NULL; tool++)
    {
      g_autofree char *path = g_build_filename (bin, *tool, NULL);

      g_assert_true (g_file_set_contents (path, "#!/bin/sh\n", -1, NULL));
      g_assert_cmpint (g_chmod (path, 0755), ==, 0);
    }
  vmd_host_platform_read (old, root, &p);
  g_assert_true (p.tpm);
  vmd_host_platform_read (old, NULL, &p);
  g_assert_false (p.tpm);
  for (const char *const *path = (const char *const[]) { "usr/bin/swtpm", "usr/bin/swtpm_setup",
                                                         "usr/bin", "usr", "", NULL }; *path != NULL; path++)
    {
      g_autofree char *full_path = g_build_filename (root, *path, NULL);

      g_assert_cmpint (g_remove (full_path), ==, 0);
    }
}

/* Details' firmware change: an older machine's loader and NVRAM go (auto-selection chooses
 * again), a UEFI machine is marked for fresh NVRAM, BIOS with Secure Boot refused. */
static void
test_xml_set_firmware (void)
{
  const char *old_uefi =
    "<domain type='qemu'><name>f</name><os><type machine='q35'>hvm</type>"
    "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>"
    "<nvram>/var/lib/libvirt/qemu/nvram/f_VARS.fd</nvram></os><features><acpi/></features>"
    "<metadata><other xmlns='urn:x'/></metadata></domain>";
  g_autoptr(GError) error = NULL;
  g_autofree char *secure = vmd_domain_xml_set_firmware (old_uefi, TRUE, TRUE, TRUE, &error);
  g_autofree char *bios = NULL;
  g_autofree char *refused = NULL;
  g_autoptr(VmdXml) doc = NULL;

  g_assert_no_error (error);
  g_assert_false (xml_has (secure, "/domain/os/loader"));
  g_assert_false (xml_has (secure, "/domain/os/nvram"));
  g_assert_true (xml_has (secure, "/domain/os[@firmware='efi']/firmware/feature[@name='secure-boot'][@enabled='yes']"));
  g_assert_true (xml_has (secure, "/domain/features/smm[@state='on']"));
  doc = vmd_xml_parse (secure, NULL);
  g_assert_true (vmd_xml_exists (doc, NULL, "/domain/metadata/*[local-name()='firmware' and namespace-uri()='"
                                 VMD_FIRMWARE_NS "'][@reset-nvram='yes']"));
  g_assert_true (vmd_xml_exists (doc, NULL, "/domain/metadata/*[namespace-uri()='urn:x']"));

  bios = vmd_domain_xml_set_firmware (secure, FALSE, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (xml_has (bios, "/domain/os/@firmware"));
  g_assert_false (xml_has (bios, "/domain/os/firmware"));

  refused = vmd_domain_xml_set_firmware (old_uefi, FALSE, TRUE, FALSE, &error);
  g_assert_null (refused);
  g_assert_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/machine-platform/os/windows11", test_os_windows11);
  g_test_add_func ("/machine-platform/os/others", test_os_others);
  g_test_add_func ("/machine-platform/xml/windows11", test_xml_windows11);
  g_test_add_func ("/machine-platform/xml/uefi-without-secure-boot", test_xml_uefi_without_secure_boot);
  g_test_add_func ("/machine-platform/defaults/secure-boot-brings-tpm", test_secure_boot_brings_tpm);
  g_test_add_func ("/machine-platform/defaults/user-choice-stays", test_user_choice_stays);
  g_test_add_func ("/machine-platform/refused/secure-boot-with-bios", test_refused_secure_boot_with_bios);
  g_test_add_func ("/machine-platform/refused/missing-on-host", test_refused_missing_on_host);
  g_test_add_func ("/machine-platform/host/capabilities", test_host_platform);
  g_test_add_func ("/machine-platform/xml/set-firmware", test_xml_set_firmware);
  return g_test_run ();
}
