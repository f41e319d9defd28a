"""Page kernels start warm in a build: one server process imports what every page's kernel imports (IPython's kernel,
pandas, Altair, the package), and each page's kernel is a fork of it. Ten kernels that import the package took
12.0 CPU-s started afresh and 3.7 as forks, the server's imports included.

- :func:`serving` (the edition builder's): starts the server for a build and gives the environment that sends the
  build's kernels to it: ``JUPYTER_PATH`` names our kernelspec ``python3`` (``jupyter/kernels/`` beside this
  module), whose command is this module;
- ``python -m analysis.publication.kernel -f <connection file>`` (that command, run by Jupyter as the kernel's
  process): asks the server for a kernel with its own working directory, environment, ``sys.path`` and standard
  streams, passes signals on to it and exits when it does; the kernel ends when this process is gone, and this
  process ends the kernel when Jupyter is gone. Without a server, or from a server that cannot serve it, it becomes
  an ordinary ``ipykernel`` process, and says why on its standard error;
- ``python -m analysis.publication.kernel serve <address> <build's pid>``: the server, until the build ends.

A fork is the kernel it replaces only if the interpreter started alike: the server refuses a kernel whose
interpreter or start-up variables (``PYTHON*``: the path, the hash seed; thread counts; locale; time zone) differ
from its own, and a kernel whose ``sys.path`` finds the package elsewhere gets the package imported afresh. Every
other variable is the kernel's own: the package reads the environment when called, never at import
(:mod:`analysis.paths`). The server needs Linux's pidfds; elsewhere every kernel starts as an ordinary one."""

from __future__ import annotations

import importlib
import io
import json
import os
import runpy
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import analysis
from analysis import paths

SERVER = "BBOX_KERNEL_SERVER"  # the variable that holds the server's address in a build's environment
KERNELSPECS = Path(__file__).parent / "jupyter"  # a JUPYTER_PATH entry: kernels/python3/kernel.json
# What every page's kernel imports, loaded once by the server. Named, not imported here: the server never uses them.
WARM = ("ipykernel.kernelapp", "ipykernel.ipkernel", "analysis.publish")
# Variables an interpreter or a library acts on when it starts or loads, so a fork cannot take them on later.
AT_START = ("PYTHON", "OMP_", "OPENBLAS_", "MKL_", "LANG", "LC_", "LD_", "TZ")
ORDINARY = "an ordinary kernel starts"  # how a kernel the server could not start says so on its standard error


