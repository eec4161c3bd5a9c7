"""Writes the sandbox's seccomp BPF program to stdout: ``/usr/bin/python3 bpf_builder.py PROFILE``.

A script, not part of the package's API: libseccomp's Python binding is only installed
for Debian's interpreter, so the worker runs this once with it and caches the bytes.
The filter is a deny list on top of the namespaces: it removes the kernel interfaces that
sandbox escapes and host attacks go through and that no interview solution needs.
Profiles: ``single`` forbids every new task; ``threads`` allows threads (Node's V8 and
libuv need them) but still no new processes.
"""

import errno
import socket
import sys

import seccomp

DENIED = (
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    "pidfd_open",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "move_mount",
    "open_tree",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "name_to_handle_at",
    "open_by_handle_at",
    "unshare",
    "setns",
    "keyctl",
    "add_key",
    "request_key",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "fanotify_init",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "init_module",
    "finit_module",
    "delete_module",
    "acct",
    "quotactl",
    "swapon",
    "swapoff",
    "syslog",
    "iopl",
    "ioperm",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "sethostname",
    "setdomainname",
    "lookup_dcookie",
    "vhangup",
    "fork",
    "vfork",
)
CLONE_THREAD = 0x00010000
TIOCSTI = 0x5412
TIOCLINUX = 0x541C
PERSONALITY_QUERY = 0xFFFFFFFF


def build(profile):
    deny = seccomp.ERRNO(errno.EPERM)
    bpf = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for name in DENIED:
        bpf.add_rule(deny, name)
    bpf.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    bpf.add_rule(deny, "personality", seccomp.Arg(0, seccomp.NE, PERSONALITY_QUERY))
    for request in (TIOCSTI, TIOCLINUX):
        bpf.add_rule(deny, "ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, request))
    # clone3 passes its flags in memory that BPF cannot read: make libc fall back to clone.
    bpf.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    if profile == "threads":
        bpf.add_rule(deny, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    else:
        bpf.add_rule(deny, "clone")
    bpf.export_bpf(sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("single", "threads"):
        sys.exit("usage: bpf_builder.py single|threads")
    build(sys.argv[1])
