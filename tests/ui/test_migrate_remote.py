#!/usr/bin/python3
"""Migrate… against the real second host (issue 16's UI acceptance): the tiny guest runs on the
first host (qemu:///system); the app, with that connection and the second host's over SSH
(qemu+libssh://, tests/harness/second-host-up.sh), moves it from the context menu with its disk
copied and a speed limit: the progress bar is seen moving, the dialog closes by itself, and the
row moves from the first host's group to the second's, running. Its console window, open on the
serial console where a shell loop counts every 0.2 s, follows it to the second host by itself:
the count goes on there, past the last number seen on the first host.

The app runs in the first host's network namespace (vmdesk-libvirt), the only place where the
second host's address exists; the session's X and D-Bus sockets are paths, reachable from
there. Needs root. Run inside tests/harness/ui-session.sh.
"""
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (REPO_ROOT, Tap, TestFailure, VmDesk, center, find_one, is_showing,  # noqa: E402
                     libvirt_up, log, virsh, wait_until)
from gi.repository import Atspi  # noqa: E402
from dogtail import rawinput  # noqa: E402

NAME = 'vmdesk-ui-migrate-%d' % os.getpid()
POOL = NAME + '-pool'
POOL_DIR = '/var/lib/libvirt/images/' + POOL
B_OUTSIDE = '/var/lib/vmdesk-host-b/lib/images/' + POOL
CLIENT = '/run/vmdesk-host-b/client'
B_URI = ('qemu+libssh://vmdesk-remote@10.213.0.2/system?keyfile=%s/id_ed25519'
         '&known_hosts=%s/known_hosts&sshauth=privkey' % (CLIENT, CLIENT))
B_LOCAL = 'qemu:///system?socket=/run/vmdesk-host-b/run-libvirt/libvirt-sock'
A_TITLE = 'QEMU/KVM'
B_TITLE = 'QEMU/KVM on 10.213.0.2'
GUEST_DIR = Path(os.environ.get('VMDESK_TINY_GUEST_DIR', REPO_ROOT / 'tests' / 'fixtures' / 'cache'))

tap = Tap(7)
COUNTER_LOOP = 'i=0; while true; do echo C$i.; i=$((i+1)); sleep 0.2; done\n'


def b_virsh(*args, check=True):
    result = subprocess.run(['virsh', '-q', '-c', B_LOCAL, *args], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise TestFailure('virsh (B) %s: %s' % (' '.join(args), result.stderr.strip()))
    return result


def copy_boot_files(folder):
    os.makedirs(folder, exist_ok=True)
    for name in ('vmlinuz', 'initrd'):
        shutil.copy(GUEST_DIR / name, Path(folder) / name)
        os.chmod(Path(folder) / name, 0o644)


def set_up():
    libvirt_up()
    subprocess.run([str(REPO_ROOT / 'tests' / 'harness' / 'second-host-up.sh')], check=True,
                   stdin=subprocess.DEVNULL, timeout=300)
    copy_boot_files(POOL_DIR)
    virsh('pool-create-as', POOL, 'dir', '--target', POOL_DIR)
    virsh('vol-create-as', POOL, 'disk.qcow2', '64M', '--format', 'qcow2')
    copy_boot_files(B_OUTSIDE)
    b_virsh('pool-create-as', POOL, 'dir', '--target', POOL_DIR)
    xml = Path(POOL_DIR) / 'domain.xml'
    xml.write_text("""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{dir}/vmlinuz</kernel><initrd>{dir}/initrd</initrd><cmdline>console=ttyS0</cmdline></os>
  <on_reboot>destroy</on_reboot>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='{dir}/disk.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='none'/>
  </devices>
</domain>
""".format(name=NAME, dir=POOL_DIR))
    virsh('define', str(xml))
    virsh('start', NAME)


def tear_down():
    for run in (virsh, b_virsh):
        run('destroy', NAME, check=False)
        run('undefine', NAME, check=False)
        run('pool-destroy', POOL, check=False)
    shutil.rmtree(POOL_DIR, ignore_errors=True)
    shutil.rmtree(B_OUTSIDE, ignore_errors=True)


class InFirstHostNamespace(VmDesk):
    """The app started through `ip netns exec vmdesk-libvirt` (which execs it: same pid)."""

    def __init__(self, *args, env=None):
        super().__init__(*args, env=env)
        self.args = [shutil.which('ip'), 'netns', 'exec', 'vmdesk-libvirt', *self.args]


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def console_window(app):
    return find_one(app.app, 'frame', '%s — Console' % NAME)


def terminal(app):
    return wait_until('the serial terminal',
                      lambda: find_one(console_window(app), name='Serial console'), timeout=30)


def type_into(acc, text):
    """Real key presses (XTEST), as a user's: to the focused widget."""
    x, y = center(acc)
    rawinput.click(x, y)
    time.sleep(0.3)
    rawinput.typeText(text)


def last_count(text):
    counts = [int(n) for n in re.findall(r'(?:^|\n)C(\d+)\.', text)]
    return max(counts) if counts else -1


def console_counting(app):
    app.wait_for_state(NAME, 'Running', timeout=30)
    menu = app.open_context_menu(NAME)
    app.activate_menu_item(menu, 'Open Console')
    wait_until('the console window', lambda: console_window(app), timeout=20)
    tab = wait_until('the "Serial" tab', lambda: find_one(console_window(app), 'radio button', 'Serial'),
                     timeout=20)
    tab.do_action(0)
    term = terminal(app)
    wait_until('the shell prompt', lambda: (type_into(term, '\n') or True) and
               'tiny# ' in text_of(term), timeout=90)
    type_into(term, COUNTER_LOOP)
    wait_until('the count to pass 5', lambda: last_count(text_of(terminal(app))) > 5, timeout=30,
               seen=lambda: repr(text_of(terminal(app))[-200:]))
    move_console_window_aside()


def move_console_window_aside():
    """With no window manager the console window, opened last, sits at the top left over the main
    window, where the next clicks go: it is moved to the screen's lower right (XMoveWindow through
    GDK, the window found by its title with xwininfo)."""
    import gi
    gi.require_version('GdkX11', '3.0')
    from gi.repository import Gdk, GdkX11
    tree = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True, text=True,
                          check=True).stdout
    found = re.findall(r'^\s*(0x[0-9a-f]+) "%s — Console":' % re.escape(NAME), tree, re.M)
    log('console windows: %s' % found)
    if not found:
        raise TestFailure('no X window for the console in: %s' % tree[:2000])
    Gdk.init([])
    display = Gdk.Display.get_default()
    for xid in found:
        window = GdkX11.X11Window.foreign_new_for_display(display, int(xid, 16))
        window.move(780, 400)
    display.flush()
    time.sleep(0.5)


