/* VmdMachineSpec, the domain: libvirt XML made with libvirt-gconfig, following virt-install's
 * choices (q35, virtio where the OS has drivers, a serial console always, kernel boot only for
 * the install). gconfig has no element for a few parts (a serial port's log, SPICE listening on
 * nothing, libosinfo's metadata): those are built as escaped XML fragments and parsed by gconfig,
 * never searched as text. */
#include "config.h"

#include <string.h>

#include "vmd-device-extra-xml.h"
#include "vmd-domain-xml.h"
#include "vmd-install-media.h"
#include "vmd-machine-spec-private.h"

#define LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"


/* A new volume is named after the machine, in the pool's folder, as virt-manager does. */
char *
vmd_machine_spec_dup_disk_path (VmdMachineSpec *self)
{
  g_autofree char *file = NULL;

  switch (self->storage_kind)
    {
    case VMD_STORAGE_NEW_VOLUME:
      if (self->pool_path == NULL || self->name == NULL)
        return NULL;
      file = g_strdup_printf ("%s.qcow2", self->name);
      return g_build_filename (self->pool_path, file, NULL);
    case VMD_STORAGE_EXISTING:
      return g_strdup (self->existing_path);
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
  if (self->existing_path == NULL || (file = fopen (self->existing_path, "rb")) == NULL)
    return g_str_has_suffix (self->existing_path != NULL ? self->existing_path : "", ".qcow2") ? "qcow2" : "raw";
  if (fread (magic, 1, sizeof magic, file) != sizeof magic)
    magic[0] = '\0';
  fclose (file);
  return memcmp (magic, "QFI\xfb", 4) == 0 ? "qcow2" : "raw";
}

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
  if (path != NULL)
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

/* A spec still being filled in may have no source yet: its XML (shown, not defined) has none. */
static GVirConfigDomainInterface *
make_interface (VmdMachineSpec *self)
{
  const char *source = vmd_machine_spec_get_network_source (self);
  GVirConfigDomainInterface *iface;

  switch (self->network_kind)
    {
    case VMD_NETWORK_NAT:
      iface = GVIR_CONFIG_DOMAIN_INTERFACE (gvir_config_domain_interface_network_new ());
      if (source != NULL)
        gvir_config_domain_interface_network_set_source (GVIR_CONFIG_DOMAIN_INTERFACE_NETWORK (iface), source);
      break;
    case VMD_NETWORK_BRIDGE:
      iface = GVIR_CONFIG_DOMAIN_INTERFACE (gvir_config_domain_interface_bridge_new ());
      if (source != NULL)
        gvir_config_domain_interface_bridge_set_source (GVIR_CONFIG_DOMAIN_INTERFACE_BRIDGE (iface), source);
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
  g_autofree char *xml = NULL;
  GVirConfigDomainConsole *console;

  /* gconfig has no <log/>: the serial port is written as XML when it must be logged. Appended
   * to, so a boot's output stays readable after the next start; virtlogd rotates the file. */
  if (path != NULL)
    xml = g_markup_printf_escaped ("<serial type='pty'><log file='%s' append='on'/>"
                                   "<target port='0'/></serial>", path);
  else
    xml = g_strdup ("<serial type='pty'><target port='0'/></serial>");
  add (domain, gvir_config_domain_serial_new_from_xml (xml, NULL));

  console = gvir_config_domain_console_new ();
  gvir_config_domain_console_set_target_type (console, GVIR_CONFIG_DOMAIN_CONSOLE_TARGET_SERIAL);
  set_chardev_source (console, gvir_config_domain_chardev_source_pty_new ());
  add (domain, console);
}

/* As virt-install does for every guest: the guest agent lets the host ask for the guest's
 * addresses, a clean shutdown and a file system freeze. Its element is Add Hardware's own. */
static void
add_guest_agent (GVirConfigDomain *domain)
{
  g_autofree char *xml = vmd_channel_device_xml (&(VmdChannelSpec) { VMD_CHANNEL_GUEST_AGENT }, NULL);

  add (domain, gvir_config_domain_channel_new_from_xml (xml, NULL));
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
  add_guest_agent (domain);
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

static GVirConfigDomain *
make_config (VmdMachineSpec *self,
             VmdSpecPhase    phase)
{
  const char *features[] = { "acpi", "apic", NULL };
  GVirConfigDomainOs *os;
  GVirConfigDomain *domain;

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

/* What gconfig has no element for (the firmware's features, SMM, the TPM, Hyper-V) is added to
 * the document it wrote. */
char *
vmd_machine_spec_to_xml (VmdMachineSpec *self,
                         VmdSpecPhase    phase)
{
  GVirConfigDomain *domain;
  g_autofree char *xml = NULL;
  VmdPlatformSettings platform = {
    .uefi = self->firmware == VMD_FIRMWARE_UEFI,
    .secure_boot = self->secure_boot,
    .tpm = self->tpm,
    /* TCG refuses them ("kernel doesn't allow setting HyperV VP_INDEX"); the clock it takes. */
    .hyperv = self->os_wants.hyperv && self->kvm,
    .local_clock = self->os_wants.hyperv,
  };

  g_return_val_if_fail (VMD_IS_MACHINE_SPEC (self), NULL);
  domain = make_config (self, phase);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
  g_object_unref (domain);
  /* Our own document, parsed back at once: it cannot fail. */
  return vmd_domain_xml_set_platform (xml, &platform, NULL);
}

GVirConfigDomain *
vmd_machine_spec_to_config (VmdMachineSpec *self,
                            VmdSpecPhase    phase)
{
  g_autofree char *xml = vmd_machine_spec_to_xml (self, phase);

  g_return_val_if_fail (xml != NULL, NULL);
  return gvir_config_domain_new_from_xml (xml, NULL);
}
