// Search results: documents, events and actors matching the query.

import { get } from '../api.js';
import { actorLink, append, card, docLink, eventLink, fmtDate, h, message } from '../dom.js';
import { pager } from '../widgets.js';

function hitLink(hit) {
  const kind = hit.kind || hit.type || 'document';
  const id = hit.id || hit.doc_id || hit.event_id || hit.entity_id;
  const label = hit.label || hit.title || hit.name || id;
  if (kind === 'actor' || kind === 'entity') return actorLink(id, label);
  if (kind === 'event') return eventLink(id, label);
  return docLink(hit.doc_id || id, label || '(untitled)');
}

export async function renderSearch(page, _parts, params, current) {
  const q = params.get('q') || '';
  document.getElementById('search').value = q;
  if (!q) {
    append(page, h('h1', null, 'Search'), message('Type a word in the search box above.'));
    return;
  }
  const data = await get('/api/search', { q, limit: 25, offset: Number(params.get('offset') || 0) });
  if (!current()) return;
  append(page, 
    h('h1', null, 'Search: ', h('q', null, q)),
    data.actors && data.actors.length ? card('Actors', h('ul', { class: 'chips' }, data.actors.map((a) => h('li', null, actorLink(a.id, a.label), h('span', { class: 'muted' }, ` ${a.type || ''}`))))) : null,
    card('Articles',
      data.items.length ? h('ol', { class: 'hits' }, data.items.map((hit) => h('li', null,
        h('span', { class: 'badge' }, hit.kind || hit.type || 'document'), ' ', hitLink(hit),
        hit.date || hit.published ? h('span', { class: 'muted' }, ` ${fmtDate(hit.date || hit.published)}`) : null,
        hit.snippet ? h('p', { class: 'snippet' }, hit.snippet) : null))) : message('No article matches.'),
      pager('#/search', params, data)),
  );
}
