#!/usr/bin/python3
"""The assistant's pool browser (issue 19) against the real system daemon:

1. a directory pool made here by virsh (a unique name, removed afterwards) chosen in the
   assistant's "Storage pool" list: the new machine's volume is in that pool (`virsh vol-list`);
2. a second pool, defined but stopped, chosen: "is stopped" beside the storage field, no Forward;
3. Import with a volume chosen in the pool browser ("From a Pool…"): the machine's disk is that
   volume's path; the same volume chosen again is refused, naming the machine that has it.

Needs root (runs tests/harness/libvirt-up.sh and tests/fixtures/build-tiny-guest.sh). Run inside
tests/harness/ui-session.sh.
"""
import shutil
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (REPO_ROOT, Tap, TestFailure, VmDesk, find_all, find_one, is_sensitive,  # noqa: E402
                     log, wait_until)
import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

URI = 'qemu:///system'
TAG = uuid.uuid4().hex[:6]
POOL = 'vmdesk-ui-pool-' + TAG
STOPPED_POOL = 'vmdesk-ui-stopped-' + TAG
NEW_NAME = 'vmdesk-ui-inpool-' + TAG
IMPORT_NAME = 'vmdesk-ui-import-' + TAG
IMPORT_VOLUME = 'vmdesk-import-%s.qcow2' % TAG
BASE = Path('/var/lib/libvirt/vmdesk-tests/ui-pool-' + TAG)
ISO = BASE / 'media' / 'tiny-guest.iso'
TITLE = 'New Virtual Machine'

tap = Tap(7)


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
    ISO.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    shutil.copyfile(cache / 'tiny-guest.iso', ISO)
    ISO.chmod(0o644)
    for name in (POOL, STOPPED_POOL):
        virsh('pool-define-as', name, 'dir', '--target', str(BASE / name))
        virsh('pool-build', name)
    virsh('pool-start', POOL)
    virsh('vol-create-as', POOL, IMPORT_VOLUME, '16M', '--format', 'qcow2')


def clean_up():
    for name in (NEW_NAME, IMPORT_NAME):
        virsh('destroy', name, check=False)
        virsh('undefine', name, '--nvram', check=False)
    for pool in (POOL, STOPPED_POOL):
        virsh('pool-destroy', pool, check=False)
        virsh('pool-undefine', pool, check=False)
    shutil.rmtree(BASE, ignore_errors=True)


def assistant(app):
    return find_one(app.app, None, TITLE)


def widget(app, role, name, top=None, timeout=30):
    return wait_until('%s "%s"' % (role, name),
                      lambda: find_one(top() if top else assistant(app), role, name), timeout)


def set_text(app, name, text):
    node = widget(app, 'text', name)
    Atspi.EditableText.set_text_contents(node, text)
    wait_until('"%s" to read %r' % (name, text), lambda: node.get_text(0, -1) == text)


def label_text(app, name):
    node = find_one(assistant(app), 'label', name)
    return Atspi.Text.get_text(node, 0, -1) if node is not None else None


def messages(app):
    window = assistant(app)
    if window is None:
        return 'the assistant is closed'
    return 'messages: %s' % [(n.get_name(), n.get_text(0, -1) if n.get_text_iface() else '')
                             for n in find_all(window, 'label') if n.get_name().endswith('message')]


def click_when_sensitive(app, name, timeout=30):
    node = wait_until('button "%s" to be sensitive' % name,
                      lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(
                          find_one(assistant(app), 'push button', name)),
                      timeout, seen=lambda: messages(app))
    app.click(node)


def next_pages(app, count):
    for _ in range(count):
        click_when_sensitive(app, 'Forward')
        time.sleep(0.2)


def select_combo_item(app, combo_name, item_name):
    app.click(widget(app, 'combo box', combo_name))
    item = wait_until('menu item "%s"' % item_name, lambda: find_one(app.app, 'menu item', item_name))
    # Its own action, not a click: GTK places the popup so that the active item is over the
    # combo, which can put a later item off the screen.
    item.do_action(0)
    wait_until('the menu of "%s" to close' % combo_name,
               lambda: find_one(app.app, 'menu item', item_name) is None)


def open_assistant(app):
    plus = wait_until('the "New Machine" button', lambda: find_one(app.window, 'push button', 'New Machine'))
    app.click(plus)
    wait_until('the assistant', lambda: assistant(app), 10)


def finish(app, name):
    set_text(app, 'Name', name)
    click_when_sensitive(app, 'Finish')
    wait_until('the assistant to close after creating', lambda: assistant(app) is None, timeout=90,
               seen=lambda: 'installation error: %r' % label_text(app, 'Installation error'))
    app.wait_for_state(name, 'Running', timeout=30)
    # Its console opens over the main window: closed, so that "New Machine" can be clicked.
    title = '%s — Console' % name
    console = wait_until('the console window of %s' % name, lambda: find_one(app.app, 'frame', title), 20)
    find_one(console, 'push button', 'Close').do_action(0)
    wait_until('the console window to close', lambda: find_one(app.app, 'frame', title) is None)


def disk_sources(name):
    domain = ElementTree.fromstring(virsh('dumpxml', '--inactive', name))
    return [s.get('file') for s in domain.findall('devices/disk[@device="disk"]/source')]


