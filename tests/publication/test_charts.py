"""Charts: the house theme is applied where a chart becomes a spec (importing the package changes nothing in
Altair), a chart image carries its text alternative without its pixels changing, every chart is named once (by
its caption, never by a title of its own) and writes numbers and percents in its language."""

import io
import re
import json
import subprocess
import sys

import altair as alt
import pandas as pd
import pytest
import vl_convert
from PIL import Image

from analysis import charts, colours, i18n, paths
from analysis.publication import charts as chart_output
from analysis.publication import chartchecks


def test_importing_the_package_leaves_altair_as_it_was():
    # The package first, as every entry point imports it: imported after Altair, it could no longer keep jsonschema
    # from compiling rfc3987-syntax's grammars (analysis/__init__.py), seconds that test nothing here.
    script = ("import analysis.publish, analysis.charts, analysis.results.registry; import altair as alt; "
              "print(alt.theme.active, alt.data_transformers.options)")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=paths.ROOT, check=True)
    assert run.stdout.split() == ["default", "{}"]  # no theme, no change of the row limit


def test_a_chart_becomes_a_spec_in_the_house_theme_with_all_its_rows():
    frame = pd.DataFrame({"x": range(6000), "y": range(6000)})
    spec = charts.vega_lite(alt.Chart(frame).mark_point().encode(x="x", y="y"))
    assert spec["config"]["range"]["category"] == charts.PALETTE and spec["config"]["font"] == charts.FONT
    assert sum(len(rows) for rows in spec["datasets"].values()) == 6000  # more than Altair's default limit
    assert alt.theme.active == "default"  # only for that moment
    assert charts.vega_lite(spec) is spec  # a spec stays as it is


def test_the_png_description_leaves_the_pixels_as_they_were(tmp_path):
    image = Image.new("RGB", (40, 20), "#0072B2")
    raw = io.BytesIO()
    image.save(raw, format="PNG")
    described = chart_output.with_png_description(raw.getvalue(), "Bar chart – “x”, <1> & more")
    (tmp_path / "chart.png").write_bytes(described)
    assert chart_output.embedded_description(tmp_path / "chart.png") == "Bar chart – “x”, <1> & more"
    assert Image.open(io.BytesIO(described)).tobytes() == image.tobytes()


# -- One name per chart (its caption), numbers in its language ------------------------------------------------

def _every_chart():
    from analysis.results import registry

    found = {key: result for key, result in registry.compute_all().items() if result.kind == "chart"}
    assert len(found) >= 20, "fewer charts than the publication shows"
    return found


@pytest.mark.recompute  # every chart of every language
def test_every_chart_is_named_by_its_caption_only_and_writes_numbers_in_its_language():
    problems = {}
    for key, result in _every_chart().items():
        lang = key.partition("@")[2] or "en"
        found = chartchecks.title_problems(result.value, result.title) + chartchecks.locale_problems(result.value, lang)
        if found:
            problems[key] = found
    assert not problems, problems


def _percent_chart(title=None) -> alt.Chart:
    frame = pd.DataFrame({"theme": ["a", "b"], "share": [0.1, 0.25]})
    return alt.Chart(frame, **({"title": title} if title else {})).mark_bar().encode(
        x=alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 0.3])), y="theme:N",
        tooltip=[alt.Tooltip("share:Q", format=".1%")])


@pytest.mark.parametrize("nested", [False, True])
def test_a_title_that_repeats_the_caption_is_caught(nested):
    caption = "Barriers named by newcomers"
    chart = _percent_chart(caption)
    spec = charts.vega_lite(chart.facet(row="theme:N") if nested else chart)
    assert chartchecks.title_problems(spec, caption) == [f"the chart repeats its caption as a title: {caption!r}"]
    assert chartchecks.title_problems(charts.vega_lite(_percent_chart()), caption) == []
    assert chartchecks.title_problems({"title": {"text": "", "subtitle": "per year"}, "mark": "bar"}, caption)


