"""The results cache, keyed by what each producer uses.

A producer's results are cached in ``<cache>/results/<prefix>.<lang>/<code key>.pickle``: the code key covers the
producer's module and every module of the package it imports (:mod:`analysis.codekeys`: comments and
docstrings are no part of it). Beside the results, the entry holds what the producer read while it ran
(:mod:`analysis.reads` records it; :func:`inputs` keys it):

- files (the data files, the bibliography, the study record), by content digest; a data file by its place in the
  data folder in use (:func:`analysis.paths.place`), so that another ``BBOX_DATA_DIR`` is compared by content;
- results of other producers (``registry.get``/``under``), by :func:`result_digest`;
- code of other modules it computed with (``producers.computed_from``), by code key;
- fixed strings (``i18n.text``), each by its words in its language (:func:`words_now`): the strings
  files are no part of any code key, so adding or editing a string computes again only the producers that read it.

An entry serves as long as each of those is unchanged; otherwise the producer runs again. So a comment in a study
module recomputes nothing, a data edit (or a data folder whose file differs) recomputes the producers that read the
file, and a changed result recomputes the producers that read it.

:func:`result_digest` is a result as a reader sees it: every float at the pinned precision
(:mod:`analysis.results.precision`), a number's text in every language, titles, notes and provenance. Pages key
on these digests (:mod:`analysis.results.pagekeys`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from analysis import codekeys, i18n, paths
from analysis.reads import Reads
from analysis.results import precision


@dataclass
class Inputs:
    """What a producer read while it ran, keyed."""
    files: dict[str, str] = field(default_factory=dict)  # place (paths.place) -> digest
    results: dict[str, dict] = field(default_factory=dict)  # "key@lang" -> {"digest", "prefix", "module"}
    code: dict[str, str] = field(default_factory=dict)  # module -> code key
    words: dict[str, str] = field(default_factory=dict)  # "key@lang" -> words_digest


def _data_package_of(path: Path) -> Path | None:
    """The ``datapackage.json`` a data file is read through (its codebook sets types and missing values)."""
    for folder in list(path.parents)[:3]:
        if (folder / "datapackage.json").is_file():
            return folder / "datapackage.json"
    return None


def words_now(said: str) -> str:
    """The digest of a fixed string read (``"key@lang"``) as its file holds it now."""
    key, lang = said.rsplit("@", 1)
    return i18n.digests(lang).get(key, i18n.MISSING)


def inputs(reads: Reads, producer_of: Callable) -> Inputs:
    """The keys of what a producer read: each file (and the codebook it was read through) by content, each result by
    value with the producer that made it (``producer_of(key)``), each intermediate's module by code key."""
    keyed = Inputs()
    for path in reads.files.values():
        for read in filter(None, (path, _data_package_of(path))):
            keyed.files[paths.place(read)] = codekeys.file_digest(read)
    for used, result in reads.results.items():
        producer = producer_of(result.key)
        keyed.results[used] = {"digest": result_digest(result), "prefix": producer.prefix,
                               "module": producer.function.__module__}
    for function in reads.code.values():
        module = codekeys.module_of(function)
        keyed.code[module] = codekeys.code_key(module)
    keyed.words = {said: words_now(said) for said in sorted(reads.words)}
    return keyed


# -- Digests of results -------------------------------------------------------------------------------

SHOWN_FIELDS = ("key", "kind", "title", "style", "decimals", "unit", "alt", "note", "function", "data", "uses",
                "lang")


def _value(result):
    if result.kind == "number":
        return [precision.rounded(result.value), [result.formatted(lang) for lang in i18n.LANGUAGES]]
    if result.kind == "table":
        frame = precision.round_frame(result.value)
        return [frame.to_csv(lineterminator="\n"), [str(t) for t in frame.dtypes], frame.attrs]
    if result.kind == "text":
        return result.value  # the words a reader reads
    return precision.round_spec(result.value)


def result_digest(result) -> str:
    """A result as a reader sees it (floats at the pinned precision, a number's text in every language), with its
    title, notes and provenance: it changes exactly when a page showing the result could change."""
    shown = [{name: getattr(result, name) for name in SHOWN_FIELDS}, _value(result)]
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()[:16]


