// The newsevents dashboard: vanilla JS + SVG over the JSON API of orchestration/dashboard/server.py.
// Text from articles is only ever set as textContent, never as HTML.
"use strict";

const TYPE_COLOURS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2e86c1",
  "Riots": "#16a085",
  "Strategic developments": "#7f8c8d",
};
const SVG_NS = "http://www.w3.org/2000/svg";
const POLL_MS = Number(new URLSearchParams(location.search).get("poll_ms")) || 10000;

let snapshotId = null;
let world = null;

function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "onclick") node.addEventListener("click", value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

async function api(path) {
  const response = await fetch("/api/" + path, { cache: "no-store" });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function filterQuery() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(document.getElementById("filters"))) if (value) params.set(key, value);
  return params.toString();
}

function colour(type) { return TYPE_COLOURS[type] || "#34495e"; }
function killed(value) { return value === null || value === undefined ? "–" : String(value); }
function place(row) { return [row.location, row.country || row.country_iso2].filter(Boolean).join(", ") || "?"; }

function fillSelect(id, rows, valueOf, labelOf) {
  const select = document.getElementById(id);
  const current = select.value;
  select.replaceChildren(el("option", { value: "", text: "all" }));
  for (const row of rows) select.append(el("option", { value: valueOf(row), text: labelOf(row) }));
  select.value = current;
}

async function loadMeta() {
  const meta = await api("meta");
  document.getElementById("snapshot").textContent =
    `snapshot ${meta.snapshot_id} · published ${meta.published_at} · ${meta.n_incidents} incidents ` +
    `${meta.first_date || ""} – ${meta.last_date || ""}`;
  document.getElementById("snapshot").dataset.snapshotId = meta.snapshot_id;
  fillSelect("f-country", meta.countries, r => r.country_iso2, r => `${r.country} (${r.n_incidents})`);
  fillSelect("f-type", meta.event_types, r => r.event_type, r => `${r.event_type} (${r.n_incidents})`);
  fillSelect("f-actor", meta.actors, r => r.actor_id, r => `${r.actor_name} (${r.n_incidents})`);
  document.getElementById("f-start").min = document.getElementById("f-end").min = meta.first_date || "";
  document.getElementById("f-start").max = document.getElementById("f-end").max = meta.last_date || "";
  snapshotId = meta.snapshot_id;
  return meta;
}

// ---------------------------------------------------------------- map

function ringPath(ring) {
  return "M" + ring.map(([lon, lat]) => `${lon},${-lat}`).join("L") + "Z";
}

async function drawWorld(svg) {
  if (!world) world = await (await fetch("/static/world_110m.geojson")).json();
  const layer = el("svg:g", { class: "countries" });
  for (const feature of world.features) {
    const d = feature.geometry.coordinates.map(polygon => polygon.map(ringPath).join("")).join("");
    layer.append(el("svg:path", { class: "country", d, "fill-rule": "evenodd" }, el("svg:title", { text: feature.properties.name })));
  }
  svg.append(layer);
}

