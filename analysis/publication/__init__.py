"""The publication machinery: from published results to pages, in every edition, language and format.

- ``display``: what a page shows (numbers glued into prose, tables and charts with caption, notes, provenance line
  and CSV download); ``provenance``: the one wording of a result's origin, and the book's appendix;
  ``downloads``: the CSV of a shown result; ``blocks``: document blocks, data as text; ``charts``: the house
  theme, the chart output in three formats, text alternatives inside the images, the colour check;
- ``findings``: what the report and the brochure show (``editions/key_findings.yml``), dates, citation, messages;
- ``i18n``: numbers, percents and dates per language (Babel) and the fixed strings; ``translations`` and
  ``terminology``: the translation workflow and the terms of each language; ``lint``: numbers typed into prose;
- ``editions``: the edition builder (``python -m analysis.publication.editions``); ``kernel``: a build's page
  kernels, forks of one server that has imported what they import; ``sphinxext``: the Sphinx extension, one module
  a concern.

Pages reach it through :mod:`analysis.publish` only.
"""
