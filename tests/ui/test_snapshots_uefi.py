#!/usr/bin/python3
"""Details › Snapshots of a UEFI machine that is off, on the real system daemon (issue 15):
Create is on (no "UEFI" refusal); a snapshot made through the dialog is listed as external and
seen by `virsh snapshot-list`, its disk on an overlay; Revert asks, says how a UEFI revert goes,
and puts the disk on a fresh overlay on the snapshot's image (`virsh dumpxml`); Delete asks and
leaves `virsh snapshot-list` empty and no snapshot file in the disk's folder.

Needs root (runs tests/harness/libvirt-up.sh, idempotent). Run inside tests/harness/ui-session.sh.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (SYSTEM_URI, Tap, TestFailure, VmDesk, find_all, find_one,  # noqa: E402
                     is_sensitive, libvirt_up, log, virsh, wait_until)

URI = SYSTEM_URI
NAME = 'vmdesk-ui-snapuefi-%s' % uuid.uuid4().hex[:8]
DISK_DIR = tempfile.mkdtemp(prefix=NAME, dir='/var/lib/libvirt/images')
DISK_PATH = os.path.join(DISK_DIR, 'disk.qcow2')
DOMAIN_XML = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os firmware='efi'><type arch='x86_64' machine='q35'>hvm</type></os>
  <features><acpi/></features>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
""".format(name=NAME, disk=DISK_PATH)

tap = Tap(5)


def daemon_up():
    libvirt_up()
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', DISK_PATH, '64M'], check=True)
    with tempfile.NamedTemporaryFile('w', suffix='.xml', prefix=NAME) as f:
        f.write(DOMAIN_XML)
        f.flush()
        virsh('define', f.name)


def disk_source():
    match = re.search(r"<source file='([^']+)'", virsh('dumpxml', '--inactive', NAME).stdout)
    return match.group(1) if match else None


def snapshots():
    return virsh('snapshot-list', '--name', NAME).stdout.split()


def answer(app, question, button):
    """Clicks button in the dialog that asks question."""
    label = wait_until('the question "%s"' % question, lambda: find_one(app.app, 'label', question))
    dialog = label
    while dialog is not None and dialog.get_role_name() not in ('alert', 'dialog'):
        dialog = dialog.get_parent()
    texts = [n.get_name() for n in find_all(dialog, 'label')]
    app.click(wait_until('its "%s" button' % button, lambda: find_one(dialog, 'push button', button)))
    wait_until('the question to go', lambda: find_one(app.app, 'label', question) is None)
    return texts


def main():
    if not tap.step('the system daemon answers and the UEFI machine "%s" is defined' % NAME, daemon_up):
        tap.bail_out('no system libvirt daemon')
        return 1
    try:
        with VmDesk('--connect', URI, '--show-details', NAME) as app:
            window = None

            def create():
                nonlocal window
                window = wait_until('the details window', lambda: find_one(app.app, 'frame', '%s — Details' % NAME), 15)
                app.click(wait_until('the sidebar row "Snapshots"', lambda: find_one(window, 'label', 'Snapshots')))
                button = wait_until('"Create snapshot"', lambda: find_one(window, 'push button', 'Create snapshot'))
                wait_until('"Create snapshot" to be on for a UEFI machine', lambda: is_sensitive(button))
                app.click(button)
                entry = wait_until('the name entry', lambda: find_one(app.app, 'text', 'Snapshot name'))
                app.click(entry)
                app.type_text('ui-snap')
                dialog = entry
                while dialog.get_role_name() != 'dialog':
                    dialog = dialog.get_parent()
                app.click(find_one(dialog, 'push button', 'Create'))
                wait_until('virsh snapshot-list to show ui-snap', lambda: snapshots() == ['ui-snap'],
                           timeout=60, seen=snapshots)
                wait_until('the row of ui-snap, kind external',
                           lambda: find_one(window, 'table cell', 'ui-snap') and find_one(window, 'table cell', 'external'))
                if disk_source() == DISK_PATH:
                    raise TestFailure('the disk is not on an overlay after the snapshot')
                log('the disk is now on %s' % disk_source())

            if not tap.step('Create: a snapshot of the UEFI machine, external, in virsh snapshot-list', create):
                raise TestFailure('no snapshot')

            def revert():
                overlay = disk_source()
                app.click(find_one(window, 'table cell', 'ui-snap'))
                revert_button = find_one(window, 'push button', 'Revert to snapshot')
                wait_until('"Revert to snapshot" to be on', lambda: is_sensitive(revert_button))
                app.click(revert_button)
                texts = answer(app, 'Revert “%s” to the snapshot “ui-snap”?' % NAME, 'Revert')
                if not any('UEFI' in t for t in texts):
                    raise TestFailure('the question does not say how a UEFI revert goes: %r' % texts)
                wait_until('the disk on a fresh overlay (virsh dumpxml)',
                           lambda: disk_source() not in (overlay, DISK_PATH), timeout=60, seen=disk_source)
                current = virsh('snapshot-current', '--name', NAME).stdout.strip()
                if current != 'ui-snap':
                    raise TestFailure('the current snapshot is %r' % current)
                if os.path.exists(overlay):
                    raise TestFailure('the overlay nothing needs is still there: %s' % overlay)

            tap.step('Revert asks, says how a UEFI revert goes, puts the disk on a fresh overlay', revert)

            def delete():
                app.click(wait_until('the ui-snap cell', lambda: find_one(window, 'table cell', 'ui-snap')))
                delete_button = find_one(window, 'push button', 'Delete snapshot')
                wait_until('"Delete snapshot" to be on', lambda: is_sensitive(delete_button))
                app.click(delete_button)
                answer(app, 'Delete the snapshot “ui-snap”?', 'Delete')
                wait_until('virsh snapshot-list to be empty', lambda: snapshots() == [], timeout=60, seen=snapshots)
                wait_until('the row to go', lambda: find_one(window, 'table cell', 'ui-snap') is None)
                left = sorted(os.listdir(DISK_DIR))
                log('left in the disk folder: %s' % left)
                if any(f.endswith(('.nvram', '.mem', '.vmd-undo')) for f in left) or len(left) > 2:
                    raise TestFailure('files left after the delete: %r' % left)

            tap.step('Delete asks and leaves no snapshot and no unused file', delete)

            tap.step('no GTK warning or critical in the log', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
    finally:
        virsh('destroy', NAME, check=False)
        virsh('undefine', '--snapshots-metadata', '--nvram', NAME, check=False)
        shutil.rmtree(DISK_DIR, ignore_errors=True)
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
