// Document reader: the article text with entity mentions, event triggers, evidence
// and quotes highlighted. The text is cut at every span boundary into text nodes;
// no part of the article is ever parsed as HTML.

import { get } from '../api.js';
import {
  actorLink, actorList, append, card, clear, eventLink, fmtConf, fmtDate, fmtNum, h, message, safeHref, statusBadge, typeBadge,
} from '../dom.js';

function annotations(doc) {
  const out = [];
  for (const m of doc.mentions) out.push({ start: m.start, end: m.end, layer: 'entity', cls: `ent ent-${m.type || 'OTHER'}`, item: m });
  doc.events.forEach((ev) => {
    if (ev.trigger && Number.isInteger(ev.trigger.start)) {
      out.push({ start: ev.trigger.start, end: ev.trigger.end, layer: 'trigger', cls: 'trig', item: ev });
    }
    for (const span of ev.evidence || []) {
      if (Number.isInteger(span.start)) out.push({ start: span.start, end: span.end, layer: 'evidence', cls: '', item: ev });
    }
  });
  for (const q of doc.quotes) out.push({ start: q.start, end: q.end, layer: 'quote', cls: 'quote', item: q });
  return out.filter((a) => a.end > a.start && a.start >= 0 && a.end <= doc.text.length);
}

function describe(a) {
  if (a.layer === 'entity') return `${a.item.name || a.item.text} (${a.item.type || '?'}${a.item.kind ? `, ${a.item.kind}` : ''}) · ${a.item.entity_id}`;
  if (a.layer === 'trigger') return `event ${a.item.type}${a.item.mode ? `/${a.item.mode}` : ''} · ${fmtDate(a.item.date_start)}`;
  if (a.layer === 'quote') return `quote${a.item.speaker || a.item.speaker_name ? ` by ${a.item.speaker || a.item.speaker_name}` : ''}`;
  return '';
}

/** Split the text at every boundary; each piece becomes a span carrying its annotations. */
function renderText(text, anns, onPick) {
  const container = h('div', { class: 'doc-text', id: 'doc-text' });
  const cuts = new Set([0, text.length]);
  for (const a of anns) { cuts.add(a.start); cuts.add(a.end); }
  const points = [...cuts].sort((x, y) => x - y);
  const covering = new Map();
  const sorted = [...anns].sort((x, y) => x.start - y.start);
  let next = 0;
  let active = [];
  for (let i = 0; i < points.length - 1; i += 1) {
    const [from, to] = [points[i], points[i + 1]];
    while (next < sorted.length && sorted[next].start <= from) active.push(sorted[next++]);
    active = active.filter((a) => a.end > from);
    const here = active.filter((a) => a.start <= from && a.end >= to);
    const piece = text.slice(from, to);
    if (!here.length) {
      container.append(document.createTextNode(piece));
      continue;
    }
    const classes = new Set(['seg']);
    for (const a of here) for (const c of a.cls.split(' ').filter(Boolean)) classes.add(c);
    const span = h('span', { class: [...classes].join(' ') }, piece);
    const tip = here.map(describe).filter(Boolean).join('\n');
    if (tip) span.title = tip;
    if (here.some((a) => a.layer !== 'evidence')) span.tabIndex = 0;
    covering.set(span, here);
    span.addEventListener('click', () => onPick(here, span));
    span.addEventListener('keydown', (e) => { if (e.key === 'Enter') onPick(here, span); });
    container.append(span);
  }
  return { container, covering };
}

function eventDetail(ev) {
  const cas = [];
  if (ev.killed !== null && ev.killed !== undefined) cas.push(`${fmtNum(ev.killed)} killed`);
  if (ev.injured !== null && ev.injured !== undefined) cas.push(`${fmtNum(ev.injured)} injured`);
  return h('div', { class: 'detail detail-event' },
    h('div', null, typeBadge(ev.type, ev.mode), ' ', statusBadge(ev.review_status)),
    h('dl', null,
      h('dt', null, 'When'), h('dd', null, `${fmtDate(ev.date_start)}${ev.date_precision ? ` (${ev.date_precision})` : ''}`),
      h('dt', null, 'Where'), h('dd', null, [ev.location, ev.country].filter(Boolean).join(', ') || '—'),
      h('dt', null, 'Who'), h('dd', null, actorList(ev.sources)),
      h('dt', null, 'Whom'), h('dd', null, actorList(ev.targets)),
      h('dt', null, 'Casualties'), h('dd', null, cas.join(', ') || '—'),
      h('dt', null, 'Weapons'), h('dd', null, (ev.weapons || []).join(', ') || '—'),
      h('dt', null, 'Trigger'), h('dd', null, ev.trigger ? `“${ev.trigger.text}”` : '—'),
      h('dt', null, 'Confidence'), h('dd', null, fmtConf(ev.confidence))),
    h('p', null, eventLink(ev.event_id, 'Open / review this event ›')));
}

function detail(a) {
  if (a.layer === 'entity') {
    const m = a.item;
    return h('div', { class: 'detail detail-entity' },
      h('div', null, h('span', { class: `badge ent-${m.type || 'OTHER'}` }, m.type || '?'), ' ', actorLink(m.entity_id, m.name || m.text)),
      h('dl', null,
        h('dt', null, 'Id'), h('dd', { class: 'mono' }, m.entity_id),
        h('dt', null, 'Kind'), h('dd', null, m.kind || '—'),
        h('dt', null, 'Country'), h('dd', null, m.country || '—'),
        h('dt', null, 'In text'), h('dd', null, `“${m.text}”`),
        h('dt', null, 'Rule'), h('dd', { class: 'mono' }, m.rule || '—'),
        h('dt', null, 'Confidence'), h('dd', null, fmtConf(m.confidence))));
  }
  if (a.layer === 'trigger' || a.layer === 'evidence') return eventDetail(a.item);
  const q = a.item;
  return h('div', { class: 'detail detail-quote' },
    h('blockquote', null, q.text),
    h('p', null, '— ', q.speaker_id ? actorLink(q.speaker_id, q.speaker || q.speaker_name) : (q.speaker_name || 'unknown speaker'),
      q.cue ? h('span', { class: 'muted' }, ` (${q.cue}${q.direct ? ', direct' : ', indirect'})`) : null));
}

