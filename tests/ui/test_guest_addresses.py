#!/usr/bin/python3
"""Where a guest can be reached, in the window (real system daemon): an isolated network with a
DHCP range, the tiny guest on it (its initramfs runs udhcpc on eth0):

- Preferences › "Show IP addresses column" shows the list's IP Addresses column, hidden before;
- the guest's leased address appears in its row, within 10 s of libvirt listing the lease;
- Details › Network lists it with its source, and Copy Addresses puts it on the clipboard;
- no critical or warning logged.

Needs root, the system daemon and the tiny guest. Run inside tests/harness/ui-session.sh.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (REPO_ROOT, Tap, TestFailure, VmDesk, find_all, find_one,  # noqa: E402
                     is_showing, log, virsh, wait_until)
import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
gi.require_version('Gtk', '3.0')
from gi.repository import Atspi, Gdk, Gtk  # noqa: E402

TAG = uuid.uuid4().hex[:6]
NAME = 'vmdesk-ui-addr-%s' % TAG
NETWORK = 'vmdesk-addr-%s' % TAG
BRIDGE = 'vmdaddr%s' % TAG[:4]
POOL_DIR = Path('/var/lib/libvirt/images') / NAME
SERIAL_LOG = POOL_DIR / 'serial.log'
GUEST_CACHE = REPO_ROOT / 'tests' / 'fixtures' / 'cache'
BANNER = 'VMDESK TINY GUEST READY'
DOMAIN_XML = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{pool}/vmlinuz</kernel>
    <initrd>{pool}/initrd</initrd>
    <cmdline>console=ttyS0</cmdline>
  </os>
  <devices>
    <interface type='network'><source network='{network}'/><model type='virtio'/></interface>
    <serial type='pty'><log file='{log}' append='on'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='none'/>
  </devices>
</domain>
"""

tap = Tap(6)


def run(*args, timeout=120):
    result = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise TestFailure('%s failed (%d): %s' % (' '.join(map(str, args)), result.returncode,
                                                  (result.stderr or result.stdout).strip()))
    return result.stdout


def define_network():
    """An isolated network on a subnet no other network uses (tried in turn)."""
    for third in range(int(TAG, 16) % 200, 250):
        xml = ("<network><name>%s</name><bridge name='%s'/>"
               "<ip address='10.232.%d.1' netmask='255.255.255.0'><dhcp>"
               "<range start='10.232.%d.100' end='10.232.%d.150'/></dhcp></ip></network>"
               % (NETWORK, BRIDGE, third, third, third))
        with tempfile.NamedTemporaryFile('w', suffix='.xml') as f:
            f.write(xml)
            f.flush()
            virsh('net-define', f.name)
        if virsh('net-start', NETWORK, check=False).returncode == 0:
            return third
        virsh('net-undefine', NETWORK, check=False)
    raise TestFailure('no free 10.232.x.0/24 subnet for the test network')


def set_up():
    run(str(REPO_ROOT / 'tests' / 'harness' / 'libvirt-up.sh'))
    run(str(REPO_ROOT / 'tests' / 'fixtures' / 'build-tiny-guest.sh'), str(GUEST_CACHE), timeout=600)
    define_network()
    POOL_DIR.mkdir(mode=0o755, parents=True)
    for name in ('vmlinuz', 'initrd'):
        shutil.copy(GUEST_CACHE / name, POOL_DIR / name)
        os.chmod(POOL_DIR / name, 0o644)
    with tempfile.NamedTemporaryFile('w', suffix='.xml') as f:
        f.write(DOMAIN_XML.format(name=NAME, pool=POOL_DIR, log=SERIAL_LOG, network=NETWORK))
        f.flush()
        virsh('define', f.name)
    virsh('start', NAME)


def tear_down():
    virsh('destroy', NAME, check=False)
    virsh('undefine', NAME, check=False)
    virsh('net-destroy', NETWORK, check=False)
    virsh('net-undefine', NETWORK, check=False)
    shutil.rmtree(POOL_DIR, ignore_errors=True)


def leased_address():
    out = virsh('net-dhcp-leases', NETWORK, check=False).stdout
    for line in out.splitlines():
        for word in line.split():
            if word.startswith('10.232.') and '/' in word:
                return word.split('/')[0]
    return None


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or '' if acc else ''


def turn_on_column(app):
    table = app.table()
    if any(Atspi.Table.get_column_header(table, c) is not None and
           Atspi.Table.get_column_header(table, c).get_name() == 'IP Addresses' and
           is_showing(Atspi.Table.get_column_header(table, c))
           for c in range(Atspi.Table.get_n_columns(table))):
        raise TestFailure('the IP Addresses column shows before it was asked for')
    app.key_combo('<Control>comma')
    prefs = wait_until('Preferences', lambda: find_one(app.app, None, 'Preferences'), 10)
    switch = wait_until('the switch', lambda: find_one(prefs, None, 'Show IP addresses column'))
    switch.do_action(0)
    app.key_combo('Escape')
    wait_until('Preferences to close', lambda: find_one(app.app, None, 'Preferences') is None)
    app._column(app.table(), 'IP Addresses')


def address_in_row(app, state):
    address = wait_until('libvirt to list the guest\'s lease', leased_address, 120)
    listed = time.monotonic()
    log('lease %s listed by libvirt' % address)
    wait_until('the address in the row', lambda: address in (
        (app._row_cell(NAME, 'IP Addresses') or Atspi.Accessible()).get_name() or ''), 10,
        seen=lambda: 'cell %r' % ((app._row_cell(NAME, 'IP Addresses') or Atspi.Accessible()).get_name()))
    log('shown %.2f s after libvirt listed it' % (time.monotonic() - listed))
    state['address'] = address


def details_network(app, state):
    app.select_row(NAME)
    app.click(wait_until('the header bar\'s Details', lambda: find_one(app.window, 'push button', 'Details')))
    window = wait_until('the details window', lambda: find_one(app.app, 'frame', '%s — Details' % NAME), 15)
    row = wait_until('the sidebar row Network', lambda: find_one(window, 'label', 'Network'))
    app.click(row)
    label = wait_until('the addresses on the page',
                       lambda: (lambda n: n if n is not None and state['address'] in text_of(n) else None)(
                           find_one(window, 'label', 'Where the machine can be reached')), 15)
    log('Details › Network: %s' % text_of(label))
    if 'lease' not in text_of(label):
        raise TestFailure('the address says not where it came from: %r' % text_of(label))
    button = wait_until('Copy Addresses', lambda: find_one(window, 'push button', 'Copy addresses'))
    button.do_action(0)
    Gdk.init([])
    clipboard = Gtk.Clipboard.get(Gdk.SELECTION_CLIPBOARD)
    wait_until('the address on the clipboard',
               lambda: state['address'] in (clipboard.wait_for_text() or ''), 10)


def main():
    state = {}
    try:
        if not tap.step('an isolated network with DHCP and the tiny guest on it', set_up):
            tap.bail_out('no guest')
            return tap.finish()
        with VmDesk('--connect', 'qemu:///system') as app:
            tap.step('the guest is listed Running', app.wait_for_state, NAME, 'Running', 60)
            tap.step('Preferences shows the IP Addresses column, hidden before', turn_on_column, app)
            tap.step('the leased address appears in the row within 10 s of libvirt listing it',
                     address_in_row, app, state)
            tap.step('Details › Network lists it with its source; Copy puts it on the clipboard',
                     details_network, app, state)
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    finally:
        tear_down()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
