/* Add Hardware's simpler devices: each check names its field and lists what it takes; each
 * writer checks first and escapes every value with g_markup_printf_escaped, as
 * vmd-device-xml.c does. */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "vmd-device-extra-xml.h"
#include "vmd-error.h"

/* What QEMU and libvirt can add to a running guest (qemuDomainAttachDeviceLive): a sound card,
 * video, graphics, an ISA serial or parallel port, a pty console and a smartcard cannot. For
 * controllers and watchdogs the model decides (the spec functions below); the kind's answer is
 * the common case. */
static const gboolean hotpluggable[] = {
  [VMD_DEVICE_KIND_USB_HOST] = TRUE,
  [VMD_DEVICE_KIND_PCI_HOST] = TRUE,
  [VMD_DEVICE_KIND_USB_REDIRECTION] = TRUE,
  [VMD_DEVICE_KIND_CHANNEL] = TRUE,
  [VMD_DEVICE_KIND_SERIAL] = FALSE,
  [VMD_DEVICE_KIND_PARALLEL] = FALSE,
  [VMD_DEVICE_KIND_CONSOLE] = FALSE,
  [VMD_DEVICE_KIND_SOUND] = FALSE,
  [VMD_DEVICE_KIND_WATCHDOG] = TRUE,
  [VMD_DEVICE_KIND_RNG] = TRUE,
  [VMD_DEVICE_KIND_VIDEO] = FALSE,
  [VMD_DEVICE_KIND_INPUT] = TRUE,
  [VMD_DEVICE_KIND_GRAPHICS] = FALSE,
  [VMD_DEVICE_KIND_CONTROLLER] = FALSE,
  [VMD_DEVICE_KIND_SMARTCARD] = FALSE,
};

gboolean
vmd_device_kind_hotpluggable (VmdDeviceKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (hotpluggable), FALSE);
  return hotpluggable[kind];
}

gboolean
vmd_device_check_choice (const char         *field,
                         const char         *value,
                         const char *const  *choices,
                         GError            **error)
{
  g_autofree char *list = NULL;

  if (value != NULL && g_strv_contains (choices, value))
    return TRUE;
  list = g_strjoinv (", ", (char **) choices);
  if (value == NULL || *value == '\0')
    g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("%s: choose one of %s"), field, list);
  else
    g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("%s: “%s” is not one of %s"), field, value,
                 list);
  return FALSE;
}

gboolean
vmd_controller_spec_hotpluggable (const VmdControllerSpec *spec)
{
  return g_strcmp0 (spec->type, "scsi") == 0;
}

gboolean
vmd_watchdog_spec_hotpluggable (const VmdWatchdogSpec *spec)
{
  return g_strcmp0 (spec->model, "i6300esb") == 0;
}

/* --- sound, watchdog, RNG, video, input ------------------------------------------------------- */

static const char *const sound_models[] = { "ich9", "ich6", "ac97", NULL };
static const char *const watchdog_models[] = { "i6300esb", "itco", NULL };
static const char *const watchdog_actions[] = { "reset", "shutdown", "poweroff", "pause", "none", "dump",
                                                 "inject-nmi", NULL };
static const char *const rng_backends[] = { "/dev/urandom", "/dev/random", NULL };
static const char *const video_models[] = { "virtio", "qxl", "vga", "bochs", "ramfb", "none", NULL };
static const char *const input_types[] = { "tablet", "keyboard", "mouse", NULL };
static const char *const input_buses[] = { "usb", "virtio", NULL };

gboolean
vmd_sound_spec_validate (const VmdSoundSpec  *spec,
                         GError             **error)
{
  return vmd_device_check_choice (_("Sound model"), spec->model, sound_models, error);
}

char *
vmd_sound_device_xml (const VmdSoundSpec  *spec,
                      GError             **error)
{
  if (!vmd_sound_spec_validate (spec, error))
    return NULL;
  return g_markup_printf_escaped ("<sound model='%s'/>", spec->model);
}

