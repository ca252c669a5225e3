#!/usr/bin/python3
"""A Windows 11 machine through the New Virtual Machine assistant on the real system daemon
(issue 15): Manual install, "win11" chosen in the OS search, and without touching anything else:

1. the OS page says "Firmware: UEFI, Secure Boot on, TPM 2.0", and nothing is missing on this
   host (Debian's ovmf, swtpm and swtpm-tools);
2. the resources are Windows 11's: 4096 MiB, 2 CPUs, a 64 GiB disk;
3. the last page shows UEFI with Secure Boot and the TPM ticked; BIOS chosen with Secure Boot on
   is refused beside the firmware ("Secure Boot needs UEFI") and Finish goes off until UEFI is
   chosen again;
4. Finish: `virsh dumpxml --inactive` has <os firmware='efi'> on q35 with the secure-boot and
   enrolled-keys features, SMM on, an emulated TPM 2.0 (tpm-crb), Windows' local-time clock with
   the Hyper-V timer, 4 GiB and 2 vCPUs, and its volume is 64 GiB. The machine is removed with
   its NVRAM, TPM state and volume;
5. `vmdesk --show-details NAME`: Overview's "Change firmware" is off while the machine runs, on
   once it is off; "UEFI, Secure Boot off" chosen there is in `virsh dumpxml --inactive`, with
   VM Desk's mark that the next start makes its NVRAM afresh; the window closes.

Needs root (tests/harness/libvirt-up.sh). Run inside tests/harness/ui-session.sh.
"""
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (REPO_ROOT, Tap, TestFailure, VmDesk, find_one, is_sensitive, log,  # noqa: E402
                     wait_until)
import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

URI = 'qemu:///system'
NAME = 'vmdesk-ui-win11-' + uuid.uuid4().hex[:6]
TITLE = 'New Virtual Machine'
OS_ROW = 'Microsoft Windows 11 (win11)'

tap = Tap(9)


