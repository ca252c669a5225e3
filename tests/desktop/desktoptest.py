"""What the desktop suite's tests share, on top of tests/ui/vmdtest.py: they run as an
unprivileged user (tests/desktop/run-desktop-test.sh), so libvirt is reached as that user:
qemu:///session (the daemon libvirt's client starts for the user) and qemu:///system (through
the libvirt group's polkit rule, or refused)."""
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'ui'))
from vmdtest import TestFailure, find_all, find_one, wait_until  # noqa: E402,F401

SESSION_URI = 'qemu:///session'
SYSTEM_URI = 'qemu:///system'
# The connections' group rows, as vmd_connection_title_for_uri names them.
SESSION_TITLE = 'QEMU/KVM User session'
SYSTEM_TITLE = 'QEMU/KVM'
CONNECTED_STATES = ('No virtual machines yet',)
# The user's pool, where creation puts disks on qemu:///session.
USER_IMAGES = Path(os.environ.get('XDG_DATA_HOME') or Path.home() / '.local' / 'share') \
    / 'libvirt' / 'images'


def virsh(uri, *args, check=True, timeout=60):
    """`virsh -q -c URI ARGS` as this (unprivileged) user; the CompletedProcess."""
    result = subprocess.run(['virsh', '-q', '-c', uri, *args], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise TestFailure('virsh -c %s %s failed (%d): %s' % (uri, ' '.join(args),
                                                               result.returncode,
                                                               result.stderr.strip()))
    return result


def domain_xml(uri, name):
    return ElementTree.fromstring(virsh(uri, 'dumpxml', name).stdout)


def is_connected_state(state):
    state = state or ''
    return state in CONNECTED_STATES or state.endswith((' machine', ' machines'))


def group_row(app, title):
    """(name, state) of the group row of the connection TITLE, or None. A failed connection's
    row holds its title, then its reason on the next line. With no machine anywhere the window
    shows its empty state instead of the list: each connection's status there ("TITLE:
    status"), read as the list would say it."""
    if find_one(app.window, 'tree table', 'Virtual machines') is None:
        return empty_state_row(app, title)
    for name, state in app.rows():
        if name == title or name.startswith(title + '\n'):
            return name, state
    return None


def empty_state_row(app, title):
    for item in find_all(app.window, 'list item'):
        name = item.get_name() or ''
        if not name.startswith(title + ': '):
            continue
        status = name[len(title) + 2:]
        if is_connected_state(status):
            return title, status
        return title + '\n' + status, 'Not connected'
    return None


def wait_group_connected(app, title, timeout=60):
    """Waits for connection TITLE's row to say it is connected (a first qemu:///session
    starts its daemon, which probes QEMU: seconds under TCG)."""
    return wait_until('the row "%s" to be connected' % title,
                      lambda: (lambda row: row if row and is_connected_state(row[1]) else None)(
                          group_row(app, title)),
                      timeout, seen=app.describe_rows)


def chosen(combo):
    """A combo box's chosen item (GTK 3 gives a combo box the Selection interface)."""
    from gi.repository import Atspi
    if Atspi.Selection.get_n_selected_children(combo) < 1:
        return None
    return Atspi.Selection.get_selected_child(combo, 0).get_name()


def me():
    return os.environ.get('USER') or str(os.getuid())
