"""A page's kernel in a build is a fork of one warm server (analysis/publication/kernel.py), and the same kernel an
ordinary start gives: its working directory, environment, path, hash seed, package and standard streams. It ends
with the process Jupyter started for it, however that ends; a kernel the server cannot be (another start-up
variable, or a server that could not import the package) starts as an ordinary one and says why; a kernel whose
path finds another copy of the package imports that copy."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

import analysis
from analysis import paths, yaml_text
from analysis.publication import editions, kernel

pytestmark = pytest.mark.build  # starts kernels, as a build does

PROBE = """
import json, os, sys, numpy, analysis.publish
print(json.dumps({"cwd": os.getcwd(), "path": sys.path, "probe": os.environ.get("BBOX_PROBE"),
                  "random": numpy.random.random(),
                  "hash": hash("a"), "package": analysis.publish.__file__, "pid": os.getpid(), "ppid": os.getppid()}))
os.write(2, b"written to the kernel's standard error\\n")
"""


JUPYTER = """
import json, sys
from jupyter_client.manager import KernelManager
manager = KernelManager(kernel_name="python3")
manager.start_kernel(cwd=sys.argv[1], env=json.loads(sys.argv[2]))
client = manager.client()
client.start_channels()
client.wait_for_ready(timeout=60)
client.execute_interactive("import os; print(os.getpid())", output_hook=lambda message: print(
    message["content"]["text"], end="", flush=True) if message["msg_type"] == "stream" else None)
sys.stdin.read()  # until killed
"""


@pytest.fixture(scope="module")
def served():
    """A build's environment with its kernel server."""
    with kernel.serving(dict(os.environ, PYTHONHASHSEED="0")) as env:
        yield env


def start(env: dict, cwd: Path, streams: Path, monkeypatch) -> tuple[KernelManager, object]:
    """A kernel started as the build's Jupyter starts one, from our kernelspec ``python3`` (a fork if ``env`` names
    the server, else the ordinary kernel it becomes), its standard output and error written to ``streams`` with the
    suffixes .out and .err."""
    monkeypatch.setenv("JUPYTER_PATH", str(kernel.KERNELSPECS))  # Jupyter finds kernelspecs from this process's
    manager = KernelManager(kernel_name="python3")
    assert Path(manager.kernel_spec.resource_dir).parent.parent == kernel.KERNELSPECS
    with streams.with_suffix(".out").open("w") as output, streams.with_suffix(".err").open("w") as errors:
        manager.start_kernel(cwd=str(cwd), env=env, stdout=output, stderr=errors)
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    return manager, client


def probe(client) -> dict:
    printed = []
    client.execute_interactive(PROBE, timeout=60, output_hook=lambda message: printed.append(
        message["content"].get("text", "")) if message["msg_type"] == "stream" else None)
    return json.loads("".join(printed))


def stop(manager: KernelManager, client) -> None:
    client.stop_channels()
    manager.shutdown_kernel(now=False)


def gone(pid: int, within: float = 10) -> bool:
    ends = time.monotonic() + within
    while time.monotonic() < ends:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_a_page_kernel_is_a_fork_and_the_kernel_an_ordinary_start_gives(served, tmp_path, monkeypatch):
    ordinary_env = {name: value for name, value in served.items() if name != kernel.SERVER}
    manager, client = start(dict(ordinary_env, BBOX_PROBE="set after the server started"), tmp_path,
                            tmp_path / "ordinary", monkeypatch)
    ordinary, started = probe(client), manager.provisioner.pid
    stop(manager, client)
    manager, client = start(dict(served, BBOX_PROBE="set after the server started"), tmp_path, tmp_path / "fork",
                            monkeypatch)
    forked = probe(client)
    launcher = manager.provisioner.pid
    stop(manager, client)

    assert ordinary["pid"] == started  # an ordinary kernel is the process Jupyter started ...
    assert forked["pid"] != launcher and forked["ppid"] not in (launcher, os.getpid())  # ... a fork, the server's child
    for field in ("cwd", "path", "probe", "hash", "package"):
        assert forked[field] == ordinary[field], field
    assert forked["cwd"] == str(tmp_path) and forked["probe"] == "set after the server started"
    assert "written to the kernel's standard error" in (tmp_path / "fork.err").read_text()
    for stream in (".out", ".err"):  # what ipykernel itself writes there too
        assert (tmp_path / f"fork{stream}").read_text() == (tmp_path / f"ordinary{stream}").read_text(), stream


