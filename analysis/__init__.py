"""BBOX analysis package: data → study (with protection, the library it calls) → results → publication.

- ``analysis.data``: the codebook, the checks of every data file against it, loading, the stand-in generator;
- ``analysis.protection``: the library of disclosure control the study calls on its way out: small-cell
  suppression, the linked-table audit's solver, the identifier scan;
- ``analysis.study``: one package per study part; ``compute`` makes tidy results from data, ``present`` labels,
  formats and charts them, and the part's ``__init__`` registers the functions that publish them;
- ``analysis.results``: the registry that serves every published result (cached, rounded, with its provenance),
  the pins in ``results/``, the keys of every cache;
- ``analysis.publication``: document blocks, chart outputs, the edition builder, the Sphinx extension, releases.

Below them all, tools every layer uses and that import no layer: ``paths`` (every path, and how the caches name a
file), ``version`` (the package version, which no producer reads), ``problems``, ``yaml_text`` (the one YAML
parser), ``hashing`` (the one file hasher), ``codekeys`` (keys of code and files by meaning), ``reads`` (the one
recorder of what a producer, or a page, reads), ``i18n`` and ``colours``, ``charts`` (the house chart theme) and
``producers`` (the vocabulary of published results and the one table of the functions that publish them). Above
them all, the entry points: :mod:`analysis.publish` (what chapters call) and ``python -m analysis``.

A module imports only from its own layer and those below it, at module level and inside functions alike; no two
modules import each other (``tests/test_flow.py`` reads every import and holds both).
"""

import sys as _sys

# jsonschema (imported by Altair, nbformat and Jupyter Book) imports rfc3987-syntax whenever it is installed
# (JupyterLab's jupyter-events asks for it), which compiles 38 grammars at import: 1 to 3 s of every build and of
# every page's kernel. Nothing here validates the IRI formats it serves, so it is not imported.
_sys.modules.setdefault("rfc3987_syntax", None)

# Every random draw starts here: the stand-in generator and the latent class model's starts.
# The project's start date, 15/12/2019.
SEED = 20191215
