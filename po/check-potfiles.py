#!/usr/bin/python3
"""Fails when a source or UI file with strings for translation is missing from po/POTFILES.in
(or when POTFILES.in names a file that is gone), so no user string escapes the translators."""
import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
listed = {l.strip() for l in (root / 'po' / 'POTFILES.in').read_text().splitlines()
          if l.strip() and not l.startswith('#')}
marker = {'.c': re.compile(r'\b(N?_|C_|g_dngettext|ngettext)\s*\('),
          '.ui': re.compile(r'translatable="yes"'),
          '.in': re.compile(r'^(Name|GenericName|Comment|Keywords)=|<(name|summary|p|caption)>', re.M),
          '.xml': re.compile(r'<summary>')}
needed = set()
for folder in ('src', 'ui-resources', 'data'):
    for path in sorted((root / folder).rglob('*')):
        pattern = marker.get(path.suffix)
        if pattern and path.is_file() and pattern.search(path.read_text(errors='replace')):
            needed.add(str(path.relative_to(root)))
missing = sorted(needed - listed)
gone = sorted(p for p in listed if not (root / p).exists())
for p in missing:
    print(f'not in po/POTFILES.in: {p}')
for p in gone:
    print(f'in po/POTFILES.in but missing: {p}')
sys.exit(1 if missing or gone else 0)
