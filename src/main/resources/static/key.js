// The API key, when the service asks for one. It lives in this tab's sessionStorage only (gone when
// the tab closes), travels only in the Authorization header (never in a URL), and Forget key drops it.
// In anonymous local mode the service never answers 401, so nothing of this ever shows.
const STORE = 'dojo.apiKey';
const $ = id => document.getElementById(id);

let memory = null; // where the key lives if the browser refuses sessionStorage (it is still never written elsewhere)
let pending = null; // { promise, resolve, reject } while the dialog is open
let declined = false; // the dialog was closed without a key: ask again only when the user chooses to
let onChange = () => {};

export function currentKey() {
  try { return sessionStorage.getItem(STORE) ?? memory; } catch { return memory; }
}

function store(key) {
  memory = null;
  try {
    if (key) sessionStorage.setItem(STORE, key); else sessionStorage.removeItem(STORE);
  } catch { memory = key; }
  showBar();
}

/**
 * A request sent with usedKey (null: none) was answered 401. Resolves when there is a key to try: a
 * newer one than usedKey, or one the user enters in the dialog. Rejects when the user closes the
 * dialog without a key, or closed it before and has not asked for it since.
 */
export function keyNeeded(usedKey, detail) {
  const now = currentKey();
  if (now && now !== usedKey) return Promise.resolve(); // a newer key came meanwhile
  if (now) store(null); // refused: unknown or revoked
  else if (declined && !pending) return Promise.reject(new Error('declined'));
  return ask(usedKey ? `The service refused that key: ${detail || 'unknown or revoked'}` : '');
}

function ask(message) {
  if (!pending) {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    pending = { promise, resolve, reject };
    $('api-key').value = '';
    error(message);
    $('key-dialog').showModal();
    $('api-key').focus();
  } else if (message) error(message);
  return pending.promise;
}

function error(message) {
  $('key-error').textContent = message;
  if (message) $('api-key').setAttribute('aria-invalid', 'true'); else $('api-key').removeAttribute('aria-invalid');
}

function showBar() {
  const key = currentKey();
  const id = key?.match(/^dojo_([0-9A-Za-z]+)_/)?.[1];
  $('key-bar').hidden = !key && !declined;
  $('key-name').textContent = key ? (id ? `Key ${id}` : 'Key set') : 'No key';
  $('forget-key').hidden = !key;
  $('enter-key').hidden = !!key;
}

/** Wires the dialog and the header's key controls; changed() runs when the key is forgotten or entered from the header. */
export function initKeys(changed) {
  onChange = changed;
  const dialog = $('key-dialog');
  $('key-form').addEventListener('submit', ev => {
    ev.preventDefault();
    const key = $('api-key').value.trim();
    // The header takes printable ASCII only; a bootstrap key is a bare secret, so no stricter shape is asked.
    const problem = !key ? 'Paste a key first.' : /^[\x21-\x7e]+$/.test(key) ? '' : 'A key has no spaces and only plain ASCII characters.';
    if (problem) { error(problem); $('api-key').focus(); return; }
    declined = false;
    store(key);
    const done = pending;
    pending = null;
    dialog.close('key');
    // Focus goes back where it was; if that control has gone (Forget key hides itself), to the page.
    if (!document.activeElement || document.activeElement === document.body) $('app').focus();
    done?.resolve();
  });
  $('key-cancel').addEventListener('click', () => dialog.close());
  // Cancel, Escape, or anything else that closes the dialog without a key.
  dialog.addEventListener('close', () => {
    if (!pending) return;
    const done = pending;
    pending = null;
    declined = true;
    showBar();
    done.reject(new Error('declined'));
  });
  $('enter-key').addEventListener('click', () => ask('').then(() => onChange(), () => {}));
  $('forget-key').addEventListener('click', () => {
    store(null);
    declined = false;
    $('app').focus();
    onChange();
  });
  showBar();
}
