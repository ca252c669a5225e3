#include "config.h"

#include "vmd-hw-page.h"

typedef struct
{
  VmdMachineDetails *details;
} VmdHwPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (VmdHwPage, vmd_hw_page, GTK_TYPE_BOX)

enum { PROP_0, PROP_DETAILS, N_PROPS };
static GParamSpec *properties[N_PROPS];

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

VmdMachineDetails *
vmd_hw_page_get_details (VmdHwPage *self)
{
  VmdHwPagePrivate *priv = vmd_hw_page_get_instance_private (self);

  return priv->details;
}

void
vmd_hw_page_add_async (VmdHwPage           *self,
                       const char          *domain_xml,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  VmdHwPageClass *klass = VMD_HW_PAGE_GET_CLASS (self);
  VmdHwAttach mode;
  g_autofree char *xml = NULL;

  if (klass->add_async != NULL)
    {
      klass->add_async (self, domain_xml, cancellable, callback, user_data);
      return;
    }
  xml = vmd_hw_page_build (self, domain_xml, &mode, NULL);
  g_return_if_fail (xml != NULL);
  vmd_machine_details_add_hardware_async (vmd_hw_page_get_details (self), xml, mode, cancellable,
                                          callback, user_data);
}

void
vmd_hw_page_changed (VmdHwPage *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
vmd_hw_page_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VmdHwPagePrivate *priv = vmd_hw_page_get_instance_private (VMD_HW_PAGE (object));

  if (prop_id == PROP_DETAILS)
    priv->details = g_value_dup_object (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
vmd_hw_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VmdHwPagePrivate *priv = vmd_hw_page_get_instance_private (VMD_HW_PAGE (object));

  if (prop_id == PROP_DETAILS)
    g_value_set_object (value, priv->details);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
vmd_hw_page_dispose (GObject *object)
{
  VmdHwPagePrivate *priv = vmd_hw_page_get_instance_private (VMD_HW_PAGE (object));

  g_clear_object (&priv->details);
  G_OBJECT_CLASS (vmd_hw_page_parent_class)->dispose (object);
}

static void
vmd_hw_page_class_init (VmdHwPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = vmd_hw_page_set_property;
  object_class->get_property = vmd_hw_page_get_property;
  object_class->dispose = vmd_hw_page_dispose;
  properties[PROP_DETAILS] = g_param_spec_object ("details", NULL, NULL, VMD_TYPE_MACHINE_DETAILS,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                                  G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vmd_hw_page_init (VmdHwPage *self)
{
}
