#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "vmd-error.h"
#include "vmd-features.h"

#define MODULE_FILE "vmdesk-features." G_MODULE_SUFFIX

/* Beside the program first: that is where the build tree has it, so `build/src/vmdesk` runs
 * as built. An installed program has nothing beside it in bin/ and finds the module in libdir. */
static char *
find_module (void)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);

  if (program != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (program);
      g_autofree char *path = g_build_filename (dir, MODULE_FILE, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return g_build_filename (VMDESK_MODULE_DIR, MODULE_FILE, NULL);
}

static const VmdFeatures *
load_module (GError **error)
{
  g_autofree char *path = find_module ();
  GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL);
  gpointer symbol = NULL;
  const VmdFeatures *features;

  if (module == NULL)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED,
                   _("This part of VM Desk could not be loaded (%s). Reinstalling VM Desk should fix it."),
                   g_module_error ());
      return NULL;
    }
  if (!g_module_symbol (module, VMD_FEATURES_SYMBOL, &symbol) || symbol == NULL
      || ((const VmdFeatures *) symbol)->abi != VMD_FEATURES_ABI)
    {
      g_set_error (error, VMD_ERROR, VMD_ERROR_FAILED,
                   _("This part of VM Desk could not be loaded (%s is from another version). Reinstalling VM Desk should fix it."),
                   path);
      g_module_close (module);
      return NULL;
    }
  features = symbol;
  /* Its GTypes are registered for good: it can never be unloaded. */
  g_module_make_resident (module);
  return features;
}

/* Loads the module on the first call (on the main thread: the windows it opens come next). */
const VmdFeatures *
vmd_features_get (GError **error)
{
  static const VmdFeatures *features;

  if (features == NULL)
    features = load_module (error);
  return features;
}
