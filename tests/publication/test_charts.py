"""Charts: the house theme is applied where a chart becomes a spec (importing the package changes nothing in
Altair), and a chart image carries its text alternative without its pixels changing."""

import io
import subprocess
import sys

import altair as alt
import pandas as pd
from PIL import Image

from analysis import paths
from analysis.publication import charts


def test_importing_the_package_leaves_altair_as_it_was():
    script = ("import altair as alt; import analysis.publish, analysis.publication.charts, analysis.results.registry; "
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
    described = charts.with_png_description(raw.getvalue(), "Bar chart – “x”, <1> & more")
    (tmp_path / "chart.png").write_bytes(described)
    assert charts.embedded_description(tmp_path / "chart.png") == "Bar chart – “x”, <1> & more"
    assert Image.open(io.BytesIO(described)).tobytes() == image.tobytes()
