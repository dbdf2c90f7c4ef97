#!/usr/bin/env bash
# Vendor the web UI's front-end libraries into the package, so the UI works offline.
#
# Pinned npm packages are installed into a temporary directory and only their built
# files and licence texts are copied into src/newsgraph/server/static/vendor/.
# Re-run after changing a pin; commit the result. Needs node + npm at build time only.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/newsgraph/server/static/vendor"
PACKAGES=(
  "cytoscape@3.34.4"
  "leaflet@1.9.4"
  "topojson-client@3.1.0"
  "world-atlas@2.0.2"
)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact "${PACKAGES[@]}" >/dev/null
NM="$WORK/node_modules"

rm -rf "$DEST"
mkdir -p "$DEST"/{cytoscape,leaflet/images,topojson-client,world-atlas}

cp "$NM/cytoscape/dist/cytoscape.min.js" "$DEST/cytoscape/"
cp "$NM/cytoscape/LICENSE" "$DEST/cytoscape/LICENSE"

cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$DEST/leaflet/"
cp "$NM/leaflet/dist/images/"*.png "$DEST/leaflet/images/"
cp "$NM/leaflet/LICENSE" "$DEST/leaflet/LICENSE"

cp "$NM/topojson-client/dist/topojson-client.min.js" "$DEST/topojson-client/"
cp "$NM/topojson-client/LICENSE" "$DEST/topojson-client/LICENSE"

# Natural Earth 1:110m country boundaries as TopoJSON (public domain data, ISC package).
cp "$NM/world-atlas/countries-110m.json" "$DEST/world-atlas/"
cp "$NM/world-atlas/LICENSE" "$DEST/world-atlas/LICENSE"

{
  echo "Vendored by scripts/vendor_ui_assets.sh on $(date -u +%Y-%m-%d); do not edit by hand."
  for pkg in "${PACKAGES[@]}"; do
    name="${pkg%@*}"
    echo "$name $(node -p "require('$NM/$name/package.json').version") $(node -p "require('$NM/$name/package.json').license")"
  done
} >"$DEST/VERSIONS.txt"

du -sh "$DEST"
