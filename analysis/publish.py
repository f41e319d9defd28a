"""The package's public surface: everything a chapter or an edition page calls, and nothing else.

A page never computes. It asks for published results by key (the registry, :mod:`analysis.results.registry`)
and shows them::

    from analysis.publish import label, n, show
    # then, in the prose: {eval}`n("survey.response.rate")`, and words the analysis chose:
    # {eval}`label("newcomers.themes.most_raised.all")` (the build and JupyterLab print them alike)
    show("survey.typology.profiles")    # a table or chart: caption, notes, source line, CSV download

What pages import from here (``tests/publication/test_chapters.py`` checks that every page of ``chapters/`` and
``editions/`` imports from this module only); ``lang`` is ``"en"``, ``"nl"`` or ``"fr"``:

- ``n(key, lang)``, ``label(key, lang)``: a published number as the book prints it in ``lang``, words the analysis
  chose, for the inline expressions ``{eval}`n("key")``` and ``{eval}`label("key")``` of a chapter's prose
  (:mod:`analysis.publication.inline`: JupyterLab evaluates them, the build reads them from the registry);
- ``glue_numbers(prefix, lang)``: glue every number under ``prefix``, formatted for ``lang``, for ``{glue}`` (the
  short editions' pages);
- ``glue_labels(prefix, lang)``: glue every text result under ``prefix`` (a label the analysis chose), for ``{glue}``;
- ``show(key, lang)``: a table or chart with its caption, notes, source line (the sources as a reader cites them)
  and data download (in the HTML, with the function and data files that made it);
- ``show_part(part, edition, lang)``: a short edition's section on a study part, as ``editions/key_findings.yml``
  lists it (key figures, then tables and charts);
- ``show_key_figures(edition, lang)``: every key figure of a short edition (the executive summary);
- ``glue_messages(lang)``: the executive summary's messages, chosen from the results, for ``{glue}``;
- ``show_glossary(lang)``: the brochure's glossary of Belgian terms in three languages;
- ``show_appendix()``: every pinned result with its value and origin (the book's appendix);
- ``codebook(data_dir)``: the data package's codebook (resources, fields, codes), for the data chapter.

Where they live: :mod:`analysis.publication.inline`, :mod:`analysis.publication.display`, :mod:`analysis.publication.findings`, :mod:`analysis.publication.messages`,
:mod:`analysis.publication.provenance` and :mod:`analysis.data.codebook`.
"""

from analysis.data.codebook import codebook
from analysis.publication.display import glue_labels, glue_numbers, show
from analysis.publication.findings import show_glossary, show_key_figures, show_part
from analysis.publication.inline import label, n
from analysis.publication.messages import glue_messages
from analysis.publication.provenance import show_appendix

__all__ = ["n", "label", "glue_numbers", "glue_labels", "show", "show_part", "show_key_figures", "glue_messages", "show_glossary", "show_appendix",
           "codebook"]
