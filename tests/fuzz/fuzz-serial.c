/* The serial console's path through VM Desk's own code. Bytes from the guest go from the
 * libvirt stream straight into vte_terminal_feed() (src/ui/vmd-serial-view.c): nothing of ours
 * sits between them to fuzz, and VTE, a widget, is not instrumented here. What is ours is the
 * choice of what to open: vmd_console_info_parse() (src/core/vmd-console-info.c) reads the live
 * domain XML for the text consoles (the alias handed to virDomainOpenConsole(), the label shown)
 * and the graphics ports. This fuzzes it, with the rules the serial view relies on: every console
 * has an alias and a UTF-8 label, and aliases are unique. Input: the XML. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "vmd-console-info.h"

static void
require (gboolean    condition,
         const char *what)
{
  if (condition)
    return;
  fprintf (stderr, "rule broken: %s\n", what);
  abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *xml = g_strndup ((const char *) data, size);
  g_autoptr(VmdConsoleInfo) info = vmd_console_info_parse (xml);
  g_autoptr(GHashTable) aliases = g_hash_table_new (g_str_hash, g_str_equal);

  if (info == NULL)
    return 0;
  /* Not checked: the ports are any integer the XML says, even 70000 or -5, or wrapped to a
   * real one from 4294973196 (tests/fuzz/findings/console-info-port-70000.xml); libvirt writes
   * only real ports into the XML this reads, so that is reported, not enforced here. */
  for (guint i = 0; i < info->consoles->len; i++)
    {
      const VmdConsoleDevice *console = info->consoles->pdata[i];

      require (console->alias != NULL && *console->alias != '\0', "each console has an alias");
      require (console->label != NULL && g_utf8_validate (console->label, -1, NULL),
               "each console has a UTF-8 label");
      require (g_hash_table_add (aliases, console->alias), "aliases are unique");
    }
  return 0;
}
