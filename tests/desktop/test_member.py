#!/usr/bin/python3
"""VM Desk as a desktop user in the libvirt and kvm groups (vmd-member), not root:

1. with no --connect the list shows qemu:///session (libvirt's client starts the user's own
   daemon, `libvirtd --timeout=120`) and qemu:///system (Debian's polkit rule for the libvirt
   group lets the user in), both connected;
2. the New Virtual Machine assistant on the session: user-mode networking offered and chosen, a
   NAT network refused beside the choice (a session has none), the tiny guest ISO, Finish: it runs, its disk is a volume in ~/.local/share/libvirt/images;
3. its console: the Serial view shows the guest's banner (after a restart, so that the boot is
   seen from its start), the Graphics view (SPICE) a frame that is not blank;
4. the app logged no criticals or warnings.

Run by tests/desktop/run-desktop-test.sh vmd-member (root sets up; this runs as the user in
the user's own session). The guest's ISO is in $VMDESK_TEST_MEDIA.
"""
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desktoptest import (SESSION_TITLE, SESSION_URI, chosen, SYSTEM_TITLE, USER_IMAGES, domain_xml,  # noqa: E402
                         virsh, wait_group_connected)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'ui'))
from vmdtest import (Tap, TestFailure, VmDesk, describe, find_all, find_one, is_sensitive,  # noqa: E402
                     log, wait_until)
import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, Gdk  # noqa: E402

NAME = 'vmdesk-desk-%s' % uuid.uuid4().hex[:8]
ISO = Path(os.environ.get('VMDESK_TEST_MEDIA', '/nonexistent')) / 'tiny-guest.iso'
BANNER = 'VMDESK TINY GUEST READY'
TITLE = 'New Virtual Machine'

tap = Tap(8)


def session_connected(app):
    wait_group_connected(app, SESSION_TITLE)
    daemons = subprocess.run(['pgrep', '-u', str(os.getuid()), '-a', 'libvirtd'],
                             capture_output=True, text=True).stdout.strip()
    log('session daemon: %s' % daemons)
    if '--timeout=120' not in daemons:
        raise TestFailure('no auto-started libvirtd --timeout=120 of this user: %r' % daemons)


# --- the assistant -------------------------------------------------------------------------------

def assistant(app):
    return find_one(app.app, None, TITLE)


def widget(app, role, name, timeout=30):
    return wait_until('%s "%s" in the assistant' % (role, name),
                      lambda: find_one(assistant(app), role, name), timeout)


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def label_text(app, name):
    node = find_one(assistant(app), 'label', name)
    return text_of(node) if node is not None else None


def messages(app):
    window = assistant(app)
    if window is None:
        return 'the assistant is closed'
    return 'messages: %s' % [(n.get_name(), text_of(n)) for n in find_all(window, 'label')
                             if n.get_name().endswith('message')]


def click_when_sensitive(app, name, timeout=30):
    node = wait_until('button "%s" to be sensitive' % name,
                      lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(
                          find_one(assistant(app), 'push button', name)),
                      timeout, seen=lambda: messages(app))
    app.click(node)


def checked(node):
    return node.get_state_set().contains(Atspi.StateType.CHECKED)


def network_state(app):
    """The chosen connection and network, for failure reports."""
    combo = find_one(assistant(app), 'combo box', 'Connection', showing_only=False)
    radios = [n.get_name() for n in find_all(assistant(app), 'radio button') if checked(n)]
    return 'connection %r; checked %s; %s; media %r' % (chosen(combo) if combo else None, radios,
                                                       messages(app), label_text(app, 'Media message'))


def choose_session(app):
    combo = widget(app, 'combo box', 'Connection')
    if chosen(combo) != SESSION_TITLE:
        app.click(combo)
        item = wait_until('menu item "%s"' % SESSION_TITLE,
                          lambda: find_one(app.app, 'menu item', SESSION_TITLE))
        app.click(item)
        wait_until('the connection menu to close',
                   lambda: find_one(app.app, 'menu item', SESSION_TITLE) is None)
    wait_until('the session to be chosen', lambda: chosen(combo) == SESSION_TITLE,
               seen=lambda: 'chosen: %r' % chosen(combo))
    # The session probed: the media page no longer waits for it.
    wait_until('the session to be probed',
               lambda: 'Waiting' not in (label_text(app, 'Media message') or ''), 30,
               seen=lambda: messages(app))


def create_in_session(app):
    app.click(wait_until('the "New Machine" button',
                         lambda: find_one(app.window, 'push button', 'New Machine')))
    wait_until('the assistant', lambda: assistant(app), 10)
    choose_session(app)
    media = widget(app, 'text', 'Media path')
    Atspi.EditableText.set_text_contents(media, str(ISO))
    for _ in range(4):   # OS, memory and CPUs, storage, network
        click_when_sensitive(app, 'Forward')
        time.sleep(0.2)
    user_mode = widget(app, 'radio button', 'User-mode networking')
    wait_until('user-mode networking to be chosen for the session', lambda: checked(user_mode), 30,
               seen=lambda: network_state(app))
    log('network page: %s' % label_text(app, 'Network message'))
    # A session has no virtual network: said beside the choice, and no way forward with it.
    app.click(widget(app, 'radio button', 'NAT network'))
    wait_until('"no virtual networks" beside the network',
               lambda: 'no virtual networks' in (label_text(app, 'Network message') or ''),
               seen=lambda: messages(app))
    if is_sensitive(find_one(assistant(app), 'push button', 'Forward')):
        raise TestFailure('"Forward" is on with a NAT network in a session')
    app.click(user_mode)
    click_when_sensitive(app, 'Forward')
    name = widget(app, 'text', 'Name')
    Atspi.EditableText.set_text_contents(name, NAME)
    wait_until('the name to read %s' % NAME, lambda: text_of(name) == NAME)
    # As a user would ask from a terminal meanwhile: the running VM Desk opens the console
    # window as soon as the machine is listed, so the Serial view follows the guest's first boot.
    subprocess.run([app.args[0], '--show-console', NAME], env=app.env, stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=30, check=True)
    click_when_sensitive(app, 'Finish')
    wait_until('the assistant to close after creating', lambda: assistant(app) is None, 90,
               seen=lambda: 'installation error: %r' % label_text(app, 'Installation error'))
    app.wait_for_state(NAME, 'Running', timeout=30)


