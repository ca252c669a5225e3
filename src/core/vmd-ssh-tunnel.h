/* VmdSshTunnel: sockets to a port on a remote host, each carried by its own `ssh -W` over the same
 * SSH a qemu+ssh:// or qemu+libssh:// connection uses (user, port, key, known hosts), as
 * virt-viewer reaches a remote machine's graphics. The SPICE view asks it for one socket per
 * channel; closing the tunnel ends every ssh it started. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VMD_TYPE_SSH_TUNNEL (vmd_ssh_tunnel_get_type ())
G_DECLARE_FINAL_TYPE (VmdSshTunnel, vmd_ssh_tunnel, VMD, SSH_TUNNEL, GObject)

gboolean      vmd_ssh_tunnel_applies_to  (const char    *uri);
char        **vmd_ssh_tunnel_build_argv  (const char    *uri,
                                          const char    *listen,
                                          int            port,
                                          const char    *control_path,
                                          GError       **error);
VmdSshTunnel *vmd_ssh_tunnel_new         (const char    *uri,
                                          const char    *listen,
                                          int            port,
                                          GError       **error);
int           vmd_ssh_tunnel_open_fd     (VmdSshTunnel  *self,
                                          GError       **error);
const char   *vmd_ssh_tunnel_get_failure (VmdSshTunnel  *self);
void          vmd_ssh_tunnel_close       (VmdSshTunnel  *self);

G_END_DECLS
