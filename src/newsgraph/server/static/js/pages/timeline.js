// Timeline: events per period stacked by type, killed as a line; an SVG drawn with DOM calls.

import { get } from '../api.js';
import { append, card, fmtNum, h, message, svg, table } from '../dom.js';
import { filterForm, filtersFrom } from '../widgets.js';

const TOP_TYPES = 6;

function chart(rows) {
  const dated = rows.filter((r) => r.period !== 'undated');
  const totals = {};
  for (const r of dated) for (const [t, n] of Object.entries(r.by_type)) totals[t] = (totals[t] || 0) + n;
  const types = Object.entries(totals).sort((a, b) => b[1] - a[1]).map(([t]) => t);
  const shown = types.slice(0, TOP_TYPES);
  const W = 960; const H = 320; const pad = { l: 44, r: 16, t: 22, b: 56 };
  const maxEvents = Math.max(1, ...dated.map((r) => r.events));
  const maxKilled = Math.max(1, ...dated.map((r) => r.killed));
  const band = (W - pad.l - pad.r) / Math.max(1, dated.length);
  const y = (v) => H - pad.b - ((H - pad.t - pad.b) * v) / maxEvents;
  const yk = (v) => H - pad.b - ((H - pad.t - pad.b) * v) / maxKilled;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': 'events per period' });
  for (let i = 0; i <= 4; i += 1) {
    const v = Math.round((maxEvents * i) / 4);
    root.append(svg('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: 'gridline' }),
      svg('text', { x: pad.l - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, String(v)));
  }
  root.append(svg('text', { x: W - 4, y: pad.t + 10, class: 'axis killed-axis', 'text-anchor': 'end' }, `max ${fmtNum(maxKilled)} killed`));
  const every = Math.ceil(dated.length / 24);
  dated.forEach((r, i) => {
    const x = pad.l + i * band;
    let base = 0;
    const stack = [...shown.map((t) => [t, r.by_type[t] || 0]),
      ['other', Object.entries(r.by_type).filter(([t]) => !shown.includes(t)).reduce((s, [, n]) => s + n, 0)]];
    for (const [t, n] of stack) {
      if (!n) continue;
      root.append(svg('rect', {
        x: x + band * 0.1, width: Math.max(1, band * 0.8), y: y(base + n), height: y(base) - y(base + n),
        class: `seg-bar type-${t}${r.coarse ? ' coarse' : ''}`,
      }, svg('title', null, `${r.period}: ${n} ${t}`)));
      base += n;
    }
    root.append(svg('rect', { x, width: band, y: pad.t, height: H - pad.t - pad.b, class: 'hover-band' },
      svg('title', null, `${r.period}${r.coarse ? ' (only known to this precision)' : ''}: ${r.events} events, ${r.killed} killed, ${r.injured} injured`)));
    if (i % every === 0) {
      root.append(svg('text', { x: x + band / 2, y: H - pad.b + 14, class: 'axis', 'text-anchor': 'end', transform: `rotate(-40 ${x + band / 2} ${H - pad.b + 14})` }, r.period));
    }
  });
  const points = dated.map((r, i) => `${pad.l + i * band + band / 2},${yk(r.killed)}`).join(' ');
  if (dated.length > 1) root.append(svg('polyline', { points, class: 'killed-line' }));
  const legend = h('ul', { class: 'legend' }, [...shown, ...(types.length > TOP_TYPES ? ['other'] : [])].map((t) =>
    h('li', null, h('span', { class: `swatch type-${t}` }), t)), h('li', null, h('span', { class: 'swatch killed' }), 'killed'));
  return h('figure', { class: 'chart-wrap' }, root, legend);
}

export async function renderTimeline(page, _parts, params, current) {
  const filters = filtersFrom(params, ['type', 'mode', 'actor', 'country', 'since', 'until', 'text', 'interval']);
  const data = await get('/api/timeline', { interval: 'month', ...filters });
  if (!current()) return;
  const rows = data.items;
  append(page, 
    h('h1', null, 'Timeline'),
    filterForm('#/timeline', params, {
      fields: ['type', 'actor', 'country', 'since', 'until'],
      extra: [{ name: 'interval', label: 'Per', kind: 'select', options: [['month', 'month'], ['year', 'year'], ['day', 'day']], default: 'month' }],
    }),
    card(null, rows.length ? chart(rows) : message('No dated events match.'),
      h('p', { class: 'muted small' }, 'Faded bars are events whose date is only known to a coarser period (a year, a decade); they are never spread over months.')),
    card('Per period', table([
      { label: 'Period', key: 'period' },
      { label: 'Precision', key: 'precision' },
      { label: 'Events', key: 'events', class: 'num' },
      { label: 'Killed', key: 'killed', class: 'num' },
      { label: 'Injured', key: 'injured', class: 'num' },
      { label: 'Types', render: (r) => Object.entries(r.by_type).map(([t, n]) => `${t} ${n}`).join(', ') },
    ], rows)),
  );
}
