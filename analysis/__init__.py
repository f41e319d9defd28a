"""BBOX analysis package, laid out as the flow it implements: data → study → protection → results → publication.

- ``analysis.data``: the codebook, the checks of every data file against it, loading, the stand-in generator;
- ``analysis.study``: one package per study part; ``compute`` makes tidy results from data, ``present`` labels,
  formats and charts them, and the part's ``__init__`` registers the published results;
- ``analysis.protection``: small-cell suppression, the linked-table audit, the identifier scan;
- ``analysis.results``: the registry of producers, precision, the pins in ``results/``, the keys of every cache;
- ``analysis.publication``: document blocks, charts, languages, the edition builder and the Sphinx extension.

Below them all, tools every layer uses and that import no layer: ``paths`` (every path, and how the caches name a
file), ``hashing`` (the one file hasher), ``codekeys`` (keys of code and files by meaning) and ``reads`` (the one
recorder of what a producer, or a page, reads).

Chapters use only :mod:`analysis.publish`, the public surface.
"""

import sys as _sys

__version__ = "0.1.0"

# jsonschema (imported by Altair, nbformat and Jupyter Book) imports rfc3987-syntax whenever it is installed
# (JupyterLab's jupyter-events asks for it), which compiles 38 grammars at import: 1 to 3 s of every build and of
# every page's kernel. Nothing here validates the IRI formats it serves, so it is not imported.
_sys.modules.setdefault("rfc3987_syntax", None)

# Every random draw starts here: the stand-in generator and the latent class model's starts.
# The project's start date, 15/12/2019.
SEED = 20191215
