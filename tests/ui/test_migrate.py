#!/usr/bin/python3
"""Migrate… in a machine's context menu (issue 16), on libvirt's test driver (no daemon):

- with only the machine's own connection open, the dialog says there is no destination and keeps
  Migrate off; Close closes it;
- with a second connection open, it is offered as the destination; Migrate starts the job, whose
  progress shows; a disk with no pool of the same folder on the destination is said at once, and
  without copying disks the test driver's refusal (it cannot migrate) is said in the dialog, the
  machine still running where it was; Close closes it.

The migration itself, against a real second host, is tests/integration/test-migrate.c.
Run inside tests/harness/ui-session.sh.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import REPO_ROOT, Tap, TestFailure, VmDesk, find_one, is_sensitive, is_showing, log, wait_until  # noqa: E402
from gi.repository import Atspi  # noqa: E402

MACHINE = 'test'
OTHER_URI = 'test://%s' % (REPO_ROOT / 'tests' / 'unit' / 'data' / 'machines.xml')
OTHER_TITLE = 'Test driver (%s)' % OTHER_URI

tap = Tap(6)


def dialog(app):
    return find_one(app.app, 'dialog', 'Migrate Machine')


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def open_dialog(app):
    app.wait_for_state(MACHINE, 'Running')
    menu = app.open_context_menu(MACHINE)
    app.activate_menu_item(menu, 'Migrate…')
    return wait_until('the "Migrate Machine" dialog', lambda: dialog(app))


def close_dialog(app):
    button = wait_until('the Close button', lambda: find_one(dialog(app), 'push button', 'Close'))
    button.do_action(0)
    wait_until('the dialog to close', lambda: dialog(app) is None)


def no_destination(app):
    window = open_dialog(app)
    wait_until('"No destination" to show',
               lambda: (lambda l: l is not None and is_showing(l))(find_one(window, 'label', 'No destination')))
    migrate = find_one(window, 'push button', 'Migrate')
    if migrate is None or is_sensitive(migrate):
        raise TestFailure('Migrate is not off without a destination')


def refused_by_driver(app):
    window = open_dialog(app)
    combo = wait_until('the destination', lambda: find_one(window, 'combo box', 'Destination'))
    wait_until('"%s" offered' % OTHER_TITLE, lambda: combo.get_name() == 'Destination' and
               OTHER_TITLE in [combo.get_child_at_index(0).get_child_at_index(i).get_name()
                               for i in range(combo.get_child_at_index(0).get_child_count())])
    for name in ('Copy disks', 'Keep defined on destination', 'Remove from this host', 'Speed limit'):
        if find_one(window, None, name) is None:
            raise TestFailure('no "%s" in the dialog' % name)
    # Its disk has no pool with the same folder over there: said before anything moves.
    migrate_and_read(window, 'has no storage pool in /guest')
    # Without copying disks, the test driver itself refuses.
    find_one(window, 'check box', 'Copy disks').do_action(0)
    migrate_and_read(window, 'Could not move the machine')


def migrate_and_read(window, says):
    migrate = wait_until('Migrate to turn on',
                         lambda: (lambda b: b if b is not None and is_sensitive(b) else None)(
                             find_one(window, 'push button', 'Migrate')))
    migrate.do_action(0)
    wait_until('the job progress to show', lambda: find_one(window, 'progress bar', 'Progress'))
    problem = wait_until('"%s" to be said' % says,
                         lambda: (lambda l: l if l is not None and is_showing(l) and
                                  says in text_of(l) else None)(find_one(window, 'label', 'Problem')),
                         seen=lambda: repr(text_of(find_one(window, 'label', 'Problem'))))
    log('said: %s' % text_of(problem))


def main():
    try:
        with VmDesk('--connect', 'test:///default') as app:
            app.wait_for_row(MACHINE)
            tap.step('alone, Migrate… says there is no destination, Migrate off', no_destination, app)
            tap.step('Close closes it', close_dialog, app)
            tap.step('vmdesk logged no criticals or warnings', app.check_log)
        with VmDesk('--connect', 'test:///default', '--connect', OTHER_URI) as app:
            app.wait_for_row(MACHINE)
            tap.step('with another host, Migrate starts and its refusal is said', refused_by_driver, app)
            tap.step('Close closes it, the machine still running',
                     lambda: (close_dialog(app), app.wait_for_state(MACHINE, 'Running')))
            tap.step('vmdesk logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
