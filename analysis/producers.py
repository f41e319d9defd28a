"""What a study part publishes, and the one table of the functions that publish it.

A study part writes its results in this vocabulary and registers the functions that make them::

    @publishes("survey.response")
    def response() -> list[Result]:
        ...
        return [number("survey.response.rate", rate, style="share", title="Response rate"), ...]

Registering happens when the part is imported; importing :mod:`analysis.study` imports every part, so
:data:`PRODUCERS` then holds every producer, and a key is looked up there alone (:func:`producer_of`).

The naming rule, checked when a function registers: a key's first segment is the name of the module that registers
it (``survey.…`` is registered in ``analysis.study.survey``), and every key a function returns starts with the prefix
it registered. A function registered with ``translated=True`` takes ``lang`` and is computed once per language
(chart titles and labels); all others are language-free.

A producer that reads another's published result (the synthesis reads the cells of the parts' tables) calls
:func:`read`. How a result is served — computed once, cached on disk, rounded, with its provenance — is the results
layer's concern: :mod:`analysis.results.registry` installs itself as the server (:func:`serve`). The study thus
never imports the layer above it, and reads what a reader sees (a cell disclosure control hid stays hidden).

This module sits below the study, with :mod:`analysis.i18n` and :mod:`analysis.charts`: it imports no layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from analysis import charts, i18n, reads


@dataclass
class Result:
    key: str
    kind: str  # "number", "text", "table" or "chart"
    value: Any  # a float or int; words; a DataFrame; a Vega-Lite spec (dict)
    title: str = ""
    style: str = ""  # numbers: "count", "share", "decimal", "p" or "year"
    decimals: int | None = None
    unit: str = ""
    alt: str = ""  # charts: a text alternative describing what the chart shows
    note: str = ""  # tables and charts: shown under them
    function: str = ""
    data: dict[str, str] = field(default_factory=dict)
    uses: dict[str, str] = field(default_factory=dict)  # results it was computed from: key -> function
    lang: str = "en"
    protection: str = ""  # tables: why disclosure control published a safer form than designed (English), or ""

    def formatted(self, lang: str | None = None) -> str:
        """The number as a reader sees it, in the conventions of ``lang``."""
        if self.kind != "number":
            raise TypeError(f"{self.key} is a {self.kind}, not a number")
        lang = lang or self.lang
        if self.value is None:  # withheld by disclosure control (analysis.protection.disclosure.publish_count)
            return i18n.text("withheld_number", lang)
        if self.value != self.value:  # NaN: a model that cannot be estimated (analysis.study.survey.compute)
            return i18n.text("not_estimable_number", lang)
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
        :func:`analysis.publication.provenance.sentence`) but the package version, which the pins add (a result
        does not carry it: see :mod:`analysis.version`)."""
        return {"function": self.function, "data": self.data, "uses": self.uses,
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


PRODUCERS: dict[str, Producer] = {}  # prefix -> the producer registered for it; filled by importing analysis.study


def publishes(prefix: str, *, translated: bool = False):
    """Register a function computing the results whose keys start with ``prefix``."""
    first = prefix.split(".")[0]

    def register(function):
        module = function.__module__
        if module.rsplit(".", 1)[-1] != first:
            raise ValueError(f"{module}.{function.__qualname__} registers {prefix!r}: a key's first segment names the "
                             f"module that registers it, so {prefix!r} belongs in a module named {first!r} "
                             f"(e.g. analysis.study.{first}), or this module's keys start with "
                             f"{module.rsplit('.', 1)[-1]!r}")
        name = f"{module}.{function.__qualname__}"
        if prefix in PRODUCERS and PRODUCERS[prefix].name != name:
            raise ValueError(f"{prefix!r} is registered twice: by {PRODUCERS[prefix].name} and by {name}")
        PRODUCERS[prefix] = Producer(prefix, function, translated)
        return function

    return register


def within(key: str, prefix: str) -> bool:
    """``key`` is ``prefix`` or lies under it, by whole dotted segments (``a.rate`` is not under ``a.ra``)."""
    return key == prefix or key.startswith(prefix + ".")


def producer_of(key: str) -> Producer:
    """The producer registered for the longest prefix of ``key``, in :data:`PRODUCERS`."""
    matches = [p for prefix, p in PRODUCERS.items() if within(key, prefix)]
    if not matches:
        first = key.split(".")[0]
        near = sorted(prefix for prefix in PRODUCERS if prefix.split(".")[0] == first) or sorted(PRODUCERS)
        raise KeyError(f"no registered function publishes {key!r} (registered prefixes: {', '.join(near) or 'none'})")
    return max(matches, key=lambda p: len(p.prefix))


def computed_from(name: str, function: str) -> None:
    """Note an unpublished intermediate (e.g. the unit-level survey membership, which is never a result) as read by
    the producer now running, so its provenance names the code that made it and its cache keys on that code; its
    data files are recorded by :mod:`analysis.data.load` as for any read."""
    reads.computed(name, function)


_server: Callable[[str, str], Result] | None = None


def serve(server: Callable[[str, str], Result]) -> None:
    """Install the function that serves a published result by key and language (:func:`analysis.results.registry.get`)."""
    global _server
    _server = server


def read(key: str, lang: str = "en") -> Result:
    """The published result ``key``, as a reader sees it, read by a producer (its reads join the reader's
    provenance)."""
    if _server is None:
        raise RuntimeError(f"{key}: results are served by analysis.results.registry; import it to compute results")
    return _server(key, lang)
