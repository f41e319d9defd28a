"""The package version: release metadata, not code.

No producer imports it, so setting the version for a release (``make release``, which re-pins) computes no result
again: a result's provenance takes the version where it is pinned (:mod:`analysis.results.pins`) and where a page
shows it (:mod:`analysis.publication.provenance`), and the pages, which show it, execute again.
"""

__version__ = "0.1.0"
