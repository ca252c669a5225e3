#!/usr/bin/python3
"""The main window in Japanese: VM Desk runs with LANG=ja_JP.UTF-8 against libvirt's test driver
(test:///default, one running machine named "test") and the test reads, over AT-SPI, the texts
that po/ja.po gives it: the list's name and column titles, the State cell of "test", the header
bar's buttons and the context menu. Pausing and resuming through the Japanese buttons checks that
the translated UI is the working one, not just a relabelled picture.

The catalogue is the one meson compiled into <build>/po/ja/LC_MESSAGES/vmdesk.mo, found through
VMDESK_LOCALEDIR (src/main.c prefers it to the install prefix). The locale ja_JP.UTF-8 must exist
(scripts/install-deps.sh generates it) and a Japanese font be installed for the screenshot.

Run inside tests/harness/ui-session.sh. It saves a picture of the window to
build/screenshots/main-window-ja.png, or to VMDESK_SCREENSHOT_JA=PATH (relative to the source
tree, or absolute).
"""
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vmdtest  # noqa: E402
from vmdtest import (REPO_ROOT, Atspi, Tap, TestFailure, VmDesk, describe, find_all,  # noqa: E402
                     find_one, is_sensitive, wait_until)

MACHINE = 'test'

# What po/ja.po says for the English texts the other UI tests read.
JA = {
    'Virtual machines': '仮想マシン',
    'Name': '名前',
    'State': '状態',
    'CPU usage': 'CPU 使用率',
    'Memory': 'メモリー',
    'Running': '実行中',
    'Paused': '一時停止中',
    'Run': '実行',
    'Pause': '一時停止',
    'Resume': '再開',
    'Shut Down': 'シャットダウン',
    'More power options': 'その他の電源オプション',
    'Delete': '削除',
    'Search': '検索',
    'Main menu': 'メインメニュー',
}
COLUMNS = ('Name', 'State', 'CPU usage', 'Memory')
HEADER_BUTTONS = ('Run', 'Pause', 'Resume', 'Shut Down', 'More power options', 'Delete',
                  'Search', 'Main menu')
# Context menu items ("_Pause" in the .ui, "一時停止(_P)" in ja.po): AT-SPI gives the label
# without the underscore, GTK keeps the parenthesised key.
MENU_ITEMS = {'Run': '実行(R)', 'Pause': '一時停止(P)', 'Shut Down': 'シャットダウン(S)'}

LOCALE = 'ja_JP.UTF-8'
LOCALEDIR = os.environ.get('VMDESK_LOCALEDIR') or str(REPO_ROOT / 'build' / 'po')

tap = Tap(10)


class JapaneseVmDesk(VmDesk):
    """VmDesk, reading the list and the header bar by their Japanese names."""

    LIST_NAME = JA['Virtual machines']

    def table(self):
        return wait_until('the machine list ("%s" tree table)' % JA['Virtual machines'],
                          lambda: find_one(self.window, 'tree table', JA['Virtual machines']),
                          seen=lambda: 'tree tables: %s'
                          % [describe(n) for n in find_all(self.window, 'tree table')])

    def button(self, name):
        """The header bar's button with the Japanese NAME, showing or not."""
        for role in ('push button', 'toggle button'):
            node = find_one(self.window, role, name, showing_only=False)
            if node is not None:
                return node
        return None


def japanese_env():
    """The environment of a user whose desktop is in Japanese: LANG, and LANGUAGE for gettext's
    list of languages; LC_ALL and LC_MESSAGES would override LANG, so they go."""
    env = {'LANG': LOCALE, 'LANGUAGE': 'ja', 'VMDESK_LOCALEDIR': LOCALEDIR}
    for name in ('LC_ALL', 'LC_MESSAGES'):
        os.environ.pop(name, None)
    return env


def check_prerequisites():
    locales = subprocess.run(['locale', '-a'], capture_output=True, text=True).stdout.split()
    if not any(l.lower().replace('-', '') in ('ja_jp.utf8',) for l in locales):
        raise TestFailure('the locale %s is missing (locale -a: %s): run scripts/install-deps.sh'
                          % (LOCALE, ' '.join(locales)))
    mo = Path(LOCALEDIR) / 'ja' / 'LC_MESSAGES' / 'vmdesk.mo'
    if not mo.is_file():
        raise TestFailure('no compiled catalogue at %s: build first (meson compiles po/ja.po), or '
                          'set VMDESK_LOCALEDIR' % mo)


