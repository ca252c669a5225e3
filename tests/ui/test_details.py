#!/usr/bin/python3
"""The details window on the real system daemon: `vmdesk --show-details NAME` opens it; the
Memory page's new size reaches `virsh dumpxml`; a title typed and not applied survives
applying the Memory page; undefining the machine closes the window; a size the form refuses leaves the form as typed
and says why; an XML edit libvirt refuses shows libvirt's message in place and keeps the text.

Another client (`virsh define`) changing the machine under the window: the pages show it by
themselves; a page with typed input keeps it and says "Changed elsewhere since you opened it";
Apply writes only the fields typed (the other client's changes stay) and asks when a typed field
was changed elsewhere too; Apply XML after an outside change shows the three definitions and
asks. `virsh dumpxml` is checked after each step. Details > Disks shows sizes in GiB, as the
assistant asks for them; Remove is off until a disk is selected, then asks (offering to delete the
volume of a disk) and Cancel keeps the disk; Revert and Delete of snapshots are off with no
snapshot.

Needs root (runs tests/harness/libvirt-up.sh, idempotent). Run inside tests/harness/ui-session.sh.
"""
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (SYSTEM_URI, Tap, TestFailure, VmDesk, find_all, find_one,  # noqa: E402
                     is_sensitive, libvirt_up, log, minimal_domain_xml, screenshot_path, virsh,
                     wait_until)
from gi.repository import Atspi  # noqa: E402

URI = SYSTEM_URI
NAME = 'vmdesk-ui-details-%s' % uuid.uuid4().hex[:8]
DOMAIN_XML = minimal_domain_xml(NAME, 128)

DISK_DIR = tempfile.mkdtemp(prefix=NAME)
DISK_PATH = os.path.join(DISK_DIR, 'disk.img')   # sparse, 20 GiB: never read, the machine never runs

tap = Tap(17)


def daemon_up():
    libvirt_up()
    with tempfile.NamedTemporaryFile('w', suffix='.xml', prefix=NAME) as f:
        f.write(DOMAIN_XML)
        f.flush()
        virsh('define', f.name)


def define_copy(change):
    """What another client does: `virsh dumpxml --inactive`, a change, `virsh define`."""
    root = ET.fromstring(virsh('dumpxml', '--inactive', NAME).stdout)
    change(root)
    with tempfile.NamedTemporaryFile('w', suffix='.xml', prefix=NAME) as f:
        f.write(ET.tostring(root, encoding='unicode'))
        f.flush()
        virsh('define', f.name)


def set_text(root, tag, text):
    """<tag>text</tag> as the domain's own child, placed after <name> where it is new."""
    node = root.find(tag)
    if node is None:
        node = ET.Element(tag)
        root.insert(list(root).index(root.find('name')) + 1, node)
    node.text = text


def set_kib(root, tag, kib):
    node = root.find(tag)
    node.text = str(kib)
    node.set('unit', 'KiB')


def dumpxml_field(pattern):
    match = re.search(pattern, virsh('dumpxml', '--inactive', NAME).stdout)
    return match.group(1) if match else None


def text_of(node):
    return Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node))


def current_memory_kib():
    match = re.search(r"<currentMemory unit='KiB'>(\d+)</currentMemory>", virsh('dumpxml', NAME).stdout)
    return int(match.group(1)) if match else None


class Details:
    """The details window of NAME in app."""

    def __init__(self, app):
        self.app = app
        self.window = wait_until('the window "%s — Details"' % NAME,
                                 lambda: find_one(app.app, 'frame', '%s — Details' % NAME), 15)

    def page(self, title):
        # The stack sidebar's rows are labels.
        label = wait_until('the sidebar row "%s"' % title, lambda: find_one(self.window, 'label', title))
        self.app.click(label)

    def widget(self, role, name):
        return wait_until('%s "%s"' % (role, name), lambda: find_one(self.window, role, name),
                          seen=lambda: 'showing: %s' % [n.get_name() for n in find_all(self.window, role)])

    def type_into(self, role, name, text):
        node = self.widget(role, name)
        self.app.click(node)
        self.app.key_combo('<Control>a')
        self.app.type_text(text)
        self.app.key_combo('Tab')   # a spin button takes typed text when it loses the focus

    def spin_value(self, name):
        return Atspi.Value.get_current_value(self.widget('spin button', name))

    def error_text(self):
        labels = [n.get_name() for n in find_all(self.window, 'label')]
        return next((t for t in labels if 'must' in t or 'libvirt' in t or 'XML' in t), None)


