#!/usr/bin/python3
"""Fails when a language in po/LINGUAS lacks a translation (untranslated or fuzzy) of any string
the sources hold now: the strings are extracted afresh with xgettext, as meson's glib preset
does, and merged into a copy of each .po file, so the check never depends on a stale .pot."""
import subprocess
import sys
import tempfile
from pathlib import Path

root = Path(sys.argv[1])
po = root / 'po'
files = [l.strip() for l in (po / 'POTFILES.in').read_text().splitlines()
         if l.strip() and not l.startswith('#')]
keywords = ['_', 'N_', 'C_:1c,2', 'NC_:1c,2', 'g_dcgettext:2', 'g_dngettext:2,3',
            'g_dpgettext2:2c,3']


def msgids(po_text):
    """The msgids of a .po text, each joined from its continuation lines; the header's empty
    msgid is left out."""
    ids, current = [], None
    for line in po_text.splitlines() + ['']:
        if line.startswith('msgid '):
            current = [line[6:]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        elif current is not None:
            text = ''.join(part.strip()[1:-1] for part in current)
            if text:
                ids.append(text)
            current = None
    return ids


failed = False
with tempfile.TemporaryDirectory() as tmp:
    pot = Path(tmp) / 'vmdesk.pot'
    subprocess.run(['xgettext', '--from-code=UTF-8', '--package-name=vmdesk', '-o', str(pot),
                    *('--keyword=' + k for k in keywords), *files],
                   cwd=root, check=True, stderr=subprocess.DEVNULL)
    for lang in (po / 'LINGUAS').read_text().split():
        merged = Path(tmp) / (lang + '.po')
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', str(merged),
                        str(po / (lang + '.po')), str(pot)], check=True)
        for flag, what in (('--untranslated', 'untranslated'), ('--only-fuzzy', 'fuzzy')):
            out = subprocess.run(['msgattrib', flag, '--no-obsolete', str(merged)],
                                 capture_output=True, text=True, check=True).stdout
            ids = msgids(out)
            for line in ids:
                print('%s.po: %s: "%s"' % (lang, what, line))
            failed = failed or bool(ids)
sys.exit(1 if failed else 0)