gboolean
vmd_watchdog_spec_validate (const VmdWatchdogSpec  *spec,
                            GError                **error)
{
  return vmd_device_check_choice (_("Watchdog model"), spec->model, watchdog_models, error) &&
         vmd_device_check_choice (_("Watchdog action"), spec->action, watchdog_actions, error);
}

char *
vmd_watchdog_device_xml (const VmdWatchdogSpec  *spec,
                         GError                **error)
{
  if (!vmd_watchdog_spec_validate (spec, error))
    return NULL;
  return g_markup_printf_escaped ("<watchdog model='%s' action='%s'/>", spec->model, spec->action);
}

static const char *
rng_backend (const VmdRngSpec *spec)
{
  return spec->backend != NULL && *spec->backend != '\0' ? spec->backend : "/dev/urandom";
}

/* Only the kernel's generators: a file from the user would be read by QEMU as entropy. */
gboolean
vmd_rng_spec_validate (const VmdRngSpec  *spec,
                       GError           **error)
{
  return vmd_device_check_choice (_("Random number source"), rng_backend (spec), rng_backends, error);
}

char *
vmd_rng_device_xml (const VmdRngSpec  *spec,
                    GError           **error)
{
  if (!vmd_rng_spec_validate (spec, error))
    return NULL;
  return g_markup_printf_escaped ("<rng model='virtio'><backend model='random'>%s</backend></rng>",
                                  rng_backend (spec));
}

gboolean
vmd_video_spec_validate (const VmdVideoSpec  *spec,
                         GError             **error)
{
  return vmd_device_check_choice (_("Video model"), spec->model, video_models, error);
}

char *
vmd_video_device_xml (const VmdVideoSpec  *spec,
                      GError             **error)
{
  if (!vmd_video_spec_validate (spec, error))
    return NULL;
  return g_markup_printf_escaped ("<video><model type='%s'/></video>", spec->model);
}

gboolean
vmd_input_spec_validate (const VmdInputSpec  *spec,
                         GError             **error)
{
  return vmd_device_check_choice (_("Input device"), spec->type, input_types, error) &&
         vmd_device_check_choice (_("Input bus"), spec->bus, input_buses, error);
}

char *
vmd_input_device_xml (const VmdInputSpec  *spec,
                      GError             **error)
{
  if (!vmd_input_spec_validate (spec, error))
    return NULL;
  return g_markup_printf_escaped ("<input type='%s' bus='%s'/>", spec->type, spec->bus);
}

/* --- graphics ---------------------------------------------------------------------------------- */

static const char *const graphics_types[] = { "spice", "vnc", NULL };

static const char *
graphics_listen (const VmdGraphicsSpec *spec)
{
  return spec->listen != NULL && *spec->listen != '\0' ? spec->listen : "none";
}

static gboolean
check_listen (const char  *listen,
              GError     **error)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_str_equal (listen, "none") || g_str_equal (listen, "socket"))
    return TRUE;
  if ((address = g_inet_address_new_from_string (listen)) != NULL)
    return TRUE;
  g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
               _("Listen address: “%s” is not an IP address (or “none”, “socket”)"), listen);
  return FALSE;
}

/* QEMU's VNC authentication uses the first 8 characters only: a longer one would be a weaker
 * password than the user thinks. */
static gboolean
check_password (const VmdGraphicsSpec  *spec,
                GError                **error)
{
  const char *password = spec->password;

  if (password == NULL || *password == '\0')
    return TRUE;
  if (!g_utf8_validate (password, -1, NULL))
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("Password: not valid text"));
  else if (g_str_equal (spec->type, "vnc") && g_utf8_strlen (password, -1) > 8)
    g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT, _("Password: VNC takes at most 8 characters"));
  else
    {
      for (const char *p = password; *p != '\0'; p++)
        if (g_ascii_iscntrl (*p))
          {
            g_set_error_literal (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                                 _("Password: control characters are not allowed"));
            return FALSE;
          }
      return TRUE;
    }
  return FALSE;
}

