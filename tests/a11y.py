"""The accessibility report of every built artifact: ``make a11y`` (``python -m tests.a11y``).

- HTML: axe-core in headless Chromium on every page of every edition (the machinery of tests/publication/test_browser.py);
- EPUB: Ace by DAISY (npm ``@daisy/ace-cli``, pinned in tests/package.json) and epubcheck;
- PDF: ``pdfua check`` (PyPI pdfua) and the tagged structure as read with pikepdf and pdfinfo.

It prints a table per artifact, writes ``_build/a11y/report.{md,json}``, and compares every count with the
baseline stored in ``tests/a11y-baseline.json``: any count above its baseline (a new finding) is a regression,
and the command exits 1 (tests/publication/test_a11y.py does the same in the test suite). ``--write-baseline`` stores the
current counts as the new baseline, for when a finding was fixed or a new one is accepted knowingly.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from analysis import paths
from analysis.publication import editions

TESTS = Path(__file__).parent
BASELINE = TESTS / "a11y-baseline.json"
REPORT = paths.BUILD / "a11y"
ACE = TESTS / "node_modules" / ".bin" / "ace-cli"
EPUBCHECK = "/usr/share/java/epubcheck.jar"
CHROMIUM = "/usr/bin/chromium"
IMPACTS = ("minor", "moderate", "serious", "critical")


# -- PDF ------------------------------------------------------------------------------------------------

def pdf_structure(path: Path) -> tuple[collections.Counter, list[str]]:
    """The tagged PDF's structure types, counted, and the /Alt of each Figure ("" where it has none)."""
    import pikepdf

    counts, alts = collections.Counter(), []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            kind = node.get("/S")
            if kind is not None:
                counts[str(kind)] += 1
                if str(kind) == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(path) as pdf:
        if "/StructTreeRoot" in pdf.Root:
            walk(pdf.Root.StructTreeRoot.K)
    return counts, alts


def check_pdf(path: Path) -> dict:
    import pikepdf

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    run = subprocess.run([str(Path(sys.executable).parent / "pdfua"), "check", "--format", "json", str(path)],
                         capture_output=True, text=True)
    pdfua = json.loads(run.stdout)
    counts, alts = pdf_structure(path)
    with pikepdf.open(path) as pdf:
        lang = str(pdf.Root.get("/Lang", ""))
    return {
        "tagged": bool(re.search(r"^Tagged:\s+yes$", info, re.M)),
        "lang": lang,
        "pages": int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)),
        "figures": len(alts),
        "figures without alt": sum(1 for alt in alts if not alt.strip()),
        "fonts not embedded": sum(1 for line in fonts if line.split()[-5] != "yes"),
        "pdfua errors": pdfua["summary"]["errors"],
        "pdfua warnings": pdfua["summary"]["warnings"],
        "pdfua rules skipped": pdfua["summary"]["rules_skipped"],
        "headings": sum(n for kind, n in counts.items() if re.fullmatch(r"/H\d", kind)),
        "tables": counts["/Table"],
    }


# -- EPUB -----------------------------------------------------------------------------------------------

def ace_installed() -> Path:
    """Ace from tests/package.json; --ignore-scripts, since Puppeteer's install script would download a Chrome."""
    if not ACE.exists():
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(TESTS)],
                       check=True, capture_output=True, text=True)
    return ACE


