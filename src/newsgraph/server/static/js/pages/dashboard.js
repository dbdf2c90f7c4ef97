// Dashboard: what the store holds, the latest events, and the alerts worth a look.

import { get } from '../api.js';
import { actorLink, append, card, fmtDate, fmtNum, h, message } from '../dom.js';
import { eventsTable } from '../widgets.js';

function stat(label, value, href) {
  const body = [h('span', { class: 'stat-value' }, fmtNum(value)), h('span', { class: 'stat-label' }, label)];
  return href ? h('a', { class: 'stat', href }, body) : h('div', { class: 'stat' }, body);
}

function typeBars(byType) {
  const max = Math.max(1, ...byType.map((t) => t.events));
  return h('ul', { class: 'bars' }, byType.map((t) => {
    const bar = h('span', { class: `bar type-${t.type}` });
    bar.style.width = `${Math.max(2, (100 * t.events) / max)}%`;
    return h('li', null,
      h('a', { href: `#/events?type=${encodeURIComponent(t.type)}`, class: 'bar-label' }, t.type),
      h('span', { class: 'bar-track' }, bar),
      h('span', { class: 'num' }, fmtNum(t.events)));
  }));
}

function alertList(alerts) {
  if (!alerts.items.length) return message('No pair of actors departs from its baseline in the latest window.');
  return h('ul', { class: 'alerts' }, alerts.items.slice(0, 8).map((a) => h('li', { class: `alert alert-${a.kind}` },
    h('span', { class: 'badge' }, a.kind),
    ' ', actorLink(a.source_id, a.source_name), h('span', { class: 'arrow' }, ' → '), actorLink(a.target_id, a.target_name),
    h('span', { class: 'muted' }, ` ${a.recent_events} events, hostility ${a.recent_hostility}`,
      a.baseline_hostility !== null && a.baseline_hostility !== undefined ? ` (baseline ${a.baseline_hostility}, z ${a.z})` : '',
      a.window ? `, ${fmtDate(a.window.start)} – ${fmtDate(a.window.end)}` : ''))));
}

export async function renderDashboard(page, _parts, _params, current) {
  const [stats, latest] = await Promise.all([get('/api/stats'), get('/api/events', { limit: 10, sort: '-date' })]);
  if (!current()) return;
  const status = Object.fromEntries(stats.by_status.map((s) => [s.status, s.events]));
  // Alerts compare every actor pair with its baseline: on a big store the first answer
  // takes a while, so the page shows at once and the alerts fill in when ready.
  const alertsBody = h('div', { id: 'alerts' }, message('Computing alerts…'));
  const alertsTitle = h('h2', null, 'Alerts');
  append(page,
    h('h1', null, 'Dashboard'),
    h('p', { class: 'lede' }, stats.first_date
      ? `Events from ${fmtDate(stats.first_date)} to ${fmtDate(stats.last_date)}, every one traceable to its sentence.`
      : 'No dated events yet.'),
    h('div', { class: 'stats' },
      stat('documents', stats.documents, '#/documents'),
      stat('events', stats.events, '#/events'),
      stat('actors', stats.entities, '#/actors'),
      stat('killed', stats.killed, '#/events?sort=-killed'),
      stat('injured', stats.injured, '#/events?sort=-injured'),
      stat('quotes', stats.quotes),
      stat('awaiting review', status.extracted || 0, '#/review'),
      stat('corrections', stats.corrections, '#/review')),
    h('div', { class: 'columns' },
      card('Events by type', typeBars(stats.by_type)),
      h('section', { class: 'card' }, alertsTitle, alertsBody)),
    card('Latest events', eventsTable(latest.items), h('p', null, h('a', { href: '#/events' }, 'All events ›'))),
  );
  try {
    const alerts = await get('/api/alerts', { limit: 8 });
    if (!current()) return;
    alertsTitle.textContent = `Alerts (${fmtNum(alerts.total)})`;
    alertsBody.replaceChildren(alertList(alerts));
  } catch (err) {
    if (current()) alertsBody.replaceChildren(message(`Alerts unavailable: ${err.message}`, 'error'));
  }
}
