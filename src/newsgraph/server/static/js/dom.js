// DOM helpers. Every value from the store reaches the page as a text node or a
// property, never as markup: nothing is parsed as HTML, and there are no inline handlers.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A safe href: in-app hash links, same-origin API paths, or absolute http(s) URLs. */
export function safeHref(value) {
  const s = String(value ?? '');
  if (s.startsWith('#') || (s.startsWith('/') && !s.startsWith('//'))) return s;
  try {
    const url = new URL(s);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    /* not a URL */
  }
  return '#';
}

function setProps(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'href') el.setAttribute('href', safeHref(value));
    else if (key === 'style') throw new Error('inline styles are blocked by the CSP; use a class');
    else if (/^on/i.test(key)) throw new Error('use the `on` map for listeners');
    else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

/** Append children, skipping null/undefined/false (Element.append would print "null"). */
export function append(el, ...children) {
  addChildren(el, children);
  return el;
}

function addChildren(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** h('a', {href: '#/x', class: 'c'}, 'text', otherNode) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  addChildren(el, children);
  return el;
}

/** The same for SVG elements (charts). */
export function svg(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (/^on/i.test(key) || key === 'style' || key === 'href') throw new Error(`attribute ${key} not allowed`);
    else el.setAttribute(key, String(value));
  }
  addChildren(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function fmtDate(value) {
  return value ? String(value).slice(0, 10) : '—';
}

export function fmtNum(value) {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'number' ? value.toLocaleString('en-US') : String(value);
}

export function fmtConf(value) {
  return value === null || value === undefined ? '—' : Number(value).toFixed(2);
}

/** Link to an actor page; ids may contain '/', so they are URI-encoded. */
export function actorLink(id, name) {
  return h('a', { href: `#/actor/${encodeURIComponent(id)}`, class: 'actor-link', title: id }, name || id);
}

export function docLink(id, title, eventId) {
  const suffix = eventId ? `?event=${encodeURIComponent(eventId)}` : '';
  return h('a', { href: `#/doc/${encodeURIComponent(id)}${suffix}` }, title || id);
}

export function eventLink(id, label) {
  const cls = label instanceof Node ? 'event-link' : 'event-link mono';
  return h('a', { href: `#/event/${encodeURIComponent(id)}`, class: cls }, label || id);
}

export function actorList(actors) {
  if (!actors || !actors.length) return h('span', { class: 'muted' }, '—');
  const out = h('span', { class: 'actors' });
  actors.forEach((a, i) => {
    if (i) out.append(', ');
    out.append(actorLink(a.id, a.name));
  });
  return out;
}

export function table(columns, rows, { empty = 'Nothing here.', rowClass } = {}) {
  const head = h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.class }, c.label))));
  const body = h('tbody');
  if (!rows.length) body.append(h('tr', null, h('td', { colspan: columns.length, class: 'muted' }, empty)));
  for (const row of rows) {
    body.append(
      h(
        'tr',
        { class: rowClass ? rowClass(row) : null },
        columns.map((c) => h('td', { class: c.class }, c.render ? c.render(row) : fmtNum(row[c.key]))),
      ),
    );
  }
  return h('table', { class: 'grid' }, head, body);
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', null, title) : null, ...children);
}

export function statusBadge(status) {
  const label = { extracted: 'extracted', confirm: 'confirmed', restore: 'restored', rejected: 'rejected' }[status] || status;
  return h('span', { class: `badge status-${status || 'none'}` }, label || '—');
}

export function typeBadge(type, mode) {
  return h('span', { class: 'type-cell' }, h('span', { class: `badge type type-${type}` }, type), mode ? h('span', { class: 'mode' }, mode) : null);
}

export function message(text, kind = 'info') {
  return h('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** Parse '#/path/a/b?x=1' into {parts: ['path','a','b'], params: URLSearchParams}. */
export function parseHash(hash) {
  const raw = (hash || '#/').replace(/^#/, '');
  const [path, query] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  return { parts, params: new URLSearchParams(query || '') };
}
