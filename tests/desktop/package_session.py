#!/usr/bin/python3
"""The installed package as the libvirt-group user sees it (run by tests/desktop/test_package.py
as vmd-member in the user's own session, nothing of the build tree in the environment):

    package_session.py SHOTDIR

`gtk-launch io.github.vmdesk.VmDesk` starts /usr/bin/vmdesk from its desktop file; the list
shows the session connection; the installed schema is found (Preferences is on), the features
module in $libdir/vmdesk (the assistant opens), the icon in the hicolor theme; in Japanese the
installed translation is used. Pictures of the main window go to SHOTDIR: plain, with
GTK_THEME=Adwaita:dark and with GDK_SCALE=2.
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desktoptest import SESSION_TITLE, SESSION_URI, virsh, wait_group_connected  # noqa: E402
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'ui'))
from vmdtest import (START_TIMEOUT, Tap, TestFailure, VmDesk, find_all, find_one,  # noqa: E402
                     is_sensitive, log, minimal_domain_xml, wait_until)
import dogtail.tree as tree  # noqa: E402
import gi  # noqa: E402
gi.require_version('Gtk', '3.0')
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, Gdk, Gtk  # noqa: E402

DESKTOP_ID = 'io.github.vmdesk.VmDesk'
INSTALLED = '/usr/bin/vmdesk'
SHOTS = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.gettempdir())
MACHINE = 'debian12-demo'
JA_SESSION_TITLE = 'QEMU/KVM ユーザーセッション'

tap = Tap(9)


class Launched(VmDesk):
    """VM Desk started from its desktop file by gtk-launch, as a desktop's menu starts it: the
    process is gtk-launch's child, found on the accessibility bus by its program."""

    def start(self):
        self.log = tempfile.TemporaryFile('w+', prefix='vmdesk-package-', suffix='.log')
        started = time.monotonic()
        launcher = subprocess.run(['gtk-launch', DESKTOP_ID], env=self.env, stdin=subprocess.DEVNULL,
                                  stdout=self.log, stderr=self.log, timeout=30)
        if launcher.returncode != 0:
            raise TestFailure('gtk-launch %s failed (%d)' % (DESKTOP_ID, launcher.returncode))

        def find_app():
            for app in tree.root.applications():
                pid = app.get_process_id()
                if app.name == 'vmdesk' and os.path.realpath('/proc/%d/exe' % pid) == INSTALLED:
                    return app
            return None
        self.app = wait_until('%s on the accessibility bus' % INSTALLED, find_app, START_TIMEOUT,
                              seen=lambda: 'applications: %s' % [a.name for a in tree.root.applications()])
        self.pid = self.app.get_process_id()
        self.window = wait_until('the window "VM Desk"',
                                 lambda: find_one(self.app, 'frame', 'VM Desk'), START_TIMEOUT)
        log('gtk-launch %s: %s (pid %d) window up in %.2fs'
            % (DESKTOP_ID, INSTALLED, self.pid, time.monotonic() - started))
        return self

    def stop(self):
        pid = getattr(self, 'pid', None)
        if pid is not None:
            try:
                os.kill(pid, 15)
                wait_until('vmdesk (pid %d) to quit' % pid, lambda: not Path('/proc/%d' % pid).exists()
                           or Path('/proc/%d/stat' % pid).read_text().split(') ')[1][0] == 'Z', 5)
            except ProcessLookupError:
                pass
            self.pid = None
        return super().stop()


def launched(**env):
    return Launched(env=env)


def preferences_on(app):
    app.click(wait_until('"Main menu"', lambda: find_one(app.window, 'toggle button', 'Main menu')))
    item = wait_until('"Preferences" in the primary menu',
                      lambda: find_one(app.window, 'push button', 'Preferences'))
    if not is_sensitive(item):
        raise TestFailure('Preferences is off: the installed GSettings schema was not found')
    app.key_combo('Escape')
    wait_until('the menu to close', lambda: find_one(app.window, 'push button', 'Preferences') is None)


