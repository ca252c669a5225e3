#!/usr/bin/python3
"""The features module (src/app/vmd-features.c): the main window alone maps none of the large
libraries; the first window that needs them loads the module; a program whose module is missing
says so in its error bar and keeps running. Runs on libvirt's test driver (no daemon). Run inside
tests/harness/ui-session.sh.
"""
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import Tap, TestFailure, VmDesk, find_one, wait_until  # noqa: E402
from gi.repository import Atspi  # noqa: E402

# What the features module brings in, and the list alone must not map.
FEATURE_FILES = ('vmdesk-features', 'libspice-client-gtk', 'libvte-2.91', 'libnm.so',
                 'libosinfo', 'libgtksourceview', 'libarchive', 'libgstreamer')

tap = Tap(6)


def mapped(app, names):
    """The files among NAMES that the app's process maps now."""
    with open('/proc/%d/maps' % app.process.pid) as maps:
        text = maps.read()
    return [name for name in names if name in text]


def nothing_mapped_at_start(app):
    found = mapped(app, FEATURE_FILES)
    if found:
        raise TestFailure('the main window alone maps %s' % ', '.join(found))


def click_new_machine(app):
    app.click(wait_until('the "New Machine" button',
                         lambda: find_one(app.window, 'push button', 'New Machine')))


def assistant_loads_module(app):
    click_new_machine(app)
    wait_until('the "New Virtual Machine" assistant',
               lambda: find_one(app.app, None, 'New Virtual Machine'))
    wait_until('the module and libosinfo mapped',
               lambda: len(mapped(app, ('vmdesk-features', 'libosinfo'))) == 2,
               seen=lambda: mapped(app, FEATURE_FILES))


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def missing_module_reported(app):
    click_new_machine(app)
    message = wait_until('the error bar',
                         lambda: find_one(app.window, 'label', 'Error message'))
    wait_until('a message saying what could not be loaded',
               lambda: 'could not be loaded' in text_of(message),
               seen=lambda: repr(text_of(message)))
    if find_one(app.app, None, 'New Virtual Machine') is not None:
        raise TestFailure('an assistant opened without its module')


def main():
    program = os.environ['VMDESK_BIN']
    try:
        with VmDesk('--connect', 'test:///default') as app:
            app.wait_for_row('test')
            tap.step('the main window alone maps none of the features\' libraries',
                     nothing_mapped_at_start, app)
            tap.step('New Machine loads the module and opens the assistant',
                     assistant_loads_module, app)
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)

        # The program alone in a folder, where neither its side nor libdir has the module.
        with tempfile.TemporaryDirectory(prefix='vmdesk-nomodule-') as folder:
            alone = shutil.copy(program, folder)
            app = VmDesk('--connect', 'test:///default')
            app.args[0] = alone
            with app:
                app.wait_for_row('test')
                tap.step('without its module, New Machine is refused in the error bar',
                         missing_module_reported, app)
                tap.step('the list still works', lambda: app.wait_for_row('test'))
                tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
