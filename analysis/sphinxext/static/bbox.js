/* Renders a published chart from the Vega-Lite spec embedded next to it (the libraries come from
   vega-bundle.js in _static: no network is needed at view time). */
function bboxChart(id) {
  var render = function () {
    var element = document.getElementById(id);
    var spec = JSON.parse(document.getElementById(id + "-spec").textContent);
    vegaEmbed(element, spec, {renderer: "svg", actions: {export: true, source: false, compiled: false, editor: false}})
      .then(function () { element.setAttribute("data-rendered", "true"); })
      .catch(function (error) {
        element.textContent = "This chart could not be drawn: " + error;
        console.error(error);
      });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
}
