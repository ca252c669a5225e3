#!/usr/bin/python3
"""The serial console under a flood: the tiny guest (tests/fixtures) writes N MiB of base64 to
its serial port as fast as it can, and each console shows it. Measured side by side, in one run:

- `virsh console`, read by this script and thrown away: the fastest a client can take the
  stream, so the rate the guest and libvirt allow;
- VM Desk (`vmdesk --show-console NAME`, its Serial view) and virt-manager
  (`virt-manager --show-domain-console NAME`, its serial terminal).

For each: the seconds from the command's Enter until its end marker shows (in the terminal, read
over AT-SPI: only the last characters, so the reading costs little), the rate that makes, the
program's CPU time over that span, and its VmRSS before and after and its VmHWM. A console that
keeps up shows the marker as soon as `virsh console` does; one that keeps its scrollback bounded
ends with the memory it started with, give or take.

    /usr/bin/python3 bench/console.py [--mib 4] [--only vmdesk|virt-manager]

Root, the system daemon (tests/harness/libvirt-up.sh) and the tiny guest are set up here.
Enters its own tests/harness/ui-session.sh session, as bench.py does.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / 'tests' / 'ui'))
sys.path.insert(0, str(REPO_ROOT / 'bench'))
from bench import CLK_TCK, find_app, proc_cpu_ticks, proc_status_kib, warm_up_x_server  # noqa: E402

URI = 'qemu:///system'
NAME = 'vmdesk-bench-console-%s' % uuid.uuid4().hex[:8]
POOL_DIR = Path('/var/lib/libvirt/images') / NAME
GUEST_CACHE = REPO_ROOT / 'tests' / 'fixtures' / 'cache'
END_MARKER = '-END-'

# Serial only, as a server or an installer over console=ttyS0 runs.
DOMAIN_XML = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{pool}/vmlinuz</kernel>
    <initrd>{pool}/initrd</initrd>
    <cmdline>console=ttyS0</cmdline>
  </os>
  <devices>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='none'/>
  </devices>
</domain>
"""


def log(message):
    print('# ' + message, flush=True)


def run(*args, timeout=600):
    subprocess.run([str(a) for a in args], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, timeout=timeout)


def virsh(*args, check=True):
    return subprocess.run(['virsh', '-q', '-c', URI, *args], check=check, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL).stdout


def flood_command(mib):
    # The marker is split in the command, so that its echo never matches.
    return 'head -c %d /dev/urandom | base64; echo -EN""D-\n' % (mib * 1024 * 1024)


def set_up():
    run(REPO_ROOT / 'tests' / 'harness' / 'libvirt-up.sh')
    run(REPO_ROOT / 'tests' / 'fixtures' / 'build-tiny-guest.sh', GUEST_CACHE)
    # QEMU runs as libvirt-qemu and cannot read the checkout: the guest's files go where it can.
    POOL_DIR.mkdir(mode=0o755, parents=True)
    for name in ('vmlinuz', 'initrd'):
        shutil.copy(GUEST_CACHE / name, POOL_DIR / name)
        os.chmod(POOL_DIR / name, 0o644)
    with tempfile.NamedTemporaryFile('w', suffix='.xml') as f:
        f.write(DOMAIN_XML.format(name=NAME, pool=POOL_DIR))
        f.flush()
        virsh('define', f.name)
    virsh('start', NAME)


def tear_down():
    virsh('destroy', NAME, check=False)
    virsh('undefine', NAME, check=False)
    shutil.rmtree(POOL_DIR, ignore_errors=True)


# --- virsh console: the baseline ---------------------------------------------------------------

def measure_virsh(mib):
    """`virsh console` on a pseudo-terminal (it wants one), its output read and dropped here."""
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp('virsh', ['virsh', '-c', URI, 'console', NAME, '--force'])
    tail = ''

    def read_until(text, timeout):
        nonlocal tail
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                tail = (tail + os.read(fd, 65536).decode('utf-8', 'replace'))[-400:]
                if text in tail:
                    return True
            else:
                os.write(fd, b'\n')   # a prompt, if the shell has not printed one yet
        return False

    try:
        if not read_until('#', 60):
            raise RuntimeError('virsh console: no shell prompt')
        time.sleep(0.5)
        read_until('\0', 0.5)  # drain
        tail = ''
        started = time.monotonic()
        os.write(fd, flood_command(mib).encode())
        if not read_until(END_MARKER, 600):
            raise RuntimeError('virsh console: no end marker')
        return {'program': 'virsh console', 'seconds': time.monotonic() - started}
    finally:
        os.write(fd, b'\x1d')   # Ctrl+]: virsh console's way out; it ignores SIGTERM
        for _ in range(50):
            if os.waitpid(pid, os.WNOHANG)[0] != 0:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)


