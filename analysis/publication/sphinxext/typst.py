"""PDF through Typst: tagged PDF/UA-1 for every edition, with no TeX and no network.

sphinxcontrib-typstbuilder (EUPL-1.2) turns the doctree into a ``.typ`` file; this module depends on it and
subclasses its builder and translator (nothing of it is copied here):

- the builder runs on Sphinx 7.4 (the package implements Sphinx ≥ 8.1's ``write_documents`` only), copies the
  template from ``editions/typst/`` (the package's own templates import ``@preview`` packages from the network),
  and compiles the ``.typ`` to ``<target>.pdf`` with PDF/UA-1, the build date as timestamp (reproducible), and every
  Typst warning (a missing font, say) passed on as a Sphinx warning, so that a strict build fails on it;
- the translator gives every image its text alternative (PDF/UA-1 requires /Alt on figures) and keeps the
  class of the project's containers (key figures, title block), which the template styles.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinxcontrib_typstbuilder._builder import TypstBuilder
from sphinxcontrib_typstbuilder._writer import TypstTranslator, escape_str, to_str_list

from analysis import paths
from analysis.data import load
from analysis.publication import findings, i18n

logger = logging.getLogger(__name__)
TEMPLATES = paths.EDITIONS / "typst"
TEMPLATE = "bbox"


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

    def finish(self) -> None:
        super().finish()
        for document in self.config.typst_documents:
            self.compile(document["targetname"])

    def compile(self, target: str) -> Path:
        import typst

        folder = Path(self.outdir) / target
        source, pdf = folder / f"{target}.typ", Path(self.outdir) / f"{target}.pdf"
        try:
            _, warnings = typst.compile_with_warnings(
                str(source), output=str(pdf), root=str(folder), pdf_standards=["ua-1"],
                timestamp=findings.source_date_epoch())
        except typst.TypstError as error:  # the binding's errors name no file: say which
            hints = "; ".join(getattr(error, "hints", []) or [])
            raise SphinxError(f"Typst could not compile {source}: {error}{' (' + hints + ')' if hints else ''}") from None
        for warning in warnings:
            logger.warning("%s: Typst: %s", source, getattr(warning, "message", warning), type="bbox", subtype="typst")
        return pdf


class BBoxTypstTranslator(TypstTranslator):
    def visit_image(self, node: nodes.image) -> None:
        super().visit_image(node)
        if node.get("alt"):
            self.curr_element().named_params["alt"] = escape_str(node["alt"])

    def visit_container(self, node: nodes.container) -> None:
        own = [c for c in node["classes"] if c.startswith("bbox")]
        if own:
            self.append_block_fun(node, name="container", named_params={"classes": to_str_list(own)})
        else:
            super().visit_container(node)

    def depart_container(self, node: nodes.container) -> None:
        if any(c.startswith("bbox") for c in node["classes"]):
            self.absorb_fun_in_body()
            if "bboxtitlepage" in node["classes"]:
                self.curr_element().body.append("#contents()\n")
        else:
            super().depart_container(node)


def configure(app: Sphinx, config) -> None:
    """One PDF per edition, named and titled after it. Runs late (priority 900): sphinx-external-toc sets the
    root page of a short edition in its own config-inited handler."""
    edition = config.bbox_edition
    lang = config.language if config.language in i18n.LANGUAGES else "en"
    metadata = {"kind": edition_kind(edition),
                "footer": i18n.text("standin_footer", lang) if load.is_standin() else ""}
    config.typst_documents = [{"startdocname": config.root_doc, "targetname": f"bbox-{edition}",
                               "title": config.epub_title or config.project, "template": TEMPLATE,
                               "metadata": metadata}]
    config.typst_template = TEMPLATE
    config.typst_templates_path = [str(TEMPLATES)]
    config.typst_date = findings.build_date()


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinxcontrib_typstbuilder")
    app.add_builder(BBoxTypstBuilder, override=True)
    app.set_translator("typst", BBoxTypstTranslator, override=True)
    app.connect("config-inited", configure, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
