"""The fork server: ``python -m mobsec.platform.jobs.forkserver FD`` (started by ``sandbox.py``).

One per worker process. It imports the engine (modules, check registry, rule machinery) once,
then forks a fresh child for every sandboxed scan, so a scan costs the scan, not an
interpreter start and its imports (~1.5 core-s each). The server never looks at a package:
each child is a copy of the same clean, preloaded state and dies after its one scan, so
scans share nothing.

Protocol (``FD`` is one end of a ``SOCK_SEQPACKET`` socket pair; the worker holds the other):
each message is a JSON request (the scan child's request, plus ``child``, the module to run)
with three descriptors attached: a reply socket, the child's stdout (progress) and its stderr.
On the reply socket the server sends ``{"pid": N}`` right after the fork and, once it has
reaped the child, ``{"status", "utime", "stime", "maxrss"}`` (``os.wait4``). End of file on
``FD`` means the worker is gone (whatever the way it died): the server kills every child it
still has and exits.

A child makes itself a process group (the worker kills the group on a limit or a cancel), asks
to die with the server (``PR_SET_PDEATHSIG``), sets its CPU and address-space limits, runs the
child module's ``run(request)`` and leaves with its exit code through ``os._exit``.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import select
import signal
import socket
import sys
import traceback

from mobsec.platform.jobs.sandbox import EXIT_CRASH, EXIT_MEMORY, self_rlimits

MAX_MESSAGE = 1 << 16
# What every scan child needs, imported here once (the pipelines and checks of every format).
# rules.stored: every Android scan job writes its stored facts (scans/handlers.py). The rest
# are imported lazily by the scan, only on the paths that need them (bundles, class files,
# --app-type, a privacy policy), so the command line starts faster; preloaded here all the same.
PRELOAD = (
    "mobsec.platform.jobs.scan_child",
    "mobsec.engine",
    "mobsec.rules.stored",
    "mobsec.ingest.bundle",
    "mobsec.ingest.jvm.disasm",
    "mobsec.facts.privacy.app_types",
    "mobsec.facts.privacy.policy",
)


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[1]))
    preload()
    # Objects from the imports live as long as the server: keep the children's garbage
    # collector off them (it would write to every page it walks and un-share them).
    gc.collect()
    gc.freeze()
    serve(control)
    return 0


def preload() -> None:
    """Import what scans import on demand: every pipeline and every check module."""
    from mobsec.checks import registry
    from mobsec.pipelines import PIPELINES

    for name in PRELOAD:
        importlib.import_module(name)
    for target in PIPELINES.values():
        importlib.import_module(target.split(":")[0])
    registry.load_all()


def serve(control: socket.socket) -> None:
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    os.set_blocking(wake_r, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # the wakeup fd tells the loop
    running: dict[int, socket.socket] = {}
    try:
        while True:
            ready, _, _ = select.select([control, wake_r], [], [])
            if wake_r in ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(wake_r, 4096)
            _reap(running)
            if control in ready:
                try:
                    msg, fds, _, _ = socket.recv_fds(control, MAX_MESSAGE, 3)
                except ConnectionResetError:
                    msg, fds = b"", []
                if not msg:
                    return  # the worker is gone
                _start(msg, fds, control, (wake_r, wake_w), running)
    finally:
        for pid in running:
            _kill_group(pid)


def _start(
    msg: bytes,
    fds: list[int],
    control: socket.socket,
    own: tuple[int, int],
    running: dict[int, socket.socket],
) -> None:
    if len(fds) != 3:
        for fd in fds:
            os.close(fd)
        return
    reply = socket.socket(fileno=fds[0])
    try:
        request = json.loads(msg)
        importlib.import_module(request["child"])  # imported here once, not in every child
    except Exception:  # noqa: BLE001 - a bad request ends that request, not the server
        _send(reply, {"error": traceback.format_exc()[-2000:]})
        reply.close()
        for fd in fds[1:]:
            os.close(fd)
        return
    server = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = EXIT_CRASH
        try:
            control.close()
            reply.close()
            for fd in own:
                os.close(fd)
            code = _child(request, fds[1], fds[2], server)
        finally:
            os._exit(code)
    with contextlib.suppress(OSError):  # the child may have done it (or died) first
        os.setpgid(pid, pid)
    for fd in fds[1:]:
        os.close(fd)
    running[pid] = reply
    _send(reply, {"pid": pid})


def _child(request: dict, out_fd: int, err_fd: int, server: int) -> int:
    os.setpgid(0, 0)
    os.chdir(request.get("cwd") or "/")
    signal.set_wakeup_fd(-1)
    for sig in (signal.SIGCHLD, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    devnull = os.open(os.devnull, os.O_RDONLY)
    for src, dst in ((devnull, 0), (out_fd, 1), (err_fd, 2)):
        os.dup2(src, dst)
        os.close(src)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as long as the child
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    module = sys.modules[request["child"]]
    from mobsec.platform.jobs.child_protocol import die_with_parent, out_of_memory

    try:
        die_with_parent(server)
        start = _address_space_mb()
        if start >= int(request["memory_mb"]):
            # A fresh interpreter failed its imports here; the preloaded copy would run on
            # the memory it was given for free, and a limit below it would mean nothing.
            sys.stderr.write(f"MemoryError: the scan process starts with {start} MB of "
                             "address space, more than its memory limit\n")  # fmt: skip
            return EXIT_MEMORY
        self_rlimits(int(request["cpu_seconds"]), int(request["memory_mb"]))
        code = int(module.run(request))
    except BaseException as e:  # noqa: BLE001 - every end becomes an exit code for the worker
        try:
            traceback.print_exc()
            if out_of_memory(e):
                sys.stderr.write("MemoryError: the scan exceeded its memory limit\n")
                code = EXIT_MEMORY
            else:
                code = EXIT_CRASH
        except BaseException:  # noqa: BLE001 - no memory left even to report it
            code = EXIT_MEMORY if isinstance(e, MemoryError) else EXIT_CRASH
    with contextlib.suppress(BaseException):
        sys.stdout.flush()
        sys.stderr.flush()
    return code


def _address_space_mb() -> int:
    with open("/proc/self/status", encoding="ascii", errors="replace") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) // 1024
    return 0


def _reap(running: dict[int, socket.socket]) -> None:
    while running:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return
        _kill_group(pid)  # anything the child left in its group goes too
        reply = running.pop(pid, None)
        if reply is not None:
            _send(reply, {"status": status, "utime": usage.ru_utime, "stime": usage.ru_stime,
                          "maxrss": usage.ru_maxrss})  # fmt: skip
            reply.close()


def _send(reply: socket.socket, doc: dict) -> None:
    with contextlib.suppress(OSError):  # the worker stopped listening (cancelled, died)
        reply.send(json.dumps(doc).encode())


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
