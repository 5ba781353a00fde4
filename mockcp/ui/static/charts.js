// mockcp dashboard: inline SVG drawing (no library). Times are epoch milliseconds (UTC).
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs, parent) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  if (parent) parent.appendChild(node);
  return node;
}

function svgText(parent, x, y, text, attrs) {
  const node = svg("text", Object.assign({ x, y }, attrs || {}), parent);
  node.textContent = text;
  return node;
}

function hhmm(ms) {
  return new Date(ms).toISOString().slice(11, 16);
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

// A time chart: lines (optionally stepped or dashed), bars over time spans, shaded bands,
// a "now" marker. opts: {width, height, t0, t1, yMax, yLabel, lines, bars, bands, now, legend}
function timeChart(opts) {
  const width = opts.width || 1200, height = opts.height || 300;
  const left = 54, right = 16, top = 26, bottom = 28;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": opts.label || "chart" });
  const yMax = niceMax(opts.yMax * 1.08);
  const x = (t) => left + ((t - opts.t0) / (opts.t1 - opts.t0)) * (width - left - right);
  const y = (v) => top + (1 - v / yMax) * (height - top - bottom);
  for (const band of opts.bands || []) {
    svg("rect", { x: x(band.t0), y: top, width: Math.max(1, x(band.t1) - x(band.t0)),
      height: height - top - bottom, fill: band.color, class: band.cls }, root);
    if (band.label) svgText(root, x(band.t0) + 4, top + 14, band.label, { fill: "#8a5a00" });
  }
  const ticks = [4, 5, 3, 6].find((k) => Number.isInteger(yMax / k)) || 4;
  for (let i = 0; i <= ticks; i++) {
    const v = (yMax * i) / ticks;
    svg("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: "#e3e7ee" }, root);
    svgText(root, left - 6, y(v) + 4, String(Math.round(v * 10) / 10), { "text-anchor": "end" });
  }
  svgText(root, 4, 14, opts.yLabel || "kW");
  const span = opts.t1 - opts.t0, hour = 3600e3;
  const step = span <= 12 * hour ? hour : span <= 36 * hour ? 3 * hour : 24 * hour;
  for (let t = Math.ceil(opts.t0 / step) * step; t <= opts.t1; t += step) {
    svg("line", { x1: x(t), x2: x(t), y1: top, y2: height - bottom, stroke: "#eef1f5" }, root);
    svgText(root, x(t), height - 10, hhmm(t), { "text-anchor": "middle" });
  }
  for (const bar of opts.bars || []) {
    svg("rect", { x: x(bar.t0) + 1, y: y(bar.v), width: Math.max(1, x(bar.t1) - x(bar.t0) - 2),
      height: Math.max(0, y(0) - y(bar.v)), fill: bar.color, class: bar.cls,
      "data-kwh": bar.kwh }, root);
  }
  for (const line of opts.lines || []) {
    const points = line.points.filter((p) => p[1] !== null && p[1] !== undefined);
    if (!points.length) continue;
    let d = "";
    points.forEach(([t, v], i) => {
      if (i === 0) d += `M${x(t)},${y(v)}`;
      else if (line.step) d += `H${x(t)}V${y(v)}`;
      else d += `L${x(t)},${y(v)}`;
    });
    if (line.step && line.until) d += `H${x(line.until)}`;
    svg("path", { d, fill: "none", stroke: line.color, "stroke-width": line.width || 2.5,
      "stroke-dasharray": line.dash, class: line.cls, "data-points": JSON.stringify(points) }, root);
  }
  if (opts.now) {
    svg("line", { x1: x(opts.now), x2: x(opts.now), y1: top, y2: height - bottom,
      stroke: "#13233f", "stroke-width": 1.5, class: "now" }, root);
    svgText(root, x(opts.now) - 4, top + 12, "now " + hhmm(opts.now), { "text-anchor": "end", fill: "#13233f" });
  }
  let lx = width - right;
  for (const item of (opts.legend || []).slice().reverse()) {
    const label = svgText(root, lx, 14, item.label, { "text-anchor": "end" });
    lx -= item.label.length * 6.6 + 8;
    svg("rect", { x: lx - 14, y: 6, width: 14, height: 8, fill: item.color, rx: 2 }, root);
    lx -= 26;
    label.setAttribute("fill", "#1d2430");
  }
  return root;
}