def virsh(*args, check=True):
    result = subprocess.run(['virsh', '-q', '-c', URI, *args], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise TestFailure('virsh %s: %s' % (' '.join(args), result.stderr.strip()))
    return result.stdout


def prepare():
    subprocess.run([str(REPO_ROOT / 'tests' / 'harness' / 'libvirt-up.sh')], check=True,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=300)


def clean_up():
    virsh('destroy', NAME, check=False)
    virsh('undefine', NAME, '--nvram', '--tpm', check=False)
    virsh('vol-delete', '--pool', 'default', NAME + '.qcow2', check=False)
    # The logs of its starts: QEMU's, the serial port's and swtpm's.
    for path in (Path('/var/log/libvirt/qemu/%s.log' % NAME),
                 Path('/var/log/libvirt/qemu/%s-serial0.log' % NAME),
                 Path('/var/log/swtpm/libvirt/qemu/%s-swtpm.log' % NAME)):
        if path.exists():
            path.unlink()


def assistant(app):
    return find_one(app.app, None, TITLE)


def widget(app, role, name, timeout=30):
    return wait_until('%s "%s" in the assistant' % (role, name),
                      lambda: find_one(assistant(app), role, name), timeout)


def label_text(app, name):
    node = find_one(assistant(app), 'label', name)
    return Atspi.Text.get_text(node, 0, -1) if node is not None else None


def set_text(app, name, text):
    node = widget(app, 'text', name)
    Atspi.EditableText.set_text_contents(node, text)
    wait_until('"%s" to read %r' % (name, text), lambda: node.get_text(0, -1) == text)


def button(app, name):
    return find_one(assistant(app), 'push button', name)


def click_when_sensitive(app, name, timeout=30):
    node = wait_until('button "%s" to be showing and sensitive' % name,
                      lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(button(app, name)),
                      timeout, seen=lambda: 'firmware message: %r' % label_text(app, 'Firmware message'))
    app.click(node)


def next_pages(app, count):
    for _ in range(count):
        click_when_sensitive(app, 'Forward')


def checked(acc):
    return acc.get_state_set().contains(Atspi.StateType.CHECKED)


def select_combo_item(app, combo_name, item_name):
    combo = widget(app, 'combo box', combo_name)
    app.click(combo)
    item = wait_until('menu item "%s" to show' % item_name,
                      lambda: find_one(app.app, 'menu item', item_name))
    app.click(item)
    wait_until('the menu of "%s" to close' % combo_name,
               lambda: find_one(app.app, 'menu item', item_name) is None)


# --- steps ---------------------------------------------------------------------------------------

def windows11_chosen(app):
    """Manual install, then win11 in the search: the firmware shown under the OS (once the
    connection's host facts are in: nothing is missing)."""
    app.click(wait_until('the "New Machine" button', lambda: find_one(app.window, 'push button', 'New Machine')))
    wait_until('the assistant', lambda: assistant(app))
    app.click(widget(app, 'radio button', 'Manual install'))
    next_pages(app, 1)
    set_text(app, 'Search operating systems', 'win11')
    # A click while the list is still being filled may land on a row that goes: click again
    # until the choice shows.
    clicked = [0.0]

    def chosen():
        if label_text(app, 'Chosen operating system') == OS_ROW:
            return True
        row = find_one(assistant(app), 'label', OS_ROW)
        if row is not None and time.monotonic() - clicked[0] > 3:
            clicked[0] = time.monotonic()
            app.click(row)
        return False
    wait_until('"%s" chosen' % OS_ROW, chosen, timeout=30,
               seen=lambda: 'chosen: %r' % label_text(app, 'Chosen operating system'))
    expected = 'Firmware: UEFI, Secure Boot on, TPM 2.0'
    wait_until('"%s" under the OS' % expected, lambda: label_text(app, 'Firmware and TPM') == expected,
               timeout=20, seen=lambda: 'it reads %r' % label_text(app, 'Firmware and TPM'))
    missing = find_one(assistant(app), 'label', 'Missing on this host')
    if missing is not None:
        raise TestFailure('this host lacks something: %r' % label_text(app, 'Missing on this host'))
    log('OS page: %r' % label_text(app, 'Firmware and TPM'))


def resources_recommended(app):
    next_pages(app, 1)
    memory = widget(app, 'spin button', 'Memory (MiB)')
    cpus = widget(app, 'spin button', 'CPUs')
    wait_until('4096 MiB and 2 CPUs', lambda: (Atspi.Value.get_current_value(memory),
                                                Atspi.Value.get_current_value(cpus)) == (4096, 2),
               seen=lambda: 'memory %s, CPUs %s' % (Atspi.Value.get_current_value(memory),
                                                     Atspi.Value.get_current_value(cpus)))
    next_pages(app, 1)
    disk = widget(app, 'spin button', 'Disk size (GiB)')
    wait_until('a 64 GiB disk', lambda: Atspi.Value.get_current_value(disk) == 64,
               seen=lambda: 'disk %s GiB' % Atspi.Value.get_current_value(disk))


def platform_words(app):
    """The OS page's line, which follows the spec the last page's widgets are bound to."""
    node = find_one(assistant(app), 'label', 'Firmware and TPM', showing_only=False)
    return Atspi.Text.get_text(node, 0, -1) if node is not None else None


def last_page_shows_platform(app):
    next_pages(app, 2)   # network, then the last page
    widget(app, 'combo box', 'Firmware')
    secure_boot = widget(app, 'check box', 'Secure Boot')
    tpm = widget(app, 'check box', 'TPM 2.0')
    wait_until('Secure Boot and TPM ticked', lambda: checked(secure_boot) and checked(tpm))
    if platform_words(app) != 'Firmware: UEFI, Secure Boot on, TPM 2.0':
        raise TestFailure('the choices read %r' % platform_words(app))


def bios_with_secure_boot_refused(app):
    select_combo_item(app, 'Firmware', 'BIOS')
    wait_until('the choices to read BIOS', lambda: platform_words(app).startswith('Firmware: BIOS'),
               seen=lambda: 'they read %r' % platform_words(app))
    wait_until('"Secure Boot needs UEFI" beside the firmware',
               lambda: 'Secure Boot needs UEFI' in (label_text(app, 'Firmware message') or ''),
               seen=lambda: 'message: %r' % label_text(app, 'Firmware message'))
    set_text(app, 'Name', NAME)
    if is_sensitive(button(app, 'Finish')):
        raise TestFailure('"Finish" is on with BIOS and Secure Boot')
    select_combo_item(app, 'Firmware', 'UEFI (OVMF)')
    wait_until('the message to go', lambda: 'Secure Boot' not in (label_text(app, 'Firmware message') or ''),
               seen=lambda: 'message: %r' % label_text(app, 'Firmware message'))


def created(app):
    click_when_sensitive(app, 'Finish')
    wait_until('the assistant to close after creating', lambda: assistant(app) is None, timeout=90,
               seen=lambda: 'installation error: %r' % label_text(app, 'Installation error'))
    wait_until('the machine in libvirt', lambda: virsh('domuuid', NAME, check=False).strip(), timeout=30)


def dumpxml_has_all():
    xml = virsh('dumpxml', '--inactive', NAME)
    domain = ElementTree.fromstring(xml)
    wanted = {
        "os[@firmware='efi']": domain.find("os[@firmware='efi']"),
        'q35': domain.find("os/type[@machine]"),
        'secure-boot': domain.find("os/firmware/feature[@name='secure-boot'][@enabled='yes']"),
        'enrolled-keys': domain.find("os/firmware/feature[@name='enrolled-keys'][@enabled='yes']"),
        'smm': domain.find("features/smm[@state='on']"),
        'acpi': domain.find('features/acpi'),
        'tpm': domain.find("devices/tpm[@model='tpm-crb']/backend[@type='emulator'][@version='2.0']"),
        'clock': domain.find("clock[@offset='localtime']/timer[@name='hypervclock'][@present='yes']"),
    }
    missing = [k for k, v in wanted.items() if v is None]
    machine = domain.find('os/type').get('machine', '')
    if 'q35' not in machine:
        missing.append('q35 (machine %r)' % machine)
    memory_kib = int(domain.find('memory').text) * {'KiB': 1, 'MiB': 1024, 'GiB': 1024 * 1024}[
        domain.find('memory').get('unit', 'KiB')]
    if memory_kib != 4 * 1024 * 1024:
        missing.append('4 GiB of memory (%d KiB)' % memory_kib)
    if domain.find('vcpu').text.strip() != '2':
        missing.append('2 vCPUs (%s)' % domain.find('vcpu').text)
    capacity = virsh('vol-info', '--bytes', '--pool', 'default', NAME + '.qcow2')
    if '68719476736 bytes' not in capacity:
        missing.append('a 64 GiB volume (%s)' % capacity.strip())
    if missing:
        raise TestFailure('missing in the domain XML: %s\n%s' % (', '.join(missing), xml))
    log('dumpxml: firmware efi on %s, secure-boot + enrolled-keys, smm, tpm-crb 2.0, 4 GiB, 2 vCPUs, '
        '64 GiB volume' % machine)


FIRMWARE_NS = 'https://vmdesk.github.io/xmlns/firmware/1.0'


def details_window(app):
    return find_one(app.app, 'frame', '%s — Details' % NAME)


def firmware_off_while_running(app):
    window = wait_until('the window "%s — Details"' % NAME, lambda: details_window(app), 15)
    combo = wait_until('"Change firmware"', lambda: find_one(window, 'combo box', 'Change firmware'))
    state = virsh('domstate', NAME).strip()
    log('the new machine is %s' % state)
    if state != 'running':
        virsh('start', NAME)
    wait_until('"Change firmware" off while running', lambda: not is_sensitive(combo), timeout=20)
    virsh('destroy', NAME)
    wait_until('"Change firmware" on once the machine is off', lambda: is_sensitive(combo), timeout=30,
               seen=lambda: 'window %s, machine %s' % ('open' if details_window(app) else 'gone',
                                                      virsh('domstate', NAME, check=False).strip()))


def firmware_changed(app):
    window = details_window(app)
    combo = find_one(window, 'combo box', 'Change firmware')
    app.click(combo)
    item = wait_until('menu item "UEFI, Secure Boot off"',
                      lambda: find_one(app.app, 'menu item', 'UEFI, Secure Boot off'))
    app.click(item)

    def changed():
        domain = ElementTree.fromstring(virsh('dumpxml', '--inactive', NAME))
        return (domain.find("os/firmware/feature[@name='secure-boot'][@enabled='no']") is not None and
                domain.find("features/smm") is not None and
                domain.find('metadata/{%s}firmware' % FIRMWARE_NS) is not None)
    wait_until('Secure Boot off and the NVRAM mark in virsh dumpxml', changed, timeout=20,
               seen=lambda: virsh('dumpxml', '--inactive', NAME)[:1500])
    app.click(wait_until('"Close"', lambda: find_one(window, 'push button', 'Close')))
    wait_until('the details window to close', lambda: details_window(app) is None)


def main():
    if not tap.step('the system daemon is up', prepare):
        tap.bail_out('no test bed')
        return tap.finish()
    try:
        with VmDesk('--connect', URI) as app:
            tap.step('Windows 11 chosen in the OS search: "UEFI, Secure Boot on, TPM 2.0", nothing '
                     'missing on this host', windows11_chosen, app)
            tap.step('4096 MiB, 2 CPUs and 64 GiB recommended', resources_recommended, app)
            tap.step('the last page: UEFI, Secure Boot and TPM on', last_page_shows_platform, app)
            tap.step('BIOS with Secure Boot refused beside the firmware, Finish off',
                     bios_with_secure_boot_refused, app)
            tap.step('Finish creates the machine', created, app)
            problems = app.stop()
            if problems:
                raise TestFailure('vmdesk logged:\n' + '\n'.join(problems[:40]))
        tap.step('virsh dumpxml: UEFI with Secure Boot and enrolled keys, SMM, TPM 2.0, q35, '
                 '4 GiB, 2 vCPUs, 64 GiB', dumpxml_has_all)
        with VmDesk('--connect', URI, '--show-details', NAME) as app:
            tap.step('Details › Overview: "Change firmware" off while the machine runs, on once it '
                     'is off', firmware_off_while_running, app)
            tap.step('"UEFI, Secure Boot off" chosen there is in virsh dumpxml, with the mark for '
                     'fresh NVRAM; the window closes', firmware_changed, app)
            problems = app.stop()
            if problems:
                raise TestFailure('vmdesk logged:\n' + '\n'.join(problems[:40]))
    finally:
        clean_up()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
