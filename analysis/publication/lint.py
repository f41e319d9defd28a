"""Find statistics typed into the prose of a chapter or edition instead of glued from the analysis.

A number in prose is allowed when it is a year, a day of a dated event ("8 July 1976"), part of a legal
reference ("art. 60 §7") or an identifier, or when its sentence cites a source with ``{cite}`` (a fact from
the literature). Everything else (percentages, counts, p-values, coefficients) is printed from the analysis, with
an inline expression (``{eval}`n("key")```, :mod:`analysis.publication.inline`) in a chapter.
Code cells, front matter, directive options, roles and inline code are not prose and are not read.

:func:`inline_problems` checks what prints results: each ``{eval}`` expression is of the book's form and names a
pinned result of its kind (else the closest keys), and a chapter prints with ``{eval}``, not ``{glue}``.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis import paths
from analysis.problems import Problem

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
          "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre")
ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
INLINE_CODE = re.compile(r"`[^`]*`")
LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
MATH = re.compile(r"\$[^$]*\$")
ALLOWED = [
    re.compile(r"\b(?:1[89]|20)\d\d(?:[–-](?:1[89]|20)?\d\d)?\b(?!\s?%)"),  # years and year ranges
    re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\b", re.I),  # a day in a date
    re.compile(r"(?:art\.|article|artikel|§)\s*\d+(?:\s*§\s*\d+)?", re.I),  # legal references
    re.compile(r"\b[\w/-]*[A-Za-z][\w/-]*\d[\w/-]*|\b\d[\w/-]*[A-Za-z][\w/-]*"),  # identifiers such as B2/191/P3
]
NUMBER = re.compile(r"(?<![\w])[-−]?\d+(?:[.,]\d+)*\s?%?")
FENCE = re.compile(r"^(```+|~~~+|:::+)\s*(\{[\w-]+\})?")
NOT_PROSE = {"{code-cell}", "{bibliography}", "{tableofcontents}", "{glue:figure}", "{math}", None}


def prose_lines(text: str):
    """(line number, text) of each prose line: outside front matter, code cells and directive options."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0) + 1
    fences: list[tuple[str, bool]] = []
    for number, line in enumerate(lines[start:], start=start + 1):
        match = FENCE.match(line.strip())
        if match:
            marker, directive = match.groups()
            if fences and marker == fences[-1][0] and not directive and line.strip() == marker:
                fences.pop()
                continue
            fences.append((marker, directive not in NOT_PROSE if marker.startswith(("`", "~")) else True))
            continue
        if fences and not all(prose for _, prose in fences):
            continue
        if line.lstrip().startswith(":") and re.match(r"\s*:[\w-]+:", line):
            continue  # a directive option
        yield number, line


def typed_numbers(files: list[Path] | None = None) -> list[Problem]:
    """Every number typed into the prose of ``files`` (every page of every edition by default), one problem each."""
    found = []
    for path in (p for p in files or paths.page_sources() if p.suffix == ".md"):
        name = str(path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path)
        for row, line in prose_lines(path.read_text(encoding="utf-8")):
            found += [Problem(name, row, None, f"typed number {number!r} in \"{sentence[:120]}\"")
                      for sentence, number in _typed_in(line)]
    return found


def _typed_in(line: str):
    """(sentence, number) for each number typed into a sentence of a prose line that cites no source."""
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line):
        if "{cite" in sentence:
            continue
        text = sentence
        for pattern in (ROLE, INLINE_CODE, LINK_TARGET, MATH, *ALLOWED):
            text = pattern.sub(" ", text)
        yield from ((sentence.strip(), match.group().strip()) for match in NUMBER.finditer(text))


def inline_problems(files: list[Path] | None = None) -> list[Problem]:
    """Each inline expression of ``files`` (every page of every edition by default) that is not of the book's form
    or names no pinned result of its kind, and each ``{glue}`` role of a chapter, one problem each."""
    from analysis.publication import inline
    from analysis.results import pins

    pinned = pins.pinned()
    found = []
    for path in (p for p in files or paths.page_sources() if p.suffix == ".md"):
        name = str(path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path)
        chapter = path.parent == paths.CHAPTERS
        for row, line in prose_lines(path.read_text(encoding="utf-8")):
            for expression in inline.ROLE.findall(line):
                found += [Problem(name, row, None, problem) for problem in [_inline_problem(expression, pinned)]
                          if problem]
            if chapter:
                found += [Problem(name, row, None, f"{{glue}}`{key}`: a chapter prints results with {{eval}}`"
                                  f"{inline.expression(pinned[key].kind, key) if key in pinned else 'n(...)'}` "
                                  f"(`python -m analysis.publication.inline {name}` converts the page)")
                          for key in inline.GLUE_ROLE.findall(line)]
    return found


def _inline_problem(expression: str, pinned: dict) -> str | None:
    from analysis.publication import inline
    from analysis.results import pins

    parsed = inline.parse(expression)
    if parsed is None:
        return inline.refused(expression)
    function, key = parsed
    if key not in pinned:
        near = pins.closest(key, pinned)
        return (f"{key!r} is no pinned result" + (f"; did you mean {', '.join(near)}?" if near else
                " (run `make pin` after adding a result; `python -m analysis keys PREFIX` lists the keys)"))
    return inline.misused(function, key, pinned[key].kind)


# -- Repository vocabulary in what a publisher receives ------------------------------------------------------------

# Words of the sources, not of a book: file paths and folders of the repository, build commands, module and package
# names, the registry of results and its pins. The book's PDF and EPUB must hold none (the HTML keeps the reviewers'
# appendices, which use them: see analysis/publication/sphinxext/html_only.py).
REPOSITORY_VOCABULARY = {
    "a file path": re.compile(r"\b[\w.-]+/[\w./-]*\.(?:py|csv|json|ya?ml|md|bib|tsv|typ|toml)\b|(?<![\w/])(?:analysis|"
                              r"chapters|editions|results|releases|tests|data/reference)/"),
    "a build command": re.compile(r"\bmake (?:all|verify|pin|test(?:-fast)?|html|pdf|epub|release|validate|why|preview|"
                                  r"lab|bench|mutate|setup|lock|clean|a11y)\b|\bpython(?:3)? -m\b|\bpip install\b"),
    "a source file": re.compile(r"\b\w+\.(?:py|json|ya?ml|tsv|bib|toml|typ)\b"),  # not .csv: a codebook names its data
    "a module name": re.compile(r"\banalysis(?:\.\w+)+|\bthe `?analysis`? package\b"),
    "the results registry": re.compile(r"\bregistr(?:y|ies)\b|\bregistry key", re.I),
    "pins": re.compile(r"\b(?:re-?pin(?:s|ned)?|pins|pinned (?:results?|values?|numbers?|in))\b", re.I),
    "the repository": re.compile(r"\b(?:this|the|our|publication's) repository\b|\bREADME\b|\bgit\b"),
}


def repository_vocabulary(text: str) -> list[str]:
    """Each use of the repository's vocabulary in ``text``: ``what: "…context…"``."""
    found = []
    for what, pattern in REPOSITORY_VOCABULARY.items():
        for match in pattern.finditer(text):
            context = " ".join(text[max(0, match.start() - 50):match.end() + 50].split())
            found.append(f'{what} ({match.group()!r}): "…{context}…"')
    return found
