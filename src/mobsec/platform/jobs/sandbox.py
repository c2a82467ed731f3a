"""Run one scan in a child process with hard limits, so a hostile package cannot take the
worker (let alone the service) down.

Children come from this process's fork server (``forkserver.py``): an engine-only process
that imported the engine once and forks a fresh child per scan, so a scan does not pay an
interpreter start and the imports (~1.5 core-s) each time. The child makes itself a process
group, so a kill reaches all of it; it sets its CPU-time and address-space rlimits before it
looks at the package, and dies with the server (``PR_SET_PDEATHSIG``), which dies with the
worker (end of file on its socket), so a worker killed with SIGKILL leaves no orphan scan
behind. The worker enforces the wall-clock limit and any cancellation by killing the group,
and turns every abnormal end into a :class:`SandboxError` with the diagnostics (exit status,
signal, CPU seconds, peak RSS from the server's ``wait4``, the tail of stderr).

No Django here: the local pool, Celery tasks and benchmarks all call this.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mobsec.platform.jobs.errors import SandboxError

# Exit codes the child uses for endings it can still report itself.
EXIT_INPUT_ERROR = 3
EXIT_MEMORY = 4
EXIT_CRASH = 5

STDERR_TAIL = 4000
POLL_S = 0.05


@dataclass(frozen=True, slots=True)
class SandboxLimits:
    """Per-scan bounds. Defaults fit the largest corpus apps with room to spare; the
    environment (``MOBSEC_SCAN_CPU_SECONDS``, ``MOBSEC_SCAN_MEMORY_MB``,
    ``MOBSEC_SCAN_WALL_SECONDS``) or the platform settings override them."""

    cpu_seconds: int = 600
    memory_mb: int = (
        4096  # address space, not RSS: Python and its threads reserve more than they touch
    )
    wall_seconds: int = 900

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SandboxLimits:
        env = os.environ if env is None else env
        d = cls()
        return cls(
            cpu_seconds=int(env.get("MOBSEC_SCAN_CPU_SECONDS", d.cpu_seconds)),
            memory_mb=int(env.get("MOBSEC_SCAN_MEMORY_MB", d.memory_mb)),
            wall_seconds=int(env.get("MOBSEC_SCAN_WALL_SECONDS", d.wall_seconds)),
        )


ProgressFn = Callable[[str, int, int], None]


def run_scan_sandboxed(
    package_path: str | os.PathLike[str],
    options_json: dict[str, Any] | None = None,
    limits: SandboxLimits | None = None,
    progress: ProgressFn | None = None,
    keep_going: Callable[[], bool] | None = None,
    child: str = "mobsec.platform.jobs.scan_child",
) -> dict[str, Any]:
    """Scan ``package_path`` in a limited child and return the Report JSON document.
    ``child`` names another module speaking the same protocol (monitoring's fingerprints).

    ``options_json``: ``threads``, ``app_type``, ``privacy_policy`` (a path), ``taint_seconds``,
    ``file_name`` (the name shown in the report: the store keeps packages under their
    hash) and ``facts_dir`` (where an Android scan stores its facts for rule-only re-scans). ``progress(phase, done, total)`` is called from a reader thread as the child
    reports. ``keep_going()`` is polled a few times a second; when it returns False the child
    is killed (a cancelled job, a lost lease) and :class:`SandboxError` ``sandbox.cancelled``
    is raised.
    """
    limits = limits or SandboxLimits.from_env()
    package = Path(package_path)
    with tempfile.TemporaryDirectory(prefix="mobsec-scan-") as tmp:
        out = Path(tmp) / "report.json"
        request = {
            "child": child,
            "package": str(package),
            "options": options_json or {},
            "out": str(out),
            "cwd": tmp,
            "cpu_seconds": limits.cpu_seconds,
            "memory_mb": limits.memory_mb,
        }
        with open(Path(tmp) / "stderr", "w+b") as err:
            reply, stdout = FORK_SERVER.spawn(request, err.fileno())
            seen: list[tuple[str, int, int]] = []
            reader = threading.Thread(target=_read_progress, args=(stdout, seen), daemon=True)
            reader.start()
            try:
                ended, why_killed, told = _wait(reply, limits, keep_going, seen, progress)
            finally:
                reply.close()
            reader.join(timeout=5)
            # Lines still in the pipe when the end came (the last phases) are passed on too.
            for line in seen[told:] if progress is not None else ():
                progress(*line)
            stdout.close()
            err.seek(0, os.SEEK_END)
            size = err.tell()
            err.seek(max(0, size - STDERR_TAIL))
            stderr_tail = err.read().decode("utf-8", "replace")
        diag = {
            "package": package.name,
            "limits": asdict(limits),
            "cpu_seconds": round(ended.get("utime", 0) + ended.get("stime", 0), 2),
            "max_rss_mb": round(ended.get("maxrss", 0) / 1024, 1),
            "stderr_tail": stderr_tail,
        }
        if why_killed:
            raise _killed_error(why_killed, limits, diag)
        if "status" not in ended:
            raise _server_error(ended, diag)
        status = int(ended["status"])
        if os.WIFSIGNALED(status):
            raise _signal_error(os.WTERMSIG(status), limits, diag)
        code = os.WEXITSTATUS(status)
        if code == 0:
            return json.loads(out.read_text(encoding="utf-8"))
        raise _exit_error(code, out, limits, diag)


class ForkServer:
    """This process's fork server (``forkserver.py``), started on first use. A process
    forked from this one starts its own: the server answers only the process that owns it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.control: socket.socket | None = None
        self.owner = 0

    def start(self) -> None:
        """Start the server now (a worker does at start-up, so its first job does not wait
        for the imports)."""
        with self.lock:
            self._ensure()

    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.owner == os.getpid() else None

    def spawn(self, request: dict[str, Any], err_fd: int) -> tuple[socket.socket, Any]:
        """Ask for a child running ``request``: (its reply socket, its stdout to read)."""
        doc = json.dumps(request).encode()
        with self.lock:
            for attempt in (1, 2):
                self._ensure()
                mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                out_r, out_w = os.pipe()
                try:
                    assert self.control is not None
                    socket.send_fds(self.control, [doc], [theirs.fileno(), out_w, err_fd])
                except OSError:  # the server died since: start a new one and ask it
                    mine.close()
                    os.close(out_r)
                    if attempt == 2:
                        raise
                    self._stop()
                    continue
                finally:
                    theirs.close()
                    os.close(out_w)
                return mine, os.fdopen(out_r, "rb")
        raise AssertionError("unreachable")

    def _ensure(self) -> None:
        if self.proc is not None and self.owner == os.getpid() and self.proc.poll() is None:
            return
        if self.owner == os.getpid():
            self._stop()
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mobsec.platform.jobs.forkserver", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C at the worker's terminal is the worker's
            env=_child_env(),
            cwd="/",
        )
        theirs.close()
        self.control, self.owner = mine, os.getpid()
        if not getattr(self, "_atexit", False):
            atexit.register(self.stop)
            self._atexit = True

    def stop(self) -> None:
        """Close the server's socket (it kills any child left and exits) and reap it."""
        with self.lock:
            if self.owner == os.getpid():
                self._stop()

    def _stop(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.proc is not None:
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


FORK_SERVER = ForkServer()


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # glibc gives each thread a 64 MB malloc arena of address space; without a cap the
    # address-space limit would count reservations, not use.
    env["MALLOC_ARENA_MAX"] = "2"
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the child is engine only
    return env


def _read_progress(stream: Any, seen: list[tuple[str, int, int]]) -> None:
    """Collect the child's progress lines; the waiting thread passes them on, so the
    callback (which may write to the database) runs in the caller's thread."""
    for line in stream:
        try:
            phase, done, total = json.loads(line)
            seen.append((str(phase), int(done), int(total)))
        except (ValueError, TypeError):
            continue  # a garbled line from a dying child is no reason to fail the reader


def _wait(
    reply: socket.socket,
    limits: SandboxLimits,
    keep_going: Callable[[], bool] | None,
    seen: list[tuple[str, int, int]],
    progress: ProgressFn | None,
) -> tuple[dict[str, Any], str, int]:
    """Wait for the server's word that the child ended (its wait status and rusage); pass
    progress on; kill the child's group on a wall-clock excess or when ``keep_going`` says
    stop. Returns (what the server said last, reason killed or '', progress lines passed)."""
    deadline = time.monotonic() + limits.wall_seconds
    next_check = time.monotonic() + 0.5
    why = ""
    pid = killed = 0
    told = 0
    while True:
        while progress is not None and told < len(seen):
            told += 1
            progress(*seen[told - 1])
        if select.select([reply], [], [], POLL_S)[0]:
            try:
                msg = json.loads(reply.recv(1 << 16) or b"{}")
            except (OSError, ValueError):
                msg = {}
            if "pid" in msg and not pid:
                pid = int(msg["pid"])
                continue
            return msg, why, told  # the end (or the server gone: no "status")
        now = time.monotonic()
        if not why and now >= deadline:
            why = "wall"
        elif not why and keep_going is not None and now >= next_check:
            next_check = now + 0.5
            if not keep_going():
                why = "cancelled"
        if why and pid and not killed:
            killed = pid
            _kill_group(pid)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(pgid, signal.SIGKILL)


def _server_error(msg: dict[str, Any], diag: dict[str, Any]) -> SandboxError:
    diag["server"] = str(msg.get("error", "the fork server ended"))[-STDERR_TAIL:]
    return SandboxError(
        "the scan process could not be started or its fork server died; see the diagnostics",
        "无法启动检测进程，或其派生服务进程已退出；请查看诊断信息",
        code="sandbox.crashed",
        **diag,
    )


def _killed_error(why: str, limits: SandboxLimits, diag: dict[str, Any]) -> SandboxError:
    if why == "wall":
        return SandboxError(
            f"the scan took longer than its wall-clock limit of {limits.wall_seconds} s and was stopped",
            f"检测超过了 {limits.wall_seconds} 秒的运行时间上限，已被终止",
            code="sandbox.wall-time",
            **diag,
        )
    return SandboxError(
        "the scan was stopped (job cancelled or taken over by another worker)",
        "检测已被终止（任务已取消或已由其他工作进程接管）",
        code="sandbox.cancelled",
        **diag,
    )


def _signal_error(signum: int, limits: SandboxLimits, diag: dict[str, Any]) -> SandboxError:
    name = (
        signal.Signals(signum).name if signum in signal.Signals._value2member_map_ else str(signum)
    )
    diag["signal"] = name
    if signum == signal.SIGXCPU or (
        signum == signal.SIGKILL and diag["cpu_seconds"] >= limits.cpu_seconds
    ):
        return SandboxError(
            f"the scan used more than its CPU-time limit of {limits.cpu_seconds} s and was stopped",
            f"检测超过了 {limits.cpu_seconds} 秒的 CPU 时间上限，已被终止",
            code="sandbox.cpu-time",
            **diag,
        )
    if signum == signal.SIGSEGV and "MemoryError" in diag["stderr_tail"]:
        return _memory_error(limits, diag)
    return SandboxError(
        f"the scan process was killed by signal {name}",
        f"检测进程被信号 {name} 终止",
        code="sandbox.crashed",
        **diag,
    )


def _memory_error(limits: SandboxLimits, diag: dict[str, Any]) -> SandboxError:
    return SandboxError(
        f"the scan needed more than its memory limit of {limits.memory_mb} MB and was stopped",
        f"检测所需内存超过了 {limits.memory_mb} MB 的上限，已被终止",
        code="sandbox.memory",
        **diag,
    )


def _exit_error(code: int, out: Path, limits: SandboxLimits, diag: dict[str, Any]) -> SandboxError:
    diag["exit_code"] = code
    if code == EXIT_MEMORY:
        return _memory_error(limits, diag)
    if code == EXIT_INPUT_ERROR:
        try:
            d = json.loads(out.read_text(encoding="utf-8"))
            return SandboxError(d["en"], d["zh"], code=d["code"], file=d["file"], **diag)
        except (OSError, ValueError, KeyError):
            pass  # fall through to the generic message with the stderr tail
    return SandboxError(
        f"the scan failed unexpectedly (exit code {code}); see the diagnostics",
        f"检测意外失败（退出码 {code}），请查看诊断信息",
        code="sandbox.crashed",
        **diag,
    )


def self_rlimits(cpu_seconds: int, memory_mb: int) -> None:
    """Called by the child on itself, first thing (preexec_fn is unsafe with threads)."""
    # SIGXCPU at the soft limit, SIGKILL a few seconds later should it be caught.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    as_bytes = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (as_bytes, as_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
