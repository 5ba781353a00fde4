// mockcp dashboard. Data: api/* (the domain's numbers), ../clock, ../journal, ../faults,
// ../tenants (the control plane). Written for this project; no library.
"use strict";

const COLORS = { available: "#2e9d5b", inuse: "#2f6fd6", unreachable: "#8a8f98", faulted: "#d64545", shed: "#e09a1a" };
const NAMES = { available: "Available", inuse: "In use", unreachable: "Unreachable", faulted: "Faulted", shed: "Shed" };
const state = {
  view: "fleet", tenant: new URLSearchParams(location.search).get("org") || "",
  fleet: null, selected: null, clock: null, meta: null, tenants: [], openRow: null,
  busy: {}, lastNow: null, loadTarget: null, journalKey: "", xml: {},
};
const $ = (selector) => document.querySelector(selector);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function say(text) { $("#status").textContent = text || ""; }

// Every request carries the control-plane token when one was typed (controls need it where
// the server requires one; reads ignore it).
function withToken(headers) {
  const token = sessionStorage.getItem("mockcp-token");
  return token ? Object.assign({ Authorization: "Bearer " + token }, headers) : headers;
}

async function call(path, options) {
  const init = Object.assign({ cache: "no-store" }, options || {});
  init.headers = withToken(init.headers || {});
  const response = await fetch(path, init);
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error((body && body.error) || `${response.status} ${response.statusText}`);
  return body;
}

function control(path, body, method) {
  return call(path, { method: method || "POST", headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body) });
}

function orgQuery() { return state.tenant ? "org=" + encodeURIComponent(state.tenant) : ""; }
const ms = (iso) => Date.parse(iso);
const fmtKw = (v) => Number(v).toFixed(3);
const stamp = (iso) => (iso ? iso.replace("T", " ").replace(/:\d\dZ$/, "Z") : "");

// ---------------------------------------------------------------- the clock
async function pollClock() {
  try {
    const clock = await call("../clock");
    state.clock = clock;
    $("#clock-now").textContent = stamp(clock.now);
    $("#clock-mode").textContent = clock.mode;
    document.querySelectorAll("[data-mode]").forEach((b) => b.classList.toggle("active", b.dataset.mode === clock.mode));
    if (clock.now !== state.lastNow) {
      state.lastNow = clock.now;
      await refresh();
    }
  } catch (error) { say("clock: " + error.message); }
}

async function moveClock(body) {
  try {
    say("");
    await control("../clock", body);
    await pollClock();
  } catch (error) { say("clock: " + error.message); }
}

// ---------------------------------------------------------------- load
async function loadLoad() {
  if (!state.fleet) await loadFleet();
  const sg = $("#load-group").value, station = $("#load-station").value;
  if (!sg && !station) return;
  const query = [orgQuery(), "sg=" + encodeURIComponent(sg), station ? "station=" + encodeURIComponent(station) : ""];
  const data = await call("api/load?" + query.filter(Boolean).join("&"));
  if (state.loadTarget !== sg) {
    state.loadTarget = sg;
    $("#load-station").replaceChildren(el("option", { value: "" }, "(the whole group)"),
      ...data.stations.map((s) => el("option", { value: s.stationID }, `${s.name}`)));
  }
  $("#load-now").textContent = fmtKw(data.kw);
  $("#load-chart").dataset.now = data.now;
  $("#load-cap").textContent = data.capKw === null ? "none" : fmtKw(data.capKw) + " kW";
  const energy = data.intervals.reduce((sum, i) => sum + i.kwh, 0);
  $("#load-energy").textContent = energy.toFixed(1);
  $("#load-not-drawn").textContent = data.notDrawnKwh.toFixed(1);
  $("#load-not-drawn").dataset.kwh = data.notDrawnKwh;
  const series = data.series.map((p) => [ms(p.t), p.kw, p]);
  const past = series.filter((p) => !p[2].planned), planned = series.filter((p) => p[2].planned || p[0] === ms(data.now));
  const caps = series.map((p) => [p[0], p[2].capKw]);
  const bars = data.intervals.map((i) => ({ t0: ms(i.start), t1: ms(i.start) + 900e3, v: i.kwh * 4, kwh: i.kwh, color: "#cfdcf5", cls: "interval" }));
  const twin = data.series.map((p) => [ms(p.t), p.twinKw]);
  const yMax = Math.max(1, ...series.map((p) => p[1]), ...twin.map((p) => p[1]), ...caps.map((c) => c[1] || 0), ...bars.map((b) => b.v));
  $("#load-chart").replaceChildren(timeChart({
    label: `Load of ${data.title}`, t0: series[0][0], t1: series[series.length - 1][0], yMax, now: ms(data.now),
    bars, lines: [
      { points: twin, color: "#9aa3b2", dash: "6 4", cls: "live-twin-line" },
      { points: past.map((p) => [p[0], p[1]]), color: "#2f6fd6", cls: "load-line" },
      { points: planned.map((p) => [p[0], p[1]]), color: "#2f6fd6", dash: "5 5", width: 1.5, cls: "planned-line" },
      ...capSegments(caps).map((points) => ({ points, color: "#e09a1a", dash: "8 4", step: true, cls: "cap-line", until: points[points.length - 1][0] + 900e3 })),
    ],
    legend: [
      { label: "load kW (getLoad)", color: "#2f6fd6" }, { label: "simulator's plan", color: "#9bb8ec" },
      { label: "untouched twin (no shed)", color: "#9aa3b2" },
      { label: "15-min interval (avg kW)", color: "#cfdcf5" }, { label: "shed cap", color: "#e09a1a" },
    ],
  }));
}

