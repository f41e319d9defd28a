"""Seeded generator of the stand-in study data, following the codebook.

The study's microdata are confidential. This generator writes stand-in versions of the survey, case-study
and interview files with the structure the study expects planted in them, so that every chapter builds and
every method can be tested for recovering what was planted:

- survey: ``N_TYPES`` latent practice types with distinct item profiles; type membership differs by region
  and municipality size; attitudes towards conditionality and need follow the type;
- cases: 20 case PCSWs drawn from the respondents across regions and types, coded dimensions that follow
  their type;
- newcomers: 90 interviewees, 30 per region, with regional differences in barriers and a satisfaction scale
  driven by trust and perceived arbitrariness.

The planted truth (each PCSW's type, the profiles, the prevalences) is written apart, to ``tests/planted/``,
for tests only. Excerpts and quotes are visibly marked placeholders built from the codes, never text that
reads like testimony. The same seed gives byte-identical files.

A :class:`Shape` asks for the shapes real fieldwork gives instead of the planned design: another response rate,
fewer interviews or cases, case studies lost after sampling, another number of planted types (1 to 6; the types
beyond the four written here are made up deterministically), a theme nobody raised, more answers left blank
where the codebook allows it. ``Shape()`` is the stand-in design: the default writes the same files as ever.

Its length (about 380 lines) is one concern's: the generators of the survey, case and interview files share the
planted truth and one seeded random stream, so that each file agrees with the others on every PCSW and person.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import SEED, paths
from analysis.data.codebook import codebook

N_TYPES = 4
REGIONS = ("FL", "WA", "BR")
RESPONSE_RATE = {"FL": 0.45, "WA": 0.40, "BR": 0.60}
SIZE_SHARES = {"FL": [0.30, 0.45, 0.17, 0.08], "WA": [0.55, 0.30, 0.10, 0.05], "BR": [0.0, 0.0, 0.37, 0.63]}
TYPE_SHARES = {"FL": [0.25, 0.40, 0.15, 0.20], "WA": [0.25, 0.15, 0.30, 0.30], "BR": [0.50, 0.15, 0.05, 0.30]}
# Larger municipalities lean to the first (specialised) type, smaller ones to the third (minimal) type.
SIZE_MULTIPLIER = {0: [0.6, 0.9, 1.2, 1.6], 2: [2.0, 1.2, 0.7, 0.4]}
HIGH, MID, LOW = 0.85, 0.5, 0.15
# Item-response probability per planted type, by item prefix or item name; later entries win.
PROFILES = [
    {"org_": HIGH, "rights_": 0.8, "integ_": MID, "disc_": MID, "rights_extra_conditions": LOW,
     "integ_language_required": 0.25, "integ_civic_required": 0.25, "disc_sanctions": LOW},
    {"org_": 0.4, "rights_": 0.35, "integ_": HIGH, "disc_": 0.7, "rights_extra_conditions": HIGH,
     "disc_worker_mandate": LOW, "org_interpreters": 0.3, "integ_buddy": 0.3},
    {"org_": LOW, "rights_": LOW, "integ_": LOW, "disc_": LOW, "rights_medical_card": 0.6,
     "disc_committee_extra_aid": 0.7, "disc_home_visits": 0.6},
    {"org_": 0.3, "rights_": MID, "integ_": 0.3, "disc_": 0.4, "org_integration_agency": HIGH,
     "org_reception_link": HIGH, "org_outreach": 0.7, "integ_job_referral": 0.9, "integ_training": 0.7,
     "integ_social_activation": 0.7, "disc_case_meetings": 0.7},
]
# Mean attitude (1–5) per planted type.
ATTITUDES = {
    "att_cond_language": [2.4, 4.1, 3.0, 3.0], "att_cond_work": [2.6, 4.2, 3.2, 3.3],
    "att_need_only": [4.0, 2.3, 3.0, 3.1], "att_effort_deserves": [2.8, 4.0, 3.3, 3.2],
    "att_equal_treatment": [3.9, 2.8, 3.6, 3.5], "att_reciprocity": [2.7, 4.0, 3.1, 3.4],
}
CASES_PER_REGION = {"FL": 8, "WA": 7, "BR": 5}
NEWCOMERS_PER_REGION = 30
BARRIERS = {  # prevalence of each coded theme per region (FL, WA, BR)
    "barrier_language": [0.70, 0.45, 0.50], "barrier_admin": [0.55, 0.55, 0.60],
    "barrier_waiting": [0.35, 0.40, 0.70], "barrier_information": [0.50, 0.50, 0.45],
    "barrier_arbitrariness": [0.35, 0.25, 0.30], "trust": [0.55, 0.65, 0.55],
    "support_received": [0.55, 0.55, 0.50], "conditionality_pressure": [0.60, 0.30, 0.35],
    "discrimination": [0.20, 0.15, 0.20],
}
STANDIN_EXCERPT = "[Stand-in excerpt: placeholder, not an interview] Case {case} · {role} · {code}: {value}"
# A quote names its quote number, never the interviewee's id: the book shows quotes under a pseudonym.
STANDIN_QUOTE = "[Stand-in quote: placeholder, not testimony] Quote {quote} · theme: {theme}"
MAX_TYPES = 6
# The item blocks, and the response probabilities an extra planted type draws its block levels from.
BLOCKS = ("org_", "rights_", "integ_", "disc_")
EXTRA_LEVELS = (LOW, 0.3, MID, 0.7, HIGH)
EXTRA_TYPE_SHARE = 0.15  # each extra type's weight in every region, before the weights are normalised


@dataclass(frozen=True)
class Shape:
    """What the fieldwork gave, where it differs from the plan. The defaults are the stand-in design."""

    types: int = N_TYPES                      # planted survey types, 1 to MAX_TYPES
    response_rate: tuple[float, ...] | None = None  # per region (FL, WA, BR), or one for all; None: RESPONSE_RATE
    cases: int = sum(CASES_PER_REGION.values())     # case studies sampled, shared over regions as planned
    lost_cases: int = 0                       # case studies lost after sampling (their ids leave a gap)
    interviews: tuple[int, ...] = (NEWCOMERS_PER_REGION,)  # newcomer interviews per region (FL, WA, BR), or one for all
    silent_themes: tuple[str, ...] = ()       # coded themes nobody raised: all 0, no quote
    missing: float = 0.0                      # extra share of blank answers in every field the codebook lets be empty

    def __post_init__(self):
        if not 1 <= self.types <= MAX_TYPES:
            raise ValueError(f"types: {self.types} planted types asked for; the generator plants 1 to {MAX_TYPES}")
        for name in ("response_rate", "interviews"):
            value = getattr(self, name)
            if value is not None and len(value) not in (1, len(REGIONS)):
                raise ValueError(f"{name}: give one value or one per region ({', '.join(REGIONS)}), not {len(value)}")
        if self.response_rate is not None and not all(0 < r <= 1 for r in self.response_rate):
            raise ValueError(f"response_rate: every rate must be above 0 and at most 1, not {self.response_rate}")
        if any(n < 1 for n in self.interviews):
            raise ValueError(f"interviews: at least one interview per region, not {self.interviews}")
        if not 0 <= self.lost_cases < self.cases:
            raise ValueError(f"lost_cases: {self.lost_cases} of {self.cases} cases lost; at least one must remain")
        if not 0 <= self.missing < 1:
            raise ValueError(f"missing: a share from 0 to below 1, not {self.missing}")

    def rate(self, region: str) -> float:
        if self.response_rate is None:
            return RESPONSE_RATE[region]
        return self.response_rate[0] if len(self.response_rate) == 1 else self.response_rate[REGIONS.index(region)]

    def interviews_in(self, region: str) -> int:
        return self.interviews[0] if len(self.interviews) == 1 else self.interviews[REGIONS.index(region)]

    def cases_per_region(self) -> dict[str, int]:
        """The planned cases per region scaled to ``cases`` (largest remainder; the plan itself for 20)."""
        planned = sum(CASES_PER_REGION.values())
        exact = {r: n * self.cases / planned for r, n in CASES_PER_REGION.items()}
        counts = {r: int(v) for r, v in exact.items()}
        for r in sorted(exact, key=lambda r: counts[r] - exact[r])[: self.cases - sum(counts.values())]:
            counts[r] += 1
        return counts


def profiles_for(types: int) -> list[dict]:
    """The item-response specification of each planted type: the four written above, then extra ones drawn
    from a generator of their own (the same for every seed, so type 5 is always the same practice)."""
    extra = []
    for t in range(len(PROFILES) + 1, types + 1):
        draw = np.random.default_rng([SEED, t])
        spec = {block: float(draw.choice(EXTRA_LEVELS)) for block in BLOCKS}
        extra.append(spec)
    return (PROFILES + extra)[:types]


def _extra_items(spec: dict, items: list[str], t: int) -> dict:
    """Three items per extra type that stand out from their block, so the types differ in more than levels."""
    draw = np.random.default_rng([SEED, t, 1])
    return {**spec, **{str(item): float(draw.choice([LOW, HIGH])) for item in draw.choice(items, 3, replace=False)}}


def attitudes_for(types: int) -> dict[str, list[float]]:
    """Mean attitude per planted type: those written above, then one drawn per extra type."""
    means = {a: list(m) for a, m in ATTITUDES.items()}
    for t in range(len(PROFILES) + 1, types + 1):
        draw = np.random.default_rng([SEED, t, 2])
        for a in means:
            means[a].append(round(float(draw.uniform(2.3, 4.2)), 1))
    return {a: m[:types] for a, m in means.items()}


def type_shares(types: int) -> dict[str, list[float]]:
    return {r: (list(s) + [EXTRA_TYPE_SHARE] * MAX_TYPES)[:types] for r, s in TYPE_SHARES.items()}


def size_multiplier(types: int) -> dict[int, list[float]]:
    return {size: (list(m) + [1.0] * MAX_TYPES)[:types] for size, m in SIZE_MULTIPLIER.items()}


def item_profiles(items: list[str], types: int = N_TYPES) -> pd.DataFrame:
    """P(item = 1 | type) for every practice item (rows) and planted type (columns 1..types)."""
    table = {}
    for t, spec in enumerate(profiles_for(types), start=1):
        if t > len(PROFILES):
            spec = _extra_items(spec, items, t)
        column = {}
        for item in items:
            p = next((v for k, v in spec.items() if k == item), None)
            column[item] = p if p is not None else next(v for k, v in spec.items() if item.startswith(k))
        table[t] = column
    return pd.DataFrame(table)


def _likert(rng, mean, n):
    return np.clip(np.rint(rng.normal(mean, 0.8, n)), 1, 5).astype(int)


def survey(rng, book, frame: pd.Series, respond_all: bool = False,
           shape: Shape = Shape()) -> tuple[pd.DataFrame, pd.Series]:
    resource = book["survey"]
    items = [f.name for f in resource.fields if f.block in ("organisation", "rights", "integration", "discretion")]
    profiles = item_profiles(items, shape.types)
    shares, multiplier, attitudes = type_shares(shape.types), size_multiplier(shape.types), attitudes_for(shape.types)
    chance = {t: profiles[t].to_dict() for t in profiles.columns}  # of each item, by type: looked up per answer
    rows, types = [], []
    for region in REGIONS:
        n = frame[region] if respond_all else rng.binomial(frame[region], shape.rate(region))
        sizes = rng.choice(4, size=n, p=SIZE_SHARES[region]) + 1
        for size in sizes:
            weights = np.array(shares[region]) * np.array(multiplier.get(size - 1, [1] * shape.types))
            t = rng.choice(shape.types, p=weights / weights.sum()) + 1
            row = {"region": region, "size_band": size,
                   "caseload_band": int(np.clip(size - 1 + rng.integers(0, 3) + (region == "BR"), 1, 4)),
                   "staff_band": int(np.clip(size - rng.integers(0, 2), 1, 4)),
                   "respondent_role": rng.choice(["director", "head", "worker", "other"], p=[0.3, 0.45, 0.2, 0.05])}
            row.update({item: int(rng.random() < chance[t][item]) for item in items})
            for attitude, means in attitudes.items():
                row[attitude] = int(_likert(rng, means[t - 1], 1)[0])
            rows.append(row)
            types.append(t)
    frame_out = pd.DataFrame(rows, columns=["region", "size_band", "caseload_band", "staff_band", "respondent_role",
                                            *items, *ATTITUDES])
    order = rng.permutation(len(frame_out))  # ids carry no region or type information
    frame_out, types = frame_out.iloc[order].reset_index(drop=True), np.array(types)[order]
    frame_out.insert(0, "pcsw_id", [f"S{i:03d}" for i in range(1, len(frame_out) + 1)])
    for attitude in ATTITUDES:  # item non-response on the attitude block
        frame_out[attitude] = frame_out[attitude].astype("Int64").mask(rng.random(len(frame_out)) < 0.02)
    return frame_out[resource.field_names], pd.Series(types, index=frame_out["pcsw_id"], name="planted_type")


CASE_DIMENSIONS = {  # per planted type: org_model, conditionality, specialisation, network, discretion_framing
    1: ("specialised", 1, 3, 2, "professional"), 2: ("mixed", 3, 2, 2, "rules"),
    3: ("generalist", 2, 1, 1, "negotiated"), 4: ("mixed", 2, 1, 3, "negotiated"),
}


def case_dimensions(t: int) -> tuple:
    """The coded dimensions a case of planted type ``t`` leans to (an extra type borrows a written one's)."""
    return CASE_DIMENSIONS[(t - 1) % len(CASE_DIMENSIONS) + 1]


def cases(rng, book, survey_frame: pd.DataFrame, types: pd.Series,
          shape: Shape = Shape()) -> tuple[pd.DataFrame, pd.DataFrame]:
    chosen = []
    for region, n in shape.cases_per_region().items():
        pool = survey_frame[survey_frame["region"] == region]
        n = min(n, len(pool))  # a region cannot give more cases than it has respondents
        by_type = [pool[types.loc[pool["pcsw_id"]].to_numpy() == t] for t in range(1, shape.types + 1)]
        picks = [i % shape.types for i in range(n)]  # cover every type in every region where possible
        for t in picks:
            taken = [c["pcsw_id"] for c in chosen]
            candidates = by_type[t] if len(by_type[t]) else pool
            candidates = candidates[~candidates["pcsw_id"].isin(taken)]
            if not len(candidates):  # every PCSW of this type in the region is a case already
                candidates = pool[~pool["pcsw_id"].isin(taken)]
            chosen.append(candidates.iloc[rng.integers(len(candidates))].to_dict())
    rows = []
    for i, pcsw in enumerate(chosen, start=1):
        org_model, cond, spec, network, framing = case_dimensions(int(types[pcsw["pcsw_id"]]))
        jitter = lambda level: int(np.clip(level + rng.choice([-1, 0, 0, 0, 1]), 1, 3))
        rows.append({"case_id": f"C{i:02d}", "pcsw_id": pcsw["pcsw_id"], "region": pcsw["region"],
                     "size_band": pcsw["size_band"], "interviews_management": int(rng.integers(1, 4)),
                     "interviews_workers": int(rng.integers(2, 7)), "interviews_partners": int(rng.integers(0, 4)),
                     "org_model": org_model, "conditionality": jitter(cond), "specialisation": jitter(spec),
                     "network": jitter(network), "discretion_framing": framing})
    case_frame = pd.DataFrame(rows)[book["cases"].field_names]
    excerpt_resource = book["case_excerpts"]
    roles = excerpt_resource.field("speaker_role")
    codes = excerpt_resource.field("code")
    excerpts = []
    for case in case_frame.itertuples(index=False):
        for code in codes.codes:
            for _ in range(int(rng.integers(1, 3))):
                role = rng.choice(roles.codes)
                field = book["cases"].field(code)
                value = getattr(case, code)
                excerpts.append({"case_id": case.case_id, "speaker_role": role, "code": code,
                                 "text": STANDIN_EXCERPT.format(case=case.case_id, role=roles.label(role), code=codes.label(code),
                                                                value=field.label(value))})
    excerpt_frame = pd.DataFrame(excerpts)
    excerpt_frame.insert(0, "excerpt_id", [f"E{i:03d}" for i in range(1, len(excerpt_frame) + 1)])
    return case_frame, excerpt_frame[excerpt_resource.field_names]


def newcomers(rng, book, shape: Shape = Shape()) -> tuple[pd.DataFrame, pd.DataFrame]:
    resource = book["newcomers"]
    rows = []
    for r, region in enumerate(REGIONS):
        for _ in range(shape.interviews_in(region)):
            languages = ["nl", "en", "ar", "other"] if region == "FL" else ["fr", "en", "ar", "other"]
            row = {"region": region,
                   "legal_status": rng.choice(["refugee", "subsidiary", "family", "other"], p=[0.5, 0.2, 0.2, 0.1]),
                   "years_in_belgium": int(rng.integers(0, 5)),
                   "age_band": rng.choice(["18-29", "30-44", "45+"], p=[0.4, 0.4, 0.2]),
                   "gender": rng.choice(["woman", "man", "other"], p=[0.45, 0.53, 0.02]),
                   "interview_language": rng.choice(languages, p=[0.35, 0.15, 0.3, 0.2])}
            row.update({theme: int(rng.random() < p[r]) for theme, p in BARRIERS.items()})
            row.update({theme: 0 for theme in shape.silent_themes})
            latent = rng.normal(0, 0.6) + 0.9 * row["trust"] - 0.6 * row["barrier_arbitrariness"]
            for f in resource.block("satisfaction"):
                row[f.name] = int(np.clip(np.rint(2.9 + latent + rng.normal(0, 0.55)), 1, 5))
            rows.append(row)
    frame = pd.DataFrame(rows).iloc[rng.permutation(len(rows))].reset_index(drop=True)
    frame.insert(0, "interviewee_id", [f"N{i:03d}" for i in range(1, len(frame) + 1)])
    themes = book["newcomer_quotes"].field("theme")
    quotes = []
    for person in frame.itertuples(index=False):
        present = [t for t in themes.codes if getattr(person, t) == 1]
        for theme in rng.permutation(present)[: int(rng.integers(0, 3))]:
            quotes.append({"interviewee_id": person.interviewee_id, "theme": theme})
    quote_frame = pd.DataFrame(quotes)
    quote_frame.insert(0, "quote_id", [f"Q{i:03d}" for i in range(1, len(quote_frame) + 1)])
    quote_frame["text"] = [STANDIN_QUOTE.format(quote=q, theme=themes.label(t))
                           for q, t in zip(quote_frame["quote_id"], quote_frame["theme"])]
    return frame[resource.field_names], quote_frame[book["newcomer_quotes"].field_names]


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(".csv.tmp")
    frame.to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(path)


def lose_cases(rng, case_frame: pd.DataFrame, excerpts: pd.DataFrame, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop ``n`` sampled case studies and their excerpts, as fieldwork loses them: the ids keep their gaps."""
    lost = rng.choice(case_frame["case_id"].to_numpy(), n, replace=False)
    return (case_frame[~case_frame["case_id"].isin(lost)].reset_index(drop=True),
            excerpts[~excerpts["case_id"].isin(lost)].reset_index(drop=True))


def leave_blank(rng, book, written: dict[str, pd.DataFrame], share: float) -> None:
    """Blank ``share`` of the answers in every field of the study files that the codebook lets be empty."""
    for name, table in written.items():
        for f in book[name].fields:
            if not f.constraints.get("required") and f.name in table:
                column = table[f.name].astype("Int64") if f.type == "integer" else table[f.name]
                table[f.name] = column.mask(rng.random(len(table)) < share)


def ensure_codebook(data_dir: Path, template: Path | None = None) -> list[str]:
    """Give an empty or new folder the codebook, the reference files and the study record of ``template``
    (the repository's data/), without overwriting any file it has; returns what was copied."""
    data_dir, template = Path(data_dir), Path(template or paths.ROOT / "data")
    if (data_dir / "datapackage.json").exists():
        return []
    if not (template / "datapackage.json").exists():
        raise FileNotFoundError(f"{data_dir}: no datapackage.json, and none to copy from {template}")
    data_dir.mkdir(parents=True, exist_ok=True)
    study = {r.path for r in codebook(template).resources.values() if r.standin}
    copied = []
    for source in sorted(template.rglob("*")):
        relative = source.relative_to(template).as_posix()
        target = data_dir / relative
        if source.is_file() and relative not in study and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            copied.append(relative)
    return copied


def simulate(data_dir: Path, truth_dir: Path | None, seed: int = SEED, respond_all: bool = False,
             shape: Shape = Shape()) -> dict[str, int]:
    """Write the stand-in study files into ``data_dir``. Its codebook and reference files stay as they are; a
    folder without a codebook first gets the repository's (:func:`ensure_codebook`)."""
    ensure_codebook(data_dir)
    book = codebook(data_dir)
    unknown = [t for t in shape.silent_themes if t not in book["newcomers"].field_names]
    if unknown:
        raise ValueError(f"silent theme {', '.join(unknown)}: not a field of newcomers in {data_dir}/datapackage.json")
    frame = pd.read_csv(Path(data_dir) / book["pcsw_frame"].path).set_index("region")["municipalities"]
    rng = np.random.default_rng(seed)
    survey_frame, types = survey(rng, book, frame, respond_all, shape)
    case_frame, excerpts = cases(rng, book, survey_frame, types, shape)
    newcomer_frame, quotes = newcomers(rng, book, shape)
    # What fieldwork loses is drawn apart, so the same seed plants the same data before the losses.
    losses = np.random.default_rng([seed, 1])
    if shape.lost_cases:
        case_frame, excerpts = lose_cases(losses, case_frame, excerpts, min(shape.lost_cases, len(case_frame) - 1))
    written = {"survey": survey_frame, "cases": case_frame, "case_excerpts": excerpts,
               "newcomers": newcomer_frame, "newcomer_quotes": quotes}
    if shape.missing:
        leave_blank(losses, book, written, shape.missing)
    for name, table in written.items():
        _write_csv(table, Path(data_dir) / book[name].path)
    if truth_dir is not None:
        truth_dir = Path(truth_dir)
        truth_dir.mkdir(parents=True, exist_ok=True)
        _write_csv(types.reset_index(), truth_dir / "survey_types.csv")
        items = [f.name for f in book["survey"].fields if f.block in ("organisation", "rights", "integration", "discretion")]
        truth = {"seed": seed, "n_types": shape.types, "type_shares_by_region": type_shares(shape.types),
                 "item_profiles": item_profiles(items, shape.types).to_dict(), "barrier_prevalence_by_region":
                 {k: dict(zip(REGIONS, [0.0] * len(REGIONS) if k in shape.silent_themes else v))
                  for k, v in BARRIERS.items()}, "attitude_means": attitudes_for(shape.types)}
        (truth_dir / "planted.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n")
    return {name: len(table) for name, table in written.items()}
