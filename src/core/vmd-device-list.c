#include "config.h"

#include <glib/gi18n.h>

#include "vmd-device-list.h"
#include "vmd-xml.h"

/* Each kind and how it is told apart from others of its kind (XPath on the element). */
static const struct {
  const char *element;
  const char *kind;
  const char *detail;
} kinds[] = {
  { "filesystem", N_("Shared folder"), "concat(source/@dir, ' → ', target/@dir)" },
  { "tpm", N_("TPM"), "concat(@model, ' ', backend/@type, ' ', backend/@version)" },
  { "hostdev", N_("Host device"), "concat(@type, ' ', source/vendor/@id, ' ', source/product/@id, ' ', "
                                  "source/address/@bus, ' ', source/address/@slot)" },
  { "redirdev", N_("USB redirection"), "concat(@bus, ' ', @type)" },
  { "sound", N_("Sound"), "@model" },
  { "watchdog", N_("Watchdog"), "concat(@model, ' ', @action)" },
  { "rng", N_("Random number generator"), "concat(@model, ' ', backend)" },
  { "input", N_("Input"), "concat(@type, ' ', @bus)" },
  { "graphics", N_("Graphics"), "concat(@type, ' ', listen/@address)" },
  { "video", N_("Video"), "model/@type" },
  { "channel", N_("Channel"), "concat(@type, ' ', target/@name)" },
  { "serial", N_("Serial port"), "@type" },
  { "parallel", N_("Parallel port"), "@type" },
  { "console", N_("Console"), "concat(@type, ' ', target/@type)" },
  { "smartcard", N_("Smartcard"), "@mode" },
  { "controller", N_("Controller"), "concat(@type, ' ', @model, ' ', @index)" },
};

void
vmd_device_entry_free (VmdDeviceEntry *entry)
{
  g_free (entry->kind);
  g_free (entry->detail);
  g_free (entry->xpath);
  g_free (entry);
}

static void
add_kind (GPtrArray  *entries,
          VmdXml     *doc,
          guint       k)
{
  g_autofree char *expr = g_strdup_printf ("/domain/devices/%s", kinds[k].element);
  g_autoptr(GPtrArray) nodes = vmd_xml_nodes (doc, NULL, expr);

  for (guint i = 0; i < nodes->len; i++)
    {
      g_autofree char *type = vmd_xml_string (doc, nodes->pdata[i], "@type");
      VmdDeviceEntry *entry;

      if (g_str_equal (kinds[k].element, "controller") && g_strcmp0 (type, "pci") == 0)
        continue;
      entry = g_new0 (VmdDeviceEntry, 1);
      entry->kind = g_strdup (_(kinds[k].kind));
      entry->detail = vmd_xml_string (doc, nodes->pdata[i], kinds[k].detail);
      entry->detail = g_strstrip (entry->detail != NULL ? entry->detail : g_strdup (""));
      /* Its place among its kind: the list is made again from each new definition. */
      entry->xpath = g_strdup_printf ("/domain/devices/%s[%u]", kinds[k].element, i + 1);
      g_ptr_array_add (entries, entry);
    }
}

GPtrArray *
vmd_device_list (const char *domain_xml)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) vmd_device_entry_free);
  g_autoptr(VmdXml) doc = domain_xml != NULL ? vmd_xml_parse (domain_xml, NULL) : NULL;

  for (guint k = 0; doc != NULL && k < G_N_ELEMENTS (kinds); k++)
    add_kind (entries, doc, k);
  return entries;
}
