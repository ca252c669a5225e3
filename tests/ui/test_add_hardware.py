#!/usr/bin/python3
"""Details › Add Hardware on the real system daemon, a machine that is off: a disk on a volume
chosen in the pool browser (a missing file refused first), a disk on a new volume (a bad size
refused), a network card (a multicast MAC refused, then a typed one); a shared folder (virtiofs)
with a folder that is not there refused beside the field, then a real one added, with its shared
memory, and the guest's mount command shown; the same tag again refused; an emulated TPM added
(next boot); a second TPM refused; a watchdog and its action; a VNC display (a bad address and a
long password refused); the host's devices listed, one a host driver holds refused. Then each
removed: the folder, the TPM, the watchdog and the display from Other Devices,
the card from Network, the disks from Disks (the new volume deleted with its disk, the chosen one
kept). `virsh dumpxml` is checked after each step.

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
from vmdtest import (SYSTEM_URI, Tap, TestFailure, VmDesk, find_all, find_one,  # noqa: E402
                     is_sensitive, is_showing, libvirt_up, log, minimal_domain_xml, virsh,
                     wait_until)
from gi.repository import Atspi  # noqa: E402

NAME = 'vmdesk-ui-hw-%s' % uuid.uuid4().hex[:8]
SHARE = tempfile.mkdtemp(prefix=NAME)
TAG = 'share1'
POOL = NAME + '-pool'
POOL_DIR = tempfile.mkdtemp(prefix=POOL)
CHOSEN = 'chosen.qcow2'
NEW_VOLUME = NAME + '-new.qcow2'
MAC = '52:54:00:4a:11:07'

tap = Tap(20)


def set_up():
    libvirt_up()
    os.chmod(SHARE, 0o755)
    virsh('pool-create-as', POOL, 'dir', '--target', POOL_DIR)
    virsh('vol-create-as', POOL, CHOSEN, '16M', '--format', 'qcow2')
    with tempfile.NamedTemporaryFile('w', suffix='.xml', prefix=NAME) as f:
        f.write(minimal_domain_xml(NAME, 128))
        f.flush()
        virsh('define', f.name)


def tear_down():
    virsh('undefine', NAME, check=False)
    for volume in (CHOSEN, NEW_VOLUME):
        virsh('vol-delete', '--pool', POOL, volume, check=False)
    virsh('pool-destroy', POOL, check=False)
    shutil.rmtree(POOL_DIR, ignore_errors=True)
    os.rmdir(SHARE)


def volume_path(name):
    return virsh('vol-path', '--pool', POOL, name).stdout.strip()


def volumes():
    return virsh('vol-list', POOL).stdout


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

    def fill(self, name, text, role='text'):
        entry = wait_until('the entry "%s"' % name, lambda: find_one(self.node, role, name))
        Atspi.EditableText.set_text_contents(entry, text)

    def problem(self, name):
        label = find_one(self.node, 'label', name)
        return text_of(label) if label is not None and is_showing(label) else None

    def choose(self, combo_name, item_name):
        self.app.click(wait_until('the combo "%s"' % combo_name, lambda: find_one(self.node, 'combo box', combo_name)))
        item = wait_until('menu item "%s"' % item_name, lambda: find_one(self.app.app, 'menu item', item_name))
        # Its own action, not a click: GTK puts the active item over the combo, maybe off screen.
        item.do_action(0)
        wait_until('the menu of "%s" to close' % combo_name,
                   lambda: find_one(self.app.app, 'menu item', item_name) is None)

    def refused(self, problem):
        wait_until('the problem "%s"' % problem, lambda: self.problem(problem),
                   seen=lambda: 'labels %r' % labels_of(self.node))
        log('shown beside the field: %s' % self.problem(problem))
        if self.add_sensitive():
            raise TestFailure('Add is on while "%s" is shown' % problem)

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

            def disk_from_pool_browser():
                dialog = Dialog(app, window)
                dialog.kind('Storage')
                app.click(wait_until('"Existing volume or file"',
                                     lambda: find_one(dialog.node, 'radio button', 'Existing volume or file')))
                dialog.fill('Disk path', POOL_DIR + '/not-there.qcow2')
                dialog.refused('Disk path problem')
                app.click(find_one(dialog.node, 'push button', 'Choose volume from a pool'))
                browser = wait_until('the "Choose a Volume" dialog', lambda: find_one(app.app, None, 'Choose a Volume'))
                pools = wait_until('the pools', lambda: find_one(browser, 'table', 'Storage pools'))
                app.click(wait_until('pool row %s' % POOL, lambda: find_one(pools, 'table cell', POOL), 15))
                vols = wait_until('the volumes', lambda: find_one(browser, 'table', 'Volumes'))
                app.click(wait_until('volume row %s' % CHOSEN, lambda: find_one(vols, 'table cell', CHOSEN), 15))
                app.click(find_one(browser, 'push button', 'Use Volume'))
                wait_until('the browser to close', lambda: find_one(app.app, None, 'Choose a Volume') is None)
                path = volume_path(CHOSEN)
                entry = find_one(dialog.node, 'text', 'Disk path')
                wait_until('the path to be the volume\'s', lambda: text_of(entry) == path,
                           seen=lambda: 'the path reads %r' % text_of(entry))
                dialog.add()
                disk = definition().find("devices/disk[@device='disk']")
                if disk is None or disk.find('source').get('file') != path or \
                        disk.find('driver').get('type') != 'qcow2' or disk.find('target').get('bus') != 'virtio':
                    raise TestFailure('no virtio qcow2 disk on %s in the definition' % path)

            tap.step('Storage: a missing file refused beside the field; a volume chosen in the pool browser '
                     'added as a virtio disk (virsh dumpxml)', disk_from_pool_browser)

            def disk_on_new_volume():
                dialog = Dialog(app, window)
                dialog.kind('Storage')
                dialog.choose('Pool', POOL)
                dialog.fill('Volume name', CHOSEN)
                dialog.refused('Volume name problem')
                dialog.fill('Volume name', NEW_VOLUME)
                dialog.fill('Size', 'lots')
                dialog.refused('Size problem')
                dialog.fill('Size', '0')
                dialog.refused('Size problem')
                dialog.fill('Size', '32 MiB')
                dialog.add()
                path = volume_path(NEW_VOLUME)
                disks = [d for d in definition().findall('devices/disk') if d.find('source').get('file') == path]
                if len(disks) != 1 or disks[0].find('target').get('dev') != 'vdb':
                    raise TestFailure('no vdb on the new volume %s in the definition' % path)
                capacity = virsh('vol-info', '--bytes', '--pool', POOL, NEW_VOLUME).stdout
                if '33554432' not in capacity:
                    raise TestFailure('the new volume is not 32 MiB: %s' % capacity)

            tap.step('Storage: a volume name the pool has and a size that is not one refused; a disk on a new '
                     '32 MiB volume of the pool '
                     '(virsh dumpxml, vol-info)', disk_on_new_volume)

            def network_card():
                dialog = Dialog(app, window)
                dialog.kind('Network')
                dialog.choose('Connection type', 'Host bridge')
                dialog.fill('Source name', '')
                dialog.refused('Source problem')
                dialog.choose('Connection type', 'User mode (no set-up, no incoming connections)')
                dialog.choose('Model', 'e1000')
                dialog.fill('MAC address', '01:00:5e:00:00:01')
                dialog.refused('MAC address problem')
                if 'multicast' not in dialog.problem('MAC address problem'):
                    raise TestFailure('the MAC problem does not say multicast')
                dialog.fill('MAC address', MAC)
                dialog.add()
                nic = definition().find('devices/interface')
                if nic is None or nic.get('type') != 'user' or nic.find('mac').get('address') != MAC or \
                        nic.find('model').get('type') != 'e1000':
                    raise TestFailure('no user-mode e1000 card with MAC %s in the definition' % MAC)

            tap.step('Network: a bridge with no name and a multicast MAC refused beside their fields; a user-mode '
                     'e1000 card with a typed MAC '
                     'added (virsh dumpxml)', network_card)

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

            def watchdog():
                dialog = Dialog(app, window)
                dialog.kind('Watchdog')
                dialog.choose('Action', 'Power off')
                dialog.add()
                node = definition().find('devices/watchdog')
                if node is None or node.get('model') != 'i6300esb' or node.get('action') != 'poweroff':
                    raise TestFailure('no i6300esb watchdog with action poweroff in the definition')

            tap.step('Watchdog: an i6300esb that powers off, chosen from two lists (virsh dumpxml)', watchdog)

            def graphics():
                dialog = Dialog(app, window)
                dialog.kind('Graphics')
                dialog.choose('Display type', 'VNC')
                dialog.fill('Listen address', 'not-an-address')
                dialog.refused('Listen address problem')
                dialog.fill('Listen address', '127.0.0.1')
                dialog.fill('Password', 'much-too-long', 'password text')
                dialog.refused('Password problem')
                dialog.fill('Password', 'secret', 'password text')
                dialog.add()
                node = definition().find('devices/graphics')
                if node is None or node.get('type') != 'vnc' or node.find('listen').get('address') != '127.0.0.1':
                    raise TestFailure('no VNC display on 127.0.0.1 in the definition')

            tap.step('Graphics: a listen address that is not one and a VNC password over 8 characters refused '
                     'beside their fields; VNC on 127.0.0.1 added (virsh dumpxml)', graphics)

            def host_device():
                dialog = Dialog(app, window)
                dialog.kind('Host Device')
                devices = wait_until('the host devices', lambda: find_one(dialog.node, 'table', 'Host devices'))
                wait_until('the host\'s devices listed', lambda: find_all(devices, 'table cell')
                           or 'no USB or PCI' in text_of(find_one(dialog.node, 'label', 'Host devices state')), 30)
                cells = find_all(devices, 'table cell')
                held = next((i for i, c in enumerate(cells) if i % 2 == 1 and c.get_name() not in ('—', 'vfio-pci')), None)
                if held is None:
                    log('no PCI device held by a host driver here: only the list is checked')
                else:
                    app.click(cells[held - 1])
                    dialog.refused('Host device problem')
                    if 'nodedev-detach' not in dialog.problem('Host device problem'):
                        raise TestFailure('the problem does not say how to detach the device')
                dialog.cancel()

            tap.step('Host Device: the host\'s devices listed; one a host driver holds refused beside the list', host_device)

            def details_page(title):
                app.click(wait_until('the sidebar row "%s"' % title, lambda: find_one(window, 'label', title)))

            def confirm(question, check=None):
                label = wait_until('the question', lambda: find_one(app.app, 'label', question))
                box = label
                while box is not None and box.get_role_name() not in ('alert', 'dialog'):
                    box = box.get_parent()
                if check is not None:
                    app.click(wait_until('the box "%s"' % check, lambda: find_one(box, 'check box', check)))
                app.click(find_one(box, 'push button', 'Remove'))
                wait_until('the question to go', lambda: find_one(app.app, 'label', question) is None)

            def remove_other(kind, element):
                details_page('Other Devices')
                devices = wait_until('the device list', lambda: find_one(window, 'table', 'Other devices'))
                app.click(wait_until('the row "%s"' % kind, lambda: find_one(devices, 'table cell', kind)))
                remove = find_one(window, 'push button', 'Remove device')
                wait_until('"Remove device" to be on', lambda: is_sensitive(remove))
                app.click(remove)
                confirm('Remove this device (%s) from the machine?' % kind)
                wait_until('virsh dumpxml without the %s' % element, lambda: definition().find('devices/' + element) is None)

            tap.step('Other Devices: the shared folder removed (virsh dumpxml)',
                     lambda: remove_other('Shared folder', 'filesystem'))
            tap.step('Other Devices: the TPM removed (virsh dumpxml)', lambda: remove_other('TPM', 'tpm'))
            tap.step('Other Devices: the watchdog removed (virsh dumpxml)',
                     lambda: remove_other('Watchdog', 'watchdog'))
            tap.step('Other Devices: the display removed (virsh dumpxml)',
                     lambda: remove_other('Graphics', 'graphics'))

            def remove_card():
                details_page('Network')
                app.click(wait_until('the card\'s row', lambda: find_one(window, 'table cell', MAC)))
                app.click(find_one(window, 'push button', 'Remove interface'))
                wait_until('virsh dumpxml without the card', lambda: definition().find('devices/interface') is None)

            tap.step('Network: the card removed (virsh dumpxml)', remove_card)

            def remove_disks():
                details_page('Disks')
                for target, delete in (('vdb', True), ('vda', False)):
                    app.click(wait_until('the %s cell' % target, lambda: find_one(window, 'table cell', target)))
                    app.click(find_one(window, 'push button', 'Remove disk'))
                    confirm('Remove %s from the machine?' % target, 'Also delete its volume' if delete else None)
                    wait_until('virsh dumpxml without %s' % target, lambda: not any(
                        d.find('target').get('dev') == target for d in definition().findall('devices/disk')))
                wait_until('the new volume to be deleted with its disk', lambda: NEW_VOLUME not in volumes(),
                           seen=lambda: volumes())
                if CHOSEN not in volumes():
                    raise TestFailure('the chosen volume went with its disk')

            tap.step('Disks: both removed; the new volume deleted when asked, the chosen one kept', remove_disks)

            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    finally:
        tear_down()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
