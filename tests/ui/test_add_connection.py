#!/usr/bin/python3
"""Main menu › Add Connection…: a URI that is not one is reported beside the field and keeps
Connect off; a good one opens at once, its machines listed under their own group row. Runs on
libvirt's test driver (no daemon). Run inside tests/harness/ui-session.sh.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import REPO_ROOT, Tap, TestFailure, VmDesk, find_one, wait_until  # noqa: E402
from gi.repository import Atspi  # noqa: E402

TEST_FILE = REPO_ROOT / 'tests' / 'unit' / 'data' / 'machines.xml'
NEW_URI = 'test://%s' % TEST_FILE

tap = Tap(5)


def dialog(app):
    return find_one(app.app, 'dialog', 'Add Connection')


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def sensitive(acc):
    return acc.get_state_set().contains(Atspi.StateType.SENSITIVE)


def open_dialog(app):
    app.click(wait_until('the "Main menu" button',
                         lambda: find_one(app.window, 'toggle button', 'Main menu')))
    app.click(wait_until('"Add Connection…" in the primary menu',
                         lambda: find_one(app.window, 'push button', 'Add Connection…')))
    wait_until('the "Add Connection" dialog', lambda: dialog(app))


def type_uri(app, text):
    entry = wait_until('the URI entry', lambda: find_one(dialog(app), 'text', 'Connection URI'))
    Atspi.EditableText.set_text_contents(entry, text)


def bad_uri_refused(app):
    type_uri(app, 'not a uri')
    problem = wait_until('the problem beside the field',
                         lambda: find_one(dialog(app), 'label', 'Connection URI problem'))
    wait_until('a message naming the bad URI', lambda: 'not a uri' in text_of(problem),
               seen=lambda: repr(text_of(problem)))
    connect = find_one(dialog(app), 'push button', 'Connect')
    if connect is None or sensitive(connect):
        raise TestFailure('Connect is not off for a bad URI')


def good_uri_connects(app):
    type_uri(app, NEW_URI)
    connect = find_one(dialog(app), 'push button', 'Connect')
    wait_until('Connect to turn on', lambda: sensitive(connect))
    connect.do_action(0)
    wait_until('the dialog to close', lambda: dialog(app) is None)


def main():
    try:
        with VmDesk('--connect', 'test:///default') as app:
            app.wait_for_row('test')
            if not tap.step('Main menu › Add Connection… opens the dialog', open_dialog, app):
                tap.bail_out('no dialog')
                return tap.finish()
            tap.step('a URI that is not one is reported and keeps Connect off', bad_uri_refused, app)
            tap.step('a good URI connects and the dialog closes', good_uri_connects, app)
            tap.step('its machines are listed in their true states', lambda: (
                app.wait_for_state('alpha', 'Running'), app.wait_for_state('beta', 'Shut off'),
                app.wait_for_state('gamma', 'Paused')))
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
