#!/usr/bin/python3
"""The graphical console of a machine on the second host, tunnelled over SSH (issue 16): the tiny
guest runs on host B (tests/harness/second-host-up.sh) with SPICE listening on B's loopback only,
which no TCP connection from here can reach; the app, connected over SSH with the test key, opens
its console and the Graphics view shows a frame that is not blank, carried by `ssh -W` (seen
running). Closing the window ends every such ssh. Done twice: qemu+ssh:// (the test bed's ssh
program as command=, the key as keyfile=) and qemu+libssh:// (keyfile= and known_hosts=, which
the tunnel's plain ssh is given), then with a password: asked once for libvirt's ssh and once for
the tunnels, which share the first one's connection (ControlMaster). Then a tunnel whose ssh refuses the host's key: the Graphics
view says what ssh said, with no critical, and no ssh is left.

The app runs in the first host's network namespace (vmdesk-libvirt), the only place where the
second host's address exists. Needs root. Run inside tests/harness/ui-session.sh.
"""
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (REPO_ROOT, Tap, TestFailure, VmDesk, describe, find_one,  # noqa: E402
                     libvirt_up, log, wait_until)
from gi.repository import Atspi, Gdk  # noqa: E402

NAME = 'vmdesk-ui-console-remote-%d' % os.getpid()
DIR = '/var/lib/libvirt/images/' + NAME           # as host B sees it
B_OUTSIDE = '/var/lib/vmdesk-host-b/lib/images/' + NAME
CLIENT = '/run/vmdesk-host-b/client'
B_LOCAL = 'qemu:///system?socket=/run/vmdesk-host-b/run-libvirt/libvirt-sock'
SSH_URI = ('qemu+ssh://vmdesk-remote@10.213.0.2/system?keyfile=%s/id_ed25519&command=%s/ssh'
           % (CLIENT, CLIENT))
LIBSSH_URI = ('qemu+libssh://vmdesk-remote@10.213.0.2/system?keyfile=%s/id_ed25519'
              '&known_hosts=%s/known_hosts&sshauth=privkey' % (CLIENT, CLIENT))
GUEST_DIR = Path(os.environ.get('VMDESK_TINY_GUEST_DIR', REPO_ROOT / 'tests' / 'fixtures' / 'cache'))
TUNNEL = r'-W 127\.0\.0\.1:[0-9]+ -- 10\.213\.0\.2'

tap = Tap(13)


