#!/usr/bin/python3
"""Main menu › Add Connection… and the connection rows (issue 18, item 2), on libvirt's test
driver (no daemon):

- what is wrong with a URI's form is said beside the field at once (not a URI, an unknown driver
  such as bogus:///nothing, an unknown transport, a remote transport without a host) and keeps
  Connect off; the message does not repeat the URI;
- a good URI opens at once, its machines listed under their own group row, and is remembered
  (GSettings) once it has connected; a well-formed URI that fails is not remembered, and its
  row says why without repeating the URI three times;
- a connection's row offers Disconnect, Connect and Remove Connection (context menu, and the
  main menu while the row is selected): Disconnect empties the group and says "Disconnected",
  Connect lists the machines again, Remove takes the row away and forgets the URI.

GSettings is a keyfile in a private folder here (not the session's memory backend) so that the
test can read what the app remembered. Run inside tests/harness/ui-session.sh.
"""
import configparser
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import REPO_ROOT, Tap, TestFailure, VmDesk, find_all, find_one, is_sensitive, log, wait_until  # noqa: E402
from gi.repository import Atspi  # noqa: E402

TEST_FILE = REPO_ROOT / 'tests' / 'unit' / 'data' / 'machines.xml'
NEW_URI = 'test://%s' % TEST_FILE
NEW_TITLE = 'Test driver (%s)' % NEW_URI
FAILING_URI = 'test:///no/such/vmdesk-file.xml'
FAILING_TITLE = 'Test driver (%s)' % FAILING_URI

tap = Tap(13)


def dialog(app):
    return find_one(app.app, 'dialog', 'Add Connection')


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


class Settings:
    """The keyfile the app's GSettings writes (GSETTINGS_BACKEND=keyfile)."""

    def __init__(self, folder):
        self.path = Path(folder) / 'glib-2.0' / 'settings' / 'keyfile'

    def connections(self):
        if not self.path.exists():
            return []
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(self.path)
        value = parser.get('io/github/vmdesk/VmDesk', 'connections', fallback='@as []')
        return [v.strip().strip("'") for v in value.replace('@as', '').strip(' []').split(',') if v.strip()]


def open_dialog(app):
    app.click(wait_until('the "Main menu" button',
                         lambda: find_one(app.window, 'toggle button', 'Main menu')))
    app.click(wait_until('"Add Connection…" in the primary menu',
                         lambda: find_one(app.window, 'push button', 'Add Connection…')))
    wait_until('the "Add Connection" dialog', lambda: dialog(app))


def type_uri(app, text):
    entry = wait_until('the URI entry', lambda: find_one(dialog(app), 'text', 'Connection URI'))
    Atspi.EditableText.set_text_contents(entry, text)


def refused(app, uri, says):
    type_uri(app, uri)
    problem = wait_until('the problem beside the field',
                         lambda: find_one(dialog(app), 'label', 'Connection URI problem'))
    wait_until('a message that says "%s"' % says, lambda: says in text_of(problem),
               seen=lambda: repr(text_of(problem)))
    log('%s: %s' % (uri, text_of(problem)))
    if uri.strip() and uri.strip() in text_of(problem):
        raise TestFailure('the message repeats the URI: %r' % text_of(problem))
    connect = find_one(dialog(app), 'push button', 'Connect')
    if connect is None or is_sensitive(connect):
        raise TestFailure('Connect is not off for %r' % uri)


def connect_uri(app, uri):
    type_uri(app, uri)
    connect = find_one(dialog(app), 'push button', 'Connect')
    wait_until('Connect to turn on', lambda: is_sensitive(connect),
               seen=lambda: repr(text_of(find_one(dialog(app), 'label', 'Connection URI problem'))))
    remember = find_one(dialog(app), 'check box', 'Open it again at every start, once it has connected')
    if remember is None or not remember.get_state_set().contains(Atspi.StateType.CHECKED):
        raise TestFailure('"Open it again at every start" is not there, or not ticked')
    connect.do_action(0)
    wait_until('the dialog to close', lambda: dialog(app) is None)


def group_cell(app, title):
    """A connection's group row: its title, and under it the reason when it failed."""
    for cell in find_all(app.table(), 'table cell'):
        name = cell.get_name() or ''
        if name == title or name.startswith(title + '\n'):
            return cell
    return None


