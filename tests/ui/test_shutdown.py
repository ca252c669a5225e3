#!/usr/bin/python3
"""A guest that ignores Shut Down (issue 18, item 3), on the real system daemon: the tiny guest
booted with acpi=off, so the power button libvirt presses reaches no one (as with an installer
or a system without ACPI support), and it keeps running.

- from the moment Shut Down is asked, its row says "Shutting down…";
- after the time set in Preferences (here 3 s, typed into Preferences as a user would: the
  session's GSettings is in memory, so the app is told through its own window) the main window
  says "NAME did not shut down… Force Off?", and the row still says "Shutting down…";
- Force Off… asks as usual, and then the machine is shut off and the bar is gone;
- started again and asked again, "Keep Waiting" hides the bar; the row says "Shutting down…"
  until the machine's state changes (a `virsh destroy` from outside), then "Shut off".

Needs root, the system daemon (tests/harness/libvirt-up.sh) and the tiny guest
(tests/fixtures/build-tiny-guest.sh), both run here. Run inside tests/harness/ui-session.sh.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (REPO_ROOT, SYSTEM_URI, Tap, TestFailure, VmDesk, find_all, find_one,  # noqa: E402
                     is_sensitive, is_showing, log, virsh, wait_until)
from gi.repository import Atspi  # noqa: E402

NAME = 'vmdesk-ui-shutdown-%s' % uuid.uuid4().hex[:8]
POOL_DIR = Path('/var/lib/libvirt/images') / NAME
SERIAL_LOG = POOL_DIR / 'serial.log'
GUEST_CACHE = REPO_ROOT / 'tests' / 'fixtures' / 'cache'
BANNER = 'VMDESK TINY GUEST READY'
TIMEOUT_S = 3
# ACPI on in the machine, so that libvirt presses its power button; off in the guest's kernel,
# so that nothing in the guest (the tiny guest runs acpid) hears it.
DOMAIN_XML = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{pool}/vmlinuz</kernel>
    <initrd>{pool}/initrd</initrd>
    <cmdline>console=ttyS0 acpi=off</cmdline>
  </os>
  <features><acpi/></features>
  <on_reboot>destroy</on_reboot>
  <devices>
    <serial type='pty'><log file='{log}' append='on'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='none'/>
  </devices>
</domain>
""".format(name=NAME, pool=POOL_DIR, log=SERIAL_LOG)
BAR_TEXT = '“%s” did not shut down: its system may not answer the power button. Force Off?' % NAME

tap = Tap(12)


def run(*args, timeout=120):
    result = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise TestFailure('%s failed (%d): %s' % (' '.join(map(str, args)), result.returncode,
                                                  (result.stderr or result.stdout).strip()))
    return result.stdout


def set_up():
    run(str(REPO_ROOT / 'tests' / 'harness' / 'libvirt-up.sh'))
    run(str(REPO_ROOT / 'tests' / 'fixtures' / 'build-tiny-guest.sh'), str(GUEST_CACHE), timeout=600)
    # QEMU runs as libvirt-qemu and cannot read the checkout: the guest's files go where it can.
    POOL_DIR.mkdir(mode=0o755, parents=True)
    for name in ('vmlinuz', 'initrd'):
        shutil.copy(GUEST_CACHE / name, POOL_DIR / name)
        os.chmod(POOL_DIR / name, 0o644)
    with tempfile.NamedTemporaryFile('w', suffix='.xml') as f:
        f.write(DOMAIN_XML)
        f.flush()
        virsh('define', f.name)
    start_guest()


def start_guest():
    if SERIAL_LOG.exists():
        SERIAL_LOG.unlink()
    virsh('start', NAME)
    # Booted to its shell: the power button then reaches a running kernel, which ignores it.
    wait_until('the guest\'s banner in %s' % SERIAL_LOG,
               lambda: SERIAL_LOG.exists() and BANNER in SERIAL_LOG.read_text(errors='replace'), 120)


def tear_down():
    virsh('destroy', NAME, check=False)
    virsh('undefine', NAME, check=False)
    shutil.rmtree(POOL_DIR, ignore_errors=True)


def domstate():
    return virsh('domstate', NAME).stdout.strip()