def b_virsh(*args, check=True):
    result = subprocess.run(['virsh', '-q', '-c', B_LOCAL, *args], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise TestFailure('virsh (B) %s: %s' % (' '.join(args), result.stderr.strip()))
    return result.stdout


def set_up():
    libvirt_up()
    subprocess.run([str(REPO_ROOT / 'tests' / 'harness' / 'second-host-up.sh')], check=True,
                   stdin=subprocess.DEVNULL, timeout=300)
    os.makedirs(B_OUTSIDE, mode=0o755, exist_ok=True)
    for name in ('vmlinuz', 'initrd'):
        shutil.copy(GUEST_DIR / name, Path(B_OUTSIDE) / name)
        os.chmod(Path(B_OUTSIDE) / name, 0o644)
    xml = Path(B_OUTSIDE) / 'domain.xml'
    xml.write_text("""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{dir}/vmlinuz</kernel><initrd>{dir}/initrd</initrd>
    <cmdline>console=tty0 console=ttyS0</cmdline></os>
  <on_reboot>destroy</on_reboot>
  <devices>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='spice' autoport='yes'><listen type='address' address='127.0.0.1'/></graphics>
    <video><model type='qxl'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
""".format(name=NAME, dir=DIR))
    b_virsh('define', str(xml))
    b_virsh('start', NAME)
    graphics = b_virsh('domdisplay', NAME).strip()
    log('host B display: %s' % graphics)
    if not graphics.startswith('spice://127.0.0.1:'):
        raise TestFailure('the display does not listen on B\'s loopback: %r' % graphics)


def tear_down():
    b_virsh('destroy', NAME, check=False)
    b_virsh('undefine', NAME, check=False)
    shutil.rmtree(B_OUTSIDE, ignore_errors=True)


class InFirstHostNamespace(VmDesk):
    """The app started through `ip netns exec vmdesk-libvirt` (which execs it: same pid)."""

    def __init__(self, *args, env=None):
        super().__init__(*args, env=env)
        self.args = [shutil.which('ip'), 'netns', 'exec', 'vmdesk-libvirt', *self.args]


def tunnels():
    result = subprocess.run(['pgrep', '-a', '-f', '--', TUNNEL], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line.strip()]


def console_window(app):
    return find_one(app.app, 'frame', '%s — Console' % NAME)


def screen_region(acc):
    ext = acc.get_extents(Atspi.CoordType.SCREEN)
    if ext.width <= 0 or ext.height <= 0:
        return None
    root = Gdk.get_default_root_window()
    return Gdk.pixbuf_get_from_window(root, ext.x, ext.y, ext.width, ext.height)


def lit_pixels(pixbuf):
    """How many pixels differ from the most common colour (the background), as test_console."""
    data = pixbuf.get_pixels()
    n = pixbuf.get_n_channels()
    stride = pixbuf.get_rowstride()
    counts = {}
    for y in range(0, pixbuf.get_height(), 2):
        row = data[y * stride:(y * stride) + pixbuf.get_width() * n]
        for x in range(0, len(row), n * 2):
            key = bytes(row[x:x + 3])
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return 0
    return sum(counts.values()) - max(counts.values())


def answer_password_questions(app):
    """Answers every "Password Needed" dialog showing (vmdesk-askpass: libvirt's ssh and each
    tunnel's) with the test user's password; how many it answered."""
    answered = 0
    for asked in [d for d in [find_one(app.app, 'dialog', 'Password Needed')] if d is not None]:
        answer = find_one(asked, 'password text', 'Answer') or find_one(asked, 'text', 'Answer')
        if answer is None:
            continue
        Atspi.EditableText.set_text_contents(answer, Path(CLIENT, 'password').read_text().strip())
        find_one(asked, 'push button', 'OK').do_action(0)
        answered += 1
    return answered


def graphics_shown(app, between=None):
    def window_found():
        if between is not None:
            between()
        return console_window(app)

    window = wait_until('the console window of %s' % NAME, window_found, timeout=60)
    tab = wait_until('the "Graphics" tab', lambda: find_one(window, 'radio button', 'Graphics'),
                     timeout=60)
    tab.do_action(0)
    display = wait_until('the SPICE display', lambda: window_found() and
                         find_one(window, name='Machine display'),
                         timeout=60, seen=lambda: describe(window))
    best = [0]

    def lit():
        if between is not None:
            between()
        pixbuf = screen_region(display)
        best[0] = max(best[0], lit_pixels(pixbuf) if pixbuf is not None else 0)
        return best[0] > 200

    wait_until('a frame that is not blank', lit, timeout=90,
               seen=lambda: 'at most %d pixels differ from the background; display %s'
               % (best[0], describe(display)))
    log('%d pixels differ from the background' % best[0])
    running = tunnels()
    log('tunnels: %r' % running)
    if not running:
        raise TestFailure('no `ssh -W` tunnel runs while the display shows')


def ssh_children(pid):
    """The app's tunnel ssh children, and any ssh zombie (a zombie has no command line: pgrep -f
    would not see it). The connection's own ssh (qemu+ssh://) is libvirt's, not a tunnel."""
    result = subprocess.run(['ps', '--ppid', str(pid), '-o', 'pid=,stat=,args='],
                            capture_output=True, text=True)
    found = []
    for line in result.stdout.splitlines():
        fields = line.split(None, 2)
        if len(fields) == 3 and (re.search(TUNNEL, fields[2]) or
                                 (fields[1].startswith('Z') and 'ssh' in fields[2])):
            found.append(line.strip())
    return found


def closed_leaves_no_ssh(app):
    window = console_window(app)
    find_one(window, 'push button', 'Close').do_action(0)
    wait_until('the console window to close', lambda: console_window(app) is None)
    wait_until('every ssh tunnel to end', lambda: not tunnels(), timeout=30,
               seen=lambda: repr(tunnels()))
    wait_until('no ssh child of the app, not even a zombie',
               lambda: not ssh_children(app.process.pid), timeout=30,
               seen=lambda: repr(ssh_children(app.process.pid)))


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def refused_said(app):
    window = wait_until('the console window of %s' % NAME, lambda: console_window(app), timeout=60)
    tab = wait_until('the "Graphics" tab', lambda: find_one(window, 'radio button', 'Graphics'),
                     timeout=60)
    tab.do_action(0)

    def status():
        label = find_one(console_window(app), 'label', 'Display status')
        return text_of(label) if label is not None else ''

    wait_until('ssh\'s refusal in the view', lambda: 'could not be reached over SSH' in status() and
               'Host key verification failed' in status(), timeout=60,
               seen=lambda: 'status %r' % status())
    log('said: %s' % status())
    closed_leaves_no_ssh(app)


def run_with(uri, label):
    with InFirstHostNamespace('--connect', uri, '--show-console', NAME) as app:
        tap.step('%s: the Graphics view shows a frame through an ssh tunnel' % label,
                 graphics_shown, app)
        tap.step('%s: closing the window ends every ssh tunnel' % label, closed_leaves_no_ssh, app)
        tap.step('%s: vmdesk logged no criticals or warnings' % label, app.check_log)


def main():
    if not tap.step('host B up, the tiny guest running there with SPICE on its loopback', set_up):
        tap.bail_out('no test bed')
        tear_down()
        return 1
    try:
        if tunnels():
            raise TestFailure('ssh tunnels to host B run before the test: %r' % tunnels())
        run_with(SSH_URI, 'qemu+ssh')
        run_with(LIBSSH_URI, 'qemu+libssh')
        # A password (no key): libvirt's ssh and each tunnel's ask in VM Desk's own dialog.
        asked = [0]

        def answer():
            asked[0] += answer_password_questions(app)

        with InFirstHostNamespace('--connect', 'qemu+ssh://vmdesk-remote@10.213.0.2/system'
                                  '?command=%s/ssh_password' % CLIENT, '--show-console', NAME) as app:
            tap.step('with a password typed in the Password Needed dialog: a frame through the '
                     'tunnels', lambda: graphics_shown(app, answer) or log('answered %d' % asked[0]))

            def all_answered():
                # The other channels' ssh may still be asking: answered until none asks for 3 s.
                quiet_since = time.monotonic()
                while time.monotonic() - quiet_since < 3:
                    if answer_password_questions(app):
                        asked[0] += 1
                        quiet_since = time.monotonic()
                    time.sleep(0.3)
                log('answered %d questions in all' % asked[0])
                # libvirt's ssh, then the first tunnel's: the others share its connection.
                if asked[0] > 2:
                    raise TestFailure('%d password questions: the tunnels did not share one '
                                      'connection' % asked[0])
                closed_leaves_no_ssh(app)

            tap.step('password: closing the window ends every ssh tunnel', all_answered)
            tap.step('password: vmdesk logged no criticals or warnings', app.check_log)
        # libvirt's own ssh (command=) reads its configuration's known_hosts; the tunnel is given
        # known_hosts=, here a file where the host has another key: ssh refuses, the view says so.
        with InFirstHostNamespace('--connect', SSH_URI + '&known_hosts=%s/known_hosts_changed' % CLIENT,
                                  '--show-console', NAME) as app:
            tap.step('a host key ssh refuses: the view says what ssh said, no ssh left',
                     refused_said, app)
            tap.step('refused: vmdesk logged no criticals or warnings', app.check_log)
        tap.step('no ssh tunnel left after the app quit', lambda: wait_until(
            'no tunnel', lambda: not tunnels(), timeout=10, seen=lambda: repr(tunnels())))
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    finally:
        tear_down()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
