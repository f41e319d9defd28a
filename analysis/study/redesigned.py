"""What a reader sees of a table or number that disclosure control published in a safer form than designed.

:mod:`analysis.protection.redesign` chooses the form (a :class:`~analysis.protection.redesign.Choice`); the study
parts render it in the reader's language with these: the note under the table that says why, the stand-in for a
withheld table, and :func:`apply`, which gives a part's results the form its plan chose.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis.protection import disclosure
from analysis.protection.redesign import Choice
from analysis import i18n
from analysis.producers import Result, number


def note(choice: Choice, lang: str) -> str:
    """Why a table is not published as designed, in ``lang``, or ""."""
    return i18n.text(choice.reason, lang, below=disclosure.THRESHOLD) if choice.reason else ""


def withheld_table(lang: str) -> pd.DataFrame:
    """What stands for a table withheld by disclosure control: one column, its header saying so, and one empty
    row (the note says why). The English header is what :func:`analysis.protection.redesign.is_withheld`
    recognises."""
    return pd.DataFrame({i18n.text("redesign.withheld_column", lang): ["–"]})


def apply(results: list[Result], plan: dict[str, Choice], lang: str) -> list[Result]:
    """``results`` with each one the plan names in the form it chose: a withheld number as "not published", a
    withheld table as :func:`withheld_table`, and every redesigned one with its note and provenance record. (A
    table published at another level or with more cells hidden is computed so by its producer.)"""
    shown = []
    for result in results:
        choice = plan.get(result.key)
        if choice is None or not choice.reason:
            shown.append(result)
        elif result.kind == "number":
            withheld = number(result.key, None, style=result.style, title=result.title) if choice.withheld else result
            shown.append(replace(withheld, protection=choice.record()))
        elif choice.withheld:
            table = disclosure.publish_table(result.key, withheld_table(lang), title=result.title, count_columns=[],
                                             note=note(choice, lang), protection=choice.record())
            shown.append(table)
        else:
            shown.append(replace(result, note=" ".join(filter(None, [note(choice, lang), result.note])),
                                 protection=choice.record()))
    return shown
