#!/usr/bin/python3
"""The details window on the real system daemon: `vmdesk --show-details NAME` opens it; the
Memory page's new size reaches `virsh dumpxml`; a title typed and not applied survives
applying the Memory page; undefining the machine closes the window; a size the form refuses leaves the form as typed
and says why; an XML edit libvirt refuses shows libvirt's message in place and keeps the text.

Needs root (runs tests/harness/libvirt-up.sh, idempotent). Run inside tests/harness/ui-session.sh.
"""
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (SYSTEM_URI, Tap, TestFailure, VmDesk, find_all, find_one,  # noqa: E402
                     libvirt_up, log, minimal_domain_xml, virsh, wait_until)
from gi.repository import Atspi  # noqa: E402

URI = SYSTEM_URI
NAME = 'vmdesk-ui-details-%s' % uuid.uuid4().hex[:8]
DOMAIN_XML = minimal_domain_xml(NAME, 128)

tap = Tap(10)


def daemon_up():
    libvirt_up()
    with tempfile.NamedTemporaryFile('w', suffix='.xml', prefix=NAME) as f:
        f.write(DOMAIN_XML)
        f.flush()
        virsh('define', f.name)


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
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
