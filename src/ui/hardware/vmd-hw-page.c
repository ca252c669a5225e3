#include "config.h"

#include "vmd-hw-page.h"

G_DEFINE_ABSTRACT_TYPE (VmdHwPage, vmd_hw_page, GTK_TYPE_BOX)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

char *
vmd_hw_page_build (VmdHwPage   *self,
                   const char  *domain_xml,
                   VmdHwAttach *mode,
                   GError     **error)
{
  g_return_val_if_fail (VMD_IS_HW_PAGE (self), NULL);
  *mode = VMD_HW_ATTACH_LIVE;
  return VMD_HW_PAGE_GET_CLASS (self)->build (self, domain_xml, mode, error);
}

char *
vmd_hw_page_added_hint (VmdHwPage *self)
{
  VmdHwPageClass *klass = VMD_HW_PAGE_GET_CLASS (self);

  return klass->added_hint != NULL ? klass->added_hint (self) : NULL;
}

void
vmd_hw_page_changed (VmdHwPage *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
vmd_hw_page_class_init (VmdHwPageClass *klass)
{
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_hw_page_init (VmdHwPage *self)
{
}
