"""Results printed in prose with inline expressions (analysis/publication/inline.py), without a build: the build's
``{eval}`` role prints what ``{glue}`` pasted, with the same description in the HTML, in every language, and what
JupyterLab's kernel prints; the page's freshness key holds each result it prints; lint refuses an expression that
names no pinned result; and the conversion from glue leaves a chapter printing the same."""

from __future__ import annotations

import logging
from collections import defaultdict
from types import SimpleNamespace

import pytest
from docutils import nodes
from docutils.utils import new_document
from IPython.core.formatters import PlainTextFormatter
from myst_nb.core.render import MimeData, NbElementRenderer

from analysis import i18n, paths
from analysis.publication import inline, lint
from analysis.publication.display import Formatted
from analysis.publication.sphinxext import freshness, numbers
from analysis.publication.sphinxext.printed import KEY, EvalRole
from analysis.results import pagekeys, pins, registry

from tests.publication.test_numbers import app_of

NUMBER, LABEL = "survey.response.rate", "survey.typology.most_common"  # a translated number and words


def glued(key: str, lang: str) -> nodes.inline:
    """What ``{glue}`key``` pasted on a page that ran ``glue_numbers``/``glue_labels`` in ``lang``: the kernel's
    plain text of the glued value, rendered inline by MyST-NB, marked with its key by our glue role."""
    result = registry.get(key, lang)
    value = Formatted(result.formatted(lang) if result.kind == "number" else result.value)
    data = MimeData("text/plain", PlainTextFormatter()(value), output_metadata={"strip_text_quotes": True})
    [pasted] = NbElementRenderer.render_text_plain_inline(None, data)
    pasted[KEY] = key
    return pasted


def evaluated(expression: str, lang: str, notebook: bool = True, docname: str = "chapters/survey"):
    """What the build's ``{eval}`` role gives for ``expression`` on a page of an edition in ``lang``."""
    document = new_document(f"{docname}.md")
    env = SimpleNamespace(docname=docname, config=SimpleNamespace(language=lang))
    document.settings.env = env
    if notebook:
        document["nb_renderer"] = object()
    source = str(paths.ROOT / f"{docname}.md")
    inliner = SimpleNamespace(document=document, reporter=SimpleNamespace(get_source_and_line=lambda line: (source, line)))
    printed, messages = EvalRole()("eval", f"{{eval}}`{expression}`", expression, 3, inliner)
    return printed, messages, env


def explained_html(pasted: nodes.inline, lang: str) -> str:
    document = new_document("chapters/survey.md")
    document += nodes.paragraph("", "The rate is ", pasted, nodes.Text("."))
    numbers.explain_numbers(app_of("html", language=lang), document, "chapters/survey")
    return document.pformat()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("key", [NUMBER, LABEL])
def test_the_eval_role_prints_what_glue_pasted_with_the_same_description(key, lang):
    kind = registry.get(key, lang).kind
    [printed], messages, _ = evaluated(inline.expression(kind, key), lang)
    assert not messages
    assert printed.pformat() == glued(key, lang).pformat()
    assert explained_html(printed, lang) == explained_html(glued(key, lang), lang)
    if kind == "number":  # the HTML describes a number: key, function, data files, in the reader's language
        assert f"{key} · {i18n.text('source', lang)}" in explained_html(printed, lang)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_kernel_prints_what_the_build_prints(lang):
    """JupyterLab shows the kernel's plain text of ``n(key, lang)``: the book's text, without quotes."""
    [printed], _, _ = evaluated(f'n("{NUMBER}")', lang)
    book = registry.get(NUMBER, lang).formatted(lang)
    assert PlainTextFormatter()(inline.n(NUMBER, lang)) == printed.astext() == book
    [words], _, _ = evaluated(f"label('{LABEL}')", lang)
    assert PlainTextFormatter()(inline.label(LABEL, lang)) == words.astext()


def test_the_kernel_says_which_function_prints_a_result():
    with pytest.raises(TypeError, match=rf'label\("{LABEL}"\)'):
        inline.n(LABEL)
    with pytest.raises(KeyError, match="survey.response.rat"):
        inline.n("survey.response.rat")


@pytest.mark.parametrize("expression, said", [
    ('n("survey.response.rat")', "did you mean survey.response.rate"),
    (f'n("{LABEL}")', f'write {{eval}}`label("{LABEL}")`'),
    ('__import__("os").getcwd()', 'no expression of this book: write n("key")'),
    ("n(key)", 'no expression of this book'),
])
def test_the_eval_role_warns_at_the_line_of_the_key_and_prints_nothing(expression, said, caplog):
    with caplog.at_level(logging.WARNING):
        printed, messages, env = evaluated(expression, "en")
    assert printed == [] and messages == []
    assert any(said in record.getMessage() for record in caplog.records), caplog.text
    assert env.bbox_warned == {"chapters/survey"}  # read again by the next build, until fixed
    assert not getattr(env, "bbox_inline_reads", {}).get("chapters/survey")


