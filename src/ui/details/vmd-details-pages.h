/* The details window's pages, in the order of its sidebar: the one list to extend. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;             /* the stack child's name: "overview" */
  const char *title;            /* the sidebar's label, untranslated (N_) */
  GType     (*get_type) (void); /* a VmdDetailsPage subclass */
} VmdDetailsPageEntry;

const VmdDetailsPageEntry *vmd_details_pages (guint *n_pages);

G_END_DECLS