function fitView(svg, points) {
  // The incidents' extent with a margin, at the 2:1 shape of the map (whole world when empty).
  if (!points.length) { svg.setAttribute("viewBox", "-180 -90 360 180"); return 1; }
  const lons = points.map(p => p.longitude), lats = points.map(p => -p.latitude);
  let [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  let width = Math.max(x1 - x0 + 20, 40), height = Math.max(y1 - y0 + 20, 20);
  if (width < 2 * height) width = 2 * height; else height = width / 2;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  svg.setAttribute("viewBox", `${cx - width / 2} ${cy - height / 2} ${width} ${height}`);
  return width / 360;
}

async function drawMap(rows) {
  const svg = document.getElementById("map");
  svg.replaceChildren();
  await drawWorld(svg);
  const located = rows.filter(r => r.latitude !== null && r.longitude !== null);
  const scale = fitView(svg, located);
  const layer = el("svg:g", { class: "points" });
  for (const row of [...located].sort((a, b) => (b.fatalities_best || 0) - (a.fatalities_best || 0))) {
    const r = (1.2 + Math.sqrt(row.fatalities_best || 0) * 0.6) * Math.max(scale, 0.15);
    layer.append(el("svg:circle", {
      class: "point", cx: row.longitude, cy: -row.latitude, r, fill: colour(row.event_type),
      "data-incident-id": row.incident_id, onclick: () => { location.hash = "#/incident/" + row.incident_id; },
    }, el("svg:title", { text: `${row.event_date} ${row.sub_event_type} — ${place(row)}, killed ${killed(row.fatalities_best)}` })));
  }
  svg.append(layer);
  document.getElementById("map-count").textContent = `${located.length} located of ${rows.length}`;
  const legend = document.getElementById("legend");
  legend.replaceChildren(...Object.entries(TYPE_COLOURS).map(([type, c]) => el("span", { style: `--swatch:${c}`, text: type })));
}

// ---------------------------------------------------------------- timeline

// Every day between the first and the last incident (weeks, from Monday, past 120 days), so gaps show.
function timeBuckets(dates) {
  const day = 86400000, first = Date.parse(dates[0]), last = Date.parse(dates[dates.length - 1]);
  const weekly = (last - first) / day > 120;
  const bucketOf = iso => {
    if (!weekly) return iso;
    const t = Date.parse(iso), monday = t - ((new Date(t).getUTCDay() + 6) % 7) * day;
    return new Date(monday).toISOString().slice(0, 10);
  };
  const buckets = [];
  for (let t = Date.parse(bucketOf(dates[0])); t <= last; t += (weekly ? 7 : 1) * day)
    buckets.push(new Date(t).toISOString().slice(0, 10));
  return { buckets, bucketOf, weekly };
}

function drawTimeline(rows) {
  const svg = document.getElementById("timeline");
  svg.replaceChildren();
  if (!rows.length) { svg.append(el("svg:text", { x: 10, y: 20, text: "no incidents match" })); return; }
  const { buckets, bucketOf, weekly } = timeBuckets([...new Set(rows.map(r => r.event_date))].sort());
  const stacks = new Map(buckets.map(b => [b, {}]));
  for (const r of rows) {
    const stack = stacks.get(bucketOf(r.event_date));
    const cell = stack[r.event_type] || (stack[r.event_type] = { n: 0, killed: 0 });
    cell.n += r.n_incidents;
    cell.killed += r.fatalities;
  }
  const max = Math.max(...[...stacks.values()].map(s => Object.values(s).reduce((a, c) => a + c.n, 0)));
  const [left, bottom, top, width] = [30, 160, 10, 860];
  const step = Math.min(width / buckets.length, 60), bar = Math.max(step * 0.8, 1);
  svg.append(el("svg:text", { x: 2, y: top + 8, text: String(max) }), el("svg:text", { x: 2, y: bottom, text: "0" }));
  buckets.forEach((bucket, i) => {
    let y = bottom;
    for (const [type, cell] of Object.entries(stacks.get(bucket)).sort()) {
      const h = (cell.n / max) * (bottom - top);
      y -= h;
      svg.append(el("svg:rect", { x: left + i * step, y, width: bar, height: h, fill: colour(type), class: "bar" },
        el("svg:title", { text: `${weekly ? "week of " : ""}${bucket} ${type}: ${cell.n} incidents, ${cell.killed} killed` })));
    }
    if (buckets.length <= 16 || i % Math.ceil(buckets.length / 16) === 0)
      svg.append(el("svg:text", { x: left + i * step, y: bottom + 14, text: bucket.slice(5) }));
  });
}

// ---------------------------------------------------------------- panels

function drawActors(rows) {
  const list = document.getElementById("actors");
  const max = Math.max(1, ...rows.map(r => r.n_incidents));
  list.replaceChildren(...rows.map(r => el("li", {
    title: r.actor_type, onclick: () => { document.getElementById("f-actor").value = r.actor_id; refresh(); },
  }, `${r.actor_name} — ${r.n_incidents} incidents`, el("span", { class: "bar", style: `width:${(r.n_incidents / max) * 6}em` }))));
  if (!rows.length) list.append(el("li", { text: "no actors in the selection" }));
}

function drawHealth(health) {
  const box = document.getElementById("health");
  const table = el("table", {}, el("thead", {}, el("tr", {},
    ...["Outlet", "Last day", "Fetched", "Failed", "Most common failure"].map(h => el("th", { text: h })))));
  const body = el("tbody");
  for (const s of health.sources) {
    body.append(el("tr", {}, el("td", { text: s.outlet }), el("td", { text: s.last_day || "never" }),
      el("td", { class: "num", text: s.n_fetched ?? "–" }),
      el("td", { class: "num" + (s.n_failed ? " bad" : ""), text: s.n_failed ?? "–" }),
      el("td", { text: s.top_failure || "" })));
  }
  table.append(body);
  box.replaceChildren(
    el("p", {}, `Last crawl: day ${health.last_crawl_day || "never"}, last fetch ${health.last_attempt_at || "–"}. `,
      `Published: ${health.published_at}.`),
    table);
}

function drawTable(rows) {
  const body = document.querySelector("#incidents tbody");
  body.replaceChildren(...rows.map(r => el("tr", {
    class: "incident", "data-incident-id": r.incident_id, onclick: () => { location.hash = "#/incident/" + r.incident_id; },
  }, el("td", { text: r.event_date }), el("td", { text: r.sub_event_type, title: r.event_type }),
     el("td", { text: place(r) }), el("td", { class: "num", text: killed(r.fatalities_best) }),
     el("td", { class: "num", text: r.n_sources }), el("td", { text: r.summary }))));
  document.getElementById("table-count").textContent = `${rows.length}`;
}

async function refresh() {
  const query = filterQuery();
  try {
    const [rows, timeline, actors, health] = await Promise.all(
      [api("incidents?" + query), api("timeline?" + query), api("actors?" + query), api("health")]);
    drawTable(rows);
    drawTimeline(timeline);
    drawActors(actors);
    drawHealth(health);
    await drawMap(rows);
    document.body.dataset.ready = snapshotId;
  } catch (error) {
    showNotice(error.message);
  }
}

// ---------------------------------------------------------------- incident page

async function showIncident(id) {
  const box = document.getElementById("incident");
  box.replaceChildren(el("p", { text: "loading…" }));
  let inc;
  try { inc = await api("incident/" + encodeURIComponent(id)); } catch (error) { box.replaceChildren(el("p", { text: error.message })); return; }
  const facts = el("dl", { class: "facts" });
  const fact = (label, value) => { if (value !== null && value !== undefined && value !== "") facts.append(el("dt", { text: label }), el("dd", { text: value })); };
  fact("Type", `${inc.event_type} / ${inc.sub_event_type}`);
  fact("Date", `${inc.event_date} (${inc.date_precision})`);
  fact("Where", [inc.location, inc.admin1, inc.country].filter(Boolean).join(", "));
  fact("Killed", inc.fatalities_best === null ? "no figure reported" :
    (inc.fatalities_low === inc.fatalities_high ? inc.fatalities_best : `${inc.fatalities_best} (reports: ${inc.fatalities_low}–${inc.fatalities_high})`));
  fact("Injured", inc.injured);
  fact("Weapon", inc.weapon);
  fact("Reported", `${inc.n_articles} articles from ${inc.n_sources} outlets, first by ${inc.first_source_name || inc.first_source_id}`);
  fact("Confidence", inc.confidence);
  const actors = el("ul", { id: "incident-actors" }, ...inc.actors.map(a => el("li", {},
    `${a.role}: `, el("strong", { text: a.actor_name }), ` (${a.actor_type})` + (a.aliases ? ` — also written ${a.aliases}` : ""))));
  const reports = el("table", { id: "incident-reports" }, el("thead", {}, el("tr", {},
    ...["#", "Outlet", "Article", "Published", "Killed as reported", "Evidence"].map(h => el("th", { text: h })))));
  const body = el("tbody");
  for (const r of inc.reports) {
    body.append(el("tr", {}, el("td", { text: r.report_rank }), el("td", { text: r.outlet }),
      el("td", {}, el("a", { href: r.url, target: "_blank", rel: "noopener", text: r.title || r.url })),
      el("td", { text: r.published_at || "" }), el("td", { class: "num", text: killed(r.fatalities) }),
      el("td", { class: "evidence", text: r.evidence_text || "" })));
  }
  reports.append(body);
  box.replaceChildren(el("h2", { text: inc.headline || inc.summary }), el("p", { text: inc.summary }), facts,
    el("h3", { text: "Actors" }), actors, el("h3", { text: `Reports (${inc.reports.length})` }), reports);
  box.dataset.incidentId = inc.incident_id;
}

function route() {
  const match = location.hash.match(/^#\/incident\/(.+)$/);
  document.getElementById("overview").hidden = Boolean(match);
  document.getElementById("incident-page").hidden = !match;
  if (match) showIncident(decodeURIComponent(match[1]));
}

function showNotice(text) {
  const notice = document.getElementById("notice");
  notice.textContent = text;
  notice.hidden = false;
}

// A new snapshot is picked up without a restart: the server opens the newest copy per request.
async function poll() {
  try {
    const meta = await api("meta");
    if (meta.snapshot_id !== snapshotId) {
      await loadMeta();
      showNotice(`new snapshot ${meta.snapshot_id} loaded`);
      await refresh();
      if (!document.getElementById("incident-page").hidden) route();
    }
  } catch (error) { /* the copy is being swapped or not there yet: try again next time */ }
}

async function start() {
  document.getElementById("filters").addEventListener("change", refresh);
  document.getElementById("filters").addEventListener("reset", () => setTimeout(refresh, 0));
  document.getElementById("back").addEventListener("click", event => { event.preventDefault(); location.hash = ""; });
  window.addEventListener("hashchange", route);
  try { await loadMeta(); } catch (error) { showNotice(error.message); }
  await refresh();
  route();
  setInterval(poll, POLL_MS);
}

start();
