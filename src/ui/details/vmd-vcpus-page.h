/* VmdVcpusPage: the number of vCPUs (a form: live up to the running maximum) and, per vCPU,
 * its state, host CPU, time and affinity (`virsh vcpuinfo`). */
#pragma once

#include "vmd-details-page.h"

G_BEGIN_DECLS

#define VMD_TYPE_VCPUS_PAGE (vmd_vcpus_page_get_type ())
G_DECLARE_FINAL_TYPE (VmdVcpusPage, vmd_vcpus_page, VMD, VCPUS_PAGE, VmdDetailsPage)

G_END_DECLS
