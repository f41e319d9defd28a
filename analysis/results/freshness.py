"""The results cache, keyed by what each producer uses, and the reads a page makes at display time.

A producer's results are cached in ``<cache>/results/<prefix>.<lang>/<code key>.pickle``: the code key covers the
producer's module and every module of the package it imports (:mod:`analysis.results.codekeys`: comments and
docstrings are no part of it). Beside the results, the entry holds what the producer read while it ran:

- files (``load.record_read``: the data files, the bibliography, the study record), by content digest;
- results of other producers (``registry.get``/``under``), by :func:`result_digest`;
- code of other modules it computed with (``registry.computed_from``), by code key.

An entry serves as long as each of those is unchanged; otherwise the producer runs again. So a comment in a study
module recomputes nothing, a data edit recomputes the producers that read the file, and a changed result
recomputes the producers that read it.

:func:`result_digest` is a result as a reader sees it: every float at the pinned precision
(:mod:`analysis.results.precision`), a number's text in every language, titles, notes and provenance. Pages key
on these digests (:mod:`analysis.results.pagekeys`).

At display time (in a page's kernel, outside every producer), each read is noted as a hidden glue
``bbox-reads:<kind>:<what>`` on the page, so the build learns everything a page read: results (``get``/``under``
with the language), files and code.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from analysis import paths
from analysis.results import codekeys, precision

MARKER = "bbox-reads:"  # hidden glue names of what a page read at display time


@dataclass
class Inputs:
    """What a producer read while it ran."""
    files: dict[str, str] = field(default_factory=dict)  # path (as codekeys.relative shows it) -> digest
    results: dict[str, dict] = field(default_factory=dict)  # "key@lang" -> {"digest", "prefix", "module"}
    code: dict[str, str] = field(default_factory=dict)  # module -> code key


_recording: ContextVar[Inputs | None] = ContextVar("recording", default=None)


class recording:
    """Context manager: collect the :class:`Inputs` of the producer running inside it."""

    def __enter__(self) -> Inputs:
        self.inputs = Inputs()
        self._token = _recording.set(self.inputs)
        return self.inputs

    def __exit__(self, *exc) -> None:
        _recording.reset(self._token)


def _data_package_of(path: Path) -> Path | None:
    """The ``datapackage.json`` a data file is read through (its codebook sets types and missing values)."""
    for folder in list(path.parents)[:3]:
        if (folder / "datapackage.json").is_file():
            return folder / "datapackage.json"
    return None


def note_file(path: Path) -> None:
    """A file was read (``load.record_read``): an input of the running producer, or of the page at display time."""
    path = Path(path).resolve()
    inputs = _recording.get()
    if inputs is None:
        _note_display("file", codekeys.relative(path))
        return
    for read in filter(None, (path, _data_package_of(path))):
        inputs.files[codekeys.relative(read)] = codekeys.file_digest(read)


def note_results(results: dict, producer_of: Callable) -> None:
    """Results were read by the running producer (``registry._used``)."""
    inputs = _recording.get()
    if inputs is None:
        return
    for key, result in results.items():
        producer = producer_of(key)
        inputs.results[f"{key}@{result.lang}"] = {"digest": result_digest(result), "prefix": producer.prefix,
                                                  "module": producer.function.__module__}


def _module_of(function: str) -> str:
    """The module part of a dotted function name (``analysis.study.survey.typology_membership``)."""
    module = function
    while module and codekeys.module_file(module) is None:
        module = module.rpartition(".")[0]
    return module or function


def note_code(function: str) -> None:
    """An unpublished intermediate was computed by ``function`` (``registry.computed_from``)."""
    module = _module_of(function)
    inputs = _recording.get()
    if inputs is None:
        _note_display("code", module)
    else:
        inputs.code[module] = codekeys.code_key(module)


def note_display(kind: str, what: str, lang: str) -> None:
    """A page read results at display time: ``get`` one key or ``under`` a prefix, in ``lang``."""
    if _recording.get() is None:
        _note_display(kind, f"{what}@{lang}")


_noted: set[str] = set()  # in this kernel: one marker per read


def _note_display(kind: str, what: str) -> None:
    try:
        from IPython import get_ipython
    except ImportError:
        return
    marker = f"{MARKER}{kind}:{what}"
    if get_ipython() is None or marker in _noted:  # not in a page's kernel: nobody records
        return
    from myst_nb import glue

    _noted.add(marker)
    glue(marker, "", display=False)


# -- Digests of results -------------------------------------------------------------------------------

SHOWN_FIELDS = ("key", "kind", "title", "style", "decimals", "unit", "alt", "note", "function", "data", "uses",
                "version", "lang")


def _value(result):
    if result.kind == "number":
        from analysis.publication import i18n

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

    @property
    def signature(self) -> str:
        return hashlib.sha256(json.dumps([self.digests, self.inputs.files, self.inputs.code,
                                          self.inputs.results], sort_keys=True).encode()).hexdigest()[:16]


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


def store(prefix: str, module: str, lang: str, results: dict, inputs: Inputs) -> Entry:
    """Cache a producer's run (written whole or not at all: concurrent builds read complete entries only)."""
    path = _folder(prefix, lang) / f"{codekeys.code_key(module)}.pickle"
    made = Entry(path, module, inputs, {key: result_digest(r) for key, r in results.items()},
                 codekeys.module_keys([module]), results)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(made))
    tmp.replace(path)
    return made


def _resolve(stored: str) -> Path:
    return Path(stored) if Path(stored).is_absolute() else paths.ROOT / stored


def stale_because(found: Entry, lang: str) -> str | None:
    """What changed since a cached run (a file, a module, an upstream result), or None if it still serves."""
    for stored, digest in found.inputs.files.items():
        if codekeys.file_digest(_resolve(stored)) != digest:
            return stored
    for module, key in found.inputs.code.items():
        if codekeys.code_key(module) != key:
            return codekeys.module_place(module)
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


def fit_path(name: str, module: str, frame, *files: Path) -> Path:
    """Where a model fitted by ``module`` on ``frame`` (and on ``files``, e.g. its codebook) is cached: a new fit
    whenever the code, the data or those files change, and only then."""
    import pandas as pd

    digest = hashlib.sha256(pd.util.hash_pandas_object(frame).to_numpy().tobytes()
                            + json.dumps([list(map(str, frame.columns))] + [codekeys.file_digest(f) for f in files]).encode())
    return paths.CACHE / "results" / name / f"{codekeys.code_key(module)}-{digest.hexdigest()[:16]}.pickle"


def checked(check: str, content: str, module: str, passed: bool = False) -> bool:
    """Whether ``content`` (a digest) passed ``check``, made by ``module``'s code as it is now, in an earlier run; with
    ``passed``, remember that it did. (A whole-data validation costs seconds; a build needs it once per content.)"""
    marker = paths.CACHE / "checked" / f"{check}-{content}-{codekeys.code_key(module)}"
    if passed:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    return marker.exists()
