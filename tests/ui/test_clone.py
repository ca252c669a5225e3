#!/usr/bin/python3
"""Clone… from the machine list's context menu on the real system daemon: a machine that is off,
with a 1 GiB raw disk full of data in a pool of its own. A bad name is refused beside the
field (Clone stays off); Close closes; Cancel during the copy leaves the dialog open, saying
so, and no volume or machine behind; then the clone runs, its progress bar is seen, the dialog
closes, the new row is there and selected, and `virsh` lists the clone with its disk copied into
the pool. A running machine cannot be cloned (the menu item is off).

Needs root (runs tests/harness/libvirt-up.sh, idempotent). Run inside tests/harness/ui-session.sh.
"""
import os
import shutil
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (SYSTEM_URI, Tap, TestFailure, VmDesk, describe, find_all, find_one,  # noqa: E402
                     is_sensitive, is_showing, libvirt_up, log, virsh, wait_until)
from gi.repository import Atspi  # noqa: E402

NAME = 'vmdesk-ui-clone-%s' % uuid.uuid4().hex[:8]
CLONE = NAME + '-copy'
POOL = NAME + '-pool'
POOL_DIR = '/var/lib/libvirt/images/' + POOL
DISK = POOL_DIR + '/' + NAME + '.img'
DISK_BYTES = 1 << 30

tap = Tap(9)


def domain_xml():
    return """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/><source file='{disk}'/><target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
""".format(name=NAME, disk=DISK)


def set_up():
    libvirt_up()
    os.makedirs(POOL_DIR, mode=0o755)
    chunk = b'\x5a' * (4 << 20)
    with open(DISK, 'wb') as f:
        for _ in range(DISK_BYTES // len(chunk)):
            f.write(chunk)
    virsh('pool-create-as', POOL, 'dir', '--target', POOL_DIR)
    with tempfile.NamedTemporaryFile('w', suffix='.xml', prefix=NAME) as f:
        f.write(domain_xml())
        f.flush()
        virsh('define', f.name)


def tear_down():
    for name in (CLONE, NAME):
        virsh('destroy', name, check=False)
        virsh('undefine', name, check=False)
    virsh('pool-destroy', POOL, check=False)
    shutil.rmtree(POOL_DIR, ignore_errors=True)


def text_of(node):
    return Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node))


def clone_dialog(app):
    return find_one(app.app, 'dialog', 'Clone Machine')


def context_menu(app):
    """The row's menu. The first click of a test can land before the new window has settled
    where AT-SPI says it is: the row is selected first, with a few tries, so the right-click
    that follows lands on it."""
    for attempt in range(3):
        try:
            app.select_row(NAME)
            break
        except TestFailure as e:
            log('selecting the row, try %d: %s' % (attempt + 1, e))
    else:
        raise TestFailure('the row of %s could not be selected' % NAME)
    return app.open_context_menu(NAME)


def open_dialog(app):
    menu = context_menu(app)
    app.activate_menu_item(menu, 'Clone…')
    dialog = wait_until('the Clone Machine dialog', lambda: clone_dialog(app))
    entry = wait_until('the name entry to be filled in',
                       lambda: (lambda e: e if e is not None and is_sensitive(e) and text_of(e) else None)(
                           find_one(dialog, 'text', 'Clone name')), timeout=15,
                       seen=lambda: 'entries %r, labels %r' % (
                           [(describe(n), is_sensitive(n), text_of(n)) for n in find_all(dialog, 'text', showing_only=False)],
                           [text_of(n) for n in find_all(dialog, 'label')]))
    return dialog, entry


def button(dialog, label):
    return find_one(dialog, 'push button', label)


def problem(dialog, name):
    label = find_one(dialog, 'label', name)
    return text_of(label) if label is not None and is_showing(label) else None


