#include "config.h"

#include <glib/gi18n.h>

#include "vmd-device-extra-xml.h"
#include "vmd-hw-choice-kinds.h"

#define KIND_HOTPLUG(name, KIND) \
  static gboolean name (const char *first, const char *second) \
  { return vmd_device_kind_hotpluggable (VMD_DEVICE_KIND_##KIND); }

/* --- sound -------------------------------------------------------------------------------------- */

static const VmdHwChoice sound_models[] = {
  { "ich9", N_("ICH9 (HD Audio)") }, { "ich6", N_("ICH6 (HD Audio)") }, { "ac97", N_("AC97") }, { NULL },
};

static char *
build_sound (const char *model, const char *unused, GError **error)
{
  return vmd_sound_device_xml (&(VmdSoundSpec) { model }, error);
}

KIND_HOTPLUG (sound_hotplug, SOUND)

const VmdHwChoiceKind vmd_hw_sound_kind = {
  N_("A sound card; it comes at the next boot."), N_("Model"), sound_models, NULL, NULL,
  build_sound, sound_hotplug,
};

/* --- watchdog ----------------------------------------------------------------------------------- */

static const VmdHwChoice watchdog_models[] = {
  { "i6300esb", N_("i6300esb (PCI)") }, { "itco", N_("iTCO (Q35 chipset)") }, { NULL },
};

static const VmdHwChoice watchdog_actions[] = {
  { "reset", N_("Reset the machine") }, { "poweroff", N_("Power off") }, { "shutdown", N_("Shut down") },
  { "pause", N_("Pause") }, { "dump", N_("Dump memory") }, { "inject-nmi", N_("Inject an NMI") },
  { "none", N_("Do nothing") }, { NULL },
};

static char *
build_watchdog (const char *model, const char *action, GError **error)
{
  return vmd_watchdog_device_xml (&(VmdWatchdogSpec) { model, action }, error);
}

static gboolean
watchdog_hotplug (const char *model, const char *action)
{
  return vmd_watchdog_spec_hotpluggable (&(VmdWatchdogSpec) { model, action });
}

const VmdHwChoiceKind vmd_hw_watchdog_kind = {
  N_("A watchdog: when the guest stops feeding it, the action is taken."), N_("Model"), watchdog_models,
  N_("Action"), watchdog_actions, build_watchdog, watchdog_hotplug,
};

/* --- RNG ---------------------------------------------------------------------------------------- */

static const VmdHwChoice rng_sources[] = {
  { "/dev/urandom", N_("/dev/urandom (never blocks)") }, { "/dev/random", N_("/dev/random") }, { NULL },
};

static char *
build_rng (const char *backend, const char *unused, GError **error)
{
  return vmd_rng_device_xml (&(VmdRngSpec) { backend }, error);
}

KIND_HOTPLUG (rng_hotplug, RNG)

const VmdHwChoiceKind vmd_hw_rng_kind = {
  N_("A virtio random number generator fed by the host."), N_("Host source"), rng_sources, NULL, NULL,
  build_rng, rng_hotplug,
};

/* --- input -------------------------------------------------------------------------------------- */

static const VmdHwChoice input_types[] = {
  { "tablet", N_("Tablet (absolute pointer)") }, { "keyboard", N_("Keyboard") }, { "mouse", N_("Mouse") }, { NULL },
};

static const VmdHwChoice input_buses[] = { { "usb", N_("USB") }, { "virtio", N_("VirtIO") }, { NULL } };

static char *
build_input (const char *type, const char *bus, GError **error)
{
  return vmd_input_device_xml (&(VmdInputSpec) { type, bus }, error);
}

KIND_HOTPLUG (input_hotplug, INPUT)

const VmdHwChoiceKind vmd_hw_input_kind = {
  N_("A keyboard, mouse or tablet."), N_("Type"), input_types, N_("Bus"), input_buses,
  build_input, input_hotplug,
};

/* --- video -------------------------------------------------------------------------------------- */

static const VmdHwChoice video_models[] = {
  { "virtio", N_("VirtIO") }, { "qxl", N_("QXL") }, { "vga", N_("VGA") }, { "bochs", N_("Bochs") },
  { "ramfb", N_("ramfb") }, { "none", N_("None") }, { NULL },
};

static char *
build_video (const char *model, const char *unused, GError **error)
{
  return vmd_video_device_xml (&(VmdVideoSpec) { model }, error);
}

KIND_HOTPLUG (video_hotplug, VIDEO)

const VmdHwChoiceKind vmd_hw_video_kind = {
  N_("A video card; it comes at the next boot."), N_("Model"), video_models, NULL, NULL,
  build_video, video_hotplug,
};

/* --- controller: type and model in one choice, "TYPE:MODEL" ------------------------------------ */

static const VmdHwChoice controllers[] = {
  { "usb:qemu-xhci", N_("USB 3 (qemu-xhci)") }, { "usb:ich9-ehci1", N_("USB 2 (ich9-ehci1)") },
  { "scsi:virtio-scsi", N_("SCSI (virtio-scsi)") }, { "virtio-serial:", N_("virtio-serial") }, { NULL },
};

static gboolean
split_controller (const char *choice, char **type, char **model)
{
  g_auto(GStrv) parts = choice != NULL ? g_strsplit (choice, ":", 2) : NULL;

  if (parts == NULL || parts[1] == NULL)
    return FALSE;
  *type = g_strdup (parts[0]);
  *model = *parts[1] != '\0' ? g_strdup (parts[1]) : NULL;
  return TRUE;
}

static char *
build_controller (const char *choice, const char *unused, GError **error)
{
  g_autofree char *type = NULL;
  g_autofree char *model = NULL;

  split_controller (choice, &type, &model);
  return vmd_controller_device_xml (&(VmdControllerSpec) { type, model }, error);
}

static gboolean
controller_hotplug (const char *choice, const char *unused)
{
  g_autofree char *type = NULL;
  g_autofree char *model = NULL;

  return split_controller (choice, &type, &model) &&
         vmd_controller_spec_hotpluggable (&(VmdControllerSpec) { type, model });
}

const VmdHwChoiceKind vmd_hw_controller_kind = {
  N_("A controller for more devices. A SCSI controller is added to a running machine at once, the others at its next boot."),
  N_("Controller"), controllers, NULL, NULL, build_controller, controller_hotplug,
};

/* --- channels ----------------------------------------------------------------------------------- */

static const VmdHwChoice channels[] = {
  { "guest-agent", N_("QEMU guest agent") }, { "spice-agent", N_("SPICE agent (spice-vdagent)") }, { NULL },
};

static char *
build_channel (const char *choice, const char *unused, GError **error)
{
  VmdChannelKind kind = g_strcmp0 (choice, "spice-agent") == 0 ? VMD_CHANNEL_SPICE_AGENT : VMD_CHANNEL_GUEST_AGENT;

  return vmd_channel_device_xml (&(VmdChannelSpec) { kind }, error);
}

KIND_HOTPLUG (channel_hotplug, CHANNEL)

const VmdHwChoiceKind vmd_hw_channel_kind = {
  N_("A channel the guest's agent talks to the host on."), N_("Channel"), channels, NULL, NULL,
  build_channel, channel_hotplug,
};

/* --- serial, parallel, console ------------------------------------------------------------------ */

static const VmdHwChoice char_devices[] = {
  { "serial", N_("Serial port") }, { "parallel", N_("Parallel port") }, { "console", N_("Console") }, { NULL },
};

static const VmdHwChoice console_targets[] = {
  { "virtio", N_("VirtIO (hvc0)") }, { "serial", N_("Serial (ttyS)") }, { NULL },
};

static char *
build_char (const char *device, const char *target, GError **error)
{
  return vmd_char_device_xml (&(VmdCharSpec) { device, g_strcmp0 (device, "console") == 0 ? target : NULL }, error);
}

KIND_HOTPLUG (char_hotplug, SERIAL)

const VmdHwChoiceKind vmd_hw_char_kind = {
  N_("A serial or parallel port or a console on a host pseudo-terminal; it comes at the next boot. The console type applies to a console only."),
  N_("Device"), char_devices, N_("Console type"), console_targets, build_char, char_hotplug,
};

/* --- USB redirection ----------------------------------------------------------------------------- */

static char *
build_redirection (const char *unused1, const char *unused2, GError **error)
{
  return vmd_usb_redirection_device_xml ();
}

KIND_HOTPLUG (redirection_hotplug, USB_REDIRECTION)

const VmdHwChoiceKind vmd_hw_redirection_kind = {
  N_("A USB redirection channel: a SPICE viewer can give the guest a USB device of its own computer."),
  NULL, NULL, NULL, NULL, build_redirection, redirection_hotplug,
};

/* --- smartcard ----------------------------------------------------------------------------------- */

static const VmdHwChoice smartcard_modes[] = {
  { "passthrough", N_("Passthrough (the SPICE viewer's reader)") }, { "host", N_("The host's reader") }, { NULL },
};

static char *
build_smartcard (const char *mode, const char *unused, GError **error)
{
  return vmd_smartcard_device_xml (&(VmdSmartcardSpec) { mode }, error);
}

KIND_HOTPLUG (smartcard_hotplug, SMARTCARD)

const VmdHwChoiceKind vmd_hw_smartcard_kind = {
  N_("A smartcard reader for the guest; it comes at the next boot."), N_("Mode"), smartcard_modes, NULL, NULL,
  build_smartcard, smartcard_hotplug,
};
