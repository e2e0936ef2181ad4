/*
 * Draws every chart on the page with vega-embed.
 *
 * Each chart container (`[data-msknet-chart]`, role="img" with an aria-label)
 * names the <script type="application/json"> holding its Vega-Lite spec. The
 * figures are also in a table beside each chart, so when the chart cannot be
 * drawn the page still has everything.
 *
 * Loaded as a module after vega, vega-lite and vega-embed (deferred scripts and
 * modules run in document order). Under the site's Content-Security-Policy:
 * expressions run in Vega's interpreter, not as generated functions (no eval),
 * and vega-embed and its tooltip add no <style> elements; their styles are in
 * msknet/msknet.css.
 */
const FAILED = "The chart could not be drawn. The figures are in the table below.";

function options(expressionInterpreter) {
  return {
    actions: false,
    renderer: "svg",
    ast: true,
    expr: expressionInterpreter,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };
}

function draw(container, expressionInterpreter) {
  const source = document.getElementById(container.getAttribute("data-msknet-chart"));
  if (!source || !expressionInterpreter || typeof window.vegaEmbed !== "function") {
    container.textContent = FAILED;
    return;
  }
  const spec = JSON.parse(source.textContent);
  window
    .vegaEmbed(container, spec, options(expressionInterpreter))
    .then((result) => {
      // The container speaks for the chart; keep the drawing out of the
      // accessibility tree so screen readers hear the label once.
      const drawing = container.querySelector("svg, canvas");
      if (drawing) {
        drawing.setAttribute("aria-hidden", "true");
        drawing.setAttribute("focusable", "false");
      }
      return result;
    })
    .catch(() => {
      container.textContent = FAILED;
    });
}

function drawAll(expressionInterpreter) {
  document
    .querySelectorAll("[data-msknet-chart]")
    .forEach((container) => draw(container, expressionInterpreter));
}

// Imported when the page runs rather than up front, so that a browser that
// cannot load it still says so in each chart's place.
import("vega-interpreter").then(
  (interpreter) => drawAll(interpreter.expressionInterpreter),
  () => drawAll(null),
);
