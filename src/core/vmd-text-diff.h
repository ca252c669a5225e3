/* A line diff of two texts, for the XML page: what an Apply changed, and a conflict's sides. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *vmd_text_diff (const char *before,
                     const char *after);

G_END_DECLS
