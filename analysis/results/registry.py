"""The registry of published results: every number, table and chart an edition shows, under a stable key.

A study part registers the functions that publish its results::

    @publishes("survey.response")
    def response() -> list[Result]:
        ...
        return [number("survey.response.rate", rate, style="share", title="Response rate"), ...]

Keys are dotted, start with the name of the module that registers them (``survey.…`` is registered in
``analysis.study.survey``) and with the prefix the function registered. A function registered with ``translated=True`` takes ``lang`` and is
computed once per language (chart titles and labels); all others are language-free.

Producers are discovered: every module of the package whose source registers a function with ``publishes``
is imported by :func:`producers`, so a new study module is pinned and verified without being listed anywhere.

Each result carries its provenance: the function that made it, the data files it read (with a short content
hash), the results it was computed from (``uses``: a producer that reads another result through :func:`get`
or :func:`under` also lists that result's data files and function) and the package version. Tables and
charts are rounded to :mod:`analysis.results.precision` as they leave their producer, so a page, a pin and a chart's
data-set names do not depend on the last bits of a float. Results are cached on disk, keyed on the producer's
code and on what it read (:mod:`analysis.results.freshness`), so the pages of a build share one computation,
a comment recomputes nothing and a changed input never serves an old result.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from analysis import __version__, hashing, i18n, reads
from analysis.publication import charts
from analysis.results import freshness, precision


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
    note: str = ""  # tables and charts: shown under them
    function: str = ""
    data: dict[str, str] = field(default_factory=dict)
    uses: dict[str, str] = field(default_factory=dict)  # results it was computed from: key -> function
    version: str = __version__
    lang: str = "en"
    protection: str = ""  # tables: why disclosure control published a safer form than designed (English), or ""

    def formatted(self, lang: str | None = None) -> str:
        """The number as a reader sees it, in the conventions of ``lang``."""
        if self.kind != "number":
            raise TypeError(f"{self.key} is a {self.kind}, not a number")
        lang = lang or self.lang
        if self.value is None:  # withheld by disclosure control (analysis.protection.disclosure.publish_count)
            return i18n.text("withheld_number", lang)
        if self.style == "count":
            return i18n.decimal(self.value, 0, lang)
        if self.style == "share":
            return i18n.percent(self.value, 1 if self.decimals is None else self.decimals, lang)
        if self.style == "year":
            return str(int(self.value))
        if self.style == "p":
            return i18n.p_value(self.value, lang)
        return i18n.decimal(self.value, 2 if self.decimals is None else self.decimals, lang)

    @property
    def origin(self) -> dict:
        """Where the result comes from: the fields of its entry in ``results/provenance.json`` (worded by
        :func:`analysis.publication.provenance.sentence`)."""
        return {"function": self.function, "data": self.data, "uses": self.uses, "version": self.version,
                **({"protection": self.protection} if self.protection else {})}


def number(key: str, value, *, style: str = "decimal", title: str = "", decimals: int | None = None) -> Result:
    if style not in ("count", "share", "decimal", "p", "year"):
        raise ValueError(f"{key}: unknown number style {style!r}")
    if value is not None:  # None: withheld, shown as such (see Result.formatted)
        value = int(value) if style in ("count", "year") else float(value)
    return Result(key, "number", value, title=title, style=style, decimals=decimals)


def text(key: str, value: str, *, title: str) -> Result:
    """Words the analysis chose from the data (the theme most interviewees raised, the most common level of a
    coded dimension), in the reader's language: pinned in ``results/texts.json``, glued in prose by
    :func:`analysis.publication.display.glue_labels`, so no chapter names a pattern by hand."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key}: a text result needs words, got {value!r}")
    return Result(key, "text", value, title=title)


def table(key: str, frame: pd.DataFrame, *, title: str, note: str = "") -> Result:
    return Result(key, "table", frame, title=title, note=note)


def chart(key: str, spec, *, title: str, alt: str, note: str = "") -> Result:
    return Result(key, "chart", charts.vega_lite(spec), title=title, alt=alt, note=note)


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
        if function.__module__.rsplit(".", 1)[-1] != module:
            raise ValueError(f"{prefix}: keys starting with {module!r} are registered by a module named {module}")
        if prefix in _producers and _producers[prefix].name != f"{function.__module__}.{function.__qualname__}":
            raise ValueError(f"{prefix} is registered twice")
        _producers[prefix] = Producer(prefix, function, translated)
        return function

    return register


def _registers(source: str) -> bool:
    """Whether a module's source calls ``publishes`` (as a decorator or not, by name or as ``registry.publishes``)."""
    if "publishes" not in source:
        return False
    return any(isinstance(node, ast.Call) and (getattr(node.func, "id", None) == "publishes"
                                               or getattr(node.func, "attr", None) == "publishes")
               for node in ast.walk(ast.parse(source)))


