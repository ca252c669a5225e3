/* VmdOsCatalog: libosinfo reads some 800 XML files when it loads; that happens once per process,
 * in a worker thread, and every later caller shares the result (as GNOME Boxes' os-database). */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vmd-error.h"
#include "vmd-os-catalog.h"

/* GCC says __SANITIZE_ADDRESS__; clang 14 says so only through __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define VMD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VMD_ASAN 1
#endif
#endif

#ifdef VMD_ASAN
#include <sanitizer/lsan_interface.h>
#endif

#define MIB (G_GINT64_CONSTANT (1) << 20)
#define GIB (G_GINT64_CONSTANT (1) << 30)

struct _VmdOsCatalog
{
  GObject       parent_instance;

  OsinfoLoader *loader;     /* set once loaded; owns the db */
  GPtrArray    *pending;    /* GTasks waiting for a load under way, or NULL */
};

G_DEFINE_FINAL_TYPE (VmdOsCatalog, vmd_os_catalog, G_TYPE_OBJECT)

VmdOsCatalog *
vmd_os_catalog_get_default (void)
{
  static VmdOsCatalog *catalog;

  if (g_once_init_enter (&catalog))
    g_once_init_leave (&catalog, g_object_new (VMD_TYPE_OS_CATALOG, NULL));
  return catalog;
}

gboolean
vmd_os_catalog_is_loaded (VmdOsCatalog *self)
{
  return self->loader != NULL;
}

OsinfoDb *
vmd_os_catalog_get_db (VmdOsCatalog *self)
{
  g_return_val_if_fail (self->loader != NULL, NULL);
  return osinfo_loader_get_db (self->loader);
}

static OsinfoLoader *
load_loader (GError **error)
{
  g_autoptr(OsinfoLoader) loader = osinfo_loader_new ();
  GError *local_error = NULL;

  /* libosinfo 1.10 loses a few small blocks of parse state while it reads osinfo-db; this runs
   * once per process. Keep LeakSanitizer from reporting them (GLib's missing frame pointers
   * leave a stack too short for a suppression file to match). */
#ifdef VMD_ASAN
  __lsan_disable ();
#endif
  osinfo_loader_process_default_path (loader, &local_error);
#ifdef VMD_ASAN
  __lsan_enable ();
#endif
  if (local_error != NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED,
                   _("The operating system database could not be read (is osinfo-db "
                     "installed?): %s"), local_error->message);
      g_error_free (local_error);
      return NULL;
    }
  return g_steal_pointer (&loader);
}

static void
load_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  OsinfoLoader *loader = load_loader (&error);

  if (loader == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, loader, g_object_unref);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  VmdOsCatalog *self = VMD_OS_CATALOG (source);
  g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending);
  GError *error = NULL;

  self->loader = g_task_propagate_pointer (G_TASK (result), &error);
  for (guint i = 0; i < pending->len; i++)
    {
      GTask *task = pending->pdata[i];

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_clear_error (&error);
}

/* Callers during a load share it; a failed load is tried again by the next caller. */
void
vmd_os_catalog_load_async (VmdOsCatalog        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) load = NULL;

  g_task_set_source_tag (task, vmd_os_catalog_load_async);
  if (self->loader != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->pending != NULL)
    {
      g_ptr_array_add (self->pending, g_steal_pointer (&task));
      return;
    }
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->pending, g_steal_pointer (&task));
  load = g_task_new (self, NULL, on_loaded, NULL);
  g_task_run_in_thread (load, load_in_thread);
}

gboolean
vmd_os_catalog_load_finish (VmdOsCatalog  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* For tests and worker threads, which may wait. */
gboolean
vmd_os_catalog_load_sync (VmdOsCatalog  *self,
                          GError       **error)
{
  if (self->loader == NULL)
    self->loader = load_loader (error);
  return self->loader != NULL;
}

OsinfoOs *
vmd_os_catalog_find (VmdOsCatalog *self,
                     const char   *short_id)
{
  g_autoptr(OsinfoFilter) filter = NULL;
  g_autoptr(OsinfoOsList) all = NULL;
  g_autoptr(OsinfoList) found = NULL;

  if (self->loader == NULL || short_id == NULL)
    return NULL;
  filter = osinfo_filter_new ();
  osinfo_filter_add_constraint (filter, OSINFO_PRODUCT_PROP_SHORT_ID, short_id);
  all = osinfo_db_get_os_list (vmd_os_catalog_get_db (self));
  found = osinfo_list_new_filtered (OSINFO_LIST (all), filter);
  if (osinfo_list_get_length (found) == 0)
    return NULL;
  return OSINFO_OS (osinfo_list_get_nth (found, 0));
}

static gboolean
contains (const char *haystack,
          const char *needle_folded)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle_folded) != NULL;
}

