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
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import SEED
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


def item_profiles(items: list[str]) -> pd.DataFrame:
    """P(item = 1 | type) for every practice item (rows) and planted type (columns 1..N_TYPES)."""
    table = {}
    for t, spec in enumerate(PROFILES, start=1):
        column = {}
        for item in items:
            p = next((v for k, v in spec.items() if k == item), None)
            column[item] = p if p is not None else next(v for k, v in spec.items() if item.startswith(k))
        table[t] = column
    return pd.DataFrame(table)


def _likert(rng, mean, n):
    return np.clip(np.rint(rng.normal(mean, 0.8, n)), 1, 5).astype(int)


def survey(rng, book, frame: pd.Series, respond_all: bool = False) -> tuple[pd.DataFrame, pd.Series]:
    resource = book["survey"]
    items = [f.name for f in resource.fields if f.block in ("organisation", "rights", "integration", "discretion")]
    profiles = item_profiles(items)
    rows, types = [], []
    for region in REGIONS:
        n = frame[region] if respond_all else rng.binomial(frame[region], RESPONSE_RATE[region])
        sizes = rng.choice(4, size=n, p=SIZE_SHARES[region]) + 1
        for size in sizes:
            weights = np.array(TYPE_SHARES[region]) * np.array(SIZE_MULTIPLIER.get(size - 1, [1, 1, 1, 1]))
            t = rng.choice(N_TYPES, p=weights / weights.sum()) + 1
            row = {"region": region, "size_band": size,
                   "caseload_band": int(np.clip(size - 1 + rng.integers(0, 3) + (region == "BR"), 1, 4)),
                   "staff_band": int(np.clip(size - rng.integers(0, 2), 1, 4)),
                   "respondent_role": rng.choice(["director", "head", "worker", "other"], p=[0.3, 0.45, 0.2, 0.05])}
            row.update({item: int(rng.random() < profiles.at[item, t]) for item in items})
            for attitude, means in ATTITUDES.items():
                row[attitude] = int(_likert(rng, means[t - 1], 1)[0])
            rows.append(row)
            types.append(t)
    frame_out = pd.DataFrame(rows)
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


def cases(rng, book, survey_frame: pd.DataFrame, types: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    chosen = []
    for region, n in CASES_PER_REGION.items():
        pool = survey_frame[survey_frame["region"] == region]
        by_type = [pool[types.loc[pool["pcsw_id"]].to_numpy() == t] for t in range(1, N_TYPES + 1)]
        picks = [i % N_TYPES for i in range(n)]  # cover every type in every region where possible
        for t in picks:
            candidates = by_type[t] if len(by_type[t]) else pool
            candidates = candidates[~candidates["pcsw_id"].isin([c["pcsw_id"] for c in chosen])]
            chosen.append(candidates.iloc[rng.integers(len(candidates))].to_dict())
    rows = []
    for i, pcsw in enumerate(chosen, start=1):
        org_model, cond, spec, network, framing = CASE_DIMENSIONS[int(types[pcsw["pcsw_id"]])]
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


def newcomers(rng, book) -> tuple[pd.DataFrame, pd.DataFrame]:
    resource = book["newcomers"]
    rows = []
    for r, region in enumerate(REGIONS):
        for _ in range(NEWCOMERS_PER_REGION):
            languages = ["nl", "en", "ar", "other"] if region == "FL" else ["fr", "en", "ar", "other"]
            row = {"region": region,
                   "legal_status": rng.choice(["refugee", "subsidiary", "family", "other"], p=[0.5, 0.2, 0.2, 0.1]),
                   "years_in_belgium": int(rng.integers(0, 5)),
                   "age_band": rng.choice(["18-29", "30-44", "45+"], p=[0.4, 0.4, 0.2]),
                   "gender": rng.choice(["woman", "man", "other"], p=[0.45, 0.53, 0.02]),
                   "interview_language": rng.choice(languages, p=[0.35, 0.15, 0.3, 0.2])}
            row.update({theme: int(rng.random() < p[r]) for theme, p in BARRIERS.items()})
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


def simulate(data_dir: Path, truth_dir: Path | None, seed: int = SEED, respond_all: bool = False) -> dict[str, int]:
    """Write the stand-in study files into ``data_dir`` (its codebook and reference files stay as they are)."""
    book = codebook(data_dir)
    frame = pd.read_csv(Path(data_dir) / book["pcsw_frame"].path).set_index("region")["municipalities"]
    rng = np.random.default_rng(seed)
    survey_frame, types = survey(rng, book, frame, respond_all)
    case_frame, excerpts = cases(rng, book, survey_frame, types)
    newcomer_frame, quotes = newcomers(rng, book)
    written = {"survey": survey_frame, "cases": case_frame, "case_excerpts": excerpts,
               "newcomers": newcomer_frame, "newcomer_quotes": quotes}
    for name, table in written.items():
        _write_csv(table, Path(data_dir) / book[name].path)
    if truth_dir is not None:
        truth_dir = Path(truth_dir)
        truth_dir.mkdir(parents=True, exist_ok=True)
        _write_csv(types.reset_index(), truth_dir / "survey_types.csv")
        items = [f.name for f in book["survey"].fields if f.block in ("organisation", "rights", "integration", "discretion")]
        truth = {"seed": seed, "n_types": N_TYPES, "type_shares_by_region": TYPE_SHARES,
                 "item_profiles": item_profiles(items).to_dict(), "barrier_prevalence_by_region":
                 {k: dict(zip(REGIONS, v)) for k, v in BARRIERS.items()}, "attitude_means": ATTITUDES}
        (truth_dir / "planted.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n")
    return {name: len(table) for name, table in written.items()}
