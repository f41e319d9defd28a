"""The prose of a page as a reader reads it, and a reviewer's word-level diff of two versions of it.

A release records the text of every page (``releases/<version>/prose.json``, see
:mod:`analysis.publication.releases`): the Markdown cells of the page without its code, comments and directive
options, paragraph by paragraph, each printed number (glued, or an inline expression) replaced by its text in the page's language as that release
published it. Two releases' texts give the reviewer's diff (what latexdiff gives manuscript reviewers): words
added and removed, marked with ``<ins>`` and ``<del>`` and said in words for screen readers, never by colour
alone. The diff page is an element tree serialised by the library, so text from the pages is always text.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

from analysis.publication import inline

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})\s*(\{[\w:-]+\})?")
NOT_PROSE = {"{code-cell}", "{bibliography}", "{tableofcontents}", "{glue:figure}", "{math}", "{raw}", None}
ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
EMPHASIS = re.compile(r"(\*\*|\*|__)(?=\S)(.+?)(?<=\S)\1")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
HEADING = re.compile(r"^#{1,6}\s+")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|?$")
SKIPPED_LINE = re.compile(r"^(%|\(\S+\)=\s*$|\+\+\+|<!--)")
TARGET = re.compile(r"^(.*?)\s*<[^<>]*>$", re.S)
# A word (with inner apostrophes, hyphens, decimal points) or one other sign, each with the space after it.
TOKEN = re.compile(r"\w+(?:[.,'’\-]\w+)*\s*|[^\w\s]\s*|\s+")

Lookup = Callable[[str], "str | None"]


def _prose_lines(source: str) -> list[str]:
    """The lines of a page a reader reads: no front matter, code, comments, targets or directive options;
    a directive's fence lines go, its content stays."""
    lines, fences, options = [], [], False
    for line in FRONT_MATTER.sub("", source).splitlines():
        stripped = line.strip()
        if fences and stripped == fences[-1][0]:
            fences.pop()
            lines.append("")
            continue
        if fences and fences[-1][1]:  # inside code, or another block that is not prose
            continue
        fence = FENCE.match(stripped)
        if fence:
            fences.append((fence.group(1), fence.group(2) in NOT_PROSE))
            options = True
            continue
        if SKIPPED_LINE.match(line) or options and line.startswith(":"):
            continue
        options = False
        lines.append(line)
    return lines


def _role(match: re.Match, lookup: Lookup) -> str:
    name, content = match.group(1), match.group(2)
    if name.startswith("glue"):
        key = content.split("::")[-1].split(":")[0]
        return lookup(key) or f"⟨{key}⟩"
    if name == "eval":
        parsed = inline.parse(content)
        return (lookup(parsed[1]) or f"⟨{parsed[1]}⟩") if parsed else f"⟨{content}⟩"
    if name.startswith("cite"):
        return f"[{', '.join(part.strip() for part in content.split(','))}]"
    target = TARGET.match(content)
    return target.group(1) if target else content


def paragraphs(source: str, lookup: Lookup = lambda key: None) -> list[str]:
    """The page's prose, one string per paragraph (a heading, a list item and a table row are one each), glued
    numbers as ``lookup`` shows them."""
    found, current = [], []

    def flush() -> None:
        if current:
            text = EMPHASIS.sub(r"\2", LINK.sub(r"\1", ROLE.sub(lambda match: _role(match, lookup), " ".join(current))))
            found.append(" ".join(text.split()))
            current.clear()

    for line in _prose_lines(source):
        stripped = line.strip()
        if not stripped or LIST_ITEM.match(line) or HEADING.match(stripped) or stripped.startswith("|"):
            flush()
        if stripped.startswith("|"):
            if not TABLE_RULE.match(stripped):
                current.append(" | ".join(cell.strip() for cell in stripped.strip("|").split("|")))
            flush()
        elif stripped:
            current.append(HEADING.sub("", LIST_ITEM.sub("", stripped)))
            if HEADING.match(stripped):
                flush()
    flush()
    return found


def title(path: Path) -> str | None:
    """A page's title: its first heading, as read."""
    for line in _prose_lines(Path(path).read_text(encoding="utf-8")):
        if HEADING.match(line):
            return paragraphs(line)[0]
    return None


# -- The reviewer's diff ----------------------------------------------------------------------------------

