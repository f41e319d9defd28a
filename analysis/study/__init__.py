"""The study: one module per part, each computing results from data and registering the functions that publish them.

The parts, in the order of the book: the public reference data (``reference``), the literature review
(``literature``), the web survey and its typology (``survey``), the case studies (``cases``), the interviews with
newcomers (``newcomers``), the synthesis of the four (``synthesis``), and the data package itself as the codebook
appendix shows it (``datapackage``). A published key starts with the name of its part (``survey.response.rate``),
the rule :func:`analysis.producers.publishes` checks.

:func:`register` imports a part, or every part, which registers its producers in :data:`analysis.producers.PRODUCERS`:
the registry asks for the one part a key names, so a page showing reference figures does not import the survey's
latent class models.
"""

from __future__ import annotations

from importlib import import_module

PARTS = ("reference", "literature", "survey", "cases", "newcomers", "synthesis", "datapackage")


def register(part: str | None = None) -> None:
    """Import ``part`` (every part when None), registering the functions that publish its results."""
    if part is not None and part not in PARTS:
        raise KeyError(f"no study part named {part!r}: a key starts with the name of its part ({', '.join(PARTS)})")
    for name in PARTS if part is None else (part,):
        import_module(f"{__name__}.{name}")
