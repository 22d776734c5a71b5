// Small fetch helpers: every API error is an RFC 9457 problem, kept whole so forms can show its errors.
// Every request goes through send(), which adds the API key (when the page holds one) as
// Authorization: Bearer, and on a 401 asks for a key and tries again. A key never goes in a URL.
import { currentKey, keyNeeded } from './key.js';

export class Problem extends Error {
  constructor(status, body) {
    super(status === 403 && body?.requiredScope
      ? `This key lacks the ${body.requiredScope} scope, which this needs. Use Forget key to enter a key that has it.`
      : body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

/** fetch(), with the key in the Authorization header; a 401 opens the key dialog, then the request goes again. */
export async function send(path, init = {}) {
  for (;;) {
    const key = currentKey();
    const headers = new Headers(init.headers);
    if (key) headers.set('Authorization', `Bearer ${key}`);
    const r = await fetch(path, { ...init, headers });
    if (r.status !== 401 || !/^Bearer\b/i.test(r.headers.get('WWW-Authenticate') || '')) return r;
    const body = await read(r);
    try {
      await keyNeeded(key, body?.detail);
    } catch {
      // Dismissed after a refused key (one left from an earlier session, say): once more without a key,
      // which is all a service in anonymous local mode wants.
      if (key) continue;
      throw new Problem(401, { ...body, detail: 'This page needs an API key: choose Enter API key at the top of the page.' });
    }
  }
}

export async function getJson(path) {
  return answer(await send(path, { headers: { Accept: 'application/json' } }));
}

export async function postJson(path, body) {
  return answer(await send(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) }));
}

/** An image from the API as a data: URL (an <img src> could not carry the key; the policy allows data: images). */
export async function imageUrl(path) {
  const r = await send(path);
  if (!r.ok) await answer(r);
  const blob = await r.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener('load', () => resolve(reader.result));
    reader.addEventListener('error', () => reject(reader.error));
    reader.readAsDataURL(blob);
  });
}

/**
 * A link to an API resource. Without a key it is a plain link. With one, which a navigation cannot
 * carry, a click fetches the resource with the key and opens it in a new tab; onError gets a failure.
 */
export function apiLink(href, text, onError) {
  const a = el('a', { href }, text);
  a.addEventListener('click', async ev => {
    if (!currentKey()) return;
    ev.preventDefault();
    try {
      const r = await send(href);
      if (!r.ok) await answer(r);
      const url = URL.createObjectURL(await r.blob());
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      // A blocked pop-up (the fetch took longer than the click's user activation lasts) opens it here instead.
      if (!window.open(url, '_blank')) location.assign(url);
    } catch (e) {
      onError(e);
    }
  });
  return a;
}

async function read(r) {
  const type = r.headers.get('Content-Type') || '';
  return type.includes('json') ? r.json() : r.text();
}

async function answer(r) {
  const body = await read(r);
  if (!r.ok) throw new Problem(r.status, typeof body === 'object' ? body : { detail: body });
  return body;
}

/** Builds an element: el('td', {class: 'x'}, 'text', child). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    // Styles through the CSSOM: the page's Content-Security-Policy refuses inline style attributes.
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else if (k === 'style') e.style.cssText = v; else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
  return e;
}

export function fmt(v, digits = 4) {
  return v === undefined || v === null ? '–' : Number(v).toPrecision(digits);
}

export function eta(job) {
  if (job.status !== 'RUNNING' || !job.progress) return '';
  let left = job.progress.etaSeconds;
  if (left === null || left === undefined) {
    // The service's estimate needs a finished epoch of this attempt; until then, from the job's start.
    if (!job.startedAt || job.progress.fraction <= 0) return '';
    const elapsed = (Date.now() - Date.parse(job.startedAt)) / 1000;
    left = Math.max(0, elapsed / job.progress.fraction - elapsed);
  }
  return left < 90 ? `${Math.round(left)} s left` : `${Math.round(left / 60)} min left`;
}

/** The last finished epoch's training throughput, as "12,345 images/s", or '' when unknown. */
export function throughput(job) {
  const ips = job.progress?.imagesPerSecond;
  return ips === null || ips === undefined ? '' : `${Math.round(ips).toLocaleString('en')} images/s`;
}
