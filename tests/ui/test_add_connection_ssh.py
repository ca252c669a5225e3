#!/usr/bin/python3
"""Add Connection to a host over SSH (issue 16), against the second host of
tests/harness/second-host-up.sh, the app in the first host's network namespace:

- a host whose key is not known: Connect shows its key's fingerprint (the one `ssh-keygen -l`
  gives for the host's key) and stays off until "Trust this host" is ticked; then it connects,
  the host's group row is listed, and its key is in the known_hosts file;
- a host whose key changed: Connect says so and stays off; nothing is added;
- qemu+ssh:// with a password (no key), its URI written from the Connect to, User and Host
  fields (a bad host name refused there): after the host key is trusted, ssh's question
  ("vmdesk-remote@10.213.0.2's password:") comes in VM Desk's own "Password Needed" dialog
  (vmdesk-askpass), the password typed there connects. HOME is a temporary folder for that run,
  whose ~/.ssh/known_hosts the trusted key goes to.

The URIs name their known_hosts file (a temporary one; libvirt's libssh transport reads it), so
the user's own ~/.ssh is not touched. Needs root. Run inside tests/harness/ui-session.sh.
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import REPO_ROOT, Tap, TestFailure, VmDesk, find_all, find_one, is_sensitive, is_showing, log, wait_until  # noqa: E402
from gi.repository import Atspi  # noqa: E402

CLIENT = '/run/vmdesk-host-b/client'
HOST_PUB = '/run/vmdesk-host-b/host/ssh_host_ed25519_key.pub'
B_TITLE = 'QEMU/KVM on 10.213.0.2'

tap = Tap(8)


def uri(known_hosts):
    return ('qemu+libssh://vmdesk-remote@10.213.0.2/system?keyfile=%s/id_ed25519'
            '&known_hosts=%s&sshauth=privkey' % (CLIENT, known_hosts))


class InFirstHostNamespace(VmDesk):
    """The app started through `ip netns exec vmdesk-libvirt` (which execs it: same pid)."""

    def __init__(self, *args, env=None):
        super().__init__(*args, env=env)
        self.args = [shutil.which('ip'), 'netns', 'exec', 'vmdesk-libvirt', *self.args]


def text_of(acc):
    return Atspi.Text.get_text(acc, 0, Atspi.Text.get_character_count(acc)) or ''


def dialog(app):
    return find_one(app.app, 'dialog', 'Add Connection')


def open_dialog(app, known_hosts):
    app.click(wait_until('the "Main menu" button',
                         lambda: find_one(app.window, 'toggle button', 'Main menu')))
    app.click(wait_until('"Add Connection…"',
                         lambda: find_one(app.window, 'push button', 'Add Connection…')))
    entry = wait_until('the URI entry', lambda: find_one(dialog(app), 'text', 'Connection URI'))
    Atspi.EditableText.set_text_contents(entry, uri(known_hosts))
    connect = find_one(dialog(app), 'push button', 'Connect')
    wait_until('Connect to turn on', lambda: is_sensitive(connect))
    connect.do_action(0)


def fingerprint():
    out = subprocess.run(['ssh-keygen', '-l', '-E', 'sha256', '-f', HOST_PUB], check=True,
                         capture_output=True, text=True).stdout
    return out.split()[1]


def unknown_shown(app, known_hosts):
    open_dialog(app, known_hosts)
    label = wait_until('the host key to be shown',
                       lambda: (lambda l: l if l is not None and is_showing(l) else None)(
                           find_one(dialog(app), 'label', 'Host key')), timeout=30)
    log('shown: %s' % text_of(label))
    if fingerprint() not in text_of(label):
        raise TestFailure('the fingerprint %s is not in %r' % (fingerprint(), text_of(label)))
    if is_sensitive(find_one(dialog(app), 'push button', 'Connect')):
        raise TestFailure('Connect is on before the host is trusted')
    if Path(known_hosts).read_text():
        raise TestFailure('known_hosts was written before the key was trusted')


def trusted_connects(app, known_hosts):
    find_one(dialog(app), 'check box', 'Trust this host').do_action(0)
    connect = find_one(dialog(app), 'push button', 'Connect')
    wait_until('Connect to turn on', lambda: is_sensitive(connect))
    connect.do_action(0)
    wait_until('the dialog to close', lambda: dialog(app) is None, timeout=30)
    wait_until('"%s" connected in the list' % B_TITLE,
               lambda: any(name == B_TITLE and state is not None and
                           (state == 'No virtual machines yet' or 'machine' in state)
                           for name, state in app.rows()), timeout=60,
               seen=app.describe_rows)
    text = Path(known_hosts).read_text()
    if '10.213.0.2 ssh-ed25519 ' not in text:
        raise TestFailure('the key is not in known_hosts: %r' % text)


def changed_refused(app):
    open_dialog(app, CLIENT + '/known_hosts_changed')
    problem = wait_until('the change to be said',
                         lambda: (lambda l: l if l is not None and is_showing(l) and
                                  'has changed' in text_of(l) else None)(
                             find_one(dialog(app), 'label', 'Connection URI problem')), timeout=30)
    log('said: %s' % text_of(problem))
    if is_sensitive(find_one(dialog(app), 'push button', 'Connect')):
        raise TestFailure('Connect is on for a changed host key')
    find_one(dialog(app), 'push button', 'Cancel').do_action(0)
    wait_until('the dialog to close', lambda: dialog(app) is None)


def build_uri(app, entry):
    """Connect to › over SSH, a user and a host: the URI is written from them; a host name with a
    space is refused in the URI's problem line."""
    # As a user does: the combo's popup, then its item (an item activated unshown upsets GDK).
    app.click(wait_until('"Connect to"', lambda: find_one(dialog(app), 'combo box', 'Connect to')))
    item = wait_until('"Another computer, over SSH"',
                      lambda: next((n for n in find_all(app.app, 'menu item')
                                    if n.get_name() == 'Another computer, over SSH' and is_showing(n)),
                                   None))
    app.click(item)
    user = wait_until('the User field', lambda: (lambda e: e if e is not None and is_sensitive(e) else None)(
        find_one(dialog(app), 'text', 'User')))
    host = find_one(dialog(app), 'text', 'Host')
    Atspi.EditableText.set_text_contents(user, 'vmdesk-remote')
    Atspi.EditableText.set_text_contents(host, '10.213 .0.2')
    wait_until('a bad host refused', lambda: 'character' in text_of(
        find_one(dialog(app), 'label', 'Connection URI problem')))
    Atspi.EditableText.set_text_contents(host, '10.213.0.2')
    wait_until('the URI written from the fields',
               lambda: text_of(entry) == 'qemu+ssh://vmdesk-remote@10.213.0.2/system',
               seen=lambda: repr(text_of(entry)))


