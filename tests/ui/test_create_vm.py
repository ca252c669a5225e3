#!/usr/bin/python3
"""The New Virtual Machine assistant against the real system daemon and QEMU:

1. "+" opens it (the time is printed, measured by the app from construction to its first frame,
   and by us from the click to the window on the accessibility bus; aimed at 300 ms);
2. no message shows before the user did anything; a missing ISO keeps Forward off with a message
   beside the field; 999999 MiB of memory keeps Forward off; "Forward" on every page but the
   last, "Finish" only there; one file chooser at a time, that fits the screen; Escape asks
   before it discards what was entered;
3. the tiny guest ISO with every default answer: the machine shows up "Running" in the list,
   selected, with its console window open;
4. the same ISO by direct kernel boot, kernel arguments "console=ttyS0", no display: the console
   opens on Serial before the guest runs, so its very first lines (SeaBIOS, then the kernel's
   "Linux version") are in the terminal, and the serial log libvirt keeps for it
   (/var/log/libvirt/qemu/NAME-serial0.log) has the banner;
5. the same by direct kernel boot from an install tree, a folder made here from the tiny guest's
   kernel and initrd (isolinux/vmlinuz, isolinux/initrd.img); before it, a URL and a folder
   without a kernel are refused beside the field;
6. the widgets follow the spec they are bound to: the name follows the OS chosen in the list
   until the user types one, and stays the user's when another OS is chosen afterwards;
7. in a fresh app, whose OS database is still loading, an ISO that osinfo-db knows (the tiny
   guest relabelled "Debian 11.6.0 amd64 n") gone through page by page at once: "Detecting…"
   shows while it is read, and the machine is made as debian11 whenever the answer comes.

Needs root (runs tests/harness/libvirt-up.sh and tests/fixtures/build-tiny-guest.sh, both
idempotent). Run inside tests/harness/ui-session.sh.
"""
import re
import shutil
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (REPO_ROOT, Tap, TestFailure, VmDesk, find_all, find_one, is_sensitive,  # noqa: E402
                     is_showing, log, screenshot_path, wait_until)
import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

URI = 'qemu:///system'
BANNER = 'VMDESK TINY GUEST READY'
MAX_OPEN_MS = 300
TAG = uuid.uuid4().hex[:6]
CD_NAME = 'vmdesk-ui-cd-' + TAG
KERNEL_NAME = 'vmdesk-ui-kernel-' + TAG
TREE_NAME = 'vmdesk-ui-tree-' + TAG
DETECT_NAME = 'vmdesk-ui-detect-' + TAG
LOG_DIR = Path('/var/log/libvirt/qemu')
# Outside the pool's folder (a folder there would show up as a volume), readable by QEMU.
MEDIA_DIR = Path('/var/lib/libvirt/vmdesk-tests/ui-create-' + TAG)
ISO = MEDIA_DIR / 'tiny-guest.iso'
DEBIAN_ISO = MEDIA_DIR / 'debian-labelled.iso'
TREE = MEDIA_DIR / 'tree'
EMPTY_TREE = MEDIA_DIR / 'empty-tree'
TITLE = 'New Virtual Machine'
LIBOSINFO = {'libosinfo': 'http://libosinfo.org/xmlns/libvirt/domain/1.0'}
# The screen of tests/harness/ui-session.sh.
SCREEN_HEIGHT = 800

tap = Tap(19)


def run(*args, timeout=300):
    result = subprocess.run([str(a) for a in args], stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=timeout)
    if result.returncode != 0:
        raise TestFailure('%s failed (%d): %s' % (' '.join(map(str, args)), result.returncode,
                                                  (result.stderr or result.stdout).strip()))
    return result.stdout


