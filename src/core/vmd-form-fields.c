/* The typed fields of each form: three-way merges field by field, and the lines that say what
 * changed ("Maximum memory: 256 MiB → 128 MiB") in the units the forms show. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vmd-error.h"
#include "vmd-form-fields.h"

VmdTitleFields
vmd_title_fields_of (const VmdMachineConfig *config)
{
  return (VmdTitleFields) { config->title, config->description };
}

VmdMemoryFields
vmd_memory_fields_of (const VmdMachineConfig *config)
{
  return (VmdMemoryFields) { config->max_memory_kib, config->current_memory_kib };
}

VmdVcpuFields
vmd_vcpu_fields_of (const VmdMachineConfig *config)
{
  return (VmdVcpuFields) { config->max_vcpus, config->current_vcpus };
}

VmdBootSettings
vmd_boot_settings_of (const VmdMachineConfig *config)
{
  return (VmdBootSettings) {
    (const char * const *) config->boot_devices, config->boot_menu,
    config->kernel, config->initrd, config->cmdline,
  };
}

static const char *
none_if_empty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (none_if_empty (a), none_if_empty (b)) == 0;
}

static gboolean
same_strv (const char * const *a,
           const char * const *b)
{
  guint i;

  for (i = 0; a != NULL && b != NULL && a[i] != NULL && b[i] != NULL; i++)
    if (!g_str_equal (a[i], b[i]))
      return FALSE;
  return (a == NULL || a[i] == NULL) && (b == NULL || b[i] == NULL);
}

/* One field of a three-way merge: what libvirt holds unless the user changed it; the user's when
 * nobody else changed it too (or changed it to the same), or when overwriting. */
typedef enum { TAKE_CURRENT, TAKE_MINE, CONFLICT } Pick;

static Pick
pick (gboolean user_changed,
      gboolean changed_elsewhere,
      gboolean overwrite)
{
  if (!user_changed)
    return TAKE_CURRENT;
  return changed_elsewhere && !overwrite ? CONFLICT : TAKE_MINE;
}

static const char *
pick_text (const char *base,
           const char *mine,
           const char *current,
           gboolean    overwrite,
           gboolean   *conflict)
{
  Pick p = pick (!same_text (base, mine), !same_text (base, current) && !same_text (mine, current), overwrite);

  *conflict |= p == CONFLICT;
  return p == TAKE_MINE ? mine : current;
}

static guint64
pick_number (guint64   base,
             guint64   mine,
             guint64   current,
             gboolean  overwrite,
             gboolean *conflict)
{
  Pick p = pick (base != mine, base != current && mine != current, overwrite);

  *conflict |= p == CONFLICT;
  return p == TAKE_MINE ? mine : current;
}

/* No base: nothing to compare with, the user's every field is written. */
static gboolean
take_all (gpointer      merged,
          gconstpointer mine,
          gsize         size)
{
  memcpy (merged, mine, size);
  return TRUE;
}

static gboolean
conflict_error (GError **error,
                char    *changes)
{
  g_set_error (error, VMD_ERROR, VMD_ERROR_CONFLICT, _("Changed elsewhere since you opened it: %s"),
               changes != NULL ? changes : _("the same fields you changed"));
  g_free (changes);
  return FALSE;
}

gboolean
vmd_title_fields_merge (const VmdTitleFields  *base,
                        const VmdTitleFields  *mine,
                        const VmdTitleFields  *current,
                        gboolean               overwrite,
                        VmdTitleFields        *merged,
                        GError               **error)
{
  gboolean conflict = FALSE;

  if (base == NULL)
    return take_all (merged, mine, sizeof *merged);
  merged->title = pick_text (base->title, mine->title, current->title, overwrite, &conflict);
  merged->description = pick_text (base->description, mine->description, current->description,
                                   overwrite, &conflict);
  return !conflict || conflict_error (error, vmd_title_fields_describe (base, current));
}

