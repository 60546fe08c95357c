// Copy the dashboard's front-end libraries into the Python package and turn the
// world boundaries (TopoJSON) into the GeoJSON the map draws. Runs after `npm ci`.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const target = join(here, "..", "src", "redline", "serve", "static", "vendor");

const files = {
  "htmx.min.js": "htmx.org/dist/htmx.min.js",
  "chart.umd.js": "chart.js/dist/chart.umd.js",
  "leaflet.js": "leaflet/dist/leaflet.js",
  "leaflet.css": "leaflet/dist/leaflet.css",
  "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
  "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
};

mkdirSync(target, { recursive: true });
for (const [name, source] of Object.entries(files)) {
  copyFileSync(join(modules, source), join(target, name));
}
const topology = JSON.parse(readFileSync(join(modules, "world-atlas/countries-110m.json")));
const world = feature(topology, topology.objects.countries);
writeFileSync(join(target, "world.geojson"), JSON.stringify(world));
console.log(`vendored ${Object.keys(files).length + 1} files into ${target}`);
