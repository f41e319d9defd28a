"""What a chapter calls to show published results: glue numbers, show tables and charts with their origin.

A chapter never computes. It asks for results by key::

    from analysis.publish import glue_numbers, show
    glue_numbers("reference")          # then write {glue}`reference.frame.total` in the prose
    show("reference.income.chart")     # a chart or table, its caption and its provenance line
"""

from __future__ import annotations

from IPython.display import Markdown, display

from . import i18n, registry
from .charts import ChartOutput


class Formatted(str):
    """A formatted number whose plain-text form has no quotes, so ``{glue}`` shows it as it is."""

    def __repr__(self) -> str:
        return str(self)


def glue_numbers(prefix: str, lang: str = "en") -> list[str]:
    """Glue every number result under ``prefix``, formatted for ``lang``, under its key."""
    from myst_nb import glue

    glued = []
    for key, result in sorted(registry.under(prefix, lang).items()):
        if result.kind == "number":
            glue(key, Formatted(result.formatted(lang)), display=False)
            glued.append(key)
    return glued


def _pipe_table(frame) -> str:
    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def provenance_line(result: registry.Result, lang: str = "en") -> str:
    files = ", ".join(f"{name} ({digest[:8]})" for name, digest in sorted(result.data.items())) or "–"
    return (f"{i18n.text('source', lang)}: `{result.function}` · {i18n.text('data', lang)}: {files}"
            f" · bbox-analysis {result.version}")


def show(key: str, lang: str = "en") -> None:
    """Display the table or chart ``key`` with its caption and provenance line."""
    result = registry.get(key, lang)
    label = key.replace(".", "-")
    if result.kind == "table":
        # A colon fence: a backtick fence's title may not hold backticks (inline code in a title).
        display(Markdown(f":::{{table}} {result.title}\n:name: {label}\n\n{_pipe_table(result.value)}\n:::\n\n"
                         f"{{.provenance}}\n{provenance_line(result, lang)}"))
    elif result.kind == "chart":
        display(ChartOutput(result.value, result.alt))
        display(Markdown(f"**{i18n.text('figure', lang)}: {result.title}**\n\n"
                         f"{{.provenance}}\n{provenance_line(result, lang)}"))
    else:
        raise TypeError(f"{key} is a {result.kind}: glue it with glue_numbers() and {{glue}}`{key}`")