def module_loads(app):
    app.click(wait_until('"New Machine"', lambda: find_one(app.window, 'push button', 'New Machine')))
    window = wait_until('the assistant (from the features module)',
                        lambda: find_one(app.app, None, 'New Virtual Machine'), 15,
                        seen=lambda: 'labels: %s' % [n.get_name() for n in find_all(app.app, 'label')][-5:])
    app.click(wait_until('Cancel', lambda: find_one(window, 'push button', 'Cancel')))
    wait_until('the assistant to close', lambda: find_one(app.app, None, 'New Virtual Machine') is None)
    found = [line for line in Path('/proc/%d/maps' % app.pid).read_text().splitlines()
             if 'vmdesk-features' in line]
    path = found[0].split()[-1] if found else None
    log('features module: %s' % path)
    if path is None or not path.startswith('/usr/lib/') or '/vmdesk/' not in path:
        raise TestFailure('the features module mapped is %r, not the installed one' % path)


def icon_installed():
    theme = Gtk.IconTheme.get_default()
    info = theme.lookup_icon(DESKTOP_ID, 128, 0)
    path = info.get_filename() if info is not None else None
    log('icon: %s' % path)
    if path is None or not path.startswith('/usr/share/icons/hicolor/'):
        raise TestFailure('the icon %s is not found in the hicolor theme (%r)' % (DESKTOP_ID, path))


def picture(app, name, scale=1):
    """The main window; AT-SPI gives its extents in GTK's logical pixels, SCALE screen pixels
    each."""
    app.park_pointer_outside()
    time.sleep(0.3)
    ext = app.window.get_extents(Atspi.CoordType.SCREEN)
    pixbuf = Gdk.pixbuf_get_from_window(Gdk.get_default_root_window(), ext.x * scale,
                                        ext.y * scale, ext.width * scale, ext.height * scale)
    if pixbuf is None:
        raise TestFailure('could not read the screen')
    path = SHOTS / name
    pixbuf.savev(str(path), 'png', [], [])
    log('picture %dx%d: %s' % (pixbuf.get_width(), pixbuf.get_height(), path))
    if path.stat().st_size < 10000:
        raise TestFailure('%s is suspiciously small' % path)


def launch_and_picture(name, scale=1, **env):
    with launched(**env) as app:
        wait_group_connected(app, SESSION_TITLE)
        app.wait_for_row(MACHINE, timeout=30)
        picture(app, name, scale)
        app.check_log()


def japanese():
    with launched(LANG='ja_JP.UTF-8') as app:
        # The list's own accessible name is translated too: look for the row's cell itself.
        wait_until('a row "%s"' % JA_SESSION_TITLE,
                   lambda: find_one(app.window, 'table cell', JA_SESSION_TITLE), 20)
        app.check_log()


def main():
    # A machine to show in the pictures: defined, never started, removed at the end (and first,
    # in case an interrupted run left it).
    virsh(SESSION_URI, 'undefine', MACHINE, check=False)
    with tempfile.NamedTemporaryFile('w', suffix='.xml') as f:
        f.write(minimal_domain_xml(MACHINE, 256))
        f.flush()
        virsh(SESSION_URI, 'define', f.name)
    try:
        with launched() as app:
            tap.step('gtk-launch %s starts %s; the row "%s" is connected'
                     % (DESKTOP_ID, INSTALLED, SESSION_TITLE), wait_group_connected, app, SESSION_TITLE)
            tap.step('the installed schema is found: Preferences is on', preferences_on, app)
            tap.step('the installed features module loads: the assistant opens', module_loads, app)
            tap.step('the session\'s machine is listed; picture of the main window',
                     lambda: (app.wait_for_row(MACHINE, timeout=30), picture(app, 'installed.png')))
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
        tap.step('the icon is in the hicolor theme', icon_installed)
        tap.step('GTK_THEME=Adwaita:dark: picture', launch_and_picture, 'installed-dark.png',
                 GTK_THEME='Adwaita:dark')
        tap.step('GDK_SCALE=2: picture', launch_and_picture, 'installed-scale2.png', 2,
                 GDK_SCALE='2')
        tap.step('LANG=ja_JP.UTF-8: the installed translation names the session "%s"'
                 % JA_SESSION_TITLE, japanese)
    except TestFailure as e:
        tap.bail_out(str(e))
    finally:
        virsh(SESSION_URI, 'undefine', MACHINE, check=False)
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
