#!/usr/bin/python3
"""One answer to "is KVM usable?" (issues 12 and 13): on a fake /proc, /sys and /dev like this
test bed's own host (/dev/kvm through kvm_pvm, no vmx or svm flags), given to the app with
VMDESK_HOST_ROOT, the main window's KVM bar, the creation assistant and Host Details say the
same thing, none says "full speed", and the assistant defaults to emulation. Real system daemon.
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vmdtest import (Tap, TestFailure, VmDesk, find_one, is_sensitive, libvirt_up,  # noqa: E402
                     minimal_domain_xml, virsh, wait_until, log)

import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

ASSISTANT = 'New Virtual Machine'
HOST = 'Host Details'
NAME = 'vmdesk-ui-kvm-%d' % os.getpid()


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def fake_host(root):
    files = {
        'proc/cpuinfo': 'processor\t: 0\nflags\t\t: fpu vme de pse ssse3 hypervisor\n',
        'proc/modules': 'kvm_pvm 1 0 - Live 0x0\nkvm 2 1 kvm_pvm, Live 0x0\n',
        'dev/kvm': '',
    }
    for path, text in files.items():
        full = Path(root, path)
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text(text)
    os.chmod(Path(root, 'dev/kvm'), 0o666)


def label(app, window, name, timeout=30):
    return wait_until('the label "%s"' % name,
                      lambda: (lambda n: n if n is not None and text_of(n) else None)(
                          find_one(window, 'label', name)), timeout)


def main():
    tap = Tap(6)
    libvirt_up()
    with tempfile.NamedTemporaryFile('w', suffix='.xml') as xml:
        xml.write(minimal_domain_xml(NAME, 64))
        xml.flush()
        virsh('define', xml.name)
    try:
        return run(tap)
    finally:
        virsh('undefine', NAME, check=False)


def domain_type():
    return ElementTree.fromstring(virsh('dumpxml', '--inactive', NAME).stdout).get('type')


def run(tap):
    with tempfile.TemporaryDirectory(prefix='vmdesk-fakehost-') as root:
        fake_host(root)
        with VmDesk('--connect', 'qemu:///system', env={'VMDESK_HOST_ROOT': root}) as app:
            said = {}

            def main_window():
                said['main'] = text_of(label(app, app.window, 'KVM warning message'))
                log('main window: %s' % said['main'])
                if 'full speed' in said['main'] and 'not' not in said['main']:
                    raise TestFailure('the main window says KVM runs at full speed')

            tap.step('the main window says KVM is not at full speed here', main_window)

            def assistant():
                app.click(wait_until('"New Machine"',
                                     lambda: find_one(app.window, 'push button', 'New Machine')))
                window = wait_until('the assistant', lambda: find_one(app.app, None, ASSISTANT), 15)
                said['assistant'] = text_of(label(app, window, 'Emulation warning'))
                log('assistant: %s' % said['assistant'])
                if said['assistant'] != said['main']:
                    raise TestFailure('the assistant says %r, the main window %r'
                                      % (said['assistant'], said['main']))
                return window

            window = tap.step('the assistant says the same', assistant)

            def emulation_by_default():
                combo = wait_until('the Acceleration choice',
                                   lambda: find_one(window, 'combo box', 'Acceleration',
                                                    showing_only=False))

                def chosen():
                    if Atspi.Selection.get_n_selected_children(combo) < 1:
                        return None
                    return Atspi.Selection.get_selected_child(combo, 0).get_name()

                wait_until('emulation chosen', lambda: 'Emulation' in (chosen() or ''), 10,
                           seen=lambda: 'chosen: %r' % chosen())
                log('acceleration choice sensitive: %s' % is_sensitive(combo))

            tap.step('the assistant defaults to emulation', emulation_by_default)

            def host_details():
                app.key_combo('Escape')
                app.click(wait_until('"Host Details" on the KVM bar',
                                     lambda: find_one(app.window, 'push button', 'Host Details')))
                host = wait_until('the Host window', lambda: find_one(app.app, 'frame', HOST), 15)
                summary = label(app, host, 'KVM summary')
                wait_until('the KVM check to finish', lambda: text_of(summary) != 'Checking…', 30)
                log('Host Details: %s' % text_of(summary))
                if text_of(summary) != said['main']:
                    raise TestFailure('Host Details says %r, the main window %r'
                                      % (text_of(summary), said['main']))

            tap.step('Host Details says the same', host_details)

            def details_choice():
                subprocess.run([app.args[0], '--show-details', NAME], env=app.env,
                               stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=True)
                window = wait_until('the details window',
                                    lambda: find_one(app.app, 'frame', '%s — Details' % NAME), 15)
                check = wait_until('"Use KVM" on Overview',
                                   lambda: find_one(window, 'check box', 'Use KVM'), 15)
                note = label(app, window, 'KVM note')
                log('Details: %s' % text_of(note))
                wait_until('the choice to follow the host facts', lambda: is_sensitive(check) or
                           'not available' in text_of(note), 15)
                if not is_sensitive(check):
                    log('libvirt offers no kvm machines here: the choice stays off')
                    return
                check.do_action(0)
                wait_until('the definition to say kvm', lambda: domain_type() == 'kvm', 15,
                           seen=lambda: 'type %r' % domain_type())
                check.do_action(0)
                wait_until('the definition to say qemu again', lambda: domain_type() == 'qemu', 15,
                           seen=lambda: 'type %r' % domain_type())

            tap.step('Details › Overview offers KVM where libvirt does, and writes only the type',
                     details_choice)
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