SAME, ADDED, REMOVED = "same", "added", "removed"


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``(kind, text)`` segments of ``new`` against ``old``, word by word (a sign is a word)."""
    before, after = TOKEN.findall(old), TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, [t.strip() for t in before], [t.strip() for t in after], autojunk=False)
    segments = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            segments.append((SAME, "".join(after[j1:j2])))
            continue
        if i2 > i1:
            segments.append((REMOVED, "".join(before[i1:i2])))
        if j2 > j1:
            segments.append((ADDED, "".join(after[j1:j2])))
    return segments


def page_diff(old: list[str], new: list[str]) -> list[list[tuple[str, str]]]:
    """Paragraph by paragraph: unchanged ones whole, changed ones word by word, added and removed ones whole."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    diffed = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            diffed += [[(SAME, paragraph)] for paragraph in new[j1:j2]]
            continue
        paired = min(i2 - i1, j2 - j1)
        diffed += [word_diff(a, b) for a, b in zip(old[i1:i1 + paired], new[j1:j1 + paired])]
        diffed += [[(REMOVED, paragraph)] for paragraph in old[i1 + paired:i2]]
        diffed += [[(ADDED, paragraph)] for paragraph in new[j1 + paired:j2]]
    return diffed


def counts(diffed: list[list[tuple[str, str]]]) -> dict[str, int]:
    """Words added and removed."""
    words = {ADDED: 0, REMOVED: 0}
    for paragraph in diffed:
        for kind, text in paragraph:
            if kind in words:
                words[kind] += len(re.findall(r"\w+(?:[.,'’\-]\w+)*", text))
    return words


STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.6; margin: 0; color: #1a1a1a; background: #fff; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
ins { background: #dff3e4; color: #0b4f1c; text-decoration: underline; text-decoration-thickness: 2px; }
del { background: #fbe4e4; color: #7d1414; text-decoration: line-through; text-decoration-thickness: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.notice { border-left: 4px solid #7a5d00; padding: 0.25rem 0.75rem; background: #fff8e1; }
a { color: #0b4f8a; }
"""

MARKS = {ADDED: ("ins", "start of added text: ", " (end of added text)"),
         REMOVED: ("del", "start of removed text: ", " (end of removed text)")}


def _element(parent: ET.Element, tag: str, text: str = "", **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {name.rstrip("_"): value for name, value in attributes.items()})
    element.text = text
    return element


def _marked(parent: ET.Element, kind: str, text: str) -> ET.Element:
    """Added or removed words, said in words for screen readers (the visible marks are underline and strike)."""
    tag, opening, closing = MARKS[kind]
    mark = _element(parent, tag)
    _element(mark, "span", opening, class_="visually-hidden").tail = text
    _element(mark, "span", closing, class_="visually-hidden")
    return mark


def _paragraph(parent: ET.Element, segments: list[tuple[str, str]]) -> None:
    paragraph = _element(parent, "p")
    for kind, text in segments:
        if kind == SAME:
            last = paragraph[-1] if len(paragraph) else None
            if last is None:
                paragraph.text = (paragraph.text or "") + text
            else:
                last.tail = (last.tail or "") + text
        else:
            _marked(paragraph, kind, text)


def diff_page(heading: str, summary: str, notices: list[str], back: tuple[str, str], language: str,
              diffed: list[list[tuple[str, str]]]) -> str:
    """A standalone, accessible HTML page of a reviewer's diff (English around, the page's text in its language)."""
    html = ET.Element("html", {"lang": "en"})
    head = _element(html, "head")
    _element(head, "meta", charset="utf-8")
    _element(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _element(head, "title", heading)
    _element(head, "style", STYLE)
    main = _element(_element(html, "body"), "main")
    _element(main, "h1", heading)
    for notice in notices:
        _element(main, "p", notice, class_="notice")
    _element(main, "p", summary)
    legend = _element(main, "p", "How to read it: ")
    _marked(legend, ADDED, "words added").tail = " are underlined, "
    _marked(legend, REMOVED, "words removed").tail = " struck through; a screen reader says where each starts and ends."
    _element(_element(main, "p"), "a", back[1], href=back[0])
    text = _element(main, "div", lang=language)
    for segments in diffed:
        _paragraph(text, segments)
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html") + "\n"
