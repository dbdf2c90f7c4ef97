// Talking to the API: bearer token (when the server wants one), JSON in and out,
// the analyst's name on every write, and downloads through fetch so the token
// travels with them too.

const TOKEN_KEY = 'newsgraph.token';
const AUTHOR_KEY = 'newsgraph.author';

export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
    this.status = status;
  }
}

export function getAuthor() {
  return (localStorage.getItem(AUTHOR_KEY) || '').trim();
}

export function setAuthor(name) {
  localStorage.setItem(AUTHOR_KEY, String(name || '').trim());
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') q.set(key, value);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function headers(json) {
  const out = { Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) out.Authorization = `Bearer ${token}`;
  if (json) out['Content-Type'] = 'application/json';
  return out;
}

async function request(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const data = await res.json();
      detail = data.detail ?? detail;
    } catch {
      /* not JSON */
    }
    if (Array.isArray(detail)) detail = detail.map((d) => `${(d.loc || []).join('.')}: ${d.msg}`).join('; ');
    if (res.status === 401) document.dispatchEvent(new CustomEvent('newsgraph:unauthorized'));
    throw new ApiError(res.status, detail);
  }
  return res.json();
}

export const get = (path, params) => request('GET', path + query(params));

/** A review write: the analyst's name goes in the body (headers cannot carry every name). */
export function write(method, path, body) {
  const author = getAuthor();
  if (!author) return Promise.reject(new ApiError(422, 'Enter your name as analyst (top right) before a review.'));
  return request(method, path, { ...body, author });
}

/** Download through fetch (so the token is sent) and hand the file to the browser. */
export async function download(path, params, filename) {
  const res = await fetch(path + query(params), { headers: headers(false), credentials: 'same-origin' });
  if (!res.ok) throw new ApiError(res.status, res.statusText);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
