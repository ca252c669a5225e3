/* VmdHostCheckItem: an immutable record of one host check. */
#include "config.h"

#include "vmd-host-check-item.h"

struct _VmdHostCheckItem
{
  GObject             parent_instance;

  char               *id;
  char               *title;
  VmdHostCheckStatus  status;
  char               *detail;
  char               *fix;
};

G_DEFINE_FINAL_TYPE (VmdHostCheckItem, vmd_host_check_item, G_TYPE_OBJECT)

static void
vmd_host_check_item_finalize (GObject *object)
{
  VmdHostCheckItem *self = VMD_HOST_CHECK_ITEM (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->detail);
  g_free (self->fix);
  G_OBJECT_CLASS (vmd_host_check_item_parent_class)->finalize (object);
}

static void
vmd_host_check_item_class_init (VmdHostCheckItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vmd_host_check_item_finalize;
}

static void
vmd_host_check_item_init (VmdHostCheckItem *self)
{
}

/* Takes ownership of detail and fix; fix is NULL when there is nothing to do. */
VmdHostCheckItem *
vmd_host_check_item_new (const char         *id,
          const char         *title,
          VmdHostCheckStatus  status,
          char               *detail,
          char               *fix)
{
  VmdHostCheckItem *self = g_object_new (VMD_TYPE_HOST_CHECK_ITEM, NULL);

  self->id = g_strdup (id);
  self->title = g_strdup (title);
  self->status = status;
  self->detail = detail;
  self->fix = fix;
  return self;
}

const char *
vmd_host_check_item_get_id (VmdHostCheckItem *self)
{
  g_return_val_if_fail (VMD_IS_HOST_CHECK_ITEM (self), NULL);
  return self->id;
}

const char *
vmd_host_check_item_get_title (VmdHostCheckItem *self)
{
  g_return_val_if_fail (VMD_IS_HOST_CHECK_ITEM (self), NULL);
  return self->title;
}

VmdHostCheckStatus
vmd_host_check_item_get_status (VmdHostCheckItem *self)
{
  g_return_val_if_fail (VMD_IS_HOST_CHECK_ITEM (self), VMD_HOST_CHECK_STATUS_FAILED);
  return self->status;
}

const char *
vmd_host_check_item_get_detail (VmdHostCheckItem *self)
{
  g_return_val_if_fail (VMD_IS_HOST_CHECK_ITEM (self), NULL);
  return self->detail;
}

const char *
vmd_host_check_item_get_fix (VmdHostCheckItem *self)
{
  g_return_val_if_fail (VMD_IS_HOST_CHECK_ITEM (self), NULL);
  return self->fix;
}

