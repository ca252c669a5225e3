/* VmdHostCheckItem: one fact of the host check, with its status and a fix in words. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  VMD_HOST_CHECK_STATUS_OK,
  VMD_HOST_CHECK_STATUS_WARNING,
  VMD_HOST_CHECK_STATUS_FAILED,
} VmdHostCheckStatus;

#define VMD_TYPE_HOST_CHECK_ITEM (vmd_host_check_item_get_type ())
G_DECLARE_FINAL_TYPE (VmdHostCheckItem, vmd_host_check_item, VMD, HOST_CHECK_ITEM, GObject)

VmdHostCheckItem   *vmd_host_check_item_new        (const char         *id,
                                                    const char         *title,
                                                    VmdHostCheckStatus  status,
                                                    char               *detail,
                                                    char               *fix);
const char         *vmd_host_check_item_get_id     (VmdHostCheckItem *self);
const char         *vmd_host_check_item_get_title  (VmdHostCheckItem *self);
VmdHostCheckStatus  vmd_host_check_item_get_status (VmdHostCheckItem *self);
const char         *vmd_host_check_item_get_detail (VmdHostCheckItem *self);
const char         *vmd_host_check_item_get_fix    (VmdHostCheckItem *self);

G_END_DECLS
