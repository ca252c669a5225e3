#!/usr/bin/python3
"""VM Desk's Debian package, as a user gets it (root; TAP):

1. built from a clean copy of the tree by `dpkg-buildpackage -us -uc -b`, once per test run
   (tests/desktop/build-package.sh into $VMDESK_DEB_DIR, reused while the sources are the same);
2. lintian: no errors, no warnings (overrides, if any, must give their reason);
3. installed with `apt-get install ./vmdesk_*.deb`;
4. its files where a Debian system looks for them: the program, the features module in
   $libdir/vmdesk, the compiled schema, the translation, icons and desktop file;
5. as vmd-member, in the user's own session: tests/desktop/package_session.py (started with
   gtk-launch from the desktop file; pictures, plain, dark and at scale 2, copied to
   $VMDESK_SCREENSHOT_DIR or build/screenshots/);
6. `apt-get purge vmdesk`: none of the paths `dpkg -L` listed remain, but folders that other
   packages own too.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
HARNESS = REPO / 'tests' / 'harness'
DEB_DIR = Path(os.environ.get('VMDESK_DEB_DIR') or REPO / 'build' / 'deb')
USER = 'vmd-member'
APT = ['apt-get', '-y', '-q', '-o', 'DPkg::Lock::Timeout=600']


class Tap:
    def __init__(self, planned):
        self.planned, self.count, self.failed = planned, 0, 0
        print('1..%d' % planned, flush=True)

    def ok(self, passed, name, reason=None):
        self.count += 1
        print('%s %d - %s' % ('ok' if passed else 'not ok', self.count, name), flush=True)
        if not passed:
            self.failed += 1
            for line in str(reason or '').splitlines():
                print('# ' + line, flush=True)
        return passed

    def step(self, name, fn, *args):
        started = time.monotonic()
        try:
            result = fn(*args)
        except Exception as e:  # a failed check, or a tool that failed
            self.ok(False, name, e)
            return None
        self.ok(True, '%s (%.1fs)' % (name, time.monotonic() - started))
        return result if result is not None else True

    def finish(self):
        while self.count < self.planned:
            self.ok(False, 'not reached', 'the test stopped before this step')
        return 1 if self.failed else 0


def log(text):
    for line in str(text).splitlines():
        print('# ' + line, flush=True)


def run(*args, timeout=900, cwd=None, env=None):
    result = subprocess.run([str(a) for a in args], stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=timeout, cwd=cwd, env=env)
    if result.returncode != 0:
        raise RuntimeError('%s failed (%d):\n%s' % (' '.join(map(str, args)), result.returncode,
                                                    (result.stderr + result.stdout).strip()[-3000:]))
    return result.stdout


def installed():
    result = subprocess.run(['dpkg-query', '-W', '-f=${Status}', 'vmdesk'], capture_output=True,
                            text=True)
    return result.returncode == 0 and 'ok installed' in result.stdout


def apt_env():
    return dict(os.environ, DEBIAN_FRONTEND='noninteractive')


def build():
    started = time.monotonic()
    deb = Path(run(REPO / 'tests' / 'desktop' / 'build-package.sh', DEB_DIR).strip().splitlines()[-1])
    log('%s: %d bytes (%.0f KiB), in %.1fs (built or reused)'
        % (deb.name, deb.stat().st_size, deb.stat().st_size / 1024, time.monotonic() - started))
    return deb


def lintian_clean():
    text = (DEB_DIR / 'lintian.txt').read_text()
    tags = [line for line in text.splitlines() if re.match(r'^[EWIXPO]: ', line)]
    log('lintian: %s' % ('; '.join(tags) if tags else 'nothing to say'))
    bad = [t for t in tags if t.startswith(('E:', 'W:'))]
    if bad:
        raise RuntimeError('lintian: %s' % bad)


def install(deb):
    if installed():  # left by an earlier run that was interrupted
        run(*APT, 'purge', 'vmdesk', env=apt_env())
    # The package's Recommends are there already (scripts/install-deps.sh): nothing is fetched.
    out = run(*APT, 'install', './' + deb.name, cwd=deb.parent, env=apt_env())
    log([line for line in out.splitlines() if 'newly installed' in line][0])
    if not installed():
        raise RuntimeError('vmdesk is not installed after apt-get install')
    return run('dpkg', '-L', 'vmdesk').split('\n')


def in_place(paths):
    multiarch = run('dpkg-architecture', '-qDEB_HOST_MULTIARCH').strip()
    wanted = ['/usr/bin/vmdesk', '/usr/lib/%s/vmdesk/vmdesk-features.so' % multiarch,
              '/usr/share/glib-2.0/schemas/io.github.vmdesk.VmDesk.gschema.xml',
              '/usr/share/locale/ja/LC_MESSAGES/vmdesk.mo',
              '/usr/share/applications/io.github.vmdesk.VmDesk.desktop',
              '/usr/share/icons/hicolor/scalable/apps/io.github.vmdesk.VmDesk.svg',
              '/usr/share/metainfo/io.github.vmdesk.VmDesk.metainfo.xml']
    missing = [p for p in wanted if p not in paths or not Path(p).exists()]
    if missing:
        raise RuntimeError('not installed: %s' % missing)
    # dpkg's trigger compiled it into the schemas every GLib program reads.
    schemas = run('gsettings', 'list-schemas')
    if 'io.github.vmdesk.VmDesk' not in schemas.split():
        raise RuntimeError('the schema is not compiled into /usr/share/glib-2.0/schemas')
    log('%d paths installed' % len([p for p in paths if p]))


def as_user(shots):
    # The environment of a user's login: none of the build tree's variables reach the app.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith('VMDESK_') and k not in ('GSETTINGS_SCHEMA_DIR',)}
    # Room for the window at GDK_SCALE=2.
    env['VMDESK_UI_SCREEN'] = '2560x1600x24'
    shots.mkdir(parents=True, exist_ok=True)
    shutil.chown(shots, USER)
    result = subprocess.run([str(HARNESS / 'as-user.sh'), USER, str(HARNESS / 'ui-session.sh'),
                             '/usr/bin/python3', str(HERE / 'package_session.py'), str(shots)],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=300, env=env)
    return result


def copy_pictures(shots):
    target = Path(os.environ.get('VMDESK_SCREENSHOT_DIR') or 'build/screenshots')
    if not target.is_absolute():
        target = REPO / target
    target.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in shots.glob('*.png'))
    for name in names:
        shutil.copyfile(shots / name, target / name)
    log('pictures in %s: %s' % (target, names))
    if len(names) < 3:
        raise RuntimeError('expected 3 pictures, got %s' % names)


def purge(paths):
    run(*APT, 'purge', 'vmdesk', env=apt_env())
    if installed():
        raise RuntimeError('vmdesk is still installed')
    left = []
    for path in filter(None, paths):
        if not os.path.lexists(path) or path == '/.':
            continue
        # A folder that another package owns too (/usr/share/icons, ...) rightly stays.
        if os.path.isdir(path) and subprocess.run(['dpkg-query', '-S', path], capture_output=True).returncode == 0:
            continue
        left.append(path)
    if left:
        raise RuntimeError('left behind: %s' % left)
    if 'io.github.vmdesk.VmDesk' in run('gsettings', 'list-schemas').split():
        raise RuntimeError('the schema is still compiled in')


def main():
    if os.getuid() != 0:
        print('1..0 # SKIP needs root (apt-get install, and the test users)')
        return 0
    tap = Tap(8)
    run(HARNESS / 'desktop-users.sh')
    deb = tap.step('the package is built from a clean copy of the tree (dpkg-buildpackage -us -uc -b)',
                   build)
    if deb is None:
        return tap.finish()
    tap.step('lintian: no errors, no warnings', lintian_clean)
    paths = tap.step('apt-get install ./%s' % deb.name, install, deb)
    if paths is None:
        return tap.finish()
    try:
        tap.step('its files are where Debian looks; the schema is compiled', in_place, paths)
        shots = Path(tempfile.mkdtemp(prefix='vmdesk-package-shots-'))
        try:
            result = as_user(shots)
            user_lines = result.stdout.splitlines()
            sys.stderr.write(result.stderr)
            log('as %s (package_session.py):' % USER)
            for line in user_lines:
                print('#   ' + line, flush=True)
            failed = [l for l in user_lines if l.startswith(('not ok', 'Bail out'))]
            tap.ok(result.returncode == 0 and not failed,
                   'as %s: gtk-launch from the desktop file, session shown, schema, module, icon, '
                   'translation found; pictures (%d steps)'
                   % (USER, len([l for l in user_lines if re.match(r'^(not )?ok ', l)])),
                   '\n'.join(failed) or 'exit status %d' % result.returncode)
            tap.step('pictures: plain, dark, scale 2', copy_pictures, shots)
        finally:
            shutil.rmtree(shots, ignore_errors=True)
    finally:
        tap.step('apt-get purge vmdesk leaves none of its paths behind', purge, paths)
    tap.ok(not installed(), 'vmdesk is no longer installed')
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
