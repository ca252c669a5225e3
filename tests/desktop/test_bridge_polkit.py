#!/usr/bin/python3
"""Create Bridge as an unprivileged user, NetworkManager asking polkit (auth-polkit=true):

    test_bridge_polkit.py allowed|refused|password

- allowed (vmd-member, a rule says YES): Apply, then "Keep Settings": br0 is up with its
  address and port, and no checkpoint is left;
- refused (vmd-outsider, a rule says NO): Apply leaves the assistant open with "not allowed"
  beside the Apply button; NetworkManager has no new profile, no br0 and no checkpoint;
- password (vmd-member, a rule says AUTH_SELF_KEEP): Apply says beside it that it waits for the
  desktop's password dialog, and nothing changes until the agent (tests/desktop/
  polkit-test-agent.py, standing in for the dialog) is answered; then it goes on as allowed.

Run by tests/desktop/run-bridge-test.sh RULES USER (root sets up; this runs as the user). libvirt
is its test driver: the network part alone is tested here.
"""
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'ui'))
from vmdtest import (Tap, TestFailure, VmDesk, describe, find_all, find_one, is_sensitive,  # noqa: E402
                     is_showing, log, wait_until)
import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, Gio, GLib  # noqa: E402

MODE = sys.argv[1] if len(sys.argv) > 1 else ''
NM_BUS = os.environ.get('VMDESK_NM_BUS_ADDRESS')
AGENT_DIR = Path(os.environ.get('VMDESK_AGENT_DIR') or '/nonexistent')
BRIDGE, PORT = 'br0', 'veth0'
ADDRESS, GATEWAY = '192.168.1.80/24', '192.168.1.1'
NM = 'org.freedesktop.NetworkManager'

tap = Tap({'allowed': 5, 'refused': 6, 'password': 7}.get(MODE, 1))


# --- NetworkManager, read over D-Bus as this user -------------------------------------------------

