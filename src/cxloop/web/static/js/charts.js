// Draws every chart on the page from its Vega-Lite spec, kept in a JSON data block:
//   <div data-chart-spec="ID" data-chart-error="message"></div>
//   <script type="application/json" id="ID">{…spec…}</script>
// `ast: true` makes Vega interpret its expressions instead of compiling them with
// `new Function`, so the charts work under a Content-Security-Policy without 'unsafe-eval'.
(() => {
  const fail = (element, error) => {
    element.classList.add("chart-failed");
    element.removeAttribute("role");
    element.removeAttribute("aria-label");
    element.textContent = element.dataset.chartError || "";
    console.error("chart", element.id, error);
  };

  const draw = (element) => {
    const source = document.getElementById(element.dataset.chartSpec);
    if (!source || typeof window.vegaEmbed !== "function") {
      fail(element, "no spec or no vega-embed");
      return;
    }
    let spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      fail(element, error);
      return;
    }
    window
      .vegaEmbed(element, spec, { renderer: "svg", actions: false, ast: true })
      .then(() => element.classList.add("chart-drawn"))
      .catch((error) => fail(element, error));
  };

  const drawAll = () => document.querySelectorAll("[data-chart-spec]").forEach(draw);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