function capSegments(caps) {
  const segments = [];
  let current = null;
  for (const [t, v] of caps) {
    if (v === null || v === undefined) { current = null; continue; }
    if (!current) { current = []; segments.push(current); }
    current.push([t, v]);
  }
  return segments;
}

async function runScenario() {
  const name = $("#scenario").value, button = $("#scenario-run");
  button.disabled = true;
  say("running the scenario (the world with the event and its untouched twin)…");
  try {
    const result = await control("api/scenarios/" + encodeURIComponent(name));
    renderScenario(result);
    say("");
  } catch (error) { say("scenario: " + error.message); }
  button.disabled = false;
}

function renderScenario(result) {
  $("#scenario-checks").replaceChildren(...result.checks.map((c) =>
    el("li", { class: c.ok ? "ok" : "fail" }, `${c.name}: ${c.measured} (target ${c.target})`)));
  if (!result.series) {
    $("#scenario-not-drawn").textContent = "–";
    $("#scenario-chart").replaceChildren(el("pre", { id: "scenario-lines" }, result.lines.join("\n")));
    return;
  }
  const shed = result.series.map((p) => [ms(p.t), p.kw]), twin = result.series.map((p) => [ms(p.t), p.twinKw]);
  const caps = result.series.map((p) => [ms(p.t), p.capKw]);
  const step = result.stepMinutes * 60e3;
  $("#scenario-not-drawn").textContent = result.notDrawnKwh.toFixed(1);
  $("#scenario-chart").replaceChildren(timeChart({
    label: result.name, t0: shed[0][0], t1: shed[shed.length - 1][0],
    yMax: Math.max(1, ...shed.map((p) => p[1]), ...twin.map((p) => p[1])),
    bands: [{ t0: ms(result.eventStart), t1: ms(result.eventEnd), color: "rgba(240,180,41,.18)", label: "demand-response event", cls: "event" }],
    lines: [
      { points: twin, color: "#9aa3b2", dash: "6 4", cls: "twin-line" },
      { points: shed, color: "#2f6fd6", cls: "shed-line" },
      ...capSegments(caps).map((points) => ({ points, color: "#e09a1a", step: true, dash: "8 4", cls: "cap-line", until: points[points.length - 1][0] + step })),
    ],
    legend: [{ label: "with the event", color: "#2f6fd6" }, { label: "untouched twin", color: "#9aa3b2" }, { label: "event cap", color: "#e09a1a" }],
  }));
}

