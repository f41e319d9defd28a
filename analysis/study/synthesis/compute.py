"""The synthesis, computed: cells read from the results the other parts publish, their ranking, and the choice of
excerpts for the framework matrix.

Every cell is *read* from a published result under its key (:func:`analysis.producers.read`), never recomputed: the synthesis can then not
disagree with a chapter, and a hidden (disclosure-protected) cell stays hidden. A reading records the data files
of the result it reads, so that a synthesis result names the data it rests on.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths, producers, yaml_text
from analysis.protection import disclosure, identifiers, redesign


def get(key: str) -> producers.Result:
    """A published result (its data files join the synthesis's provenance as every result read does)."""
    return producers.read(key)


def _column(frame: pd.DataFrame, key: str, name: str) -> None:
    if name not in frame.columns:
        raise KeyError(f"{key}: no column {name!r} (columns: {', '.join(map(str, frame.columns))})")


def cell(key: str, match: dict[str, str], column: str) -> str:
    """The cell of the published table ``key`` in the row whose columns equal ``match``, as the reader sees it;
    hidden (:data:`~analysis.protection.disclosure.MARK`) where disclosure control withheld the table."""
    frame = get(key).value
    if redesign.is_withheld(frame):
        return disclosure.MARK
    rows = frame
    for name, value in match.items():
        _column(frame, key, name)
        rows = rows[rows[name].astype(str) == value]
    if len(rows) != 1:
        raise KeyError(f"{key}: {len(rows)} rows match {match} (expected one)")
    _column(frame, key, column)
    return str(rows.iloc[0][column])


def rank_value(text: str) -> float:
    """A shown percentage ("27.4%") as a number, for ranking shown (never hidden) cells."""
    return float(text.rstrip("%").replace(",", ""))


def highest(shown: dict[str, str]) -> tuple | None:
    """The keys whose shown percentage is the highest, by :func:`~analysis.protection.disclosure.largest`'s rule,
    the one every part follows: all tied keys in the order given, ``()`` when every share is 0, None when a share
    is hidden (a hidden share may be the highest; naming the highest of the others would tell on which side of the
    threshold the hidden count lies). Shares are ranked as the reader sees them: two shares shown alike are tied."""
    return disclosure.largest(pd.Series({key: share if share == disclosure.MARK else rank_value(share)
                                         for key, share in shown.items()}, dtype=object))


def same_rank(first: list[str], second: list[str]) -> list[bool | None]:
    """Whether each unit holds the same rank (highest first, ties sharing the best rank) on two shown shares; None
    for every unit when a share is hidden (its rank, and so every other rank, is unknown to the reader)."""
    if disclosure.MARK in first + second:
        return [None] * len(first)
    ranks = [pd.Series(list(map(rank_value, shares))).rank(ascending=False, method="min") for shares in (first, second)]
    return [bool(a == b) for a, b in zip(*ranks)]


def theme_range(shares: list[str]) -> tuple[str, str] | None:
    """The lowest and the highest of shown percentages; None when any of them is hidden."""
    visible = [s for s in shares if s != disclosure.MARK]
    if len(visible) < len(shares):
        return None
    return min(visible, key=rank_value), max(visible, key=rank_value)


def type_columns() -> list[str]:
    """The survey types, as the columns of the membership table by region name them ("1. …")."""
    return [c for c in get("survey.membership.region.table").value.columns if c[:1].isdigit()]


def regions() -> list[str]:
    return list(get("survey.response.by_region").value["Region"].iloc[:-1])  # without Belgium


def excerpt(coded: pd.DataFrame, cases: pd.Index, dimension: str, role: str) -> str | None:
    """The first excerpt coded ``dimension``, said by ``role`` in one of ``cases``, that passes the identifier
    check; None if there is none."""
    candidates = coded[(coded["code"] == dimension) & (coded["speaker_role"] == role) & coded["case_id"].isin(cases)]
    return next((row.text for row in candidates.itertuples() if not identifiers.find(row.text)), None)


def record_path() -> Path:
    """The study record: what only the study's own records can tell (fieldwork dates, ethics approval…)."""
    return paths.DATA / "study_record.yml"


def record_entries(path: Path) -> list[tuple[str, str | None, str | None]]:
    """The study record's entries (item, value, assumed), value or assumed None when empty; refused unless each entry
    has an ``item`` (text), a ``value`` (text or empty) and, optionally, ``assumed`` (text: what the book assumes
    until the research team gives the value)."""
    entries = yaml_text.parse(Path(path).read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of entries with 'item' and 'value'")
    found = []
    for index, entry in enumerate(entries, start=1):
        if (not isinstance(entry, dict) or not {"item", "value"} <= set(entry) <= {"item", "value", "assumed"}
                or not isinstance(entry["item"], str)):
            raise ValueError(f"{path}: entry {index} must have the keys 'item' (text) and 'value', "
                             f"and may have 'assumed'")
        texts = []
        for key in ("value", "assumed"):
            text = entry.get(key)
            if text is not None and not isinstance(text, str):
                raise ValueError(f"{path}: entry {index} ({entry['item']}): {key} must be text or empty")
            texts.append(text.strip() if text and text.strip() else None)
        found.append((entry["item"], *texts))
    return found


# -- The sensitising expectations of the theory chapter, as the results stand ------------------------------------
# Each verdict is a code: the results bear the expectation out (agree), go against it (diverge), or cannot yet say
# (hidden cells, an interval that includes no effect, or an answer that only the real excerpts can give). An
# expectation that no count can fairly score gets no verdict and is read in the text (NOT_SCORED).
AGREE, DIVERGE, CANNOT_TELL, NOT_SCORED = "agree", "diverge", "cannot_tell", "not_scored"
EXPECTATIONS = ("E1a", "E1b", "E1c", "E2a", "E2b", "E2c", "E3a", "E3b", "E3c", "E3d")
# E2b (framing) and E2c (levels) are read from what management and social workers say: no count can answer them.
READ_FROM_EXCERPTS = ("E2b", "E2c")
# E3a (thresholds): a rule on the shares of barriers could hardly fail in interviews about access; it is read from
# the shares overall and by legal status (the organisation of the PCSW is E3d's question). E3c and E3d set
# three regions side by side, and no order of three regions can establish a relation. All three are read in the text.
READ_DESCRIPTIVELY = ("E3a", "E3c", "E3d")


def variation_verdict(dispersion_ratio: float, threshold: float) -> str:
    """E1a, on the repertoire itself and within the regions (regional differences are E1c's evidence): PCSWs differ
    in the repertoire when the number of practices per PCSW varies, within the regions, at least ``threshold``
    times as much as it would if every PCSW of a region shared the same item probabilities; a ratio below it (near
    1: differences no larger than chance) goes against it."""
    return AGREE if dispersion_ratio >= threshold else DIVERGE


def block_means(profiles: pd.DataFrame, blocks: dict[str, str]) -> pd.DataFrame:
    """The mean probability of each block's practices in each class (profiles: a ``Practice`` column, then one
    column per class; blocks: practice -> block)."""
    unknown = set(profiles["Practice"]) - set(blocks)
    if unknown:
        raise KeyError(f"survey.typology.profiles: practices without a block: {sorted(unknown)}")
    probabilities = profiles.set_index("Practice").astype(float)  # as shown, a probability to two decimals
    return probabilities.groupby(profiles["Practice"].map(blocks).values).mean()


# E1b's rule asks for types, not merely for classes: the leading type stands clearly apart from the next on the
# blocks it leads, and the classes are told apart well enough for the types to be read (relative entropy, from 0 for
# classes no better told apart than by chance to 1 for every unit assigned with certainty).
SEPARATION = 0.2
MIN_ENTROPY = 0.6


def lead(means: pd.DataFrame, block: str) -> tuple[str, float]:
    """The class highest on ``block`` and its block mean's gap to the next class."""
    ranked = means.loc[block].sort_values(ascending=False)
    return ranked.index[0], float(ranked.iloc[0] - ranked.iloc[1])


def types_verdict(means: pd.DataFrame, entropy: float, rights_side=("organisation", "rights"),
                  conditions_side=("integration",), separation: float = SEPARATION,
                  min_entropy: float = MIN_ENTROPY) -> str:
    """E1b: some type leads the others on organisation or rights, and a different type leads on integration
    requirements, each by a block-mean gap of at least ``separation`` over the next type, with a relative entropy
    of at least ``min_entropy``; one class, one class leading everywhere (a gradient rather than types), leads by
    less than the gap, or classes too poorly told apart go against it."""
    if means.shape[1] < 2 or entropy < min_entropy:
        return DIVERGE
    first = [lead(means, b) for b in rights_side if b in means.index]
    second = [lead(means, b) for b in conditions_side if b in means.index]
    return AGREE if any(a != b and gap_a >= separation and gap_b >= separation
                        for a, gap_a in first for b, gap_b in second) else DIVERGE


def association_verdict(p: float, alpha: float) -> str:
    """E1c: a test of independence that rejects at ``alpha`` bears out an association; one that does not, with
    the survey's numbers, goes against it."""
    return AGREE if p < alpha else DIVERGE


def odds_verdict(more: tuple[float, float], less: tuple[float, float]) -> str:
    """E2a: the interval (low, high) of one odds ratio above one and of the other below one; either interval wholly
    on the wrong side goes against it; an interval that includes one cannot tell, and so does a model that is not
    estimable (its bounds are NaN, on neither side of one)."""
    if more[0] > 1 and less[1] < 1:
        return AGREE
    if more[1] < 1 or less[0] > 1:
        return DIVERGE
    return CANNOT_TELL


def _signed(effect: float, p: float, alpha: float) -> int:
    """+1 or -1 for an effect the test finds at ``alpha``, 0 for one it does not."""
    return 0 if p >= alpha else (1 if effect > 0 else -1)


def tests_verdict(tests: list[tuple[float, float, int]], alpha: float) -> str:
    """E3b: each (effect, p, expected sign) found in the expected direction; any found the other way goes against
    the expectation; otherwise the tests cannot tell."""
    found = [_signed(effect, p, alpha) * sign for effect, p, sign in tests]
    if any(f < 0 for f in found):
        return DIVERGE
    return AGREE if all(f > 0 for f in found) else CANNOT_TELL


def alike_ranks(first: list[str], second: list[str], *, reversed_order: bool = False) -> list[bool | None]:
    """Per unit, whether it holds the same rank on both (reversed: the same rank on the first as on the second
    read from the lowest); None for every unit when a share is hidden, as :func:`same_rank`. A description of three
    regions, not a test."""
    if not reversed_order or disclosure.MARK in first + second:
        return same_rank(first, second)
    mirrored = [-rank_value(s) for s in second]
    ranks = [pd.Series(values).rank(ascending=False, method="min")
             for values in (list(map(rank_value, first)), mirrored)]
    return [a == b for a, b in zip(*ranks)]
