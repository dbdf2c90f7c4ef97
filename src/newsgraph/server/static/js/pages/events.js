// Events table: server-side filters, sorting and paging; CSV of the same filter.

import { download, get } from '../api.js';
import { append, card, h, message } from '../dom.js';
import { eventsTable, filterForm, filtersFrom, pager } from '../widgets.js';

const NAMES = ['type', 'mode', 'actor', 'country', 'since', 'until', 'text', 'status', 'sort'];
const SORTS = [
  ['-date', 'newest first'], ['date', 'oldest first'], ['-casualties', 'most casualties'],
  ['-killed', 'most killed'], ['-injured', 'most injured'], ['confidence', 'least confident'],
  ['-confidence', 'most confident'], ['type', 'type'], ['country', 'country'],
];
const STATUSES = [['', 'any'], ['extracted', 'not reviewed'], ['confirm', 'confirmed'], ['restore', 'restored']];

export async function renderEvents(page, _parts, params, current) {
  const filters = filtersFrom(params, NAMES);
  const offset = Number(params.get('offset') || 0);
  const data = await get('/api/events', { ...filters, limit: 50, offset });
  if (!current()) return;
  const csv = h('button', { type: 'button', class: 'ghost', id: 'csv-download' }, 'Download CSV');
  const status = h('span', { class: 'muted', role: 'status' });
  csv.addEventListener('click', async () => {
    status.textContent = 'Preparing…';
    try {
      const { sort: _sort, ...rest } = filters;
      await download('/api/export/csv', rest, 'newsgraph-events.csv');
      status.textContent = '';
    } catch (err) {
      status.textContent = `Download failed: ${err.message}`;
    }
  });
  append(page, 
    h('h1', null, 'Events'),
    filterForm('#/events', params, {
      extra: [
        { name: 'status', label: 'Review', kind: 'select', options: STATUSES },
        { name: 'sort', label: 'Sort', kind: 'select', options: SORTS, default: '-date' },
      ],
    }),
    card(null,
      h('div', { class: 'toolbar' }, pager('#/events', params, data), h('span', { class: 'spacer' }), status, csv),
      data.items.length ? eventsTable(data.items) : message('No events match these filters.'),
      pager('#/events', params, data)),
  );
}