gboolean
vmd_graphics_spec_validate (const VmdGraphicsSpec  *spec,
                            GError                **error)
{
  return vmd_device_check_choice (_("Display type"), spec->type, graphics_types, error) &&
         check_listen (graphics_listen (spec), error) && check_password (spec, error);
}

char *
vmd_graphics_device_xml (const VmdGraphicsSpec  *spec,
                         GError                **error)
{
  const char *listen;
  g_autofree char *head = NULL;
  g_autofree char *listen_xml = NULL;

  if (!vmd_graphics_spec_validate (spec, error))
    return NULL;
  listen = graphics_listen (spec);
  if (g_str_equal (listen, "none") || g_str_equal (listen, "socket"))
    listen_xml = g_markup_printf_escaped ("<listen type='%s'/>", listen);
  else
    listen_xml = g_markup_printf_escaped ("<listen type='address' address='%s'/>", listen);
  if (spec->password != NULL && *spec->password != '\0')
    head = g_markup_printf_escaped ("<graphics type='%s' autoport='yes' passwd='%s'>", spec->type, spec->password);
  else
    head = g_markup_printf_escaped ("<graphics type='%s' autoport='yes'>", spec->type);
  return g_strconcat (head, listen_xml, "</graphics>", NULL);
}

/* --- controllers, smartcard -------------------------------------------------------------------- */

static const char *const controller_types[] = { "usb", "scsi", "virtio-serial", NULL };
static const char *const usb_models[] = { "qemu-xhci", "ich9-ehci1", NULL };
static const char *const scsi_models[] = { "virtio-scsi", NULL };
static const char *const smartcard_modes[] = { "passthrough", "host", NULL };

/* NULL model: the type's default (qemu-xhci, virtio-scsi, none for virtio-serial). */
static const char *
controller_model (const VmdControllerSpec *spec)
{
  if (spec->model != NULL && *spec->model != '\0')
    return spec->model;
  if (g_strcmp0 (spec->type, "usb") == 0)
    return "qemu-xhci";
  return g_strcmp0 (spec->type, "scsi") == 0 ? "virtio-scsi" : NULL;
}

gboolean
vmd_controller_spec_validate (const VmdControllerSpec  *spec,
                              GError                  **error)
{
  const char *model = controller_model (spec);

  if (!vmd_device_check_choice (_("Controller type"), spec->type, controller_types, error))
    return FALSE;
  if (g_str_equal (spec->type, "usb"))
    return vmd_device_check_choice (_("USB controller model"), model, usb_models, error);
  if (g_str_equal (spec->type, "scsi"))
    return vmd_device_check_choice (_("SCSI controller model"), model, scsi_models, error);
  if (model == NULL)
    return TRUE;
  g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
               _("Controller model: a virtio-serial controller has no model (“%s” given)"), model);
  return FALSE;
}

/* No index: libvirt gives the next free one. */
char *
vmd_controller_device_xml (const VmdControllerSpec  *spec,
                           GError                  **error)
{
  const char *model;

  if (!vmd_controller_spec_validate (spec, error))
    return NULL;
  model = controller_model (spec);
  if (model == NULL)
    return g_markup_printf_escaped ("<controller type='%s'/>", spec->type);
  return g_markup_printf_escaped ("<controller type='%s' model='%s'/>", spec->type, model);
}

gboolean
vmd_smartcard_spec_validate (const VmdSmartcardSpec  *spec,
                             GError                 **error)
{
  return vmd_device_check_choice (_("Smartcard mode"), spec->mode, smartcard_modes, error);
}

char *
vmd_smartcard_device_xml (const VmdSmartcardSpec  *spec,
                          GError                 **error)
{
  if (!vmd_smartcard_spec_validate (spec, error))
    return NULL;
  if (g_str_equal (spec->mode, "passthrough"))
    return g_strdup ("<smartcard mode='passthrough' type='spicevmc'/>");
  return g_strdup ("<smartcard mode='host'/>");
}
