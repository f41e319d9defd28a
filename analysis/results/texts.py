"""Text results: words the analysis chose from the data, such as the theme most interviewees raised or the most
common level of a coded dimension, in the reader's language, for ``{glue}`` in prose.

A text result is a :class:`~analysis.results.registry.Result` of kind ``"text"`` whose value is what the reader
sees; it is pinned in ``results/texts.json`` (:mod:`analysis.results.pins`) and glued by
:func:`analysis.publication.display.glue_labels`. Chapters glue these instead of naming a pattern by hand.
"""

from __future__ import annotations

from analysis.results.registry import Result


def text(key: str, value: str, *, title: str) -> Result:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key}: a text result needs words, got {value!r}")
    return Result(key, "text", value, title=title)
