// redline dashboard: charts and the map, drawn from the JSON API. Every element
// with data-chart or id="map" is drawn when it appears (page load or htmx swap).
"use strict";

const QUADS = [
  ["quad1", "verbal cooperation", "#2e7d32"],
  ["quad2", "material cooperation", "#1565c0"],
  ["quad3", "verbal conflict", "#ef8f00"],
  ["quad4", "material conflict", "#b3261e"],
];
const CATEGORY_COLOURS = {
  AGREE: "#66bb6a", CONSULT: "#43a047", SUPPORT: "#2e7d32", CONCEDE: "#1b5e20",
  COOPERATE: "#42a5f5", AID: "#1e88e5", RETREAT: "#1565c0",
  REQUEST: "#ffcc80", ACCUSE: "#ffb74d", REJECT: "#ffa726", THREATEN: "#fb8c00", PROTEST: "#ef6c00",
  SANCTION: "#e57373", MOBILIZE: "#e53935", COERCE: "#c62828", ASSAULT: "#7f0000",
};

async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function nextPeriod(day, by) {
  const next = new Date(`${day}T00:00:00Z`);
  if (by === "month") next.setUTCMonth(next.getUTCMonth() + 1);
  else next.setUTCDate(next.getUTCDate() + (by === "week" ? 7 : 1));
  return next.toISOString().slice(0, 10);
}

// every period from the first row's to the last's, quiet ones as zeros: a time
// axis that does not jump over weeks without events
function everyPeriod(rows, by) {
  if (!rows.length) return [];
  const known = new Map(rows.map((row) => [String(row.period), row]));
  const filled = [];
  for (let day = String(rows[0].period); day <= String(rows[rows.length - 1].period); day = nextPeriod(day, by)) {
    filled.push(known.get(day) ?? { period: day });
    if (filled.length > 5000) break;
  }
  return filled;
}

function stackedBars(canvas, labels, datasets, title) {
  return new Chart(canvas, {
    type: "bar",
    data: { labels, datasets },
    options: {
      animation: false, maintainAspectRatio: false,
      plugins: { title: { display: Boolean(title), text: title }, legend: { position: "bottom" } },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: "events" } } },
    },
  });
}

const charts = {
  async quads(canvas) {
    const data = await getJSON(canvas.dataset.source);
    const rows = everyPeriod(data.items, data.by);
    const labels = rows.map((row) => row.period);
    const sets = QUADS.map(([key, label, colour]) => ({ label, backgroundColor: colour, data: rows.map((row) => row[key] ?? 0) }));
    return stackedBars(canvas, labels, sets, `events a ${data.by}`);
  },

  async categories(canvas) {
    const data = await getJSON(canvas.dataset.source);
    const rows = everyPeriod(data.items, new URL(canvas.dataset.source, location.href).searchParams.get("by") ?? "week");
    const labels = rows.map((row) => row.period);
    const sets = Object.entries(CATEGORY_COLOURS)
      .filter(([name]) => data.items.some((row) => row[name] > 0))
      .map(([name, colour]) => ({ label: name, backgroundColor: colour, data: rows.map((row) => row[name] ?? 0) }));
    return stackedBars(canvas, labels, sets, "events a week by PLOVER category (threatened acts as THREATEN only)");
  },

  async escalation(canvas) {
    const data = await getJSON(canvas.dataset.source);
    const labels = data.points.map((p) => p.day);
    const alertDays = new Set(data.alerts.map((a) => a.window_end));
    return new Chart(canvas, {
      type: "line",
      data: {
        labels,
        datasets: [
          { label: `escalation index (${data.window}-day mean)`, data: data.points.map((p) => p.index), borderColor: "#b3261e",
            backgroundColor: "#b3261e", pointRadius: labels.map((d) => (alertDays.has(d) ? 6 : 0)), borderWidth: 2 },
          { label: "alert threshold", data: data.points.map((p) => p.threshold), borderColor: "#5f6b73",
            borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5, spanGaps: true },
        ],
      },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { legend: { position: "bottom" },
          title: { display: true, text: `${data.actor} → ${data.recipient}: index against threshold (dots: alerts)` } },
        scales: { y: { beginAtZero: true } },
      },
    });
  },
};

async function drawMap(element) {
  const map = L.map(element, { worldCopyJump: true, zoomSnap: 0.5 }).setView([45, 20], 2.5);
  const [world, places] = await Promise.all([getJSON(element.dataset.world), getJSON(element.dataset.places)]);
  L.geoJSON(world, { style: { color: "#8a9aa6", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 } }).addTo(map);
  const biggest = Math.max(1, ...places.features.map((f) => f.properties.events));
  for (const feature of places.features) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const [, label, colour] = QUADS.reduce((best, quad) => (p[quad[0]] > p[best[0]] ? quad : best), QUADS[0]);
    const marker = L.circleMarker([lat, lon], {
      radius: 4 + 18 * Math.sqrt(p.events / biggest), color: colour, weight: 1, fillColor: colour, fillOpacity: 0.55,
    }).addTo(map);
    const popup = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = `${p.name ?? "?"} (${p.country ?? "?"})`;
    const body = document.createElement("div");
    body.textContent = `${p.events} events; mostly ${label}`;
    const link = document.createElement("a");
    link.href = `/events?place=${encodeURIComponent(p.name ?? "")}`;
    link.textContent = "events here";
    popup.append(title, body, link);
    marker.bindPopup(popup);
  }
}

function drawSwagger(element) {
  SwaggerUIBundle({ url: element.dataset.openapi, domNode: element });
}

function draw(root) {
  for (const canvas of root.querySelectorAll("canvas[data-chart]")) {
    const kind = charts[canvas.dataset.chart];
    if (kind && !canvas.dataset.drawn) {
      canvas.dataset.drawn = "yes";
      kind(canvas).catch((error) => { canvas.replaceWith(Object.assign(document.createElement("p"), { className: "error", textContent: `chart failed: ${error.message}` })); });
    }
  }
  const map = root.querySelector("#map");
  if (map && !map.dataset.drawn && typeof L !== "undefined") {
    map.dataset.drawn = "yes";
    drawMap(map).catch((error) => map.append(Object.assign(document.createElement("p"), { className: "error", textContent: `map failed: ${error.message}` })));
  }
  const swagger = root.querySelector("#swagger-ui");
  if (swagger && !swagger.dataset.drawn && typeof SwaggerUIBundle !== "undefined") {
    swagger.dataset.drawn = "yes";
    drawSwagger(swagger);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  draw(document);
  if (typeof htmx !== "undefined") htmx.onLoad((element) => draw(element));
});