def test_a_french_percent_without_the_french_locale_is_caught():
    english_way = charts.vega_lite(_percent_chart())
    assert chartchecks.locale_problems(english_way, "fr") and chartchecks.locale_problems(english_way, "en")
    dutch = charts.vega_lite(charts.localised(_percent_chart(), "nl"))
    assert chartchecks.locale_problems(dutch, "fr") and not chartchecks.locale_problems(dutch, "nl")


def _drawn_texts(spec: dict) -> list[str]:
    import html
    import re

    import vl_convert as vlc

    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", vlc.vegalite_to_svg(spec))]


@pytest.mark.parametrize("lang", ["en", "nl", "fr"])
def test_a_percent_axis_and_its_tooltip_write_percents_as_the_prose(lang):
    """The static image (vl-convert) draws the axis and a label formatted as the tooltip is (one Vega format
    expression) from the spec's locale; the browser draws both with the same Vega and the same spec."""
    import vl_convert as vlc

    bars = _percent_chart()
    labelled = bars + bars.mark_text().encode(text=alt.Text("share:Q", format=".1%"))
    spec = charts.vega_lite(charts.localised(labelled, lang))
    drawn = _drawn_texts(spec)
    assert i18n.percent(0.1, 0, lang) in drawn  # the axis: "10%", "10 %", "10 %" (a no-break space)
    assert i18n.percent(0.25, 1, lang) in drawn  # the label, as the tooltip: "25.0%", "25,0 %", "25,0 %"
    signals = _signals(vlc.vegalite_to_vega(spec))
    assert signals["text"] and all(any(t in tip for tip in signals["tooltip"]) for t in signals["text"])


def _signals(node, found=None) -> dict[str, list[str]]:
    """The Vega expressions of every mark's text and tooltip."""
    found = found if found is not None else {"text": [], "tooltip": []}
    if isinstance(node, dict):
        for key, value in node.items():
            if key in found and isinstance(value, dict) and "signal" in value:
                found[key].append(value["signal"])
            _signals(value, found)
    elif isinstance(node, list):
        for item in node:
            _signals(item, found)
    return found


# -- Single-series colour and contrast --------------------------------------------------------------------------

# The charts that drew Vega's blue before the theme gave single-series marks their colour (asylum: English only).
SINGLE_SERIES_CHARTS = [(key, lang) for key in ("reference.income.chart", "newcomers.barriers.chart",
                                                "cases.dimensions.chart") for lang in i18n.LANGUAGES]
SINGLE_SERIES_CHARTS.append(("reference.asylum.chart", "en"))


@pytest.mark.parametrize("key, lang", SINGLE_SERIES_CHARTS)
def test_a_single_series_chart_is_drawn_in_the_house_colour_not_vegas_blue(key, lang):
    from analysis.results import registry

    spec = registry.get(key, lang).value
    assert chartchecks.colour_problems(spec) == []
    svg = vl_convert.vegalite_to_svg(spec).lower()
    assert charts.SINGLE_SERIES.lower() in svg and charts.VEGA_DEFAULT not in svg


def test_a_mark_left_to_vegas_default_colour_is_caught_and_one_coloured_elsewhere_is_not():
    bare = {"config": {"range": {"category": charts.PALETTE}},
            "layer": [{"mark": "bar", "encoding": {"x": {"field": "x"}}}, {"mark": "text"}, {"mark": "rule"}]}
    problems = chartchecks.colour_problems(bare)
    assert len(problems) == 1 and ".layer[0]" in problems[0] and charts.VEGA_DEFAULT in problems[0], problems
    assert chartchecks.colour_problems({**bare, "encoding": {"color": {"field": "x"}}}) == []  # inherited by the layer
    assert chartchecks.colour_problems({**bare, "config": {**bare["config"], "mark": {"color": "#0072B2"}}}) == []
    faceted = {"config": bare["config"], "facet": {"row": {"field": "r"}}, "spec": {"mark": {"type": "area"}}}
    assert [p.split(":")[0] for p in chartchecks.colour_problems(faceted)] == [".spec"]