def row_menu(app, title, item):
    cell = wait_until('the row of %s' % title, lambda: group_cell(app, title), seen=app.describe_rows)
    app.click(cell, button=3)
    menu = wait_until('the context menu to show', lambda: find_one(app.app, 'menu'))
    app.activate_menu_item(menu, item)


def main_menu_has(app, label):
    app.click(wait_until('the "Main menu" button',
                         lambda: find_one(app.window, 'toggle button', 'Main menu')))
    item = wait_until('"%s" in the main menu' % label,
                      lambda: find_one(app.window, 'push button', label))
    return item


def main():
    config = tempfile.TemporaryDirectory(prefix='vmdesk-ui-settings-')
    settings = Settings(config.name)
    env = {'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': config.name}
    try:
        with VmDesk('--connect', 'test:///default', env=env) as app:
            app.wait_for_row('test')
            if not tap.step('Main menu › Add Connection… opens the dialog', open_dialog, app):
                tap.bail_out('no dialog')
                return tap.finish()
            tap.step('a URI that is not one is refused beside the field, Connect off',
                     refused, app, 'not a uri', 'not a URI')
            tap.step('bogus:///nothing is refused: its driver is named as unknown',
                     refused, app, 'bogus:///nothing', '“bogus” is not a libvirt driver')
            tap.step('an unknown transport and a remote one without a host are refused',
                     lambda: (refused(app, 'qemu+pigeon://host/system', '“pigeon” is not a transport'),
                              refused(app, 'qemu+ssh:///system', 'needs the name of the computer')))
            tap.step('a good URI connects and the dialog closes', connect_uri, app, NEW_URI)
            tap.step('its machines are listed in their true states', lambda: (
                app.wait_for_state('alpha', 'Running'), app.wait_for_state('beta', 'Shut off'),
                app.wait_for_state('gamma', 'Paused')))
            tap.step('having connected, it is remembered', lambda: wait_until(
                '%s in the remembered connections' % NEW_URI, lambda: NEW_URI in settings.connections(),
                seen=lambda: 'remembered: %s' % settings.connections()))

            def failing():
                open_dialog(app)
                connect_uri(app, FAILING_URI)
                cell = wait_until('the failed row', lambda: (lambda c: c if c is not None and
                                                             '\n' in c.get_name() else None)(
                    group_cell(app, FAILING_TITLE)), 10, seen=app.describe_rows)
                shown = cell.get_name()
                log('the row reads %r' % shown)
                if shown.count(FAILING_URI) > 2:
                    raise TestFailure('the row repeats the URI %d times: %r'
                                      % (shown.count(FAILING_URI), shown))
                if FAILING_URI in settings.connections():
                    raise TestFailure('a connection that never connected was remembered')

            tap.step('a well-formed URI that fails says why once, and is not remembered', failing)

            def disconnect():
                row_menu(app, NEW_TITLE, 'Disconnect')
                app.wait_for_row_gone('alpha')
                app.wait_for_state(NEW_TITLE, 'Disconnected')

            tap.step('the row\'s context menu "Disconnect" closes it: its machines go', disconnect)

            def connect_from_main_menu():
                app.select_row(NEW_TITLE)
                item = main_menu_has(app, 'Connect')
                app.click(item)
                app.wait_for_state('alpha', 'Running', timeout=30)
                app.wait_for_state(NEW_TITLE, '3 machines')

            tap.step('Main menu › Connect (its row selected) lists its machines again',
                     connect_from_main_menu)

            def remove():
                row_menu(app, NEW_TITLE, 'Remove Connection')
                app.wait_for_row_gone(NEW_TITLE)
                app.wait_for_row_gone('alpha')
                wait_until('%s to be forgotten' % NEW_URI, lambda: NEW_URI not in settings.connections(),
                           seen=lambda: 'remembered: %s' % settings.connections())

            tap.step('the row\'s context menu "Remove Connection" takes it away and forgets it', remove)
            tap.step('the failed one can be removed too', lambda: (
                row_menu(app, FAILING_TITLE, 'Remove Connection'),
                wait_until('its row to go', lambda: group_cell(app, FAILING_TITLE) is None,
                           seen=app.describe_rows)))
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    finally:
        config.cleanup()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
