"""The short editions' messages, chosen from the results: the types of PCSW practice and the most common one, how
two practices go with staff support for conditional aid, the barriers newcomers name most often, and whether the
strands rank the regions alike; each with the implication it carries, as whole sentences in each language
(``message.*`` and ``implication.*`` in ``analysis/i18n/<lang>.yml``)."""

from __future__ import annotations


import pandas as pd

from analysis import i18n
from analysis.data.codebook import codebook
from analysis.publication.display import glue_texts
from analysis.results import registry


SHARE_PREFIX = "newcomers.themes.share."
BARRIER_PREFIX = SHARE_PREFIX + "barrier_"
FACTOR_PRACTICES = ("extra_conditions", "supplementary_aid")
# The order in which a sentence names the case studies' interviewees (``interviewees.<role>``)
INTERVIEWEES = ("management", "workers", "partners")
# Who should act on each barrier: the integration services and the PCSWs together, the integration services, or the
# PCSW; each remedy is a whole sentence naming its actor, or saying "they also" after one of the same actor's.
REMEDY_BY = {"barrier_language": "both", "barrier_admin": "both", "barrier_waiting": "both",
             "barrier_information": "services", "barrier_arbitrariness": "pcsw"}


def _direction(low: float, high: float) -> str:
    """How a practice goes with support for conditional aid: its odds ratio's interval above 1, below 1, or across
    it; or no interval (NaN) where the model is not estimable."""
    if low != low:
        return "not_estimable"
    return "more" if low > 1 else "less" if high < 1 else "unclear"


def messages(lang: str = "en") -> dict[str, str]:
    """The executive summary's messages and the implications they carry, in ``lang``, each chosen by the results
    (never typed into prose): the types of PCSW practice and the most common one, how two practices go with staff
    support for conditional aid, the barriers newcomers name most often with their shares, and whether the survey
    and the newcomers rank the regions alike on conditions. Keys are ``message.…``, glued by ``glue_messages``; each
    is a whole sentence (or clause) in one of its written forms, chosen for the shape of the results."""
    return {**_typology_messages(lang), **_factor_messages(lang), **_barrier_messages(lang), **_strand_messages(lang),
            **_interviewee_messages(lang)}


def _interviewee_messages(lang: str) -> dict[str, str]:
    """Whom the case studies interviewed, as a sentence names them: every role with interviews
    (``cases.design.interviews_<role>``; a hidden count is not nobody), in :data:`INTERVIEWEES`' order."""
    prefix = "cases.design.interviews_"
    counts = {key.removeprefix(prefix): result for key, result in registry.under("cases.design", lang).items()
              if key.startswith(prefix) and result.kind == "number"}
    order = lambda role: INTERVIEWEES.index(role) if role in INTERVIEWEES else len(INTERVIEWEES)  # noqa: E731
    interviewed = tuple(role for role in sorted(counts, key=order)
                        if counts[role].value is None or counts[role].value > 0)
    return {"message.cases.interviewees": i18n.named(
        interviewed, lambda role, lang: i18n.text(f"interviewees.{role}", lang), lang)}


def _typology_messages(lang: str) -> dict[str, str]:
    """The types of practice as the fitted typology gives them (class 1 is the largest, survey.typology)."""
    n = registry.get("survey.typology.n_classes")
    return typology_messages(n.value, i18n.in_words(n.value, lang),
                             registry.get("survey.typology.largest_share").formatted(lang),
                             registry.get("survey.typology.most_common", lang).value, lang)


def typology_messages(n_classes: int, n: str, share: str, largest: str, lang: str) -> dict[str, str]:
    """How many types of practice there are and the most common one (``largest``, holding ``share``), or that one
    pattern fits every PCSW; and what a PCSW can do with that (``n`` and ``share`` as the reader sees them: the
    count in words up to twenty, :func:`~analysis.i18n.in_words`; the share is the model's estimate, and the sentence
    says so)."""
    form = "one" if n_classes == 1 else "several"
    return {"message.typology": i18n.text(f"message.typology.{form}", lang, n=n, share=share, type=largest),
            "message.implication.local": i18n.text(f"implication.local.{form}", lang)}


def _factor_messages(lang: str) -> dict[str, str]:
    """How each practice goes with staff support for conditional aid; the federal implication rests on the first."""
    found = {}
    for practice in FACTOR_PRACTICES:
        low, high = (registry.get(f"survey.factors.{practice}.or_{end}").value for end in ("low", "high"))
        direction = _direction(low, high)
        found[f"message.factors.{practice}"] = i18n.text(f"message.factors.{practice}.{direction}", lang)
        if practice == FACTOR_PRACTICES[0]:
            # guidance on the conditions follows only from a link between staff views and conditions
            basis = "linked" if direction in ("more", "less") else "unclear"
            found["message.implication.federal"] = i18n.text(f"implication.federal.{basis}", lang)
    return found


