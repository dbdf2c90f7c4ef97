// Map: offline country boundaries (Natural Earth via world-atlas), shaded by events,
// with events grouped by place as circles sized by casualties. No tile server.

import { get } from '../api.js';
import { append, card, eventLink, fmtDate, fmtNum, h, message, table } from '../dom.js';
import { loadScript, loadStyle } from '../vendor.js';
import { filterForm, filtersFrom } from '../widgets.js';

const V = '/static/vendor';
let boundaries = null;

async function world() {
  if (!boundaries) {
    await loadScript(`${V}/topojson-client/topojson-client.min.js`);
    const res = await fetch(`${V}/world-atlas/countries-110m.json`);
    const topo = await res.json();
    const all = window.topojson.feature(topo, topo.objects.countries);
    // Antarctica is no use here and wraps the whole map; rings crossing the antimeridian
    // (Russia, Fiji) are unwrapped so they do not streak across the world.
    all.features = all.features.filter((f) => String(f.id) !== '010').map(unwrap);
    boundaries = all;
  }
  return boundaries;
}

function unwrapRing(ring) {
  let shift = 0;
  return ring.map(([lon, lat], i) => {
    if (i > 0) {
      const prev = ring[i - 1][0];
      if (lon - prev > 180) shift -= 360;
      else if (prev - lon > 180) shift += 360;
    }
    return [lon + shift, lat];
  });
}

function unwrap(feature) {
  const g = feature.geometry;
  if (!g) return feature;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  const fixed = polys.map((rings) => rings.map(unwrapRing));
  const geometry = g.type === 'Polygon' ? { type: 'Polygon', coordinates: fixed[0] } : { type: 'MultiPolygon', coordinates: fixed };
  return { ...feature, geometry };
}

function shade(n, max) {
  if (!n) return '#eef1f5';
  const t = Math.log1p(n) / Math.log1p(max);
  const light = 92 - Math.round(t * 45);
  return `hsl(12, 70%, ${light}%)`;
}

function popup(p) {
  return h('div', { class: 'map-popup' },
    h('strong', null, p.location || `${p.lat}, ${p.lon}`), p.country ? ` (${p.country})` : '',
    h('div', null, `${fmtNum(p.events)} events · ${fmtNum(p.killed)} killed · ${fmtNum(p.injured)} injured`),
    h('div', null, `latest ${fmtDate(p.last_date)} `, p.last_event ? eventLink(p.last_event, 'open ›') : null),
    h('div', null, h('a', { href: `#/events?text=${encodeURIComponent(p.location || '')}` }, 'events here ›')));
}

export async function renderMap(page, _parts, params, current) {
  const filters = filtersFrom(params, ['type', 'mode', 'actor', 'country', 'since', 'until', 'text']);
  loadStyle(`${V}/leaflet/leaflet.css`);
  const [data, geo] = await Promise.all([get('/api/map', filters), world(), loadScript(`${V}/leaflet/leaflet.js`)]);
  if (!current()) return;
  const box = h('div', { class: 'map', id: 'map' });
  append(page, h('h1', null, 'Map'), filterForm('#/map', params, { fields: ['type', 'actor', 'country', 'since', 'until'] }),
    card(null, box, h('p', { class: 'muted small' }, 'Circles: events at one place, area by killed + injured. Countries shaded by events located in them.')));
  const L = window.L;
  const map = L.map(box, { worldCopyJump: true, attributionControl: true, minZoom: 1, maxZoom: 10 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Boundaries: Natural Earth');
  const byNumeric = new Map(data.countries.filter((c) => c.numeric).map((c) => [String(c.numeric), c]));
  const max = Math.max(1, ...data.countries.map((c) => c.events));
  L.geoJSON(geo, {
    style: (f) => ({ color: '#9aa5b1', weight: 0.6, fillColor: shade(byNumeric.get(String(f.id))?.events || 0, max), fillOpacity: 1 }),
    onEachFeature: (f, layer) => {
      const c = byNumeric.get(String(f.id));
      const label = h('span', null, f.properties?.name || '', c ? ` · ${fmtNum(c.events)} events` : '');
      layer.bindTooltip(label, { sticky: true });
    },
  }).addTo(map);
  const markers = L.featureGroup();
  for (const p of data.points) {
    const radius = Math.min(30, 4 + Math.sqrt((p.killed || 0) + (p.injured || 0)) * 2);
    L.circleMarker([p.lat, p.lon], {
      radius, color: '#7a1f0c', weight: 1, fillColor: (p.killed || p.injured) ? '#e4572e' : '#2e86ab', fillOpacity: 0.65,
    }).bindPopup(popup(p)).addTo(markers);
  }
  markers.addTo(map);
  if (data.points.length) map.fitBounds(markers.getBounds().pad(0.4), { maxZoom: 6 });
  else map.setView([40, 45], 3);
  append(page, card(`Places (${data.points.length})`, data.points.length ? table([
    { label: 'Place', render: (p) => p.location || `${p.lat}, ${p.lon}` },
    { label: 'Country', key: 'country' },
    { label: 'Events', key: 'events', class: 'num' },
    { label: 'Killed', key: 'killed', class: 'num' },
    { label: 'Injured', key: 'injured', class: 'num' },
    { label: 'Latest', render: (p) => fmtDate(p.last_date) },
  ], data.points.slice(0, 50)) : message('No located events match.')));
}