function layerToggles(textEl) {
  const toggle = (layer, label) => {
    const input = h('input', { type: 'checkbox', checked: true, name: `layer-${layer}` });
    input.addEventListener('change', () => textEl.classList.toggle(`hide-${layer}`, !input.checked));
    return h('label', { class: `toggle toggle-${layer}` }, input, ' ', label);
  };
  return h('div', { class: 'layers' }, toggle('entities', 'Entities'), toggle('events', 'Event triggers'), toggle('quotes', 'Quotes'));
}

function entitySummary(doc) {
  const byId = new Map();
  for (const m of doc.mentions) {
    const e = byId.get(m.entity_id) || { ...m, count: 0 };
    e.count += 1;
    byId.set(m.entity_id, e);
  }
  const list = [...byId.values()].sort((a, b) => b.count - a.count || String(a.name).localeCompare(String(b.name)));
  if (!list.length) return message('No entities.');
  return h('ul', { class: 'chips' }, list.map((e) => h('li', null,
    h('span', { class: `dot ent-${e.type || 'OTHER'}` }), actorLink(e.entity_id, e.name || e.text), h('span', { class: 'muted' }, ` ×${e.count}`))));
}

export async function renderReader(page, parts, params, current) {
  const doc = await get(`/api/documents/${encodeURIComponent(parts[0] || '')}`);
  if (!current()) return;
  const panel = h('aside', { class: 'panel', id: 'detail-panel' },
    h('p', { class: 'muted' }, 'Click a highlighted word for details.'));
  let selected = null;
  const anns = annotations(doc);
  const pick = (here, span) => {
    clear(panel);
    const shown = here.filter((a) => a.layer !== 'evidence' || !here.some((b) => b.layer === 'trigger' && b.item === a.item));
    for (const a of shown) panel.append(detail(a));
    const ev = here.find((a) => a.layer === 'trigger' || a.layer === 'evidence');
    if (ev) selectEvent(ev.item);
    if (span) span.focus({ preventScroll: true });
  };
  const { container, covering } = renderText(doc.text, anns, pick);
  const selectEvent = (ev) => {
    selected = ev;
    for (const [span, here] of covering) {
      span.classList.toggle('evid-sel', here.some((a) => a.layer === 'evidence' && a.item === selected));
      span.classList.toggle('trig-sel', here.some((a) => a.layer === 'trigger' && a.item === selected));
    }
  };
  const url = doc.url ? safeHref(doc.url) : null;
  const meta = h('p', { class: 'meta' },
    h('span', null, fmtDate(doc.published)),
    (doc.authors || []).length ? h('span', null, ` · ${doc.authors.join(', ')}`) : null,
    h('span', { class: 'muted' }, ` · ${String(doc.source || '').split('/').pop()}`),
    doc.url ? h('span', null, ' · ', url !== '#'
      ? h('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, 'original')
      : h('span', { class: 'muted', title: 'not an http(s) address' }, doc.url)) : null);
  const eventsList = h('ol', { class: 'event-list' }, doc.events.map((ev) => {
    const show = h('button', { type: 'button', class: 'link' }, 'show in text');
    show.addEventListener('click', () => {
      selectEvent(ev);
      clear(panel).append(eventDetail(ev));
      const first = [...covering.keys()].find((s) => s.classList.contains('trig-sel') || s.classList.contains('evid-sel'));
      if (first) first.scrollIntoView({ block: 'center', behavior: 'smooth' });
    });
    return h('li', { dataset: { event: ev.event_id } }, typeBadge(ev.type, ev.mode), ' ',
      h('span', null, `${fmtDate(ev.date_start)} · ${ev.location || '—'}`), ' ', statusBadge(ev.review_status), ' ',
      show, ' ', eventLink(ev.event_id, 'review ›'));
  }));
  const quotes = doc.quotes.length
    ? h('ul', { class: 'quote-list' }, doc.quotes.map((q) => h('li', null, h('q', null, q.text), ' — ',
      q.speaker_id ? actorLink(q.speaker_id, q.speaker || q.speaker_name) : (q.speaker_name || 'unknown'))))
    : message('No quotes.');
  append(page, 
    h('p', { class: 'crumbs' }, h('a', { href: '#/documents' }, 'Documents'), ' ›'),
    h('h1', { class: 'doc-title' }, doc.title || '(untitled)'),
    meta,
    layerToggles(container),
    h('div', { class: 'reader' }, h('article', { class: 'card' }, container), panel),
    h('div', { class: 'columns' },
      card(`Events (${doc.events.length})`, doc.events.length ? eventsList : message('No events.')),
      card(`Entities (${new Set(doc.mentions.map((m) => m.entity_id)).size})`, entitySummary(doc))),
    card(`Quotes (${doc.quotes.length})`, quotes),
  );
  const wanted = params.get('event');
  const target = wanted && doc.events.find((e) => e.event_id === wanted);
  if (target) {
    selectEvent(target);
    clear(panel).append(eventDetail(target));
    const first = [...covering.keys()].find((s) => s.classList.contains('trig-sel') || s.classList.contains('evid-sel'));
    if (first) first.scrollIntoView({ block: 'center' });
  }
}
