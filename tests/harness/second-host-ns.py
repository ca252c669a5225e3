#!/usr/bin/python3
# Inside the second host's network, mount and UTS namespaces (started by second-host-up.sh):
# puts B's private libvirt folders in place, starts virtlogd, libvirtd and sshd, and stays
# their parent as child subreaper, so the daemons and the QEMUs they double-fork are reaped at
# once (this machine's PID 1 reaps orphans late, and libvirt waits for each zombie).
# Usage: second-host-ns.py STATE ROOT
import ctypes
import os
import socket
import subprocess
import sys

state, root = sys.argv[1], sys.argv[2]

socket.sethostname("vmdesk-host-b")
for source, target in [
    (f"{root}/etc", "/etc/libvirt"),
    (f"{root}/lib", "/var/lib/libvirt"),
    (f"{root}/cache", "/var/cache/libvirt"),
    (f"{root}/log", "/var/log/libvirt"),
    (f"{state}/run-libvirt", "/run/libvirt"),
    (f"{state}/sshd-run", "/run/sshd"),
]:
    os.makedirs(target, exist_ok=True)
    subprocess.run(["mount", "--bind", source, target], check=True)

ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER

env = dict(os.environ)
env.pop("LIBVIRT_LOG_OUTPUTS", None)
subprocess.run(["virtlogd", "-d", "-p", f"{state}/virtlogd.pid"], check=True, env=env)
subprocess.run(["libvirtd", "-d", "-p", f"{state}/libvirtd.pid"], check=True, env=env)
subprocess.run(["/usr/sbin/sshd", "-f", f"{state}/sshd_config", "-E", f"{state}/sshd.log"],
               check=True, env=env)

while True:
    try:
        os.wait()
    except ChildProcessError:  # the daemons and every QEMU are gone
        break
    except KeyboardInterrupt:
        break