@contextmanager
def serving(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """The environment ``env`` of a build's processes, plus what sends their kernels to a server started with
    ``env``; the server stops when the build ends. A server that cannot serve costs time only: kernels start as
    ordinary ones."""
    if not _pidfds():  # Linux 5.3 or later only: elsewhere every kernel starts as an ordinary one
        yield env
        return
    # A socket's address holds at most 107 bytes: a short folder of its own, not the (long) build folder.
    with tempfile.TemporaryDirectory(prefix="bbox-kernels-") as folder:
        address = str(Path(folder) / "server")
        server = subprocess.Popen([sys.executable, "-m", __name__, "serve", address, str(os.getpid())], env=env,
                                  cwd=paths.ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        try:
            server.stdout.readline()  # the server is listening (or gone, and kernels start as ordinary ones)
            server.stdout.close()
            yield dict(env, **{SERVER: address, "JUPYTER_PATH": os.pathsep.join(
                [str(KERNELSPECS), *filter(None, [env.get("JUPYTER_PATH")])])})
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _pidfds() -> bool:
    """Whether this system gives pidfds, which the server and launchers follow each other by (Python has
    ``os.pidfd_open`` on Linux only, and Linux before 5.3 refuses it)."""
    try:
        os.close(os.pidfd_open(os.getpid()))
    except (AttributeError, OSError):
        return False
    return True


def serve(address: str, starter: int) -> None:
    """Listen at ``address`` and fork a kernel for each request, once it has imported what kernels import, until the
    process ``starter`` (the build) has ended."""
    starter_pidfd = os.pidfd_open(starter)
    warmed, import_error = False, None
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as listener:
        listener.bind(address)
        listener.listen(16)
        print("listening", flush=True)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the build has stopped reading
        while True:
            ready = select.select([listener, starter_pidfd], [], [])[0]
            if starter_pidfd in ready:
                return
            connection, _ = listener.accept()
            with connection:
                if not warmed:  # on the first request: a build that executes no page imports nothing
                    warmed, import_error = True, _warm()
                    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the system reaps the kernels
                try:
                    _serve(connection, import_error, listener, starter_pidfd)
                except Exception:  # noqa: BLE001 - a request that fails (its launcher gone, say) ends no other kernel
                    traceback.print_exc()


def _serve(connection: socket.socket, import_error: str | None, listener: socket.socket, starter_pidfd: int) -> None:
    """Answer one request: the pid of a forked kernel with a pidfd to wait on it by, or why there is none. In the
    forked kernel, end as an interpreter ends (``SystemExit``, past the server's loop, which catches no such thing)."""
    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 5)
    pid = None
    try:
        request = json.loads(message)
        refused = (import_error or _refusal(request)) if len(fds) == 4 else "it sent no standard streams and pidfd"
        if refused:
            connection.send(json.dumps({"refused": refused}).encode())
            return
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            listener.close()
            connection.close()
            os.close(starter_pidfd)
            raise SystemExit(_run_kernel(request, *fds))
        kernel_pidfd = os.pidfd_open(pid)
        try:
            socket.send_fds(connection, [json.dumps({"pid": pid}).encode()], [kernel_pidfd])
        except OSError:  # the launcher gave up waiting: no kernel without it
            os.kill(pid, signal.SIGKILL)
            raise
        finally:
            os.close(kernel_pidfd)
    finally:
        if pid != 0:  # the server's copies; the kernel's are its streams now
            for fd in fds:
                os.close(fd)


def _warm() -> str | None:
    """Import what kernels import; what failed, if anything did. An author's error in the package, or a warning or
    output while importing it (which an ordinary kernel shows in the page, and a strict build fails on), makes the
    kernels start as ordinary ones, whose pages show it where the author looks for it."""
    printed = io.StringIO()
    with warnings.catch_warnings(record=True) as warned, redirect_stdout(printed), redirect_stderr(printed):
        for name in WARM:
            try:
                importlib.import_module(name)
            except Exception as error:  # noqa: BLE001 - whatever it is, the page's own kernel reports it
                return f"the kernel server could not import {name} ({type(error).__name__}: {error})"
    said = printed.getvalue().strip() or (str(warned[0].message) if warned else "")
    return f"importing what kernels import said: {said}" if said else None


def _refusal(request: dict) -> str | None:
    """Why the server cannot start this kernel as a fork of itself, if it cannot."""
    if request["executable"] != sys.executable:
        return f"its interpreter is {request['executable']}, the server's {sys.executable}"
    differing = sorted({name for name in {*request["env"], *os.environ} if name.startswith(AT_START)
                        and request["env"].get(name) != os.environ.get(name)})
    return f"its start-up variables differ from the server's: {', '.join(differing)}" if differing else None


def _run_kernel(request: dict, stdin: int, stdout: int, stderr: int, launcher_pidfd: int) -> int:
    """In the forked child: take on the kernel's streams, place, environment and path, run ipykernel as
    ``python -m ipykernel_launcher`` would, and return its exit code."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses are waited for
        os.setsid()  # the kernel's own process group: the launcher passes signals to the group
        for stream, fd in enumerate((stdin, stdout, stderr)):
            os.dup2(fd, stream)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[:] = request["path"]
        if analysis.__file__ != request["package"]:  # this kernel's sys.path finds another copy of the package
            for name in [name for name in sys.modules if name == "analysis" or name.startswith("analysis.")]:
                del sys.modules[name]
        if "numpy.random" in sys.modules:  # unlike Python's random, NumPy's does not draw a new state in a fork
            sys.modules["numpy.random"].seed()
        _exit_when_gone(launcher_pidfd)
        # ipykernel read JPY_PARENT_PID when the server imported it (where it was unset): without it, the kernel
        # would print the banner of a kernel started by hand on its standard output.
        parent = os.environ.get("JPY_PARENT_PID")
        handle = [f"--IPKernelApp.parent_handle={parent}"] if parent else []
        sys.argv = ["ipykernel_launcher", *request["argv"], *handle]
        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported as an ordinary kernel would, on its standard error
        traceback.print_exc()
        return 1
    return 0


def _exit_when_gone(launcher_pidfd: int) -> None:
    """End this kernel when its launcher (the process Jupyter started, and may kill) is gone."""

    def watch() -> None:
        select.select([launcher_pidfd], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="launcher-watch", daemon=True).start()


def launch(argv: list[str]) -> int:
    """Run as the kernel's process: a fork of the build's server if it can serve this kernel, else ipykernel."""
    address = os.environ.get(SERVER)
    # Jupyter, followed from before the kernel exists: a launcher whose Jupyter was gone before it looked (it has been
    # handed to another parent) would otherwise wait on that parent, and its kernel outlive the build.
    jupyter = os.getppid()
    jupyter_pidfd = os.pidfd_open(jupyter) if address else None
    if address and os.environ.get("JPY_PARENT_PID", str(jupyter)) != str(jupyter):
        raise SystemExit("analysis.publication.kernel: the Jupyter that started this kernel is gone")
    answer = _ask(address, argv) if address else {}
    if "refused" in answer:
        print(f"analysis.publication.kernel: {ORDINARY}: {answer['refused']}", file=sys.stderr)
    if "pid" not in answer:
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])
    kernel, kernel_pidfd = answer["pid"], answer["pidfd"]
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(number, lambda number, frame: _send(kernel, number))
    # Until the kernel has ended; or until Jupyter has, which an ordinary kernel notices by itself.
    if kernel_pidfd not in select.select([kernel_pidfd, jupyter_pidfd], [], [])[0]:
        _send(kernel, signal.SIGKILL)
    return 0


def _send(kernel: int, number: int) -> None:
    """A signal to the kernel's process group, as Jupyter sends it to an ordinary kernel's (to the kernel alone if it
    has not made its group yet)."""
    try:
        os.killpg(kernel, number)
    except ProcessLookupError:
        try:
            os.kill(kernel, number)
        except ProcessLookupError:
            pass


def _ask(address: str, argv: list[str]) -> dict:
    """The server's answer: {"pid", "pidfd"} of the kernel, or {"refused": why}. Once the request is sent, no ordinary
    kernel may start (the server may yet fork one on the same connection file): a server that does not answer
    ends this process, and Jupyter reports the kernel dead."""
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "path": sys.path,
               "package": analysis.__file__, "executable": sys.executable}
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as connection:
        connection.settimeout(5)
        try:
            connection.connect(address)
        except OSError as error:
            return {"refused": f"no kernel server answers at {address} ({error})"}
        connection.settimeout(45)  # below Jupyter's 60 s for a kernel to start, so that this process says why
        try:  # a request is sent whole or not at all (a larger environment than a socket takes, say)
            socket.send_fds(connection, [json.dumps(request).encode()], [0, 1, 2, os.pidfd_open(os.getpid())])
        except OSError as error:
            return {"refused": f"the kernel server could not be sent the request ({error})"}
        try:
            message, fds, _, _ = socket.recv_fds(connection, 1 << 16, 1)
        except OSError as error:
            raise SystemExit(f"analysis.publication.kernel: the kernel server did not answer ({error})") from None
        if not message:
            raise SystemExit("analysis.publication.kernel: the kernel server closed the connection unanswered")
    answer = json.loads(message)
    return {**answer, "pidfd": fds[0]} if fds else answer


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(launch(sys.argv[1:]))
