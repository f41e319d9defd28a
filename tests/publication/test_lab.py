"""``make lab`` starts JupyterLab for an author, as root too and on a remote machine: no browser, this machine's
address only, the URL to open printed; a chapter opens as a notebook (jupytext) on a double-click, and MyST is
rendered in Markdown cells (jupyterlab-myst); run in headless Chromium, a chapter shows its numbers in its prose as
the book prints them (its inline expressions, evaluated by the kernel), and its tables and charts with their
captions."""

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
from analysis.results import pins


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``make lab`` running on a free port: its base URL with the token, and what it printed. Its user settings are
    the test's own: no autosave (a run notebook is never written back into a chapter), no news to fetch."""
    port = free_port()
    settings = tmp_path_factory.mktemp("lab-settings") / "@jupyterlab"
    for plugin, values in (("docmanager-extension/plugin", {"autosave": False}),
                           ("apputils-extension/notification", {"fetchNews": "false", "checkForUpdates": False})):
        (settings / plugin).parent.mkdir(parents=True, exist_ok=True)
        (settings / f"{plugin}.jupyterlab-settings").write_text(json.dumps(values), encoding="utf-8")
    environment = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings.parent)}
    process = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_PORT={port}"], cwd=paths.ROOT,
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
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


RUN_TIMEOUT = 300  # seconds for the kernel to start and the chapter's results to be read (computed on a cold cache)


@pytest.mark.browser
def test_a_chapter_run_in_lab_shows_its_numbers_as_the_book_prints_them(lab):
    """Opened from its URL, ``chapters/survey.md`` is a notebook; Run ▸ Run All Cells runs its code and its Markdown
    cells, whose inline expressions the kernel evaluates: the rendered prose holds the published response rate as
    the book prints it, in place of the expression. The chapter's file is left as it was. A screenshot of the
    paragraph is left in _build/lab/ (the README's picture)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    from tests.publication.test_browser import chromium

    url, _, _ = lab
    base, token = url.split("/lab?token=")
    chapter = paths.CHAPTERS / "survey.md"
    source = chapter.read_text(encoding="utf-8")
    rate = pins.pinned()["survey.response.rate"].shown["en"]
    expression = 'n("survey.response.rate")'
    assert expression in source

    def cells(selector: str):
        return driver.find_elements(By.CSS_SELECTOR, f".jp-Notebook {selector}")

    def until(found, what: str, timeout: float):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = found()
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"{what} within {timeout} s")

    with chromium() as driver:
        driver.get(f"{base}/lab/tree/chapters/survey.md?token={token}")
        until(lambda: cells(".jp-MarkdownCell"), "the chapter opened as a notebook", 90)
        until(lambda: driver.find_elements(By.CSS_SELECTOR, '.jp-Notebook-ExecutionIndicator[data-status="idle"]'),
              "the kernel started", 90)
        menu = next(item for item in driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item") if item.text == "Run")
        ActionChains(driver).move_to_element(menu).click().perform()
        run_all = until(lambda: [item for item in driver.find_elements(By.CSS_SELECTOR, ".lm-Menu-item")
                                 if item.get_attribute("data-command") == "runmenu:run-all"], "the Run menu", 30)[0]
        ActionChains(driver).move_to_element(run_all).click().perform()
        paragraph = until(lambda: [cell for cell in cells(".jp-MarkdownCell")
                                   if f"response rate of {rate}" in cell.text],
                          f"the response rate ({rate}) in the rendered prose", RUN_TIMEOUT)[0]
        assert expression not in paragraph.text and "{eval}" not in paragraph.text  # the value, not the expression
        # tables show with their caption (escaped HTML beside the blocks), charts as their image and caption
        table, chart = (pins.pinned()[key].title for key in ("survey.response.by_region", "survey.repertoire.chart"))
        until(lambda: [c for c in cells(".jp-OutputArea-output caption") if c.text == table],
              f"the table captioned {table!r}", 60)
        until(lambda: [p for p in cells(".jp-OutputArea-output p strong") if p.text == chart],
              f"the chart captioned {chart!r}", 60)
        images = cells(".jp-RenderedSVG img, .jp-RenderedSVG svg, .jp-RenderedImage img")
        assert images, "no chart image: " + "; ".join(o.get_attribute("class") for o in cells(".jp-OutputArea-output"))
        shown = paragraph.find_element(By.XPATH, ".//p[contains(., 'response rate of')]")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", shown)
        time.sleep(1)
        (paths.BUILD / "lab").mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(paths.BUILD / "lab" / "survey.png"))
    assert chapter.read_text(encoding="utf-8") == source
