// The single-page shell: hash routes to page modules, the analyst name, the token prompt.

import { getAuthor, setAuthor, setToken } from './api.js';
import { clear, h, message, parseHash } from './dom.js';
import { renderActor, renderActors } from './pages/actors.js';
import { renderDashboard } from './pages/dashboard.js';
import { renderDocuments } from './pages/documents.js';
import { renderEvent } from './pages/event.js';
import { renderEvents } from './pages/events.js';
import { renderMap } from './pages/map.js';
import { renderNetwork } from './pages/network.js';
import { renderReader } from './pages/reader.js';
import { renderReview } from './pages/review.js';
import { renderSearch } from './pages/search.js';
import { renderTimeline } from './pages/timeline.js';

const ROUTES = {
  '': [renderDashboard, 'Dashboard'],
  events: [renderEvents, 'Events'],
  event: [renderEvent, 'Event'],
  documents: [renderDocuments, 'Documents'],
  doc: [renderReader, 'Document'],
  timeline: [renderTimeline, 'Timeline'],
  map: [renderMap, 'Map'],
  network: [renderNetwork, 'Network'],
  actors: [renderActors, 'Actors'],
  actor: [renderActor, 'Actor'],
  review: [renderReview, 'Review'],
  search: [renderSearch, 'Search'],
};

let generation = 0;

async function route() {
  const view = document.getElementById('view');
  const { parts, params } = parseHash(location.hash);
  const [name = '', ...rest] = parts;
  const [render, title] = ROUTES[name] || [null, 'Not found'];
  const mine = ++generation;
  document.title = `${title} · newsgraph`;
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.route === name || (a.dataset.route === 'events' && name === 'event')
      || (a.dataset.route === 'documents' && name === 'doc') || (a.dataset.route === 'actors' && name === 'actor'));
  }
  clear(view);
  view.setAttribute('aria-busy', 'true');
  if (!render) {
    view.append(message('No such page.', 'error'));
    view.setAttribute('aria-busy', 'false');
    return;
  }
  const page = h('div', { class: `page page-${name || 'dashboard'}` });
  view.append(page);
  try {
    await render(page, rest, params, () => mine === generation);
  } catch (err) {
    if (mine !== generation) return;
    page.append(message(err.status === 401 ? 'This server needs an access token.' : `Could not load: ${err.message}`, 'error'));
  } finally {
    if (mine === generation) view.setAttribute('aria-busy', 'false');
  }
}

function setupAuthor() {
  const input = document.getElementById('author');
  input.value = getAuthor();
  input.addEventListener('change', () => setAuthor(input.value));
  input.addEventListener('input', () => setAuthor(input.value));
}

function setupSearch() {
  const form = document.getElementById('search-form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new FormData(form).get('q');
    if (String(q || '').trim()) location.hash = `#/search?q=${encodeURIComponent(String(q).trim())}`;
  });
}

function tokenPrompt() {
  const dialog = document.getElementById('token-dialog');
  if (dialog.open) return;
  const form = dialog.querySelector('form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(String(new FormData(form).get('token') || '').trim());
    dialog.close();
    route();
  }, { once: true });
  dialog.showModal();
}

document.addEventListener('newsgraph:unauthorized', tokenPrompt);
window.addEventListener('hashchange', route);
setupAuthor();
setupSearch();
route();
