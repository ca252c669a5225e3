/* The Add Hardware kinds that are a choice or two (VmdHwChoicePage), each with its typed builder
 * over core's spec for it (vmd-device-extra-xml.h). */
#pragma once

#include "vmd-hw-choice-page.h"

G_BEGIN_DECLS

extern const VmdHwChoiceKind vmd_hw_sound_kind;
extern const VmdHwChoiceKind vmd_hw_watchdog_kind;
extern const VmdHwChoiceKind vmd_hw_rng_kind;
extern const VmdHwChoiceKind vmd_hw_input_kind;
extern const VmdHwChoiceKind vmd_hw_video_kind;
extern const VmdHwChoiceKind vmd_hw_controller_kind;
extern const VmdHwChoiceKind vmd_hw_channel_kind;
extern const VmdHwChoiceKind vmd_hw_char_kind;
extern const VmdHwChoiceKind vmd_hw_redirection_kind;
extern const VmdHwChoiceKind vmd_hw_smartcard_kind;

G_END_DECLS
