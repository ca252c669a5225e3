#!/usr/bin/python3
"""The console window on the tiny guest, through AT-SPI: `vmdesk --show-console NAME` opens it;
the Serial view shows the guest's banner and runs a typed command; the Monitor view answers
`info status`; the Graphics view shows a frame that is not blank and its Send Key menu's
Ctrl+Alt+Del reaches the guest; after a stop and a start the Serial view says it was
disconnected and then works again; closing the window ends the SPICE session.

Needs root and the system daemon (tests/harness/libvirt-up.sh, run here) and the tiny guest
(tests/fixtures/build-tiny-guest.sh, run here too). Run inside tests/harness/ui-session.sh.
"""
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (REPO_ROOT, Tap, TestFailure, VmDesk, center, describe, find_one,  # noqa: E402
                     log, rawinput, screenshot_path, wait_until)
from gi.repository import Atspi, Gdk, GdkPixbuf  # noqa: E402

URI = 'qemu:///system'
NAME = 'vmdesk-ui-console-%s' % uuid.uuid4().hex[:8]
POOL_DIR = Path('/var/lib/libvirt/images') / NAME
SERIAL_LOG = POOL_DIR / 'serial.log'
GUEST_CACHE = REPO_ROOT / 'tests' / 'fixtures' / 'cache'
BANNER = 'VMDESK TINY GUEST READY'
BOOT_TIMEOUT = 60.0

DOMAIN_XML = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{pool}/vmlinuz</kernel>
    <initrd>{pool}/initrd</initrd>
    <cmdline>console=tty0 console=ttyS0</cmdline>
  </os>
  <on_reboot>destroy</on_reboot>
  <devices>
    <serial type='pty'><log file='{log}' append='on'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='spice'><listen type='none'/></graphics>
    <video><model type='qxl'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
""".format(name=NAME, pool=POOL_DIR, log=SERIAL_LOG)

tap = Tap(22)


def run(*args, timeout=120):
    result = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise TestFailure('%s failed (%d): %s' % (' '.join(map(str, args)), result.returncode,
                                                  (result.stderr or result.stdout).strip()))
    return result.stdout


def virsh(*args, check=True):
    result = subprocess.run(['virsh', '-q', '-c', URI, *args], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise TestFailure('virsh %s failed (%d): %s' % (' '.join(args), result.returncode,
                                                         result.stderr.strip()))
    return result.stdout


class VirshConsole:
    """`virsh console` as another client would run it, on a pseudo-terminal (it wants one)."""

    def __init__(self, force):
        command = 'virsh -c %s console %s%s' % (URI, NAME, ' --force' if force else '')
        self.output = tempfile.TemporaryFile('w+')
        self.process = subprocess.Popen(['script', '-qfec', command, '/dev/null'],
                                        stdin=subprocess.PIPE, stdout=self.output,
                                        stderr=subprocess.STDOUT)

    def text(self):
        self.output.seek(0)
        return self.output.read()

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process.stdin.close()
        self.output.close()


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


def tear_down():
    virsh('destroy', NAME, check=False)
    virsh('undefine', NAME, check=False)
    shutil.rmtree(POOL_DIR, ignore_errors=True)


# --- the console window, through AT-SPI ------------------------------------------------------

def console_window(app):
    return find_one(app.app, 'frame', '%s — Console' % NAME)


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def show_page(window, title):
    tab = wait_until('the "%s" tab' % title, lambda: find_one(window, 'radio button', title))
    tab.do_action(0)
    wait_until('the "%s" tab to be selected' % title,
               lambda: tab.get_state_set().contains(Atspi.StateType.CHECKED))


def terminal(window):
    return wait_until('the serial terminal', lambda: find_one(window, name='Serial console'))


def serial_status(window):
    label = find_one(window, 'label', 'Serial console status')
    return text_of(label) if label is not None else ''


def type_into(acc, text):
    """Real key presses (XTEST), so they go the way a user's do: to the focused widget."""
    x, y = center(acc)
    rawinput.click(x, y)
    time.sleep(0.3)
    rawinput.typeText(text)


def wait_for_terminal_text(window, text, timeout):
    term = terminal(window)
    return wait_until('"%s" in the serial terminal' % text, lambda: text in text_of(term),
                      timeout, seen=lambda: 'terminal ends with %r; status %r'
                      % (text_of(term)[-300:], serial_status(window)))