def console_followed(app, before):
    """A console left on the first host would stop at its last count: the count must go on past
    what the terminal shows now by a few more (0.2 s each)."""
    now = max(before, last_count(text_of(terminal(app))))
    log('count before the migration: %d, when it ended: %d' % (before, now))
    wait_until('the console to count past %d' % (now + 3),
               lambda: last_count(text_of(terminal(app))) > now + 3, timeout=60,
               seen=lambda: repr(text_of(terminal(app))[-300:]))
    log('the console counts on: %d' % last_count(text_of(terminal(app))))


def group_of(app, name):
    """The group row (connection title) above NAME's row, or None if NAME is not shown."""
    group = None
    for row_name, state in app.rows():
        if row_name in (A_TITLE, B_TITLE) or row_name.startswith(A_TITLE + '\n') \
                or row_name.startswith(B_TITLE + '\n'):
            group = row_name.split('\n')[0]
        elif row_name == NAME:
            return group
    return None


def migrate(app):
    wait_until('both hosts listed', lambda: group_of(app, NAME) == A_TITLE and
               any(r[0].split('\n')[0] == B_TITLE for r in app.rows()),
               timeout=60, seen=app.describe_rows)
    app.wait_for_state(NAME, 'Running', timeout=30)
    menu = app.open_context_menu(NAME)
    app.activate_menu_item(menu, 'Migrate…')
    dialog = wait_until('the "Migrate Machine" dialog',
                        lambda: find_one(app.app, 'dialog', 'Migrate Machine'))
    combo = wait_until('the destination', lambda: find_one(dialog, 'combo box', 'Destination'))
    if combo.get_name() != 'Destination':
        raise TestFailure('no destination combo')
    # Slow enough to watch: 64 MiB of disk and the memory at 16 MiB/s.
    spin = find_one(dialog, 'spin button', 'Speed limit')
    Atspi.Value.set_current_value(spin, 16)
    find_one(dialog, 'push button', 'Migrate').do_action(0)
    bar = wait_until('the progress bar', lambda: find_one(dialog, 'progress bar', 'Progress'),
                     timeout=30)
    seen = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if find_one(app.app, 'dialog', 'Migrate Machine') is None:
            break
        try:
            seen.append(Atspi.Value.get_current_value(bar))
        except Exception:
            pass
        problem = find_one(dialog, 'label', 'Problem')
        if problem is not None and is_showing(problem):
            raise TestFailure('the migration failed: %s'
                              % Atspi.Text.get_text(problem, 0, -1))
        time.sleep(0.1)
    moving = sorted({v for v in seen if 0.0 < v < 1.0})
    log('progress values seen: %d, between 0 and 1: %s' % (len(seen), moving[:10]))
    if len(moving) < 2:
        raise TestFailure('the progress bar was not seen moving: %s' % seen[:20])


def moved(app):
    wait_until('%s under %s' % (NAME, B_TITLE), lambda: group_of(app, NAME) == B_TITLE,
               timeout=30, seen=app.describe_rows)
    app.wait_for_state(NAME, 'Running', timeout=30)
    if virsh('domstate', NAME, check=False).returncode == 0:
        raise TestFailure('%s is still defined on the first host' % NAME)
    if 'running' not in b_virsh('domstate', NAME).stdout:
        raise TestFailure('%s is not running on the second host' % NAME)


def main():
    try:
        try:
            set_up()
        except (TestFailure, subprocess.CalledProcessError) as e:
            tap.bail_out('set-up: %s' % e)
            return 1
        with InFirstHostNamespace('--connect', 'qemu:///system', '--connect', B_URI) as app:
            tap.step('the app is up in the first host\'s namespace', lambda: None)
            if not tap.step('its console is open, a shell loop counting on the serial console',
                            console_counting, app):
                tap.bail_out('no console')
                return tap.finish()
            before = last_count(text_of(terminal(app)))
            if not tap.step('Migrate… moves it, the progress bar seen moving', migrate, app):
                tap.bail_out('no migration')
                return tap.finish()
            tap.step('the dialog closed by itself', lambda: wait_until(
                'the dialog to close', lambda: find_one(app.app, 'dialog', 'Migrate Machine') is None))
            tap.step('the row is under the second host, running; gone from the first', moved, app)
            tap.step('the console window followed it: the count goes on over there',
                     lambda: console_followed(app, before))
            tap.step('vmdesk logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    finally:
        tear_down()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
