/* One place decides which characters of a name are shown as escapes, so the list, the window
 * titles, the dialogs and the assistant's warning all agree. A name such as "rel<U+202E>evil"
 * would otherwise read "rellive" reversed: the user must see what libvirt really holds. */
#include "config.h"

#include <string.h>

#include "vmd-display-name.h"

/* Bidirectional controls, zero-width and every other format character (category Cf: U+200B-200F,
 * U+202A-202E, U+2060-2064, U+2066-2069, U+061C, U+FEFF, ...), control characters, line and
 * paragraph separators, and the fillers that are letters by category yet draw nothing. */
gboolean
vmd_name_char_is_invisible (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_FORMAT:
    case G_UNICODE_CONTROL:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      break;
    }
  return c == 0x034F ||                  /* combining grapheme joiner */
         c == 0x115F || c == 0x1160 ||   /* Hangul choseong and jungseong fillers */
         c == 0x3164 || c == 0xFFA0 ||   /* Hangul filler, halfwidth filler */
         c == 0x180E;                    /* Mongolian vowel separator (Cf before Unicode 6.3) */
}

gboolean
vmd_name_has_invisible_characters (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name != NULL ? name : "", -1);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    if (vmd_name_char_is_invisible (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static void
append_text (GString    *out,
             const char *text,
             gssize      length,
             gboolean    markup)
{
  g_autofree char *escaped = NULL;

  if (!markup)
    {
      g_string_append_len (out, text, length);
      return;
    }
  escaped = g_markup_escape_text (text, length);
  g_string_append (out, escaped);
}

static char *
name_with_escapes (const char *name,
                   gboolean    markup)
{
  g_autofree char *valid = g_utf8_make_valid (name != NULL ? name : "", -1);
  GString *out = g_string_sized_new (strlen (valid) + 16);
  const char *run = valid;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!vmd_name_char_is_invisible (c))
        continue;
      append_text (out, run, p - run, markup);
      if (markup)
        g_string_append_printf (out, "<span underline=\"error\" weight=\"bold\">&lt;U+%04X&gt;</span>", c);
      else
        g_string_append_printf (out, "<U+%04X>", c);
      run = g_utf8_next_char (p);
    }
  append_text (out, run, -1, markup);
  return g_string_free (out, FALSE);
}

/* For window titles, dialogs and messages: plain text. */
char *
vmd_name_for_display (const char *name)
{
  return name_with_escapes (name, FALSE);
}

/* For cells and labels that take Pango markup: the escapes are also underlined as errors, so
 * that they stand out from a name that happens to contain the same ASCII text. */
char *
vmd_name_for_display_markup (const char *name)
{
  return name_with_escapes (name, TRUE);
}