# -- Cache entries ------------------------------------------------------------------------------------

def _folder(prefix: str, lang: str) -> Path:
    return paths.CACHE / "results" / f"{prefix}.{lang}"


@dataclass
class Entry:
    """A cached run of one producer in one language."""
    path: Path
    module: str
    inputs: Inputs
    digests: dict[str, str]  # key -> result_digest
    modules: dict[str, str]  # module -> key, of the code it ran (to name what changed)
    results: dict
    because: str = ""  # what had changed since the run before (why_recomputed), to name why its results moved

    @property
    def signature(self) -> str:
        return hashlib.sha256(json.dumps([self.digests, self.inputs.files, self.inputs.code, self.inputs.results,
                                          self.inputs.words], sort_keys=True).encode()).hexdigest()[:16]


_entries: dict[tuple, Entry] = {}


def _load(path: Path) -> Entry | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    memo_key = (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    if memo_key not in _entries:
        _entries[memo_key] = pickle.loads(path.read_bytes())
    return _entries[memo_key]


def entry(prefix: str, module: str, lang: str) -> Entry | None:
    """The cached run for the code as it is now, valid or not."""
    return _load(_folder(prefix, lang) / f"{codekeys.code_key(module)}.pickle")


@contextmanager
def computing(prefix: str, lang: str) -> Iterator[None]:
    """Held while a process computes a producer: another process (a second test worker, a parallel edition build)
    that needs the same producer waits, then reads what the first stored instead of computing it again."""
    folder = _folder(prefix, lang)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".computing", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the process dies
        yield


def store(prefix: str, module: str, lang: str, results: dict, inputs: Inputs, because: str = "") -> Entry:
    """Cache a producer's run (written whole or not at all: concurrent builds read complete entries only)."""
    path = _folder(prefix, lang) / f"{codekeys.code_key(module)}.pickle"
    made = Entry(path, module, inputs, {key: result_digest(r) for key, r in results.items()},
                 codekeys.module_keys([module]), results, because)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(made))
    tmp.replace(path)
    return made


def stale_because(found: Entry, lang: str) -> str | None:
    """What changed since a cached run (a file, a module, a string, an upstream result), or None if it still
    serves."""
    for place, digest in found.inputs.files.items():
        if codekeys.file_digest(paths.located(place)) != digest:
            return codekeys.relative(paths.located(place))  # the file as it lies now, in the data folder in use
    for module, key in found.inputs.code.items():
        if codekeys.code_key(module) != key:
            return codekeys.module_place(module)
    strings = {said.rsplit("@", 1)[1]: None for said in found.inputs.words}
    strings = {language: i18n.digests(language) for language in strings}  # each file looked at once
    for said, digest in found.inputs.words.items():
        key, language = said.rsplit("@", 1)
        if strings[language].get(key, i18n.MISSING) != digest:
            return f"{codekeys.relative(paths.STRINGS / f'{language}.yml')}: {key}"
    for used, origin in found.inputs.results.items():
        key, _, used_lang = used.rpartition("@")
        upstream = valid_entry(origin["prefix"], origin["module"], used_lang)
        if upstream is None or upstream.digests.get(key) != origin["digest"]:
            return key
    return None


def valid_entry(prefix: str, module: str, lang: str) -> Entry | None:
    """The cached run of a producer if it still serves: same code, and every input it read unchanged."""
    found = entry(prefix, module, lang)
    return found if found is not None and stale_because(found, lang) is None else None


def why_recomputed(prefix: str, module: str, lang: str) -> str:
    """What changed since a producer's latest cached run: a file, an upstream result, or the modules of its code."""
    found = entry(prefix, module, lang)
    if found is not None:
        return stale_because(found, lang) or "nothing"
    runs = sorted(_folder(prefix, lang).glob("*.pickle"), key=lambda p: p.stat().st_mtime)
    latest = _load(runs[-1]) if runs else None
    if latest is None:
        return "never computed"
    now = codekeys.module_keys([module])
    changed = sorted(m for m in set(now) | set(latest.modules) if now.get(m) != latest.modules.get(m))
    return ", ".join(codekeys.module_place(m) for m in changed[:3]) or codekeys.module_place(module)
