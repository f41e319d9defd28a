"""The registry of published results: every number, table and chart an edition shows, under a stable key.

A study module registers the functions that compute its results::

    @publishes("survey.response")
    def response() -> list[Result]:
        ...
        return [number("survey.response.rate", rate, style="share", title="Response rate"), ...]

Keys are dotted, start with the module's name (``survey.…`` lives in ``analysis/survey.py``) and with the
prefix the function registered. A function registered with ``translated=True`` takes ``lang`` and is
computed once per language (chart titles and labels); all others are language-free.

Each result carries its provenance: the function that made it, the data files it read (with a short content
hash) and the package version. Results are cached on disk under a fingerprint of the code and the data, so
the pages of a build share one computation and a changed file never serves an old result.
"""

from __future__ import annotations

import importlib
import pickle
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Any, Callable

import pandas as pd

from . import __version__, charts, fingerprint, i18n, load, paths  # charts: the house theme applies to every spec

STUDY_MODULES = ("datapackage", "reference", "survey", "cases", "newcomers", "literature", "synthesis")


@dataclass
class Result:
    key: str
    kind: str  # "number", "table" or "chart"
    value: Any  # a float or int; a DataFrame; a Vega-Lite spec (dict)
    title: str = ""
    style: str = ""  # numbers: "count", "share", "decimal", "p" or "year"
    decimals: int | None = None
    unit: str = ""
    alt: str = ""  # charts: a text alternative describing what the chart shows
    note: str = ""
    function: str = ""
    data: dict[str, str] = field(default_factory=dict)
    version: str = __version__
    lang: str = "en"

    def formatted(self, lang: str | None = None) -> str:
        """The number as a reader sees it, in the conventions of ``lang``."""
        if self.kind != "number":
            raise TypeError(f"{self.key} is a {self.kind}, not a number")
        lang = lang or self.lang
        if self.style == "count":
            shown = i18n.decimal(self.value, 0, lang)
        elif self.style == "share":
            shown = i18n.percent(self.value, 1 if self.decimals is None else self.decimals, lang)
        elif self.style == "year":
            shown = str(int(self.value))
        elif self.style == "p":
            shown = i18n.p_value(self.value, lang)
        else:
            shown = i18n.decimal(self.value, 2 if self.decimals is None else self.decimals, lang)
        return f"{shown} {self.unit}" if self.unit else shown

    @property
    def provenance(self) -> str:
        files = ", ".join(f"{name} ({digest[:8]})" for name, digest in sorted(self.data.items())) or "none"
        return f"{self.function} · data: {files} · bbox-analysis {self.version}"


def number(key: str, value, *, style: str = "decimal", title: str = "", decimals: int | None = None,
           unit: str = "", note: str = "") -> Result:
    if style not in ("count", "share", "decimal", "p", "year"):
        raise ValueError(f"{key}: unknown number style {style!r}")
    value = int(value) if style in ("count", "year") else float(value)
    return Result(key, "number", value, title=title, style=style, decimals=decimals, unit=unit, note=note)


def table(key: str, frame: pd.DataFrame, *, title: str, note: str = "") -> Result:
    return Result(key, "table", frame, title=title, note=note)


def chart(key: str, spec, *, title: str, alt: str, note: str = "") -> Result:
    spec = spec.to_dict() if hasattr(spec, "to_dict") else spec
    return Result(key, "chart", spec, title=title, alt=alt, note=note)


@dataclass(frozen=True)
class Producer:
    prefix: str
    function: Callable
    translated: bool

    @property
    def name(self) -> str:
        return f"{self.function.__module__}.{self.function.__qualname__}"


_producers: dict[str, Producer] = {}


def publishes(prefix: str, *, translated: bool = False):
    """Register a function computing the results whose keys start with ``prefix``."""
    module = prefix.split(".")[0]

    def register(function):
        if not function.__module__.endswith(f"analysis.{module}"):
            raise ValueError(f"{prefix}: keys starting with {module!r} belong in analysis/{module}.py")
        if prefix in _producers and _producers[prefix].name != f"{function.__module__}.{function.__qualname__}":
            raise ValueError(f"{prefix} is registered twice")
        _producers[prefix] = Producer(prefix, function, translated)

        @wraps(function)
        def wrapper(*args, **kwargs):
            return function(*args, **kwargs)

        return wrapper

    return register


def producers() -> dict[str, Producer]:
    for module in STUDY_MODULES:
        importlib.import_module(f"analysis.{module}")
    return dict(_producers)


def _producer_of(key: str) -> Producer:
    importlib.import_module(f"analysis.{key.split('.')[0]}")
    matches = [p for prefix, p in _producers.items() if key == prefix or key.startswith(prefix + ".")]
    if not matches:
        known = ", ".join(sorted(_producers)) or "none"
        raise KeyError(f"no registered function publishes {key!r} (registered prefixes: {known})")
    return max(matches, key=lambda p: len(p.prefix))


_memory: dict[tuple, dict[str, Result]] = {}


def _run(producer: Producer, lang: str) -> dict[str, Result]:
    lang = lang if producer.translated else "en"
    token = fingerprint.code_and_data()
    memo_key = (producer.prefix, lang, token)
    if memo_key in _memory:
        return _memory[memo_key]
    cache_file = paths.CACHE / "results" / token / f"{producer.prefix}.{lang}.pickle"
    if cache_file.exists():
        results = pickle.loads(cache_file.read_bytes())
    else:
        with load.recording_reads() as reads:
            produced = producer.function(lang=lang) if producer.translated else producer.function()
        results = {}
        for result in produced:
            if not (result.key == producer.prefix or result.key.startswith(producer.prefix + ".")):
                raise ValueError(f"{producer.name} returned {result.key!r}, outside its prefix {producer.prefix!r}")
            results[result.key] = replace(result, function=producer.name, data=dict(reads), lang=lang)
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(results))
        tmp.replace(cache_file)
    _memory[memo_key] = results
    return results


def get(key: str, lang: str = "en") -> Result:
    """The published result ``key`` (in ``lang`` where the result is translated)."""
    results = _run(_producer_of(key), lang)
    if key not in results:
        producer = _producer_of(key)
        raise KeyError(f"{producer.name} publishes no {key!r} (it publishes {', '.join(sorted(results))})")
    return results[key]


def under(prefix: str, lang: str = "en") -> dict[str, Result]:
    """Every result whose key starts with ``prefix``."""
    module_prefix = prefix.split(".")[0]
    importlib.import_module(f"analysis.{module_prefix}")
    found = {}
    for producer in list(_producers.values()):
        if producer.prefix.startswith(prefix) or prefix.startswith(producer.prefix):
            found.update({k: r for k, r in _run(producer, lang).items() if k == prefix or k.startswith(prefix + ".") or k.startswith(prefix)})
    return found


def compute_all(languages=i18n.LANGUAGES) -> dict[str, Result]:
    """Every registered result; translated ones once per language, keyed ``key@lang`` for languages other than English."""
    results = {}
    for producer in sorted(producers().values(), key=lambda p: p.prefix):
        for lang in (languages if producer.translated else ("en",)):
            for key, result in _run(producer, lang).items():
                results[key if lang == "en" else f"{key}@{lang}"] = result
    return results
