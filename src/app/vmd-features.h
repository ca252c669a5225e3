/* Loads the features module (src/ui/vmd-features-module.h) the first time one of its windows
 * opens, from beside the program or from its installed folder. */
#pragma once

#include "vmd-features-module.h"

G_BEGIN_DECLS



const VmdFeatures *vmd_features_get (GError **error);

G_END_DECLS
