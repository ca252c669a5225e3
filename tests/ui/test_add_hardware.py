#!/usr/bin/python3
"""Details › Add Hardware on the real system daemon, a machine that is off: a shared folder
(virtiofs) with a folder that is not there refused beside the field, then a real one added, with
its shared memory, and the guest's mount command shown; the same tag again refused; an emulated
TPM added (next boot); a second TPM refused. `virsh dumpxml` is checked after each step.

Needs root (runs tests/harness/libvirt-up.sh, idempotent). Run inside tests/harness/ui-session.sh.
"""
import os
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (SYSTEM_URI, Tap, TestFailure, VmDesk, find_all, find_one,  # noqa: E402
                     is_sensitive, is_showing, libvirt_up, log, minimal_domain_xml, virsh,
                     wait_until)
from gi.repository import Atspi  # noqa: E402

NAME = 'vmdesk-ui-hw-%s' % uuid.uuid4().hex[:8]
SHARE = tempfile.mkdtemp(prefix=NAME)
TAG = 'share1'

tap = Tap(8)


def set_up():
    libvirt_up()
    os.chmod(SHARE, 0o755)
    with tempfile.NamedTemporaryFile('w', suffix='.xml', prefix=NAME) as f:
        f.write(minimal_domain_xml(NAME, 128))
        f.flush()
        virsh('define', f.name)


def tear_down():
    virsh('undefine', NAME, check=False)
    os.rmdir(SHARE)


def definition():
    return ET.fromstring(virsh('dumpxml', '--inactive', NAME).stdout)


def text_of(node):
    return Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node))


class Dialog:
    def __init__(self, app, window):
        self.app = app
        find_one(window, 'push button', 'Add Hardware').do_action(0)
        self.node = wait_until('the Add Hardware dialog', lambda: find_one(app.app, 'dialog', 'Add Hardware'))

    def kind(self, title):
        self.app.click(wait_until('the kind "%s"' % title, lambda: find_one(self.node, 'label', title)))

    def fill(self, name, text):
        entry = wait_until('the entry "%s"' % name, lambda: find_one(self.node, 'text', name))
        Atspi.EditableText.set_text_contents(entry, text)

    def problem(self, name):
        label = find_one(self.node, 'label', name)
        return text_of(label) if label is not None and is_showing(label) else None

    def add_sensitive(self):
        return is_sensitive(find_one(self.node, 'push button', 'Add'))

    def add(self):
        wait_until('Add to be on', self.add_sensitive)
        find_one(self.node, 'push button', 'Add').do_action(0)
        wait_until('the dialog to close', lambda: find_one(self.app.app, 'dialog', 'Add Hardware') is None)

    def cancel(self):
        find_one(self.node, 'push button', 'Cancel').do_action(0)
        wait_until('the dialog to close', lambda: find_one(self.app.app, 'dialog', 'Add Hardware') is None)


def labels_of(window):
    return [n.get_name() for n in find_all(window, 'label')]


def main():
    if not tap.step('the system daemon answers and "%s" (off) is defined' % NAME, set_up):
        tap.bail_out('no daemon')
        return 1
    try:
        with VmDesk('--connect', SYSTEM_URI, '--show-details', NAME) as app:
            window = None

            def opens():
                nonlocal window
                window = wait_until('the details window', lambda: find_one(app.app, 'frame', '%s — Details' % NAME), 15)

            tap.step('--show-details opens the details window', opens)

            def missing_folder():
                dialog = Dialog(app, window)
                dialog.kind('Shared Folder')
                dialog.fill('Host folder', SHARE + '-not-there')
                dialog.fill('Mount tag', TAG)
                wait_until('the folder problem', lambda: dialog.problem('Host folder problem'),
                           seen=lambda: 'labels %r' % labels_of(dialog.node))
                log('shown: %s' % dialog.problem('Host folder problem'))
                if dialog.add_sensitive():
                    raise TestFailure('Add is on for a folder that is not there')
                dialog.fill('Host folder', SHARE)
                dialog.add()
                root = definition()
                fs = root.find('devices/filesystem')
                if fs is None or fs.find('target').get('dir') != TAG or fs.find('source').get('dir') != SHARE:
                    raise TestFailure('no filesystem %s→%s in the definition' % (SHARE, TAG))
                if root.find('memoryBacking/source').get('type') != 'memfd':
                    raise TestFailure('no memfd memory backing in the definition')

            tap.step('Shared Folder: a missing folder refused beside the field; a real one added with '
                     'memfd shared memory (virsh dumpxml)', missing_folder)

            def mount_hint():
                wait_until('the mount command in the window', lambda: any(
                    'mount -t virtiofs %s /mnt' % TAG in t for t in labels_of(window)),
                    seen=lambda: 'labels %r' % labels_of(window))

            tap.step('the window says how to mount it in the guest', mount_hint)

            def tag_in_use():
                dialog = Dialog(app, window)
                dialog.kind('Shared Folder')
                dialog.fill('Host folder', SHARE)
                dialog.fill('Mount tag', TAG)
                wait_until('the tag problem', lambda: dialog.problem('Mount tag problem'),
                           seen=lambda: 'labels %r' % labels_of(dialog.node))
                log('shown: %s' % dialog.problem('Mount tag problem'))
                if dialog.add_sensitive():
                    raise TestFailure('Add is on for a tag in use')
                return dialog

            dialog = None

            def tag_step():
                nonlocal dialog
                dialog = tag_in_use()

            tap.step('the same tag again is refused beside the field', tag_step)

            def tpm():
                dialog.kind('TPM')
                dialog.add()
                node = definition().find('devices/tpm')
                if node is None or node.find('backend').get('type') != 'emulator' or \
                        node.find('backend').get('version') != '2.0':
                    raise TestFailure('no emulated TPM 2.0 in the definition')

            tap.step('TPM: an emulated TPM 2.0 added (virsh dumpxml)', tpm)

            def second_tpm():
                second = Dialog(app, window)
                second.kind('TPM')
                wait_until('the TPM problem', lambda: second.problem('TPM problem'),
                           seen=lambda: 'labels %r' % labels_of(second.node))
                log('shown: %s' % second.problem('TPM problem'))
                if second.add_sensitive():
                    raise TestFailure('Add is on for a second TPM')
                second.cancel()
                if len(definition().findall('devices/tpm')) != 1:
                    raise TestFailure('the definition changed')

            tap.step('a second TPM is refused; Cancel changes nothing', second_tpm)

            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    finally:
        tear_down()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
