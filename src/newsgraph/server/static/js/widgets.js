// Pieces several pages share: the event filter form, the pager, the events table.

import { actorList, docLink, eventLink, fmtConf, fmtDate, fmtNum, h, statusBadge, table, typeBadge } from './dom.js';

export const PLOVER_TYPES = [
  'AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST',
  'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT',
];

const FILTER_FIELDS = [
  { name: 'type', label: 'Type', kind: 'select', options: ['', ...PLOVER_TYPES] },
  { name: 'mode', label: 'Mode', placeholder: 'e.g. explosives' },
  { name: 'actor', label: 'Actor', placeholder: 'id, ISO-3 or name' },
  { name: 'country', label: 'Country', placeholder: 'ISO-3', size: 5 },
  { name: 'since', label: 'From', kind: 'date' },
  { name: 'until', label: 'To', kind: 'date' },
  { name: 'text', label: 'Text', placeholder: 'place, title…' },
];

/** A filter form bound to the hash: submitting it navigates, so links and reloads keep filters. */
export function filterForm(base, params, { fields = null, extra = [] } = {}) {
  const wanted = fields ? FILTER_FIELDS.filter((f) => fields.includes(f.name)) : FILTER_FIELDS;
  const inputs = [...wanted, ...extra].map((f) => {
    const value = params.get(f.name) || '';
    let input;
    if (f.kind === 'select') {
      input = h('select', { name: f.name, id: `f-${f.name}` },
        f.options.map((o) => {
          const [val, label] = Array.isArray(o) ? o : [o, o || 'any'];
          return h('option', { value: val, selected: val === value }, label);
        }));
    } else {
      input = h('input', {
        name: f.name, id: `f-${f.name}`, type: f.kind || 'text', value,
        placeholder: f.placeholder, size: f.size, maxlength: 200,
      });
    }
    return h('label', { class: 'field' }, h('span', null, f.label), input);
  });
  const form = h('form', { class: 'filters', role: 'search' }, inputs,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      h('button', { type: 'reset', class: 'ghost' }, 'Clear')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    const defaults = Object.fromEntries([...wanted, ...extra].map((f) => [f.name, f.default ?? '']));
    for (const [k, v] of new FormData(form).entries()) {
      const value = String(v).trim();
      if (value && value !== defaults[k]) next.set(k, value);
    }
    location.hash = `${base}${next.toString() ? `?${next}` : ''}`;
  });
  form.addEventListener('reset', (e) => {
    e.preventDefault();
    location.hash = base;
  });
  return form;
}

export function filtersFrom(params, names) {
  const out = {};
  for (const n of names) if (params.get(n)) out[n] = params.get(n);
  return out;
}

/** '1–50 of 142' with previous / next links that keep every other parameter. */
export function pager(base, params, data) {
  const { total, limit, offset } = data;
  const link = (off, label, disabled) => {
    const p = new URLSearchParams(params);
    p.set('offset', String(Math.max(0, off)));
    return disabled
      ? h('span', { class: 'button ghost disabled', 'aria-disabled': 'true' }, label)
      : h('a', { class: 'button ghost', href: `${base}?${p}`, rel: label.includes('Next') ? 'next' : 'prev' }, label);
  };
  const first = total ? offset + 1 : 0;
  const last = Math.min(offset + limit, total);
  return h('nav', { class: 'pager', 'aria-label': 'pages' },
    link(offset - limit, '‹ Previous', offset <= 0),
    h('span', { class: 'range' }, `${fmtNum(first)}–${fmtNum(last)} of ${fmtNum(total)}`),
    link(offset + limit, 'Next ›', last >= total));
}

export function eventsTable(rows, { showDoc = true } = {}) {
  const columns = [
    { label: 'Date', render: (r) => h('span', { class: 'nowrap' }, fmtDate(r.date_start)) },
    { label: 'Event', render: (r) => eventLink(r.event_id, typeBadge(r.type, r.mode)) },
    { label: 'Where', render: (r) => [r.location || '—', r.country ? h('span', { class: 'muted' }, ` ${r.country}`) : null] },
    { label: 'Who → whom', render: (r) => (r.sources.length || r.targets.length
      ? h('span', null, actorList(r.sources), h('span', { class: 'arrow' }, ' → '), actorList(r.targets))
      : h('span', { class: 'muted' }, '—')) },
    { label: 'Killed', key: 'killed', class: 'num' },
    { label: 'Injured', key: 'injured', class: 'num' },
    { label: 'Conf.', class: 'num', render: (r) => fmtConf(r.confidence) },
    { label: 'Review', render: (r) => statusBadge(r.review_status) },
  ];
  if (showDoc) columns.push({ label: 'Article', class: 'doc', render: (r) => docLink(r.doc_id, r.doc_title, r.event_id) });
  return table(columns, rows, { empty: 'No events match.' });
}