def study_modules(package: str = "analysis") -> list[str]:
    """Every module of ``package`` (and its subpackages) that registers a producer, found in the sources."""
    root = Path(importlib.import_module(package).__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if _registers(path.read_text(encoding="utf-8")):
            found.append(".".join((package, *(parts[:-1] if parts[-1] == "__init__" else parts))))
    return found


def producers(package: str = "analysis") -> dict[str, Producer]:
    """Every producer of ``package``: its modules that register one are imported first."""
    modules = study_modules(package)
    for module in modules:
        importlib.import_module(module)
    return {prefix: p for prefix, p in _producers.items() if p.function.__module__ in modules}


def _import_module_of(key: str) -> None:
    """Import the module whose name is the key's first segment; if there is none, every study module."""
    first = key.split(".")[0]
    for room in ("study", "data"):
        try:
            importlib.import_module(f"analysis.{room}.{first}")
            return
        except ModuleNotFoundError as missing:
            if missing.name != f"analysis.{room}.{first}":
                raise
    producers()


def _producer_of(key: str) -> Producer:
    _import_module_of(key)
    matches = [p for prefix, p in _producers.items() if _within(key, prefix)]
    if not matches:
        known = ", ".join(sorted(_producers)) or "none"
        raise KeyError(f"no registered function publishes {key!r} (registered prefixes: {known})")
    return max(matches, key=lambda p: len(p.prefix))


_memory: dict[tuple, dict[str, Result]] = {}


def computed_from(name: str, function: str) -> None:
    """Note an unpublished intermediate (e.g. the unit-level survey membership, which is never a result) as read by
    the producer now running, so its provenance names the code that made it and its cache keys on that code; its
    data files are recorded by :mod:`analysis.data.load` as for any read."""
    reads.computed(name, function)


def provenance(read: reads.Reads) -> tuple[dict[str, str], dict[str, str]]:
    """What a producer's results were computed from, as ``results/provenance.json`` names it: the data files
    (name -> short content hash), its own reads and those of every result it read; and the results and
    intermediates (key -> function), with those every result it read was computed from."""
    data = {name: hashing.file_hash(path) for name, path in read.files.items()}
    uses = dict(read.code)
    for result in read.results.values():
        data.update(result.data)
        uses[result.key] = result.function
        uses.update(result.uses)
    return dict(sorted(data.items())), dict(sorted(uses.items()))


def _rounded(result: Result) -> Result:
    """The result at the published precision (numbers keep their value: their text is formatted from it)."""
    if result.kind == "table":
        return replace(result, value=precision.round_frame(result.value))
    if result.kind == "chart":
        return replace(result, value=precision.round_spec(result.value))
    return result


def _run(producer: Producer, lang: str) -> dict[str, Result]:
    lang = lang if producer.translated else "en"
    cached = freshness.valid_entry(producer.prefix, producer.function.__module__, lang)  # same code and inputs
    if cached is not None:
        return _memory.setdefault((producer.prefix, lang, cached.signature), cached.results)
    because = freshness.why_recomputed(producer.prefix, producer.function.__module__, lang)
    with reads.recording() as read:
        produced = producer.function(lang=lang) if producer.translated else producer.function()
    data, uses = provenance(read)
    results = {}
    for result in produced:
        if not _within(result.key, producer.prefix):
            raise ValueError(f"{producer.name} returned {result.key!r}, outside its prefix {producer.prefix!r}")
        results[result.key] = replace(_rounded(result), function=producer.name, data=data, uses=uses, lang=lang)
    made = freshness.store(producer.prefix, producer.function.__module__, lang, results,
                           freshness.inputs(read, _producer_of), because)
    _memory[(producer.prefix, lang, made.signature)] = results
    return results


def get(key: str, lang: str = "en") -> Result:
    """The published result ``key`` (in ``lang`` where the result is translated)."""
    results = _run(_producer_of(key), lang)
    reads.results("get", key, lang, {key: results[key]} if key in results else {})
    if key not in results:
        producer = _producer_of(key)
        raise KeyError(f"{producer.name} publishes no {key!r} (it publishes {', '.join(sorted(results))})")
    return results[key]


def _within(key: str, prefix: str) -> bool:
    """``key`` is ``prefix`` or lies under it, by whole dotted segments (``a.rate`` is not under ``a.ra``)."""
    return key == prefix or key.startswith(prefix + ".")


def under(prefix: str, lang: str = "en") -> dict[str, Result]:
    """Every result whose key is ``prefix`` or starts with ``prefix`` followed by a dot."""
    _import_module_of(prefix)
    found = {}
    for producer in list(_producers.values()):
        if _within(producer.prefix, prefix) or _within(prefix, producer.prefix):
            found.update({k: r for k, r in _run(producer, lang).items() if _within(k, prefix)})
    reads.results("under", prefix, lang, found)
    return found


def compute_all(languages=i18n.LANGUAGES) -> dict[str, Result]:
    """Every registered result; translated ones once per language, keyed ``key@lang`` for languages other than English."""
    results = {}
    for producer in sorted(producers().values(), key=lambda p: p.prefix):
        for lang in (languages if producer.translated else ("en",)):
            for key, result in _run(producer, lang).items():
                results[key if lang == "en" else f"{key}@{lang}"] = result
    return results
