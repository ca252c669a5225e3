#!/usr/bin/python3
"""Host Details and its Create Bridge assistant against a real NetworkManager:

1. the primary menu's "Host Details" opens the Host window; its KVM page lists the check items,
   its Network page lists NetworkManager's devices (veth0 among them);
2. "Create Bridge" opens the assistant; a gateway outside the address's subnet is reported
   beside the field and keeps "Next" (and Apply) off;
3. br0, STP off, manual 192.168.1.80/24, gateway and DNS 192.168.1.1, port veth0: Apply, then
   "Keep Settings" in the countdown dialog; `ip -n NS -j addr` shows br0 with 192.168.1.80/24
   and veth0 with br0 as its master, and NetworkManager has no checkpoint left.

Pictures of the Host window and of the assistant's filled IPv4 page go to build/screenshots/
(or $VMDESK_SCREENSHOT_DIR): host-window.png, bridge-assistant.png.

Run through tests/ui/run-with-nm.sh (root: it starts NetworkManager in a network namespace of
its own, on a private system bus) around tests/harness/ui-session.sh:
    tests/ui/run-with-nm.sh tests/harness/ui-session.sh /usr/bin/python3 tests/ui/test_host_bridge.py
The app alone gets DBUS_SYSTEM_BUS_ADDRESS (that private bus); the test machinery does not.
libvirt is its test driver (test:///default): no daemon needed.
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (Tap, TestFailure, VmDesk, describe, find_all, find_one, is_sensitive,  # noqa: E402
                     is_showing, log, screenshot_path, wait_until)
import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, Gio, GLib  # noqa: E402

NM_BUS = os.environ.get('VMDESK_NM_BUS_ADDRESS')
NETNS = os.environ.get('VMDESK_NM_NETNS')
HOST_TITLE = 'Host Details'
ASSISTANT_TITLE = 'Create Bridge'
BRIDGE = 'br0'
PORT = 'veth0'
ADDRESS, PREFIX = '192.168.1.80', 24
GATEWAY = DNS = '192.168.1.1'
BAD_GATEWAY = '10.0.0.1'
KVM_ITEMS = ('KVM kernel modules', '/dev/kvm usable', 'libvirt daemon reachable')

tap = Tap(12)


# --- the system side ------------------------------------------------------------------------

def ip_addr():
    """`ip -n NS -j addr`: interface name -> its entry."""
    result = subprocess.run(['ip', '-n', NETNS, '-j', 'addr'], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise TestFailure('ip -n %s -j addr: %s' % (NETNS, result.stderr.strip()))
    return {link['ifname']: link for link in json.loads(result.stdout)}


def ipv4_of(link):
    return ['%s/%d' % (a['local'], a['prefixlen']) for a in link.get('addr_info', [])
            if a.get('family') == 'inet']


def describe_links():
    try:
        return 'ip addr: ' + '; '.join('%s master=%s %s' % (name, link.get('master'), ipv4_of(link))
                                       for name, link in ip_addr().items())
    except TestFailure as e:
        return str(e)


def nm_checkpoints():
    """NetworkManager's Checkpoints property, on the private bus."""
    bus = Gio.DBusConnection.new_for_address_sync(
        NM_BUS, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    try:
        reply = bus.call_sync('org.freedesktop.NetworkManager', '/org/freedesktop/NetworkManager',
                              'org.freedesktop.DBus.Properties', 'Get',
                              GLib.Variant('(ss)', ('org.freedesktop.NetworkManager', 'Checkpoints')),
                              GLib.VariantType('(v)'), Gio.DBusCallFlags.NONE, 5000, None)
        return list(reply.unpack()[0])
    finally:
        bus.close_sync(None)


# --- the windows ------------------------------------------------------------------------------

def top_level(app, role, name):
    """A window of the app by role and name (the app's direct children only: a button in
    another window may have the same name)."""
    for i in range(app.app.get_child_count()):
        child = app.app.get_child_at_index(i)
        if child is not None and child.get_role_name() == role and child.get_name() == name \
                and is_showing(child):
            return child
    return None


def windows(app):
    return 'windows: %s' % [describe(app.app.get_child_at_index(i))
                            for i in range(app.app.get_child_count())]


def host(app):
    return top_level(app, 'frame', HOST_TITLE)


def assistant(app):
    return top_level(app, 'frame', ASSISTANT_TITLE)


def in_window(window_of, app, role, name, timeout=20):
    return wait_until('%s "%s"' % (role, name),
                      lambda: find_one(window_of(app), role, name), timeout,
                      seen=lambda: windows(app))


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def set_text(app, name, text):
    node = in_window(assistant, app, 'text', name)
    Atspi.EditableText.set_text_contents(node, text)
    wait_until('"%s" to read %r' % (name, text), lambda: text_of(node) == text)


def problems(app):
    """The messages beside the assistant's fields, for failure reports."""
    window = assistant(app)
    if window is None:
        return 'the assistant is closed'
    return 'messages: %s' % [(n.get_name(), text_of(n)) for n in find_all(window, 'label')
                             if n.get_name().endswith('problem') and text_of(n)]


def button(app, name):
    window = assistant(app)
    return find_one(window, 'push button', name) if window is not None else None


def click_when_sensitive(app, name, timeout=20):
    node = wait_until('button "%s" to be showing and sensitive' % name,
                      lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(button(app, name)),
                      timeout, seen=lambda: problems(app))
    app.click(node)


def go_to_page(app, title, timeout=20):
    """Waits for the assistant's page TITLE (its panel) to be the one showing."""
    return wait_until('the assistant page "%s"' % title,
                      lambda: find_one(assistant(app), 'panel', title), timeout,
                      seen=lambda: 'pages showing: %s' % [describe(n) for n in
                                                          find_all(assistant(app), 'panel')
                                                          if n.get_name()])


def next_page(app, title):
    click_when_sensitive(app, 'Next')
    go_to_page(app, title)


def click_check(app, role, name, checked):
    """Clicks the radio or check button NAME unless it is already as wanted."""
    node = in_window(assistant, app, role, name)
    if node.get_state_set().contains(Atspi.StateType.CHECKED) != checked:
        app.click(node)
    wait_until('"%s" to be %s' % (name, 'checked' if checked else 'unchecked'),
               lambda: node.get_state_set().contains(Atspi.StateType.CHECKED) == checked)


# --- steps -------------------------------------------------------------------------------------

def open_host_window(app):
    menu_button = wait_until('the "Main menu" button',
                             lambda: find_one(app.window, 'toggle button', 'Main menu'))
    app.click(menu_button)
    # The primary menu is a popover: its items are model buttons ('push button'). The KVM bar,
    # shown on a host without full-speed KVM, has a "Host Details" button too: the popover's
    # comes last in the tree.
    item = wait_until('"Host Details" in the primary menu',
                      lambda: (find_all(app.window, 'push button', 'Host Details') or [None])[-1],
                      seen=lambda: windows(app))
    app.click(item)
    wait_until('the window "%s" to show' % HOST_TITLE, lambda: host(app), 10,
               seen=lambda: windows(app))


def kvm_items(app):
    items = in_window(host, app, 'list box', 'KVM check items')
    summary = in_window(host, app, 'label', 'KVM summary')
    wait_until('the KVM check to finish', lambda: text_of(summary).startswith('KVM is '), 15,
               seen=lambda: 'summary %r' % text_of(summary))

    def names():
        return [n.get_name() for n in find_all(items, 'panel')
                if re.match(r'.+: (OK|Warning|Failed)$', n.get_name() or '')]

    found = wait_until('the check items %s' % (KVM_ITEMS,),
                       lambda: (lambda ns: ns if all(any(n.startswith(t + ': ') for n in ns)
                                                     for t in KVM_ITEMS) else None)(names()),
                       seen=lambda: 'items: %s' % names())
    log('summary: %s' % text_of(summary))
    log('items: %s' % '; '.join(found))


def show_host_page(app, title):
    tab = in_window(host, app, 'radio button', title)
    app.click(tab)
    wait_until('the "%s" page' % title, lambda: tab.get_state_set().contains(Atspi.StateType.CHECKED))


def device_rows(app):
    """The Network interfaces table as rows of cell texts."""
    table = find_one(host(app), 'table', 'Network interfaces')
    if table is None:
        return []
    columns = Atspi.Table.get_n_columns(table)
    rows = []
    for row in range(Atspi.Table.get_n_rows(table)):
        cells = [Atspi.Table.get_accessible_at(table, row, col) for col in range(columns)]
        rows.append([c.get_name() if c is not None else '' for c in cells])
    return rows


def device_row(app, interface):
    for row in device_rows(app):
        if row and row[0] == interface:
            return row
    return None


def nm_devices(app):
    show_host_page(app, 'Network')
    row = wait_until('"%s" in the Network interfaces table' % PORT, lambda: device_row(app, PORT),
                     10, seen=lambda: 'rows: %s' % device_rows(app))
    log('rows: %s' % device_rows(app))
    if row[1] != 'ethernet':
        raise TestFailure('%s is listed as %r, not ethernet' % (PORT, row[1]))
    create = in_window(host, app, 'push button', 'Create Bridge')
    wait_until('"Create Bridge" to be sensitive', lambda: is_sensitive(create))


def open_assistant(app):
    app.click(in_window(host, app, 'push button', 'Create Bridge'))
    wait_until('the assistant "%s" to show' % ASSISTANT_TITLE, lambda: assistant(app), 10,
               seen=lambda: windows(app))
    go_to_page(app, 'Bridge')


def bad_gateway(app):
    next_page(app, 'Network Adapter')
    next_page(app, 'IPv4')
    click_check(app, 'radio button', 'Manual address', True)
    set_text(app, 'Address with prefix length', '%s/%d' % (ADDRESS, PREFIX))
    # Typed, key by key, as a user would.
    gateway = in_window(assistant, app, 'text', 'Gateway')
    wait_until('the gateway field to be sensitive', lambda: is_sensitive(gateway))
    app.click(gateway)
    wait_until('the gateway field to have the focus',
               lambda: gateway.get_state_set().contains(Atspi.StateType.FOCUSED))
    app.key_combo('<Control>a')
    app.type_text(BAD_GATEWAY)
    wait_until('the gateway to read %r' % BAD_GATEWAY, lambda: text_of(gateway) == BAD_GATEWAY,
               seen=lambda: 'it reads %r' % text_of(gateway))
    message = in_window(assistant, app, 'label', 'Gateway problem')
    wait_until('a message beside the gateway', lambda: text_of(message), seen=lambda: problems(app))
    log('beside the gateway: %s' % text_of(message))
    for name in ('Next', 'Apply', 'Finish'):
        node = button(app, name)
        if node is not None and is_showing(node) and is_sensitive(node):
            raise TestFailure('"%s" is on although the gateway is outside the subnet' % name)
    if text_of(in_window(assistant, app, 'label', 'Address problem')):
        raise TestFailure('the address got a message too: %s' % problems(app))


def fill_form(app):
    # Back to the first page: name and STP.
    for title in ('Network Adapter', 'Bridge'):
        click_when_sensitive(app, 'Back')
        go_to_page(app, title)
    set_text(app, 'Bridge name', BRIDGE)
    click_check(app, 'check box', 'Spanning Tree Protocol', False)
    if text_of(in_window(assistant, app, 'label', 'Bridge name problem')):
        raise TestFailure('the name %s is refused: %s' % (BRIDGE, problems(app)))
    next_page(app, 'Network Adapter')
    # The port: veth0 from the combo's menu (unless it is already the one chosen).
    combo = in_window(assistant, app, 'combo box', 'Network adapter')
    app.click(combo)
    item = wait_until('the menu item of %s' % PORT,
                      lambda: next((n for n in find_all(app.app, 'menu item')
                                    if (n.get_name() or '').startswith(PORT + ' (')), None),
                      seen=lambda: 'menu items: %s' % [describe(n) for n in
                                                       find_all(app.app, 'menu item')])
    log('choosing %r' % item.get_name())
    app.click(item)
    wait_until('the adapter menu to close',
               lambda: not any((n.get_name() or '').startswith(PORT + ' (')
                               for n in find_all(app.app, 'menu item')))
    note = in_window(assistant, app, 'label', 'Network adapter note')
    wait_until('the note to offer %s\'s settings' % PORT, lambda: 'offered' in text_of(note),
               seen=lambda: 'note %r' % text_of(note))
    next_page(app, 'IPv4')
    click_check(app, 'radio button', 'Manual address', True)
    set_text(app, 'Address with prefix length', '%s/%d' % (ADDRESS, PREFIX))
    set_text(app, 'Gateway', GATEWAY)
    set_text(app, 'DNS servers', DNS)
    wait_until('no message beside any field', lambda: problems(app) == 'messages: []',
               seen=lambda: problems(app))
    wait_until('"Next" to be sensitive', lambda: is_sensitive(button(app, 'Next')))


def assistant_screenshot(app):
    path = screenshot_path('bridge-assistant.png')
    app.park_pointer_outside()
    app.screenshot(path, window=assistant(app))
    if os.path.getsize(path) < 10000:
        raise TestFailure('the screenshot is suspiciously small')
    return path


def apply_and_keep(app):
    click_when_sensitive(app, 'Next')
    # GtkAssistant names each page after its title, so the summary label's own accessible
    # name ("Summary") gives way to "Apply", the header's title too: the page is the label
    # with the summary's text.
    summary = text_of(wait_until(
        'the summary page',
        lambda: next((n for n in find_all(assistant(app), 'label', 'Apply')
                      if text_of(n).startswith('Bridge ')), None), 5,
        seen=lambda: 'showing: %s' % [describe(n) for n in find_all(assistant(app))]))
    log('summary: %s' % summary.replace('\n', ' | '))
    for wanted in ('Bridge “%s”, STP off.' % BRIDGE, 'Port: %s ' % PORT,
                   'IPv4: %s/%d, gateway %s, DNS %s.' % (ADDRESS, PREFIX, GATEWAY, DNS)):
        if wanted not in summary:
            raise TestFailure('the summary lacks %r:\n%s' % (wanted, summary))
    started = time.monotonic()
    click_when_sensitive(app, 'Apply')
    wait_until('the assistant to close', lambda: assistant(app) is None, 10,
               seen=lambda: windows(app))
    wait_until('"Keep these settings?"',
                          lambda: find_one(app.app, 'label', 'Keep these settings?'), 30,
                          seen=lambda: windows(app) + '; labels: %s'
                          % [n.get_name() for n in find_all(app.app, 'label')][-8:])
    log('the question came %.2fs after Apply' % (time.monotonic() - started))
    countdown = wait_until('the countdown', lambda: next(
        (n for n in find_all(app.app, 'label')
         if re.search(r'come back in \d+ seconds?', text_of(n))), None))
    log('countdown: %s' % text_of(countdown))
    keep = wait_until('"Keep Settings" to be sensitive',
                      lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(
                          find_one(app.app, 'push button', 'Keep Settings')))
    app.click(keep)
    wait_until('the question to close', lambda: find_one(app.app, 'label', 'Keep these settings?') is None,
               seen=lambda: windows(app))
    # Confirmed: NetworkManager's checkpoint is gone (otherwise it rolls back after 30 s).
    wait_until('NetworkManager to have no checkpoint', lambda: nm_checkpoints() == [], 10,
               seen=lambda: 'checkpoints: %s' % nm_checkpoints())
    # No error dialog ("The new network settings were not kept").
    time.sleep(0.5)
    for i in range(app.app.get_child_count()):
        child = app.app.get_child_at_index(i)
        if child is not None and child.get_role_name() in ('alert', 'dialog') and is_showing(child):
            raise TestFailure('a dialog is up after Keep: %s' % [
                text_of(n) for n in find_all(child, 'label')])


def bridge_in_kernel(app):
    def probe():
        links = ip_addr()
        br, port = links.get(BRIDGE), links.get(PORT)
        return (br is not None and '%s/%d' % (ADDRESS, PREFIX) in ipv4_of(br) and
                port is not None and port.get('master') == BRIDGE)

    wait_until('%s with %s/%d and %s\'s master %s' % (BRIDGE, ADDRESS, PREFIX, PORT, BRIDGE),
               probe, 15, seen=describe_links)
    log(describe_links())
    # And the Host window says so.
    wait_until('the Host window to list %s as a port of %s' % (PORT, BRIDGE),
               lambda: (device_row(app, PORT) or [''] * 5)[4] == 'port of %s' % BRIDGE and
               '%s/%d' % (ADDRESS, PREFIX) in (device_row(app, BRIDGE) or [''] * 4)[3],
               10, seen=lambda: 'rows: %s' % device_rows(app))
    create = in_window(host, app, 'push button', 'Create Bridge')
    wait_until('"Create Bridge" to be sensitive again', lambda: is_sensitive(create))


def host_screenshot(app):
    path = screenshot_path('host-window.png')
    window = host(app)
    if window is None:
        raise TestFailure('no Host window')
    app.park_pointer_outside()
    app.screenshot(path, window=window)
    if os.path.getsize(path) < 10000:
        raise TestFailure('the screenshot is suspiciously small')
    return path


def main():
    if not NM_BUS or not NETNS:
        tap.bail_out('VMDESK_NM_BUS_ADDRESS and VMDESK_NM_NETNS are not set: run through '
                     'tests/ui/run-with-nm.sh')
        return 1
    # The private bus for the app alone: libnm's NMClient honours DBUS_SYSTEM_BUS_ADDRESS.
    env = {'DBUS_SYSTEM_BUS_ADDRESS': NM_BUS}
    try:
        with VmDesk('--connect', 'test:///default', env=env) as app:
            if not tap.step('"Main menu" > "Host Details" opens the Host window', open_host_window, app):
                tap.bail_out('no Host window')
                return tap.finish()
            tap.step('the KVM page lists the check items', kvm_items, app)
            if not tap.step('the Network page lists NetworkManager\'s %s' % PORT, nm_devices, app):
                tap.bail_out('NetworkManager\'s devices are not listed')
                return tap.finish()
            if not tap.step('"Create Bridge" opens the assistant', open_assistant, app):
                tap.bail_out('no assistant')
                return tap.finish()
            tap.step('a gateway outside the subnet: a message beside it, "Next" off', bad_gateway, app)
            if not tap.step('the form filled: %s, STP off, port %s, %s/%d gw %s dns %s'
                            % (BRIDGE, PORT, ADDRESS, PREFIX, GATEWAY, DNS), fill_form, app):
                tap.bail_out('the form cannot be filled')
                return tap.finish()
            tap.step('screenshot of the filled assistant page', assistant_screenshot, app)
            tap.step('Apply, then "Keep Settings" in the countdown: the checkpoint is confirmed',
                     apply_and_keep, app)
            tap.step('ip -n NS: %s has %s/%d, %s\'s master is %s; the Host window shows it'
                     % (BRIDGE, ADDRESS, PREFIX, PORT, BRIDGE), bridge_in_kernel, app)
            tap.step('screenshot of the Host window', host_screenshot, app)
            tap.step('the bridge is still there a moment later (no rollback)', still_there)
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    except TestFailure as e:  # from VmDesk.start: no app, no test
        tap.bail_out(str(e))
        return 1
    return tap.finish()


def still_there():
    time.sleep(2)
    links = ip_addr()
    if links.get(PORT, {}).get('master') != BRIDGE or \
            '%s/%d' % (ADDRESS, PREFIX) not in ipv4_of(links.get(BRIDGE, {})):
        raise TestFailure('the bridge went away: %s' % describe_links())
    if nm_checkpoints():
        raise TestFailure('a checkpoint is pending: %s' % nm_checkpoints())


if __name__ == '__main__':
    sys.exit(main())