def nm_call(path, interface, method, args=None, reply='(v)'):
    bus = Gio.DBusConnection.new_for_address_sync(
        NM_BUS, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    try:
        return bus.call_sync(NM, path, interface, method, args, GLib.VariantType(reply),
                             Gio.DBusCallFlags.NONE, 5000, None).unpack()
    finally:
        bus.close_sync(None)


def nm_property(path, interface, name):
    return nm_call(path, 'org.freedesktop.DBus.Properties', 'Get',
                   GLib.Variant('(ss)', (interface, name)))[0]


def checkpoints():
    return list(nm_property('/org/freedesktop/NetworkManager', NM, 'Checkpoints'))


def profiles():
    return sorted(nm_call('/org/freedesktop/NetworkManager/Settings', NM + '.Settings',
                          'ListConnections', reply='(ao)')[0])


def device_state(interface):
    """(state, IPv4 addresses) of the device INTERFACE, or None if there is none."""
    for path in nm_property('/org/freedesktop/NetworkManager', NM, 'Devices'):
        if nm_property(path, NM + '.Device', 'Interface') == interface:
            state = nm_property(path, NM + '.Device', 'State')
            ip4 = nm_property(path, NM + '.Device', 'Ip4Config')
            addresses = []
            if ip4 != '/':
                addresses = ['%s/%d' % (a['address'], a['prefix'])
                             for a in nm_property(ip4, NM + '.IP4Config', 'AddressData')]
            return state, addresses
    return None


def nm_snapshot():
    return {'profiles': profiles(), 'checkpoints': checkpoints(), 'br0': device_state(BRIDGE)}


# --- the windows ---------------------------------------------------------------------------------

def top_level(app, name):
    for i in range(app.app.get_child_count()):
        child = app.app.get_child_at_index(i)
        if child is not None and child.get_role_name() == 'frame' and child.get_name() == name \
                and is_showing(child):
            return child
    return None


def assistant(app):
    return top_level(app, 'Create Bridge')


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or '' if acc else ''


def in_assistant(app, role, name):
    return wait_until('%s "%s" in the assistant' % (role, name),
                      lambda: find_one(assistant(app), role, name))


def click_when_sensitive(app, name, timeout=30):
    app.click(wait_until('button "%s" to be sensitive' % name,
                         lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(
                             find_one(assistant(app), 'push button', name)), timeout))


def set_text(app, name, text):
    node = in_assistant(app, 'text', name)
    Atspi.EditableText.set_text_contents(node, text)
    wait_until('"%s" to read %r' % (name, text), lambda: text_of(node) == text)


def apply_status(app):
    return text_of(find_one(assistant(app), 'label', 'Apply status'))


def open_assistant(app):
    app.click(wait_until('the "Main menu" button',
                         lambda: find_one(app.window, 'toggle button', 'Main menu')))
    app.click(wait_until('"Host Details" in the primary menu',
                         lambda: (find_all(app.window, 'push button', 'Host Details') or [None])[-1]))
    host = wait_until('the Host window', lambda: top_level(app, 'Host Details'), 10)
    app.click(wait_until('the Network tab', lambda: find_one(host, 'radio button', 'Network')))
    create = wait_until('"Create Bridge" to be sensitive',
                        lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(
                            find_one(host, 'push button', 'Create Bridge')), 15)
    app.click(create)
    wait_until('the assistant', lambda: assistant(app), 10)


def fill_in(app):
    set_text(app, 'Bridge name', BRIDGE)
    stp = in_assistant(app, 'check box', 'Spanning Tree Protocol')
    if stp.get_state_set().contains(Atspi.StateType.CHECKED):
        app.click(stp)
    click_when_sensitive(app, 'Next')
    combo = in_assistant(app, 'combo box', 'Network adapter')
    app.click(combo)
    app.click(wait_until('the menu item of %s' % PORT, lambda: next(
        (n for n in find_all(app.app, 'menu item') if (n.get_name() or '').startswith(PORT + ' (')),
        None)))
    wait_until('the adapter menu to close', lambda: not any(
        (n.get_name() or '').startswith(PORT + ' (') for n in find_all(app.app, 'menu item')))
    click_when_sensitive(app, 'Next')
    manual = in_assistant(app, 'radio button', 'Manual address')
    if not manual.get_state_set().contains(Atspi.StateType.CHECKED):
        app.click(manual)
    set_text(app, 'Address with prefix length', ADDRESS)
    set_text(app, 'Gateway', GATEWAY)
    set_text(app, 'DNS servers', GATEWAY)
    click_when_sensitive(app, 'Next')
    wait_until('the Apply page', lambda: find_one(assistant(app), 'push button', 'Apply'))


def apply(app):
    before = nm_snapshot()
    log('before Apply: %s' % before)
    click_when_sensitive(app, 'Apply')
    return before


def keep(app):
    wait_until('"Keep these settings?"', lambda: find_one(app.app, 'label', 'Keep these settings?'),
               30, seen=lambda: 'assistant: %s; beside Apply: %r'
               % (describe(assistant(app)) if assistant(app) else 'closed',
                  apply_status(app) if assistant(app) else None))
    app.click(wait_until('"Keep Settings"',
                         lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(
                             find_one(app.app, 'push button', 'Keep Settings'))))
    wait_until('no checkpoint left', lambda: checkpoints() == [], 10,
               seen=lambda: 'checkpoints %s' % checkpoints())
    wait_until('%s activated with %s' % (BRIDGE, ADDRESS),
               lambda: (lambda d: d is not None and d[0] == 100 and ADDRESS in d[1])(
                   device_state(BRIDGE)), 15, seen=lambda: 'br0: %s' % (device_state(BRIDGE),))
    log('br0: %s' % (device_state(BRIDGE),))


def refused(app, before):
    wait_until('"not allowed" beside Apply', lambda: 'not allowed' in apply_status(app), 15,
               seen=lambda: 'beside Apply: %r' % (apply_status(app) if assistant(app) else
                                                  'the assistant closed'))
    log('beside Apply: %s' % apply_status(app))
    if find_one(app.app, 'label', 'Keep these settings?') is not None:
        raise TestFailure('the countdown came up although the change was refused')


def nothing_changed(before):
    after = nm_snapshot()
    if after != before:
        raise TestFailure('NetworkManager changed: before %s, after %s' % (before, after))
    if after['checkpoints']:
        raise TestFailure('a checkpoint is left: %s' % after['checkpoints'])


def waits_for_agent(app, before):
    wait_until('beside Apply, that it waits for the password dialog',
               lambda: 'Waiting for authorization' in apply_status(app), 10,
               seen=lambda: 'beside Apply: %r' % apply_status(app))
    log('beside Apply: %s' % apply_status(app))
    wait_until('the agent to be asked', lambda: (AGENT_DIR / 'asked').exists(), 15)
    log('the agent was asked for: %s' % (AGENT_DIR / 'asked').read_text().split())
    time.sleep(1)   # a moment for anything that should not happen
    if assistant(app) is None or profiles() != before['profiles'] or \
            device_state(BRIDGE) is not None:
        raise TestFailure('something changed before the password was given: %s' % nm_snapshot())


def answer_agent():
    (AGENT_DIR / 'answer').write_text('yes\n')


def main():
    if not NM_BUS or MODE not in ('allowed', 'refused', 'password'):
        tap.bail_out('run through tests/desktop/run-bridge-test.sh with allowed|refused|password')
        return 1
    log('running as %s (uid %d); polkit mode %s' % (os.environ.get('USER'), os.getuid(), MODE))
    try:
        with VmDesk('--connect', 'test:///default', env={'DBUS_SYSTEM_BUS_ADDRESS': NM_BUS}) as app:
            if MODE == 'password':
                wait_until('the agent to register for this vmdesk',
                           lambda: (AGENT_DIR / 'registered').exists(), 30)
            if not tap.step('Host Details > Network > Create Bridge opens the assistant',
                            open_assistant, app):
                return tap.finish()
            if not tap.step('%s, port %s, %s gateway %s: the Apply page' % (BRIDGE, PORT, ADDRESS,
                                                                          GATEWAY), fill_in, app):
                return tap.finish()
            before = tap.step('Apply', apply, app)
            if MODE == 'refused':
                tap.step('"not allowed" beside Apply; the assistant stays', refused, app, before)
                tap.step('NetworkManager unchanged: no profile, no %s, no checkpoint' % BRIDGE,
                         nothing_changed, before)
            elif MODE == 'password':
                tap.step('beside Apply: waiting for the desktop\'s password dialog; the agent is '
                         'asked and nothing changes meanwhile', waits_for_agent, app, before)
                tap.step('the agent answers (the password typed)', answer_agent)
                tap.step('"Keep Settings": %s is up with %s, no checkpoint left' % (BRIDGE, ADDRESS),
                         keep, app)
            else:
                tap.step('"Keep Settings": %s is up with %s, no checkpoint left' % (BRIDGE, ADDRESS),
                         keep, app)
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
