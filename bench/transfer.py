#!/usr/bin/python3
"""Volume upload and download throughput: VM Desk's core (VmdStoragePool upload, VmdStorageVolume
download, each a VmdJob over libvirt streams; build/bench/vmdesk-transfer-bench) against
`virsh vol-upload` / `vol-download`, in the same run, on the same file and a directory pool of
the system daemon (qemu:///system, root).

    /usr/bin/python3 bench/transfer.py                 # 1 GiB, best of 3 rounds
    /usr/bin/python3 bench/transfer.py --mib 256 --rounds 1 --check

A round: virsh upload (vol-create-as + vol-upload), VM Desk upload (creates its volume), virsh
download, VM Desk download; the order of the two programs alternates between rounds, so neither
always gets the warmer page cache. virsh is timed as whole processes (it connects each time);
VM Desk as its job, from start to end (a window already connected, as a user sees it); VM Desk's
whole process is printed too. The machine may be busy with other work: each round's two
programs run back to back, so the round-by-round ratios (and their median) say more than the
best times when the load changes. Every download is compared with the source (sha256). --check makes
"VM Desk below 90 % of virsh" an error.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
URI = 'qemu:///system'
MIB = 1024 * 1024


def virsh(*args):
    return subprocess.run(['virsh', '-q', '-c', URI, *args], check=True, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def timed(argv):
    started = time.monotonic()
    out = subprocess.run(argv, check=True, capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout
    return time.monotonic() - started, out


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(4 * MIB), b''):
            digest.update(block)
    return digest.hexdigest()


def make_source(path, mib):
    with open(path, 'wb') as f:
        for _ in range(mib):
            f.write(os.urandom(MIB))


class Bench:
    def __init__(self, tool, mib, work):
        self.tool, self.mib, self.work = tool, mib, work
        self.pool = 'vmdesk-bench-xfer-%d' % os.getpid()
        self.pool_dir = '/var/lib/libvirt/images/%s' % self.pool
        self.source = str(work / 'source.img')
        self.bytes = mib * MIB
        self.results = {k: [] for k in ('virsh upload', 'vmdesk upload', 'vmdesk upload (process)',
                                        'virsh download', 'vmdesk download', 'vmdesk download (process)')}

    def set_up(self):
        make_source(self.source, self.mib)
        self.sum = sha256(self.source)
        virsh('pool-create-as', self.pool, 'dir', '--target', self.pool_dir, '--build')

    def tear_down(self):
        subprocess.run(['virsh', '-q', '-c', URI, 'pool-destroy', self.pool], capture_output=True)
        shutil.rmtree(self.pool_dir, ignore_errors=True)

    def record(self, what, seconds):
        self.results[what].append(seconds)
        print('# %-26s %6.2f s  %7.1f MiB/s' % (what, seconds, self.mib / seconds), flush=True)

    def delete(self, name):
        # libvirtd releases a volume a moment after the stream's end: retry briefly.
        for _ in range(50):
            if subprocess.run(['virsh', '-q', '-c', URI, 'vol-delete', '--pool', self.pool, name],
                              capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        virsh('vol-delete', '--pool', self.pool, name)

    def check(self, path):
        if sha256(path) != self.sum:
            raise SystemExit('%s differs from the source' % path)
        os.unlink(path)

    def virsh_round(self, i):
        name = 'virsh-%d.img' % i
        t1, _ = timed(['virsh', '-q', '-c', URI, 'vol-create-as', self.pool, name, str(self.bytes), '--format', 'raw'])
        t2, _ = timed(['virsh', '-q', '-c', URI, 'vol-upload', '--pool', self.pool, name, self.source])
        self.record('virsh upload', t1 + t2)
        target = str(self.work / ('virsh-%d.out' % i))
        t, _ = timed(['virsh', '-q', '-c', URI, 'vol-download', '--pool', self.pool, name, target])
        self.record('virsh download', t)
        self.check(target)
        self.delete(name)

    def vmdesk_round(self, i):
        name = 'vmdesk-%d.img' % i
        wall, out = timed([self.tool, URI, self.pool, 'upload', self.source, name])
        self.record('vmdesk upload', float(out.split()[0]))
        self.record('vmdesk upload (process)', wall)
        target = str(self.work / ('vmdesk-%d.out' % i))
        wall, out = timed([self.tool, URI, self.pool, 'download', name, target])
        self.record('vmdesk download', float(out.split()[0]))
        self.record('vmdesk download (process)', wall)
        self.check(target)
        self.delete(name)

    def run(self, rounds):
        for i in range(rounds):
            order = (self.virsh_round, self.vmdesk_round) if i % 2 == 0 else (self.vmdesk_round, self.virsh_round)
            for step in order:
                step(i)

    def report(self):
        best = {k: min(v) for k, v in self.results.items() if v}
        print('# %d MiB, best of %d rounds (MiB/s):' % (self.mib, len(self.results['virsh upload'])))
        for what in ('upload', 'download'):
            v, d, p = (self.mib / best['virsh ' + what], self.mib / best['vmdesk ' + what],
                       self.mib / best['vmdesk %s (process)' % what])
            ratios = sorted(a / b for a, b in zip(self.results['virsh ' + what], self.results['vmdesk ' + what]))
            print('%-8s virsh %7.1f   VM Desk %7.1f (%3.0f %%)   VM Desk process %7.1f   '
                  'round by round, VM Desk at %s %% of virsh (median %3.0f %%)'
                  % (what, v, d, 100 * d / v, p, ', '.join('%.0f' % (100 * r) for r in ratios),
                     100 * ratios[len(ratios) // 2]))
        return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--mib', type=int, default=1024)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--tool', default=str(ROOT / 'build' / 'bench' / 'vmdesk-transfer-bench'))
    parser.add_argument('--work', default='/var/lib/libvirt/vmdesk-tests')
    parser.add_argument('--check', action='store_true')
    args = parser.parse_args()
    work = Path(args.work) / ('bench-xfer-%d' % os.getpid())
    work.mkdir(parents=True)
    bench = Bench(args.tool, args.mib, work)
    try:
        bench.set_up()
        bench.run(args.rounds)
        best = bench.report()
    finally:
        bench.tear_down()
        shutil.rmtree(work, ignore_errors=True)
    if args.check:
        for what in ('upload', 'download'):
            if best['vmdesk ' + what] > best['virsh ' + what] / 0.9:
                print('VM Desk %s is below 90 %% of virsh' % what)
                return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