/* Every word must appear in the name, short id, vendor or version. */
static gboolean
os_matches (OsinfoOs    *os,
            GStrv        words)
{
  OsinfoProduct *product = OSINFO_PRODUCT (os);

  for (guint i = 0; words[i] != NULL; i++)
    if (!contains (osinfo_product_get_name (product), words[i]) &&
        !contains (osinfo_product_get_short_id (product), words[i]) &&
        !contains (osinfo_product_get_vendor (product), words[i]) &&
        !contains (osinfo_product_get_version (product), words[i]))
      return FALSE;
  return TRUE;
}

/* Newest release first, so "debian" offers Debian 11 before Debian 2.2. */
static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const char *da = osinfo_product_get_release_date_string (*(OsinfoProduct **) a);
  const char *db = osinfo_product_get_release_date_string (*(OsinfoProduct **) b);

  return -g_strcmp0 (da, db);
}

GPtrArray *
vmd_os_catalog_search (VmdOsCatalog *self,
                       const char   *text,
                       guint         max_results)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(OsinfoOsList) all = NULL;
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  if (self->loader == NULL)
    return g_steal_pointer (&found);
  folded = g_utf8_casefold (text != NULL ? text : "", -1);
  words = g_strsplit_set (g_strstrip (folded), " \t", -1);
  all = osinfo_db_get_os_list (vmd_os_catalog_get_db (self));
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (all)); i++)
    {
      OsinfoOs *os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (all), i));

      if (os_matches (os, words))
        g_ptr_array_add (found, g_object_ref (os));
    }
  g_ptr_array_sort (found, compare_newest_first);
  if (max_results > 0 && found->len > max_results)
    g_ptr_array_set_size (found, max_results);
  return g_steal_pointer (&found);
}

/* The entry for x86_64, else the one for every architecture. */
static OsinfoResources *
pick_resources (OsinfoResourcesList *list)
{
  OsinfoResources *any = NULL;

  for (int i = 0; list != NULL && i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
    {
      OsinfoResources *r = OSINFO_RESOURCES (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *arch = osinfo_resources_get_architecture (r);

      if (g_strcmp0 (arch, "x86_64") == 0)
        return r;
      if (g_strcmp0 (arch, OSINFO_ARCHITECTURE_ALL) == 0)
        any = r;
    }
  return any;
}

gboolean
vmd_os_catalog_supports_virtio (OsinfoOs *os)
{
  static const char *virtio_ids[] = {
    "http://pcisig.com/pci/1af4/1000", "http://pcisig.com/pci/1af4/1041",
    "http://pcisig.com/pci/1af4/1001", "http://pcisig.com/pci/1af4/1042",
  };
  g_autoptr(OsinfoDeviceList) devices = NULL;

  if (os == NULL)
    return TRUE;   /* "Generic": today's systems all have virtio drivers */
  devices = osinfo_os_get_all_devices (os, NULL);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (devices)); i++)
    {
      const char *id = osinfo_entity_get_id (osinfo_list_get_nth (OSINFO_LIST (devices), i));

      for (guint j = 0; j < G_N_ELEMENTS (virtio_ids); j++)
        if (g_strcmp0 (id, virtio_ids[j]) == 0)
          return TRUE;
    }
  return FALSE;
}

/* What osinfo-db 20221130 does not say yet: Windows 11 refuses to install without Secure Boot
 * and a TPM 2.0 (Microsoft's published requirements; its BIOS "supported=false" is in the db). */
static const struct {
  const char *short_id;
  gboolean    secure_boot;
  gboolean    tpm;
} platform_table[] = {
  { "win11", TRUE, TRUE },
};

