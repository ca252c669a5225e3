/* VmdSerialLog: the tail of a serial log, bounded and from where the last read ended; links,
 * FIFOs, folders and missing files refused with an error that says so. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "vmd-error.h"
#include "vmd-serial-log.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->dir = g_dir_make_tmp ("vmdesk-serial-log-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "m-serial0.log", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static char *
read_text (const char *path,
           gint64      from,
           gsize       max,
           guint64    *end,
           GError    **error)
{
  g_autoptr(GBytes) bytes = vmd_serial_log_read (path, from, max, end, NULL, error);

  return bytes != NULL ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : NULL;
}

static void
test_whole (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint64 end = 0;

  g_assert_true (g_file_set_contents (fixture->path, "SeaBIOS\r\nLinux version\r\n", -1, NULL));
  text = read_text (fixture->path, -1, 1024, &end, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "SeaBIOS\r\nLinux version\r\n");
  g_assert_cmpuint (end, ==, strlen (text));
}

/* Only the end, and from its first whole line. */
static void
test_tail_bounded (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  guint64 end = 0;

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (log, "line %04u\r\n", i);
  g_assert_true (g_file_set_contents (fixture->path, log->str, log->len, NULL));
  text = read_text (fixture->path, -1, 100, &end, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (text), <=, 100);
  g_assert_true (g_str_has_prefix (text, "line "));
  g_assert_true (g_str_has_suffix (text, "line 1999\r\n"));
  g_assert_cmpuint (end, ==, log->len);
}

/* From where the last read ended: only what came since; a log started anew is read whole. */
static void
test_from_offset (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  guint64 end = 0;

  g_assert_true (g_file_set_contents (fixture->path, "before\r\nwhile closed\r\n", -1, NULL));
  text = read_text (fixture->path, strlen ("before\r\n"), 1024, &end, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "while closed\r\n");

  g_assert_true (g_file_set_contents (fixture->path, "new boot\r\n", -1, NULL));
  again = read_text (fixture->path, end, 1024, &end, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, "new boot\r\n");
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *link = g_build_filename (fixture->dir, "link.log", NULL);
  g_autofree char *fifo = g_build_filename (fixture->dir, "fifo.log", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.log", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (fixture->path, "secret\n", -1, NULL));
  g_assert_cmpint (symlink (fixture->path, link), ==, 0);
  g_assert_null (read_text (link, -1, 1024, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_null (read_text (fifo, -1, 1024, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_null (read_text (fixture->dir, -1, 1024, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_null (read_text (missing, -1, 1024, NULL, &error));
  g_assert_error (error, VMD_ERROR, VMD_ERROR_NOT_FOUND);
}

static void
test_paths (void)
{
  g_autofree char *system = vmd_serial_log_dir_for_uri ("qemu:///system");
  g_autofree char *session = vmd_serial_log_dir_for_uri ("qemu:///session");
  g_autofree char *remote = vmd_serial_log_dir_for_uri ("qemu+ssh://root@host/system");
  g_autofree char *path = vmd_serial_log_default_path (system, "web");

  g_assert_cmpstr (system, ==, "/var/log/libvirt/qemu");
  g_assert_true (g_str_has_suffix (session, "/libvirt/qemu/log"));
  g_assert_null (remote);
  g_assert_cmpstr (path, ==, "/var/log/libvirt/qemu/web-serial0.log");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/serial-log/whole", Fixture, NULL, fixture_set_up, test_whole, fixture_tear_down);
  g_test_add ("/serial-log/tail-bounded", Fixture, NULL, fixture_set_up, test_tail_bounded,
              fixture_tear_down);
  g_test_add ("/serial-log/from-offset", Fixture, NULL, fixture_set_up, test_from_offset,
              fixture_tear_down);
  g_test_add ("/serial-log/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add_func ("/serial-log/paths", test_paths);
  return g_test_run ();
}