# --- the two programs, through AT-SPI ----------------------------------------------------------

class Console:
    label = None
    terminal_name = None

    def command(self):
        raise NotImplementedError


class VmDeskConsole(Console):
    label = 'VM Desk'
    terminal_name = 'Serial console'

    def __init__(self, binary):
        self.binary = binary

    def command(self):
        return [self.binary, '--connect', URI, '--show-console', NAME]


class VirtManagerConsole(Console):
    label = 'virt-manager'
    terminal_name = 'Serial Terminal'

    def command(self):
        return ['virt-manager', '--no-fork', '--connect', URI, '--show-domain-console', NAME]


def tail_of(Atspi, term, chars=300):
    count = Atspi.Text.get_character_count(term)
    return Atspi.Text.get_text(term, max(0, count - chars), count) or ''


def measure_program(console, mib):
    from vmdtest import center, find_one, rawinput, wait_until
    from gi.repository import Atspi

    process = subprocess.Popen(console.command(), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        app = wait_until('%s on the accessibility bus' % console.label,
                         lambda: find_app(Atspi, process.pid), 30)
        term = wait_until('its serial terminal',
                          lambda: find_one(app, 'terminal', console.terminal_name), 30)
        x, y = center(term)
        rawinput.click(x, y)
        time.sleep(0.3)
        wait_until('a shell prompt', lambda: (rawinput.typeText('\n') or time.sleep(0.5) or True)
                   and '#' in tail_of(Atspi, term), 60)
        time.sleep(1)
        result = {'program': console.label, 'rss_before': proc_status_kib(process.pid, 'VmRSS') / 1024}
        cpu0 = proc_cpu_ticks(process.pid) / CLK_TCK
        rawinput.typeText(flood_command(mib)[:-1])
        started = time.monotonic()
        rawinput.pressKey('Return')
        # Looked for every 0.1 s: each look costs the program an AT-SPI call.
        wait_until('the end marker in its terminal',
                   lambda: time.sleep(0.08) or END_MARKER in tail_of(Atspi, term), 900)
        result['seconds'] = time.monotonic() - started
        result['cpu_s'] = proc_cpu_ticks(process.pid) / CLK_TCK - cpu0
        time.sleep(2)  # its last redraws
        result['rss_after'] = proc_status_kib(process.pid, 'VmRSS') / 1024
        result['hwm'] = proc_status_kib(process.pid, 'VmHWM') / 1024
        return result
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def report(results, mib):
    megabytes = mib * 1024 * 1024 * 4 / 3 / 1e6   # base64 text, newlines aside
    print('\n%d MiB of random bytes as base64 (%.1f MB of text) on the serial port\n'
          % (mib, megabytes))
    print('%-16s %10s %9s %10s %11s %10s %9s'
          % ('', 'seconds', 'MB/s', 'CPU (s)', 'RSS before', 'RSS after', 'VmHWM'))
    for r in results:
        print('%-16s %10.1f %9.2f %10s %11s %10s %9s'
              % (r['program'], r['seconds'], megabytes / r['seconds'],
                 '%.1f' % r['cpu_s'] if 'cpu_s' in r else '-',
                 '%.1f MiB' % r['rss_before'] if 'rss_before' in r else '-',
                 '%.1f MiB' % r['rss_after'] if 'rss_after' in r else '-',
                 '%.1f MiB' % r['hwm'] if 'hwm' in r else '-'))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--mib', type=int, default=4, help='MiB of random bytes sent as base64')
    parser.add_argument('--only', choices=('vmdesk', 'virt-manager'))
    parser.add_argument('--vmdesk', default=str(REPO_ROOT / 'build-bench' / 'src' / 'vmdesk'))
    args = parser.parse_args()
    if not os.environ.get('VMDESK_UI_SESSION'):
        ui_session = REPO_ROOT / 'tests' / 'harness' / 'ui-session.sh'
        os.execv(str(ui_session), [str(ui_session), sys.executable, *sys.argv])

    warm_up_x_server()
    programs = []
    if args.only != 'virt-manager':
        programs.append(VmDeskConsole(args.vmdesk))
    if args.only != 'vmdesk':
        programs.append(VirtManagerConsole())
    results = []
    set_up()
    try:
        results.append(measure_virsh(args.mib))
        log('virsh console: %.1f s' % results[-1]['seconds'])
        for console in programs:
            results.append(measure_program(console, args.mib))
            log('%s: %s' % (console.label, results[-1]))
    finally:
        tear_down()
    report(results, args.mib)
    return 0


if __name__ == '__main__':
    sys.exit(main())
