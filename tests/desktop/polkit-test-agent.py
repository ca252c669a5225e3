#!/usr/bin/python3
"""A polkit authentication agent for tests, in place of the desktop's password dialog.

    polkit-test-agent.py BUS USER DIR

Waits for USER's `vmdesk` process, registers on polkitd of the bus BUS (a private system bus:
tests/harness/nm-up.sh --polkit) as the agent of that process, and writes DIR/registered.
When polkitd asks it to authenticate (BeginAuthentication: what the desktop's agent shows as a
password dialog) it writes DIR/asked with the action's id, then waits until the test creates
DIR/answer, and answers as a user who typed the right password would: as root (polkit's own
helper does the same, setuid), AuthenticationAgentResponse2 for USER. Later requests are
answered at once. Runs as root until killed.
"""
import os
import pwd
import subprocess
import sys
import time
from pathlib import Path

import gi
gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

AUTHORITY = ('org.freedesktop.PolicyKit1', '/org/freedesktop/PolicyKit1/Authority',
             'org.freedesktop.PolicyKit1.Authority')
AGENT_PATH = '/io/github/vmdesk/TestAgent'
AGENT_XML = """
<node>
  <interface name='org.freedesktop.PolicyKit1.AuthenticationAgent'>
    <method name='BeginAuthentication'>
      <arg type='s' name='action_id' direction='in'/>
      <arg type='s' name='message' direction='in'/>
      <arg type='s' name='icon_name' direction='in'/>
      <arg type='a{ss}' name='details' direction='in'/>
      <arg type='s' name='cookie' direction='in'/>
      <arg type='a(sa{sv})' name='identities' direction='in'/>
    </method>
    <method name='CancelAuthentication'>
      <arg type='s' name='cookie' direction='in'/>
    </method>
  </interface>
</node>
"""


def find_vmdesk(user):
    """PID of USER's vmdesk (the app under test), or None."""
    result = subprocess.run(['pgrep', '-u', user, '-x', 'vmdesk'], capture_output=True, text=True)
    pids = result.stdout.split()
    return int(pids[0]) if pids else None


def start_time(pid):
    """The process's start time in clock ticks, as polkit identifies a process."""
    stat = Path('/proc/%d/stat' % pid).read_text()
    return int(stat.rsplit(')', 1)[1].split()[19])


class Agent:
    def __init__(self, bus, user, folder):
        self.bus = bus
        self.uid = pwd.getpwnam(user).pw_uid
        self.folder = folder
        self.pending = []      # (invocation, cookie) waiting for DIR/answer
        self.answered = False

    def register(self, pid):
        node = Gio.DBusNodeInfo.new_for_xml(AGENT_XML)
        self.bus.register_object(AGENT_PATH, node.interfaces[0], self.on_call, None, None)
        subject = ('unix-process', {'pid': GLib.Variant('u', pid),
                                    'start-time': GLib.Variant('t', start_time(pid))})
        self.bus.call_sync(*AUTHORITY, 'RegisterAuthenticationAgent',
                           GLib.Variant('((sa{sv})ss)', (subject, 'C', AGENT_PATH)),
                           None, Gio.DBusCallFlags.NONE, 10000, None)
        (self.folder / 'registered').write_text('%d\n' % pid)

    def on_call(self, connection, sender, path, interface, method, params, invocation):
        if method == 'CancelAuthentication':
            cookie = params.unpack()[0]
            for entry in [e for e in self.pending if e[1] == cookie]:
                self.pending.remove(entry)
                entry[0].return_dbus_error('org.freedesktop.PolicyKit1.Error.Cancelled', 'cancelled')
            invocation.return_value(None)
            return
        action_id, _message, _icon, _details, cookie, _identities = params.unpack()
        with open(self.folder / 'asked', 'a') as f:
            f.write(action_id + '\n')
        self.pending.append((invocation, cookie))
        self.answer_if_allowed()

    def answer_if_allowed(self):
        if not self.answered and (self.folder / 'answer').exists():
            self.answered = True
        while self.answered and self.pending:
            invocation, cookie = self.pending.pop(0)
            identity = ('unix-user', {'uid': GLib.Variant('u', self.uid)})
            try:
                self.bus.call_sync(*AUTHORITY, 'AuthenticationAgentResponse2',
                                   GLib.Variant('(us(sa{sv}))', (0, cookie, identity)),
                                   None, Gio.DBusCallFlags.NONE, 10000, None)
            except GLib.Error as e:
                print('polkit-test-agent: response refused: %s' % e.message, file=sys.stderr)
            invocation.return_value(None)
        return True


def main():
    address, user, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    bus = Gio.DBusConnection.new_for_address_sync(
        address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    deadline = time.monotonic() + 120
    pid = None
    while pid is None:
        if time.monotonic() > deadline:
            print('polkit-test-agent: no vmdesk of %s came' % user, file=sys.stderr)
            return 1
        time.sleep(0.1)
        pid = find_vmdesk(user)
    agent = Agent(bus, user, folder)
    agent.register(pid)
    GLib.timeout_add(100, agent.answer_if_allowed)
    GLib.MainLoop().run()
    return 0


if __name__ == '__main__':
    sys.exit(main())
