// One event: its fields, actors, evidence sentences, history, and the review form.

import { get, write } from '../api.js';
import {
  actorList, append, card, docLink, eventLink, fmtConf, fmtDate, fmtNum, h, message, statusBadge, table, typeBadge,
} from '../dom.js';
import { PLOVER_TYPES } from '../widgets.js';

const EDITABLE = [
  { name: 'type', label: 'Type', kind: 'select', options: PLOVER_TYPES },
  { name: 'mode', label: 'Mode' },
  { name: 'date_start', label: 'Date', kind: 'date' },
  { name: 'date_precision', label: 'Precision', kind: 'select', options: ['day', 'week', 'month', 'quarter', 'year', 'decade', 'unknown'] },
  { name: 'location', label: 'Location' },
  { name: 'country', label: 'Country (ISO-3)' },
  { name: 'killed', label: 'Killed', kind: 'number' },
  { name: 'injured', label: 'Injured', kind: 'number' },
];

function editForm(ev, reload, status) {
  const inputs = EDITABLE.map((f) => {
    const value = ev[f.name] === null || ev[f.name] === undefined ? '' : String(ev[f.name]).slice(0, f.kind === 'date' ? 10 : 200);
    const input = f.kind === 'select'
      ? h('select', { name: f.name, id: `edit-${f.name}` }, h('option', { value: '' }, '—'),
        f.options.map((o) => h('option', { value: o, selected: o === value }, o)))
      : h('input', { name: f.name, id: `edit-${f.name}`, type: f.kind || 'text', value, min: f.kind === 'number' ? 0 : null, maxlength: 200 });
    input.dataset.original = value;
    return h('label', { class: 'field' }, h('span', null, f.label), input);
  });
  const note = h('input', { name: 'note', id: 'edit-note', type: 'text', placeholder: 'why (optional)', maxlength: 2000 });
  const form = h('form', { class: 'edit-form', id: 'edit-form' }, h('div', { class: 'fields' }, inputs),
    h('label', { class: 'field wide' }, h('span', null, 'Note'), note),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-edit' }, 'Save corrections')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    for (const f of EDITABLE) {
      const el = form.elements.namedItem(f.name);
      if (el.value === el.dataset.original || el.value === '') continue;
      body[f.name] = f.kind === 'number' ? Number(el.value) : el.value;
    }
    if (!Object.keys(body).length) {
      status.textContent = 'Nothing changed.';
      return;
    }
    if (note.value.trim()) body.note = note.value.trim();
    try {
      await write('PATCH', `/api/events/${encodeURIComponent(ev.event_id)}`, body);
      await reload(`Saved: ${Object.keys(body).filter((k) => k !== 'note').join(', ')}.`);
    } catch (err) {
      status.textContent = err.message;
    }
  });
  return form;
}

function actionButtons(ev, reload, status) {
  const act = (action, label, cls) => {
    const b = h('button', { type: 'button', class: cls, id: `action-${action}` }, label);
    b.addEventListener('click', async () => {
      try {
        await write('POST', `/api/events/${encodeURIComponent(ev.event_id)}/${action}`, {});
        await reload(`Event ${action === 'confirm' ? 'confirmed' : `${action}ed`}.`);
      } catch (err) {
        status.textContent = err.message;
      }
    });
    return b;
  };
  if (ev.review_status === 'rejected') return h('div', { class: 'actions' }, act('restore', 'Restore event', 'primary'));
  return h('div', { class: 'actions' }, act('confirm', 'Confirm', 'primary'), act('reject', 'Reject as false', 'danger'));
}

function linkForm(ev, reload, status) {
  const other = h('input', { name: 'other', type: 'text', placeholder: 'other event id (ev_…)', maxlength: 100, id: 'link-other' });
  const send = (action) => async () => {
    if (!other.value.trim()) return;
    try {
      await write('POST', `/api/events/${encodeURIComponent(ev.event_id)}/${action}`, { other: other.value.trim() });
      await reload(action === 'merge' ? 'Marked as the same event.' : 'Marked as different events.');
    } catch (err) {
      status.textContent = err.message;
    }
  };
  const merge = h('button', { type: 'button', class: 'ghost' }, 'Same event');
  const split = h('button', { type: 'button', class: 'ghost' }, 'Different events');
  merge.addEventListener('click', send('merge'));
  split.addEventListener('click', send('split'));
  return h('div', { class: 'inline-form' }, other, merge, split);
}

