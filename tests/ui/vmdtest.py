"""Small driver for VM Desk's UI tests: dogtail (AT-SPI) under tests/harness/ui-session.sh.

    from vmdtest import Tap, VmDesk

    tap = Tap(2)
    with VmDesk('--connect', 'test:///default') as app:
        tap.step('machine "test" runs', app.wait_for_state, 'test', 'Running')
        tap.step('"Pause" pauses it', lambda: (app.select_row('test'),
                                               app.click_button('Pause'),
                                               app.wait_for_state('test', 'Paused')))
    sys.exit(tap.finish())

Nodes are Atspi.Accessible objects, which dogtail extends with its Node API (dogtail.tree):
both can be used. Input is real: XTEST mouse and key events through the AT-SPI registry.

Every wait is bounded and raises TestFailure with what it waited for and what it saw instead.
The app is always killed when the `with` block ends, whatever happened inside it.
"""
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import gi

gi.require_version('Atspi', '2.0')
gi.require_version('Gdk', '3.0')
from gi.repository import Atspi, Gdk, GLib  # noqa: E402

# dogtail reads its config when its modules are imported: set it first.
from dogtail.config import config  # noqa: E402

# dogtail checks GSettings' toolkit-accessibility (which the session's memory backend cannot
# carry) or GTK_MODULES=gail:atk-bridge (which GTK 3 does not need): the session harness has
# switched accessibility on itself, so skip the check.
config.checkForA11y = False
config.logDebugToFile = False       # no log files in /tmp
config.logDebugToStdOut = False     # stdout is TAP
config.searchShowingOnly = True
config.searchCutoffCount = 5
config.searchBackoffDuration = 0.1
config.defaultDelay = 0.05
config.actionDelay = 0.1            # after each raw click
config.typingDelay = 0.02

import dogtail.rawinput as rawinput  # noqa: E402
import dogtail.tree as tree  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
VMDESK_BIN = os.environ.get('VMDESK_BIN') or str(REPO_ROOT / 'build' / 'src' / 'vmdesk')

# Bounded waits, in seconds.
START_TIMEOUT = 15.0     # app process start to its window in the AT-SPI tree
WAIT_TIMEOUT = 20.0      # a cell, a state, a button to change: a ceiling, the wait ends as soon as it happens
POLL = 0.02

# The machine list's columns, by their header titles (vmd-machine-list.ui).
NAME_COLUMN = 'Name'
STATE_COLUMN = 'State'

HEADER_BUTTONS = ('Run', 'Pause', 'Resume', 'Shut Down', 'More power options', 'Delete',
                  'Search', 'Main menu')


class TestFailure(Exception):
    pass


SYSTEM_URI = 'qemu:///system'


