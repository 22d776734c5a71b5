// Server-Sent Events over fetch(). EventSource cannot send an Authorization header, and the key must
// never go in a URL, so the stream is read here: the key in the header, Last-Event-ID on every
// reconnect (the server resumes with no gap and no repeat), and no reconnect after the 'end' event.
import { send, Problem } from './api.js';

/**
 * Parses the text/event-stream format (the HTML standard's rules): lines end in CRLF, LF or CR, a
 * blank line dispatches the event, ':' starts a comment, 'data' lines join with LF, an 'id' with a
 * NUL is ignored, 'retry' takes digits only, an event without data is not dispatched, and a last
 * event that the stream cut off before its blank line is dropped.
 */
export class EventParser {
  constructor(dispatch, lastEventId = '') {
    this.dispatch = dispatch; // ({type, data, lastEventId}) => void
    this.onComment = () => {};
    this.onRetry = () => {};
    this.lastEventId = lastEventId;
    this.buffer = '';
    this.skipLf = false; // the previous chunk ended in CR: a LF that starts this one belongs to it
    this.reset();
  }

  reset() {
    this.type = '';
    this.data = [];
    this.idBuffer = this.lastEventId;
  }

  push(chunk) {
    let text = this.buffer + chunk;
    if (this.skipLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLf = false;
    const eol = /\r\n|\r|\n/g;
    let start = 0;
    let m;
    while ((m = eol.exec(text)) !== null) {
      if (m[0] === '\r' && m.index === text.length - 1) this.skipLf = true;
      this.line(text.slice(start, m.index));
      start = eol.lastIndex;
    }
    this.buffer = text.slice(start);
  }

  line(line) {
    if (line === '') { this.fire(); return; }
    if (line.startsWith(':')) { this.onComment(line.slice(1).trimStart()); return; }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id') { if (!value.includes('\0')) this.idBuffer = value; }
    else if (field === 'retry') { if (/^\d+$/.test(value)) this.onRetry(Number(value)); }
  }

  fire() {
    this.lastEventId = this.idBuffer;
    if (this.data.length) this.dispatch({ type: this.type || 'message', data: this.data.join('\n'), lastEventId: this.lastEventId });
    this.type = '';
    this.data = [];
  }
}

const sleep = (ms, signal) => new Promise(resolve => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/**
 * Opens the stream at path and calls on[type](data, lastEventId) for each event. It reconnects with
 * Last-Event-ID whenever the connection drops (waiting longer after each failure in a row, and
 * Retry-After when the server is busy), and stops after the 'end' event or when the returned
 * function is called. onFailure(problem) gets an answer that retrying cannot fix (401 without a key,
 * 403, 404), after which the stream stops.
 */
export function openEvents(path, on, onFailure = () => {}) {
  const stop = new AbortController();
  let lastEventId = '';
  let retry = 1000; // the server may change it with a 'retry' field
  let failures = 0;
  const run = async () => {
    while (!stop.signal.aborted) {
      let wait = retry;
      try {
        const headers = { Accept: 'text/event-stream' };
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        const r = await send(path, { headers, cache: 'no-store', signal: stop.signal });
        if (r.ok) {
          await read(r);
        } else {
          const body = (r.headers.get('Content-Type') || '').includes('json') ? await r.json() : { detail: await r.text() };
          if (r.status !== 429 && r.status < 500) { onFailure(new Problem(r.status, body)); return; }
          const after = Number(r.headers.get('Retry-After'));
          if (after > 0) wait = after * 1000;
          failures++;
        }
      } catch (e) {
        if (stop.signal.aborted) return;
        if (e instanceof Problem) { onFailure(e); return; } // a 401 the user did not answer with a key
        failures++; // the network, or the connection dropped mid-stream
      }
      if (!stop.signal.aborted) await sleep(Math.min(wait * 2 ** Math.min(failures, 5), 30000), stop.signal);
    }
  };
  const read = async r => {
    const parser = new EventParser(ev => {
      failures = 0;
      lastEventId = ev.lastEventId;
      // A handler's bug is its own: it neither drops the connection nor replays the event.
      try { on[ev.type]?.(ev.data, ev.lastEventId); } catch (e) { console.error(e); }
      if (ev.type === 'end') stop.abort();
    }, lastEventId);
    parser.onRetry = ms => { retry = ms; };
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || stop.signal.aborted) return;
        parser.push(value);
      }
    } finally {
      lastEventId = parser.lastEventId;
      reader.cancel().catch(() => {});
    }
  };
  run();
  return () => stop.abort();
}