def check_epub(path: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="bbox-ace-") as out:
        env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=CHROMIUM)
        run = subprocess.run([str(ace_installed()), "--silent", "-o", out, "-f", str(path)], capture_output=True,
                             text=True, env=env, timeout=600)
        report = Path(out) / "report.json"
        if not report.exists():
            raise RuntimeError(f"Ace wrote no report for {path}:\n{run.stdout}\n{run.stderr}")
        ace = json.loads(report.read_text(encoding="utf-8"))
    impacts = collections.Counter()
    for document in ace.get("assertions", []):
        for assertion in document.get("assertions", []):
            if assertion.get("earl:result", {}).get("earl:outcome") == "fail":
                impacts[assertion.get("earl:test", {}).get("earl:impact", "unknown")] += 1
    # The JIT's first tier only: a check is a few seconds of work, which the optimising compiler never pays back
    # (measured: 7 s -> 4.5 s per EPUB, the same messages).
    check = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", EPUBCHECK, str(path)],
                           capture_output=True, text=True)
    messages = re.search(r"Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings? / (\d+) infos?",
                         check.stdout + check.stderr)
    if messages is None:
        raise RuntimeError(f"epubcheck gave no summary for {path}:\n{check.stdout}\n{check.stderr}")
    fatals, errors, warnings, _infos = map(int, messages.groups())
    return {
        "ace outcome": ace.get("earl:result", {}).get("earl:outcome", "?"),
        **{f"ace {impact}": impacts[impact] for impact in IMPACTS},
        "epubcheck fatals+errors": fatals + errors,
        "epubcheck warnings": warnings,
    }


# -- HTML -----------------------------------------------------------------------------------------------

def check_html(edition: str) -> dict:
    """axe-core on every page of the edition's HTML, served on 127.0.0.1 and opened in headless Chromium, in the
    sweep of every page that tests/publication/test_browser.py makes once per build (tests/checks.py)."""
    from tests.publication import test_browser

    return test_browser.sweep(edition)["a11y"]


# -- Report and baseline ----------------------------------------------------------------------------------

def report(names: list[str] | None = None, formats=editions.FORMATS) -> dict[str, dict]:
    """{artifact: {check: value}} for the built artifacts (build them first: `make all`)."""
    results = {}
    for name in names or list(editions.editions()):
        print(f"checking {name}…", file=sys.stderr, flush=True)
        if "html" in formats:
            results[f"{name}.html"] = check_html(name)
        if "epub" in formats:
            results[f"bbox-{name}.epub"] = check_epub(editions.PUBLISH / f"bbox-{name}.epub")
        if "pdf" in formats:
            results[f"bbox-{name}.pdf"] = check_pdf(editions.PUBLISH / f"bbox-{name}.pdf")
    return results


def regressions(results: dict[str, dict], baseline: dict[str, dict]) -> list[str]:
    """Every count above its baseline, and every yes/no or language that changed: a new finding."""
    found = []
    for artifact, checks in results.items():
        expected = baseline.get(artifact)
        if expected is None:
            found.append(f"{artifact}: not in the baseline {BASELINE.name} (run `python -m tests.a11y --write-baseline`)")
            continue
        for check, value in checks.items():
            if check in ("pages",) or check not in expected:
                continue
            if isinstance(value, bool) or isinstance(value, str):
                if value != expected[check]:
                    found.append(f"{artifact}: {check} is {value!r}, the baseline {expected[check]!r}")
            elif check not in ("figures", "headings", "tables") and value > expected[check]:
                found.append(f"{artifact}: {check} {value}, the baseline {expected[check]}")
    return found


def markdown(results: dict[str, dict]) -> str:
    out = []
    for artifact, checks in results.items():
        out += [f"### {artifact}", "", "| check | result |", "| --- | --- |"]
        out += [f"| {check} | {value} |" for check, value in checks.items()]
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.a11y", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-baseline", action="store_true", help="store the current counts as the baseline")
    parser.add_argument("--no-build", action="store_true", help="check the artifacts as built, without building")
    args = parser.parse_args(argv)
    if not args.no_build:
        editions.build_all(list(editions.editions()), editions.FORMATS)
    results = report()
    REPORT.mkdir(parents=True, exist_ok=True)
    text = markdown(results)
    (REPORT / "report.md").write_text(text, encoding="utf-8")
    (REPORT / "report.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(text)
    if args.write_baseline:
        BASELINE.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"Baseline written: {BASELINE}")
        return 0
    found = regressions(results, json.loads(BASELINE.read_text(encoding="utf-8")))
    print("\n".join(found) if found else f"No regression against {BASELINE.name}. Report: {REPORT / 'report.md'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
