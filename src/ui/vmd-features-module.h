/* The windows that need large libraries (SPICE and GStreamer, VTE, libosinfo, libarchive,
 * GtkSourceView, libnm) live in a module that is loaded the first time one of them opens, so
 * that a program showing only its machine list never maps those libraries. This is the table
 * of entry points the module exports; src/app/vmd-features.c loads it. */
#pragma once

#include <gtk/gtk.h>

#include "vmd-connection.h"
#include "vmd-machine.h"

G_BEGIN_DECLS

/* Bumped whenever VmdFeatures changes, so that a stale module is refused, not called. */
#define VMD_FEATURES_ABI 5

/* The one symbol the module exports. */
#define VMD_FEATURES_SYMBOL "vmd_features"

typedef struct {
  guint abi;
  void       (*console_window_open)            (GtkApplication *application,
                                                GListModel     *connections,
                                                VmdMachine     *machine);
  void       (*console_window_open_when_found) (GtkApplication *application,
                                                GListModel     *connections,
                                                const char     *name);
  GtkWidget *(*details_window_present)         (GtkApplication *application,
                                                VmdConnection  *connection,
                                                VmdMachine     *machine);
  void       (*details_window_show_by_name)    (GtkApplication *application,
                                                GListModel     *connections,
                                                const char     *name);
  GtkWidget *(*creation_assistant_new)         (GtkWindow      *parent,
                                                GListModel     *connections,
                                                GSettings      *settings);
  GtkWidget *(*host_window_new)                (GtkWindow      *parent,
                                                GListModel     *connections);
  /* Connection Details: connection may be NULL (the first connected one). */
  GtkWidget *(*connection_details_window_new)  (GtkWindow      *parent,
                                                GListModel     *connections,
                                                VmdConnection  *connection);
  /* Clone…: emits "cloned" (const char *name) when the clone is defined. */
  GtkWidget *(*clone_dialog_new)               (GtkWindow      *parent,
                                                VmdMachine     *machine);
  /* Migrate…: the machine to another of the connected hosts. */
  GtkWidget *(*migrate_dialog_new)             (GtkWindow      *parent,
                                                GListModel     *connections,
                                                VmdMachine     *machine);
} VmdFeatures;

G_END_DECLS
