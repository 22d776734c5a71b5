// The job list (polled: one request every 2 s serves every row), with boxes to tick jobs to compare,
// and the submit form.
import { getJson, postJson, el, fmt, eta, Problem } from './api.js';

export function renderList(main) {
  const tbody = el('tbody');
  const table = el('table', { class: 'jobs' },
    el('thead', {}, el('tr', {}, ['Compare', 'Job', 'Status', 'Progress', 'Loss', 'Accuracy'].map(h => el('th', { scope: 'col' }, h)))), tbody);
  // Ticked jobs, kept across polls; Compare opens their curves in one chart.
  const picked = new Set();
  const compare = el('button', { type: 'button', id: 'compare', disabled: true, 'aria-describedby': 'compare-help' }, 'Compare');
  const compareHelp = el('span', { class: 'help', id: 'compare-help' }, 'Tick 2 to 20 jobs to see their curves in one chart.');
  const onPick = ev => {
    const box = ev.target.closest('input.pick');
    if (!box) return;
    if (box.checked) picked.add(box.value); else picked.delete(box.value);
    compare.disabled = picked.size < 2 || picked.size > 20;
  };
  tbody.addEventListener('change', onPick);
  compare.addEventListener('click', () => {
    location.hash = `#/compare?jobs=${[...picked].join(',')}&metric=train_loss`;
  });
  // A refused list (no key, or a key without jobs:read) says why; other failures keep the last list.
  const listStatus = el('p', { class: 'error', id: 'list-status', role: 'status' });
  const formPanel = el('section', { class: 'panel', 'aria-labelledby': 'new-job' }, el('h2', { id: 'new-job' }, 'New job'));
  main.append(el('div', { class: 'grid2' },
    el('section', { 'aria-labelledby': 'jobs-h' }, el('h1', { id: 'jobs-h' }, 'Jobs'),
      // At a phone's width the table scrolls inside its own region (a data table may: WCAG 1.4.10), not the page.
      el('div', { class: 'table-scroll', role: 'region', 'aria-label': 'job table', tabindex: 0 }, table),
      el('p', { class: 'compare-bar' }, compare, ' ', compareHelp), listStatus), formPanel));
  renderForm(formPanel);

  let timer;
  let left = false; // a poll still waiting (on the key dialog, say) when the view is left must not start another
  let rows = new Map(); // job id -> its row, kept between polls
  const refresh = async () => {
    try {
      const page = await getJson('/api/jobs?size=20');
      listStatus.textContent = '';
      const next = page.items.map(j => row(j, rows.get(j.id), picked));
      rows = new Map(page.items.map((j, i) => [j.id, next[i]]));
      // Rows are updated in place and only moved when the order changes, so a focused link or box keeps its focus.
      if (next.length !== tbody.children.length || next.some((tr, i) => tbody.children[i] !== tr)) {
        // Rows are the same elements from poll to poll, so the focused link or box itself gets its focus back.
        const focused = tbody.contains(document.activeElement) ? document.activeElement : null;
        tbody.replaceChildren(...next);
        if (focused && tbody.contains(focused)) focused.focus();
      }
      if (!page.items.length) tbody.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No jobs yet: submit one.')));
    } catch (e) {
      // Keep the last list; the next poll retries.
      if (e instanceof Problem && [401, 403].includes(e.status)) listStatus.textContent = e.message;
    }
    if (!left) timer = setTimeout(refresh, 2000);
  };
  refresh();
  return () => { left = true; clearTimeout(timer); };
}

function row(job, tr, picked) {
  const p = job.progress || { epoch: 0, epochs: 0, fraction: 0 };
  const loss = job.latestMetrics?.train_loss?.value;
  const acc = job.latestMetrics?.test_accuracy?.value;
  if (!tr) {
    tr = el('tr', { 'data-job': job.id }, el('td', {}, el('input', { type: 'checkbox', class: 'pick', value: job.id, checked: picked.has(job.id) })),
      el('td', {}, el('a', { href: `#/jobs/${job.id}` }), el('div', { class: 'muted' })),
      el('td', {}), el('td', {}, el('progress', { max: 1 }), el('div', { class: 'muted' })), el('td', { class: 'num' }), el('td', { class: 'num' }));
  }
  const [pick, name, status, progress, lossCell, accCell] = tr.children;
  pick.firstChild.setAttribute('aria-label', `compare ${job.name || job.task} ${job.id.slice(0, 8)}`);
  tr.dataset.status = job.status;
  name.firstChild.textContent = job.name || job.task;
  name.lastChild.textContent = `${job.task} · ${job.id.slice(0, 8)}`;
  status.className = `status status-${job.status}`;
  status.textContent = job.status;
  progress.firstChild.value = p.fraction;
  progress.firstChild.setAttribute('aria-label', `epoch ${p.epoch} of ${p.epochs}`);
  progress.lastChild.textContent = `epoch ${p.epoch}/${p.epochs} ${eta(job)}`;
  lossCell.textContent = fmt(loss);
  accCell.textContent = acc === undefined ? '–' : `${(acc * 100).toFixed(1)} %`;
  return tr;
}

