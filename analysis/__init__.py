"""BBOX analysis package: data loading and validation, the study's analyses and the results registry.

Every number, table and chart that an edition of the BBOX publication shows is computed here
from the files in ``data/`` and registered under a stable key (see :mod:`analysis.registry`).
"""

__version__ = "0.1.0"
