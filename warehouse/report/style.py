"""The page's inline CSS, and the one small script: it marks each chart that laid out with marks
(`data-rendered`) and collects script errors into the page (`data-script-errors`), so a headless
browser's DOM dump shows both."""

STYLE = """
body { margin: 0; background: #f4f5f7; color: #222;
  font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 14px; }
header { background: #b8322b; color: #fff; padding: 20px 32px; }
header h1 { margin: 0 0 6px; font-size: 26px; }
header p { margin: 0; opacity: .9; }
main { max-width: 1120px; margin: 0 auto; padding: 8px 24px 24px; }
section { background: #fff; border-radius: 6px; margin: 16px 0; padding: 12px 20px 16px;
  box-shadow: 0 1px 2px rgba(0,0,0,.08); }
h2 { font-size: 19px; border-left: 4px solid #b8322b; padding-left: 10px; }
h3 { font-size: 15px; margin: 16px 0 8px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { flex: 1 1 160px; border: 1px solid #e2e4e8; border-radius: 6px; padding: 10px 14px; }
.card span { display: block; color: #555; }
.card strong { display: block; font-size: 28px; margin: 4px 0; color: #1f5fa8; }
.card em { font-style: normal; color: #777; font-size: 12px; }
figure { margin: 12px 0; }
figcaption { font-weight: bold; margin-bottom: 6px; }
svg { width: 100%; max-width: 860px; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; }
th, td { border-bottom: 1px solid #e6e6e6; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f0f2f5; }
td.num { text-align: right; white-space: nowrap; }
.note, .empty { color: #777; font-size: 12px; }
footer { max-width: 1120px; margin: 0 auto 32px; padding: 0 24px; color: #666; font-size: 12px; }
"""

RENDER_CHECK_SCRIPT = """
(function () {
  var errors = [];
  window.addEventListener("error", function (event) {
    errors.push(String(event.message));
    document.documentElement.setAttribute("data-script-errors", errors.join(" | "));
  });
  window.addEventListener("load", function () {
    var figures = document.querySelectorAll("[data-chart]:not([data-empty])"), rendered = 0;
    figures.forEach(function (figure) {
      var svg = figure.querySelector("svg");
      var box = svg ? svg.getBoundingClientRect() : null;
      if (svg && svg.querySelectorAll(".mark").length > 0 && box.width > 0 && box.height > 0) {
        figure.setAttribute("data-rendered", "yes");
        rendered += 1;
      }
    });
    document.documentElement.setAttribute("data-charts-rendered", rendered + "/" + figures.length);
  });
})();
"""