// ---------------------------------------------------------------- sessions
async function loadSessions() {
  const input = $("#sessions-day");
  if (!input.value && state.clock) input.value = state.clock.now.slice(0, 10);
  const data = await call("api/sessions?" + [orgQuery(), "day=" + input.value].filter(Boolean).join("&"));
  const width = 1220, label = 290, row = 18, top = 22;
  const height = top + Math.max(1, data.ports.length) * row + 8;
  const t0 = ms(data.day + "T00:00:00Z"), t1 = t0 + 86400e3;
  const x = (t) => label + ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0)) * (width - label - 10);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "group", "aria-label": "Sessions of " + data.day });
  for (let h = 0; h <= 24; h += 2) {
    const t = t0 + h * 3600e3;
    svg("line", { x1: x(t), x2: x(t), y1: top - 4, y2: height, stroke: "#eef1f5" }, root);
    svgText(root, x(t), 13, String(h).padStart(2, "0") + ":00", { "text-anchor": "middle" });
  }
  const pattern = svg("pattern", { id: "open", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, svg("defs", {}, root));
  svg("rect", { width: 4, height: 6, fill: "#a9c1ec" }, pattern);
  data.ports.forEach((port, i) => {
    const y = top + i * row;
    svgText(root, 4, y + 12, `${port.name.slice(0, 36)} · ${port.portNumber}`);
    for (const s of port.sessions) {
      const g = svg("g", { class: "session", tabindex: 0, "data-session-id": s.sessionID, "data-energy": s.energy.toFixed(6),
        "aria-label": `Session ${s.sessionID}, ${s.energy.toFixed(3)} kWh` }, root);
      svg("rect", { class: "session", x: x(ms(s.start)), y: y + 2, width: Math.max(2, x(ms(s.chargeEnd)) - x(ms(s.start))), height: row - 5, fill: "#2f6fd6", rx: 2 }, g);
      const tailEnd = ms(s.end || s.upTo);
      svg("rect", { class: "session", x: x(ms(s.chargeEnd)), y: y + 4, width: Math.max(0, x(tailEnd) - x(ms(s.chargeEnd))), height: row - 9, fill: s.end ? "#a9c1ec" : "url(#open)" }, g);
      svg("title", {}, g).textContent = describeSession(port, s);
      const show = () => { $("#session-detail").textContent = describeSession(port, s); };
      g.addEventListener("click", show);
      g.addEventListener("focus", show);
    }
  });
  if (state.clock && ms(state.clock.now) < t1 && ms(state.clock.now) > t0) {
    svg("line", { x1: x(ms(state.clock.now)), x2: x(ms(state.clock.now)), y1: top - 4, y2: height, stroke: "#13233f", "stroke-width": 1.5 }, root);
  }
  if (!data.ports.length) svgText(root, label, top + 12, "No session plugged in on this day (yet).");
  $("#sessions-chart").replaceChildren(root);
  $("#sessions-chart").dataset.now = data.now;
  $("#sessions-chart").dataset.day = data.day;
}

function describeSession(port, s) {
  const end = s.end ? stamp(s.end).slice(11) : "still plugged in";
  return `Session ${s.sessionID} · ${port.stationID} port ${port.portNumber} · ${stamp(s.start).slice(11)} → ${end} · ` +
    `charging until ${stamp(s.chargeEnd).slice(11)} · ${s.energy.toFixed(6)} kWh · driver ${s.userID || "–"}`;
}

