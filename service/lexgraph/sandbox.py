"""No egress, no file reads: the fence around the processes that evaluate user queries.

Two layers, because the engine is native code:

- a seccomp filter (Linux x86-64/aarch64) that makes ``socket``, ``connect`` and ``execve`` fail
  with EPERM for the whole process. This catches what Python cannot see: pyoxigraph evaluates
  ``SERVICE`` with its own Rust HTTP client, below any Python hook.
- a ``sys.addaudithook`` guard that raises on Python-level network use, subprocesses, and on
  ``open()`` of anything but read-only Python sources and the snapshot folder. A regression
  (say, rdflib loading a ``FROM`` graph inside a worker) then fails loudly instead of reading
  ``/etc/passwd`` or calling out.

The guard is installed once per worker process, after the imports it needs; it cannot be
removed (audit hooks are permanent by design).
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Audit events refused outright inside a worker.
FORBIDDEN_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.bind",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "socket.__new__",
        "urllib.Request",
        "http.client.connect",
        "ftplib.connect",
        "smtplib.connect",
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.startfile",
        "pty.spawn",
        "webbrowser.open",
        "ctypes.dlopen",
    }
)


class SandboxViolation(PermissionError):
    """Raised by the audit hook; reaching it means a code path tried egress or a file read."""


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root + os.sep) for root in roots)


def install_audit_hook(*, data_roots: Iterable[Path], read_roots: Iterable[Path] = ()) -> None:
    """Refuse network, subprocesses and file access outside ``data_roots`` (read/write there).

    ``read_roots`` are readable too (e.g. the Python installation, for lazy imports).
    """
    data = tuple(os.path.realpath(p) for p in data_roots)
    readable = data + tuple(os.path.realpath(p) for p in read_roots)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event in FORBIDDEN_EVENTS:
            raise SandboxViolation(f"sandbox: {event} is not allowed in a query worker")
        if event == "open":
            target, mode, flags = (*args, None, None, None)[:3]
            if isinstance(target, int) or target is None:
                return  # an already-open descriptor
            path = os.path.realpath(os.fsdecode(target))
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            )
            allowed = data if writes else readable
            if not _under(path, allowed):
                raise SandboxViolation(f"sandbox: open({path!r}) is not allowed in a query worker")

    sys.addaudithook(hook)


# --- seccomp -------------------------------------------------------------------------------

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06

#: (audit arch, x32 syscall bit or 0, {name: number}) per machine.
_ARCHES: dict[str, tuple[int, int, dict[str, int]]] = {
    "x86_64": (
        0xC000003E,
        0x40000000,
        {"socket": 41, "connect": 42, "execve": 59, "execveat": 322, "io_uring_setup": 425},
    ),
    "aarch64": (
        0xC00000B7,
        0,
        {"socket": 198, "connect": 203, "execve": 221, "execveat": 281, "io_uring_setup": 425},
    ),
}


def _filter_program(arch: int, x32_bit: int, numbers: Iterable[int]) -> bytes:
    """A classic-BPF seccomp program: foreign arch, x32 calls and the listed numbers → EPERM."""
    blocked = sorted(set(numbers))
    insns: list[tuple[int, int, int, int]] = []
    # Layout: [0] load arch, [1] arch check, [2] load nr, [3] x32 check?, [..] one JEQ per
    # number, then ALLOW, then ERRNO. Jump offsets are relative to the next instruction.
    n_checks = len(blocked) + (1 if x32_bit else 0)
    allow_at = 3 + n_checks
    deny_at = allow_at + 1
    insns.append((_LD_W_ABS, 0, 0, 4))  # seccomp_data.arch
    insns.append((_JEQ_K, 0, deny_at - 2, arch))
    insns.append((_LD_W_ABS, 0, 0, 0))  # seccomp_data.nr
    index = 3
    if x32_bit:
        insns.append((_JGE_K, deny_at - (index + 1), 0, x32_bit))
        index += 1
    for number in blocked:
        insns.append((_JEQ_K, deny_at - (index + 1), 0, number))
        index += 1
    insns.append((_RET_K, 0, 0, _RET_ALLOW))
    insns.append((_RET_K, 0, 0, _RET_ERRNO | errno.EPERM))
    return b"".join(struct.pack("HBBI", *insn) for insn in insns)


def install_seccomp() -> bool:
    """Forbid new sockets, connections and exec for this process; False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    spec = _ARCHES.get(platform.machine())
    if spec is None:
        return False
    arch, x32_bit, table = spec
    program = _filter_program(arch, x32_bit, table.values())
    count = len(program) // 8
    buffer = ctypes.create_string_buffer(program, len(program))

    class _Prog(ctypes.Structure):
        _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_void_p))

    prog = _Prog(count, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong)
    if prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        return False
    return prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0


def python_read_roots() -> list[Path]:
    """Where the interpreter and installed packages live (read-only, for lazy imports)."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    package_root = Path(__file__).resolve().parent
    return [Path(r) for r in roots if r] + [package_root]


def enter(data_roots: Iterable[Path]) -> bool:
    """Install both layers; returns whether the seccomp layer is active."""
    roots = list(data_roots)
    seccomp = install_seccomp()
    install_audit_hook(data_roots=roots, read_roots=python_read_roots())
    return seccomp
