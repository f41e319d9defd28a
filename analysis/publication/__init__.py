"""The publication machinery: document blocks, charts, the short editions' findings, languages, the edition builder and the Sphinx extension."""
