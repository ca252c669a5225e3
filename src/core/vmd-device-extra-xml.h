/* The devices of Add Hardware besides storage, network, shared folders and TPM: for each kind a
 * typed description, a check that names the field at fault (VMD_ERROR_INVALID_INPUT, or
 * VMD_ERROR_NOT_FOUND / VMD_ERROR_INVALID_STATE for a host device that is missing or in use),
 * and a writer of its <devices> element that checks first. The element is attached with
 * vmd_machine_details_attach_device_async(). Nothing here touches libvirt. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VMD_DEVICE_KIND_USB_HOST,
  VMD_DEVICE_KIND_PCI_HOST,
  VMD_DEVICE_KIND_USB_REDIRECTION,
  VMD_DEVICE_KIND_CHANNEL,
  VMD_DEVICE_KIND_SERIAL,
  VMD_DEVICE_KIND_PARALLEL,
  VMD_DEVICE_KIND_CONSOLE,
  VMD_DEVICE_KIND_SOUND,
  VMD_DEVICE_KIND_WATCHDOG,
  VMD_DEVICE_KIND_RNG,
  VMD_DEVICE_KIND_VIDEO,
  VMD_DEVICE_KIND_INPUT,
  VMD_DEVICE_KIND_GRAPHICS,
  VMD_DEVICE_KIND_CONTROLLER,
  VMD_DEVICE_KIND_SMARTCARD,
} VmdDeviceKind;

/* FALSE: on a running machine the device is written to the definition only and takes effect at
 * the next boot (the dialog says so). */
gboolean    vmd_device_kind_hotpluggable (VmdDeviceKind kind);

/* --- host devices and channels (vmd-device-extra-xml-channels.c) ------------------------------- */

/* A USB or PCI device of the host, by its node device name, chosen from
 * vmd_node_devices_list_async()'s list, which the check is made against. */
typedef struct {
  const char *node_device;       /* "usb_1_2", "pci_0000_00_19_0" */
} VmdHostdevSpec;

typedef enum {
  VMD_CHANNEL_GUEST_AGENT,       /* org.qemu.guest_agent.0 over a unix socket */
  VMD_CHANNEL_SPICE_AGENT,       /* com.redhat.spice.0 over spicevmc */
} VmdChannelKind;

typedef struct {
  VmdChannelKind kind;
} VmdChannelSpec;

/* A character device on a host pseudo-terminal. */
typedef struct {
  const char *device;            /* "serial", "parallel", "console" */
  const char *target_type;       /* console only: "virtio" or "serial"; NULL: virtio */
} VmdCharSpec;

gboolean vmd_hostdev_spec_validate     (const VmdHostdevSpec  *spec,
                                        GPtrArray             *host_devices,
                                        GError               **error);
char    *vmd_hostdev_device_xml        (const VmdHostdevSpec  *spec,
                                        GPtrArray             *host_devices,
                                        GError               **error);
char    *vmd_usb_redirection_device_xml (void);
gboolean vmd_channel_spec_validate     (const VmdChannelSpec  *spec,
                                        GError               **error);
char    *vmd_channel_device_xml        (const VmdChannelSpec  *spec,
                                        GError               **error);
gboolean vmd_char_spec_validate        (const VmdCharSpec     *spec,
                                        GError               **error);
char    *vmd_char_device_xml           (const VmdCharSpec     *spec,
                                        GError               **error);

/* --- the rest (vmd-device-extra-xml.c) --------------------------------------------------------- */

typedef struct {
  const char *model;             /* "ich9", "ich6", "ac97" */
} VmdSoundSpec;

typedef struct {
  const char *model;             /* "i6300esb", "itco" */
  const char *action;            /* "reset", "shutdown", "poweroff", "pause", "none", "dump",
                                    "inject-nmi" */
} VmdWatchdogSpec;

typedef struct {
  const char *backend;           /* "/dev/urandom" or "/dev/random"; NULL: /dev/urandom */
} VmdRngSpec;

typedef struct {
  const char *model;             /* "virtio", "qxl", "vga", "bochs", "ramfb", "none" */
} VmdVideoSpec;

typedef struct {
  const char *type;              /* "tablet", "keyboard", "mouse" */
  const char *bus;               /* "usb", "virtio" */
} VmdInputSpec;

typedef struct {
  const char *type;              /* "spice", "vnc" */
  const char *listen;            /* an IPv4 or IPv6 address, "none" or "socket"; NULL: none */
  const char *password;          /* NULL or "": none; VNC takes at most 8 characters */
} VmdGraphicsSpec;

typedef struct {
  const char *type;              /* "usb", "scsi", "virtio-serial" */
  const char *model;             /* usb: "qemu-xhci" (NULL) or "ich9-ehci1"; scsi: "virtio-scsi"
                                    (NULL); virtio-serial: NULL */
} VmdControllerSpec;

typedef struct {
  const char *mode;              /* "passthrough" (SPICE's spicevmc) or "host" */
} VmdSmartcardSpec;

gboolean vmd_sound_spec_validate       (const VmdSoundSpec      *spec,
                                        GError                 **error);
char    *vmd_sound_device_xml          (const VmdSoundSpec      *spec,
                                        GError                 **error);
gboolean vmd_watchdog_spec_validate    (const VmdWatchdogSpec   *spec,
                                        GError                 **error);
char    *vmd_watchdog_device_xml       (const VmdWatchdogSpec   *spec,
                                        GError                 **error);
gboolean vmd_rng_spec_validate         (const VmdRngSpec        *spec,
                                        GError                 **error);
char    *vmd_rng_device_xml            (const VmdRngSpec        *spec,
                                        GError                 **error);
gboolean vmd_video_spec_validate       (const VmdVideoSpec      *spec,
                                        GError                 **error);
char    *vmd_video_device_xml          (const VmdVideoSpec      *spec,
                                        GError                 **error);
gboolean vmd_input_spec_validate       (const VmdInputSpec      *spec,
                                        GError                 **error);
char    *vmd_input_device_xml          (const VmdInputSpec      *spec,
                                        GError                 **error);
gboolean vmd_graphics_spec_validate    (const VmdGraphicsSpec   *spec,
                                        GError                 **error);
char    *vmd_graphics_device_xml       (const VmdGraphicsSpec   *spec,
                                        GError                 **error);
gboolean vmd_controller_spec_validate  (const VmdControllerSpec *spec,
                                        GError                 **error);
char    *vmd_controller_device_xml     (const VmdControllerSpec *spec,
                                        GError                 **error);
gboolean vmd_smartcard_spec_validate   (const VmdSmartcardSpec  *spec,
                                        GError                 **error);
char    *vmd_smartcard_device_xml      (const VmdSmartcardSpec  *spec,
                                        GError                 **error);

/* Finer than the kind's answer where the model decides: a SCSI controller can be hot-plugged,
 * a USB or virtio-serial one cannot (libvirt 9.0); an i6300esb watchdog can, itco cannot. A
 * channel needs a virtio-serial controller already there to go live. */
gboolean vmd_controller_spec_hotpluggable (const VmdControllerSpec *spec);
gboolean vmd_watchdog_spec_hotpluggable   (const VmdWatchdogSpec   *spec);

/* Shared by the two files: TRUE when value is one of choices, else the error names the field. */
gboolean vmd_device_check_choice       (const char              *field,
                                        const char              *value,
                                        const char *const       *choices,
                                        GError                 **error);

G_END_DECLS
