// Small fetch helpers: every API error is an RFC 9457 problem, kept whole so forms can show its errors.
export class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

export async function getJson(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  return answer(r);
}

export async function postJson(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  return answer(r);
}

async function answer(r) {
  const type = r.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await r.json() : await r.text();
  if (!r.ok) throw new Problem(r.status, typeof body === 'object' ? body : { detail: body });
  return body;
}

/** Builds an element: el('td', {class: 'x'}, 'text', child). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
  return e;
}

export function fmt(v, digits = 4) {
  return v === undefined || v === null ? '–' : Number(v).toPrecision(digits);
}

export function eta(job) {
  if (job.status !== 'RUNNING' || !job.startedAt || !job.progress || job.progress.fraction <= 0) return '';
  const elapsed = (Date.now() - Date.parse(job.startedAt)) / 1000;
  const left = Math.max(0, elapsed / job.progress.fraction - elapsed);
  return left < 90 ? `${Math.round(left)} s left` : `${Math.round(left / 60)} min left`;
}
