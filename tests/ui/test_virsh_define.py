#!/usr/bin/python3
"""The machine list follows the real system daemon: a domain that `virsh define` makes shows up
within a second, in state "Shut off", and goes within a second of `virsh undefine`.

Needs root (for tests/harness/libvirt-up.sh, which it runs: idempotent, and it leaves the daemon
running for whoever runs next). Run inside tests/harness/ui-session.sh.
"""
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import (SYSTEM_URI, Tap, TestFailure, VmDesk, libvirt_up, log,  # noqa: E402
                     minimal_domain_xml, virsh, wait_until)

URI = SYSTEM_URI
MAX_LATENCY = 1.0      # seconds, from virsh's return to the list's change
NAME = 'vmdesk-ui-%s' % uuid.uuid4().hex[:8]
DOMAIN_XML = minimal_domain_xml(NAME, 64)

tap = Tap(6)


def daemon_up():
    libvirt_up()
    virsh('version')


def timed(what, started_before, started_after, change):
    """Waits for change(), then logs and checks the time it took since the command that caused
    it returned (started_after); the time since it was run (started_before) is logged too."""
    wait_until(what, change, timeout=MAX_LATENCY + 4)
    now = time.monotonic()
    latency = now - started_after
    log('%s: %.3fs after virsh returned (%.3fs after it started)'
        % (what, latency, now - started_before))
    if latency > MAX_LATENCY:
        raise TestFailure('%s took %.3fs, more than %.1fs' % (what, latency, MAX_LATENCY))


def main():
    if not tap.step('the system libvirt daemon answers', daemon_up):
        tap.bail_out('no system libvirt daemon')
        return 1
    defined = False
    try:
        with VmDesk('--connect', URI) as app:
            def connected():
                # The group row's State cell reads "No virtual machines yet" or "N machine(s)"
                # once connected ("Connecting…" or "Not connected" before or instead).
                def probe():
                    return any(state == 'No virtual machines yet' or
                               (state or '').endswith((' machine', ' machines'))
                               for _, state in app.rows())

                wait_until('the list to be connected to %s' % URI, probe, timeout=15,
                           seen=app.describe_rows)
                if app.find_name_cell(NAME) is not None:
                    raise TestFailure('a row "%s" is there before it was defined' % NAME)

            if not tap.step('vmdesk --connect %s connects' % URI, connected):
                tap.bail_out('vmdesk did not connect to %s' % URI)
                return 1

            def define():
                nonlocal defined
                with tempfile.NamedTemporaryFile('w', suffix='.xml', prefix=NAME) as f:
                    f.write(DOMAIN_XML)
                    f.flush()
                    before = time.monotonic()
                    virsh('define', f.name)
                    after = time.monotonic()
                defined = True
                timed('row "%s" to appear' % NAME, before, after,
                      lambda: app.find_name_cell(NAME) is not None)

            tap.step('virsh define: the row appears within %.0fs' % MAX_LATENCY, define)
            tap.step('the new machine is "Shut off"',
                     app.wait_for_state, NAME, 'Shut off', timeout=1)

            def undefine():
                nonlocal defined
                if not defined:
                    raise TestFailure('nothing to undefine: the define step failed')
                before = time.monotonic()
                virsh('undefine', NAME)
                after = time.monotonic()
                defined = False
                timed('row "%s" to go' % NAME, before, after,
                      lambda: app.find_name_cell(NAME) is None)

            tap.step('virsh undefine: the row goes within %.0fs' % MAX_LATENCY, undefine)
            tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    except TestFailure as e:  # from VmDesk.start: no app, no test
        tap.bail_out(str(e))
        return 1
    finally:
        # Whatever failed, leave no test domain behind in the system daemon.
        if defined or virsh('dominfo', NAME, check=False).returncode == 0:
            virsh('destroy', NAME, check=False)
            result = virsh('undefine', NAME, check=False)
            log('clean-up: undefined %s (%s)' % (NAME, 'ok' if result.returncode == 0
                                                 else result.stderr.strip()))
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