def test_the_single_series_colour_meets_the_non_text_contrast_minimum():
    assert colours.contrast("black", "white") == pytest.approx(21)
    assert colours.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WebAIM's reference grey
    assert colours.contrast(charts.SINGLE_SERIES, charts.BACKGROUND) >= charts.MIN_CONTRAST
    themed = charts.vega_lite(alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x"))
    assert themed["config"]["mark"]["color"] == charts.SINGLE_SERIES
    assert themed["config"]["mark"]["opacity"] == 1  # Vega-Lite's default 0.7 for points would lighten every colour


@pytest.mark.parametrize("where", ["config", "mark", "encoding"])
def test_a_single_colour_too_light_on_its_background_is_caught(where):
    yellow = "#BBBBBB"  # a grey (allowed by the palette check: no hue), but 1.9:1 on white
    spec = {"config": {"range": {"category": charts.PALETTE}}, "mark": {"type": "bar"}, "encoding": {}}
    if where == "config":
        spec["config"]["mark"] = {"color": yellow}
    elif where == "mark":
        spec["mark"]["color"] = yellow
    else:
        spec["encoding"]["color"] = {"value": yellow}
    problems = chartchecks.colour_problems(spec)
    assert len(problems) == 1 and "1.4.11" in problems[0] and yellow in problems[0], problems
    on_black = chartchecks.colour_problems({**spec, "config": {**spec["config"], "background": "black"}})
    assert not any(yellow in p for p in on_black), on_black  # 11:1 on black (the palette's own black is not)


OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def test_the_house_palette_has_3_to_1_on_white_and_stays_apart_under_every_dichromacy():
    assert chartchecks.palette_problems(charts.PALETTE) == []
    assert min(colours.contrast(c, charts.BACKGROUND) for c in charts.PALETTE) >= charts.MIN_CONTRAST
    distance, *_ = colours.separation(charts.PALETTE)
    assert distance >= charts.MIN_SEPARATION >= colours.separation(OKABE_ITO)[0] - 0.1  # no closer than the original
    light = {c for c in OKABE_ITO if colours.contrast(c, "white") < 3}
    assert light == {"#E69F00", "#56B4E9", "#F0E442"}  # the defect: three of Okabe–Ito's colours under 3:1


def test_a_palette_with_one_light_colour_fails():
    problems = chartchecks.palette_problems(charts.PALETTE[:-1] + ["#56B4E9"])  # Okabe–Ito's sky blue, 2.31:1
    assert any("#56B4E9" in p and "2.31:1" in p and "1.4.11" in p for p in problems), problems
    assert len(chartchecks.palette_problems(OKABE_ITO)) >= 3


def test_two_colours_a_deuteranope_confuses_fail_though_both_are_dark_enough():
    red, olive = "#A5400B", "#697D00"  # 6.3:1 and 4.6:1 on white, 62 ΔE apart with normal vision
    problems = chartchecks.palette_problems([red, olive])
    assert len(problems) == 1 and "deuteranopia" in problems[0], problems
    assert colours.seen("white", "tritanopia") == pytest.approx(colours.seen("white", "normal"), abs=0.5)


@pytest.mark.parametrize("where", ["config", "scale"])
def test_a_chart_spec_with_a_category_colour_under_3_to_1_fails(where):
    light = [*charts.PALETTE[:1], "#E69F00", *charts.PALETTE[2:]]  # Okabe–Ito's orange, 2.25:1
    spec = {"config": {"range": {"category": charts.PALETTE}}, "mark": {"type": "bar"},
            "encoding": {"color": {"field": "x", "type": "nominal"}}}
    if where == "config":
        spec["config"]["range"]["category"] = light
    else:
        spec["encoding"]["color"]["scale"] = {"range": light}
    problems = chartchecks.contrast_problems(spec)
    assert len(problems) == 1 and "#E69F00" in problems[0] and "2.25:1" in problems[0], problems
    assert chartchecks.contrast_problems({**spec, "config": {"range": {"category": charts.PALETTE}},
                                     "encoding": {"color": {"field": "x"}}}) == []


def test_a_grey_bar_under_3_to_1_fails_unless_outlined():
    grey = {"config": {"range": {"category": charts.PALETTE}}, "mark": {"type": "bar", "color": "#BBBBBB"}}
    assert [p.split(":")[0] for p in chartchecks.contrast_problems(grey)] == ["spec.mark"]
    outlined = {**grey, "mark": {"type": "bar", "fill": "white", "stroke": "#767676"}}
    assert chartchecks.contrast_problems(outlined) == []
    assert chartchecks.contrast_problems({**outlined, "mark": {**outlined["mark"], "stroke": "#BBBBBB"}}) != []
    assert "1.50:1" in chartchecks.contrast_problems({**grey, "mark": {"type": "bar", "color": "lightgray"}})[0]


def test_the_repertoire_chart_outlines_its_bars_and_tells_regions_apart_by_shape_too():
    from analysis.results import registry

    spec = registry.get("survey.repertoire.chart", "en").value
    assert chartchecks.colour_problems(spec) == []
    marks = [mark for _, mark, _ in chartchecks._unit_marks(spec)]
    assert any(m.get("stroke") == "#767676" and m.get("fill") == "white" for m in marks)
    assert any("shape" in layer.get("encoding", {}) for layer in spec["layer"])


def test_the_static_image_holds_no_label_vega_hid():
    """Where axis labels would overlap, Vega hides every other one with opacity 0: still text in the SVG, so the
    PDF's text layer read "90100 % %" under a percent axis. The static image drops them; the visible ones stay."""
    from analysis.publication.charts import ChartOutput

    frame = pd.DataFrame({"share": [0.2, 0.9], "item": ["a", "b"]})
    spec = charts.vega_lite(alt.Chart(frame).mark_bar().encode(
        x=alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])), y="item:N").properties(width=160))
    texts = lambda svg: re.findall(r'<text\b[^>]*opacity="([01])"[^>]*>([^<]*)</text>', svg)  # noqa: E731
    raw = texts(vl_convert.vegalite_to_svg(spec))
    hidden, shown = [t for o, t in raw if o == "0"], [t for o, t in raw if o == "1"]
    assert hidden and "%" in hidden[0]  # the case: labels Vega hid
    svg = ChartOutput(spec, "Bar chart of two shares")._repr_mimebundle_()[0]["image/svg+xml"]
    assert [t for _, t in texts(svg)] == shown


