"""``make lab`` starts JupyterLab for an author, as root too and on a remote machine: no browser, this machine's
address only, the URL to open printed; a chapter opens as a notebook (jupytext) on a double-click, and MyST is
rendered in Markdown cells (jupyterlab-myst)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from analysis import paths


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab():
    """``make lab`` running on a free port: its base URL with the token, and what it printed."""
    port = free_port()
    process = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_PORT={port}"], cwd=paths.ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    printed, url = [], None
    deadline = time.monotonic() + 90
    while url is None and time.monotonic() < deadline and process.poll() is None:
        line = process.stdout.readline()
        printed.append(line)
        found = re.search(rf"(http://127\.0\.0\.1:{port}/lab\?token=\w+)", line)
        url = found.group(1) if found else None
    try:
        assert url, "make lab printed no URL to open:\n" + "".join(printed)
        while time.monotonic() < deadline:  # the URL may be printed just before the server answers
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.5)
        yield url, "".join(printed), process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def get(url: str, path: str) -> dict:
    base, token = url.split("/lab?token=")
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # this machine: never through a proxy
    with direct.open(f"{base}{path}{'&' if '?' in path else '?'}token={token}", timeout=30) as response:
        return json.loads(response.read())


def test_lab_starts_as_root_without_a_browser_and_prints_the_url(lab):
    url, printed, _ = lab
    assert url.startswith("http://127.0.0.1:")  # this machine only: a remote author forwards the port
    assert "ssh -L" in printed
    assert "Running as root is not recommended" not in printed or os.geteuid() == 0
    assert "No web browser found" not in printed  # it never looked for one


def test_a_chapter_opens_as_a_notebook(lab):
    url, _, _ = lab
    settings = get(url, "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    viewers = settings["schema"]["properties"]["defaultViewers"]["default"]  # overrides.json sets the defaults
    assert viewers["markdown"] == viewers["myst"] == "Jupytext Notebook"
    notebook = get(url, "/api/contents/chapters/survey.md?type=notebook&content=1")
    assert notebook["type"] == "notebook"
    cells = notebook["content"]["cells"]
    assert any(c["cell_type"] == "code" and "from analysis.publish import" in c["source"] for c in cells)
    assert any(c["cell_type"] == "markdown" and '{eval}`n("survey.' in c["source"] for c in cells)


def test_markdown_cells_render_myst(lab):
    url, _, _ = lab
    extensions = {e["name"]: e for e in get(url, "/lab/api/extensions")}
    myst = extensions["jupyterlab-myst"]
    assert myst["enabled"] and myst["status"] == "ok"  # "warning": built for another JupyterLab, left unloaded
