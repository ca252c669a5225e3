#!/usr/bin/python3
"""Fails (TAP) when VM Desk's sources
  1. run a shell: system(), popen(), g_spawn_command_line_*(), exec*() of /bin/sh, "sh -c",
     or build a command line with g_shell_quote() / g_shell_parse_argv();
  2. build XML for libvirt by printf-ing text into markup without escaping it: a printf-family
     call whose format holds an element or attribute and a %s, other than
     g_markup_printf_escaped(). The few that are safe (every %s is markup escaped already) are
     listed below, each with the reason; a new one fails until it is escaped or reviewed here.
  3. build markup by concatenation: g_strconcat() with a literal that opens an element.

    check-source.py SRC_DIR
A self-check runs first on snippets that must and must not be caught, so a broken pattern
cannot pass silently.
"""
import re
import sys
from pathlib import Path

SHELL_CALLS = [
    (re.compile(r'(?<![\w.>])system\s*\('), 'system()'),
    (re.compile(r'(?<![\w.>])popen\s*\('), 'popen()'),
    (re.compile(r'\bg_spawn_command_line_\w+\s*\('), 'g_spawn_command_line_*()'),
    (re.compile(r'\bg_shell_(quote|parse_argv)\s*\('), 'a shell command line (g_shell_*)'),
    (re.compile(r'\bexecl\w*\s*\('), 'execl*()'),
]
SHELL_STRINGS = [
    (re.compile(r'"/bin/(ba|da)?sh"'), '"/bin/sh"'),
    (re.compile(r'"(ba|da)?sh"\s*,\s*"-c"'), '"sh", "-c"'),
]
PRINTF = re.compile(r'\b(g_strdup_printf|g_string_printf|g_string_append_printf|sprintf|snprintf|'
                    r'g_snprintf|g_strdup_vprintf|asprintf)\s*\(')
CONCAT = re.compile(r'\bg_strconcat\s*\(')
MARKUP = re.compile(r'<[A-Za-z_/][\w:-]*|\w+=[\'"]%')
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')

# (file name, a piece of the format): reviewed, every %s in it is escaped before the call.
REVIEWED = {
    ('vmd-machine-spec.c', "<serial type='pty'>%s<target port='0'/></serial>"):
        'the %s is <log/> made with g_markup_printf_escaped() just above',
    ('vmd-machine-details.c', '<name>%s</name>'):
        'the %s is g_markup_escape_text() of the snapshot name',
    ('vmd-machine-details.c', '<description>%s</description>'):
        'the %s is g_markup_escape_text() of the description',
    # XPath, evaluated by libxml2 here, never sent to libvirt. A quote in the value would end the
    # literal early (a wrong match or none, not an injection into libvirt); the values are MACs and
    # target names that libvirt has validated in the XML they come from.
    ('vmd-machine-config.c', "/domain/devices/interface[mac/@address='%s']"):
        'XPath over a MAC address from libvirt\'s own XML',
    ('vmd-machine-config.c', "/domain/devices/disk[target/@dev='%s']"):
        'XPath over a target name from libvirt\'s own XML',
}


def strip_comments(text):
    """Blanks out comments (keeping line numbers), leaving string literals."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:end]))
            i = end
        elif text.startswith('//', i):
            end = text.find('\n', i)
            end = n if end < 0 else end
            out.append(' ' * (end - i))
            i = end
        elif text[i] == '"':
            m = LITERAL.match(text, i)
            end = m.end() if m else i + 1
            out.append(text[i:end])
            i = end
        elif text[i] == "'":
            m = re.compile(r"'(?:[^'\\\n]|\\.)*'").match(text, i)
            end = m.end() if m else i + 1
            out.append(text[i:end])
            i = end
        else:
            out.append(text[i])
            i += 1
    return ''.join(out)


def blank_strings(text):
    return LITERAL.sub(lambda m: '"' + ' ' * (len(m.group(0)) - 2) + '"', text)


def call_format(text, start):
    """The string literals that begin the call's arguments at start, joined (C concatenation)."""
    i, parts = start, []
    while True:
        while i < len(text) and text[i] in ' \t\n':
            i += 1
        # Skip a first non-literal argument (g_string_append_printf (xml, "...")).
        m = LITERAL.match(text, i)
        if m is None:
            if parts:
                break
            comma = text.find(',', i)
            paren = text.find(')', i)
            if comma < 0 or (0 <= paren < comma):
                break
            i = comma + 1
            continue
        parts.append(m.group(1))
        i = m.end()
    return ''.join(parts)


