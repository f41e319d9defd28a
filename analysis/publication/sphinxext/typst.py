"""PDF through Typst: tagged PDF/UA-1 for every edition, with no TeX and no network.

sphinxcontrib-typstbuilder (EUPL-1.2) turns the doctree into a ``.typ`` file; this module depends on it and
subclasses its builder and translator (nothing of it is copied here):

- the builder runs on Sphinx 7.4 (the package implements Sphinx ≥ 8.1's ``write_documents`` only), copies the
  template from ``editions/typst/`` (the package's own templates import ``@preview`` packages from the network),
  and compiles the ``.typ`` to ``<target>.pdf`` with PDF/UA-1, the build date as timestamp (reproducible), and every
  Typst warning (a missing font, say) passed on as a Sphinx warning, so that a strict build fails on it;
- the translator gives every image its text alternative (PDF/UA-1 requires /Alt on figures), keeps the
  class of the project's containers (key figures, title block, cover, imprint and back page), which the template
  styles, and writes into each figure and table the number Sphinx gave it (``figures.py``), with the caption word
  of the edition's language: the PDF numbers them as the HTML and the EPUB do, whatever Typst would count
  (an uncaptioned table, say, which Sphinx leaves unnumbered, gets no number either);
- the PDF is PDF/A-2a and PDF/UA-1 at once (Typst checks both when it writes the file).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinxcontrib_typstbuilder._builder import TypstBuilder
from sphinxcontrib_typstbuilder._writer import TypstTranslator, escape_str

from analysis import i18n, paths
from analysis.data import codebook
from analysis.publication import citation
from analysis.publication.sphinxext import figures

logger = logging.getLogger(__name__)
TEMPLATES = paths.EDITIONS / "typst"
TEMPLATE = "bbox"
# PDF/A-2a (archivable, tagged, Unicode text) with PDF/UA-1: Typst writes both into one file (PDF 1.7). PDF/A-4
# would need PDF 2.0, which PDF/UA-1 does not allow.
PDF_STANDARDS = ["a-2a", "ua-1"]
PAGES_IN_MULTIPLES = {"brochure": 4}  # printed as a booklet: sheets folded in two hold four pages each


def edition_kind(edition: str) -> str:
    """book, report or brochure: what the template lays out differently."""
    return edition.split("-")[0]


class BBoxTypstBuilder(TypstBuilder):
    name = "typst"

    # Sphinx 7.4 calls write()/prepare_writing()/write_doc(); the package implements 8.1's write_documents().
    def write(self, *ignored) -> None:
        self.write_documents(set())

    def prepare_writing(self, docnames) -> None:
        pass

    def write_doc(self, docname, doctree) -> None:
        pass

    # The package's copies pass force=, which Sphinx 7.4's copy_asset_file does not take.
    def _copy_images(self, outdir: Path) -> None:
        for source, target in self.images.items():
            shutil.copyfile(Path(self.srcdir) / source, outdir / target)

    def _copy_download_files(self, outdir: Path) -> None:
        for source, (_docs, target) in self.env.dlfiles.items():
            (outdir / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(self.srcdir) / source, outdir / target)

    def _copy_template(self, template: str, outdir: Path) -> None:
        if not (TEMPLATES / f"{template}.typ").is_file():
            raise SphinxError(f"no Typst template {template}.typ in {TEMPLATES}")
        shutil.copytree(TEMPLATES, outdir / "templates", dirs_exist_ok=True)

    def _write_metadata(self, title: str, extra_metadata: dict, outdir: Path) -> None:
        """The subtitle is the first page's own title, known once the pages are read (after the config)."""
        subtitle = self.env.titles[self.config.root_doc].astext() if self.config.root_doc in self.env.titles else ""
        # the edition's title is its first page's title (editions/editions.yml), followed by "preview" while stand-in
        shown = any(citation.same_title(subtitle, title[:end]) for end in range(len(title) + 1))
        super()._write_metadata(title, {**extra_metadata, "subtitle": "" if shown else subtitle},
                                outdir)

    def finish(self) -> None:
        super().finish()
        for document in self.config.typst_documents:
            self.compile(document["targetname"])

    def compile(self, target: str) -> Path:
        import typst

        folder = Path(self.outdir) / target
        source, pdf = folder / f"{target}.typ", Path(self.outdir) / f"{target}.pdf"
        inputs = {"blank-pages": str(blank_pages(source))}
        _, warnings = _run_typst(source, typst.compile_with_warnings, output=str(pdf), sys_inputs=inputs,
                                 pdf_standards=PDF_STANDARDS, timestamp=citation.source_date_epoch())
        for warning in warnings:
            logger.warning("%s: Typst: %s", source, getattr(warning, "message", warning), type="bbox", subtype="typst")
        return pdf


def _run_typst(source: Path, function, **options):
    """A call of the Typst binding on ``source``; its errors name no file, so say which."""
    import typst

    try:
        return function(str(source), root=str(source.parent), **options)
    except typst.TypstError as error:
        hints = "; ".join(getattr(error, "hints", []) or [])
        raise SphinxError(f"Typst could not compile {source}: {error}{' (' + hints + ')' if hints else ''}") from None


