/* Small SVG charts for scores (0..100). Data comes from json_script elements with the numbers as the page
   shows them (rounded once on the server: feedback/presentation.py), drawn as given; every chart also has a
   visually hidden table beside it for screen readers, so the SVG itself is decorative. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";

  function node(tag, attrs, text) {
    var el = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text != null) { el.textContent = text; }
    return el;
  }
  function band(v) { return v >= 80 ? "high" : v >= 50 ? "mid" : "low"; }
  function svg(width, height) {
    return node("svg", { viewBox: "0 0 " + width + " " + height, "aria-hidden": "true", focusable: "false",
      preserveAspectRatio: "xMidYMid meet" });
  }

  function line(container, points) {
    var W = Math.max(260, container.clientWidth || 640), H = Math.min(240, Math.max(160, W * 0.4));
    var L = 34, R = 12, T = 12, B = 28;
    var root = svg(W, H);
    var x = function (i) { return points.length < 2 ? L + (W - L - R) / 2 : L + i * (W - L - R) / (points.length - 1); };
    var y = function (v) { return T + (100 - v) * (H - T - B) / 100; };
    [0, 25, 50, 75, 100].forEach(function (v) {
      root.appendChild(node("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), "class": v ? "grid-line" : "axis" }));
      root.appendChild(node("text", { x: L - 8, y: y(v) + 4, "text-anchor": "end", "class": "tick" }, String(v)));
    });
    var coords = points.map(function (p, i) { return x(i) + "," + y(p.value); });
    if (points.length > 1) {
      root.appendChild(node("path", { "class": "area",
        d: "M" + x(0) + "," + y(0) + " L" + coords.join(" L") + " L" + x(points.length - 1) + "," + y(0) + " Z" }));
      root.appendChild(node("polyline", { "class": "line", points: coords.join(" ") }));
    }
    var every = Math.ceil(points.length / Math.max(2, Math.floor(W / 80)));
    points.forEach(function (p, i) {
      var dot = node("circle", { cx: x(i), cy: y(p.value), r: 4.5, "class": "dot" });
      dot.appendChild(node("title", {}, p.label + ": " + p.value));
      root.appendChild(dot);
      if (i % every === 0 || i === points.length - 1) {
        root.appendChild(node("text", { x: x(i), y: H - 8, "text-anchor": "middle", "class": "tick" }, p.label));
      }
    });
    container.appendChild(root);
  }

  function bars(container, items) {
    var W = Math.max(240, container.clientWidth || 420), row = 34, valueW = 40, H = Math.max(row, items.length * row);
    var labelW = Math.min(200, Math.round(W * 0.38)), maxChars = Math.floor(labelW / 7.2);
    var root = svg(W, H);
    var width = W - labelW - valueW - 8;
    items.forEach(function (item, i) {
      var top = i * row, name = String(item.label);
      var text = node("text", { x: 0, y: top + 21, "class": "label" }, name.length > maxChars ? name.slice(0, maxChars - 1) + "…" : name);
      text.appendChild(node("title", {}, item.title || name));
      root.appendChild(text);
      root.appendChild(node("rect", { x: labelW, y: top + 9, width: width, height: 16, rx: 8, "class": "bar-track" }));
      root.appendChild(node("rect", { x: labelW, y: top + 9, width: Math.max(3, width * Math.min(100, item.value) / 100),
        height: 16, rx: 8, "class": "bar " + band(item.value) }));
      root.appendChild(node("text", { x: W, y: top + 22, "text-anchor": "end", "class": "value" }, String(item.value)));
    });
    container.appendChild(root);
  }

  function ring(container, value, caption) {
    var S = 180, r = 72, c = 2 * Math.PI * r;
    var root = svg(S, S);
    root.appendChild(node("circle", { cx: S / 2, cy: S / 2, r: r, "stroke-width": 14, "class": "ring-track" }));
    root.appendChild(node("circle", { cx: S / 2, cy: S / 2, r: r, "stroke-width": 14, "class": "ring " + band(value),
      "stroke-dasharray": (c * Math.min(100, value) / 100) + " " + c, transform: "rotate(-90 " + S / 2 + " " + S / 2 + ")" }));
    root.appendChild(node("text", { x: S / 2, y: S / 2 + 6, "text-anchor": "middle", "class": "ring-value" }, String(value)));
    root.appendChild(node("text", { x: S / 2, y: S / 2 + 28, "text-anchor": "middle", "class": "ring-label" }, caption || "out of 100"));
    container.appendChild(root);
  }

  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (container) {
      container.textContent = "";
      var kind = container.dataset.chart;
      var source = container.dataset.source && document.getElementById(container.dataset.source);
      var data = source ? JSON.parse(source.textContent) : null;
      if (kind === "line") { line(container, data); }
      else if (kind === "bars") { bars(container, data); }
      else if (kind === "ring") { ring(container, parseFloat(container.dataset.value), container.dataset.caption); }
    });
  }
  /* Charts are drawn at their real pixel width, so text stays legible; redrawn when the width changes. */
  var lastWidth = window.innerWidth, resizeTimer = null;
  window.addEventListener("resize", function () {
    if (window.innerWidth === lastWidth) { return; }
    lastWidth = window.innerWidth;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(draw, 150);
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