def ranked_barriers(shares: dict[str, float | str]) -> tuple[tuple, tuple] | None:
    """The barriers named most often and those named next most often (``shares``: barrier code -> share, or
    :data:`~analysis.protection.disclosure.MARK` where hidden), by :func:`~analysis.protection.disclosure.largest`'s
    rule: tied barriers together, never broken; none where nobody named one; None where a share is hidden (it may be
    the largest). The next group is empty when the first is tied (the sentence names the tie) or nobody named another."""
    from analysis.protection import disclosure

    first = disclosure.largest(pd.Series(shares, dtype=object))
    if first is None:
        return None
    if len(first) != 1:
        return first, ()
    rest = {code: share for code, share in shares.items() if code not in first}
    return first, disclosure.largest(pd.Series(rest, dtype=object)) or ()


def _barrier_form(ranked: tuple[tuple, tuple] | None) -> str:
    if ranked is None:
        return "hidden"
    first, second = ranked
    return ("none" if not first else "tied" if len(first) > 1 else "only" if not second
            else "then_tied" if len(second) > 1 else "two")


def _barrier_messages(lang: str) -> dict[str, str]:
    """The barriers named most often, from the published shares of all interviewees (a hidden share is withheld:
    its value is None)."""
    from analysis.protection.disclosure import MARK

    published = registry.under("newcomers.themes", lang)
    shown = {f.name: published.get(SHARE_PREFIX + f.name) for f in codebook()["newcomers"].block("barriers")}
    return barrier_messages({code: MARK if r is None or r.value is None else r.value for code, r in shown.items()},
                            {code: r.formatted(lang) for code, r in shown.items() if r is not None}, lang)


def barrier_messages(shares: dict, formatted: dict[str, str], lang: str) -> dict[str, str]:
    """The barriers named most often with their shares (``shares``: code -> share or MARK where hidden;
    ``formatted``: code -> the share as the reader sees it), tied barriers named together, and what the integration
    services and PCSWs can do about them; a hidden share withholds the choice (it may be the largest)."""
    ranked = ranked_barriers(shares)
    form = _barrier_form(ranked)
    named = lambda codes: i18n.named(codes, lambda code, lang: i18n.text(f"theme.{code}", lang), lang)  # noqa: E731
    values = {}
    if form not in ("hidden", "none"):
        first, second = ranked
        values = {"first": named(first), "first_share": formatted[first[0]]}  # tied codes share one value
        if second:
            values.update(second=named(second), second_share=formatted[second[0]])
    codes = [code for group in (ranked or ()) for code in group]
    implication = remedies(codes, lang) if codes else i18n.text("implication.regions.general", lang)
    return {"message.barriers": i18n.text(f"message.barriers.{form}", lang, **values),
            "message.implication.regions": implication}


def remedies(codes: list[str], lang: str) -> str:
    """What should be done about the barriers ``codes`` (most often named first): one whole sentence per remedy, in
    the order the actors who should act first come up (:data:`REMEDY_BY`), each actor's remedies together; the first
    names the actor (``remedy.<code>``), the next ones say "they also" (``remedy.<code>_also``), so that no actor is
    named twice in a row and no sentence is a list of actions joined in code."""
    by_actor: dict[str, list[str]] = {}
    for code in codes:
        by_actor.setdefault(REMEDY_BY[code], []).append(code)
    return " ".join(i18n.text(f"remedy.{code}" + ("_also" if i else ""), lang)
                    for listed in by_actor.values() for i, code in enumerate(listed))


def agreement(agree: int, regions: int, compared: bool = True) -> str:
    """The form of the strands' sentence: every region ranked alike, none, some, or not compared (a share hidden)."""
    if not compared:
        return "hidden"
    return "all" if agree == regions else "none" if agree == 0 else "some"


def _strand_messages(lang: str) -> dict[str, str]:
    """Where the strands meet: in how many regions the survey (PCSWs attaching conditions beyond the legal
    minimum) and the newcomers (who speak of the pressure of conditions) give the region the same rank; none is
    counted, and the sentence says so, when a share is hidden (the joint display shows "not compared")."""
    agree, regions = registry.get("synthesis.joint.agree"), registry.get("synthesis.joint.regions")
    compared = registry.get("synthesis.joint.compared").value == regions.value
    return {"message.strands.conditions": i18n.text(
        f"message.strands.{agreement(agree.value, regions.value, compared)}", lang,
        agree=agree.formatted(lang), regions=regions.formatted(lang))}


def glue_messages(lang: str = "en") -> list[str]:
    """Glue the messages of ``messages`` for ``{glue}`` in a page's prose (plain text, never parsed as markup)."""
    return glue_texts(messages(lang))
