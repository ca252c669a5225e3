#!/usr/bin/python3
"""VM Desk as a desktop user in neither the libvirt nor the kvm group (vmd-outsider):

1. with no --connect, qemu:///session is connected (it needs no group);
2. the qemu:///system row says, in one message under its title, why it cannot connect and what
   to do: "adduser vmd-outsider libvirt", then log in again;
3. nothing else complains: no dialog, no other row in trouble; the New Virtual Machine
   assistant opens on the session (the connection that works) and closes on Cancel;
4. the app logged no criticals or warnings.

Run by tests/desktop/run-desktop-test.sh vmd-outsider.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desktoptest import (SESSION_TITLE, chosen, SYSTEM_TITLE, group_row, me, virsh, SYSTEM_URI,  # noqa: E402
                         wait_group_connected)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'ui'))
import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402
from vmdtest import Tap, TestFailure, VmDesk, describe, find_one, is_showing, log, wait_until  # noqa: E402

tap = Tap(6)


def system_row_says_why(app):
    def failed():
        row = group_row(app, SYSTEM_TITLE)
        return row if row is not None and '\n' in row[0] else None
    name, state = wait_until('the row "%s" to give its reason' % SYSTEM_TITLE, failed, 30,
                             seen=app.describe_rows)
    reason = name.split('\n', 1)[1]
    log('row: %s | %s' % (name.replace('\n', ' | '), state))
    for wanted in ('libvirt', 'adduser %s libvirt' % me(), 'log in again'):
        if wanted not in reason:
            raise TestFailure('the reason lacks %r: %r' % (wanted, reason))
    if '\n' in reason:
        raise TestFailure('the reason is more than one message: %r' % reason)
    if state != 'Not connected':
        raise TestFailure('the row\'s state reads %r' % state)
    # For the README: collected by run-desktop-test.sh from the user's folder.
    if os.environ.get('VMDESK_TEST_MEDIA'):
        app.park_pointer_outside()
        app.screenshot(os.path.join(os.environ['VMDESK_TEST_MEDIA'], 'outsider-system-row.png'))


def libvirt_agrees():
    """virsh, as this user, is refused too: the row tells the truth."""
    result = virsh(SYSTEM_URI, 'list', check=False)
    log('virsh -c %s list: %s' % (SYSTEM_URI, result.stderr.strip()))
    if result.returncode == 0:
        raise TestFailure('virsh may use %s: the user is not an outsider' % SYSTEM_URI)


def no_windows_but_main(app):
    others = []
    for i in range(app.app.get_child_count()):
        child = app.app.get_child_at_index(i)
        if child is not None and is_showing(child) and child.get_name() != 'VM Desk':
            others.append(describe(child))
    if others:
        raise TestFailure('other windows are up: %s' % others)
    row = group_row(app, SESSION_TITLE)
    if row is None or row[0].startswith(SESSION_TITLE + '\n'):
        raise TestFailure('the session row has a complaint too: %s' % (row,))


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or '' if acc else ''


def assistant_on_session(app):
    app.click(wait_until('the "New Machine" button',
                         lambda: find_one(app.window, 'push button', 'New Machine')))
    window = wait_until('the assistant', lambda: find_one(app.app, None, 'New Virtual Machine'), 10)
    combo = wait_until('the Connection combo', lambda: find_one(window, 'combo box', 'Connection'))
    wait_until('the assistant to choose the session', lambda: chosen(combo) == SESSION_TITLE,
               seen=lambda: 'it reads %r' % chosen(combo))
    # And it has probed it: creation on the session can go on.
    wait_until('the media page to stop waiting for a connection',
               lambda: 'Waiting' not in text_of(find_one(window, 'label', 'Media message')),
               15, seen=lambda: 'media message %r' % text_of(find_one(window, 'label', 'Media message')))
    app.click(wait_until('Cancel', lambda: find_one(window, 'push button', 'Cancel')))
    wait_until('the assistant to close',
               lambda: find_one(app.app, None, 'New Virtual Machine') is None)


def main():
    log('running as %s (uid %d, groups %s)' % (me(), os.getuid(), os.getgroups()))
    try:
        with VmDesk() as app:
            tap.step('no --connect: the row "%s" is connected' % SESSION_TITLE,
                     wait_group_connected, app, SESSION_TITLE)
            tap.step('the row "%s" says why and "adduser %s libvirt", then log in again'
                     % (SYSTEM_TITLE, me()), system_row_says_why, app)
            tap.step('virsh as this user is refused qemu:///system as well', libvirt_agrees)
            tap.step('no dialog or other window, no complaint on the session row',
                     no_windows_but_main, app)
            tap.step('the assistant opens on the session and closes on Cancel',
                     assistant_on_session, app)
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