def blank_pages(source: Path) -> int:
    """Blank pages before the back page that make a brochure's page count a multiple of four (a booklet)."""
    import typst

    kind = json.loads((source.parent / "metadata.json").read_text(encoding="utf-8")).get("kind")
    if kind not in PAGES_IN_MULTIPLES:
        return 0
    pages = int(json.loads(_run_typst(source, typst.query, selector="<bbox-pages>", field="value", one=True)))
    return -pages % PAGES_IN_MULTIPLES[kind]


class BBoxTypstTranslator(TypstTranslator):
    def visit_image(self, node: nodes.image) -> None:
        super().visit_image(node)
        if node.get("alt"):
            self.curr_element().named_params["alt"] = escape_str(node["alt"])

    def visit_container(self, node: nodes.container) -> None:
        own = [c for c in node["classes"] if c.startswith("bbox")]
        if "bboxcontents" in own:  # where imprint.py puts the table of contents
            self.curr_element().body.append("#contents()\n")
            raise nodes.SkipNode
        if own:
            # an array even of one class (the package's to_str_list writes ("a"), which Typst reads as a string)
            classes = "(" + "".join(escape_str(c) + ", " for c in own) + ")"
            self.append_block_fun(node, name="container", named_params={"classes": classes}, force_body=True)
        else:
            super().visit_container(node)
            if "literal-block-wrapper" in node["classes"]:
                self.number(node, "code-block")

    def depart_container(self, node: nodes.container) -> None:
        if any(c.startswith("bbox") for c in node["classes"]):
            self.absorb_fun_in_body()
        else:
            super().depart_container(node)

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        # a note under a table or chart sticks to what follows it (another note, the source line), as the figure
        # sticks to its first note: a page break never parts a table from its notes and source (bbox.typ)
        if "note" in node["classes"]:
            self.append_block_fun(node, name="block", named_params={"sticky": "true"}, force_body=True)
        else:
            super().visit_paragraph(node)

    def visit_figure(self, node: nodes.figure) -> None:
        super().visit_figure(node)
        self.curr_element().named_params["kind"] = "image"
        self.number(node, "figure")

    def visit_table(self, node: nodes.table) -> None:
        super().visit_table(node)
        self.number(node, "table")

    def number(self, node: nodes.Element, figtype: str) -> None:
        """Sphinx's number for this figure or table, and the caption word of the edition's language; no number
        where Sphinx gives none."""
        shown = figures.number(self.builder.env, self.curr_files[-1], figtype, node)
        params = self.curr_element().named_params
        params["numbering"] = f"(..n) => {escape_str(shown)}" if shown else "none"
        if shown and figtype in figures.TYPST_KINDS:
            params["supplement"] = escape_str(i18n.text(figtype, i18n.supported(self.config.language)))


def configure(app: Sphinx, config) -> None:
    """One PDF per edition, named and titled after it. Runs late (priority 900): sphinx-external-toc sets the
    root page of a short edition in its own config-inited handler."""
    edition = config.bbox_edition
    config.typst_documents = [{"startdocname": config.root_doc, "targetname": f"bbox-{edition}",
                               "title": config.epub_title or config.project, "template": TEMPLATE,
                               "metadata": template_metadata(edition, i18n.supported(config.language), config.project)}]
    config.typst_template = TEMPLATE
    config.typst_templates_path = [str(TEMPLATES)]
    config.typst_date = citation.build_date()


def template_metadata(edition: str, lang: str, project: str) -> dict:
    """What the template prints besides the document: the edition's kind and the words of its pages, as text."""
    from babel import Locale

    meta = citation.citation_metadata()
    return {"kind": edition_kind(edition), "project": project,
            "footer": i18n.text("standin_footer", lang) if codebook.is_standin() else "",
            "language_name": Locale(lang).get_display_name(lang).capitalize(),
            "authors": citation.author_names(),
            "funder": i18n.text("imprint_funder", lang),
            "version_line": i18n.text("edition_version", lang, version=meta["version"],
                                      date=i18n.long_date(citation.build_date(), lang)),
            "caption_separator": i18n.text("caption_separator", lang)}


HTML_BUILDERS = ("html", "dirhtml", "singlehtml")


def keep_theme_html_translator(app: Sphinx) -> None:
    """Register the HTML builder's own translator, so that the theme extends it: pydata-sphinx-theme adds its HTML
    rules (a wide table inside a container that scrolls it, ``pst-scrollable-table-container``) to the builder's
    translator only when no translator is registered at all, and to the registered ones otherwise, which is only
    Typst's once this module has registered it. Runs before the theme's handler (priority 500)."""
    if app.builder.name in HTML_BUILDERS and app.builder.name not in app.registry.translators:
        app.set_translator(app.builder.name, app.builder.default_translator_class, override=True)


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinxcontrib_typstbuilder")
    app.connect("builder-inited", keep_theme_html_translator, priority=400)
    app.setup_extension("analysis.publication.sphinxext.imprint")  # laid out as title, imprint and back pages
    app.add_builder(BBoxTypstBuilder, override=True)
    app.set_translator("typst", BBoxTypstTranslator, override=True)
    app.connect("config-inited", configure, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
