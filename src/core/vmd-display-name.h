/* Machine names for people: characters that change how text reads without showing themselves
 * (bidirectional overrides, zero-width and other format characters) are shown as "<U+XXXX>". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  vmd_name_char_is_invisible         (gunichar    c);
gboolean  vmd_name_has_invisible_characters  (const char *name);
char     *vmd_name_for_display               (const char *name);
char     *vmd_name_for_display_markup        (const char *name);

G_END_DECLS
