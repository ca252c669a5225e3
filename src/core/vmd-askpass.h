/* VmdAskpass: answers ssh's questions (a password, a key's passphrase) for qemu+ssh:// connections
 * in VM Desk's own dialog: ssh runs vmdesk-askpass (SSH_ASKPASS, which libvirt passes on to it),
 * which asks here over a socket in a private folder; the "ask" signal carries each question to
 * whoever shows it. Nothing is written anywhere. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VMD_TYPE_ASKPASS_REQUEST (vmd_askpass_request_get_type ())
G_DECLARE_FINAL_TYPE (VmdAskpassRequest, vmd_askpass_request, VMD, ASKPASS_REQUEST, GObject)

const char *vmd_askpass_request_get_prompt (VmdAskpassRequest *self);
gboolean    vmd_askpass_request_is_secret  (VmdAskpassRequest *self);
void        vmd_askpass_request_reply      (VmdAskpassRequest *self,
                                            const char        *answer);
void        vmd_askpass_request_cancel     (VmdAskpassRequest *self);

#define VMD_TYPE_ASKPASS (vmd_askpass_get_type ())
G_DECLARE_FINAL_TYPE (VmdAskpass, vmd_askpass, VMD, ASKPASS, GObject)

VmdAskpass *vmd_askpass_new        (const char  *helper,
                                    GError     **error);
const char *vmd_askpass_get_program (VmdAskpass *self);
char       *vmd_askpass_find_helper (void);

G_END_DECLS
