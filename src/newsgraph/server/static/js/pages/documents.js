// Documents: the paged article list.

import { get } from '../api.js';
import { append, card, docLink, fmtDate, h, table } from '../dom.js';
import { filtersFrom, pager } from '../widgets.js';

function form(params) {
  const field = (name, label, type = 'text', placeholder = '') =>
    h('label', { class: 'field' }, h('span', null, label),
      h('input', { name, type, value: params.get(name) || '', placeholder, maxlength: 200 }));
  const el = h('form', { class: 'filters', role: 'search' },
    field('text', 'Text', 'text', 'in title or body'),
    field('entity', 'Mentions', 'text', 'entity id'),
    field('since', 'From', 'date'),
    field('until', 'To', 'date'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply')));
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(el).entries()) if (String(v).trim()) next.set(k, String(v).trim());
    location.hash = `#/documents${next.toString() ? `?${next}` : ''}`;
  });
  return el;
}

export async function renderDocuments(page, _parts, params, current) {
  const filters = filtersFrom(params, ['text', 'entity', 'since', 'until']);
  const data = await get('/api/documents', { ...filters, limit: 50, offset: Number(params.get('offset') || 0) });
  if (!current()) return;
  append(page, 
    h('h1', null, 'Documents'),
    form(params),
    card(null,
      pager('#/documents', params, data),
      table([
        { label: 'Published', render: (r) => h('span', { class: 'nowrap' }, fmtDate(r.published)) },
        { label: 'Title', class: 'doc', render: (r) => docLink(r.doc_id, r.title || '(untitled)') },
        { label: 'Authors', render: (r) => (r.authors || []).join(', ') || '—' },
        { label: 'Entities', key: 'entities', class: 'num' },
        { label: 'Events', key: 'events', class: 'num' },
        { label: 'Source', class: 'source', render: (r) => String(r.source || '').split('/').pop() },
      ], data.items, { empty: 'No documents match.' }),
      pager('#/documents', params, data)),
  );
}