def disk_in_user_pool():
    xml = domain_xml(SESSION_URI, NAME)
    disks = [d.find('source').get('file') for d in xml.iter('disk')
             if d.get('device') == 'disk' and d.find('source') is not None]
    log('disks: %s; interfaces: %s' % (disks, [i.get('type') for i in xml.iter('interface')]))
    if not disks or not all(Path(d).parent == USER_IMAGES for d in disks):
        raise TestFailure('the disks %s are not in %s' % (disks, USER_IMAGES))
    if not all(Path(d).is_file() and Path(d).stat().st_uid == os.getuid() for d in disks):
        raise TestFailure('the disks %s are not files of this user' % disks)
    if [i.get('type') for i in xml.iter('interface')] != ['user']:
        raise TestFailure('the network is not user-mode: %s'
                          % [i.get('type') for i in xml.iter('interface')])
    volumes = virsh(SESSION_URI, 'vol-list', 'default').stdout
    if not any(Path(d).name in volumes for d in disks):
        raise TestFailure('the disk is not a volume of the user\'s pool "default":\n%s' % volumes)


# --- the console -----------------------------------------------------------------------------------

def console_window(app):
    return find_one(app.app, 'frame', '%s — Console' % NAME)


def show_page(window, title):
    tab = wait_until('the "%s" tab' % title, lambda: find_one(window, 'radio button', title))
    tab.do_action(0)
    wait_until('the "%s" tab to be selected' % title, lambda: checked(tab))


def console_opened(app):
    return wait_until('the console window of %s' % NAME, lambda: console_window(app), 15)


def serial_banner(app, window):
    show_page(window, 'Serial')
    terminal = wait_until('the serial terminal', lambda: find_one(window, name='Serial console'))
    wait_until('"%s" in the serial terminal' % BANNER, lambda: BANNER in text_of(terminal), 120,
               seen=lambda: 'terminal ends with %r' % text_of(terminal)[-300:])


def lit_pixels(acc):
    ext = acc.get_extents(Atspi.CoordType.SCREEN)
    if ext.width <= 0 or ext.height <= 0:
        return 0
    pixbuf = Gdk.pixbuf_get_from_window(Gdk.get_default_root_window(), ext.x, ext.y,
                                        ext.width, ext.height)
    data, n, stride = pixbuf.get_pixels(), pixbuf.get_n_channels(), pixbuf.get_rowstride()
    counts = {}
    for y in range(0, pixbuf.get_height(), 2):
        row = data[y * stride:y * stride + pixbuf.get_width() * n]
        for x in range(0, len(row), n * 2):
            key = bytes(row[x:x + 3])
            counts[key] = counts.get(key, 0) + 1
    return sum(counts.values()) - max(counts.values()) if counts else 0


def spice_frame(window):
    Gdk.init([])
    show_page(window, 'Graphics')
    display = wait_until('the SPICE display', lambda: find_one(window, name='Machine display'), 15)
    best = [0]

    def lit():
        best[0] = max(best[0], lit_pixels(display))
        return best[0] > 200
    wait_until('a frame that is not blank', lit, 30,
               seen=lambda: 'at most %d pixels lit; display %s' % (best[0], describe(display)))
    log('%d pixels differ from the background' % best[0])


def clean_up():
    if os.environ.get("VMDESK_KEEP"):
        return
    virsh(SESSION_URI, 'destroy', NAME, check=False)
    virsh(SESSION_URI, 'undefine', NAME, '--remove-all-storage', '--nvram', check=False)


def main():
    if not ISO.is_file():
        tap.bail_out('no tiny guest ISO at %s (run through tests/desktop/run-desktop-test.sh)' % ISO)
        return 1
    log('running as %s (uid %d, groups %s)' % (os.environ.get('USER'), os.getuid(), os.getgroups()))
    try:
        with VmDesk() as app:
            tap.step('no --connect: the row "%s" (qemu:///session) is connected, to the daemon '
                     'libvirt started for this user (libvirtd --timeout=120)' % SESSION_TITLE,
                     session_connected, app)
            tap.step('no --connect: the row "%s" (qemu:///system, through the libvirt group) is '
                     'connected' % SYSTEM_TITLE, wait_group_connected, app, SYSTEM_TITLE)
            if not tap.step('the assistant creates the tiny guest in the session, user-mode '
                            'networking chosen; it runs', create_in_session, app):
                tap.bail_out('no guest')
                return tap.finish()
            tap.step('its disk is a volume of the user\'s pool in %s; its network is user-mode'
                     % USER_IMAGES, disk_in_user_pool)
            window = tap.step('"vmdesk --show-console NAME", asked before Finish, opened its '
                              'console window in the running VM Desk', console_opened, app)
            if window is None:
                return tap.finish()
            tap.step('the Serial view shows the banner "%s"' % BANNER, serial_banner, app, window)
            tap.step('the Graphics view (SPICE) shows a frame that is not blank', spice_frame,
                     window)
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    finally:
        clean_up()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