def connected(app):
    wait_until('the list to be connected', lambda: any(
        state == 'No virtual machines yet' or (state or '').endswith((' machine', ' machines'))
        for _, state in app.rows()), timeout=20, seen=app.describe_rows)


def to_storage_page(app):
    open_assistant(app)
    set_text(app, 'Media path', str(ISO))
    next_pages(app, 3)   # OS, memory, storage
    widget(app, 'combo box', 'Storage pool')


def stopped_pool_refused(app):
    to_storage_page(app)
    select_combo_item(app, 'Storage pool', STOPPED_POOL)
    wait_until('"is stopped" beside the storage choice',
               lambda: 'is stopped' in (label_text(app, 'Storage message') or ''),
               seen=lambda: messages(app))
    if is_sensitive(find_one(assistant(app), 'push button', 'Forward')):
        raise TestFailure('"Forward" is on with a stopped pool')


def new_volume_in_chosen_pool(app):
    select_combo_item(app, 'Storage pool', POOL)
    spin = widget(app, 'spin button', 'Disk size (GiB)')
    Atspi.Value.set_current_value(spin, 1)
    wait_until('no storage message', lambda: not label_text(app, 'Storage message'),
               seen=lambda: messages(app))
    next_pages(app, 2)
    finish(app, NEW_NAME)
    volumes = virsh('vol-list', POOL)
    log('virsh vol-list %s:\n%s' % (POOL, volumes))
    if NEW_NAME + '.qcow2' not in volumes:
        raise TestFailure('%s.qcow2 is not in pool %s:\n%s' % (NEW_NAME, POOL, volumes))
    path = virsh('vol-path', '--pool', POOL, NEW_NAME + '.qcow2').strip()
    if path not in disk_sources(NEW_NAME):
        raise TestFailure('the machine\'s disk is not %s: %s' % (path, disk_sources(NEW_NAME)))


def choose_from_browser(app):
    """Import, "From a Pool…", the import volume; returns its path once the path field has it."""
    open_assistant(app)
    app.click(widget(app, 'radio button', 'Import existing disk image'))
    click_when_sensitive(app, 'Choose disk volume from a pool')
    dialog = wait_until('the "Choose a Volume" dialog', lambda: find_one(app.app, None, 'Choose a Volume'))
    pools = widget(app, 'table', 'Storage pools', top=lambda: dialog)
    app.click(wait_until('pool row %s' % POOL, lambda: find_one(pools, 'table cell', POOL), 15))
    volumes = widget(app, 'table', 'Volumes', top=lambda: dialog)
    app.click(wait_until('volume row %s' % IMPORT_VOLUME,
                         lambda: find_one(volumes, 'table cell', IMPORT_VOLUME), 15))
    app.click(widget(app, 'push button', 'Use Volume', top=lambda: dialog))
    path = virsh('vol-path', '--pool', POOL, IMPORT_VOLUME).strip()
    wait_until('the media path to be the volume\'s',
               lambda: widget(app, 'text', 'Media path').get_text(0, -1) == path,
               seen=lambda: messages(app))
    return path


def import_from_browser(app):
    path = choose_from_browser(app)
    next_pages(app, 4)   # OS, memory, network, name (Import has no storage page)
    finish(app, IMPORT_NAME)
    if disk_sources(IMPORT_NAME) != [path]:
        raise TestFailure('the imported machine\'s disk is not %s: %s' % (path, disk_sources(IMPORT_NAME)))


def volume_in_use_refused(app):
    choose_from_browser(app)
    wait_until('"is the disk of %s" beside the path' % IMPORT_NAME,
               lambda: ('is the disk of %s' % IMPORT_NAME) in (label_text(app, 'Media message') or ''),
               seen=lambda: messages(app))
    if is_sensitive(find_one(assistant(app), 'push button', 'Forward')):
        raise TestFailure('"Forward" is on with a volume another machine uses')
    click_when_sensitive(app, 'Cancel')
    discard = wait_until('"Discard"', lambda: find_one(app.app, 'push button', 'Discard'), 5)
    app.click(discard)
    wait_until('the assistant to close', lambda: assistant(app) is None)


def main():
    if not tap.step('the system daemon, the tiny guest ISO and two pools by virsh', prepare):
        tap.bail_out('no test bed')
        clean_up()
        return tap.finish()
    try:
        with VmDesk('--connect', URI) as app:
            tap.step('the list is connected', connected, app)
            tap.step('a stopped pool chosen: "is stopped" beside the field, no Forward',
                     stopped_pool_refused, app)
            tap.step('the pool chosen in the assistant holds the new volume (virsh vol-list)',
                     new_volume_in_chosen_pool, app)
            tap.step('Import: a volume chosen in the pool browser is the machine\'s disk',
                     import_from_browser, app)
            tap.step('the same volume again: "is the disk of" the first machine, no Forward',
                     volume_in_use_refused, app)
            problems = app.stop()
        tap.step('no GTK warning or critical in the app\'s log',
                 lambda: (_ for _ in ()).throw(TestFailure('\n'.join(problems[:40]))) if problems else None)
    finally:
        clean_up()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
