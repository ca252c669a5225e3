#!/usr/bin/python3
"""The main window's machine list against libvirt's test driver (test:///default, one running
machine named "test"): states, the header bar's actions, the context menu and the search.

Run inside tests/harness/ui-session.sh. It saves a picture of the window in
build/screenshots/, or at VMDESK_SCREENSHOT=PATH (relative to the source tree, or absolute), as
for the README:
    VMDESK_SCREENSHOT=docs/screenshots/main-window.png meson test -C build ui-machine-list
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import REPO_ROOT, Tap, TestFailure, VmDesk, is_sensitive, wait_until  # noqa: E402

MACHINE = 'test'

tap = Tap(14)


def expect_buttons(app, **wanted):
    """wanted: button name -> (showing, sensitive or None for either)."""
    for name, (showing, sensitive) in wanted.items():
        app.wait_button_state(name.replace('_', ' '), showing, sensitive)


def run_machine_controls(app):
    def running_buttons():
        # A running machine cannot be run again; Resume shares Pause's place and is hidden.
        expect_buttons(app, Run=(True, False), Resume=(False, None), Pause=(True, True),
                       Shut_Down=(True, True))

    tap.step('"Run" is insensitive and "Resume" is not showing while it runs', running_buttons)

    def pause():
        app.click_button('Pause')
        app.wait_for_state(MACHINE, 'Paused')

    tap.step('"Pause" pauses it', pause)
    tap.step('while paused, "Resume" shows in place of "Pause"',
             expect_buttons, app, Resume=(True, True), Pause=(False, None), Run=(True, False))

    def resume():
        app.click_button('Resume')
        app.wait_for_state(MACHINE, 'Running')

    tap.step('"Resume" runs it again', resume)


def run_context_menu(app):
    def pause_from_menu():
        menu = app.open_context_menu(MACHINE)
        # The menu follows the same actions as the header bar.
        if is_sensitive(app.menu_item(menu, 'Run')):
            raise TestFailure('menu item "Run" is sensitive for a running machine')
        app.activate_menu_item(menu, 'Pause')
        app.wait_for_state(MACHINE, 'Paused')

    tap.step('context menu "Pause" pauses it', pause_from_menu)

    def resume_from_menu():
        menu = app.open_context_menu(MACHINE)
        app.activate_menu_item(menu, 'Resume')
        app.wait_for_state(MACHINE, 'Running')

    tap.step('context menu "Resume" runs it again', resume_from_menu)


def run_search(app):
    def open_search():
        app.park_pointer()  # keyboard focus follows the pointer (no window manager)
        app.key_combo('<Control>f')
        entry = wait_until('the entry "Search machines" to show', app.search_entry)
        wait_until('the search entry to have the keyboard focus', lambda: entry.focused)

    tap.step('Ctrl+F opens the search with the focus in its entry', open_search)

    def filter_out():
        app.type_text('nomatch')
        app.wait_for_row_gone(MACHINE)

    tap.step('searching "nomatch" hides the row "%s"' % MACHINE, filter_out)

    def clear():
        app.key_combo('<Control>a')
        app.key_combo('BackSpace')
        app.wait_for_row(MACHINE)
        app.wait_for_state(MACHINE, 'Running')

    tap.step('clearing the search shows it again', clear)

    def close_search():
        app.key_combo('Escape')
        wait_until('the search bar to close', lambda: app.search_entry() is None)
        app.wait_button_state('Search', True)

    tap.step('Escape closes the search', close_search)


def main():
    try:
        return run()
    except TestFailure as e:  # from VmDesk.start: no app, no test
        tap.bail_out(str(e))
        return 1


def run():
    with VmDesk('--connect', 'test:///default') as app:
        if not tap.step('the list shows machine "%s" running' % MACHINE,
                        app.wait_for_state, MACHINE, 'Running', timeout=10):
            tap.bail_out('no running machine "%s" in the list' % MACHINE)
            return 1
        if not tap.step('clicking its row selects it', app.select_row, MACHINE):
            tap.bail_out('cannot select the machine')
            return 1
        run_machine_controls(app)
        run_context_menu(app)
        run_search(app)

        # Always taken (into the build dir by default), so the harness that makes the README's
        # picture is exercised on every run; VMDESK_SCREENSHOT points it at docs/ instead.
        screenshot = os.environ.get('VMDESK_SCREENSHOT') or 'build/screenshots/main-window.png'
        # Relative to the source tree, not to where meson runs the test (the build dir).
        screenshot = str(REPO_ROOT / screenshot)

        def take():
            # The search hid and showed the row again: make sure it is the one selected, so the
            # picture shows the header bar's actions for a running machine.
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
