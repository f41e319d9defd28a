"""Page kernels start warm in a build: one server process imports what every page's kernel imports (IPython's kernel,
pandas, Altair, the package), and each page's kernel is a fork of it, ready in a fraction of a second instead of
about two seconds of CPU per executed page.

- :func:`serving` (the edition builder's): starts the server for a build and gives the environment that sends the
  build's kernels to it: ``JUPYTER_PATH`` names our kernelspec ``python3`` (``jupyter/kernels/`` beside this
  module), whose command is this module;
- ``python -m analysis.publication.kernel -f <connection file>`` (that command, run by Jupyter as the kernel's
  process): asks the server for a kernel with its own working directory, environment, ``sys.path`` and standard
  streams, passes signals on to it and exits when it does (and the kernel exits when this process is gone). Without
  a server, or from a server that cannot serve it, it becomes an ordinary ``ipykernel`` process;
- ``python -m analysis.publication.kernel serve <address>``: the server.

A fork is the kernel it replaces only if the interpreter started alike: the server refuses a kernel whose
interpreter or start-up variables (``PYTHON*``: the path, the hash seed; thread counts; locale) differ from its own,
and a kernel whose ``sys.path`` finds the package elsewhere gets the package imported afresh. Every other variable is
the kernel's own: the package reads the environment when called, never at import (:mod:`analysis.paths`).
"""

from __future__ import annotations

import atexit
import importlib
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import analysis
from analysis import paths

SERVER = "BBOX_KERNEL_SERVER"  # the variable that holds the server's address in a build's environment
KERNELSPECS = Path(__file__).parent / "jupyter"  # a JUPYTER_PATH entry: kernels/python3/kernel.json
# What every page's kernel imports, loaded once by the server. Named, not imported here: the server never uses them.
WARM = ("ipykernel.kernelapp", "ipykernel.ipkernel", "analysis.publish")
# Variables an interpreter or a library acts on when it starts or loads, so a fork cannot take them on later.
AT_START = ("PYTHON", "OMP_", "OPENBLAS_", "MKL_", "LANG", "LC_", "LD_")
READY = "ready"
ORDINARY = "an ordinary kernel starts"  # how a kernel the server could not start says so on its standard error


@contextmanager
def serving(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """The environment ``env`` of a build's processes, plus what sends their kernels to a server started with
    ``env``; the server stops when the build ends. A server that fails costs time only: kernels start as usual."""
    # A socket's address holds at most 107 bytes: a short folder of its own, not the (long) build folder.
    with tempfile.TemporaryDirectory(prefix="bbox-kernels-") as folder:
        address = str(Path(folder) / "server")
        server = subprocess.Popen([sys.executable, "-m", __name__, "serve", address], env=env, cwd=paths.ROOT,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        try:
            server.stdout.readline()  # bound and listening (or gone): kernels may ask
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


def serve(address: str) -> None:
    """Listen at ``address`` and fork a kernel for each request, once it has imported what kernels import, until the
    process that started the server ends."""
    starter = os.getppid()
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as listener:
        listener.bind(address)
        listener.listen(16)
        print(READY, flush=True)
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the system reaps the kernels; their launchers watch them
        warm = {}
        while os.getppid() == starter:
            if not select.select([listener], [], [], 1.0)[0]:
                continue
            connection, _ = listener.accept()
            with connection:
                message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
                request = json.loads(message)
                warm = warm or _warmed()  # on the first request: a build that executes no page imports nothing
                refused = (warm.get("failed") or _refusal(request)) if len(fds) == 3 else "it sent no standard streams"
                if refused:
                    connection.send(json.dumps({"refused": refused}).encode())
                else:
                    sys.stdout.flush(), sys.stderr.flush()
                    pid = os.fork()
                    if pid == 0:
                        listener.close(), connection.close()
                        _become_kernel(request, fds)
                    connection.send(json.dumps({"pid": pid}).encode())
                for fd in fds:
                    os.close(fd)


def _warmed() -> dict:
    """Import what kernels import; if that fails (an author's error in the package, say), the kernels start as
    ordinary ones, whose pages show the error where the author looks for it."""
    try:
        for name in WARM:
            importlib.import_module(name)
    except Exception as error:  # noqa: BLE001 - whatever it is, the page's own kernel reports it
        return {"failed": f"the kernel server could not import {name} ({type(error).__name__}: {error})"}
    return {"warm": True}


def _refusal(request: dict) -> str | None:
    """Why the server cannot start this kernel as a fork of itself, if it cannot."""
    if request["executable"] != sys.executable:
        return f"its interpreter is {request['executable']}, the server's {sys.executable}"
    differing = sorted({name for name in {*request["env"], *os.environ} if name.startswith(AT_START)
                        and request["env"].get(name) != os.environ.get(name)})
    return f"its start-up variables differ from the server's: {', '.join(differing)}" if differing else None


def _become_kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: take on the kernel's streams, place, environment and path, and run ipykernel as
    ``python -m ipykernel_launcher`` would; never return to the server's loop."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses are waited for
        os.setsid()
        for stream, fd in enumerate(fds):
            os.dup2(fd, stream)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[:] = request["path"]
        if analysis.__file__ != request["package"]:  # this kernel's sys.path finds another copy of the package
            for name in [name for name in sys.modules if name == "analysis" or name.startswith("analysis.")]:
                del sys.modules[name]
        _exit_with(request["launcher"])
        # ipykernel read its parent's process id from the environment at import, which was the server's
        parent = os.environ.get("JPY_PARENT_PID")
        handle = [f"--IPKernelApp.parent_handle={parent}"] if parent else []
        sys.argv = ["ipykernel_launcher", *request["argv"], *handle]
        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        atexit._run_exitfuncs()  # as an interpreter that ends would, and not the server's way out of its loop
        sys.stdout.flush(), sys.stderr.flush()
        os._exit(code)


def _exit_with(launcher: int) -> None:
    """End this kernel when its launcher (the process Jupyter started and may kill) is gone."""
    try:
        handle = os.pidfd_open(launcher)
    except ProcessLookupError:
        os._exit(1)

    def watch() -> None:
        select.select([handle], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="launcher-watch", daemon=True).start()


def launch(argv: list[str]) -> int:
    """Run as the kernel's process: a fork of the build's server if it can serve this kernel, else ipykernel."""
    address = os.environ.get(SERVER)
    answer = _ask(address, argv) if address else {}
    if "pid" not in answer:
        if address:
            print(f"analysis.publication.kernel: {ORDINARY}: {answer['refused']}", file=sys.stderr)
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])
    kernel = answer["pid"]
    try:
        handle = os.pidfd_open(kernel)
    except ProcessLookupError:
        return 0
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(number, lambda number, frame: _send(kernel, number))
    select.select([handle], [], [])  # until the kernel has ended (a signal's handler runs in between)
    return 0


def _send(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


def _ask(address: str, argv: list[str]) -> dict:
    """The server's answer: {"pid": the kernel's} or {"refused": why}."""
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "path": sys.path,
               "package": analysis.__file__, "executable": sys.executable, "launcher": os.getpid()}
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as connection:
        connection.settimeout(60)
        try:
            connection.connect(address)
            socket.send_fds(connection, [json.dumps(request).encode()], [0, 1, 2])
            answer = connection.recv(1 << 16)
        except OSError as error:
            return {"refused": f"the kernel server at {address} did not answer ({error})"}
    return json.loads(answer) if answer else {"refused": "the kernel server closed the connection"}


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(sys.argv[2])
    else:
        sys.exit(launch(sys.argv[1:]))