// ---------------------------------------------------------------- API activity
function isoZ(text) {
  const t = Date.parse(String(text).replace(" ", "T"));
  return Number.isNaN(t) ? String(text) : new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

// The one adapter from GET /_mock/journal to the feed's rows (oldest first).
function journalRows(body) {
  const records = Array.isArray(body) ? body : (body && (body.entries || body.records)) || [];
  return records.map((r, index) => ({
    key: r.id !== undefined ? String(r.id) : `${index}`,
    at: isoZ(r.simTime || r.at || r.time || ""),
    operation: r.operation || "",
    tenant: r.org_id || r.orgID || "",
    code: r.responseCode || r.response_code || r.fault || "",
    details: r.details || {},
    requestXml: r.request_xml || r.requestXml || r.request || null,
    responseXml: r.response_xml || r.responseXml || r.response || null,
  }));
}

// One element a line, indented by depth (display only: the journal keeps the bytes as sent).
function prettyXml(text) {
  if (!text) return text;
  let depth = 0;
  return text.replace(/>\s*</g, ">\n<").split("\n").map((line) => {
    if (line.startsWith("</")) depth = Math.max(depth - 1, 0);
    const out = "  ".repeat(depth) + line;
    const opens = /^<[^!?/][^>]*>/.test(line) && !/\/>$/.test(line) && !/<\/[^>]+>$/.test(line);
    if (opens) depth += 1;
    return out;
  }).join("\n");
}

async function pollJournal() {
  try {
    const rows = journalRows(await call("../journal?limit=200"));
    const open = rows.find((r) => r.key === state.openRow);
    if (open && !(open.key in state.xml)) {  // the XML of the row opened, once (it can be large)
      const [entry] = journalRows(await call(`../journal?minId=${open.key}&maxId=${open.key}&xml=1`));
      state.xml[open.key] = entry ? [entry.requestXml, entry.responseXml] : [null, null];
    }
    $("#activity-count").textContent = rows.length;
    const key = rows.length + "|" + (rows.length ? rows[rows.length - 1].key + rows[rows.length - 1].at : "") + "|" + state.openRow;
    if (key === state.journalKey) return;
    state.journalKey = key;
    const body = [];
    for (const r of rows.slice(-200).reverse()) {
      const ok = r.code === "100";
      const toggle = () => { state.openRow = state.openRow === r.key ? null : r.key; state.journalKey = ""; pollJournal(); };
      body.push(el("tr", { tabindex: 0, "data-operation": r.operation, "data-key": r.key, onclick: toggle,
        onkeydown: (e) => { if (e.key === "Enter") toggle(); } },
        el("td", {}, stamp(r.at)), el("td", {}, r.operation), el("td", {}, r.tenant),
        el("td", { class: ok ? "code-ok" : "code-bad" }, r.code || "–")));
      if (state.openRow === r.key) {
        const parts = Object.keys(r.details).length ? [el("strong", {}, "Recorded details"), el("pre", {}, JSON.stringify(r.details, null, 1))] : [];
        const [request, response] = state.xml[r.key] || [null, null], none = "(not kept: the server runs with --no-journal-xml, or the call is older than the newest it keeps)";
        parts.push(el("strong", {}, "Request XML"), el("pre", { class: "request-xml" }, prettyXml(request) || none));
        parts.push(el("strong", {}, "Response XML"), el("pre", { class: "response-xml" }, prettyXml(response) || none));
        body.push(el("tr", { class: "details" }, el("td", { colspan: 4 }, parts)));
      }
    }
    $("#activity-feed").replaceChildren(...body);
  } catch (error) { say("journal: " + error.message); }
}

// ---------------------------------------------------------------- controls
async function loadPending() {
  const pending = await call("../faults");
  $("#fault-pending").replaceChildren(...pending.map((f) => el("li", {},
    `${f.operation}: ${f.code ? f.code + " (" + f.responseCode + ")" : (f.fault === "server" ? "Server fault" : f.fault)}` +
    (f.count !== null && f.count !== undefined ? ` × ${f.count}` : "") + (f.orgID ? ` for ${f.orgID}` : "") + (f.fired ? `, fired ${f.fired}` : ""))));
}

async function armFault() {
  const code = $("#fault-code").value, org = $("#fault-org").value;
  const body = { operation: $("#fault-operation").value, count: Number($("#fault-count").value || 1) };
  if (code === "server") body.fault = "server"; else body.code = code;
  if (org) body.orgID = org;
  try { await control("../faults", body); say(""); } catch (error) { say("faults: " + error.message); }
  await loadPending();
}

// Back to the start (no body), or to a new start ({start, seed, fixture}: any of them).
async function resetWorld(body) {
  const buttons = [$("#world-reset"), $("#world-reset-new")];
  buttons.forEach((b) => { b.disabled = true; });
  $("#reset-state").textContent = "rebuilding…";
  try {
    await control("../reset", body);
    state.fleet = null;
    state.loadTarget = null;
    state.lastNow = null;
    state.xml = {};  // (the journal starts again: its ids too)
    if (body) await loadTenants();
    await pollClock();
    await loadControls().catch((error) => say("controls: " + error.message));
    $("#reset-state").textContent = "reset done";  // (after the page shows the new world)
  } catch (error) { $("#reset-state").textContent = "reset: " + error.message; }
  buttons.forEach((b) => { b.disabled = false; });
}

function newStart() {
  const body = {}, start = $("#reset-start").value.trim(), seed = $("#reset-seed").value.trim();
  if (start) body.start = start;
  if (seed) body.seed = Number(seed);
  if ($("#reset-fixture").value) body.fixture = $("#reset-fixture").value;
  if (!Object.keys(body).length) { $("#reset-state").textContent = "reset: fill in a start, a seed or a fixture"; return; }
  resetWorld(body);
}

const PORT_EVENTS = ["portFault", "faultCleared", "plugIn", "unplug"];

async function sendEvent() {
  const station = $("#event-station").value, type = $("#event-type").value, body = { type };
  if (PORT_EVENTS.includes(type)) body.port = Number($("#event-port").value || 1);
  if (type === "portFault") body.fault = $("#event-fault").value.trim();
  $("#event-state").textContent = "sending…";
  try {
    const done = await control(`../stations/${encodeURIComponent(station)}/events`, body);
    $("#event-state").textContent = `${done.type} on ${done.stationID} at ${stamp(done.at)}: ` +
      `${done.alarms.length ? done.alarms.join(", ") : "no alarm"}; ${done.sessions} session(s) touched`;
    state.fleet = null;
  } catch (error) { $("#event-state").textContent = "event: " + error.message; }
}

async function loadSnapshots() {
  const snapshots = await call("../snapshots");
  $("#snapshot-list").replaceChildren(...snapshots.map((s) => el("li", { "data-name": s.name },
    `${s.name} · clock ${stamp(s.clock)} `,
    el("button", { class: "snapshot-restore", "aria-label": "Restore " + s.name, onclick: () => snapshotAction(s.name, "restore") }, "Restore"),
    el("button", { class: "snapshot-delete", "aria-label": "Delete " + s.name, onclick: () => snapshotAction(s.name, "delete") }, "Delete"))));
}

async function saveSnapshot() {
  const name = $("#snapshot-name").value.trim();
  $("#snapshot-state").textContent = "saving…";
  try {
    await control("../snapshots", { name });
    $("#snapshot-state").textContent = `saved ${name}`;
  } catch (error) { $("#snapshot-state").textContent = "snapshot: " + error.message; }
  await loadSnapshots().catch((error) => say("snapshots: " + error.message));
}

async function snapshotAction(name, action) {
  const path = "../snapshots/" + encodeURIComponent(name);
  $("#snapshot-state").textContent = action === "restore" ? "restoring…" : "deleting…";
  try {
    if (action === "restore") {
      await control(path + "/restore");
      state.xml = {};
      state.fleet = null;
      state.loadTarget = null;
      state.lastNow = null;
      await pollClock();
    } else {
      await control(path, undefined, "DELETE");
    }
    $("#snapshot-state").textContent = `${action === "restore" ? "restored" : "deleted"} ${name}`;
  } catch (error) { $("#snapshot-state").textContent = "snapshot: " + error.message; }
  await loadSnapshots().catch((error) => say("snapshots: " + error.message));
}

async function loadControls() {
  if (!state.fleet) await loadFleet();
  const stations = $("#event-station"), keep = stations.value;
  stations.replaceChildren(...state.fleet.stations.map((s) => el("option", { value: s.stationID }, `${s.name} (${s.stationID})`)));
  if ([...stations.options].some((o) => o.value === keep)) stations.value = keep;
  await Promise.all([loadPending(), loadSnapshots()]);
}

// ---------------------------------------------------------------- onboarding
function copyButton(text, label) {
  return el("button", { "aria-label": "Copy " + label, onclick: async (e) => {
    try { await navigator.clipboard.writeText(text); e.target.textContent = "Copied"; } catch (error) { e.target.textContent = "Select and copy"; }
  } }, "Copy");
}

function renderOnboarding() {
  const soap = new URL(state.meta.soapPath, location.href).href, wsdl = new URL(state.meta.wsdlPath, location.href).href;
  const cards = state.tenants.map((t) => {
    const snippet = `import zeep\nfrom zeep.wsse.username import UsernameToken\n\nclient = zeep.Client(\n    "${wsdl}",\n` +
      `    wsse=UsernameToken("${t.licenseKey}", "${t.password}"),\n)\nreply = client.service.getStations(searchQuery={})\n` +
      `print(reply.responseCode, len(reply.stationData))`;
    const secret = (name, value) => el("div", { class: "secret" }, el("span", { class: "k" }, name), el("code", {}, value), copyButton(value, name));
    return el("div", { class: "card tenant-card", "data-org": t.orgID },
      el("h2", {}, `${t.organizationName} (${t.orgID})`),
      secret("Licence key", t.licenseKey), secret("Password", t.password),
      secret("SOAP URL", soap), secret("WSDL URL", wsdl),
      el("div", { class: "secret" }, el("span", { class: "k" }, "zeep"), copyButton(snippet, "zeep snippet")),
      el("pre", { class: "snippet" }, snippet));
  });
  $("#onboarding").replaceChildren(...cards);
}

// ---------------------------------------------------------------- wiring
async function loadTenants() {
  state.tenants = await call("../tenants");
  const orgs = new Map(state.tenants.map((t) => [t.orgID, t.organizationName]));
  for (const [select, first] of [[$("#tenant"), "Whole world (every tenant)"], [$("#fault-org"), "any tenant"]]) {
    select.replaceChildren(el("option", { value: "" }, first),
      ...[...orgs].map(([id, name]) => el("option", { value: id }, `${name} (${id})`)));
  }
  if (!orgs.has(state.tenant)) state.tenant = "";
  $("#tenant").value = state.tenant;
}

const LOADERS = { fleet: loadFleet, load: loadLoad, sessions: loadSessions, activity: pollJournal, controls: loadControls, onboarding: async () => renderOnboarding() };

async function refresh() {
  const view = state.view;
  if (state.busy[view]) return;
  state.busy[view] = true;
  try { await LOADERS[view](); say(""); } catch (error) { say(`${view}: ${error.message}`); }
  state.busy[view] = false;
}

function show(view) {
  state.view = view;
  document.querySelectorAll("nav [role=tab]").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.view === view)));
  document.querySelectorAll(".view").forEach((s) => { s.hidden = s.id !== "view-" + view; });
  refresh();
}