def virsh(*args, check=True):
    """`virsh -q` on the system daemon; returns the CompletedProcess. Unless check is False, a
    failure raises TestFailure with virsh's own message."""
    result = subprocess.run(['virsh', '-q', '-c', SYSTEM_URI, *args], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise TestFailure('virsh %s failed (%d): %s' % (' '.join(args), result.returncode,
                                                         result.stderr.strip()))
    return result


def libvirt_up():
    """Starts the system libvirt daemon unless it runs (tests/harness/libvirt-up.sh: idempotent,
    needs root)."""
    script = REPO_ROOT / 'tests' / 'harness' / 'libvirt-up.sh'
    result = subprocess.run([str(script)], stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=120)
    if result.returncode != 0:
        raise TestFailure('%s failed (%d): %s' % (script, result.returncode,
                                                  (result.stderr or result.stdout).strip()))


def minimal_domain_xml(name, memory_mib):
    """A machine that needs nothing on disk: no devices, never started by the tests that use it."""
    return """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>{memory_mib}</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
</domain>
""".format(name=name, memory_mib=memory_mib)


def screenshot_path(name):
    """Where a test saves the picture NAME (e.g. 'host-window.png'): in $VMDESK_SCREENSHOT_DIR if
    set (relative to the source tree, or absolute), else in build/screenshots/ of the source
    tree. For the README's pictures: VMDESK_SCREENSHOT_DIR=docs/screenshots meson test ..."""
    folder = os.environ.get('VMDESK_SCREENSHOT_DIR') or 'build/screenshots'
    return str(REPO_ROOT / folder / name)


def log(message):
    """A TAP diagnostic line (meson shows them with -v)."""
    for line in str(message).splitlines() or ['']:
        print('# ' + line, flush=True)


def wait_until(what, probe, timeout=WAIT_TIMEOUT, seen=None):
    """Polls probe() until it returns something true, and returns that.
    On timeout raises TestFailure('timed out after Ns waiting for WHAT; SEEN') where SEEN is
    seen() (a short description of the current state) if given."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = probe()
        except (GLib.GError, LookupError):
            result = None  # a node went away while we looked: look again
        if result:
            return result
        if time.monotonic() >= deadline:
            detail = ''
            if seen is not None:
                try:
                    detail = '; ' + seen()
                except Exception as e:  # the description must not hide the timeout
                    detail = '; (could not describe the current state: %s)' % e
            raise TestFailure('timed out after %.1fs waiting for %s%s' % (timeout, what, detail))
        time.sleep(POLL)


def _states(acc):
    return acc.get_state_set()


def is_showing(acc):
    return _states(acc).contains(Atspi.StateType.SHOWING)


def is_sensitive(acc):
    return _states(acc).contains(Atspi.StateType.SENSITIVE)


def center(acc):
    ext = acc.get_extents(Atspi.CoordType.SCREEN)
    if ext.width <= 0 or ext.height <= 0 or ext.x < 0 or ext.y < 0:
        raise TestFailure('%s has no place on screen (extents %d,%d %dx%d)'
                          % (describe(acc), ext.x, ext.y, ext.width, ext.height))
    return ext.x + ext.width // 2, ext.y + ext.height // 2


def describe(acc):
    try:
        return '[%s %r]' % (acc.get_role_name(), acc.get_name())
    except Exception:
        return '[gone]'


TABLE_ROLES = ('tree table', 'table', 'tree')


def walk(acc, showing_only=True, into_tables=True):
    """All descendants of acc, depth first; below a node that is not showing there is nothing
    that shows, so such subtrees are skipped when showing_only. Without into_tables the cells of
    tables are not visited: a list of many machines has hundreds, each a few D-Bus calls, and
    under load one search through them took longer than a wait's ceiling."""
    try:
        children = [acc.get_child_at_index(i) for i in range(acc.get_child_count())]
    except GLib.GError:
        return
    for child in children:
        if child is None:
            continue
        try:
            if showing_only and not is_showing(child):
                continue
            descend = into_tables or child.get_role_name() not in TABLE_ROLES
        except GLib.GError:
            continue
        yield child
        if descend:
            yield from walk(child, showing_only, into_tables)


# Roles never found inside the machine list's table. A popup menu is: GTK makes the tree table
# its accessible parent.
OUTSIDE_TABLES = ('push button', 'toggle button', 'label', 'dialog', 'frame', 'alert', 'text',
                  'password text', 'combo box', 'radio button', 'check box', 'progress bar',
                  'spin button', 'page tab', 'tree table', 'table')


def find_all(acc, role=None, name=None, showing_only=True):
    into_tables = role not in OUTSIDE_TABLES
    found = []
    for node in walk(acc, showing_only, into_tables):
        try:
            if role is not None and node.get_role_name() != role:
                continue
            if name is not None and node.get_name() != name:
                continue
        except GLib.GError:
            continue
        found.append(node)
    return found


def find_one(acc, role=None, name=None, showing_only=True):
    found = find_all(acc, role, name, showing_only)
    return found[0] if found else None


class Tap:
    """TAP output: plan first, one line per step, '# ...' reasons under failures."""

    def __init__(self, planned):
        self.planned = planned
        self.count = 0
        self.failed = 0
        print('1..%d' % planned, flush=True)

    def ok(self, passed, name, reason=None):
        self.count += 1
        print('%s %d - %s' % ('ok' if passed else 'not ok', self.count, name), flush=True)
        if not passed:
            self.failed += 1
            if reason:
                log(reason)
        return passed

    def step(self, name, fn, *args, **kwargs):
        """Runs fn; ok if it returns without raising. Returns fn's result (None on failure)."""
        started = time.monotonic()
        try:
            result = fn(*args, **kwargs)
        except TestFailure as e:
            self.ok(False, name, str(e))
            return None
        except Exception:
            self.ok(False, name, traceback.format_exc().rstrip())
            return None
        self.ok(True, '%s (%.2fs)' % (name, time.monotonic() - started))
        return result if result is not None else True

    def skip(self, name, reason):
        self.count += 1
        print('ok %d - %s # SKIP %s' % (self.count, name, reason), flush=True)

    def bail_out(self, reason):
        """Stops the whole test: what follows cannot work (TAP 'Bail out!')."""
        print('Bail out! %s' % reason, flush=True)

    def finish(self):
        """Reports steps that never ran (a crash) as failures; returns the exit status."""
        while self.count < self.planned:
            self.ok(False, 'not reached', 'the test stopped before this step')
        return 1 if self.failed else 0


def _allow_core_dumps():
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


class VmDesk:
    """The app under test: a subprocess and its node in the AT-SPI tree."""

    def __init__(self, *args, env=None):
        self.args = [os.path.abspath(VMDESK_BIN), *args]
        # Any GLib critical ends the app at once, so no test can pass over one (issues 12, 18).
        self.env = dict(os.environ, G_DEBUG='fatal-criticals', **(env or {}))
        # The app runs in a folder of its own (see start): paths given relative to ours are made
        # whole.
        for key in ('GSETTINGS_SCHEMA_DIR', 'LD_LIBRARY_PATH', 'VMDESK_LOCALEDIR'):
            if self.env.get(key):
                self.env[key] = ':'.join(os.path.abspath(part) if part else part
                                         for part in self.env[key].split(':'))
        self.process = None
        self.log = None       # the app's stderr, a temporary file
        self.app = None       # Atspi application node
        self.window = None    # its main window ('frame' "VM Desk")

    # --- life ------------------------------------------------------------------------------

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()  # __exit__ will not run: do not leave the app behind
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        if not os.access(self.args[0], os.X_OK):
            raise TestFailure('no executable at %s (set VMDESK_BIN or build first)' % self.args[0])
        started = time.monotonic()
        # The app's messages are kept to look for criticals (see stop) and then copied to our
        # stderr, which meson keeps in the test log.
        self.log = tempfile.TemporaryFile('w+', prefix='vmdesk-ui-', suffix='.log')
        # A critical ends the app with SIGTRAP; its core, in a folder of its own (the kernel's
        # core_pattern is a relative "core" here), gives the backtrace CI shows (see stop).
        self.core_dir = tempfile.mkdtemp(prefix='vmdesk-ui-core-')
        self.process = subprocess.Popen(self.args, env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=self.log, stderr=self.log, cwd=self.core_dir,
                                        preexec_fn=_allow_core_dumps)

        def find_app():
            if self.process.poll() is not None:
                raise TestFailure('%s exited with status %d before showing a window'
                                  % (self.args[0], self.process.returncode))
            # dogtail's root is the AT-SPI desktop; its nodes are Atspi.Accessible objects.
            # Ours is the 'vmdesk' whose process is the one we started.
            for app in tree.root.applications():
                if app.name == 'vmdesk' and app.get_process_id() == self.process.pid:
                    return app
            return None

        self.app = wait_until('vmdesk (pid %d) on the accessibility bus' % self.process.pid,
                              find_app, START_TIMEOUT,
                              seen=lambda: 'applications: %s'
                              % [a.name for a in tree.root.applications()])
        self.window = wait_until('the window "VM Desk" to show',
                                 lambda: find_one(self.app, 'frame', 'VM Desk'), START_TIMEOUT)
        log('vmdesk %s: window up in %.2fs' % (' '.join(self.args[1:]), time.monotonic() - started))
        return self

    def stop(self):
        """Ends the app (TERM, then KILL after 5 s). Returns the GLib criticals and warnings it
        logged ('CRITICAL **' / 'WARNING **' lines), after copying its log to stderr."""
        # Only a death before this stop is the app's own (stop ends it with TERM).
        died_by_itself = self.process is not None and self.process.poll() is not None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.log is None:
            return []
        died = self._death_report(died_by_itself)
        self.log.seek(0)
        text = self.log.read()
        self.log.close()
        self.log = None
        if text:
            sys.stderr.write('--- vmdesk log ---\n%s--- end of vmdesk log ---\n' % text)
            sys.stderr.flush()
        return [line.strip() for line in text.splitlines()
                if re.search(r'\b(CRITICAL|WARNING) \*\*', line)] + died

    def _death_report(self, died_by_itself):
        """Lines saying the app died of a signal, with its backtrace when a core and gdb are
        there; removes the core folder."""
        core_dir, self.core_dir = getattr(self, 'core_dir', None), None
        status = self.process.returncode if self.process is not None else None
        lines = []
        if died_by_itself and status is not None and status < 0:
            lines.append('vmdesk died of %s' % signal.Signals(-status).name)
            cores = sorted(Path(core_dir).glob('core*')) if core_dir else []
            if cores and shutil.which('gdb'):
                result = subprocess.run(['gdb', '-q', '-batch', '-nx', '-ex', 'bt 25', self.args[0],
                                         str(cores[0])], stdin=subprocess.DEVNULL,
                                        capture_output=True, text=True, timeout=120)
                for line in result.stdout.splitlines():
                    # gdb shows the current frame on loading the core and again in the trace.
                    if line.startswith('#') and 'backtrace: ' + line not in lines:
                        lines.append('backtrace: ' + line)
        if core_dir:
            shutil.rmtree(core_dir, ignore_errors=True)
        return lines

    def check_log(self):
        """Stops the app; raises TestFailure if it logged GLib criticals or warnings."""
        problems = self.stop()
        if problems:
            raise TestFailure('vmdesk logged %d critical(s)/warning(s):\n%s'
                              % (len(problems), '\n'.join(problems[:40])))

    # --- machine list ----------------------------------------------------------------------

    # The list's and the empty state's accessible names (a translated run changes them).
    LIST_NAME = 'Virtual machines'
    EMPTY_TITLE = 'No Virtual Machines'

    def table(self):
        return wait_until('the machine list ("%s" tree table)' % self.LIST_NAME,
                          lambda: find_one(self.window, 'tree table', self.LIST_NAME))

    def _list_or_empty_state(self):
        """The machine list, or None while the empty state stands in for it: no connection
        lists a machine (a fresh daemon)."""
        found = wait_until('the machine list ("%s" tree table) or the empty state' % self.LIST_NAME,
                           lambda: find_one(self.window, 'tree table', self.LIST_NAME) or
                           ('empty' if find_one(self.window, 'label', self.EMPTY_TITLE) else None))
        return None if found == 'empty' else found

    def _empty_state_rows(self):
        """(connection, status) of the empty state's rows, named "TITLE: STATUS"."""
        names = [n.get_name() for n in find_all(self.window, 'list item')]
        return [tuple(name.split(': ', 1)) for name in names if ': ' in name]

    def _cells(self, text):
        table = self._list_or_empty_state()
        return find_all(table, 'table cell', text) if table is not None else []

    def rows(self):
        """(name, state) of every showing row, groups (connections) included, top to bottom; with
        no machine anywhere, the empty state's (connection, status) rows."""
        table = self._list_or_empty_state()
        if table is None:
            return self._empty_state_rows()
        name_col, state_col = self._column(table, NAME_COLUMN), self._column(table, STATE_COLUMN)
        rows = []
        for row in range(Atspi.Table.get_n_rows(table)):
            name_cell = Atspi.Table.get_accessible_at(table, row, name_col)
            state_cell = Atspi.Table.get_accessible_at(table, row, state_col)
            if name_cell is None or not is_showing(name_cell):
                continue
            rows.append((self._text_of_name_cell(name_cell),
                         state_cell.get_name() if state_cell is not None else None))
        return rows

    def describe_rows(self):
        """The rows as text, for failure messages."""
        rows = ['%s: %s' % row for row in self.rows()]
        return 'rows shown: ' + ('; '.join(rows) if rows else 'none')

    @staticmethod
    def _column(table, title):
        # The Table interface's functions are called unbound: Atspi.Accessible's own get_table()
        # is TableCell's (asked of a table, GTK answers with a critical) and get_table_iface()
        # is deprecated.
        for col in range(Atspi.Table.get_n_columns(table)):
            header = Atspi.Table.get_column_header(table, col)
            if header is not None and header.get_name() == title:
                return col
        raise TestFailure('the machine list has no column "%s"' % title)

    @staticmethod
    def _text_of_name_cell(cell):
        """The Name column packs an icon and a text renderer: its cell is a container whose
        child with a name is the text."""
        if cell.get_name():
            return cell.get_name()
        for i in range(cell.get_child_count()):
            child = cell.get_child_at_index(i)
            if child is not None and child.get_name():
                return child.get_name()
        return ''

    def find_name_cell(self, name):
        """The showing text cell that holds the machine's name, or None."""
        for cell in self._cells(name):
            parent = cell.get_parent()
            # In the Name column (a child of the column's container cell), not e.g. a State
            # cell that happens to read the same.
            if parent is not None and parent.get_role_name() == 'table cell':
                return cell
        return None

    def wait_for_cell(self, text, timeout=WAIT_TIMEOUT):
        """Waits for a showing table cell whose text is TEXT; returns it."""
        return wait_until('a cell "%s" in the machine list' % text,
                          lambda: next(iter(self._cells(text)), None), timeout,
                          seen=self.describe_rows)

    def wait_for_row(self, name, timeout=WAIT_TIMEOUT):
        """Waits for the machine NAME's row (its Name cell); returns that cell."""
        return wait_until('the row of machine "%s"' % name,
                          lambda: self.find_name_cell(name), timeout, seen=self.describe_rows)

    def wait_for_row_gone(self, name, timeout=WAIT_TIMEOUT):
        wait_until('the row of machine "%s" to go' % name,
                   lambda: self.find_name_cell(name) is None, timeout, seen=self.describe_rows)

    def _row_cell(self, name, column_title):
        cell = self.find_name_cell(name)
        if cell is None:
            return None
        container = cell.get_parent()
        table = self.table()
        row = Atspi.Table.get_row_at_index(table, container.get_index_in_parent())
        if row < 0:
            return None
        return Atspi.Table.get_accessible_at(table, row, self._column(table, column_title))

    def state_of(self, name):
        """The State column's text in machine NAME's row ('Running', 'Paused', 'Shut off',
        ...), or None when there is no such row."""
        cell = self._row_cell(name, STATE_COLUMN)
        return cell.get_name() if cell is not None else None

    def wait_for_state(self, name, state, timeout=WAIT_TIMEOUT):
        wait_until('machine "%s" to be "%s"' % (name, state),
                   lambda: self.state_of(name) == state, timeout,
                   seen=lambda: 'its state reads "%s"; %s' % (self.state_of(name),
                                                              self.describe_rows()))

    def select_row(self, name):
        """Clicks machine NAME's Name cell and waits for its row to be the selected one."""
        cell = self.wait_for_row(name)
        self.click(cell)
        wait_until('the row of "%s" to be selected' % name,
                   lambda: self.selected_machine() == name,
                   seen=lambda: 'selected: %r' % self.selected_machine())

    def selected_machine(self):
        table = self.table()
        for i in range(Atspi.Selection.get_n_selected_children(table)):
            child = Atspi.Selection.get_selected_child(table, i)
            if child is not None:
                text = self._text_of_name_cell(child)
                if text:
                    return text
        return None

    # --- header bar --------------------------------------------------------------------------

    def button(self, name):
        """The header bar's button NAME, showing or not (None if it does not exist at all)."""
        if name not in HEADER_BUTTONS:
            raise ValueError('unknown header bar button %r' % name)
        for role in ('push button', 'toggle button'):
            node = find_one(self.window, role, name, showing_only=False)
            if node is not None:
                return node
        return None

    def button_state(self, name):
        """(showing, sensitive) of header bar button NAME."""
        node = self.button(name)
        if node is None:
            raise TestFailure('no header bar button "%s"' % name)
        return is_showing(node), is_sensitive(node)

    def wait_button_state(self, name, showing, sensitive=None, timeout=WAIT_TIMEOUT):
        def probe():
            s, t = self.button_state(name)
            return s == showing and (sensitive is None or t == sensitive)

        want = 'showing' if showing else 'not showing'
        if sensitive is not None:
            want += ', sensitive' if sensitive else ', insensitive'
        wait_until('button "%s" to be %s' % (name, want), probe, timeout,
                   seen=lambda: 'it is %s' % self._describe_button(name))

    def _describe_button(self, name):
        s, t = self.button_state(name)
        return '%s, %s' % ('showing' if s else 'not showing', 'sensitive' if t else 'insensitive')

    def click_button(self, name):
        """Clicks header bar button NAME with the mouse; it must be showing and sensitive."""
        node = self.button(name)
        if node is None:
            raise TestFailure('no header bar button "%s"' % name)
        wait_until('button "%s" to be showing and sensitive' % name,
                   lambda: is_showing(node) and is_sensitive(node),
                   seen=lambda: 'it is %s' % self._describe_button(name))
        self.click(node)

    # --- context menu --------------------------------------------------------------------------

    def open_context_menu(self, name):
        """Right-clicks machine NAME's row; returns the menu that pops up. While other machines
        come and go the rows can move between finding the cell and the click: a menu that is
        not a machine's (a connection's) is closed and the click tried again."""
        for attempt in range(3):
            cell = self.wait_for_row(name)
            self.click(cell, button=3)
            menu = wait_until('the context menu to show',
                              lambda: find_one(self.app, 'menu'),
                              seen=lambda: 'windows: %s' % [describe(self.app.get_child_at_index(i))
                                                            for i in range(self.app.get_child_count())])
            if attempt == 2 or find_one(menu, 'menu item', 'Remove Connection') is None:
                return menu
            log('the click landed on a connection row; again')
            self.key_combo('Escape')
            wait_until('the context menu to close', lambda: find_one(self.app, 'menu') is None)

    def menu_item(self, menu, label):
        """A menu item by its label as AT-SPI gives it: without the mnemonic underscore."""
        return wait_until('menu item "%s"' % label,
                          lambda: find_one(menu, 'menu item', label),
                          seen=lambda: 'items: %s' % [describe(n) for n in find_all(menu, 'menu item')])

    def activate_menu_item(self, menu, label):
        item = self.menu_item(menu, label)
        if not is_sensitive(item):
            raise TestFailure('menu item "%s" is insensitive' % label)
        self.click(item)
        wait_until('the context menu to close', lambda: find_one(self.app, 'menu') is None)

    # --- search ----------------------------------------------------------------------------------

    def search_entry(self, showing=True):
        return find_one(self.window, 'text', 'Search machines', showing_only=showing)

    # --- input -----------------------------------------------------------------------------------

    def point_at(self, x, y):
        rawinput.absoluteMotion(x, y, mouseDelay=0.05)

    def click(self, acc, button=1):
        """A real mouse click (XTEST, through the AT-SPI registry) at the middle of acc.
        The pointer first moves there and rests a moment: a tooltip still up from the last
        click would otherwise catch the press, because GTK hides it only when it sees the pointer
        leave."""
        x, y = center(acc)
        self.point_at(x, y)
        rawinput.click(x, y, button)

    def park_pointer(self):
        """Moves the pointer onto the header bar's title, where no tooltip pops up, but still
        inside the window: with no window manager, keyboard focus follows the pointer."""
        title = find_one(self.window, 'label', 'VM Desk')
        if title is not None:
            self.point_at(*center(title))

    def park_pointer_outside(self):
        """Moves the pointer to the screen's far corner, outside every window (with no window
        manager they all sit at the top left): no tooltip or hover highlight in a picture."""
        Gdk.init([])
        root_window = Gdk.get_default_root_window()
        self.point_at(root_window.get_width() - 1, root_window.get_height() - 1)
        time.sleep(0.3)

    def type_text(self, text):
        rawinput.typeText(text)

    def key_combo(self, combo):
        """E.g. '<Control>f', '<Control>a', 'BackSpace'."""
        if combo.startswith('<'):
            rawinput.keyCombo(combo)
        else:
            rawinput.pressKey(combo)

    # --- screenshots -----------------------------------------------------------------------------

    def screenshot(self, path, window_only=True, window=None):
        """Saves the screen, or just a window of the app (its main window unless WINDOW, an
        accessible such as a dialog's 'frame', is given), as a PNG."""
        Gdk.init([])
        root_window = Gdk.get_default_root_window()
        if window_only:
            ext = (window or self.window).get_extents(Atspi.CoordType.SCREEN)
            x, y, w, h = ext.x, ext.y, ext.width, ext.height
        else:
            x, y, w, h = 0, 0, root_window.get_width(), root_window.get_height()
        # Let pending redraws reach the X server first.
        time.sleep(0.3)
        pixbuf = Gdk.pixbuf_get_from_window(root_window, x, y, w, h)
        if pixbuf is None:
            raise TestFailure('could not read the screen at %d,%d %dx%d' % (x, y, w, h))
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        pixbuf.savev(str(path), 'png', [], [])
        log('screenshot %dx%d saved to %s' % (w, h, path))
        return path
