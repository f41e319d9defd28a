"""Latent class analysis of binary items: a typology of units from what they do or do not do.

Usable on any data set whose items are 0/1 columns, one row per unit::

    from analysis.study.survey.typology import fit_lca, select_lca
    model = fit_lca(items, 4, n_starts=10, seed=1)     # one model
    model.class_shares, model.item_probabilities, model.membership, model.bic
    selection = select_lca(items, range(1, 7))          # one model per class count
    selection.table                                      # the fit table; selection.best_by_bic

The estimation is StepMix's EM for a binary measurement model, run from ``n_starts`` random starts; the best
log-likelihood wins. Classes are numbered 1..K by decreasing share (largest first), so that results do not
depend on the arbitrary order in which EM found them (label switching), and the same seed gives the same model.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from analysis import SEED

DEFAULT_STARTS = 10
# EM stops when the average log-likelihood per row gains less than this (StepMix's default is 1e-10; 1e-8 is
# far below any difference the fit table shows and ends flat, over-parameterised models sooner).
TOLERANCE = 1e-8
MAX_ITER = 2000


def check_binary(items: pd.DataFrame) -> np.ndarray:
    """The items as a float array, or a ValueError naming the first column that is not 0/1 without gaps."""
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame of 0/1 columns, not {type(items).__name__}")
    if items.shape[1] == 0 or items.shape[0] == 0:
        raise ValueError(f"items must have at least one row and one column (got {items.shape[0]} × {items.shape[1]})")
    for column in items.columns:
        values = items[column]
        missing = values.isna()
        if missing.any():
            raise ValueError(f"column {column!r} has {int(missing.sum())} missing value(s) (first at row "
                             f"{values.index[missing.to_numpy()][0]!r}); latent class analysis needs complete 0/1 data")
        numeric = pd.to_numeric(values, errors="coerce")
        wrong = numeric.isna() | ~numeric.isin([0, 1])
        if wrong.any():
            first = values.index[wrong.to_numpy()][0]
            raise ValueError(f"column {column!r} is not coded 0/1: row {first!r} holds {values.loc[first]!r} "
                             f"({int(wrong.sum())} value(s) other than 0 and 1)")
    return items.to_numpy(dtype=float)


@dataclass(frozen=True)
class LatentClassModel:
    """A fitted latent class model, classes numbered 1..K by decreasing share."""

    n_classes: int
    class_shares: pd.Series  # index: class 1..K; sums to 1; largest first
    item_probabilities: pd.DataFrame  # rows: items; columns: classes 1..K; P(item = 1 | class)
    membership: pd.DataFrame  # rows: units (the index of the items); columns: classes; posterior probabilities
    loglik: float
    n_parameters: int
    n_starts: int
    seed: int

    @property
    def n_units(self) -> int:
        return len(self.membership)

    @property
    def aic(self) -> float:
        return -2 * self.loglik + 2 * self.n_parameters

    @property
    def bic(self) -> float:
        return -2 * self.loglik + self.n_parameters * np.log(self.n_units)

    @property
    def sabic(self) -> float:
        """Sample-size adjusted BIC: the BIC penalty with N replaced by (N + 2) / 24."""
        return -2 * self.loglik + self.n_parameters * np.log((self.n_units + 2) / 24)

    @cached_property
    def entropy(self) -> float:
        """Relative entropy of the posteriors, 1 − E / (N ln K): 1 when every unit is classified with certainty.

        Not defined for one class (NaN)."""
        if self.n_classes == 1:
            return float("nan")
        posterior = np.clip(self.membership.to_numpy(), 1e-15, 1)
        return float(1 - (-(posterior * np.log(posterior)).sum()) / (self.n_units * np.log(self.n_classes)))

    @property
    def modal_class(self) -> pd.Series:
        """Each unit's most probable class."""
        return self.membership.idxmax(axis=1).rename("class")

    @property
    def certainty(self) -> pd.Series:
        """Each unit's posterior probability of its modal class."""
        return self.membership.max(axis=1).rename("certainty")


