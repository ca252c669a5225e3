/* The worker's side of a details change: raw libvirt calls on the edit's own handle. The
 * persistent definition is changed by redefining the domain's XML (so every driver, the test
 * driver too, takes it the same way); a running machine gets the live half through libvirt's
 * device, memory and vCPU calls. Then the new XML is read back, so the view shows what libvirt
 * accepted. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vmd-details-edit.h"
#include "vmd-domain-xml.h"
#include "vmd-error.h"

/* Takes handle. */
VmdDetailsEdit *
vmd_details_edit_new (virDomainPtr     handle,
                      const char      *machine_name,
                      guint            generation,
                      VmdDetailsApply  apply,
                      gpointer         change,
                      GDestroyNotify   change_free)
{
  VmdDetailsEdit *edit = g_new0 (VmdDetailsEdit, 1);

  edit->handle = handle;
  edit->machine_name = g_strdup (machine_name);
  edit->generation = generation;
  edit->apply = apply;
  edit->change = change;
  edit->change_free = change_free;
  return edit;
}

void
vmd_details_edit_free (VmdDetailsEdit *edit)
{
  g_clear_pointer (&edit->handle, virDomainFree);
  if (edit->change_free != NULL)
    edit->change_free (edit->change);
  g_free (edit->machine_name);
  g_free (edit->note);
  g_clear_pointer (&edit->config, vmd_machine_config_unref);
  g_free (edit);
}

/* --- reading ----------------------------------------------------------------------------------- */

char *
vmd_details_dup_libvirt_string (char *s)
{
  char *copy = g_strdup (s);

  free (s);
  return copy;
}

gboolean
vmd_details_edit_is_active (VmdDetailsEdit *edit)
{
  return virDomainIsActive (edit->handle) == 1;
}

gboolean
vmd_details_edit_fail (VmdDetailsEdit  *edit,
                       const char      *format,
                       GError         **error)
{
  g_autofree char *what = g_strdup_printf (format, edit->machine_name);

  vmd_error_set_from_libvirt (error, what);
  return FALSE;
}

/* The inactive one with SECURE, which keeps passwords (graphics, iSCSI) in what we redefine. */
char *
vmd_details_edit_get_xml (VmdDetailsEdit  *edit,
                          gboolean         live,
                          GError         **error)
{
  char *xml = virDomainGetXMLDesc (edit->handle, live ? 0 : VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);

  if (xml == NULL)
    {
      vmd_details_edit_fail (edit, _("Could not read the definition of “%s”"), error);
      return NULL;
    }
  return vmd_details_dup_libvirt_string (xml);
}

static guint64
disk_capacity (virConnectPtr  conn,
               const char    *path)
{
  virStorageVolPtr vol = virStorageVolLookupByPath (conn, path);
  virStorageVolInfo info;
  GStatBuf st;
  guint64 capacity = 0;

  if (vol != NULL && virStorageVolGetInfo (vol, &info) == 0)
    capacity = info.capacity;
  else if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
    capacity = st.st_size;
  g_clear_pointer (&vol, virStorageVolFree);
  virResetLastError ();
  return capacity;
}

VmdMachineConfig *
vmd_details_edit_load_config (VmdDetailsEdit  *edit,
                              GError         **error)
{
  g_autofree char *xml = vmd_details_edit_get_xml (edit, FALSE, error);
  g_autofree char *live_xml = NULL;
  VmdMachineConfig *config;
  int autostart = 0;

  if (xml == NULL)
    return NULL;
  if (vmd_details_edit_is_active (edit) && (live_xml = vmd_details_edit_get_xml (edit, TRUE, error)) == NULL)
    return NULL;
  if ((config = vmd_machine_config_parse (xml, live_xml, error)) == NULL)
    return NULL;
  if (virDomainGetAutostart (edit->handle, &autostart) == 0)
    config->autostart = autostart != 0;
  virResetLastError ();
  for (guint i = 0; i < config->disks->len; i++)
    {
      VmdDiskInfo *disk = config->disks->pdata[i];

      if (disk->path != NULL && g_strcmp0 (disk->type, "network") != 0)
        disk->capacity = disk_capacity (virDomainGetConnect (edit->handle), disk->path);
    }
  return config;
}

/* The edit, then the definition read back; a conflict comes with the definition that caused
 * it, for the caller to show beside its own. */
