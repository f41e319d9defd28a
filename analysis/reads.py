"""The one recorder of what the code running now reads: a producer's reads while it runs, a page's at display time.

While a producer runs (:func:`recording`, opened by ``registry._run``), each read is collected in its :class:`Reads`:

- files (:func:`file`: ``load.table``'s data files, the bibliography, the study record), by name and path;
- published results (:func:`results`: ``registry.get`` and ``under``);
- unpublished intermediates it computed with (:func:`computed`: ``producers.computed_from``), by their function;
- fixed strings (:func:`words`: ``i18n.text`` and ``has``), by key and language.

An intermediate that several producers make from the same data is computed once (:func:`memoised`): each later
producer records its reads as if it had computed it.

From one record the registry writes the results' provenance (data files with a short hash, the results and
functions they were computed from) and the results cache keys the producer's run (:mod:`analysis.results.freshness`:
files by content, results by value, code by code key).

Outside every producer, in a page's kernel, a read is noted instead as a hidden glue ``bbox-reads:<kind>:<what>`` on
the page, so the build learns everything the page read (:mod:`analysis.results.pagekeys`): a file by its place
(:func:`analysis.paths.place`), a result or a prefix with its language, code by module.

This module sits below data/ and results/ (it imports only :mod:`analysis.paths` and :mod:`analysis.codekeys`), so
data/ records its reads without importing results/.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any, Callable, Hashable, Iterator

from analysis import codekeys, paths

MARKER = "bbox-reads:"  # hidden glue names of what a page read at display time


@dataclass
class Reads:
    """What a producer read while it ran."""
    files: dict[str, Path] = field(default_factory=dict)  # name (as provenance names it) -> the file read
    results: dict[str, Any] = field(default_factory=dict)  # "key@lang" -> the result read (an analysis.producers.Result)
    code: dict[str, str] = field(default_factory=dict)  # intermediate's name -> the function that computed it
    words: set[str] = field(default_factory=set)  # "key@lang" of each fixed string read


_current: ContextVar[Reads | None] = ContextVar("reads", default=None)


@contextmanager
def recording() -> Iterator[Reads]:
    """Collect the :class:`Reads` of the producer running inside (a producer reading another's result records its
    own reads: the other producer runs in a recording of its own)."""
    reads = Reads()
    token = _current.set(reads)
    try:
        yield reads
    finally:
        _current.reset(token)


def file(name: str, path: Path) -> None:
    """A file was read; ``name`` is how provenance names it (a data file: its path in the data package)."""
    reads = _current.get()
    if reads is None:
        _note_display("file", paths.place(path))
    else:
        reads.files[name] = Path(path).resolve()


def results(how: str, what: str, lang: str, found: dict) -> None:
    """Results were read: ``how`` is "get" (one key, ``what``) or "under" (every key under the prefix ``what``),
    in ``lang``; ``found`` maps each key read to its result."""
    reads = _current.get()
    if reads is None:
        _note_display(how, f"{what}@{lang}")
    else:
        reads.results.update({f"{key}@{result.lang}": result for key, result in found.items()})


def computed(name: str, function: str) -> None:
    """An unpublished intermediate ``name`` (e.g. the unit-level survey membership) was computed by ``function``."""
    reads = _current.get()
    if reads is None:
        _note_display("code", codekeys.module_of(function))
    else:
        reads.code[name] = function


def code(module: str) -> None:
    """Display code ran ``module``'s code (e.g. a study part's labels for a sentence). A producer's own imports are
    in its code key already; a page notes it, as the study is no part of a page's display code."""
    if _current.get() is None:
        _note_display("code", module)


def words(key: str, lang: str) -> None:
    """A fixed string was read (:func:`analysis.i18n.text`), by key and language: an edit of other strings computes
    no producer and executes no page that did not read them."""
    reads = _current.get()
    if reads is None:
        _note_display("words", f"{key}@{lang}")
    else:
        reads.words.add(f"{key}@{lang}")


_noted: set[str] = set()  # in this kernel: one marker per read


def _note_display(kind: str, what: str) -> None:
    marker = f"{MARKER}{kind}:{what}"
    if marker in _noted:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    if get_ipython() is None:  # not in a page's kernel: nobody records
        return
    from myst_nb import glue

    _noted.add(marker)
    glue(marker, "", display=False)


# -- Intermediates shared by several producers --------------------------------------------------------------------

_memos: list[dict] = []


def memoised(key: Callable[[], Hashable]):
    """Compute a function of no arguments once per ``key()`` (e.g. the data folder) and content of the files it
    read; a later call returns the same value and records the same reads in the producer now running, so that
    producer's provenance and cache keys are what they would be had it computed the value itself. For a value that
    every producer of a study part makes from the same data (the form of the part's linked tables)."""
    def decorate(function):
        memo: dict = {}
        _memos.append(memo)

        @wraps(function)
        def once():
            kept = memo.get(key())
            if kept is None or any(codekeys.file_digest(path) != digest for path, digest in kept[2]):
                with recording() as read:
                    value = function()
                kept = memo[key()] = (value, read, [(path, codekeys.file_digest(path)) for path in read.files.values()])
            value, read, _ = kept
            for name, path in read.files.items():
                file(name, path)
            for result in read.results.values():
                results("get", result.key, result.lang, {result.key: result})
            for name, made_by in read.code.items():
                computed(name, made_by)
            for said in read.words:
                words(*said.rsplit("@", 1))
            return value

        return once

    return decorate


def forget() -> None:
    """Drop every memoised value (for a test that replaces a function such a value is computed with)."""
    for memo in _memos:
        memo.clear()
