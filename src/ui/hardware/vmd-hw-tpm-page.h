/* VmdHwTpmPage: a TPM 2.0, emulated by swtpm or the host's own passed through. QEMU cannot add
 * one to a running machine: it comes at the next boot. */
#pragma once

#include "vmd-hw-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_HW_TPM_PAGE (vmd_hw_tpm_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdHwTpmPage, vmd_hw_tpm_page, VMD, HW_TPM_PAGE, VmdHwPage)

G_END_DECLS