def set_timeout(app):
    app.park_pointer()   # keyboard focus follows the pointer (no window manager)
    app.key_combo('<Control>comma')
    dialog = wait_until('Preferences', lambda: find_one(app.app, 'dialog', 'Preferences'))
    spin = wait_until('the shut down timeout', lambda: find_one(dialog, 'spin button',
                                                               'Shut down timeout in seconds'))
    if Atspi.Value.get_current_value(spin) != 60:
        raise TestFailure('the default timeout reads %s, not 60' % Atspi.Value.get_current_value(spin))
    Atspi.Value.set_current_value(spin, TIMEOUT_S)
    wait_until('it to read %d' % TIMEOUT_S, lambda: Atspi.Value.get_current_value(spin) == TIMEOUT_S)
    find_one(dialog, 'push button', 'Close').do_action(0)
    wait_until('Preferences to close', lambda: find_one(app.app, 'dialog', 'Preferences') is None)


def bar(app):
    node = find_one(app.window, None, 'Shut down not answered')
    return node if node is not None and is_showing(node) else None


def bar_text(app):
    label = find_one(app.window, 'label', 'Shut down not answered message')
    return Atspi.Text.get_text(label, 0, Atspi.Text.get_character_count(label)) if label else None


def ask_shutdown(app):
    app.select_row(NAME)
    asked = time.monotonic()
    app.click_button('Shut Down')
    app.wait_for_state(NAME, 'Shutting down…')
    return asked


def bar_shows(app, asked):
    wait_until('the bar "did not shut down"', lambda: bar(app), TIMEOUT_S + 20,
               seen=lambda: 'row reads %r; %s' % (app.state_of(NAME), domstate()))
    log('offered %.1f s after Shut Down (timeout %d s)' % (time.monotonic() - asked, TIMEOUT_S))
    text = wait_until('its words', lambda: bar_text(app))
    if text != BAR_TEXT:
        raise TestFailure('the bar says %r' % text)
    if app.state_of(NAME) != 'Shutting down…':
        raise TestFailure('the row reads %r beside the bar' % app.state_of(NAME))
    if domstate() != 'running':
        raise TestFailure('the guest is %r: it did not ignore the power button' % domstate())


def force_off_from_bar(app):
    button = wait_until('"Force Off…" in the bar', lambda: find_one(bar(app), 'push button', 'Force Off…'))
    button.do_action(0)
    question = wait_until('the Force Off question', lambda: next(
        (app.app.get_child_at_index(i) for i in range(app.app.get_child_count())
         if app.app.get_child_at_index(i).get_role_name() in ('alert', 'dialog')
         and is_showing(app.app.get_child_at_index(i))), None))
    wait_until('it to name the machine', lambda: find_one(question, 'label', 'Force off “%s”?' % NAME),
               seen=lambda: 'labels: %s' % [n.get_name() for n in find_all(question, 'label')])
    find_one(question, 'push button', 'Force Off').do_action(0)
    app.wait_for_state(NAME, 'Shut off', timeout=20)
    wait_until('the bar to go', lambda: bar(app) is None)
    wait_until('libvirt to say "shut off"', lambda: domstate() == 'shut off', 10)


def keep_waiting(app):
    button = wait_until('"Keep Waiting" in the bar', lambda: find_one(bar(app), 'push button', 'Keep Waiting'))
    button.do_action(0)
    wait_until('the bar to go', lambda: bar(app) is None)
    if app.state_of(NAME) != 'Shutting down…':
        raise TestFailure('after Keep Waiting the row reads %r' % app.state_of(NAME))


def main():
    if not tap.step('the system daemon runs the tiny guest "%s"' % NAME, set_up):
        tap.bail_out('no test bed')
        tear_down()
        return tap.finish()
    try:
        with VmDesk('--connect', SYSTEM_URI) as app:
            app.wait_for_state(NAME, 'Running', timeout=20)
            tap.step('Preferences: the timeout is 60 s by default; set to %d s' % TIMEOUT_S,
                     set_timeout, app)
            asked = tap.step('Shut Down: the row says "Shutting down…" at once', ask_shutdown, app)
            tap.step('the guest ignores it: after the timeout the window offers Force Off',
                     bar_shows, app, asked or time.monotonic())
            tap.step('Force Off… asks, then the machine is shut off and the bar goes',
                     force_off_from_bar, app)
            tap.step('started again', lambda: (start_guest(), app.wait_for_state(NAME, 'Running', timeout=20)))
            asked = tap.step('asked to shut down again', ask_shutdown, app)
            tap.step('the bar shows again', bar_shows, app, asked or time.monotonic())
            tap.step('"Keep Waiting" hides the bar; the row still says "Shutting down…"',
                     keep_waiting, app)
            tap.step('a stop from outside (virsh destroy): the row says "Shut off"', lambda: (
                virsh('destroy', NAME), app.wait_for_state(NAME, 'Shut off', timeout=20)))
            tap.step('Run is on again for it', lambda: (app.select_row(NAME),
                                                        app.wait_button_state('Run', True, True)))
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
    finally:
        tear_down()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