function linkedList(linked) {
  if (!linked || !linked.members.length) return message('No other report of this incident has been linked.');
  return table([
    { label: 'Event', render: (m) => eventLink(m.event_id, typeBadge(m.type, m.mode)) },
    { label: 'Article', class: 'doc', render: (m) => docLink(m.doc_id, m.title, m.event_id) },
    { label: 'Published', render: (m) => fmtDate(m.published) },
    { label: 'Killed', key: 'killed', class: 'num' },
    { label: 'Why linked', render: (m) => (m.reasons ? Object.entries(m.reasons).filter(([k]) => k !== 'with')
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ') : '—') },
    { label: 'Score', class: 'num', render: (m) => fmtConf(m.score) },
  ], linked.members);
}

export async function renderEvent(page, parts, _params, current, flash = '') {
  const id = parts[0] || '';
  const ev = await get(`/api/events/${encodeURIComponent(id)}`);
  if (!current()) return;
  const status = h('p', { class: 'message info', role: 'status', id: 'review-status' }, flash);
  const reload = async (text) => {
    while (page.firstChild) page.removeChild(page.firstChild);
    await renderEvent(page, parts, _params, current, text);
  };
  const d = ev.detail || {};
  const fields = h('dl', { class: 'facts' },
    h('dt', null, 'Type'), h('dd', { id: 'ev-type' }, typeBadge(ev.type, ev.mode)),
    h('dt', null, 'Date'), h('dd', { id: 'ev-date' }, `${fmtDate(ev.date_start)}${ev.date_precision ? ` (${ev.date_precision})` : ''}`),
    h('dt', null, 'Location'), h('dd', { id: 'ev-location' }, [ev.location, ev.admin1, ev.country].filter(Boolean).join(', ') || '—'),
    h('dt', null, 'Killed'), h('dd', { id: 'ev-killed' }, fmtNum(ev.killed)),
    h('dt', null, 'Injured'), h('dd', { id: 'ev-injured' }, fmtNum(ev.injured)),
    h('dt', null, 'Source actors'), h('dd', null, actorList(ev.sources)),
    h('dt', null, 'Target actors'), h('dd', null, actorList(ev.targets)),
    h('dt', null, 'Class'), h('dd', null, `${ev.quad_class || '—'}, intensity ${ev.intensity ?? '—'}`),
    h('dt', null, 'GTD attack type'), h('dd', null, ev.gtd_attack_type || '—'),
    h('dt', null, 'Weapons'), h('dd', null, (d.weapons || []).join(', ') || '—'),
    h('dt', null, 'Flags'), h('dd', null, ['negated', 'hypothetical', 'historical'].filter((f) => ev[f]).join(', ') || 'none'),
    h('dt', null, 'Confidence'), h('dd', null, fmtConf(ev.confidence)),
    h('dt', null, 'Review'), h('dd', { id: 'ev-status' }, statusBadge(ev.review_status)));
  const evidence = ev.evidence.length
    ? h('div', null, ev.evidence.map((s) => h('blockquote', { class: 'evidence' }, s.text)))
    : message('No evidence span recorded.');
  const history = table([
    { label: 'When', render: (c) => String(c.created_at || '').replace('T', ' ').slice(0, 19) },
    { label: 'Who', key: 'author' },
    { label: 'What', render: (c) => (c.field ? `${c.action} ${c.field}` : c.action) },
    { label: 'Value', render: (c) => (c.value === null || c.value === undefined ? '' : String(c.value)) },
    { label: 'Note', render: (c) => c.note || '' },
  ], ev.corrections, { empty: 'Not reviewed yet.' });
  append(page, 
    h('p', { class: 'crumbs' }, h('a', { href: '#/events' }, 'Events'), ' › ', h('span', { class: 'mono' }, ev.event_id)),
    h('h1', null, `${ev.type}${ev.mode ? ` · ${ev.mode}` : ''}`, ev.location ? ` in ${ev.location}` : ''),
    ev.document ? h('p', { class: 'meta' }, 'From ', docLink(ev.document.doc_id, ev.document.title, ev.event_id), ` (${fmtDate(ev.document.published)})`) : null,
    status,
    h('div', { class: 'columns' },
      card('Facts', fields),
      card('Evidence', evidence, d.trigger ? h('p', { class: 'muted' }, `Trigger: “${d.trigger.text}”`) : null)),
    card('Review', actionButtons(ev, reload, status), h('h3', null, 'Correct fields'), editForm(ev, reload, status)),
    card('Same incident in other reports', linkedList(ev.linked), linkForm(ev, reload, status)),
    card('History', history),
  );
}