def serial_log():
    try:
        return SERIAL_LOG.read_text(errors='replace')
    except OSError:
        return ''


def screen_region(acc):
    ext = acc.get_extents(Atspi.CoordType.SCREEN)
    if ext.width <= 0 or ext.height <= 0:
        return None
    root = Gdk.get_default_root_window()
    return Gdk.pixbuf_get_from_window(root, ext.x, ext.y, ext.width, ext.height)


def lit_pixels(pixbuf):
    """How many pixels differ from the most common colour (the background)."""
    data = pixbuf.get_pixels()
    n = pixbuf.get_n_channels()
    stride = pixbuf.get_rowstride()
    counts = {}
    for y in range(0, pixbuf.get_height(), 2):
        row = data[y * stride:(y * stride) + pixbuf.get_width() * n]
        for x in range(0, len(row), n * 2):
            key = bytes(row[x:x + 3])
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return 0
    return sum(counts.values()) - max(counts.values())


def main():
    if not tap.step('libvirtd up, tiny guest built and defined', set_up):
        tap.bail_out('no test bed')
        tear_down()
        return 1
    try:
        with VmDesk('--connect', URI, '--show-console', NAME) as app:
            window = None

            def opens():
                nonlocal window
                window = wait_until('the console window of %s' % NAME,
                                    lambda: console_window(app), timeout=30)
                show_page(window, 'Serial')
                wait_until('"not running" in the serial view',
                           lambda: 'not running' in serial_status(window) or
                           'stopped' in serial_status(window),
                           seen=lambda: 'status %r' % serial_status(window))
                virsh('start', NAME)
                wait_for_terminal_text(window, BANNER, BOOT_TIMEOUT)

            if not tap.step('--show-console opens the window; the banner shows in Serial', opens):
                tap.bail_out('no console window or no banner')
                return 1

            def command():
                # The shell may start a moment after the banner: poke it until it answers.
                term = terminal(window)
                wait_until('the shell prompt', lambda: (type_into(term, '\n') or True) and
                           'tiny# ' in text_of(term), timeout=30)
                type_into(term, 'echo HELLO-$((6*7))\n')
                wait_for_terminal_text(window, 'HELLO-42', 10)

            tap.step('a command typed in the Serial view runs and shows its output', command)

            def serial_screenshot():
                # Before the next step floods the terminal: the banner is still on the screen.
                if BANNER not in text_of(terminal(window)):
                    raise TestFailure('the banner is no longer on the terminal\'s screen')
                app.park_pointer_outside()
                app.screenshot(screenshot_path('console-serial.png'), window=window)

            tap.step('screenshot of the Serial view with the banner', serial_screenshot)

            def exact_output():
                # 192 KiB of random bytes as base64 (3,400 lines, within the scrollback), then
                # their md5sum; "Save Output…" writes what the terminal holds, which must decode
                # to the same bytes. The markers are split in the command so its echo never
                # matches, and have '-', which base64 never prints.
                term = terminal(window)
                type_into(term, 'dd if=/dev/urandom of=/tmp/b bs=1024 count=192 2>/dev/null; '
                          'echo -BEG""IN-; base64 /tmp/b; echo -EN""D-; md5sum /tmp/b\n')
                wait_for_terminal_text(window, '-END-', 60)
                find_one(window, 'push button', 'Save Output').do_action(0)
                dialog = wait_until('the save dialog',
                                    lambda: find_one(app.app, name='Save Console Output'))
                entry = wait_until('the file name entry', lambda: find_one(dialog, 'text'))
                path = POOL_DIR / 'saved-output.txt'
                Atspi.EditableText.set_text_contents(entry, str(path))
                find_one(dialog, 'push button', 'Save').do_action(0)
                text = wait_until('%s to be written' % path,
                                  lambda: path.exists() and '-END-' in path.read_text() and
                                  path.read_text())
                payload = text.split('-BEGIN-', 1)[1].split('-END-', 1)[0]
                received = base64.b64decode(''.join(payload.split()))
                guest_md5 = text.split('-END-', 1)[1].split()[0]
                log('%d bytes decoded from the saved output' % len(received))
                if len(received) != 192 * 1024:
                    raise TestFailure('decoded %d bytes, not %d' % (len(received), 192 * 1024))
                if hashlib.md5(received).hexdigest() != guest_md5:
                    raise TestFailure('md5 %s, the guest says %s'
                                      % (hashlib.md5(received).hexdigest(), guest_md5))

            tap.step('Save Output: the terminal got 192 KiB of base64 byte for byte', exact_output)

            def monitor():
                show_page(window, 'Monitor')
                entry = wait_until('the monitor command entry',
                                   lambda: find_one(window, 'text', 'Monitor command'))
                Atspi.EditableText.set_text_contents(entry, 'info status')
                entry.do_action(0)
                output = find_one(window, name='Monitor output')
                wait_until('"VM status: running" in the monitor output',
                           lambda: 'VM status: running' in text_of(output), timeout=10,
                           seen=lambda: 'output %r' % text_of(output))

            tap.step('Monitor: "info status" answers "VM status: running"', monitor)

            def graphics():
                show_page(window, 'Graphics')
                display = wait_until('the SPICE display', lambda: find_one(window, name='Machine display'),
                                     timeout=30)
                best = [0]

                def lit():
                    pixbuf = screen_region(display)
                    best[0] = max(best[0], lit_pixels(pixbuf) if pixbuf is not None else 0)
                    return best[0] > 200

                wait_until('a frame that is not blank', lit, timeout=30,
                           seen=lambda: 'at most %d pixels differ from the background; display %s'
                           % (best[0], describe(display)))
                log('%d pixels differ from the background' % best[0])

            tap.step('Graphics shows a frame that is not blank', graphics)

            def graphics_screenshot():
                app.park_pointer_outside()
                app.screenshot(screenshot_path('console-graphics.png'), window=window)

            tap.step('screenshot of the Graphics view', graphics_screenshot)

            def grab():
                grabbed = '%s — Console (press Ctrl+Alt to release the keyboard)' % NAME
                display = find_one(window, name='Machine display')
                x, y = center(display)
                rawinput.click(x, y)
                wait_until('the title to say the keyboard is grabbed',
                           lambda: window.get_name() == grabbed,
                           seen=lambda: 'title %r' % window.get_name())
                rawinput.holdKey('Control_L')
                rawinput.holdKey('Alt_L')
                time.sleep(0.2)
                rawinput.releaseKey('Alt_L')
                rawinput.releaseKey('Control_L')
                wait_until('the title to say it is released',
                           lambda: window.get_name() == '%s — Console' % NAME,
                           seen=lambda: 'title %r' % window.get_name())

            tap.step('a click grabs the keyboard (shown in the title); Ctrl+Alt releases it', grab)

            def send_key():
                before = serial_log().count('CTRL-ALT-DEL RECEIVED')
                button = wait_until('the Send Key button', lambda: find_one(window, name='Send Key'))
                button.do_action(0)
                item = wait_until('the Ctrl+Alt+Del item',
                                  lambda: find_one(app.app, name='Ctrl+Alt+Del'))
                item.do_action(0)
                wait_until('the guest to report Ctrl+Alt+Del',
                           lambda: serial_log().count('CTRL-ALT-DEL RECEIVED') > before, timeout=15,
                           seen=lambda: 'serial log ends with %r' % serial_log()[-200:])

            tap.step('Send Key > Ctrl+Alt+Del reaches the guest', send_key)

            def screenshot():
                find_one(window, 'push button', 'Screenshot').do_action(0)
                dialog = wait_until('the save dialog',
                                    lambda: find_one(app.app, name='Save Screenshot'))
                entry = wait_until('the file name entry', lambda: find_one(dialog, 'text'))
                path = POOL_DIR / 'screenshot.png'
                Atspi.EditableText.set_text_contents(entry, str(path))
                find_one(dialog, 'push button', 'Save').do_action(0)
                wait_until('%s to be written' % path, lambda: path.exists() and path.stat().st_size)
                pixbuf = wait_until('%s to load' % path, lambda: GdkPixbuf.Pixbuf.new_from_file(str(path)))
                log('screenshot %dx%d, %d pixels differ from the background'
                    % (pixbuf.get_width(), pixbuf.get_height(), lit_pixels(pixbuf)))
                if lit_pixels(pixbuf) < 200:
                    raise TestFailure('the screenshot is blank')

            tap.step('Screenshot saves a PNG of the guest\'s screen', screenshot)

            def stop():
                show_page(window, 'Serial')
                virsh('destroy', NAME)
                wait_until('"Disconnected: the machine stopped"',
                           lambda: serial_status(window) == 'Disconnected: the machine stopped',
                           timeout=10, seen=lambda: 'status %r' % serial_status(window))

            tap.step('stopping the guest: Serial says "Disconnected: the machine stopped"', stop)

            def restart():
                term = terminal(window)
                # The accessible text is the screen, not the scrollback: the new boot's banner is
                # new text on a screen that has changed.
                before = text_of(term)
                virsh('start', NAME)
                wait_until('the banner of the new boot',
                           lambda: serial_status(window) == '' and text_of(term) != before and
                           BANNER in text_of(term).split('Run /init')[-1],
                           timeout=BOOT_TIMEOUT, seen=lambda: 'terminal ends with %r; status %r'
                           % (text_of(term)[-300:], serial_status(window)))
                wait_until('the shell prompt', lambda: (type_into(term, '\n') or True) and
                           text_of(term).rstrip().endswith('tiny#'), timeout=30)
                type_into(term, 'echo AGAIN-$((2*3))\n')
                wait_for_terminal_text(window, 'AGAIN-6', 10)

            tap.step('starting it again: Serial reconnects by itself and works', restart)

            def taken_away():
                other = VirshConsole(force=True)
                try:
                    wait_until('"another program took over"', lambda: serial_status(window) ==
                               'Disconnected: another program took over this console', timeout=30,
                               seen=lambda: 'status %r; virsh says %r' % (serial_status(window),
                                                                          other.text()))
                    find_one(window, 'push button', 'Reconnect').do_action(0)
                    # Usually instant; once, under load, libvirt took over 10 s to answer.
                    started = time.monotonic()
                    wait_until('"Another program is using the console"', lambda:
                               serial_status(window).startswith('Another program is using the console'),
                               timeout=30, seen=lambda: 'status %r' % serial_status(window))
                    log('libvirt said "busy" after %.2fs' % (time.monotonic() - started))
                finally:
                    other.close()

            tap.step('virsh console --force takes the console: Serial says so; Reconnect says '
                     'it is busy', taken_away)

            def take_over():
                # The view still offers Take Over from the step before; virsh holds the console.
                other = VirshConsole(force=True)
                try:
                    wait_until('virsh console to connect', lambda: 'Connected to domain' in
                               other.text(), timeout=30, seen=lambda: 'virsh says %r' % other.text())
                    button = wait_until('the Take Over button',
                                        lambda: find_one(window, 'push button', 'Take Over'),
                                        timeout=30, seen=lambda: 'status %r' % serial_status(window))
                    button.do_action(0)
                    wait_until('the status bar to go', lambda: serial_status(window) == '',
                               timeout=30, seen=lambda: 'status %r' % serial_status(window))
                    # virsh reports the loss at once but may wait for a key before it exits.
                    wait_until('virsh console to be disconnected',
                               lambda: other.process.poll() is not None or
                               'stream had I/O failure' in other.text(), timeout=10,
                               seen=lambda: 'virsh says %r' % other.text())
                finally:
                    other.close()
                term = terminal(window)
                type_into(term, 'echo TAKEN-$((3+4))\n')
                wait_for_terminal_text(window, 'TAKEN-7', 10)

            tap.step('Take Over gets the console back from virsh console', take_over)

            def close():
                # Printed a few seconds on, while no window is open: the serial log keeps it.
                type_into(terminal(window), 'sleep 4; echo WHILE-$((6*7))-CLOSED\n')
                channels = virsh('qemu-monitor-command', NAME, '--hmp', 'info spice')
                if 'Channels: none' in channels:
                    raise TestFailure('no SPICE client connected before the window closed')
                window.get_parent()  # still there
                closer = find_one(window, 'push button', 'Close')
                closer.do_action(0)
                wait_until('the console window to close', lambda: console_window(app) is None)
                wait_until('QEMU to have no SPICE client', lambda: 'Channels: none' in
                           virsh('qemu-monitor-command', NAME, '--hmp', 'info spice'), timeout=30)
                # Our console stream is gone too: another client gets the console unforced.
                other = VirshConsole(force=False)
                try:
                    wait_until('virsh console to connect', lambda: 'Connected to domain' in
                               other.text() or other.process.poll() is not None, timeout=30)
                    if 'Connected to domain' not in other.text():
                        raise TestFailure('virsh console did not connect: %r' % other.text())
                finally:
                    other.close()

            tap.step('closing the window ends the SPICE session and frees the console', close)

            def printed_while_closed():
                wait_until('the guest to print while no window is open',
                           lambda: 'WHILE-42-CLOSED' in serial_log(), timeout=30,
                           seen=lambda: 'serial log ends with %r' % serial_log()[-200:])
                if console_window(app) is not None:
                    raise TestFailure('the console window is still open')

            tap.step('the guest prints while no console window is open', printed_while_closed)

            def reopen_from_menu():
                nonlocal window
                menu = app.open_context_menu(NAME)
                app.activate_menu_item(menu, 'Open Console')
                window = wait_until('the console window again', lambda: console_window(app),
                                    timeout=30)
                # Graphics first, as the machine has a display.
                wait_until('the Graphics view', lambda: find_one(window, name='Machine display'),
                           timeout=30)
                show_page(window, 'Serial')
                # What was printed meanwhile comes first, from the serial log, without Ctrl+L.
                wait_for_terminal_text(window, 'WHILE-42-CLOSED', 10)
                history = find_one(window, 'label', 'Serial console history')
                if history is not None and text_of(history):
                    raise TestFailure('the view says %r although the log is readable' % text_of(history))
                term = terminal(window)
                type_into(term, 'echo MENU-$((5*5))\n')
                wait_for_terminal_text(window, 'MENU-25', 10)

            tap.step('the list\'s "Open Console" opens it again, on Graphics, with what the guest '
                     'printed meanwhile and a working Serial', reopen_from_menu)

            def one_window():
                cell = app.wait_for_row(NAME)
                x, y = center(cell)
                app.point_at(x, y)
                rawinput.doubleClick(x, y)
                time.sleep(1)
                frames = [n for n in (app.app.get_child_at_index(i)
                                      for i in range(app.app.get_child_count()))
                          if n is not None and n.get_name() == '%s — Console' % NAME]
                if len(frames) != 1:
                    raise TestFailure('%d console windows for %s' % (len(frames), NAME))

            tap.step('double-clicking the machine presents its one console window', one_window)

            def run_button():
                show_page(window, 'Serial')
                virsh('destroy', NAME)
                run = wait_until('the Run button of a stopped machine',
                                 lambda: find_one(window, 'push button', 'Run'), timeout=30)
                run.do_action(0)
                app.wait_for_state(NAME, 'Running', timeout=30)
                wait_until('the Run button to go', lambda: find_one(window, 'push button', 'Run') is None)
                wait_until('the serial view to reconnect', lambda: serial_status(window) == '',
                           timeout=30, seen=lambda: 'status %r' % serial_status(window))

            tap.step('a stopped machine\'s console offers Run, which starts it', run_button)

            def deleted():
                virsh('destroy', NAME)
                virsh('undefine', NAME)
                wait_until('"the machine was deleted" in the serial view',
                           lambda: serial_status(window) == 'Disconnected: the machine was deleted',
                           timeout=10, seen=lambda: 'status %r' % serial_status(window))

            tap.step('a deleted machine\'s console says it was deleted (not "or the connection '
                     'was lost")', deleted)

            def quits_cleanly():
                # libvirt-gobject 4.0 warns about domain events it has no signal for (a guest's
                # own shutdown request, a crash), from any domain on the shared daemon: not ours.
                problems = [line for line in app.stop()
                            if 'domain_event_cb: code should not be reached' not in line]
                if problems:
                    raise TestFailure('vmdesk logged %d critical(s)/warning(s):\n%s'
                                      % (len(problems), '\n'.join(problems[:40])))

            tap.step('vmdesk quits having logged no criticals or warnings', quits_cleanly)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    finally:
        tear_down()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