def test_no_pinned_chart_cuts_off_a_label():
    """Vega shortens a label longer than its axis's labelLimit to "…": a practice or a theme a reader cannot read
    whole. Every pinned chart, in every language, drawn as the PDF and the EPUB draw it, shows each label whole."""
    cut = {}
    for path in sorted((paths.RESULTS / "charts").glob("*.vl.json")):
        svg = vl_convert.vegalite_to_svg(json.loads(path.read_text(encoding="utf-8")))
        shown = re.findall(r'<text\b[^>]*opacity="1"[^>]*>([^<]*)</text>', svg)
        cut.update({path.name: [t for t in shown if t.endswith("…")]} if any(t.endswith("…") for t in shown) else {})
    assert not cut, cut


def test_a_chart_is_rendered_once_per_spec_and_shown_the_same(tmp_path, monkeypatch):
    """A page executed again shows its unchanged charts from the renders it made before; a changed spec renders."""
    monkeypatch.setenv("BBOX_CACHE_DIR", str(tmp_path))
    spec = {"mark": "bar", "data": {"values": [{"a": 1}, {"a": 2}]}, "encoding": {"x": {"field": "a"}}}
    first, _ = chart_output.ChartOutput(spec, "Two bars")._repr_mimebundle_()
    renders = []
    for name in ("vegalite_to_png", "vegalite_to_svg"):
        render = getattr(vl_convert, name)
        monkeypatch.setattr(vl_convert, name,
                            lambda *args, render=render, **kwargs: renders.append(1) or render(*args, **kwargs))
    again, _ = chart_output.ChartOutput(spec, "Two bars")._repr_mimebundle_()
    assert again == first and renders == []
    other, _ = chart_output.ChartOutput({**spec, "mark": "point"}, "Two points")._repr_mimebundle_()
    assert len(renders) == 2 and other["image/svg+xml"] != first["image/svg+xml"]
    assert "<title>Two points</title>" in other["image/svg+xml"]
