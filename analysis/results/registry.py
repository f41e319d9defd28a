"""The registry of published results: every number, table and chart an edition shows, served under its key.

Study parts write their results in the vocabulary of :mod:`analysis.producers` and register the functions that make
them there; importing :mod:`analysis.study` registers them all, so the registry looks a key up in that one table
(:func:`analysis.producers.producer_of`) and never searches the sources.

Each result carries its provenance: the function that made it, the data files it read (with a short content
hash), the results it was computed from (``uses``: a producer that reads another result through :func:`get`,
:func:`under` or :func:`analysis.producers.read` also lists that result's data files and function) and the package
version. Tables and charts are rounded to :mod:`analysis.results.precision` as they leave their producer, so a page,
a pin and a chart's data-set names do not depend on the last bits of a float. Results are cached on disk, keyed on
the producer's code and on what it read (:mod:`analysis.results.freshness`), so the pages of a build share one
computation, a comment recomputes nothing and a changed input never serves an old result.
"""

from __future__ import annotations

from dataclasses import replace

from analysis import hashing, i18n, reads, study
from analysis.producers import PRODUCERS, Producer, Result, producer_of, serve, within
from analysis.results import freshness, precision


def producers() -> dict[str, Producer]:
    """Every producer of the study, registered by importing every part."""
    study.register()
    return dict(PRODUCERS)


def _register_part(key: str) -> None:
    """Import the study part a key names (its first segment), registering its producers."""
    part = key.split(".")[0]
    if part in study.PARTS:
        study.register(part)


def _producer_of(key: str) -> Producer:
    _register_part(key)
    return producer_of(key)


_memory: dict[tuple, dict[str, Result]] = {}


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
    with freshness.computing(producer.prefix, lang):
        return _computed(producer, lang)


def _computed(producer: Producer, lang: str) -> dict[str, Result]:
    """The producer's results, computed here unless another process stored them while this one waited."""
    cached = freshness.valid_entry(producer.prefix, producer.function.__module__, lang)
    if cached is not None:
        return _memory.setdefault((producer.prefix, lang, cached.signature), cached.results)
    because = freshness.why_recomputed(producer.prefix, producer.function.__module__, lang)
    with reads.recording() as read:
        produced = producer.function(lang=lang) if producer.translated else producer.function()
    data, uses = provenance(read)
    results = {}
    for result in produced:
        if not within(result.key, producer.prefix):
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


def under(prefix: str, lang: str = "en") -> dict[str, Result]:
    """Every result whose key is ``prefix`` or starts with ``prefix`` followed by a dot."""
    _register_part(prefix)
    found = {}
    for producer in list(PRODUCERS.values()):
        if within(producer.prefix, prefix) or within(prefix, producer.prefix):
            found.update({k: r for k, r in _run(producer, lang).items() if within(k, prefix)})
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


serve(get)  # a producer reading another's result (analysis.producers.read) is served from here