void
vmd_details_edit_run_in_thread (GTask        *task,
                                gpointer      source,
                                gpointer      task_data,
                                GCancellable *cancellable)
{
  VmdDetailsEdit *edit = task_data;
  GError *error = NULL;

  if (edit->apply != NULL && !edit->apply (edit, edit->change, &error))
    {
      if (g_error_matches (error, VMD_ERROR, VMD_ERROR_CONFLICT))
        edit->config = vmd_details_edit_load_config (edit, NULL);
      g_task_return_error (task, error);
    }
  else if ((edit->config = vmd_details_edit_load_config (edit, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* --- writing ------------------------------------------------------------------------------------ */

/* virDomainDefineXML with a guard: the XML must describe this very domain, or libvirt would
 * quietly define a second machine beside it. */
gboolean
vmd_details_edit_redefine (VmdDetailsEdit  *edit,
                           const char      *xml,
                           GError         **error)
{
  g_autoptr(VmdMachineConfig) parsed = vmd_machine_config_parse (xml, NULL, error);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  virDomainPtr defined;

  if (parsed == NULL)
    return FALSE;
  virDomainGetUUIDString (edit->handle, uuid);
  if (parsed->uuid == NULL || g_ascii_strcasecmp (parsed->uuid, uuid) != 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("The UUID must stay %s: a definition with another one would be a new machine"), uuid);
      return FALSE;
    }
  if (g_strcmp0 (parsed->name, virDomainGetName (edit->handle)) != 0)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_INVALID_INPUT,
                   _("The name must stay “%s”: rename the machine on the Overview page while it is shut off"),
                   virDomainGetName (edit->handle));
      return FALSE;
    }
  defined = virDomainDefineXML (virDomainGetConnect (edit->handle), xml);
  if (defined == NULL)
    return vmd_details_edit_fail (edit, _("libvirt did not accept the new definition of “%s”"), error);
  virDomainFree (defined);
  return TRUE;
}

void
vmd_details_edit_add_note (VmdDetailsEdit *edit,
                           const char     *sentence)
{
  char *joined = edit->note != NULL ? g_strdup_printf ("%s %s", edit->note, sentence) : g_strdup (sentence);

  g_free (edit->note);
  edit->note = joined;
}

/* A live change that failed leaves the persistent one: say so, with libvirt's reason. */
void
vmd_details_edit_note_live_failure (VmdDetailsEdit *edit,
                                    const char     *what)
{
  const char *message = virGetLastErrorMessage ();
  g_autofree char *sentence = g_strdup_printf (_("%s applies at the next boot: the running machine "
                                                 "did not take it (%s)."), what, message);

  vmd_details_edit_add_note (edit, sentence);
  virResetLastError ();
}

gboolean
vmd_details_edit_rewrite (VmdDetailsEdit     *edit,
                          VmdDetailsRewrite   rewrite,
                          VmdDetailsLive      live,
                          gpointer            change,
                          GError            **error)
{
  g_autofree char *xml = vmd_details_edit_get_xml (edit, FALSE, error);
  g_autoptr(VmdMachineConfig) current = xml != NULL ? vmd_machine_config_parse (xml, NULL, error) : NULL;
  g_autofree char *new_xml = NULL;

  if (current == NULL || (new_xml = rewrite (current, xml, change, error)) == NULL ||
      !vmd_details_edit_redefine (edit, new_xml, error))
    return FALSE;
  if (live != NULL && vmd_details_edit_is_active (edit))
    live (edit, change);
  return TRUE;
}

/* --- devices ------------------------------------------------------------------------------------ */

static int
device_call (VmdDetailsEdit *edit,
             VmdDeviceOp     op,
             const char     *device_xml)
{
  unsigned int flags = VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG;

  switch (op)
    {
    case VMD_DEVICE_ATTACH: return virDomainAttachDeviceFlags (edit->handle, device_xml, flags);
    case VMD_DEVICE_DETACH: return virDomainDetachDeviceFlags (edit->handle, device_xml, flags);
    case VMD_DEVICE_UPDATE: return virDomainUpdateDeviceFlags (edit->handle, device_xml, flags);
    default:                g_return_val_if_reached (-1);
    }
}

static char *
edit_document (const char   *xml,
               VmdDeviceOp   op,
               const char   *xpath,
               const char   *device_xml,
               GError      **error)
{
  switch (op)
    {
    case VMD_DEVICE_ATTACH: return vmd_domain_xml_add_device (xml, device_xml, error);
    case VMD_DEVICE_DETACH: return vmd_domain_xml_remove_device (xml, xpath, error);
    case VMD_DEVICE_UPDATE: return vmd_domain_xml_replace_device (xml, xpath, device_xml, error);
    default:                g_return_val_if_reached (NULL);
    }
}

/* xpath finds the device in the definition (not needed to attach). */
gboolean
vmd_details_edit_change_device (VmdDetailsEdit  *edit,
                                VmdDeviceOp      op,
                                const char      *xpath,
                                const char      *device_xml,
                                GError         **error)
{
  g_autofree char *xml = NULL;
  g_autofree char *new_xml = NULL;

  if (vmd_details_edit_is_active (edit))
    return device_call (edit, op, device_xml) == 0 ||
           vmd_details_edit_fail (edit, _("Could not change a device of “%s”"), error);
  if ((xml = vmd_details_edit_get_xml (edit, FALSE, error)) == NULL)
    return FALSE;
  new_xml = edit_document (xml, op, xpath, device_xml, error);
  return new_xml != NULL && vmd_details_edit_redefine (edit, new_xml, error);
}

/* The device as it is now: from the live XML when running (it has the alias libvirt matches). */
char *
vmd_details_edit_get_device (VmdDetailsEdit  *edit,
                             const char      *xpath,
                             GError         **error)
{
  g_autofree char *xml = vmd_details_edit_get_xml (edit, vmd_details_edit_is_active (edit), error);

  return xml != NULL ? vmd_domain_xml_get_device (xml, xpath, error) : NULL;
}

/* libvirt matches a live device by its XML as it is now: it is read first. */
gboolean
vmd_details_edit_detach_device (VmdDetailsEdit  *edit,
                                const char      *xpath,
                                GError         **error)
{
  g_autofree char *device_xml = vmd_details_edit_get_device (edit, xpath, error);

  return device_xml != NULL && vmd_details_edit_change_device (edit, VMD_DEVICE_DETACH, xpath, device_xml, error);
}

gboolean
vmd_details_edit_update_device (VmdDetailsEdit    *edit,
                                const char        *xpath,
                                VmdDeviceRewrite   rewrite,
                                gpointer           data,
                                GError           **error)
{
  g_autofree char *device_xml = vmd_details_edit_get_device (edit, xpath, error);
  g_autofree char *new_device = device_xml != NULL ? rewrite (device_xml, data, error) : NULL;

  return new_device != NULL && vmd_details_edit_change_device (edit, VMD_DEVICE_UPDATE, xpath, new_device, error);
}
