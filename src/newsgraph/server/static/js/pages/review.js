// Review: the least confident events first, rejected events to restore, actor merges, the log.

import { get, getAuthor, write } from '../api.js';
import { append, card, docLink, eventLink, fmtConf, fmtDate, h, message, table, typeBadge } from '../dom.js';
import { pager } from '../widgets.js';

function quick(ev, action, label, cls, status) {
  const b = h('button', { type: 'button', class: `small ${cls}` }, label);
  b.addEventListener('click', async () => {
    try {
      await write('POST', `/api/events/${encodeURIComponent(ev.event_id)}/${action}`, {});
      const row = b.closest('tr');
      if (row) row.classList.add('done');
      status.textContent = `${ev.event_id}: ${action} recorded.`;
    } catch (err) {
      status.textContent = err.message;
    }
  });
  return b;
}

function mergeActors(status) {
  const from = h('input', { name: 'from', placeholder: 'actor id to merge (e.g. person:…)', maxlength: 200, id: 'merge-from' });
  const into = h('input', { name: 'into', placeholder: 'actor id to keep', maxlength: 200, id: 'merge-target' });
  const form = h('form', { class: 'inline-form' }, from, h('span', null, '→'), into, h('button', { type: 'submit', class: 'ghost' }, 'Merge actors'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await write('POST', `/api/entities/${encodeURIComponent(from.value.trim())}/merge`, { into: into.value.trim() });
      status.textContent = `${from.value.trim()} merged into ${into.value.trim()}.`;
    } catch (err) {
      status.textContent = err.message;
    }
  });
  return form;
}

export async function renderReview(page, _parts, params, current) {
  const offset = Number(params.get('offset') || 0);
  const [queue, rejected, log] = await Promise.all([
    get('/api/review/queue', { limit: 25, offset }),
    get('/api/review/rejected', { limit: 25 }),
    get('/api/corrections', { limit: 25 }),
  ]);
  if (!current()) return;
  const status = h('p', { class: 'message info', role: 'status', id: 'review-status' },
    getAuthor() ? `Reviewing as ${getAuthor()}.` : 'Enter your name as analyst (top right): every correction records it.');
  const restore = (ev) => {
    const b = h('button', { type: 'button', class: 'small primary' }, 'Restore');
    b.addEventListener('click', async () => {
      try {
        await write('POST', `/api/events/${encodeURIComponent(ev.event_id)}/restore`, {});
        b.closest('tr')?.classList.add('done');
      } catch (err) {
        status.textContent = err.message;
      }
    });
    return b;
  };
  append(page, 
    h('h1', null, 'Review'),
    status,
    card(`Waiting for review (${queue.total})`,
      h('p', { class: 'muted small' }, 'Least confident first. Open an event to correct its fields.'),
      pager('#/review', params, queue),
      table([
        { label: 'Event', render: (r) => h('span', null, typeBadge(r.type, r.mode), ' ', eventLink(r.event_id, 'open ›')) },
        { label: 'Date', render: (r) => fmtDate(r.date_start) },
        { label: 'Where', render: (r) => r.location || '—' },
        { label: 'Evidence', class: 'evidence-cell', render: (r) => r.evidence || '—' },
        { label: 'Conf.', class: 'num', render: (r) => fmtConf(r.confidence) },
        { label: 'Article', class: 'doc', render: (r) => docLink(r.doc_id, r.doc_title, r.event_id) },
        { label: '', render: (r) => h('span', { class: 'nowrap' }, quick(r, 'confirm', 'Confirm', 'primary', status), ' ', quick(r, 'reject', 'Reject', 'danger', status)) },
      ], queue.items, { empty: 'Everything is reviewed.' })),
    card('Merge two actors', h('p', { class: 'muted small' }, 'When two ids are the same actor (a surname and a full name, two spellings).'), mergeActors(status)),
    card(`Rejected (${rejected.total})`, rejected.items.length ? table([
      { label: 'Event', render: (r) => h('span', null, typeBadge(r.type, r.mode), ' ', eventLink(r.event_id, 'open ›')) },
      { label: 'Where', render: (r) => r.location || '—' },
      { label: 'Rejected', render: (r) => String(r.corrected_at || '').replace('T', ' ').slice(0, 16) },
      { label: '', render: restore },
    ], rejected.items) : message('Nothing rejected.')),
    card('Latest corrections', table([
      { label: 'When', render: (c) => String(c.created_at || '').replace('T', ' ').slice(0, 19) },
      { label: 'Who', key: 'author' },
      { label: 'Target', render: (c) => (c.target_kind === 'event' ? eventLink(c.target_id) : h('span', { class: 'mono' }, c.target_id)) },
      { label: 'What', render: (c) => (c.field ? `${c.action} ${c.field}` : c.action) },
      { label: 'Value', render: (c) => (c.value === null || c.value === undefined ? '' : String(c.value)) },
    ], log.items, { empty: 'No corrections yet.' })),
  );
}