def virsh(*args, check=True):
    result = subprocess.run(['virsh', '-q', '-c', URI, *args], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise TestFailure('virsh %s: %s' % (' '.join(args), result.stderr.strip()))
    return result.stdout


def prepare():
    run(REPO_ROOT / 'tests' / 'harness' / 'libvirt-up.sh')
    cache = REPO_ROOT / 'tests' / 'fixtures' / 'cache'
    run(REPO_ROOT / 'tests' / 'fixtures' / 'build-tiny-guest.sh', cache, timeout=900)
    # QEMU runs as libvirt-qemu: the ISO goes where it can read it.
    MEDIA_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    shutil.copyfile(cache / 'tiny-guest.iso', ISO)
    ISO.chmod(0o644)
    # An install tree as a distribution's would have it, minus everything but the boot files.
    (TREE / 'isolinux').mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cache / 'vmlinuz', TREE / 'isolinux' / 'vmlinuz')
    shutil.copyfile(cache / 'initrd', TREE / 'isolinux' / 'initrd.img')
    (EMPTY_TREE / 'docs').mkdir(parents=True, exist_ok=True)
    # The same ISO, bootable still, with the volume ID of Debian 11's netinst, which osinfo-db
    # identifies.
    run('xorriso', '-indev', ISO, '-outdev', DEBIAN_ISO, '-volid', 'Debian 11.6.0 amd64 n',
        '-boot_image', 'any', 'replay')
    DEBIAN_ISO.chmod(0o644)


def serial_log_of(name):
    return LOG_DIR / ('%s-serial0.log' % name)


def clean_up():
    for name in (CD_NAME, KERNEL_NAME, TREE_NAME, DETECT_NAME):
        virsh('destroy', name, check=False)
        virsh('undefine', name, '--nvram', check=False)
        virsh('vol-delete', '--pool', 'default', name + '.qcow2', check=False)
        for path in LOG_DIR.glob('%s-serial0.log*' % name):
            path.unlink()
    shutil.rmtree(MEDIA_DIR, ignore_errors=True)


# --- the assistant -------------------------------------------------------------------------------

def assistant(app):
    return find_one(app.app, None, TITLE)


def wait_assistant(app, timeout=20):
    return wait_until('the assistant "%s" to show' % TITLE, lambda: assistant(app), timeout)


def widget(app, role, name, timeout=20):
    return wait_until('%s "%s" in the assistant' % (role, name),
                      lambda: find_one(assistant(app), role, name), timeout)


def set_text(app, name, text):
    node = widget(app, 'text', name)
    Atspi.EditableText.set_text_contents(node, text)
    wait_until('"%s" to read %r' % (name, text), lambda: node.get_text(0, -1) == text)


def button(app, name):
    return find_one(assistant(app), 'push button', name)


def click_when_sensitive(app, name, timeout=30):
    node = wait_until('button "%s" to be showing and sensitive' % name,
                      lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(button(app, name)),
                      timeout, seen=lambda: message_labels(app))
    app.click(node)


def message_labels(app):
    """The messages beside the fields, for failure reports."""
    window = assistant(app)
    if window is None:
        return 'the assistant is closed'
    labels = [(n.get_name(), n.get_text(0, -1) if n.get_text_iface() else '')
              for n in find_all(window, 'label') if n.get_name().endswith('message')]
    return 'messages: %s' % labels


def label_text(app, name):
    node = find_one(assistant(app), 'label', name)
    return Atspi.Text.get_text(node, 0, -1) if node is not None else None


def select_combo_item(app, combo_name, item_name):
    """Clicks the combo box, then the item in the menu that pops up."""
    combo = widget(app, 'combo box', combo_name)
    app.click(combo)
    item = wait_until('menu item "%s" to show' % item_name,
                      lambda: find_one(app.app, 'menu item', item_name))
    app.click(item)
    wait_until('the menu of "%s" to close' % combo_name,
               lambda: find_one(app.app, 'menu item', item_name) is None)


def next_pages(app, count, pause=0.2):
    for _ in range(count):
        click_when_sensitive(app, 'Forward')
        time.sleep(pause)


def console_window(app, name):
    return find_one(app.app, 'frame', '%s — Console' % name)


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def new_machine_in_view(app, name, tab):
    """After Finish: NAME selected in the list, its console window open on TAB."""
    wait_until('"%s" to be the selected row' % name, lambda: app.selected_machine() == name,
               timeout=20, seen=lambda: 'selected: %r' % app.selected_machine())
    window = wait_until('the console window of %s' % name, lambda: console_window(app, name),
                        timeout=20)
    selected = wait_until('the "%s" tab' % tab, lambda: find_one(window, 'radio button', tab))
    wait_until('the "%s" tab to be the one shown' % tab,
               lambda: selected.get_state_set().contains(Atspi.StateType.CHECKED))
    return window