async function start() {
  document.querySelectorAll("nav [role=tab]").forEach((b) => b.addEventListener("click", () => show(b.dataset.view)));
  document.querySelectorAll("[data-mode]").forEach((b) => b.addEventListener("click", () => moveClock({ mode: b.dataset.mode })));
  document.querySelectorAll("[data-advance]").forEach((b) => b.addEventListener("click", () => moveClock({ advance: b.dataset.advance })));
  $("#tenant").addEventListener("change", (e) => { state.tenant = e.target.value; state.fleet = null; state.selected = null; state.loadTarget = null; loadFleet().then(refresh); });
  $("#load-group").addEventListener("change", () => { state.loadTarget = null; $("#load-station").value = ""; refresh(); });
  $("#load-station").addEventListener("change", refresh);
  $("#sessions-day").addEventListener("change", refresh);
  for (const [id, days] of [["#day-before", -1], ["#day-after", 1]]) {
    $(id).addEventListener("click", () => {
      const input = $("#sessions-day"), day = new Date((input.value || state.clock.now.slice(0, 10)) + "T00:00:00Z");
      input.value = new Date(day.getTime() + days * 86400e3).toISOString().slice(0, 10);
      refresh();
    });
  }
  $("#scenario-run").addEventListener("click", runScenario);
  $("#fault-arm").addEventListener("click", armFault);
  $("#world-reset").addEventListener("click", () => resetWorld());
  $("#world-reset-new").addEventListener("click", newStart);
  $("#event-send").addEventListener("click", sendEvent);
  $("#snapshot-save").addEventListener("click", saveSnapshot);
  $("#fault-clear").addEventListener("click", async () => { await control("../faults", undefined, "DELETE").catch((e) => say(e.message)); loadPending(); });
  const token = $("#token");
  token.value = sessionStorage.getItem("mockcp-token") || "";
  token.addEventListener("input", () => sessionStorage.setItem("mockcp-token", token.value));
  token.addEventListener("change", () => loadTenants().then(() => say("")).catch((error) => say("tenants: " + error.message)));
  try {
    state.meta = await call("api/meta");
    $("#event-type").replaceChildren(...state.meta.stationEvents.map((e) => el("option", { value: e }, e)));
    $("#reset-fixture").append(...state.meta.fixtures.map((f) => el("option", { value: f }, f)));
    $("#fault-operation").replaceChildren(el("option", { value: "*" }, "every operation"),
      ...state.meta.operations.map((o) => el("option", { value: o }, o)));
    $("#fault-code").replaceChildren(el("option", { value: "server" }, "a SOAP Server fault"),
      ...state.meta.codes.map((c) => el("option", { value: c.name }, `${c.code} ${c.name}`)));
    $("#scenario").replaceChildren(...(await call("api/scenarios")).map((n) => el("option", { value: n }, n)));
  } catch (error) { say("start: " + error.message); }
  await loadTenants().catch((error) => say("tenants: " + error.message));
  await pollClock();
  await loadFleet().catch((error) => say("fleet: " + error.message));
  document.body.dataset.ready = "1";
  setInterval(pollClock, 1000);
  setInterval(pollJournal, 500);
}

start();