def test_a_page_kernel_ends_with_the_process_jupyter_started(served, tmp_path, monkeypatch):
    manager, client = start(served, tmp_path, tmp_path / "shutdown", monkeypatch)
    first = probe(client)
    pid, launcher = first["pid"], manager.provisioner.pid
    stop(manager, client)  # the kernel is asked to shut down: it ends, and the launcher with it
    assert gone(pid) and gone(launcher)

    manager, client = start(served, tmp_path, tmp_path / "killed", monkeypatch)
    second = probe(client)
    pid = second["pid"]
    assert second["random"] != first["random"]  # each fork draws its own unseeded state, as separate kernels do
    client.stop_channels()
    os.kill(manager.provisioner.pid, signal.SIGKILL)  # Jupyter's last resort: the kernel goes with it
    assert gone(pid)
    manager.cleanup_resources()

    # Jupyter itself killed (an out-of-memory kill, a test's timeout): its kernels go too, as ordinary ones do
    jupyter = subprocess.Popen([sys.executable, "-c", JUPYTER, str(tmp_path), json.dumps(served)], text=True,
                               stdin=subprocess.PIPE,
                               env=dict(os.environ, JUPYTER_PATH=str(kernel.KERNELSPECS)), stdout=subprocess.PIPE)
    pid = int(jupyter.stdout.readline())
    jupyter.kill()
    jupyter.wait()
    assert gone(pid)


def test_a_launcher_whose_jupyter_is_gone_before_it_starts_asks_for_no_kernel(served, tmp_path):
    # Jupyter (JPY_PARENT_PID, which jupyter_client sets to its own pid) ended before the launcher looked: the
    # launcher now has another parent, and a fork would outlive the build
    launcher = subprocess.run([sys.executable, "-m", "analysis.publication.kernel", "-f", str(tmp_path / "k.json")],
                              env=dict(served, JPY_PARENT_PID=str(2 ** 22 + 1)), capture_output=True, text=True,
                              timeout=60)
    assert launcher.returncode == 1 and "the Jupyter that started this kernel is gone" in launcher.stderr
    assert not (tmp_path / "k.json").exists()  # no kernel started, which would have written its connection file


def test_a_kernel_the_server_cannot_be_starts_as_an_ordinary_one(served, tmp_path, monkeypatch):
    manager, client = start(dict(served, PYTHONHASHSEED="1"), tmp_path, tmp_path / "seed", monkeypatch)
    seen = probe(client)
    launcher = manager.provisioner.pid
    stop(manager, client)
    assert seen["pid"] == launcher  # the process Jupyter started became the kernel
    said = (tmp_path / "seed.err").read_text()
    assert f"{kernel.ORDINARY}: its start-up variables differ from the server's: PYTHONHASHSEED" in said