async function renderForm(panel) {
  let tasks;
  try { tasks = await getJson('/api/tasks'); } catch (e) { panel.append(el('p', { class: 'error' }, e.message)); return; }
  const taskSelect = el('select', { id: 'task', name: 'task' }, tasks.map(t => el('option', { value: t.name }, t.name)));
  const about = el('p', { class: 'help', id: 'task-help' });
  const fields = el('div');
  const status = el('p', { role: 'status', class: 'error', id: 'form-status' });
  const form = el('form', { id: 'job-form', novalidate: true },
    el('div', { class: 'field' }, el('label', { for: 'task' }, 'Task'), taskSelect), about,
    el('div', { class: 'field' }, el('label', { for: 'f-name' }, 'Name (optional)'), el('input', { id: 'f-name', name: 'name' }),
      el('div', { class: 'error', id: 'err-name' })),
    fields, el('button', { type: 'submit', id: 'submit' }, 'Train'), status);
  panel.append(form);

  const show = () => {
    const task = tasks.find(t => t.name === taskSelect.value);
    about.textContent = task.description;
    fields.replaceChildren(
      el('fieldset', {}, el('legend', {}, 'Hyperparameters'), task.hyperparameters.map(p => field('hyperparameters', p))),
      task.data?.length ? el('fieldset', {}, el('legend', {}, 'Data'), task.data.map(p => field('data', p))) : '');
  };
  taskSelect.addEventListener('change', show);
  show();

  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    form.querySelectorAll('.error').forEach(e => { e.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
    const spec = { task: taskSelect.value, hyperparameters: {}, data: {} };
    const name = form.querySelector('#f-name').value.trim();
    if (name) spec.name = name;
    for (const input of fields.querySelectorAll('input, select')) {
      if (input.value.trim() === '') continue;
      const [group, key] = input.name.split('.');
      spec[group][key] = parse(input.value.trim(), input.dataset.type);
    }
    for (const g of ['hyperparameters', 'data']) if (!Object.keys(spec[g]).length) delete spec[g];
    try {
      const job = await postJson('/api/jobs', spec);
      location.hash = `#/jobs/${job.id}`;
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      status.textContent = e.message; // a 403's names the scope the key lacks
      for (const err of e.body.errors || []) {
        const box = form.querySelector(`[id="err-${err.field}"]`);
        const input = form.querySelector(`[name="${err.field}"]`);
        if (box) box.textContent = err.message;
        if (input) { input.setAttribute('aria-invalid', 'true'); input.setAttribute('aria-describedby', `err-${err.field} help-${err.field}`); }
      }
      form.querySelector('[aria-invalid="true"]')?.focus();
    }
  });
}

// Inputs start empty with the default as placeholder: what is sent is only what the user changed.
function field(group, p) {
  const id = `${group}.${p.name}`;
  const shown = Array.isArray(p.defaultValue) ? p.defaultValue.join(', ') : p.defaultValue ?? '';
  const range = p.min !== null && p.min !== undefined ? ` Range ${p.min} to ${p.max}.` : '';
  const input = p.allowed
    ? el('select', { id, name: id, 'data-type': 'string' }, el('option', { value: '' }, `default (${shown})`), p.allowed.map(a => el('option', { value: a }, a)))
    : el('input', { id, name: id, placeholder: String(shown), inputmode: p.type.startsWith('integer[') ? 'text' : 'decimal',
      'data-type': p.type, 'aria-describedby': `help-${id}` });
  return el('div', { class: 'field' }, el('label', { for: id }, p.name),
    input, el('div', { class: 'help', id: `help-${id}` }, `${p.description} Default ${shown}.${range}`), el('div', { class: 'error', id: `err-${id}` }));
}

function parse(text, type) {
  if (type?.startsWith('integer[')) return text.split(/[\s,]+/).filter(Boolean).map(Number);
  if (type === 'integer' || type === 'number') return Number.isNaN(Number(text)) ? text : Number(text);
  return text;
}
