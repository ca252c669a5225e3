/* One XML read per domain; names are added once per machine even when it has two NICs on the
 * same network or a disk attached twice. */
#include "config.h"

#include <stdlib.h>

#include <libvirt/virterror.h>

#include "vmd-domain-usage.h"
#include "vmd-xml.h"

static void
add_user (GHashTable *table,
          const char *key,
          const char *machine)
{
  GPtrArray *users;

  if (key == NULL || *key == '\0')
    return;
  users = g_hash_table_lookup (table, key);
  if (users == NULL)
    {
      users = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (table, g_strdup (key), users);
    }
  if (!g_ptr_array_find_with_equal_func (users, machine, g_str_equal, NULL))
    g_ptr_array_add (users, g_strdup (machine));
}

static void
scan_disks (VmdDomainUsage *usage,
            VmdXml         *doc,
            const char     *machine)
{
  g_autoptr(GPtrArray) disks = vmd_xml_nodes (doc, NULL, "/domain/devices/disk/source");

  for (guint i = 0; disks != NULL && i < disks->len; i++)
    {
      g_autofree char *file = vmd_xml_string (doc, disks->pdata[i], "@file");
      g_autofree char *dev = vmd_xml_string (doc, disks->pdata[i], "@dev");
      g_autofree char *pool = vmd_xml_string (doc, disks->pdata[i], "@pool");
      g_autofree char *volume = vmd_xml_string (doc, disks->pdata[i], "@volume");

      add_user (usage->disks, file, machine);
      add_user (usage->disks, dev, machine);
      if (pool != NULL && volume != NULL)
        {
          g_autofree char *key = g_strdup_printf ("%s/%s", pool, volume);

          add_user (usage->disks, key, machine);
        }
    }
}

static void
scan_domain (VmdDomainUsage *usage,
             virDomainPtr    domain)
{
  g_autofree char *xml = virDomainGetXMLDesc (domain, 0);
  g_autoptr(VmdXml) doc = xml != NULL ? vmd_xml_parse (xml, NULL) : NULL;
  g_auto(GStrv) networks = NULL;
  const char *name = virDomainGetName (domain);

  if (doc == NULL)
    return;
  networks = vmd_xml_strings (doc, "/domain/devices/interface[@type='network']/source/@network");
  for (guint i = 0; networks != NULL && networks[i] != NULL; i++)
    add_user (usage->networks, networks[i], name);
  scan_disks (usage, doc, name);
}

VmdDomainUsage *
vmd_domain_usage_scan (virConnectPtr conn,
                       gboolean      running_only)
{
  VmdDomainUsage *usage = g_new0 (VmdDomainUsage, 1);
  virDomainPtr *domains = NULL;
  int n = virConnectListAllDomains (conn, &domains,
                                    running_only ? VIR_CONNECT_LIST_DOMAINS_ACTIVE : 0);

  usage->networks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
  usage->disks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  for (int i = 0; i < n; i++)
    {
      scan_domain (usage, domains[i]);
      virDomainFree (domains[i]);
    }
  free (domains);
  virResetLastError ();
  return usage;
}

void
vmd_domain_usage_free (VmdDomainUsage *usage)
{
  g_hash_table_unref (usage->networks);
  g_hash_table_unref (usage->disks);
  g_free (usage);
}

static int
compare_names (const void *a,
               const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The machines that use key, sorted, or NULL. */
GStrv
vmd_domain_usage_users (GHashTable *table,
                        const char *key)
{
  GPtrArray *users = key != NULL ? g_hash_table_lookup (table, key) : NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  GStrv strv;

  if (users == NULL || users->len == 0)
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < users->len; i++)
    g_strv_builder_add (builder, users->pdata[i]);
  strv = g_strv_builder_end (builder);
  qsort (strv, g_strv_length (strv), sizeof (char *), compare_names);
  return strv;
}
