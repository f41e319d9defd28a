"""Reviewer-grade output: every built HTML page of every edition opened in a real headless browser, offline.

For each page: every chart has drawn marks, no request left the machine (nor failed on it), the console has no
error, axe-core finds no serious or critical violation, the page language is the edition's, headings nest,
tables have header cells, every image and chart has a text alternative, and each published table and chart
offers a CSV download that holds exactly the data shown. Search finds a word of a page in every edition.
Screenshots of every edition's index and of each page with a chart go to _build/screenshots/ for a person to
look at. The EPUB and PDF of every edition are checked for text alternatives too, and every chart in the
registry for colours that colour-blind readers can tell apart.

Chromium and chromedriver are Debian's (``make browser`` installs them); axe-core is the npm package pinned in
tests/package.json, installed into tests/node_modules by ``make browser`` or, if missing, by these tests.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import functools
import http.server
import io
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml

from analysis import charts, i18n, paths
from analysis.publication import charts as chart_output
from analysis.publication import chartchecks, editions, provenance
from analysis.results import registry
from tests.a11y import IMPACTS
from tests.checks import checked

TESTS = Path(__file__).parent.parent  # tests/, where package.json and node_modules are
AXE = TESTS / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = paths.BUILD / "screenshots"
DOWNLOADS = paths.BUILD / "downloads"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1024",
                # Offline: no name resolves but the local server's, and anything else goes to a dead proxy.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1"]
EDITIONS = list(editions.editions())
CHART_TIMEOUT = 30  # seconds for every chart of a page to be drawn
HTML_ONLY = ("data:text/csv", " at 0x")  # a download link; a Python repr ("<… at 0x…>") in place of an output


# -- Setup: axe-core, the local server, the browser -----------------------------------------------------

def axe_source() -> str:
    """axe-core's script, installed from tests/package.json (its lock pins the exact version) when missing."""
    if not AXE.exists():
        npm = shutil.which("npm")
        assert npm, "npm is needed to install axe-core for the browser tests: run `make browser`"
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(TESTS)], check=True,
                       capture_output=True, text=True)
    return AXE.read_text(encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test reports failed requests itself
        pass


@contextlib.contextmanager
def serving():
    """Serves a folder at the root of a server on 127.0.0.1 (the only host the browser can reach), as a web host
    would; yields the server's address for a folder."""
    servers = {}

    def address(root: Path) -> str:
        if root not in servers:
            handler = functools.partial(_QuietHandler, directory=str(root))
            servers[root] = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=servers[root].serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{servers[root].server_address[1]}"

    try:
        yield address
    finally:
        for httpd in servers.values():
            httpd.shutdown()
            httpd.server_close()


@pytest.fixture(scope="module")
def server_for():
    with serving() as address:
        yield address


@pytest.fixture(scope="module")
def server(server_for):
    """The server's address for an edition's HTML build."""
    return lambda edition: server_for(html_root(edition))


@contextlib.contextmanager
def chromium():
    """Headless Chromium, offline, logging the console and the network, saving downloads into a folder of its own
    (``driver.downloads``: two browsers at once, as on two test workers, never see each other's files)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), "run `make browser` (Debian chromium, chromium-driver)"
    profile = tempfile.mkdtemp(prefix="bbox-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROME_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # A page with several tables and charts downloads several files: allow it without Chrome's prompt.
    options.add_experimental_option("prefs", {"profile.default_content_setting_values.automatic_downloads": 1})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        driver.set_script_timeout(60)
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        driver.downloads = Path(tempfile.mkdtemp(prefix="browser-", dir=DOWNLOADS))
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow",
                                                               "downloadPath": str(driver.downloads)})
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def html_root(edition: str) -> Path:
    return editions.artifact(edition, "html").parent


def html_pages(edition: str) -> list[Path]:
    """Every HTML page the edition's build holds (not the theme's or the sources' files)."""
    root = html_root(edition)
    pages = [p for p in sorted(root.rglob("*.html")) if p.relative_to(root).parts[0] not in ("_static", "_sources")]
    assert pages, f"no HTML pages in {root}"
    return pages


def edition_language(edition: str) -> str:
    config = yaml.safe_load((editions.edition_dir(edition) / "config" / "_config.yml").read_text(encoding="utf-8"))
    return config["sphinx"]["config"]["language"]


def page_url(server, edition: str, page: Path) -> str:
    return f"{server(edition)}/{quote(page.relative_to(html_root(edition)).as_posix())}"


# -- What the browser reports about a page ---------------------------------------------------------------

PAGE_FACTS = """
const article = document.querySelector("article") || document.body;
const text = e => e.innerText.replace(/\\s+/g, " ").trim();
return {
  lang: document.documentElement.lang,
  charts: [...document.querySelectorAll("div.bbox-chart")].map(e => ({
    id: e.id, role: e.getAttribute("role"), label: e.getAttribute("aria-label") || "",
    rendered: e.dataset.rendered === "true", marks: e.querySelectorAll("svg g.role-mark > *").length,
    error: e.textContent.slice(0, 200), spec: document.getElementById(e.id + "-spec").textContent,
    texts: [...e.querySelectorAll("svg text")].map(t => t.textContent),
    caption: (() => { const f = e.closest("figure"), c = f && f.querySelector("figcaption");
                      return c ? text(c) : ""; })()})),
  outputTables: [...document.querySelectorAll(".cell_output table")].map(t => ({
    id: t.id, rows: [...t.querySelectorAll("tr")].map(r => [...r.querySelectorAll("th, td")].map(text)),
    caption: t.caption ? text(t.caption) : ""})),
  tables: [...article.querySelectorAll("table")].map(t => ({id: t.id, cls: t.className,
    headers: t.querySelectorAll("th").length, cells: t.querySelectorAll("td").length})),
  downloads: [...document.querySelectorAll("p.bbox-download a")].map(a => ({
    target: a.dataset.for, name: a.getAttribute("download") || "", text: text(a), href: a.href.slice(0, 40)})),
  headings: [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(h => [Number(h.tagName[1]), text(h)]),
  images: [...document.querySelectorAll("img")].map(i => ({src: i.getAttribute("src"), alt: i.getAttribute("alt")})),
  words: text(article),
};
"""

AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))
  .catch(e => done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]));