def close_console(app, name):
    window = console_window(app, name)
    if window is not None:
        find_one(window, 'push button', 'Close').do_action(0)
        wait_until('the console window of %s to close' % name,
                   lambda: console_window(app, name) is None)


# --- steps ---------------------------------------------------------------------------------------

def connected(app):
    def probe():
        return any(state == 'No virtual machines yet' or (state or '').endswith((' machine', ' machines'))
                   for _, state in app.rows())
    wait_until('the list to be connected to %s' % URI, probe, timeout=20, seen=app.describe_rows)


def open_assistant(app):
    plus = wait_until('the "New Machine" button', lambda: find_one(app.window, 'push button', 'New Machine'))
    started = time.monotonic()
    app.click(plus)
    wait_assistant(app)
    seen_ms = (time.monotonic() - started) * 1000
    shown = None

    def app_report():
        nonlocal shown
        app.log.seek(0, 0)
        found = re.findall(r'creation assistant shown in ([0-9.]+) ms \(built in ([0-9.]+) ms\)',
                           app.log.read())
        app.log.seek(0, 2)
        shown = (float(found[-1][0]), float(found[-1][1])) if found else None
        return shown is not None
    wait_until('the app to report the assistant shown', app_report)
    shown, built = shown
    log('assistant shown in %.1f ms (app: construction to end of first painted frame; built in '
        '%.1f ms); %.0f ms from the click until it was on the accessibility bus'
        % (shown, built, seen_ms))
    # A figure, not a pass mark: timings on a loaded CI machine are not the app's (the brief:
    # speed is measured by bench/, side by side, not by timed tests).
    if shown > MAX_OPEN_MS:
        log('note: above the %d ms aim' % MAX_OPEN_MS)


def quiet_at_first(app):
    """Nothing typed yet: Forward is off, but no red message says so."""
    wait_until('"Forward" to be off with no media', lambda: not is_sensitive(button(app, 'Forward')))
    if label_text(app, 'Media message'):
        raise TestFailure('a message shows before anything was typed: %r' % label_text(app, 'Media message'))
    for name in ('Finish', 'Apply', 'Next'):
        if button(app, name) is not None:
            raise TestFailure('"%s" shows on the first page' % name)


def missing_iso_blocks_forward(app):
    set_text(app, 'Media path', '/nonexistent/installer.iso')
    wait_until('the message "does not exist" beside the ISO path',
               lambda: 'does not exist' in (label_text(app, 'Media message') or ''),
               seen=lambda: message_labels(app))
    next_button = button(app, 'Forward')
    if next_button is not None and is_sensitive(next_button):
        raise TestFailure('"Forward" is on although the ISO does not exist')


def one_chooser_that_fits(app):
    """Browse twice: one file chooser, modal, no taller than the screen; it goes on Cancel."""
    browse = widget(app, 'push button', 'Browse for media')
    browse.do_action(0)
    chooser = wait_until('the file chooser', lambda: find_one(app.app, None, 'Choose an Installer ISO'))
    browse.do_action(0)
    time.sleep(0.5)
    choosers = [n for n in find_all(app.app, None, 'Choose an Installer ISO')
                if n.get_role_name() in ('dialog', 'file chooser', 'frame')]
    ext = chooser.get_extents(Atspi.CoordType.SCREEN)
    log('file chooser %dx%d at %d,%d; %d open' % (ext.width, ext.height, ext.x, ext.y, len(choosers)))
    if len(choosers) != 1:
        raise TestFailure('%d file choosers are open' % len(choosers))
    if ext.height > SCREEN_HEIGHT or ext.y < 0 or ext.y + ext.height > SCREEN_HEIGHT:
        raise TestFailure('the file chooser (%d px from %d) does not fit a %d px screen'
                          % (ext.height, ext.y, SCREEN_HEIGHT))
    find_one(chooser, 'push button', 'Cancel').do_action(0)
    wait_until('the file chooser to close',
               lambda: find_one(app.app, None, 'Choose an Installer ISO') is None)


