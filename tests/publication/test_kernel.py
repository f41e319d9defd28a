"""A page's kernel in a build is a fork of one warm server (analysis/publication/kernel.py), and the same kernel an
ordinary start gives: its working directory, environment, path, hash seed, package and standard streams. It ends
with the process Jupyter started for it, however that ends; a kernel the server cannot be (another start-up
variable, or a server that could not import the package) starts as an ordinary one and says why; a kernel whose
path finds another copy of the package imports that copy."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

import analysis
from analysis.publication import editions, kernel

pytestmark = pytest.mark.build  # starts kernels, as a build does

PROBE = """
import hashlib, json, os, sys, analysis.publish
print(json.dumps({"cwd": os.getcwd(), "path": sys.path, "probe": os.environ.get("BBOX_PROBE"),
                  "hash": hash("a"), "package": analysis.publish.__file__, "pid": os.getpid(), "ppid": os.getppid()}))
os.write(2, b"written to the kernel's standard error\\n")
"""


@pytest.fixture(scope="module")
def served():
    """A build's environment with its kernel server."""
    with kernel.serving(dict(os.environ, PYTHONHASHSEED="0")) as env:
        yield env


def start(env: dict, cwd: Path, streams: Path, monkeypatch) -> tuple[KernelManager, object]:
    """A kernel started as the build's Jupyter starts one (the kernelspec ``python3`` found on env's JUPYTER_PATH),
    its standard output and error written to ``streams`` with the suffixes .out and .err."""
    monkeypatch.setattr(os, "environ", os.environ.copy())  # Jupyter finds the kernelspec from this process's
    os.environ.clear(), os.environ.update(env)
    manager = KernelManager(kernel_name="python3")
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
    ordinary_env = dict(os.environ, PYTHONHASHSEED="0", BBOX_PROBE="set after the server started")
    manager, client = start(ordinary_env, tmp_path, tmp_path / "ordinary", monkeypatch)
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
    pid, launcher = probe(client)["pid"], manager.provisioner.pid
    stop(manager, client)  # the kernel is asked to shut down: it ends, and the launcher with it
    assert gone(pid) and gone(launcher)

    manager, client = start(served, tmp_path, tmp_path / "killed", monkeypatch)
    pid = probe(client)["pid"]
    client.stop_channels()
    os.kill(manager.provisioner.pid, signal.SIGKILL)  # Jupyter's last resort: the kernel goes with it
    assert gone(pid)
    manager.cleanup_resources()


def test_a_kernel_the_server_cannot_be_starts_as_an_ordinary_one(served, tmp_path, monkeypatch):
    manager, client = start(dict(served, PYTHONHASHSEED="1"), tmp_path, tmp_path / "seed", monkeypatch)
    seen = probe(client)
    launcher = manager.provisioner.pid
    stop(manager, client)
    assert seen["pid"] == launcher  # the process Jupyter started became the kernel
    said = (tmp_path / "seed.err").read_text()
    assert f"{kernel.ORDINARY}: its start-up variables differ from the server's: PYTHONHASHSEED" in said


def test_a_kernel_whose_path_finds_another_copy_of_the_package_imports_that_copy(served, tmp_path, monkeypatch):
    copy = tmp_path / "analysis"
    shutil.copytree(Path(analysis.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    manager, client = start(served, tmp_path, tmp_path / "copy", monkeypatch)  # the page's folder comes first
    seen = probe(client)
    stop(manager, client)
    assert seen["ppid"] != manager.provisioner.pid  # a fork still
    assert seen["package"] == str(copy / "publish.py")


def test_every_build_of_an_edition_has_a_kernel_server(monkeypatch, tmp_path):
    monkeypatch.setattr(editions, "edition_dir", lambda edition: tmp_path / edition)
    servers = []

    def build(edition, fmts, env):  # what each edition's Jupyter Book process would start with
        servers.append((env["JUPYTER_PATH"].split(os.pathsep)[0], Path(env[kernel.SERVER]).is_socket()))
        return {}

    monkeypatch.setattr(editions, "_build", build)
    editions.build_formats("book", ["html"])
    editions.build_all(["book"], ("html",))
    assert servers == [(str(kernel.KERNELSPECS), True)] * 2


def test_a_server_that_cannot_import_what_kernels_import_names_the_error(monkeypatch):
    # The kernels then start as ordinary ones, and the page shows the author's error where it would without a server.
    monkeypatch.setattr(kernel, "WARM", ("json", "analysis.no_such_module"))
    assert kernel._warmed() == {"failed": "the kernel server could not import analysis.no_such_module "
                                          "(ModuleNotFoundError: No module named 'analysis.no_such_module')"}