"""


def wait_for_charts(driver) -> bool:
    """Wait until the page has loaded and every chart is drawn or has said why not; False on a time-out."""
    deadline = time.monotonic() + CHART_TIMEOUT
    while time.monotonic() < deadline:
        if driver.execute_script(
                "return document.readyState === 'complete' && [...document.querySelectorAll('div.bbox-chart')]"
                ".every(e => e.dataset.rendered === 'true' || e.textContent.length > 0)"):
            return True
        time.sleep(0.2)
    return False


def requests_and_failures(driver, server: str) -> tuple[list[str], list[str]]:
    """From the performance log: requests for anything but the local server and data/blob URIs;
    requests that failed (a broken link or a blocked load)."""
    outside, failed, urls = [], [], {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            url = params["request"]["url"]
            urls[params["requestId"]] = url
            if urlsplit(url).scheme not in ("data", "blob", "about") and not url.startswith(server + "/"):
                outside.append(url)
        elif message["method"] == "Network.loadingFailed" and not params.get("canceled"):
            failed.append(f"{urls.get(params['requestId'], params['requestId'])}: {params.get('errorText')}"
                          f"{' blocked: ' + params['blockedReason'] if params.get('blockedReason') else ''}")
        elif message["method"] == "Network.responseReceived" and params["response"]["status"] >= 400:
            failed.append(f"{params['response']['url']}: HTTP {params['response']['status']}")
    return outside, failed


def screenshot(driver, path: Path) -> None:
    """The whole page, not only the window."""
    import base64

    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1}})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def download(driver, target: str, filename: str) -> str:
    """Click the download link of ``target`` as a reader would and return the file the browser saved, once saved."""
    saved = driver.downloads / filename
    saved.unlink(missing_ok=True)
    for _ in range(3):  # on a loaded machine Chromium now and then drops one of many quick downloads: click again
        driver.execute_script("document.querySelector(`p.bbox-download a[data-for='${arguments[0]}']`).click()",
                              target)
        text = completed(saved, seconds=10)
        if text is not None:
            return text
    raise AssertionError(f"clicking the download link of {target} saved no {filename} in {driver.downloads}")


def completed(saved: Path, seconds: float) -> str | None:
    """The text of ``saved`` once Chromium has finished writing it (no partial download beside it, its size the
    same at two looks in a row), or None if it has not within ``seconds``: a file that exists may still be growing."""
    deadline, size = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        if saved.exists() and not any(saved.parent.glob("*.crdownload")):
            size, previous = saved.stat().st_size, size
            if size == previous and size > 0:
                return saved.read_text(encoding="utf-8")
        else:
            size = None
        time.sleep(0.1)
    return None


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def typeset(rows: list[list[str]], language: str) -> list[list[str]]:
    """Cells as Sphinx shows them: its smart quotes turn ' into ’ (and -- into –) in the page, not in the data."""
    from docutils.utils.smartquotes import smartyPants

    # The page's text() folds every run of white space (no-break spaces of nl/fr numbers too) into one space.
    return [[" ".join(smartyPants(cell, "qDe", language).split()) for cell in row] for row in rows]