/* libosinfo's firmware list: an OS that refuses BIOS on x86_64 but takes EFI wants UEFI. */
static gboolean
wants_uefi (OsinfoOs *os)
{
  g_autoptr(OsinfoFirmwareList) list = osinfo_os_get_complete_firmware_list (os, NULL);
  gboolean efi = FALSE, no_bios = FALSE;

  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
    {
      OsinfoFirmware *fw = OSINFO_FIRMWARE (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *type = osinfo_firmware_get_firmware_type (fw);

      if (g_strcmp0 (osinfo_firmware_get_architecture (fw), "x86_64") != 0)
        continue;
      if (g_strcmp0 (type, "efi") == 0 && osinfo_firmware_is_supported (fw))
        efi = TRUE;
      if (g_strcmp0 (type, "bios") == 0 && !osinfo_firmware_is_supported (fw))
        no_bios = TRUE;
    }
  return efi && no_bios;
}

/* A TPM among the OS's devices, for the osinfo-db releases that list one. */
static gboolean
lists_tpm (OsinfoOs *os)
{
  g_autoptr(OsinfoDeviceList) devices = osinfo_os_get_all_devices (os, NULL);

  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (devices)); i++)
    if (g_strcmp0 (osinfo_device_get_class (OSINFO_DEVICE (osinfo_list_get_nth (OSINFO_LIST (devices), i))),
                   "tpm") == 0)
      return TRUE;
  return FALSE;
}

void
vmd_os_catalog_get_platform (OsinfoOs      *os,
                             VmdOsPlatform *platform)
{
  const char *short_id = os != NULL ? osinfo_product_get_short_id (OSINFO_PRODUCT (os)) : NULL;

  *platform = (VmdOsPlatform) { FALSE, FALSE, FALSE, FALSE };
  if (os == NULL)
    return;
  platform->uefi = wants_uefi (os);
  platform->tpm = lists_tpm (os);
  platform->hyperv = g_strcmp0 (osinfo_os_get_family (os), "winnt") == 0;
  for (guint i = 0; i < G_N_ELEMENTS (platform_table); i++)
    if (g_strcmp0 (short_id, platform_table[i].short_id) == 0)
      {
        platform->secure_boot |= platform_table[i].secure_boot;
        platform->tpm |= platform_table[i].tpm;
      }
  /* Secure Boot exists only in UEFI. */
  platform->uefi |= platform->secure_boot;
}

/* Recommended values where osinfo has them, the minimum where it has only that (debian11 leaves
 * the recommended CPU count unset), and virt-install's generic answers otherwise. */
void
vmd_os_catalog_get_defaults (OsinfoOs      *os,
                             VmdOsDefaults *defaults)
{
  g_autoptr(OsinfoResourcesList) recommended = os != NULL ? osinfo_os_get_recommended_resources (os) : NULL;
  g_autoptr(OsinfoResourcesList) minimum = os != NULL ? osinfo_os_get_minimum_resources (os) : NULL;
  OsinfoResources *rec = pick_resources (recommended);
  OsinfoResources *min = pick_resources (minimum);
  gint64 ram = rec != NULL ? osinfo_resources_get_ram (rec) : -1;
  gint64 storage = rec != NULL ? osinfo_resources_get_storage (rec) : -1;
  gint cpus = rec != NULL ? osinfo_resources_get_n_cpus (rec) : -1;
  gint64 min_ram = min != NULL ? osinfo_resources_get_ram (min) : -1;

  if (cpus <= 0 && min != NULL)
    cpus = osinfo_resources_get_n_cpus (min);
  if (ram <= 0)
    ram = MAX (min_ram, 1024 * MIB);
  if (storage <= 0 && min != NULL)
    storage = osinfo_resources_get_storage (min);

  defaults->memory_mib = ram / MIB;
  defaults->minimum_memory_mib = min_ram > 0 ? min_ram / MIB : 0;
  defaults->cpus = cpus > 0 ? cpus : 1;
  defaults->storage_gib = storage > 0 ? MAX (1, storage / GIB) : 20;
  defaults->virtio = vmd_os_catalog_supports_virtio (os);
}

/* "Debian 11 (debian11)" */
char *
vmd_os_catalog_describe (OsinfoOs *os)
{
  if (os == NULL)
    return g_strdup (_("Generic OS"));
  return g_strdup_printf ("%s (%s)", osinfo_product_get_name (OSINFO_PRODUCT (os)),
                          osinfo_product_get_short_id (OSINFO_PRODUCT (os)));
}

static void
vmd_os_catalog_finalize (GObject *object)
{
  VmdOsCatalog *self = VMD_OS_CATALOG (object);

  g_clear_object (&self->loader);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  G_OBJECT_CLASS (vmd_os_catalog_parent_class)->finalize (object);
}

static void
vmd_os_catalog_class_init (VmdOsCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_os_catalog_finalize;
}

static void
vmd_os_catalog_init (VmdOsCatalog *self)
{
}
