#!/usr/bin/python3
"""Closing the console window frees what it held: the libvirt console stream, the SPICE session
and the views. The app, built with AddressSanitizer (build-sanitize/, the sanitizer pass of
scripts/test.sh runs this suite, 'leaks'), opens the tiny guest's console, shows its Serial and
Graphics views, closes the window and quits; LeakSanitizer's report at exit must name none of
those objects. Leaks inside GTK, fontconfig and friends' one-time set-up are not ours and are
only counted.

Needs root, the system daemon and the tiny guest (set up here). Run inside
tests/harness/ui-session.sh.
"""
import contextlib
import io
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vmdtest import Tap, TestFailure, VmDesk, find_one, log, wait_until  # noqa: E402

# The console test's guest and its helpers; importing it must not print its TAP plan.
with contextlib.redirect_stdout(io.StringIO()):
    import test_console as guest  # noqa: E402

# Frames that mean one of the console's own objects leaked.
OURS = re.compile(r'\b(vmd_console_window|vmd_serial_view|vmd_spice_view|vmd_monitor_view|'
                  r'vmd_machine_open_console|vmd_machine_open_graphics|spice_session_new|'
                  r'spice_display_new|gvir_stream|gvir_connection_get_stream)\w*')

tap = Tap(4)


def leak_blocks(text):
    """LeakSanitizer's report as a list of blocks, one per leak, each its header and frames."""
    blocks, current = [], None
    for line in text.splitlines():
        if re.match(r'(Direct|Indirect) leak of \d+ byte', line):
            current = [line]
            blocks.append(current)
        elif current is not None and re.match(r'\s+#\d+ ', line):
            current.append(line)
        elif current is not None and not line.strip():
            current = None
    return blocks


def main():
    report_dir = Path(tempfile.mkdtemp(prefix='vmdesk-lsan-'))
    asan = {
        # Slow unwinding: Debian's libraries have no frame pointers, and the fast unwinder
        # stops at the first of them, so no stack would reach the caller that leaked.
        'ASAN_OPTIONS': ('detect_leaks=1:halt_on_error=0:fast_unwind_on_malloc=0:'
                         'malloc_context_size=40:log_path=%s/lsan' % report_dir),
        'LSAN_OPTIONS': 'print_suppressions=0',
    }
    try:
        guest.set_up()
        guest.virsh('start', guest.NAME)
        with VmDesk('--connect', guest.URI, '--show-console', guest.NAME, env=asan) as app:
            window = wait_until('the console window',
                                lambda: guest.console_window(app), timeout=60)

            def serial():
                # The guest may have printed its banner before the view connected: ask it.
                guest.show_page(window, 'Serial')
                wait_until('the guest\'s banner in its serial log',
                           lambda: guest.BANNER in guest.serial_log(), guest.BOOT_TIMEOUT)
                guest.type_into(guest.terminal(window), 'echo LEAKCHECK-$((6*7))\n')
                guest.wait_for_terminal_text(window, 'LEAKCHECK-42', 30)

            tap.step('the Serial view runs a command in the guest', serial)

            def graphics():
                guest.show_page(window, 'Graphics')
                wait_until('a SPICE client in QEMU', lambda: 'Channels: none' not in
                           guest.virsh('qemu-monitor-command', guest.NAME, '--hmp', 'info spice'),
                           timeout=20)

            tap.step('the Graphics view connects to SPICE', graphics)

            def close_and_quit():
                find_one(window, 'push button', 'Close').do_action(0)
                wait_until('the console window to close', lambda: guest.console_window(app) is None)
                time.sleep(1.0)  # idle callbacks that release streams run now
                app.park_pointer()
                app.key_combo('<Control>q')
                wait_until('vmdesk to quit', lambda: app.process.poll() is not None, timeout=30)

            tap.step('closing the window, then quitting the app', close_and_quit)

            def no_leak_of_ours():
                reports = sorted(report_dir.glob('lsan*'))
                text = '\n'.join(p.read_text(errors='replace') for p in reports)
                blocks = leak_blocks(text)
                ours = [b for b in blocks if any(OURS.search(frame) for frame in b)]
                total = sum(int(re.search(r'of (\d+) byte', b[0]).group(1)) for b in blocks)
                log('LeakSanitizer: %d leak(s), %d bytes in all; %d naming the console\'s objects'
                    % (len(blocks), total, len(ours)))
                if 'AddressSanitizer' not in text and not blocks and not reports:
                    # An uninstrumented binary writes no report at all: say so rather than pass.
                    sanitized = subprocess.run(['nm', '-D', app.args[0]], capture_output=True,
                                               text=True).stdout
                    if '__asan_init' not in sanitized and '__asan' not in sanitized:
                        raise TestFailure('%s is not built with AddressSanitizer' % app.args[0])
                # The check means something only if the stacks reach past GLib's allocator.
                if blocks and max(len(b) - 1 for b in blocks) < 4:
                    raise TestFailure('LeakSanitizer\'s stacks are too shallow to tell whose '
                                      'leaks they are:\n%s' % '\n'.join(blocks[0]))
                if ours:
                    raise TestFailure('leaks of the console\'s objects:\n%s'
                                      % '\n'.join('\n'.join(b[:12]) for b in ours[:5]))

            tap.step('LeakSanitizer finds no leak of the stream, the SPICE session or the views',
                     no_leak_of_ours)
    except TestFailure as e:
        tap.bail_out(str(e))
        return 1
    finally:
        guest.tear_down()
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
