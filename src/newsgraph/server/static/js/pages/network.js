// Actor network (cytoscape): actors linked by the events between them. Click an actor to open it.

import { get } from '../api.js';
import { actorLink, append, card, fmtNum, h, message, table } from '../dom.js';
import { loadScript } from '../vendor.js';
import { filterForm, filtersFrom } from '../widgets.js';

const CY_STYLE_ID = '__________cytoscape_stylesheet';
const PALETTE = ['#2e86ab', '#e4572e', '#76b041', '#f2a541', '#8e6c8a', '#17bebb', '#c05746', '#4f5d75', '#b5838d', '#6d9f71'];

function elements(graph) {
  const maxW = Math.max(1, ...graph.nodes.map((n) => n.weighted_degree));
  const maxC = Math.max(1, ...graph.edges.map((e) => e.count));
  const nodes = graph.nodes.map((n) => ({
    data: {
      id: n.id, label: n.name || n.id, size: 18 + 42 * Math.sqrt(n.weighted_degree / maxW),
      color: PALETTE[n.community % PALETTE.length], kind: n.kind || '',
    },
  }));
  const edges = graph.edges.map((e, i) => ({
    data: {
      id: `e${i}`, source: e.source, target: e.target, width: 1 + 7 * (e.count / maxC),
      color: e.hostile > e.friendly ? '#d1495b' : e.friendly > e.hostile ? '#66a182' : '#9aa5b1',
    },
  }));
  return [...nodes, ...edges];
}

export async function renderNetwork(page, _parts, params, current) {
  const filters = filtersFrom(params, ['type', 'mode', 'actor', 'country', 'since', 'until', 'nodes']);
  const [graph] = await Promise.all([get('/api/graph', filters), loadScript('/static/vendor/cytoscape/cytoscape.min.js')]);
  if (!current()) return;
  const box = h('div', { class: 'network', id: 'network' });
  append(page, 
    h('h1', null, 'Actor network'),
    filterForm('#/network', params, { fields: ['type', 'country', 'since', 'until'] }),
    card(null,
      h('p', { class: 'muted small' },
        `${fmtNum(graph.nodes.length)} of ${fmtNum(graph.total_nodes)} actors, ${fmtNum(graph.edges.length)} ties. `,
        'Size: how connected; colour: community; red ties mostly hostile, green mostly cooperative. Click an actor to open its page.'),
      graph.nodes.length ? box : message('No actor pairs in the selected events.')),
  );
  if (graph.nodes.length) {
    // cytoscape injects an inline <style> (blocked by the CSP) unless this element exists;
    // app.css already gives the container the position it needs.
    if (!document.getElementById(CY_STYLE_ID)) document.head.append(h('meta', { id: CY_STYLE_ID, name: 'cytoscape-style', content: 'app.css' }));
    const cy = window.cytoscape({
      container: box,
      elements: elements(graph),
      style: [
        { selector: 'node', style: { label: 'data(label)', width: 'data(size)', height: 'data(size)', 'background-color': 'data(color)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, color: '#1f2a44', 'text-outline-color': '#fff', 'text-outline-width': 2 } },
        { selector: 'edge', style: { width: 'data(width)', 'line-color': 'data(color)', opacity: 0.7, 'curve-style': 'haystack' } },
        { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#1f2a44' } },
      ],
      layout: { name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 80, padding: 20 },
      minZoom: 0.2,
      maxZoom: 1.6,
    });
    cy.on('tap', 'node', (e) => { location.hash = `#/actor/${encodeURIComponent(e.target.id())}`; });
    cy.on('mouseover', 'node', () => box.classList.add('pointing'));
    cy.on('mouseout', 'node', () => box.classList.remove('pointing'));
    box.newsgraphCy = cy; // lets tests find where a node is drawn
  }
  append(page, card('Most connected actors', table([
    { label: 'Actor', render: (n) => actorLink(n.id, n.name) },
    { label: 'Kind', render: (n) => n.kind || '—' },
    { label: 'Events', key: 'events', class: 'num' },
    { label: 'Ties', key: 'degree', class: 'num' },
    { label: 'Betweenness', key: 'betweenness', class: 'num' },
    { label: 'Community', key: 'community', class: 'num' },
  ], graph.nodes.slice(0, 25))));
}
