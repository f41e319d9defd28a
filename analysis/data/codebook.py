"""The codebook: ``data/datapackage.json`` read once, with labels in English, Dutch and French.

The data package is the single source of every variable's type, codes, labels, units and keys:
the generator, the validator, the charts and the "Data and codebook" appendix all read it here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from analysis import paths

LANGUAGES = ("en", "nl", "fr")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    titles: dict[str, str]
    description: str = ""
    unit: str = ""
    block: str = ""
    constraints: dict = field(default_factory=dict)
    categories: tuple[dict, ...] = ()

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or self.titles["en"]

    @property
    def codes(self) -> list:
        return [c["value"] for c in self.categories]

    def label(self, code, lang: str = "en") -> str:
        for c in self.categories:
            if c["value"] == code:
                return c.get(f"label_{lang}") or c["label"]
        raise KeyError(f"{self.name}: no label for code {code!r}")

    def labels(self, lang: str = "en") -> dict:
        return {c["value"]: c.get(f"label_{lang}") or c["label"] for c in self.categories}


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    title: str
    description: str
    standin: bool
    sources: tuple[str, ...]
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict, ...]
    missing_values: tuple[str, ...]
    citations: tuple[dict[str, str], ...] = ()  # each source as a reader cites it, per language

    def cited(self, lang: str = "en") -> list[str]:
        """The resource's sources as a reader cites them in ``lang`` (``citation``, ``citation_nl``, ``citation_fr``
        of each entry of its ``sources``), English where a language is missing."""
        return [c.get(lang) or c["en"] for c in self.citations]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"resource {self.name!r} has no field {name!r}")

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def block(self, block: str) -> list[Field]:
        return [f for f in self.fields if f.block == block]


@dataclass(frozen=True)
class Codebook:
    title: str
    description: str
    licenses: tuple[dict, ...]
    resources: dict[str, Resource]

    def __getitem__(self, name: str) -> Resource:
        return self.resources[name]

    @property
    def standin_resources(self) -> list[str]:
        return [r.name for r in self.resources.values() if r.standin]


def _field(d: dict) -> Field:
    titles = {"en": d.get("title", d["name"])}
    titles.update({lang: d[f"title_{lang}"] for lang in LANGUAGES[1:] if d.get(f"title_{lang}")})
    return Field(
        name=d["name"], type=d.get("type", "string"), titles=titles, description=d.get("description", ""),
        unit=d.get("unit", ""), block=d.get("block", ""), constraints=d.get("constraints", {}),
        categories=tuple(d.get("categories", ())),
    )


def _citation(source: dict) -> dict[str, str]:
    return {lang: source[key] for lang, key in zip(LANGUAGES, ("citation", "citation_nl", "citation_fr"))
            if source.get(key)}


def parse(descriptor: dict) -> Codebook:
    resources = {}
    for r in descriptor["resources"]:
        schema = r["schema"]
        pk = schema.get("primaryKey", ())
        resources[r["name"]] = Resource(
            name=r["name"], path=r["path"], title=r.get("title", r["name"]), description=r.get("description", ""),
            standin=r.get("standin", False), sources=tuple(s.get("title", "") for s in r.get("sources", ())),
            fields=tuple(_field(f) for f in schema["fields"]),
            primary_key=tuple([pk] if isinstance(pk, str) else pk),
            foreign_keys=tuple(schema.get("foreignKeys", ())), missing_values=tuple(schema.get("missingValues", [""])),
            citations=tuple(_citation(s) for s in r.get("sources", ()) if s.get("citation")),
        )
    return Codebook(descriptor.get("title", ""), descriptor.get("description", ""),
                    tuple(descriptor.get("licenses", ())), resources)


@cache
def _load(path: Path, mtime_ns: int) -> Codebook:
    return parse(json.loads(path.read_text(encoding="utf-8")))


def codebook(data_dir: Path | None = None) -> Codebook:
    """The codebook of a data directory (default: the repository's ``data/``)."""
    path = Path(data_dir or paths.DATA) / "datapackage.json"
    return _load(path, path.stat().st_mtime_ns)


def is_standin(data_dir: Path | None = None) -> bool:
    """True while any study resource is stand-in data (the manifest flag in datapackage.json)."""
    return bool(codebook(data_dir).standin_resources)


def _codes(field: Field) -> str:
    return "; ".join(f"{c['value']} = {c['label']}" for c in field.categories)


def _constraints(field: Field) -> str:
    shown = []
    limits = field.constraints
    if "minimum" in limits or "maximum" in limits:
        shown.append(f"{limits.get('minimum', '')}–{limits.get('maximum', '')}")
    if "pattern" in limits:
        shown.append(f"form {limits['pattern']}")
    if limits.get("unique"):
        shown.append("unique")
    if limits.get("required"):
        shown.append("required")
    return ", ".join(shown)


def variables(resource: Resource) -> "pd.DataFrame":
    """One row per variable of a resource, as the codebook appendix shows it."""
    import pandas as pd

    return pd.DataFrame([{
        "Variable": f.name, "Label (EN / NL / FR)": " / ".join(dict.fromkeys(f.title(l) for l in LANGUAGES)),
        "Type": f.type + (f" ({f.unit})" if f.unit else ""), "Codes": _codes(f), "Rules": _constraints(f),
    } for f in resource.fields])
