#!/usr/bin/python3
"""Live migration with the disk copied: VM Desk's core (vmd_machine_migrate, a VmdJob;
build/bench/vmdesk-migrate-bench) against `virsh migrate --live --copy-storage-all --persistent
--undefinesource`, in the same run, from the first libvirt host (qemu:///system) to the second
(tests/harness/second-host-up.sh, over SSH with qemu+libssh), with the tiny guest and a 1 GiB
qcow2 disk full of random data. Root; both clients run in the first host's network namespace.

    /usr/bin/python3 bench/migrate.py                    # 1 GiB, 3 rounds
    /usr/bin/python3 bench/migrate.py --mib 256 --rounds 1 --check

A round migrates a freshly started guest once with each program (their order alternates between
rounds), each time from A to B, the copy on B then removed. virsh is timed as its whole process
(it connects to both hosts first); VM Desk as its job, from Migrate to the end (both connections
already open, as in the window). Downtime: libvirt's completed job statistics on the target (the
job's for VM Desk, `virsh domjobinfo --completed` for virsh). --check makes a VM Desk total time
more than 10 % above virsh's (median of the rounds) an error.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
A_URI = 'qemu:///system'
CLIENT = '/run/vmdesk-host-b/client'
B_URI = ('qemu+libssh://vmdesk-remote@10.213.0.2/system?keyfile=%s/id_ed25519'
         '&known_hosts=%s/known_hosts&sshauth=privkey' % (CLIENT, CLIENT))
B_LOCAL = 'qemu:///system?socket=/run/vmdesk-host-b/run-libvirt/libvirt-sock'
NAME = 'vmdesk-bench-migrate-%d' % os.getpid()
POOL = NAME + '-pool'
POOL_DIR = '/var/lib/libvirt/images/' + POOL
B_OUTSIDE = '/var/lib/vmdesk-host-b/lib/images/' + POOL
GUEST = ROOT / 'tests' / 'fixtures' / 'cache'
TOOL = ROOT / 'build' / 'bench' / 'vmdesk-migrate-bench'
IN_A = ['ip', 'netns', 'exec', 'vmdesk-libvirt']


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, **kwargs)


def virsh(uri, *args, check=True):
    result = subprocess.run(['virsh', '-q', '-c', uri, *args], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise SystemExit('virsh %s: %s' % (' '.join(args), result.stderr.strip()))
    return result


def domain_xml():
    return """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{dir}/vmlinuz</kernel><initrd>{dir}/initrd</initrd><cmdline>console=ttyS0</cmdline></os>
  <on_reboot>destroy</on_reboot>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='{dir}/disk.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='none'/>
  </devices>
</domain>
""".format(name=NAME, dir=POOL_DIR)


def set_up(mib, work):
    run([str(ROOT / 'tests' / 'harness' / 'second-host-up.sh')], timeout=300)
    for folder in (POOL_DIR, B_OUTSIDE):
        os.makedirs(folder, exist_ok=True)
        for name in ('vmlinuz', 'initrd'):
            shutil.copy(GUEST / name, Path(folder) / name)
            os.chmod(Path(folder) / name, 0o644)
    virsh(A_URI, 'pool-create-as', POOL, 'dir', '--target', POOL_DIR)
    virsh(B_LOCAL, 'pool-create-as', POOL, 'dir', '--target', POOL_DIR)
    raw = Path(work) / 'disk.raw'
    with open(raw, 'wb') as f:
        for _ in range(mib):
            f.write(os.urandom(1024 * 1024))
    run(['qemu-img', 'convert', '-f', 'raw', '-O', 'qcow2', str(raw), str(Path(work) / 'disk.qcow2')])
    raw.unlink()
    (Path(work) / 'domain.xml').write_text(domain_xml())


def start_guest(work):
    shutil.copy(Path(work) / 'disk.qcow2', Path(POOL_DIR) / 'disk.qcow2')
    virsh(A_URI, 'pool-refresh', POOL)
    virsh(A_URI, 'define', str(Path(work) / 'domain.xml'))
    virsh(A_URI, 'start', NAME)
    time.sleep(3)   # the guest's kernel up: its memory is what it will be


def clean_b():
    virsh(B_LOCAL, 'destroy', NAME, check=False)
    virsh(B_LOCAL, 'undefine', NAME, check=False)
    virsh(B_LOCAL, 'pool-refresh', POOL, check=False)
    virsh(B_LOCAL, 'vol-delete', 'disk.qcow2', '--pool', POOL, check=False)


def tear_down():
    for uri in (A_URI, B_LOCAL):
        virsh(uri, 'destroy', NAME, check=False)
        virsh(uri, 'undefine', NAME, check=False)
        virsh(uri, 'pool-destroy', POOL, check=False)
    shutil.rmtree(POOL_DIR, ignore_errors=True)
    shutil.rmtree(B_OUTSIDE, ignore_errors=True)


def with_vmdesk():
    out = run(IN_A + [str(TOOL), A_URI, B_URI, NAME], timeout=900).stdout.split()
    return float(out[0]), int(out[1])


def with_virsh():
    started = time.monotonic()
    run(IN_A + ['virsh', '-q', '-c', A_URI, 'migrate', '--live', '--copy-storage-all',
                '--persistent', '--undefinesource', NAME, B_URI], timeout=900)
    seconds = time.monotonic() - started
    info = virsh(B_LOCAL, 'domjobinfo', '--completed', NAME).stdout
    match = re.search(r'Total downtime:\s+(\d+)\s*ms', info)
    return seconds, int(match.group(1)) if match else -1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--mib', type=int, default=1024)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--check', action='store_true')
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit('run as root')
    if not TOOL.exists():
        raise SystemExit('%s missing: ninja -C build' % TOOL)
    work = tempfile.mkdtemp(prefix='vmdesk-bench-migrate-', dir='/var/tmp')
    results = {'VM Desk': [], 'virsh': []}
    try:
        set_up(args.mib, work)
        print('%d MiB disk of random data, %d round(s)' % (args.mib, args.rounds))
        for r in range(args.rounds):
            order = [('VM Desk', with_vmdesk), ('virsh', with_virsh)]
            if r % 2:
                order.reverse()
            for label, how in order:
                start_guest(work)
                seconds, downtime = how()
                results[label].append((seconds, downtime))
                print('round %d  %-8s total %7.2f s  downtime %5d ms' % (r + 1, label, seconds, downtime),
                      flush=True)
                clean_b()
    finally:
        tear_down()
        shutil.rmtree(work, ignore_errors=True)
    med = {k: (statistics.median(s for s, _ in v), statistics.median(d for _, d in v))
           for k, v in results.items()}
    for label, (seconds, downtime) in med.items():
        print('median   %-8s total %7.2f s  downtime %5d ms' % (label, seconds, downtime))
    ratio = med['VM Desk'][0] / med['virsh'][0]
    print('VM Desk / virsh total time: %.2f' % ratio)
    if args.check and ratio > 1.10:
        print('FAIL: VM Desk more than 10 % slower than virsh')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