def fit_lca(items: pd.DataFrame, n_classes: int, n_starts: int = DEFAULT_STARTS,
            seed: int = SEED) -> LatentClassModel:
    """Fit a latent class model with ``n_classes`` classes to the 0/1 columns of ``items`` (one row per unit).

    ``n_starts`` random starts of EM are run and the one with the highest log-likelihood is kept; ``seed``
    makes the result reproducible. Raises ValueError naming the column when an item is not coded 0/1 or has
    missing values.
    """
    from sklearn.exceptions import ConvergenceWarning
    from stepmix.stepmix import StepMix

    if not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer, not {n_classes!r}")
    if n_starts < 1:
        raise ValueError(f"n_starts must be at least 1, not {n_starts!r}")
    data = check_binary(items)
    if n_classes > len(data):
        raise ValueError(f"cannot fit {n_classes} classes to {len(data)} rows")
    model = StepMix(n_components=int(n_classes), measurement="binary", n_init=n_starts, random_state=seed,
                    max_iter=MAX_ITER, abs_tol=TOLERANCE, progress_bar=0, verbose=0)
    with warnings.catch_warnings():
        # Starts that stop at max_iter only lose to better starts; the best one is kept either way.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(data)
    return _ordered(model, items, data, n_starts, seed)


def _ordered(model, items: pd.DataFrame, data: np.ndarray, n_starts: int, seed: int) -> LatentClassModel:
    """The fitted StepMix estimator as a :class:`LatentClassModel`, classes numbered by decreasing share."""
    params = model.get_parameters()
    shares = np.asarray(params["weights"], dtype=float)
    pis = np.asarray(params["measurement"]["pis"], dtype=float)  # K × items
    posterior = model.predict_proba(data)
    n_classes = len(shares)
    # Label switching: order classes by share (largest first), ties by the mean item probability.
    order = sorted(range(n_classes), key=lambda k: (-round(shares[k], 10), -pis[k].mean()))
    classes = pd.RangeIndex(1, n_classes + 1, name="class")
    return LatentClassModel(
        n_classes=int(n_classes),
        class_shares=pd.Series(shares[order] / shares.sum(), index=classes, name="share"),
        item_probabilities=pd.DataFrame(pis[order].T, index=pd.Index(items.columns, name="item"), columns=classes),
        membership=pd.DataFrame(posterior[:, order], index=items.index, columns=classes),
        loglik=float(model.score(data) * len(data)),  # score() is the average log-likelihood per row
        n_parameters=int(round(model.n_parameters)),
        n_starts=int(n_starts), seed=int(seed),
    )


@dataclass(frozen=True)
class LatentClassSelection:
    """Models with different numbers of classes fitted to the same items, and their fit table."""

    models: dict[int, LatentClassModel]

    @property
    def table(self) -> pd.DataFrame:
        """One row per number of classes: log-likelihood, parameters, AIC, BIC, SABIC, entropy, smallest share."""
        rows = {k: {"loglik": m.loglik, "n_parameters": m.n_parameters, "aic": m.aic, "bic": m.bic,
                    "sabic": m.sabic, "entropy": m.entropy, "smallest_share": m.class_shares.min()}
                for k, m in sorted(self.models.items())}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("n_classes")

    @property
    def best_by_bic(self) -> LatentClassModel:
        return self.models[int(self.table["bic"].idxmin())]


def select_lca(items: pd.DataFrame, class_counts=range(1, 7), n_starts: int = DEFAULT_STARTS,
               seed: int = SEED) -> LatentClassSelection:
    """Fit one latent class model per number of classes in ``class_counts`` (same starts and seed for each)."""
    check_binary(items)
    return LatentClassSelection({int(k): fit_lca(items, int(k), n_starts=n_starts, seed=seed) for k in class_counts})


