/*
 * Draws every chart on the page with vega-embed.
 *
 * Each chart container (`[data-msknet-chart]`, role="img" with an aria-label)
 * names the <script type="application/json"> holding its Vega-Lite spec. The
 * figures are also in a table beside each chart, so when the chart cannot be
 * drawn the page still has everything.
 */
(function () {
  "use strict";

  var FAILED = "The chart could not be drawn. The figures are in the table below.";

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-msknet-chart"));
    if (!source || typeof window.vegaEmbed !== "function") {
      container.textContent = FAILED;
      return;
    }
    var spec = JSON.parse(source.textContent);
    window
      .vegaEmbed(container, spec, { actions: false, renderer: "svg", tooltip: true })
      .then(function (result) {
        // The container speaks for the chart; keep the drawing out of the
        // accessibility tree so screen readers hear the label once.
        var drawing = container.querySelector("svg, canvas");
        if (drawing) {
          drawing.setAttribute("aria-hidden", "true");
          drawing.setAttribute("focusable", "false");
        }
        return result;
      })
      .catch(function () {
        container.textContent = FAILED;
      });
  }

  function drawAll() {
    var containers = document.querySelectorAll("[data-msknet-chart]");
    for (var i = 0; i < containers.length; i += 1) {
      draw(containers[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