def too_much_memory_blocks_forward(app):
    """999999 MiB: a message beside it and Forward off, until a sane value is back."""
    set_text(app, 'Media path', str(ISO))
    next_pages(app, 2)   # OS, then memory
    spin = widget(app, 'spin button', 'Memory (MiB)')
    before = Atspi.Value.get_current_value(spin)
    Atspi.Value.set_current_value(spin, 999999)
    wait_until('a message beside the memory', lambda: 'only' in (label_text(app, 'Memory message') or ''),
               seen=lambda: message_labels(app))
    if is_sensitive(button(app, 'Forward')):
        raise TestFailure('"Forward" is on with 999999 MiB of memory')
    Atspi.Value.set_current_value(spin, before)
    wait_until('"Forward" on again', lambda: is_sensitive(button(app, 'Forward')))


def finish_only_on_last_page(app):
    """Forward on each page up to the last, which has Finish and no Forward."""
    for page in ('Storage', 'Network'):
        if button(app, 'Finish') is not None:
            raise TestFailure('"Finish" shows before the last page (%s next)' % page)
        next_pages(app, 1)
    next_pages(app, 1)
    wait_until('"Finish" on the last page', lambda: button(app, 'Finish') is not None)
    if button(app, 'Forward') is not None:
        raise TestFailure('"Forward" shows on the last page')


def escape_asks(app):
    """Something was entered: Escape asks; Keep Editing keeps it, Discard closes."""
    app.key_combo('Escape')
    question = wait_until('the question before discarding',
                          lambda: find_one(app.app, 'push button', 'Keep Editing'))
    question.do_action(0)
    wait_until('the question to go', lambda: find_one(app.app, 'push button', 'Keep Editing') is None)
    if assistant(app) is None:
        raise TestFailure('the assistant closed on "Keep Editing"')
    app.key_combo('Escape')
    wait_until('the question again', lambda: find_one(app.app, 'push button', 'Discard')).do_action(0)
    wait_until('the assistant to close on "Discard"', lambda: assistant(app) is None)


def choose_os(app, search, row):
    """On the OS page: SEARCH, then a click on the result ROW; the chosen OS shows below."""
    set_text(app, 'Search operating systems', search)
    app.click(wait_until('the OS "%s" in the list' % row, lambda: find_one(assistant(app), 'label', row),
                         timeout=30))
    wait_until('"%s" chosen' % row, lambda: label_text(app, 'Chosen operating system') == row,
               seen=lambda: 'chosen: %r' % label_text(app, 'Chosen operating system'))


def name_shown(app):
    return Atspi.Text.get_text(widget(app, 'text', 'Name'), 0, -1)


def back_pages(app, count):
    for _ in range(count):
        click_when_sensitive(app, 'Back')


def name_follows_os(app):
    """The name entry shows the spec's name: the OS's short id while the user has typed none;
    once they have, another OS keeps theirs."""
    open_assistant_quietly(app)
    set_text(app, 'Media path', str(ISO))
    next_pages(app, 1)
    choose_os(app, 'debian11', 'Debian 11 (debian11)')
    next_pages(app, 4)
    suggested = wait_until('the name to follow the OS', lambda: name_shown(app).startswith('debian11') and
                           name_shown(app), seen=lambda: 'name: %r' % name_shown(app))
    mine = 'vmdesk-ui-mine-' + TAG
    set_text(app, 'Name', mine)
    back_pages(app, 4)
    choose_os(app, 'fedora36', 'Fedora Linux 36 (fedora36)')
    next_pages(app, 4)
    log('name suggested for Debian 11: %r; after the user typed one and chose Fedora: %r'
        % (suggested, name_shown(app)))
    if name_shown(app) != mine:
        raise TestFailure('choosing another OS replaced the name the user typed: %r' % name_shown(app))
    # Something was entered: Cancel asks.
    click_when_sensitive(app, 'Cancel')
    wait_until('the question before discarding', lambda: find_one(app.app, 'push button', 'Discard')).do_action(0)
    wait_until('the assistant to close on "Discard"', lambda: assistant(app) is None)


