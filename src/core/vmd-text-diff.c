/* vmd_text_diff: lines prefixed "- ", "+ " or "  ", as a user of `diff` reads them. */
#include "config.h"

#include "vmd-text-diff.h"

/* A line diff ("-", "+", " " prefixes) by longest common subsequence: domain XML has a few
 * hundred lines, so the quadratic table is small. */
char *
vmd_text_diff (const char *before,
               const char *after)
{
  g_auto(GStrv) a = g_strsplit (before != NULL ? before : "", "\n", -1);
  g_auto(GStrv) b = g_strsplit (after != NULL ? after : "", "\n", -1);
  guint n = g_strv_length (a), m = g_strv_length (b);
  g_autofree guint *lcs = g_new0 (guint, (gsize) (n + 1) * (m + 1));
  GString *out = g_string_new (NULL);
  guint i = 0, j = 0;

#define LCS(x, y) lcs[(gsize) (x) * (m + 1) + (y)]
  for (int x = (int) n - 1; x >= 0; x--)
    for (int y = (int) m - 1; y >= 0; y--)
      LCS (x, y) = g_str_equal (a[x], b[y]) ? LCS (x + 1, y + 1) + 1
                                             : MAX (LCS (x + 1, y), LCS (x, y + 1));
  while (i < n || j < m)
    {
      if (i < n && j < m && g_str_equal (a[i], b[j]))
        {
          g_string_append_printf (out, "  %s\n", a[i++]);
          j++;
        }
      else if (j < m && (i == n || LCS (i, j + 1) >= LCS (i + 1, j)))
        g_string_append_printf (out, "+ %s\n", b[j++]);
      else
        g_string_append_printf (out, "- %s\n", a[i++]);
    }
#undef LCS
  return g_string_free (out, FALSE);
}