@dataclass(frozen=True)
class ClassDescription:
    """Where a class stands out from the others, in terms any language can word (see :func:`class_label`).

    A class is high on up to two blocks (``high``, most distinctive first), or low on every block (``low``), or
    marked by one item (``item``); ``also`` names the item that tells it apart from a class described the same
    way. A model of one class has an empty description."""

    high: tuple[str, ...] = ()
    low: bool = False
    item: str | None = None
    also: str | None = None


# The words of a class label in English; other languages pass their own (same keys and placeholders).
ENGLISH = {"one": "one type", "high_one": "broad {first}", "high_two": "broad {first} and {second}",
           "low": "limited offer in every area", "item": "focused on {item}", "also": "{label}, especially {item}"}


def describe(model: LatentClassModel, blocks: dict[str, str], threshold: float = 0.15) -> dict[int, ClassDescription]:
    """Each class's :class:`ClassDescription`, from where its profile stands out from the other classes.

    ``blocks`` maps each item to its block. For each class, the mean item probability in each block is
    compared with the share-weighted mean of the other classes: blocks at least ``threshold`` higher describe
    the class; a class at least ``threshold`` lower in every block is low; otherwise its most distinctive item
    marks it. Two classes with the same description are told apart by their most distinctive item."""
    probs, shares = model.item_probabilities, model.class_shares
    found = {}
    for k in probs.columns:
        others = [c for c in probs.columns if c != k]
        if not others:
            found[k] = ClassDescription()
            continue
        rest = probs[others].mul(shares[others], axis=1).sum(axis=1) / shares[others].sum()
        item_gap = probs[k] - rest
        block_gap = item_gap.groupby(pd.Series(blocks)).mean().sort_values(ascending=False)
        high = tuple(b for b, gap in block_gap.items() if gap >= threshold)[:2]
        low = not high and bool((block_gap <= -threshold).all())
        found[k] = ClassDescription(high=high, low=low, item=None if high or low else item_gap.idxmax())
    repeated = pd.Series(found).duplicated(keep=False)
    for k in [k for k in found if repeated[k]]:
        others = [c for c in probs.columns if c != k]
        found[k] = ClassDescription(found[k].high, found[k].low, found[k].item,
                                    also=(probs[k] - probs[others].mean(axis=1)).idxmax())
    return found


def lowered(title: str) -> str:
    """A title inside a phrase: its words in lower case, acronyms (GPMI, LOI/ILA) as they are."""
    return re.sub(r"[^\W\d_]+", lambda word: word[0] if len(word[0]) > 1 and word[0].isupper() else word[0].lower(),
                  title)


def class_label(description: ClassDescription, titles: dict[str, str] | None = None, words: dict[str, str] = ENGLISH,
                block_names: dict[str, str] | None = None) -> str:
    """A description in words: ``words`` as :data:`ENGLISH`, blocks named by ``block_names`` (default: as they
    are), items by their ``titles`` (default: their names)."""
    titles, block_names = titles or {}, block_names or {}
    item = lambda name: lowered(titles.get(name, name))  # noqa: E731
    high = [block_names.get(b, b) for b in description.high]
    if high:
        label = words["high_two"].format(first=high[0], second=high[1]) if len(high) > 1 else \
            words["high_one"].format(first=high[0])
    elif description.low:
        label = words["low"]
    elif description.item is not None:
        label = words["item"].format(item=item(description.item))
    else:
        label = words["one"]
    return words["also"].format(label=label, item=item(description.also)) if description.also else label


def describe_classes(model: LatentClassModel, blocks: dict[str, str], titles: dict[str, str] | None = None,
                     threshold: float = 0.15) -> pd.Series:
    """A descriptive English label per class (see :func:`describe`): "broad rights and organisation", "limited
    offer in every area", "focused on …" (an item's title from ``titles`` where given); labels are unique."""
    labels = {k: class_label(d, titles) for k, d in describe(model, blocks, threshold).items()}
    return pd.Series(labels, name="label").rename_axis("class")
