// mockcp dashboard: the fleet view (stations by coordinates, a station's detail).
// Uses app.js's state and helpers at call time.
"use strict";

// ---------------------------------------------------------------- the fleet
function project(stations, width, height, pad) {
  const lats = stations.map((s) => s.lat), lons = stations.map((s) => s.lon);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const k = Math.cos((midLat * Math.PI) / 180);
  const x0 = Math.min(...lons) * k, x1 = Math.max(...lons) * k, y0 = Math.min(...lats), y1 = Math.max(...lats);
  const scale = Math.min((width - 2 * pad) / Math.max(x1 - x0, 1e-6), (height - 2 * pad) / Math.max(y1 - y0, 1e-6));
  const ox = (width - (x1 - x0) * scale) / 2, oy = (height - (y1 - y0) * scale) / 2;
  return (s) => [ox + (s.lon * k - x0) * scale, height - (oy + (s.lat - y0) * scale)];
}

// Stations of one site share nearly one point: push overlapping dots apart (a few passes).
function dodge(points, width, height, gap) {
  for (let pass = 0; pass < 60; pass++) {
    let moved = false;
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        const a = points[i], b = points[j];
        let dx = b[0] - a[0], dy = b[1] - a[1];
        const d = Math.hypot(dx, dy);
        if (d >= gap) continue;
        if (d < 1e-6) { dx = Math.cos(j); dy = Math.sin(j); } else { dx /= d; dy /= d; }
        const push = (gap - d) / 2 + 0.1;
        a[0] -= dx * push; a[1] -= dy * push; b[0] += dx * push; b[1] += dy * push;
        moved = true;
      }
    }
    for (const p of points) {
      p[0] = Math.min(width - 12, Math.max(12, p[0]));
      p[1] = Math.min(height - 12, Math.max(12, p[1]));
    }
    if (!moved) break;
  }
  return points;
}

function renderFleet() {
  const data = state.fleet;
  if (!data) return;
  const counts = {};
  for (const s of data.stations) counts[s.category] = (counts[s.category] || 0) + 1;
  $("#legend").replaceChildren(...Object.keys(COLORS).map((c) =>
    el("span", { id: "legend-" + c }, el("span", { class: "dot", style: `background:${COLORS[c]}` }),
      `${NAMES[c]} `, el("strong", {}, counts[c] || 0))));
  const cities = new Map();
  for (const s of data.stations) {
    if (!cities.has(s.city)) cities.set(s.city, []);
    cities.get(s.city).push(s);
  }
  const panels = [];
  for (const [city, stations] of cities) {
    const width = 300, height = cities.size <= 4 ? 200 : 170, place = project(stations, width, height, 22);
    const points = dodge(stations.map(place), width, height, 21);
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "group", "aria-label": city });
    stations.forEach((s, index) => {
      const [cx, cy] = points[index];
      const ports = s.ports.map((p) => `${p.portNumber}:${p.status}`).join(",");
      const g = svg("g", { class: "station" + (state.selected === s.stationID ? " selected" : ""), tabindex: 0,
        role: "button", "data-station-id": s.stationID, "data-category": s.category, "data-ports": ports,
        "data-kw": fmtKw(s.kw), "aria-label": `${s.name}: ${NAMES[s.category]}, ${fmtKw(s.kw)} kW` }, root);
      svg("circle", { cx, cy, r: 9, fill: COLORS[s.category] }, g);
      svg("title", {}, g).textContent = `${s.name} (${s.stationID}) — ${NAMES[s.category]}, ${fmtKw(s.kw)} kW`;
      g.addEventListener("click", () => selectStation(s.stationID));
      g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectStation(s.stationID); } });
    });
    panels.push(el("div", { class: "city" }, el("h3", {}, `${city} · ${stations.length} stations`), root));
  }
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.stationId : null;
  $("#fleet-map").replaceChildren(...panels);
  $("#fleet-map").classList.toggle("few", cities.size <= 4);
  $("#fleet-map").dataset.now = data.now;
  if (focused) {
    const again = document.querySelector(`.station[data-station-id="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
  renderDetail();
}

function selectStation(stationID) {
  state.selected = stationID;
  document.querySelectorAll(".station").forEach((g) => g.classList.toggle("selected", g.dataset.stationId === stationID));
  renderDetail();
}

function renderDetail() {
  const s = state.fleet && state.fleet.stations.find((x) => x.stationID === state.selected);
  if (!s) return;
  const rows = s.ports.map((p) => el("tr", { "data-port": p.portNumber },
    el("td", {}, p.portNumber),
    el("td", {}, el("span", { class: "pill " + p.status, "data-status": p.status }, p.status)),
    el("td", { class: "num port-kw" }, fmtKw(p.kw)),
    el("td", { class: "num" }, p.capKw === null ? "–" : fmtKw(p.capKw)),
    el("td", {}, p.sessionID ? el("span", {}, `#${p.sessionID}`, el("br"), `since ${stamp(p.sessionStart).slice(11)}`,
      p.userID ? ` · driver ${p.userID}` : "") : p.fault ? p.fault : "–")));
  const alarms = s.alarms.slice(-6).reverse().map((a) => el("li", {}, `${stamp(a.time)} · ${a.type}` + (a.port ? ` (port ${a.port})` : "")));
  $("#station-detail").replaceChildren(
    el("h2", {}, s.name),
    el("p", {}, el("span", { class: "pill " + s.category, id: "detail-category" }, NAMES[s.category]),
      ` ${s.stationID} · ${s.city} · network ${s.network}`),
    el("p", {}, "Station load ", el("strong", { id: "detail-kw" }, fmtKw(s.kw)), " kW"),
    el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Port"), el("th", {}, "Status"), el("th", {}, "kW"),
      el("th", {}, "Cap kW"), el("th", {}, "Session"))), el("tbody", {}, rows)),
    el("h2", {}, `Alarms (${s.alarms.length} current)`),
    alarms.length ? el("ul", { class: "pending" }, alarms) : el("p", { class: "hint" }, "No current alarm."));
}

async function loadFleet() {
  state.fleet = await call("api/fleet?" + orgQuery());
  renderFleet();
  const groups = $("#load-group"), keep = groups.value;
  groups.replaceChildren(...state.fleet.groups.map((g) => el("option", { value: g.sgID }, `${g.name} (${g.sgID})`)));
  if ([...groups.options].some((o) => o.value === keep)) groups.value = keep;
}