def create_from_cd(app):
    open_assistant_quietly(app)
    set_text(app, 'Media path', str(ISO))
    next_pages(app, 5)
    set_text(app, 'Name', CD_NAME)
    tap.step('screenshot of the assistant\'s last page, filled in', assistant_screenshot, app)
    click_when_sensitive(app, 'Finish')
    wait_until('the assistant to close after creating', lambda: assistant(app) is None, timeout=60,
               seen=lambda: 'installation error: %r' % label_text(app, 'Installation error'))
    app.wait_for_state(CD_NAME, 'Running', timeout=30)
    new_machine_in_view(app, CD_NAME, 'Graphics')
    close_console(app, CD_NAME)


def assistant_screenshot(app):
    """The assistant alone, into build/screenshots/ or $VMDESK_SCREENSHOT_DIR."""
    path = screenshot_path('creation-assistant.png')
    app.park_pointer_outside()
    app.screenshot(path, window=assistant(app))


def create_by_kernel_boot(app):
    open_assistant_quietly(app)
    app.click(widget(app, 'radio button', 'Direct kernel boot'))
    kernel_boot_to_last_page(app, ISO, 'kernel:')
    # The first machine's name is taken now: said beside the field, and no way forward.
    set_text(app, 'Name', CD_NAME)
    wait_until('the message "exists already" beside the name',
               lambda: 'exists already' in (label_text(app, 'Name message') or ''),
               seen=lambda: message_labels(app))
    if is_sensitive(button(app, 'Finish')):
        raise TestFailure('"Finish" is on although the name is taken')
    finish_without_display(app, KERNEL_NAME)


def kernel_boot_to_last_page(app, media, hint):
    """MEDIA (an ISO or a tree) with console=ttyS0 and no network, once HINT shows beside it."""
    set_text(app, 'Media path', str(media))
    wait_until('the kernel in %s to be found' % media,
               lambda: hint in (label_text(app, 'Media message') or ''),
               timeout=15, seen=lambda: message_labels(app))
    set_text(app, 'Kernel arguments', 'console=ttyS0')
    next_pages(app, 4)   # OS, memory, storage, network
    app.click(widget(app, 'radio button', 'No network'))
    next_pages(app, 1)


def finish_without_display(app, name):
    """The last page: NAME, no display, through the XML editor; then it runs, its console on
    Serial from the guest's first line on."""
    set_text(app, 'Name', name)
    select_combo_item(app, 'Display', 'None (serial console only)')
    app.click(widget(app, 'check box', 'Customize configuration before install'))
    click_when_sensitive(app, 'Finish')

    # The XML as it will be defined: the serial port logs where libvirt keeps domain logs.
    xml_view = wait_until('the "Domain XML" editor', lambda: find_one(app.app, 'text', 'Domain XML'),
                          timeout=30)
    xml = Atspi.Text.get_text(xml_view, 0, -1)
    domain = ElementTree.fromstring(xml)
    # No display chosen, and the final machine has no installer kernel.
    serial = domain.find('devices/serial[@type="pty"]')
    if serial is None or domain.find('devices/graphics') is not None or \
            domain.find('os/cmdline') is not None:
        raise TestFailure('unexpected final XML:\n%s' % xml)
    log_file = serial.find('log')
    if log_file is None or log_file.get('file') != str(serial_log_of(name)) or \
            log_file.get('append') != 'on':
        raise TestFailure('no serial log in %s in the final XML:\n%s' % (LOG_DIR, xml))
    app.click(wait_until('"Begin Installation"',
                         lambda: find_one(app.app, 'push button', 'Begin Installation')))
    wait_until('the assistant to close after creating', lambda: assistant(app) is None, timeout=60,
               seen=lambda: 'installation error: %r' % label_text(app, 'Installation error'))
    app.wait_for_state(name, 'Running', timeout=30)
    try:
        window = new_machine_in_view(app, name, 'Serial')
        term = wait_until('the serial terminal', lambda: find_one(window, name='Serial console'))
        wait_until('the banner in the serial terminal', lambda: BANNER in text_of(term), timeout=120,
                   seen=lambda: 'terminal ends with %r' % text_of(term)[-300:])
        first_lines_in_console(app, window, name)
    finally:
        close_console(app, name)


