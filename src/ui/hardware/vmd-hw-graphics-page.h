/* VmdHwGraphicsPage: a SPICE or VNC display: where it listens (nowhere, a UNIX socket or an IP
 * address) and its password. QEMU adds none to a running machine: it comes at the next boot. */
#pragma once

#include "vmd-hw-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_HW_GRAPHICS_PAGE (vmd_hw_graphics_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdHwGraphicsPage, vmd_hw_graphics_page, VMD, HW_GRAPHICS_PAGE, VmdHwPage)

G_END_DECLS