def main():
    if not tap.step('the system daemon answers; "%s" (off) has a 1 GiB raw disk in a pool' % NAME,
                    set_up):
        tap.bail_out('no daemon')
        tear_down()
        return 1
    try:
        with VmDesk('--connect', SYSTEM_URI) as app:
            state = {}

            def suggested_and_bad_name():
                dialog, entry = open_dialog(app)
                if text_of(entry) != NAME + '-clone':
                    raise TestFailure('suggested name %r, not %r' % (text_of(entry), NAME + '-clone'))
                disk_choice = find_one(dialog, 'combo box', 'What to do with disk vda')
                if disk_choice is None:
                    raise TestFailure('no choice for disk vda: %r' % [n.get_name() for n in find_all(dialog, 'combo box')])
                for bad in ('a/b', NAME, ''):
                    Atspi.EditableText.set_text_contents(entry, bad)
                    shown = wait_until('the name problem for %r' % bad, lambda: problem(dialog, 'Name problem'))
                    log('%r: %s' % (bad, shown))
                    if is_sensitive(button(dialog, 'Clone')):
                        raise TestFailure('Clone is on for the name %r' % bad)
                button(dialog, 'Close').do_action(0)
                wait_until('the dialog to close', lambda: clone_dialog(app) is None)

            tap.step('Clone… suggests NAME-clone; "a/b", a name in use and no name are refused '
                     'beside the field with Clone off; Close closes', suggested_and_bad_name)

            def cancel():
                dialog, entry = open_dialog(app)
                Atspi.EditableText.set_text_contents(entry, NAME + '-cancelled')
                wait_until('Clone to be on', lambda: is_sensitive(button(dialog, 'Clone')))
                volumes = virsh('vol-list', POOL).stdout
                button(dialog, 'Clone').do_action(0)
                wait_until('the progress bar', lambda: (lambda b: b if b is not None and is_showing(b) else None)(
                    find_one(dialog, 'progress bar', 'Progress')), timeout=30)
                job = find_one(dialog, 'filler', 'Job progress') or dialog
                cancel_button = wait_until('the job\'s Cancel', lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(
                    find_one(job, 'push button', 'Cancel')))
                cancel_button.do_action(0)
                said = wait_until('the dialog to say it was cancelled',
                                  lambda: (lambda t: t if t and 'Cancelled' in t else None)(problem(dialog, 'Clone problem')),
                                  timeout=120)
                log('shown: %s' % said)
                if virsh('vol-list', POOL).stdout != volumes:
                    raise TestFailure('volumes before %r, after %r' % (volumes, virsh('vol-list', POOL).stdout))
                if virsh('dominfo', NAME + '-cancelled', check=False).returncode == 0:
                    raise TestFailure('the cancelled clone is defined')
                if not is_sensitive(button(dialog, 'Clone')):
                    raise TestFailure('Clone is off after the cancel')
                button(dialog, 'Close').do_action(0)
                wait_until('the dialog to close', lambda: clone_dialog(app) is None)

            tap.step('Cancel during the copy: the dialog says so, no volume or machine is left, '
                     'Clone can be pressed again', cancel)

            def clone():
                dialog, entry = open_dialog(app)
                Atspi.EditableText.set_text_contents(entry, CLONE)
                wait_until('Clone to be on', lambda: is_sensitive(button(dialog, 'Clone')),
                           seen=lambda: 'problem: %r' % problem(dialog, 'Name problem'))
                button(dialog, 'Clone').do_action(0)
                bar = wait_until('the progress bar', lambda: (lambda b: b if b is not None and is_showing(b) else None)(
                    find_one(dialog, 'progress bar', 'Progress')), timeout=30)
                seen = []

                def progress_or_gone():
                    if clone_dialog(app) is None:
                        return True
                    try:
                        seen.append(Atspi.Value.get_current_value(bar))
                    except Exception:
                        pass
                    return False
                wait_until('the clone to finish and its dialog to close', progress_or_gone, timeout=120)
                log('progress values seen: %s' % sorted(set(round(v, 2) for v in seen)))
                state['seen'] = seen

            tap.step('Clone runs with its progress bar shown, and the dialog closes', clone)

            def progress_moved():
                if not any(0 < v < 1 for v in state.get('seen', [])):
                    raise TestFailure('no value between 0 and 1 seen: %r' % state.get('seen'))

            tap.step('the progress bar was seen between 0 and 1', progress_moved)

            def new_row():
                app.wait_for_row(CLONE, timeout=30)
                wait_until('the clone to be selected', lambda: app.selected_machine() == CLONE,
                           seen=lambda: 'selected: %r' % app.selected_machine())

            tap.step('the clone\'s row is there and selected', new_row)

            def virsh_agrees():
                root = ET.fromstring(virsh('dumpxml', '--inactive', CLONE).stdout)
                source = root.find("devices/disk[@device='disk']/source").get('file')
                original = ET.fromstring(virsh('dumpxml', '--inactive', NAME).stdout)
                if source == DISK or not source.startswith(POOL_DIR + '/'):
                    raise TestFailure('the clone\'s disk is %s' % source)
                if root.find('uuid').text == original.find('uuid').text:
                    raise TestFailure('same UUID')
                if os.path.getsize(source) != DISK_BYTES:
                    raise TestFailure('the copy has %d bytes' % os.path.getsize(source))
                vols = virsh('vol-list', POOL).stdout
                if os.path.basename(source) not in vols:
                    raise TestFailure('the copy is not a volume of %s: %s' % (POOL, vols))

            tap.step('virsh: the clone is defined, its own UUID, its disk a copy in the pool', virsh_agrees)

            def running_refused():
                virsh('start', NAME)
                app.wait_for_state(NAME, 'Running', timeout=30)
                menu = context_menu(app)
                item = app.menu_item(menu, 'Clone…')
                wait_until('Clone… to be off for a running machine', lambda: not is_sensitive(item))
                app.key_combo('Escape')
                wait_until('the context menu to close', lambda: find_one(app.app, 'menu') is None)
                virsh('destroy', NAME)

            tap.step('Clone… is off while the machine runs', running_refused)

            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    finally:
        tear_down()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