def test_a_kernel_whose_path_finds_another_copy_of_the_package_imports_that_copy(tmp_path, monkeypatch):
    copy = tmp_path / "analysis"
    shutil.copytree(Path(analysis.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    # Without PYTHONPATH, the page's folder finds the copy; the server, started in the repository, has its own.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"} | {"PYTHONHASHSEED": "0"}
    with kernel.serving(env) as served:
        manager, client = start(served, tmp_path, tmp_path / "copy", monkeypatch)
        seen, launcher = probe(client), manager.provisioner.pid
        stop(manager, client)
    assert seen["pid"] != launcher and kernel.ORDINARY not in (tmp_path / "copy.err").read_text()  # a fork still
    assert seen["package"] == str(copy / "publish.py")


def test_a_request_too_large_to_send_starts_an_ordinary_kernel(served, tmp_path, monkeypatch):
    # an environment larger than a socket's message (about 200 kB here), each variable under exec's 128 kB limit
    large = {f"BBOX_LARGE_{n}": "x" * 100_000 for n in range(4)}
    manager, client = start(dict(served, **large), tmp_path, tmp_path / "large", monkeypatch)
    seen, launcher = probe(client), manager.provisioner.pid
    stop(manager, client)
    assert seen["pid"] == launcher  # the process Jupyter started became the kernel
    assert f"{kernel.ORDINARY}: the kernel server could not be sent the request" in (tmp_path / "large.err").read_text()


def test_a_request_that_fails_ends_no_other_kernel(served, tmp_path, monkeypatch):
    for request in (b"{}", b"not a request"):  # no streams sent; not even JSON
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as connection:
            connection.connect(served[kernel.SERVER])
            connection.send(request)
            answer = connection.recv(1 << 16)
        assert answer == (b'{"refused": "it sent no standard streams and pidfd"}' if request == b"{}" else b"")
    manager, client = start(served, tmp_path, tmp_path / "after", monkeypatch)
    seen, launcher = probe(client), manager.provisioner.pid
    stop(manager, client)
    assert seen["pid"] != launcher  # the server still forks kernels


@pytest.mark.parametrize("module, said", [
    ("import analysis.no_such_module", "(ModuleNotFoundError: No module named 'analysis.no_such_module')"),
    ("import warnings; warnings.warn('a deprecated call', FutureWarning)", "said: a deprecated call"),
    ("print('a line on import')", "said: a line on import"),
])
def test_a_server_whose_imports_fail_or_speak_starts_ordinary_kernels(module, said, tmp_path, monkeypatch):
    # An ordinary kernel shows these in the page (and a strict build fails on a warning), where the author looks.
    name = f"bbox_probe_{abs(hash(module))}"  # a module of its own each time: imported once per process
    (tmp_path / f"{name}.py").write_text(module + "\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(kernel, "WARM", ("json", name))
    assert said in kernel._warm()


def _refused(pid):
    raise OSError(38, "Function not implemented")


@pytest.mark.parametrize("system", ["no os.pidfd_open", "Linux before 5.3"])
def test_without_pidfds_a_build_starts_ordinary_kernels(monkeypatch, system):
    # macOS (Python has no os.pidfd_open), or a Linux that refuses it: the build's environment is left as it is,
    # nothing is started
    if system == "no os.pidfd_open":
        monkeypatch.delattr(os, "pidfd_open")
    else:
        monkeypatch.setattr(os, "pidfd_open", _refused)
    monkeypatch.setattr(kernel.subprocess, "Popen", lambda *args, **kwargs: pytest.fail("a server was started"))
    with kernel.serving({"PATH": "/usr/bin"}) as env:
        assert env == {"PATH": "/usr/bin"}


def test_every_build_of_an_edition_has_a_kernel_server_for_its_pages(monkeypatch, tmp_path):
    monkeypatch.setattr(editions, "edition_dir", lambda edition: tmp_path / edition)
    servers = []

    def build(edition, fmts, env):  # what each edition's Jupyter Book process would start with
        servers.append((env["JUPYTER_PATH"].split(os.pathsep)[0], Path(env[kernel.SERVER]).is_socket()))
        return {}

    monkeypatch.setattr(editions, "_build", build)
    editions.build_formats("book", ["html"])
    editions.build_all(["book"], ("html",))
    assert servers == [(str(kernel.KERNELSPECS), True)] * 2
    # and every page that executes asks for the kernelspec the server's environment names
    fronts = [re.match(r"\A---\n(.*?)\n---\n", page.read_text(encoding="utf-8"), re.S)
              for page in paths.page_sources() if page.suffix == ".md"]
    named = [yaml_text.parse(front.group(1))["kernelspec"]["name"] for front in fronts
             if front and "kernelspec" in front.group(1)]
    assert named and set(named) == {"python3"}