def test_an_eval_role_outside_a_notebook_is_refused(caplog):
    """A page without a kernel is never re-read when a value moves, and JupyterLab could not evaluate it."""
    with caplog.at_level(logging.WARNING):
        printed, _, _ = evaluated(f'n("{NUMBER}")', "en", notebook=False)
    assert printed == [] and "needs its page to be a notebook" in caplog.text


def test_the_pages_freshness_key_holds_every_result_its_prose_prints(tmp_path, monkeypatch):
    """The build records each printed result by value as a read of the page; when it moves, the page is read again."""
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(tmp_path))
    _, _, env = evaluated(f'n("{NUMBER}")', "nl", docname="editions/report-nl/findings")
    source = (paths.ROOT / "editions" / "report-nl" / "findings.md").read_text(encoding="utf-8")
    env.found_docs = {"editions/report-nl/findings"}
    env.bbox_read_now = {"editions/report-nl/findings": (source, "token", [])}
    env.nb_metadata = defaultdict(dict)  # what MyST-NB keeps: no glue, no execution in this build
    monkeypatch.setattr(freshness, "_build", {})
    freshness.record(SimpleNamespace(config=SimpleNamespace(bbox_edition="report-nl")), env)
    entry = pagekeys.read_record("report-nl")["pages"]["editions/report-nl/findings"]
    values = pagekeys.Values()
    assert entry["reads"][f"result:{NUMBER}@nl"] == values.result(NUMBER, "nl")
    assert pagekeys.causes(entry, source, values) == []
    moved = {**entry, "reads": {**entry["reads"], f"result:{NUMBER}@nl": "an older value"}}
    [cause] = pagekeys.causes(moved, source, values)
    assert cause.startswith(f"{NUMBER} changed")


def test_lint_refuses_an_unknown_or_misused_key_and_a_chapters_glue(tmp_path, monkeypatch):
    page = tmp_path / "page.md"
    page.write_text(f'---\nk: v\n---\n# T\n\nA rate of {{eval}}`n("survey.response.rat")` and\n'
                    f'{{eval}}`n("{LABEL}")`, {{eval}}`label("{LABEL}")` and {{eval}}`n("{NUMBER}")`.\n',
                    encoding="utf-8")
    problems = lint.inline_problems([page])
    assert [p.row for p in problems] == [6, 7]
    assert "did you mean survey.response.rate" in problems[0].message
    assert f'label("{LABEL}")' in problems[1].message
    monkeypatch.setattr(paths, "CHAPTERS", tmp_path)  # the same line in a chapter, glued
    page.write_text(f"# T\n\nThe rate is {{glue}}`{NUMBER}`.\n", encoding="utf-8")
    [glue] = lint.inline_problems([page])
    assert f'{{eval}}`n("{NUMBER}")`' in glue.message and "python -m analysis.publication.inline" in glue.message
    assert not lint.typed_numbers([page])  # a role is no typed number


def test_the_chapters_print_only_pinned_results_as_inline_expressions():
    chapters = sorted(paths.CHAPTERS.glob("*.md"))
    assert not lint.inline_problems(chapters)
    assert any(inline.ROLE.search(page.read_text(encoding="utf-8")) for page in chapters)


def test_pinning_moves_no_page_that_imports_the_expressions():
    """A page's key holds the code it imports, functions' imports included: the pins' module (keyed on the pin files)
    is no part of it, or every pin would execute every chapter again."""
    assert "analysis.publication.inline" in pagekeys.display_keys(["analysis.publish"])
    assert "analysis.results.pins" not in pagekeys.display_keys(["analysis.publish"])


def test_converting_a_glued_page_prints_the_same_values(tmp_path):
    source = ("---\nkernelspec:\n  name: python3\n---\n# T\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
              'from analysis.publish import glue_labels, glue_numbers, show\n\nglue_numbers("survey")\n'
              'glue_labels("survey.typology")\n```\n\n'
              f"A rate of {{glue}}`{NUMBER}`, mostly {{glue}}`{LABEL}`; {{glue}}`message.typology`.\n")
    kinds = {key: result.kind for key, result in pins.pinned().items()}
    converted, left = inline.convert(source, kinds)
    assert left == ["message.typology"]  # no pinned result: stays glued, its glue calls too
    assert f'{{eval}}`n("{NUMBER}")`' in converted and f'{{eval}}`label("{LABEL}")`' in converted
    later = "\n```{code-cell} ipython3\n:tags: [remove-cell]\nglue_numbers(\"survey.factors\")\n```\n\nThe end.\n"
    converted, left = inline.convert(source.replace("; {glue}`message.typology`", "") + later, kinds)
    assert left == []
    assert "from analysis.publish import label, n, show\n```" in converted and "glue_" not in converted
    assert converted.count("{code-cell}") == 1 and converted.endswith(".\n\nThe end.\n")  # a cell that only glued goes
