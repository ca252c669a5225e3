#!/usr/bin/python3
"""Where a process's resident memory is: sums /proc/PID/smaps (a copy, from bench.py --smaps)
by mapping, largest first, split into file-backed and anonymous pages.

    /usr/bin/python3 bench/smaps-top.py FILE [TOP]
"""
import collections
import re
import sys


def read(path):
    """{mapping name: {field: KiB}}, mappings of one file added together."""
    totals = collections.defaultdict(collections.Counter)
    name = None
    header = re.compile(r'^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$')
    with open(path) as smaps:
        for line in smaps:
            match = header.match(line)
            if match:
                name = match.group(1) or '[anonymous]'
                continue
            field, _, value = line.partition(':')
            if value.strip().endswith('kB'):
                totals[name][field] += int(value.split()[0])
    return totals


def main():
    totals = read(sys.argv[1])
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    rss = sum(t['Rss'] for t in totals.values())
    anon = sum(t['Anonymous'] for t in totals.values())
    print('Rss %.1f MiB: %.1f MiB anonymous, %.1f MiB file-backed or shared'
          % (rss / 1024, anon / 1024, (rss - anon) / 1024))
    print('%9s %9s  %s' % ('Rss KiB', 'anon KiB', 'mapping'))
    for name, t in sorted(totals.items(), key=lambda item: -item[1]['Rss'])[:top]:
        print('%9d %9d  %s' % (t['Rss'], t['Anonymous'], name))


if __name__ == '__main__':
    main()