def password_connects(app, home):
    Path(home, '.ssh').mkdir(mode=0o700)
    app.click(wait_until('the "Main menu" button',
                         lambda: find_one(app.window, 'toggle button', 'Main menu')))
    app.click(wait_until('"Add Connection…"',
                         lambda: find_one(app.window, 'push button', 'Add Connection…')))
    entry = wait_until('the URI entry', lambda: find_one(dialog(app), 'text', 'Connection URI'))
    build_uri(app, entry)
    Atspi.EditableText.set_text_contents(
        entry, text_of(entry) + '?command=%s/ssh_password' % CLIENT)
    connect = find_one(dialog(app), 'push button', 'Connect')
    wait_until('Connect to turn on', lambda: is_sensitive(connect))
    connect.do_action(0)
    wait_until('the host key to be shown',
               lambda: (lambda l: l if l is not None and is_showing(l) else None)(
                   find_one(dialog(app), 'label', 'Host key')), timeout=30)
    find_one(dialog(app), 'check box', 'Trust this host').do_action(0)
    wait_until('Connect to turn on', lambda: is_sensitive(connect))
    connect.do_action(0)
    wait_until('the dialog to close', lambda: dialog(app) is None, timeout=30)
    asked = wait_until('the "Password Needed" dialog',
                       lambda: find_one(app.app, 'dialog', 'Password Needed'), timeout=60)
    question = find_one(asked, 'label', 'Question')
    log('asked: %s' % text_of(question))
    if "vmdesk-remote@10.213.0.2's password" not in text_of(question):
        raise TestFailure('unexpected question: %r' % text_of(question))
    answer = find_one(asked, 'password text', 'Answer') or find_one(asked, 'text', 'Answer')
    if answer is None:
        raise TestFailure('no answer entry')
    Atspi.EditableText.set_text_contents(answer, Path(CLIENT, 'password').read_text().strip())
    find_one(asked, 'push button', 'OK').do_action(0)
    wait_until('the question to close',
               lambda: find_one(app.app, 'dialog', 'Password Needed') is None)
    wait_until('"%s" connected in the list' % B_TITLE,
               lambda: any(name == B_TITLE and state is not None and
                           (state == 'No virtual machines yet' or 'machine' in state)
                           for name, state in app.rows()), timeout=60,
               seen=app.describe_rows)
    if '10.213.0.2 ssh-ed25519 ' not in Path(home, '.ssh', 'known_hosts').read_text():
        raise TestFailure('the trusted key is not in ~/.ssh/known_hosts')


def main():
    subprocess.run([str(REPO_ROOT / 'tests' / 'harness' / 'second-host-up.sh')], check=True,
                   stdin=subprocess.DEVNULL, timeout=300)
    folder = tempfile.TemporaryDirectory(prefix='vmdesk-ui-known-')
    known_hosts = str(Path(folder.name) / 'known_hosts')
    Path(known_hosts).write_text('')
    try:
        with InFirstHostNamespace('--connect', 'test:///default') as app:
            app.wait_for_row('test')
            if not tap.step('an unknown host key is shown with its fingerprint, Connect off',
                            unknown_shown, app, known_hosts):
                tap.bail_out('no host key shown')
                return tap.finish()
            tap.step('trusted, it connects and the key is in known_hosts',
                     trusted_connects, app, known_hosts)
            tap.step('a changed host key is refused, saying so', changed_refused, app)
            tap.step('only the trusted connection was added', lambda: wait_until(
                'one group for the second host',
                lambda: [n for n, _ in app.rows() if n.startswith(B_TITLE)] == [B_TITLE],
                seen=app.describe_rows))
            tap.step('vmdesk logged no criticals or warnings', app.check_log)
        home = tempfile.TemporaryDirectory(prefix='vmdesk-ui-home-')
        with InFirstHostNamespace('--connect', 'test:///default', env={'HOME': home.name}) as app:
            app.wait_for_row('test')
            tap.step('the app is up again, HOME a new folder', lambda: None)
            tap.step('qemu+ssh with a password: asked in VM Desk\'s dialog, typed there, connected',
                     password_connects, app, home.name)
            tap.step('vmdesk logged no criticals or warnings', app.check_log)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