gboolean
vmd_memory_fields_merge (const VmdMemoryFields  *base,
                         const VmdMemoryFields  *mine,
                         const VmdMemoryFields  *current,
                         gboolean                overwrite,
                         VmdMemoryFields        *merged,
                         GError                **error)
{
  gboolean conflict = FALSE;

  if (base == NULL)
    return take_all (merged, mine, sizeof *merged);
  merged->max_kib = pick_number (base->max_kib, mine->max_kib, current->max_kib, overwrite, &conflict);
  merged->current_kib = pick_number (base->current_kib, mine->current_kib, current->current_kib,
                                     overwrite, &conflict);
  return !conflict || conflict_error (error, vmd_memory_fields_describe (base, current));
}

gboolean
vmd_vcpu_fields_merge (const VmdVcpuFields  *base,
                       const VmdVcpuFields  *mine,
                       const VmdVcpuFields  *current,
                       gboolean              overwrite,
                       VmdVcpuFields        *merged,
                       GError              **error)
{
  gboolean conflict = FALSE;

  if (base == NULL)
    return take_all (merged, mine, sizeof *merged);
  merged->max = (guint) pick_number (base->max, mine->max, current->max, overwrite, &conflict);
  merged->current = (guint) pick_number (base->current, mine->current, current->current, overwrite, &conflict);
  return !conflict || conflict_error (error, vmd_vcpu_fields_describe (base, current));
}

static const char * const *
pick_devices (const VmdBootSettings *base,
              const VmdBootSettings *mine,
              const VmdBootSettings *current,
              gboolean               overwrite,
              gboolean              *conflict)
{
  Pick p = pick (!same_strv (base->devices, mine->devices),
                 !same_strv (base->devices, current->devices) && !same_strv (mine->devices, current->devices),
                 overwrite);

  *conflict |= p == CONFLICT;
  return p == TAKE_MINE ? mine->devices : current->devices;
}

gboolean
vmd_boot_settings_merge (const VmdBootSettings  *base,
                         const VmdBootSettings  *mine,
                         const VmdBootSettings  *current,
                         gboolean                overwrite,
                         VmdBootSettings        *merged,
                         GError                **error)
{
  gboolean conflict = FALSE;

  if (base == NULL)
    return take_all (merged, mine, sizeof *merged);
  merged->devices = pick_devices (base, mine, current, overwrite, &conflict);
  merged->menu = pick_number (base->menu, mine->menu, current->menu, overwrite, &conflict);
  merged->kernel = pick_text (base->kernel, mine->kernel, current->kernel, overwrite, &conflict);
  merged->initrd = pick_text (base->initrd, mine->initrd, current->initrd, overwrite, &conflict);
  merged->cmdline = pick_text (base->cmdline, mine->cmdline, current->cmdline, overwrite, &conflict);
  return !conflict || conflict_error (error, vmd_boot_settings_describe (base, current));
}

/* --- describing what changed ----------------------------------------------------------------- */

/* A value as a user reads it in one line: quoted, its first line only, and not too long. */
static char *
shown_text (const char *text)
{
  g_autofree char *line = NULL;
  const char *end;

  if (none_if_empty (text) == NULL)
    return g_strdup (_("none"));
  end = strchr (text, '\n');
  line = end != NULL ? g_strndup (text, end - text) : g_strdup (text);
  if (g_utf8_strlen (line, -1) > 40)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, 39);

      return g_strdup_printf ("“%s…”", cut);
    }
  return g_strdup_printf (end != NULL ? "“%s…”" : "“%s”", line);
}

