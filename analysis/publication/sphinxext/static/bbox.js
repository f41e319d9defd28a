/* Renders a published chart from the Vega-Lite spec embedded next to it (the libraries come from
   vega-bundle.js in _static: no network is needed at view time). */
// The failure message in the page's language (the editions are in English, Dutch and French).
var BBOX_CHART_FAILED = {
  en: "This chart could not be drawn: ",
  nl: "Deze grafiek kon niet worden getekend: ",
  fr: "Ce graphique n\u2019a pas pu \u00eatre affich\u00e9\u00a0: "
};

function bboxChart(id) {
  var render = function () {
    var element = document.getElementById(id);
    var fail = function (error) {
      var lang = (document.documentElement.lang || "en").slice(0, 2);
      element.textContent = (BBOX_CHART_FAILED[lang] || BBOX_CHART_FAILED.en) + error;
      console.error(error);
    };
    try {
      var spec = JSON.parse(document.getElementById(id + "-spec").textContent);
      // No actions menu: a menu inside the role="img" container is a nested control that assistive technology
      // cannot reach (axe nested-interactive); the data are a download link under the chart.
      // Drawn into a child, so that Vega's own role and label do not replace the chart's text alternative.
      var canvas = element.appendChild(document.createElement("div"));
      vegaEmbed(canvas, spec, {renderer: "svg", actions: false})
        .then(function () { element.setAttribute("data-rendered", "true"); })
        .catch(fail);
    } catch (error) {  // e.g. the Vega bundle did not load
      fail(error);
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
}