def first_lines_in_console(app, window, name):
    """Save Output (the scrollback too): the guest's first lines are there, before the banner."""
    find_one(window, 'push button', 'Save Output').do_action(0)
    dialog = wait_until('the save dialog', lambda: find_one(app.app, name='Save Console Output'))
    entry = wait_until('the file name entry', lambda: find_one(dialog, 'text'))
    path = MEDIA_DIR / ('%s-console.txt' % name)
    Atspi.EditableText.set_text_contents(entry, str(path))
    find_one(dialog, 'push button', 'Save').do_action(0)
    text = wait_until('%s to be written' % path,
                      lambda: path.exists() and BANNER in path.read_text(errors='replace') and
                      path.read_text(errors='replace'))
    # The kernel's first line, as libvirt's serial log has it. SeaBIOS comes before it in the
    # log, but draws a screen of its own (ESC c, ESC [2J) that a terminal then clears.
    first = next(line for line in serial_log_of(name).read_text(errors='replace').splitlines()
                 if 'Linux version' in line)
    first = first[first.index('[    0.000000]'):]
    # The terminal's lines are its rows, and a long one is not saved whole: its start is compared.
    shown = next(line for line in text.splitlines() if line.strip())
    log('the kernel\'s first line: %r; the console\'s first line: %r' % (first, shown))
    if len(shown.strip()) < 40 or shown.strip()[:60] != first[:60]:
        raise TestFailure('the console does not begin with the kernel\'s first line %r; it '
                          'begins %r' % (first, text[:300]))


def media_refused(app, path, message):
    set_text(app, 'Media path', str(path))
    wait_until('the message "%s" beside the media path' % message,
               lambda: message in (label_text(app, 'Media message') or ''),
               timeout=15, seen=lambda: message_labels(app))
    if is_sensitive(button(app, 'Forward')):
        raise TestFailure('"Forward" is on although %s was refused' % path)


def bad_trees_refused(app):
    open_assistant_quietly(app)
    app.click(widget(app, 'radio button', 'Direct kernel boot'))
    wait_until('the "Choose install tree folder" button',
               lambda: (lambda b: b if b is not None and is_showing(b) else None)(
                   button(app, 'Choose install tree folder')))
    media_refused(app, 'http://example.org/fedora/os/', 'Only local folders are supported')
    media_refused(app, EMPTY_TREE, 'No kernel and initrd were found in the folder')


def create_from_tree(app):
    """Goes on in the assistant bad_trees_refused() opened."""
    kernel_boot_to_last_page(app, TREE, 'Install tree, kernel: isolinux/vmlinuz')
    finish_without_display(app, TREE_NAME)


def open_assistant_quietly(app):
    app.click(wait_until('the "New Machine" button',
                         lambda: find_one(app.window, 'push button', 'New Machine')))
    wait_assistant(app)


def banner_in_log(name):
    serial_log = serial_log_of(name)

    def probe():
        try:
            return BANNER in serial_log.read_text(errors='replace')
        except FileNotFoundError:
            return False
    started = time.monotonic()
    wait_until('"%s" in %s' % (BANNER, serial_log), probe, timeout=120,
               seen=lambda: 'log so far: %r' % (serial_log.read_text(errors='replace')[-300:]
                                                if serial_log.exists() else None))
    log('banner in the serial log %.1fs after the machine was listed as running'
        % (time.monotonic() - started))
    xml = virsh('dumpxml', '--inactive', name)
    domain = ElementTree.fromstring(xml)
    if domain.find('os/kernel') is not None or domain.find('os/cmdline') is not None:
        raise TestFailure('the persistent machine still boots the installer kernel:\n%s' % xml)


def new_vm_option():
    # The test driver never offers KVM, so the warning must show.
    with VmDesk('--connect', 'test:///default', '--new-vm') as app:
        wait_assistant(app, timeout=30)
        wait_until('the emulation warning', lambda: find_one(assistant(app), 'label', 'Emulation warning'))
        app.click(widget(app, 'push button', 'Cancel'))
        wait_until('the assistant to close on Cancel (nothing entered: no question)',
                   lambda: assistant(app) is None)