/* In the form's own unit, MiB, unless the amount is not a whole number of them. */
static char *
shown_kib (guint64 kib)
{
  if (kib % 1024 == 0)
    return g_strdup_printf (_("%" PRIu64 " MiB"), (uint64_t) (kib / 1024));
  return g_format_size_full (kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
}

static char *
shown_devices (const char * const *devices)
{
  if (devices == NULL || devices[0] == NULL)
    return g_strdup (_("none"));
  return g_strjoinv (", ", (char **) devices);
}

/* Takes before and after. */
static void
add_change (GString    *out,
            const char *label,
            char       *before,
            char       *after)
{
  if (g_strcmp0 (before, after) != 0)
    g_string_append_printf (out, "%s%s: %s → %s", out->len > 0 ? "\n" : "", label, before, after);
  g_free (before);
  g_free (after);
}

static char *
end_changes (GString *out)
{
  if (out->len > 0)
    return g_string_free (out, FALSE);
  g_string_free (out, TRUE);
  return NULL;
}

/* Texts are compared whole: a description may differ after the first line that shows. */
static void
add_text_change (GString    *out,
                 const char *label,
                 const char *before,
                 const char *after)
{
  g_autofree char *shown_before = NULL;
  g_autofree char *shown_after = NULL;

  if (same_text (before, after))
    return;
  shown_before = shown_text (before);
  shown_after = shown_text (after);
  g_string_append_printf (out, "%s%s: %s → %s", out->len > 0 ? "\n" : "", label, shown_before, shown_after);
}

char *
vmd_name_describe_change (const char *before,
                          const char *after)
{
  GString *out = g_string_new (NULL);

  add_text_change (out, _("Name"), before, after);
  return end_changes (out);
}

char *
vmd_title_fields_describe (const VmdTitleFields *before,
                           const VmdTitleFields *after)
{
  GString *out = g_string_new (NULL);

  add_text_change (out, _("Title"), before->title, after->title);
  add_text_change (out, _("Description"), before->description, after->description);
  return end_changes (out);
}

char *
vmd_memory_fields_describe (const VmdMemoryFields *before,
                            const VmdMemoryFields *after)
{
  GString *out = g_string_new (NULL);

  add_change (out, _("Maximum memory"), shown_kib (before->max_kib), shown_kib (after->max_kib));
  add_change (out, _("Current memory"), shown_kib (before->current_kib), shown_kib (after->current_kib));
  return end_changes (out);
}

char *
vmd_vcpu_fields_describe (const VmdVcpuFields *before,
                          const VmdVcpuFields *after)
{
  GString *out = g_string_new (NULL);

  add_change (out, _("Maximum vCPUs"), g_strdup_printf ("%u", before->max), g_strdup_printf ("%u", after->max));
  add_change (out, _("vCPUs"), g_strdup_printf ("%u", before->current), g_strdup_printf ("%u", after->current));
  return end_changes (out);
}

char *
vmd_boot_settings_describe (const VmdBootSettings *before,
                            const VmdBootSettings *after)
{
  GString *out = g_string_new (NULL);

  add_change (out, _("Boot order"), shown_devices (before->devices), shown_devices (after->devices));
  add_change (out, _("Boot menu"), g_strdup (before->menu ? _("on") : _("off")),
              g_strdup (after->menu ? _("on") : _("off")));
  add_text_change (out, _("Kernel"), before->kernel, after->kernel);
  add_text_change (out, _("Initrd"), before->initrd, after->initrd);
  add_text_change (out, _("Kernel arguments"), before->cmdline, after->cmdline);
  return end_changes (out);
}

/* --- owned copies ------------------------------------------------------------------------------ */

void
vmd_title_fields_copy (VmdTitleFields       *to,
                       const VmdTitleFields *from)
{
  to->title = g_strdup (from->title);
  to->description = g_strdup (from->description);
}

void
vmd_title_fields_clear (VmdTitleFields *fields)
{
  g_free ((char *) fields->title);
  g_free ((char *) fields->description);
  *fields = (VmdTitleFields) { NULL, NULL };
}

void
vmd_boot_settings_copy (VmdBootSettings       *to,
                        const VmdBootSettings *from)
{
  to->devices = (const char * const *) g_strdupv ((char **) from->devices);
  to->menu = from->menu;
  to->kernel = g_strdup (from->kernel);
  to->initrd = g_strdup (from->initrd);
  to->cmdline = g_strdup (from->cmdline);
}

void
vmd_boot_settings_clear (VmdBootSettings *boot)
{
  g_strfreev ((char **) boot->devices);
  g_free ((char *) boot->kernel);
  g_free ((char *) boot->initrd);
  g_free ((char *) boot->cmdline);
  *boot = (VmdBootSettings) { NULL, FALSE, NULL, NULL, NULL };
}