def check_text(name, text):
    """Problems in one file's text: [(line, message)]."""
    problems = []
    code = strip_comments(text)
    bare = blank_strings(code)
    line_of = lambda pos: code.count('\n', 0, pos) + 1
    for pattern, what in SHELL_CALLS:
        for m in pattern.finditer(bare):
            problems.append((line_of(m.start()), 'calls %s' % what))
    for pattern, what in SHELL_STRINGS:
        for m in pattern.finditer(code):
            problems.append((line_of(m.start()), 'runs a shell (%s)' % what))
    for m in PRINTF.finditer(bare):
        fmt = call_format(code, m.end())
        if '%s' in fmt and MARKUP.search(fmt):
            if any(file == name and piece in fmt for file, piece in REVIEWED):
                continue
            problems.append((line_of(m.start()), '%s() puts unescaped text into markup "%s": use '
                             'libvirt-gconfig or g_markup_printf_escaped()' % (m.group(1), fmt)))
    for m in CONCAT.finditer(bare):
        fmt = call_format(code, m.end())
        if re.search(r'<[A-Za-z_]', fmt):
            problems.append((line_of(m.start()), 'g_strconcat() builds markup: use libvirt-gconfig '
                             'or g_markup_printf_escaped()'))
    return problems


def self_check():
    must_catch = {
        'system': 'int f (void) { return system ("rm -rf /"); }',
        'popen': 'FILE *f = popen (cmd, "r");',
        'spawn line': 'g_spawn_command_line_sync (line, NULL, NULL, NULL, NULL);',
        'shell quote': 'char *q = g_shell_quote (path);',
        'sh -c': 'const char *argv[] = { "sh", "-c", cmd, NULL };',
        '/bin/sh': 'execv ("/bin/sh", argv);',
        'printf xml': 'xml = g_strdup_printf ("<name>%s</name>", name);',
        'printf attr': 'xml = g_strdup_printf ("<source file=\'%s\'/>", path);',
        'append xml': 'g_string_append_printf (xml, "<disk>" "<source file=\'%s\'/>", path);',
        'concat xml': 'xml = g_strconcat ("<name>", name, "</name>", NULL);',
    }
    must_pass = {
        'escaped': 'xml = g_markup_printf_escaped ("<name>%s</name>", name);',
        'message': 'msg = g_strdup_printf (_("Could not start “%s”"), name);',
        'comment': '/* never call system () or popen () here */ int x;',
        'in string': 'msg = g_strdup_printf ("system (%d)", 3);',
        'number xml': 'xml = g_strdup_printf ("<memory>%" G_GUINT64_FORMAT "</memory>", kib);',
        'member': 'self->system (x); ops.popen (y);',
        'reviewed': 'xml = g_strdup_printf ("<serial type=\'pty\'>%s<target port=\'0\'/></serial>", log);',
    }
    failures = []
    for what, snippet in must_catch.items():
        if not check_text('selfcheck.c', snippet):
            failures.append('not caught: %s' % what)
    for what, snippet in must_pass.items():
        name = 'vmd-machine-spec.c' if what == 'reviewed' else 'selfcheck.c'
        found = check_text(name, snippet)
        if found:
            failures.append('wrongly caught: %s (%s)' % (what, found[0][1]))
    return failures


def main():
    if len(sys.argv) != 2:
        print('usage: check-source.py SRC_DIR', file=sys.stderr)
        return 2
    src = Path(sys.argv[1])
    files = sorted(p for p in src.rglob('*') if p.suffix in ('.c', '.h'))
    print('1..2')
    failures = self_check()
    print('%s 1 - the checker catches what it must and only that' % ('not ok' if failures else 'ok'))
    for failure in failures:
        print('# ' + failure)
    problems = []
    for path in files:
        for line, message in check_text(path.name, path.read_text(errors='replace')):
            problems.append('%s:%d: %s' % (path.relative_to(src.parent), line, message))
    print('%s 2 - no shell, no unescaped markup in %d files under %s'
          % ('not ok' if problems else 'ok', len(files), src.name))
    for problem in problems:
        print('# ' + problem)
    return 1 if failures or problems else 0


if __name__ == '__main__':
    sys.exit(main())
