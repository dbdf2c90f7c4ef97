// Actors: the list, and one actor's page (events, quotes, relations over time, merge).

import { get, write } from '../api.js';
import { actorLink, append, card, docLink, fmtDate, fmtNum, h, message, svg, table } from '../dom.js';
import { eventsTable, filtersFrom, pager } from '../widgets.js';

function listForm(params) {
  const field = (name, label, placeholder) => h('label', { class: 'field' }, h('span', null, label),
    h('input', { name, value: params.get(name) || '', placeholder, maxlength: 200 }));
  const form = h('form', { class: 'filters', role: 'search' },
    field('q', 'Name', 'contains…'),
    h('label', { class: 'field' }, h('span', null, 'Type'), h('select', { name: 'type' },
      ['', 'PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'FAC', 'GENERIC'].map((t) => h('option', { value: t, selected: params.get('type') === t }, t || 'any')))),
    field('kind', 'Kind', 'state, armed_group…'),
    field('country', 'Country', 'ISO-3'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries()) if (String(v).trim()) next.set(k, String(v).trim());
    location.hash = `#/actors${next.toString() ? `?${next}` : ''}`;
  });
  return form;
}

export async function renderActors(page, _parts, params, current) {
  const filters = filtersFrom(params, ['q', 'type', 'kind', 'country', 'sort']);
  const data = await get('/api/actors', { ...filters, limit: 50, offset: Number(params.get('offset') || 0) });
  if (!current()) return;
  append(page, h('h1', null, 'Actors'), listForm(params), card(null,
    pager('#/actors', params, data),
    table([
      { label: 'Name', render: (a) => actorLink(a.entity_id, a.name) },
      { label: 'Id', render: (a) => h('span', { class: 'mono' }, a.entity_id) },
      { label: 'Type', key: 'type' },
      { label: 'Kind', render: (a) => a.kind || '—' },
      { label: 'Country', render: (a) => a.country || '—' },
      { label: 'Mentions', key: 'mentions', class: 'num' },
      { label: 'Documents', key: 'documents', class: 'num' },
      { label: 'Events', key: 'events', class: 'num' },
    ], data.items, { empty: 'No actors match.' }),
    pager('#/actors', params, data)));
}

function miniTimeline(rows) {
  const dated = rows.filter((r) => r.period);
  if (!dated.length) return message('No dated events.');
  const W = 600; const H = 90; const max = Math.max(1, ...dated.map((r) => r.events));
  const band = W / dated.length;
  return svg('svg', { viewBox: `0 0 ${W} ${H + 16}`, class: 'mini-chart', role: 'img', 'aria-label': 'events over time' },
    dated.map((r, i) => svg('rect', { x: i * band + 1, width: Math.max(1, band - 2), y: H - (H * r.events) / max, height: (H * r.events) / max, class: 'seg-bar type-ASSAULT' },
      svg('title', null, `${fmtDate(r.period)}: ${r.events} events`))),
    svg('text', { x: 0, y: H + 14, class: 'axis' }, fmtDate(dated[0].period).slice(0, 7)),
    svg('text', { x: W, y: H + 14, class: 'axis', 'text-anchor': 'end' }, fmtDate(dated[dated.length - 1].period).slice(0, 7)));
}

/** Counterparts as rows, periods as columns; each cell coloured by conflict vs cooperation. */
function relationsMatrix(rel) {
  if (!rel.length) return message('No events with other actors.');
  const periods = [...new Set(rel.map((r) => (r.period ? fmtDate(r.period).slice(0, 4) : 'undated')))].sort();
  const rows = new Map();
  for (const r of rel) {
    const key = `${r.id}|${r.role}`;
    const row = rows.get(key) || { id: r.id, name: r.name, role: r.role, cells: {}, total: 0 };
    const p = r.period ? fmtDate(r.period).slice(0, 4) : 'undated';
    const c = row.cells[p] || { events: 0, conflict: 0, cooperation: 0 };
    c.events += r.events; c.conflict += r.conflict; c.cooperation += r.cooperation;
    row.cells[p] = c; row.total += r.events;
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort((a, b) => b.total - a.total);
  return h('div', { class: 'scroll' }, h('table', { class: 'grid matrix' },
    h('thead', null, h('tr', null, h('th', null, 'Counterpart'), h('th', null, 'This actor is'), periods.map((p) => h('th', { class: 'num' }, p)))),
    h('tbody', null, sorted.map((r) => h('tr', null,
      h('td', null, actorLink(r.id, r.name)),
      h('td', null, r.role === 'source' ? 'acting on them' : 'acted on by them'),
      periods.map((p) => {
        const c = r.cells[p];
        if (!c) return h('td', { class: 'num muted' }, '·');
        const cls = c.conflict > c.cooperation ? 'cell-conflict' : c.cooperation > c.conflict ? 'cell-coop' : 'cell-neutral';
        return h('td', { class: `num ${cls}`, title: `${c.events} events: ${c.conflict} conflict, ${c.cooperation} cooperation` }, String(c.events));
      }))))));
}

function mergeForm(actor) {
  const into = h('input', { name: 'into', list: 'actor-options', placeholder: 'id of the actor to merge into', maxlength: 200, id: 'merge-into' });
  const options = h('datalist', { id: 'actor-options' });
  const status = h('span', { class: 'muted', role: 'status' });
  into.addEventListener('input', async () => {
    if (into.value.trim().length < 2) return;
    const found = await get('/api/actors', { q: into.value.trim(), limit: 10 }).catch(() => ({ items: [] }));
    options.replaceChildren(...found.items.filter((a) => a.entity_id !== actor.entity_id)
      .map((a) => h('option', { value: a.entity_id }, `${a.name} (${a.type})`)));
  });
  const form = h('form', { class: 'inline-form', id: 'merge-form' }, into, options,
    h('button', { type: 'submit', class: 'ghost' }, 'Merge into'), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const res = await write('POST', `/api/entities/${encodeURIComponent(actor.entity_id)}/merge`, { into: into.value.trim() });
      location.hash = `#/actor/${encodeURIComponent(res.into)}`;
    } catch (err) {
      status.textContent = err.message;
    }
  });
  return form;
}

export async function renderActor(page, parts, params, current) {
  const id = parts.join('/');
  const offset = Number(params.get('offset') || 0);
  const a = await get(`/api/actors/${encodeURIComponent(id)}`, { limit: 25, offset, interval: 'year' });
  if (!current()) return;
  const c = a.counts;
  let unmerge = null;
  if (a.merged_into) {
    unmerge = h('button', { type: 'button', class: 'ghost' }, 'Undo merge');
    unmerge.addEventListener('click', async () => {
      await write('POST', `/api/entities/${encodeURIComponent(a.entity_id)}/unmerge`, {});
      location.reload();
    });
  }
  append(page, 
    h('p', { class: 'crumbs' }, h('a', { href: '#/actors' }, 'Actors'), ' ›'),
    h('h1', { class: 'actor-name' }, a.name),
    h('p', { class: 'meta' }, h('span', { class: 'mono' }, a.entity_id), ` · ${a.type || '?'}`, a.kind ? ` · ${a.kind}` : '',
      a.country ? ` · ${a.country}` : '', a.role ? ` · ${a.role}` : '', a.affiliation ? ` · ${a.affiliation}` : '',
      a.wikidata ? h('span', null, ' · ', h('a', { href: `https://www.wikidata.org/wiki/${encodeURIComponent(a.wikidata)}`, rel: 'noopener noreferrer', target: '_blank' }, a.wikidata)) : null),
    a.merged_into ? h('p', { class: 'message info' }, 'Merged by an analyst into ', actorLink(a.merged_into), '. ', unmerge) : null,
    h('div', { class: 'stats' },
      ...[['mentions', c.mentions], ['documents', c.documents], ['events as actor', c.as_source], ['events as target', c.as_target], ['quotes', c.quotes]]
        .map(([label, v]) => h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, fmtNum(v)), h('span', { class: 'stat-label' }, label)))),
    h('div', { class: 'columns' },
      card('Events per year', miniTimeline(a.timeline)),
      card('Also written as', h('ul', { class: 'chips' }, a.aliases.map((x) => h('li', null, x.text, h('span', { class: 'muted' }, ` ×${x.mentions}`)))),
        a.merged_from.length ? h('p', null, 'Merged from: ', a.merged_from.map((m, i) => [i ? ', ' : '', actorLink(m.entity_id, m.name)])) : null)),
    card('Relations over time', relationsMatrix(a.relations)),
    card(`Events (${fmtNum(a.events.total)})`, pager(`#/actor/${encodeURIComponent(a.entity_id)}`, params, a.events), eventsTable(a.events.items)),
    card(`Quotes (${fmtNum(c.quotes)})`, a.quotes.length
      ? h('ul', { class: 'quote-list' }, a.quotes.map((q) => h('li', null, h('q', null, q.text), ' ', h('span', { class: 'muted' }, fmtDate(q.published)), ' ', docLink(q.doc_id, q.doc_title))))
      : message('No quotes by this actor.')),
    card('Documents', table([
      { label: 'Published', render: (d) => fmtDate(d.published) },
      { label: 'Title', render: (d) => docLink(d.doc_id, d.title) },
      { label: 'Mentions', key: 'mentions', class: 'num' },
    ], a.documents)),
    card('Review: same actor as another?', h('p', { class: 'muted small' }, 'Merging records who and when; every view then counts both as one. It can be undone.'), mergeForm(a)),
  );
}