def main():
    if not tap.step('the system daemon answers and "%s" is defined' % NAME, daemon_up):
        tap.bail_out('no system libvirt daemon')
        return 1
    try:
        with VmDesk('--connect', URI, '--show-details', NAME) as app:
            details = None

            def opened():
                nonlocal details
                details = Details(app)

            if not tap.step('--show-details opens the details window', opened):
                tap.bail_out('no details window')
                return 1

            def change_memory():
                details.page('Memory')
                wait_until('the form to show 128 MiB', lambda: details.spin_value('Maximum memory (MiB)') == 128)
                details.type_into('spin button', 'Current memory (MiB)', '96')
                app.click(details.widget('push button', 'Apply memory'))
                wait_until('virsh dumpxml to show 96 MiB', lambda: current_memory_kib() == 96 * 1024,
                           timeout=10, seen=lambda: 'currentMemory %s KiB' % current_memory_kib())

            tap.step('Memory page: 96 MiB applied, seen in virsh dumpxml', change_memory)

            def typed_title_kept():
                # Typed on one page and not applied: applying another page (libvirt's "changed"
                # refills the forms) must not wipe it.
                details.page('Overview')
                title = details.widget('text', 'Title')
                details.type_into('text', 'Title', 'typed, not applied')
                details.page('Memory')
                details.type_into('spin button', 'Current memory (MiB)', '100')
                app.click(details.widget('push button', 'Apply memory'))
                wait_until('virsh dumpxml to show 100 MiB', lambda: current_memory_kib() == 100 * 1024,
                           timeout=10, seen=lambda: 'currentMemory %s KiB' % current_memory_kib())
                time.sleep(0.5)   # the refill that follows
                details.page('Overview')
                text = Atspi.Text.get_text(title, 0, Atspi.Text.get_character_count(title))
                if text != 'typed, not applied':
                    raise TestFailure('the Title field holds %r after applying memory' % text)

            tap.step('a title typed but not applied survives applying the Memory page', typed_title_kept)

            def refused():
                details.page('Memory')
                details.type_into('spin button', 'Current memory (MiB)', '512')
                app.click(details.widget('push button', 'Apply memory'))
                message = wait_until('an error message', details.error_text)
                log('shown: %s' % message)
                if details.spin_value('Current memory (MiB)') != 512:
                    raise TestFailure('the form no longer shows what was typed')
                if current_memory_kib() != 100 * 1024:
                    raise TestFailure('the definition changed anyway')

            tap.step('a current size above the maximum is refused; the form keeps 512', refused)

            def xml_refused():
                details.page('XML')
                editor = details.widget('text', 'XML definition')
                domain_uuid = virsh('domuuid', NAME).stdout.strip()
                # Well-formed, but a disk device libvirt does not know: libvirt's parser refuses it.
                invalid = ("<domain type='qemu'><name>%s</name><uuid>%s</uuid>"
                           "<memory unit='MiB'>128</memory><os><type arch='x86_64'>hvm</type></os>"
                           "<devices><disk type='file' device='tape'/></devices></domain>"
                           % (NAME, domain_uuid))
                app.click(editor)
                app.key_combo('<Control>a')
                app.type_text(invalid)
                app.click(details.widget('push button', 'Apply XML'))
                message = wait_until('libvirt\'s message in the XML page',
                                     lambda: next((t for t in (n.get_name() for n in find_all(details.window, 'label'))
                                                   if 'libvirt did not accept' in t), None))
                log('shown: %s' % message)
                if 'tape' not in message:
                    raise TestFailure('libvirt\'s reason is not in the message')
                text = Atspi.Text.get_text(editor, 0, -1)
                if text != invalid:
                    raise TestFailure('the editor does not hold the typed text any more: %r' % text[:120])
                if current_memory_kib() != 100 * 1024:
                    raise TestFailure('the definition changed anyway')

            tap.step('XML page: a refused edit shows why and keeps the text', xml_refused)

            def from_context_menu():
                app.click(details.widget('push button', 'Close'))
                # The editor still holds the refused text: closing asks before dropping it.
                question = wait_until('the question before the XML edits go',
                                      lambda: find_one(app.app, 'label', 'Discard your changes to the XML?'))
                dialog = question
                while dialog is not None and dialog.get_role_name() not in ('alert', 'dialog'):
                    dialog = dialog.get_parent()
                app.click(wait_until('its "Discard" button', lambda: find_one(dialog, 'push button', 'Discard')))
                wait_until('the details window to close',
                           lambda: find_one(app.app, 'frame', '%s — Details' % NAME) is None)
                menu = app.open_context_menu(NAME)
                app.activate_menu_item(menu, 'Details')
                reopened = Details(app)
                reopened.page('Memory')
                wait_until('the reopened window to show 100 MiB',
                           lambda: reopened.spin_value('Current memory (MiB)') == 100)
                details.window = reopened.window

            tap.step('closing asks before dropping XML edits; the context menu "Details" opens it again',
                     from_context_menu)

            def outside_define_shows():
                # A 20 GiB disk (sparse, never read: the machine never runs) for the Disks page.
                with open(DISK_PATH, 'wb') as f:
                    f.truncate(20 * 1024 ** 3)

                def change(root):
                    set_text(root, 'description', 'changed by another client')
                    set_kib(root, 'memory', 128 * 1024)
                    set_kib(root, 'currentMemory', 128 * 1024)
                    root.find('vcpu').text = '2'
                    disk = ET.SubElement(root.find('devices'), 'disk', type='file', device='disk')
                    ET.SubElement(disk, 'driver', name='qemu', type='raw')
                    ET.SubElement(disk, 'source', file=DISK_PATH)
                    ET.SubElement(disk, 'target', dev='vda', bus='virtio')
                started = time.monotonic()
                define_copy(change)
                details.page('Overview')
                description = details.widget('text', 'Description')
                wait_until('the Description field to show the other client\'s text by itself',
                           lambda: text_of(description) == 'changed by another client',
                           seen=lambda: 'Description holds %r' % text_of(description))
                log('the Overview page showed it %.2f s after virsh define returned' % (time.monotonic() - started))
                details.page('Memory')
                wait_until('the Memory page to show 128 MiB',
                           lambda: details.spin_value('Current memory (MiB)') == 128
                           and details.spin_value('Maximum memory (MiB)') == 128,
                           seen=lambda: 'current %s, maximum %s' % (details.spin_value('Current memory (MiB)'),
                                                                   details.spin_value('Maximum memory (MiB)')))
                details.page('vCPUs')
                wait_until('the vCPUs page to show 2', lambda: details.spin_value('Current vCPUs') == 2,
                           seen=lambda: 'current vCPUs %s' % details.spin_value('Current vCPUs'))
                if dumpxml_field(r'<description>([^<]*)</description>') != 'changed by another client':
                    raise TestFailure('virsh dumpxml does not show the description defined')

            tap.step('another client\'s define (description, 128 MiB, 2 vCPUs) shows by itself',
                     outside_define_shows)

            def disk_size_in_gib():
                details.page('Disks')
                # GLib puts a no-break space between number and unit.
                wait_until('the 20 GiB disk to read "20.0 GiB"',
                           lambda: find_one(details.window, 'table cell', '20.0\u00a0GiB'),
                           seen=lambda: 'cells: %s' % [n.get_name() for n in find_all(details.window, 'table cell')])

            tap.step('Disks: a 20 GiB disk reads "20.0 GiB" (IEC, as the assistant)', disk_size_in_gib)

            def remove_disk_asks():
                details.page('Disks')
                remove = details.widget('push button', 'Remove disk')
                if is_sensitive(remove):
                    raise TestFailure('"Remove disk" is on with no disk selected')
                app.click(wait_until('the vda cell', lambda: find_one(details.window, 'table cell', 'vda')))
                wait_until('"Remove disk" to be on once vda is selected', lambda: is_sensitive(remove))
                app.click(remove)
                question = wait_until('the question', lambda: find_one(app.app, 'label', 'Remove vda from the machine?'))
                dialog = question
                while dialog is not None and dialog.get_role_name() not in ('alert', 'dialog'):
                    dialog = dialog.get_parent()
                wait_until('its "Also delete its volume" box',
                           lambda: find_one(dialog, 'check box', 'Also delete its volume'))
                app.click(wait_until('its "Cancel" button', lambda: find_one(dialog, 'push button', 'Cancel')))
                wait_until('the question to go',
                           lambda: find_one(app.app, 'label', 'Remove vda from the machine?') is None)
                if dumpxml_field(r"<target dev='(vda)'") != 'vda':
                    raise TestFailure('the disk is gone from virsh dumpxml after Cancel')

            tap.step('Disks: Remove is off until a disk is selected, then asks; Cancel keeps the disk',
                     remove_disk_asks)

            def snapshot_buttons_off():
                details.page('Snapshots')
                for name in ('Revert to snapshot', 'Delete snapshot'):
                    button = details.widget('push button', name)
                    if is_sensitive(button):
                        raise TestFailure('"%s" is on with no snapshot selected' % name)

            tap.step('Snapshots: Revert and Delete are off with no snapshot', snapshot_buttons_off)

            def typed_memory_kept():
                details.page('Memory')
                details.type_into('spin button', 'Current memory (MiB)', '100')
                # Elsewhere, only the maximum: 512 MiB.
                define_copy(lambda root: set_kib(root, 'memory', 512 * 1024))
                wait_until('"Changed elsewhere since you opened it" on the Memory page',
                           lambda: find_one(details.window, 'label', 'Changed elsewhere since you opened it'))
                changes = wait_until('what changed', lambda: next(
                    (t for t in (n.get_name() for n in find_all(details.window, 'label')) if 'Maximum memory' in t), None))
                log('the bar says: %s' % changes)
                if '128 MiB → 512 MiB' not in changes:
                    raise TestFailure('the bar does not say the maximum went from 128 to 512 MiB: %r' % changes)
                if details.spin_value('Current memory (MiB)') != 100:
                    raise TestFailure('the typed 100 MiB is gone: %s' % details.spin_value('Current memory (MiB)'))
                app.screenshot(screenshot_path('details-changed-elsewhere.png'), window=details.window)
                app.click(details.widget('push button', 'Apply memory'))
                wait_until('virsh dumpxml: the other client\'s 512 MiB maximum and the typed 100 MiB',
                           lambda: dumpxml_field(r"<memory unit='KiB'>(\d+)</memory>") == str(512 * 1024)
                           and current_memory_kib() == 100 * 1024, timeout=10,
                           seen=lambda: 'memory %s, currentMemory %s' % (
                               dumpxml_field(r"<memory unit='KiB'>(\d+)</memory>"), current_memory_kib()))
                wait_until('the bar to go and the form to show 512 MiB',
                           lambda: find_one(details.window, 'label', 'Changed elsewhere since you opened it') is None
                           and details.spin_value('Maximum memory (MiB)') == 512)

            tap.step('Memory typed, maximum changed elsewhere: the page says so and keeps the input; '
                     'Apply writes only the typed amount', typed_memory_kept)

            def title_conflict_asks():
                details.page('Overview')
                details.type_into('text', 'Title', 'Typed in VM Desk')

                def change(root):
                    set_text(root, 'title', 'Set by another client')
                    set_text(root, 'description', 'described elsewhere')
                define_copy(change)
                wait_until('"Changed elsewhere since you opened it" on the Overview page',
                           lambda: find_one(details.window, 'label', 'Changed elsewhere since you opened it'))
                app.click(details.widget('push button', 'Apply title and description'))
                overwrite = details.widget('push button', 'Overwrite with mine')
                if dumpxml_field(r'<title>([^<]*)</title>') != 'Set by another client':
                    raise TestFailure('the title was written before the user chose')
                app.click(overwrite)
                wait_until('virsh dumpxml: the typed title, the other client\'s description',
                           lambda: dumpxml_field(r'<title>([^<]*)</title>') == 'Typed in VM Desk'
                           and dumpxml_field(r'<description>([^<]*)</description>') == 'described elsewhere',
                           timeout=10, seen=lambda: 'title %r, description %r' % (
                               dumpxml_field(r'<title>([^<]*)</title>'),
                               dumpxml_field(r'<description>([^<]*)</description>')))
                description = details.widget('text', 'Description')
                wait_until('the Description field to show the other client\'s text',
                           lambda: text_of(description) == 'described elsewhere')

            tap.step('Title typed and changed elsewhere: Apply asks; "Overwrite with mine" keeps the other '
                     'client\'s description', title_conflict_asks)

            def xml_apply_asks():
                details.page('XML')
                editor = details.widget('text', 'XML definition')
                wait_until('the XML page to show the current definition',
                           lambda: 'described elsewhere' in text_of(editor))
                app.click(editor)
                app.key_combo('<Control>Home')
                app.type_text('<!-- typed on the XML page -->')
                define_copy(lambda root: set_text(root, 'description', 'third change elsewhere'))
                wait_until('"Changed elsewhere since you opened it" on the XML page',
                           lambda: find_one(details.window, 'label', 'Changed elsewhere since you opened it'))
                app.click(details.widget('push button', 'Apply XML'))
                take_theirs = details.widget('push button', 'Take theirs')
                details.widget('push button', 'Overwrite with mine')
                details.widget('push button', 'Cancel')
                theirs = details.widget('text', 'Changed elsewhere since')
                if 'third change elsewhere' not in text_of(theirs):
                    raise TestFailure('the "Changed elsewhere" view does not show the other client\'s change')
                for tab in ('Changed elsewhere', 'Your changes', 'Started from'):
                    details.widget('radio button', tab)
                app.click(details.widget('radio button', 'Your changes'))
                if 'typed on the XML page' not in text_of(details.widget('text', 'Your changes')):
                    raise TestFailure('the "Your changes" view does not show the typed line')
                if dumpxml_field(r'<description>([^<]*)</description>') != 'third change elsewhere':
                    raise TestFailure('Apply XML wrote over the other client\'s change without asking')
                app.screenshot(screenshot_path('details-xml-conflict.png'), window=details.window)
                app.click(take_theirs)
                wait_until('the editor to show libvirt\'s definition',
                           lambda: 'third change elsewhere' in text_of(editor)
                           and 'typed on the XML page' not in text_of(editor))
                if find_one(details.window, 'label', 'Changed elsewhere since you opened it') is not None:
                    raise TestFailure('the bar is still there after "Take theirs"')

            tap.step('XML: Apply after an outside change shows the three and asks; "Take theirs" shows '
                     'libvirt\'s definition', xml_apply_asks)

            def screenshot():
                app.window = details.window
                app.screenshot(Path(tempfile.gettempdir()) / 'vmdesk-details.png')

            tap.step('screenshot of the window', screenshot)

            def deleted_closes():
                virsh('undefine', NAME)
                wait_until('the details window to close once its machine is deleted',
                           lambda: find_one(app.app, 'frame', '%s — Details' % NAME) is None)

            tap.step('undefining the machine (virsh) closes its details window', deleted_closes)
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    finally:
        if virsh('dominfo', NAME, check=False).returncode == 0:
            virsh('destroy', NAME, check=False)
            result = virsh('undefine', NAME, check=False)
            log('clean-up: undefined %s (%s)' % (NAME, 'ok' if result.returncode == 0
                                                 else result.stderr.strip()))
        shutil.rmtree(DISK_DIR, ignore_errors=True)
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