def column_titles(app):
    table = app.table()
    titles = []
    for col in range(Atspi.Table.get_n_columns(table)):
        header = Atspi.Table.get_column_header(table, col)
        titles.append(header.get_name() if header is not None else None)
    return titles


def main():
    try:
        check_prerequisites()
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    # vmdtest's row helpers find columns by the titles in these two names.
    vmdtest.NAME_COLUMN = JA['Name']
    vmdtest.STATE_COLUMN = JA['State']
    try:
        return run()
    except TestFailure as e:  # from VmDesk.start: no app, no test
        tap.bail_out(str(e))
        return 1


def run():
    with JapaneseVmDesk('--connect', 'test:///default', env=japanese_env()) as app:
        def list_in_japanese():
            try:
                app.table()
            except TestFailure as e:
                raise TestFailure('%s; is po/ja.po compiled into %s, and does the app bind its '
                                  'text domain to VMDESK_LOCALEDIR?' % (e, LOCALEDIR))

        if not tap.step('the machine list is named "%s"' % JA['Virtual machines'],
                        list_in_japanese):
            tap.bail_out('the window is not in Japanese')
            return 1

        def columns():
            wanted = [JA[c] for c in COLUMNS]
            titles = wait_until('the column titles %s' % wanted,
                                lambda: (lambda t: t if all(w in t for w in wanted) else None)(
                                    column_titles(app)),
                                seen=lambda: 'titles: %s' % column_titles(app))
            vmdtest.log('column titles: %s' % ' | '.join(t or '' for t in titles))

        tap.step('the column titles read %s' % '、'.join(JA[c] for c in COLUMNS), columns)

        if not tap.step('the State cell of "%s" reads "%s"' % (MACHINE, JA['Running']),
                        app.wait_for_state, MACHINE, JA['Running'], timeout=30):
            tap.bail_out('no running machine "%s" in the list' % MACHINE)
            return 1
        if not tap.step('clicking its row selects it', app.select_row, MACHINE):
            tap.bail_out('cannot select the machine')
            return 1

        def header_buttons():
            names = [JA[b] for b in HEADER_BUTTONS]
            missing = [n for n in names if app.button(n) is None]
            if missing:
                present = [describe(n) for role in ('push button', 'toggle button')
                           for n in find_all(app.window, role, showing_only=False)]
                raise TestFailure('no header bar button named %s; buttons: %s'
                                  % (missing, present))
            vmdtest.log('header bar buttons: %s' % ' | '.join(names))

        tap.step('the header bar buttons have Japanese accessible names', header_buttons)

        def pause():
            app.click_button(JA['Pause'])
            app.wait_for_state(MACHINE, JA['Paused'])

        tap.step('"%s" pauses it: its state reads "%s"' % (JA['Pause'], JA['Paused']), pause)

        def resume():
            app.wait_button_state(JA['Resume'], True, True)
            app.click_button(JA['Resume'])
            app.wait_for_state(MACHINE, JA['Running'])

        tap.step('"%s" runs it again: "%s"' % (JA['Resume'], JA['Running']), resume)

        def context_menu():
            menu = app.open_context_menu(MACHINE)
            try:
                for english, label in MENU_ITEMS.items():
                    item = app.menu_item(menu, label)
                    if english == 'Run' and is_sensitive(item):
                        raise TestFailure('menu item "%s" is sensitive for a running machine'
                                          % label)
                vmdtest.log('context menu: %s' % ' | '.join(
                    n.get_name() for n in find_all(menu, 'menu item')))
            finally:
                app.key_combo('Escape')
                wait_until('the context menu to close', lambda: find_one(app.app, 'menu') is None)

        tap.step('the context menu reads %s' % '、'.join(MENU_ITEMS.values()), context_menu)

        screenshot = os.environ.get('VMDESK_SCREENSHOT_JA') or 'build/screenshots/main-window-ja.png'
        screenshot = str(REPO_ROOT / screenshot)

        def take():
            app.select_row(MACHINE)
            app.park_pointer()  # over the title: no tooltip in the picture
            app.screenshot(screenshot)
            if os.path.getsize(screenshot) < 10000:
                raise AssertionError('the screenshot is suspiciously small')

        tap.step('screenshot saved to %s' % screenshot, take)
        tap.step('vmdesk quits having logged no criticals or warnings', app.check_log)
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
