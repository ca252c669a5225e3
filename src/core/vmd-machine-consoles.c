/* VmdMachine's consoles: what its XML offers, its console streams, its graphics fd and its
 * QEMU monitor, each opened or run on a worker thread. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vmd-error.h"
#include "vmd-machine.h"
#include "vmd-machine-private.h"
#include "vmd-xml.h"

/* --- consoles and monitor --- */

static void
read_consoles_in_thread (GTask        *task,
                         gpointer      source,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  DomainCall *call = task_data;
  g_autofree char *xml = virDomainGetXMLDesc (call->handle, 0);
  VmdConsoleInfo *info;

  if (xml == NULL)
    {
      vmd_task_return_libvirt_error (task, _("Could not read the definition of “%s”"), call->name);
      return;
    }
  info = vmd_console_info_parse (xml);
  if (info == NULL)
    g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_FAILED,
                             _("The definition of “%s” could not be read"), call->name);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) vmd_console_info_free);
}

/* The live definition when it runs: it has the device aliases and the ports QEMU got. */
void
vmd_machine_read_consoles_async (VmdMachine          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  vmd_domain_call_run_in_thread (self, vmd_machine_read_consoles_async, read_consoles_in_thread,
                             cancellable, callback, user_data);
}

VmdConsoleInfo *
vmd_machine_read_consoles_finish (VmdMachine    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
free_stream (gpointer stream)
{
  virStreamFree (stream);
}

/* libvirt says "Active console session exists for this domain" with a generic code. */
static gboolean
console_busy (void)
{
  virErrorPtr last = virGetLastError ();

  return last != NULL && last->code == VIR_ERR_OPERATION_FAILED &&
         last->message != NULL && strstr (last->message, "console session") != NULL;
}

static void
open_console_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  DomainCall *call = task_data;
  virStreamPtr stream = virStreamNew (virDomainGetConnect (call->handle), VIR_STREAM_NONBLOCK);
  unsigned int flags = VIR_DOMAIN_CONSOLE_SAFE | (call->force ? VIR_DOMAIN_CONSOLE_FORCE : 0);

  if (stream != NULL && virDomainOpenConsole (call->handle, call->alias, stream, flags) == 0)
    {
      g_task_return_pointer (task, stream, free_stream);
      return;
    }
  if (console_busy ())
    {
      virResetLastError ();
      g_task_return_new_error (task, VMD_ERROR, VMD_ERROR_CONSOLE_BUSY,
                               _("Another program is using the console of “%s”"), call->name);
    }
  else
    {
      vmd_task_return_libvirt_error (task, _("Could not open the console of “%s”"), call->name);
    }
  if (stream != NULL)
    virStreamFree (stream);
}

/* alias NULL opens the first console. Without force, a console another client (virsh console,
 * another VM Desk) holds fails with VMD_ERROR_CONSOLE_BUSY; with force it is taken over. */
void
vmd_machine_open_console_async (VmdMachine          *self,
                                const char          *alias,
                                gboolean             force,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DomainCall *call;

  g_return_if_fail (VMD_IS_MACHINE (self));
  task = vmd_domain_call_task_new (self, vmd_machine_open_console_async, cancellable, callback,
                               user_data, &call);
  call->alias = g_strdup (alias);
  call->force = force;
  g_task_run_in_thread (task, open_console_in_thread);
}

/* Returns (transfer full) the open console; its bytes arrive on the main loop. */
VmdConsoleStream *
vmd_machine_open_console_finish (VmdMachine    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  virStreamPtr stream;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  stream = g_task_propagate_pointer (G_TASK (result), error);
  if (stream == NULL)
    return NULL;
  return vmd_console_stream_new_take (stream);
}

static void
open_graphics_fd_in_thread (GTask        *task,
                            gpointer      source,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  DomainCall *call = task_data;
  int fd = virDomainOpenGraphicsFD (call->handle, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);

  if (fd < 0)
    {
      vmd_task_return_libvirt_error (task, _("Could not open the display of “%s”"), call->name);
      return;
    }
  g_task_return_int (task, fd);
}

/* A socket to the machine's first display, passed by libvirt: no TCP port, no password. Works
 * on local connections only. */
void
vmd_machine_open_graphics_fd_async (VmdMachine          *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (VMD_IS_MACHINE (self));
  vmd_domain_call_run_in_thread (self, vmd_machine_open_graphics_fd_async, open_graphics_fd_in_thread,
                             cancellable, callback, user_data);
}

/* Returns a file descriptor the caller owns, or -1. */
int
vmd_machine_open_graphics_fd_finish (VmdMachine    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (int) g_task_propagate_int (G_TASK (result), error);
}

static void
monitor_command_in_thread (GTask        *task,
                           gpointer      source,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  DomainCall *call = task_data;
  char *reply = NULL;

  if (virDomainQemuMonitorCommand (call->handle, call->command, &reply,
                                   VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) < 0)
    {
      vmd_task_return_libvirt_error (task, _("The monitor of “%s” did not run “%s”"),
                                 call->name, call->command);
      return;
    }
  g_task_return_pointer (task, reply, free);
}

/* An HMP command ("info status") through libvirt; libvirt marks the domain tainted. */
void
vmd_machine_monitor_command_async (VmdMachine          *self,
                                   const char          *command,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DomainCall *call;

  g_return_if_fail (VMD_IS_MACHINE (self));
  g_return_if_fail (command != NULL);
  task = vmd_domain_call_task_new (self, vmd_machine_monitor_command_async, cancellable, callback,
                               user_data, &call);
  call->command = g_strdup (command);
  g_task_run_in_thread (task, monitor_command_in_thread);
}

/* Returns (transfer full) the monitor's answer, as QEMU wrote it. */
char *
vmd_machine_monitor_command_finish (VmdMachine    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  char *reply;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  reply = g_task_propagate_pointer (G_TASK (result), error);
  /* libvirt allocates with malloc; hand the caller something g_free() may release. */
  if (reply != NULL)
    {
      char *copy = g_strdup (reply);

      free (reply);
      return copy;
    }
  return NULL;
}