def records(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def spec_rows(spec: dict, language: str = "en") -> list[list[str]]:
    """The chart's data as its download holds them, as strings (missing values empty)."""
    from analysis.publication.downloads import shown_rows

    return [["" if value is None else str(value) for value in row] for row in shown_rows(spec, language)]


def chart_problems(where: str, facts: dict, language: str) -> list[str]:
    problems = []
    for chart in facts["charts"]:
        if not (chart["rendered"] and chart["marks"] > 0):
            problems.append(f"{where}: chart {chart['id']} drew no marks ({chart['error']!r})")
        if chart["role"] != "img" or len(chart["label"]) < 20:
            problems.append(f"{where}: chart {chart['id']} has no text alternative (role={chart['role']!r}, "
                            f"aria-label={chart['label']!r})")
        if not re.match(re.escape(i18n.text("figure", language)) + r" \d+\s?: \S", chart["caption"]):
            problems.append(f"{where}: chart {chart['id']} is no numbered figure with a caption ({chart['caption']!r})")
        # the caption without "Figure 3 : ", and apostrophes as the chart draws them (Sphinx curls the caption's)
        caption = re.sub(r"^\S+ \d+\s?:\s*", "", chart["caption"]).replace("’", "'")
        if caption and caption in [text.replace("’", "'") for text in chart["texts"]]:
            problems.append(f"{where}: chart {chart['id']} draws its caption again: {caption!r}")
        problems += [f"{where}: chart {chart['id']} writes a percent as {text!r}, not as the {language} prose"
                     for text in percents_not_in(language, chart["texts"])]
    return problems


def percents_not_in(language: str, texts: list[str]) -> list[str]:
    """The drawn texts with a percent written otherwise than :func:`i18n.percent` writes it in ``language``."""
    sign = i18n.vega_locale(language)["number"]["percent"]
    return [t for t in texts if re.search(r"\d\s?%", t) and not re.search(r"\d" + re.escape(sign) + r"(?!\S)", t)]


def download_problems(driver, where: str, facts: dict, language: str) -> list[str]:
    """Every table and chart shown has a CSV download, labelled in the page's language, holding the data shown."""
    downloads, label, problems = {d["target"]: d for d in facts["downloads"]}, i18n.text("download_csv", language), []
    # A table's CSV holds its cells in order; a chart's holds the records it draws (columns in any order).
    shown = {t["id"]: t["rows"] for t in facts["outputTables"]}
    shown.update({c["id"]: records(spec_rows(json.loads(c["spec"]), language)) for c in facts["charts"]})
    for target, rows in shown.items():
        link = downloads.get(target)
        if link is None:
            problems.append(f"{where}: table or chart {target!r} has no data download")
            continue
        if link["text"] != label or not link["name"].endswith(".csv"):
            problems.append(f"{where}: download of {target} reads {link['text']!r} as {link['name']!r}; "
                            f"expected {label!r} and a .csv file")
        got = csv_rows(download(driver, target, link["name"]))
        got = records(got) if target.startswith("vega-") else typeset(got, language)
        if got != rows:
            problems.append(f"{where}: the CSV of {target} is not the data shown:\n  shown {rows[:4]}…\n  CSV   {got[:4]}…")
    return problems + [f"{where}: download link for {target!r}, which is on no table or chart shown"
                       for target in downloads if target not in shown]


def structure_problems(where: str, facts: dict) -> list[str]:
    """Tables have header cells, headings nest from h1, images have a text alternative."""
    problems = [f"{where}: table {table['id'] or table['cls']!r} has no header cells"
                for table in facts["tables"] if table["cells"] and not table["headers"]]
    levels = [level for level, _ in facts["headings"]]
    if levels and levels[0] != 1:
        problems.append(f"{where}: the first heading is h{levels[0]}, not h1")
    problems += [f"{where}: heading {title!r} is h{level} right after an h{before}"
                 for (before, _), (level, title) in zip(facts["headings"], facts["headings"][1:]) if level > before + 1]
    return problems + [f"{where}: image {i['src']} has no text alternative" for i in facts["images"]
                       if i["alt"] is None or (i["alt"] == "" and "bbox" in (i["src"] or ""))]


def browser_problems(driver, address: str, where: str, axe: str) -> tuple[list[str], list[dict]]:
    """axe's serious and critical violations, console errors, requests that left the machine or failed."""
    driver.execute_script(axe)
    violations = driver.execute_async_script(AXE_RUN)
    problems = [f"{where}: axe {v['impact']} {v['id']}: {v['help']} at {v['nodes']}"
                for v in violations if v["impact"] in ("serious", "critical")]
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    problems += [f"{where}: console error: {message}" for message in errors]
    outside, failed = requests_and_failures(driver, address)
    problems += [f"{where}: request left the machine: {url}" for url in outside]
    return problems + [f"{where}: request failed: {failure}" for failure in failed], violations


def page_problems(driver, server, edition: str, page: Path, axe: str) -> tuple[list[str], dict]:
    driver.get("about:blank")
    driver.get_log("performance"), driver.get_log("browser")  # start both logs afresh
    driver.get(page_url(server, edition, page))
    settled = wait_for_charts(driver)
    facts = driver.execute_script(PAGE_FACTS)
    name = page.relative_to(html_root(edition)).as_posix()
    where, language = f"{edition}/{name}", edition_language(edition)
    problems = [] if settled else [f"{where}: the page or its charts had not finished after {CHART_TIMEOUT} s"]
    if facts["lang"] != language:
        problems.append(f"{where}: <html lang={facts['lang']!r}>, the edition's language is {language!r}")
    problems += chart_problems(where, facts, language) + download_problems(driver, where, facts, language)
    problems += structure_problems(where, facts)
    found, violations = browser_problems(driver, server(edition), where, axe)
    if name == "index.html" or facts["charts"]:
        screenshot(driver, SCREENSHOTS / edition / (name.replace("/", "__").removesuffix(".html") + ".png"))
    return problems + found, {"where": where, "violations": violations, **facts}


# -- The tests -----------------------------------------------------------------------------------------

def sweep(edition: str) -> dict:
    """Every page of the edition's HTML opened in Chromium once per test run and build (tests/checks.py): the
    problems found, a line saying what was seen, and axe's findings counted by impact as ``make a11y`` reports them."""
    return checked(edition, "html", "browser", lambda: _sweep(edition))


def _sweep(edition: str) -> dict:
    axe = axe_source()
    problems, seen = [], []
    with serving() as server_for, chromium() as driver:
        for page in html_pages(edition):
            found, facts = page_problems(driver, lambda name: server_for(html_root(name)), edition, page, axe)
            problems += found
            seen.append(facts)
    impacts = collections.Counter(v["impact"] for facts in seen for v in facts["violations"])
    return {"problems": problems,
            "summary": f"{edition}: {len(seen)} pages, {sum(len(f['charts']) for f in seen)} charts, "
                       f"{sum(len(f['outputTables']) for f in seen)} tables, "
                       f"{sum(len(f['violations']) for f in seen)} minor/moderate axe findings",
            "a11y": {"pages": len(seen), **{f"axe {impact}": impacts[impact] for impact in IMPACTS}}}


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_works_offline_and_accessibly(artifacts, edition):
    swept = sweep(edition)
    print(swept["summary"])
    problems = swept["problems"]
    assert not problems, f"{len(problems)} problem(s) in the {edition} HTML:\n" + "\n".join(problems)


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_search_finds_a_word_of_a_page(artifacts, server, browser, edition):
    root = html_root(edition)
    content = [p for p in html_pages(edition) if p.name not in ("search.html", "genindex.html")]
    page = max(content, key=lambda p: len(p.read_text(encoding="utf-8")))  # the page with the most to find
    browser.get(page_url(server, edition, page))
    # A word of the page's own prose (paragraphs of its sections), which Sphinx indexes; chart labels and raw
    # HTML blocks are not indexed.
    prose = browser.execute_script("return [...document.querySelectorAll('article section > p:not([class])')]"
                                   ".map(p => p.innerText).join(' ')")
    words = re.findall(r"[^\W\d_]{7,}", prose)
    assert words, f"{page} has no word to search for"
    # Sphinx stems the index in Python and the query in JavaScript; for some Dutch words the two stemmers differ
    # (an upstream limitation), so search for the longest word whose query stem the index holds.
    browser.get(page_url(server, edition, root / "search.html"))
    stems = browser.execute_script("const s = new Stemmer(); return arguments[0].map(w => s.stemWord(w.toLowerCase()))",
                                   words)
    index = (root / "searchindex.js").read_text(encoding="utf-8")
    indexed = [w for w, stem in zip(words, stems) if f'"{stem}":' in index]
    assert indexed, f"{page}: no word of its prose has a stem in the search index"
    word = max(indexed, key=len)
    browser.get(page_url(server, edition, root / "search.html") + f"?q={quote(word)}")
    # Results are listed one by one, as the search goes (on a loaded machine with pauses between them): wait until
    # the page's own result is listed, or the time is up.
    target = page.relative_to(root).as_posix()
    links = "return [...document.querySelectorAll('#search-results ul.search li a')].map(a => a.href)"
    deadline, hits = time.monotonic() + CHART_TIMEOUT, []
    while time.monotonic() < deadline and not any(urlsplit(h).path.endswith(target) for h in hits):
        time.sleep(0.2)
        hits = browser.execute_script(links)
    assert any(urlsplit(h).path.endswith(target) for h in hits), \
        f"searching {edition} for {word!r} (a word of {target}) found {hits}"


# -- Numbers that explain themselves (analysis/publication/sphinxext/numbers.py) ------------------------------

PASTED_NUMBERS = """
const pasted = [...document.querySelectorAll("article .output.text_plain")];
return {pasted: pasted.length, explained: document.querySelectorAll("article .bbox-number").length,
        unexplained: pasted.filter(e => !e.closest(".bbox-number")).map(e => e.textContent)};
"""


def focus_by_keyboard(driver, selector: str, limit: int = 400):
    """Press Tab, as a keyboard user does, until focus is in an element matching ``selector``; return the element."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script(f"return !!document.activeElement.closest({json.dumps(selector)})"):
            return driver.switch_to.active_element
    raise AssertionError(f"{limit} presses of Tab reached no {selector}")


def described_origin(key: str) -> str:
    result = registry.get(key)
    files = ", ".join(f"{name} ({digest[:8]})" for name, digest in sorted(result.data.items()))
    return (f"{key} · {provenance.citation(result.origin)} · {i18n.text('origin_label')}: {result.function} · "
            f"{i18n.text('data')}: {files}")


@pytest.mark.build
@pytest.mark.browser
def test_every_glued_number_explains_itself_to_keyboard_and_pointer(artifacts, server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = html_root("book") / "chapters" / "context.html"
    where = f"book/{page.relative_to(html_root('book')).as_posix()}:"
    # offline, no console error, axe: from the one sweep of the book's pages in this run (tests/checks.py)
    assert [problem for problem in sweep("book")["problems"] if problem.startswith(where)] == []
    browser.get(page_url(server, "book", page))
    assert wait_for_charts(browser)
    counts = browser.execute_script(PASTED_NUMBERS)
    assert counts["unexplained"] == [] and counts["explained"] == counts["pasted"] >= 15
    tips = browser.find_elements(By.CSS_SELECTOR, ".bbox-number-tip")
    assert tips and not any(tip.is_displayed() for tip in tips)  # until a reader asks
    number = focus_by_keyboard(browser, ".bbox-number")
    tip = browser.find_element(By.ID, number.get_attribute("aria-describedby"))
    assert tip.is_displayed() and tip.get_attribute("role") == "tooltip"
    key = tip.text.split(" · ")[0]
    assert tip.text == described_origin(key) and number.text == registry.get(key).formatted("en")
    assert number.get_attribute("href").endswith(f"/chapters/provenance.html#result-{key}")
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    assert not tip.is_displayed()  # dismissible without moving focus (WCAG 1.4.13)
    last = browser.find_elements(By.CSS_SELECTOR, ".bbox-number")[-1]
    ActionChains(browser).move_to_element(last).perform()
    assert last.find_element(By.CSS_SELECTOR, ".bbox-number-tip").is_displayed()  # the pointer too
    browser.get(number.get_attribute("href"))
    row = browser.find_element(By.ID, f"result-{key}")
    assert row.find_elements(By.TAG_NAME, "td")[0].text == key  # the link leads to the number's row


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_epub_is_accessible(artifacts, edition):
    """Every EPUB page has the edition's language; every image a text alternative and a numbered caption after
    it; every table header cells."""
    language = edition_language(edition)
    caption = re.compile(r'<figcaption>\s*<p><span class="caption-number">'
                         + re.escape(i18n.text("figure", language)) + r" \d+")
    problems, images = [], 0
    with zipfile.ZipFile(artifacts[edition, "epub"]) as epub:
        for name in epub.namelist():
            if not name.endswith(".xhtml") or name.endswith("nav.xhtml"):
                continue
            page = epub.read(name).decode("utf-8")
            if not re.search(rf'<html\b[^>]*\blang="{language}"', page):
                problems.append(f"{name}: <html> has no lang={language!r}")
            for match in re.finditer(r"<img\b[^>]*>", page):
                tag = match.group(0)
                images += 1
                alt, src = re.search(r'\balt="([^"]*)"', tag), re.search(r'\bsrc="([^"]*)"', tag)
                if alt is None or len(alt.group(1)) < 20 or alt.group(1) == (src and src.group(1)):
                    problems.append(f"{name}: {tag} has no text alternative")
                if not caption.search(page, match.end()):
                    problems.append(f"{name}: {tag} has no caption after it")
            problems += [f"{name}: shows {leak!r}, which belongs to the HTML edition or is a Python repr"
                         for leak in HTML_ONLY + (i18n.text("download_csv", language),) if leak in page]
            for table in re.findall(r"<table\b.*?</table>", page, re.S):
                if "<td" in table and "<th" not in table:
                    problems.append(f"{name}: a table without header cells")
    assert not problems, "\n".join(problems)
    print(f"{edition}: {images} EPUB images with text alternatives")


@pytest.mark.build
@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_images_have_text_alternatives(artifacts, edition):
    """Every image in the tagged PDF is a Figure structure element with an /Alt text, and has a numbered caption."""
    from tests.a11y import pdf_structure

    _, described = pdf_structure(artifacts[edition, "pdf"])
    assert all(len(text) >= 20 for text in described), described
    text = subprocess.run(["pdftotext", str(artifacts[edition, "pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    caption = re.escape(i18n.text("figure", edition_language(edition))) + r" \d+ ?: "  # "Figure 3 : " in French
    captions = len(re.findall(caption, re.sub(r"[\s\u00a0]+", " ", text)))
    assert captions >= len(described), f"{edition}: {len(described)} figures in the PDF but {captions} figure captions"
    leaks = [leak for leak in HTML_ONLY + (i18n.text("download_csv", edition_language(edition)),) if leak in text]
    assert not leaks, f"{edition}: the PDF shows {leaks}, which belong to the HTML edition or are Python reprs"


def test_text_alternative_travels_inside_chart_images(tmp_path):
    output = chart_output.ChartOutput({"mark": "bar", "data": {"values": [{"a": "x", "b": 1}]},
                                 "encoding": {"x": {"field": "a", "type": "nominal"},
                                              "y": {"field": "b", "type": "quantitative"}}},
                                "Bar chart of b by a – one bar, “x”, <1> & more")
    bundle, _ = output._repr_mimebundle_()
    import base64

    (tmp_path / "chart.png").write_bytes(base64.b64decode(bundle["image/png"]))
    (tmp_path / "chart.svg").write_text(bundle["image/svg+xml"], encoding="utf-8")
    for name in ("chart.png", "chart.svg"):
        assert chart_output.embedded_description(tmp_path / name) == output.alt_text, name


@pytest.mark.recompute  # every chart of every language
def test_every_chart_uses_colours_safe_for_colour_blind_readers():
    found = {key: result for key, result in registry.compute_all().items() if result.kind == "chart"}
    assert found, "the registry publishes no chart"
    problems = {key: chartchecks.colour_problems(result.value) for key, result in found.items()}
    assert not any(problems.values()), {key: p for key, p in problems.items() if p}
    assert all(len(result.alt) >= 20 for result in found.values()), "every chart needs a text alternative"


def test_colour_check_catches_unsafe_colours():
    spec = {"config": {"range": {"category": charts.PALETTE}}, "mark": {"type": "bar", "color": "#ff0000"},
            "encoding": {"color": {"field": "x", "scale": {"scheme": "rainbow"}}}}
    problems = chartchecks.colour_problems(spec)
    assert any("#ff0000" in p for p in problems) and any("rainbow" in p for p in problems), problems
    assert chartchecks.colour_problems({**spec, "mark": "bar", "encoding": {"color": {"field": "x"}}}) == []


def test_percent_check_catches_a_percent_written_in_another_language():
    nbsp = "\u00a0"
    assert percents_not_in("fr", ["10%", f"10{nbsp}%", f"25,0{nbsp}%", "Part"]) == ["10%"]
    assert percents_not_in("nl", ["10 %", f"10{nbsp}%"]) == ["10 %"]  # an ordinary space breaks the line
    assert percents_not_in("en", ["10%", f"10{nbsp}%"]) == [f"10{nbsp}%"]
