/* vmd_name_for_display and friends: what a machine's name looks like wherever it is shown. */
#include "config.h"

#include "vmd-display-name.h"

static void
test_plain_names_unchanged (void)
{
  const char *names[] = { "debian12", "Ubuntu 24.04 (test)", "日本語のマシン", "café-ñ", "a<b>&c", "" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *shown = vmd_name_for_display (names[i]);

      g_assert_cmpstr (shown, ==, names[i]);
      g_assert_false (vmd_name_has_invisible_characters (names[i]));
    }
}

/* The example a hostile probe found: U+202E makes "rel\u202Eevil" read as "rel" then "live". */
static void
test_bidi_controls_escaped (void)
{
  const struct { const char *name; const char *shown; } cases[] = {
    { "rel\u202Eevil", "rel<U+202E>evil" },
    { "\u202Aa\u202Bb\u202Cc\u202Dd", "<U+202A>a<U+202B>b<U+202C>c<U+202D>d" },
    { "x\u2066y\u2067z\u2068w\u2069", "x<U+2066>y<U+2067>z<U+2068>w<U+2069>" },
    { "l\u200Er\u200F", "l<U+200E>r<U+200F>" },
    { "arabic\u061Cmark", "arabic<U+061C>mark" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = vmd_name_for_display (cases[i].name);

      g_assert_cmpstr (shown, ==, cases[i].shown);
      g_assert_true (vmd_name_has_invisible_characters (cases[i].name));
    }
}

static void
test_zero_width_and_format_escaped (void)
{
  const struct { const char *name; const char *shown; } cases[] = {
    { "pay\u200Bpal", "pay<U+200B>pal" },
    { "a\u200Cb\u200Dc", "a<U+200C>b<U+200D>c" },
    { "\uFEFFbom", "<U+FEFF>bom" },
    { "w\u2060j\u2061f\u2062t\u2063s\u2064p", "w<U+2060>j<U+2061>f<U+2062>t<U+2063>s<U+2064>p" },
    /* Other Cf characters: soft hyphen, a language tag. */
    { "soft\u00ADhyphen", "soft<U+00AD>hyphen" },
    { "tag\U000E0041", "tag<U+E0041>" },
    /* Controls and separators. */
    { "tab\there", "tab<U+0009>here" },
    { "line\u2028break", "line<U+2028>break" },
    /* Fillers that are letters by category but draw nothing. */
    { "hangul\u3164filler", "hangul<U+3164>filler" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = vmd_name_for_display (cases[i].name);

      g_assert_cmpstr (shown, ==, cases[i].shown);
      g_assert_true (vmd_name_has_invisible_characters (cases[i].name));
    }
}

static void
test_markup_escapes_and_marks (void)
{
  g_autofree char *markup = vmd_name_for_display_markup ("<b>\u202E&");
  g_autofree char *plain = vmd_name_for_display_markup ("a<U+202E>b");

  /* The name's own characters are escaped; the escape is marked. */
  g_assert_cmpstr (markup, ==,
                   "&lt;b&gt;<span underline=\"error\" weight=\"bold\">&lt;U+202E&gt;</span>&amp;");
  /* A name that spells an escape in ASCII is not marked: the two look different. */
  g_assert_cmpstr (plain, ==, "a&lt;U+202E&gt;b");
  g_assert_false (vmd_name_has_invisible_characters ("a<U+202E>b"));
}

static void
test_invalid_utf8_does_not_crash (void)
{
  g_autofree char *shown = vmd_name_for_display ("bad\xff\xfe");

  g_assert_true (g_utf8_validate (shown, -1, NULL));
  g_assert_false (vmd_name_has_invisible_characters (NULL));
  g_free (vmd_name_for_display (NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/display-name/plain-unchanged", test_plain_names_unchanged);
  g_test_add_func ("/display-name/bidi-controls", test_bidi_controls_escaped);
  g_test_add_func ("/display-name/zero-width-and-format", test_zero_width_and_format_escaped);
  g_test_add_func ("/display-name/markup", test_markup_escapes_and_marks);
  g_test_add_func ("/display-name/invalid-utf8", test_invalid_utf8_does_not_crash);
  return g_test_run ();
}