def late_detection():
    """A fresh app: its OS database loads while the ISO is chosen and the pages go by at once."""
    with VmDesk('--connect', URI, '--new-vm') as app:
        wait_assistant(app, timeout=30)
        set_text(app, 'Media path', str(DEBIAN_ISO))
        started = time.monotonic()
        click_when_sensitive(app, 'Forward')
        seen_detecting = False

        def os_page():
            nonlocal seen_detecting
            text = label_text(app, 'Detected operating system') or ''
            seen_detecting = seen_detecting or text.startswith('Detecting')
            return text
        log('OS page on arrival: %r' % os_page())
        next_pages(app, 4, pause=0)
        left = time.monotonic()
        set_text(app, 'Name', DETECT_NAME)
        click_when_sensitive(app, 'Finish')
        wait_until('the assistant to close after creating', lambda: assistant(app) is None,
                   timeout=60, seen=lambda: 'installation error: %r' % label_text(app, 'Installation error'))
        log('"Detecting…" seen on the OS page: %s; the pages took %.2fs; created %.2fs after the '
            'ISO was chosen' % (seen_detecting, left - started, time.monotonic() - started))
        app.wait_for_state(DETECT_NAME, 'Running', timeout=30)
        xml = virsh('dumpxml', '--inactive', DETECT_NAME)
        os_entry = ElementTree.fromstring(xml).find('metadata/libosinfo:libosinfo/libosinfo:os', LIBOSINFO)
        if os_entry is None or os_entry.get('id') != 'http://debian.org/debian/11':
            raise TestFailure('the machine was not made as Debian 11:\n%s' % xml)
        problems = app.stop()
        if problems:
            raise TestFailure('vmdesk logged:\n' + '\n'.join(problems[:40]))


def main():
    if not tap.step('the system daemon and the tiny guest ISO are ready', prepare):
        tap.bail_out('no test bed')
        return tap.finish()
    try:
        with VmDesk('--connect', URI, env={'VMDESK_PRINT_TIMINGS': '1'}) as app:
            tap.step('the list is connected', connected, app)
            tap.step('"New Machine" opens the assistant in under %d ms' % MAX_OPEN_MS,
                     open_assistant, app)
            tap.step('no message before anything was typed; only Forward and Cancel on the '
                     'first page', quiet_at_first, app)
            tap.step('a missing ISO keeps "Forward" off, with a message beside it',
                     missing_iso_blocks_forward, app)
            tap.step('Browse: one file chooser at a time, fitting the screen',
                     one_chooser_that_fits, app)
            tap.step('999999 MiB of memory keeps "Forward" off, with a message', 
                     too_much_memory_blocks_forward, app)
            tap.step('"Finish" only on the last page, "Forward" everywhere before it',
                     finish_only_on_last_page, app)
            tap.step('Escape asks before discarding what was entered', escape_asks, app)
            tap.step('the name follows the OS chosen until the user types one, which stays',
                     name_follows_os, app)
            tap.step('the tiny guest ISO with default answers runs, selected in the list, its '
                     'console open on Graphics', create_from_cd, app)
            tap.step('direct kernel boot with console=ttyS0 and no display: its console opens on '
                     'Serial with the guest\'s first lines', create_by_kernel_boot, app)
            tap.step('the guest banner reaches the serial log in %s; the kernel is gone from '
                     'the persistent XML' % LOG_DIR, banner_in_log, KERNEL_NAME)
            tap.step('direct kernel boot: a URL and a folder without a kernel keep "Forward" off, '
                     'with a message beside the path', bad_trees_refused, app)
            tap.step('direct kernel boot from an install tree with console=ttyS0 runs',
                     create_from_tree, app)
            tap.step('the tree-booted guest\'s banner reaches its serial log; no kernel in the '
                     'persistent XML', banner_in_log, TREE_NAME)
            problems = app.stop()
            if problems:
                log('vmdesk logged:\n' + '\n'.join(problems[:40]))
        tap.step('"vmdesk --new-vm" opens the assistant, with the emulation warning when KVM is '
                 'not usable', new_vm_option)
        tap.step('pages gone through before the OS was detected: the machine is made as debian11',
                 late_detection)
    finally:
        clean_up()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
