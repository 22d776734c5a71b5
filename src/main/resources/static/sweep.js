// One sweep (#/sweeps/{id}), from GET /api/sweeps/{id}: its trials sorted by the objective, a scatter
// of one parameter against the objective, and the trials' curves of the objective metric in one chart.
// Polled every 3 s while the sweep runs.
import { getJson, el, fmt } from './api.js';
import { comparison } from './compare.js';
import { scatter, short, shown } from './scatter.js';

export function renderSweep(main, id) {
  const title = el('h1', {}, `Sweep ${id}`);
  const summary = el('p', { id: 'sweep-summary' });
  const status = el('p', { class: 'error', id: 'sweep-status', role: 'status' });
  const thead = el('thead');
  const tbody = el('tbody');
  const table = el('table', { class: 'jobs', id: 'sweep-trials' }, thead, tbody);
  const param = el('select', { id: 'scatter-param' });
  const plot = el('div', { id: 'sweep-scatter' });
  main.append(title, summary, status,
    el('section', { class: 'panel', 'aria-labelledby': 'trials-h' }, el('h2', { id: 'trials-h' }, 'Trials, best first'),
      el('div', { class: 'table-scroll', role: 'region', 'aria-label': 'trial table', tabindex: 0 }, table)),
    el('section', { class: 'panel', 'aria-labelledby': 'scatter-h' }, el('h2', { id: 'scatter-h' }, 'Parameter against objective'),
      el('div', { class: 'field' }, el('label', { for: 'scatter-param' }, 'Parameter'), param), plot));

  let sweep;
  let curves;
  let timer;
  let left = false;
  const drawScatter = () => {
    if (!sweep || !param.value) return;
    plot.replaceChildren(scatter(sweep.trials, param.value, sweep.objective.metric));
  };
  param.addEventListener('change', drawScatter);

  const refresh = async () => {
    try {
      sweep = await getJson(`/api/sweeps/${id}`);
      status.textContent = '';
      show(sweep, summary, thead, tbody, param);
      drawScatter();
      if (!curves) {
        curves = comparison({ sweep: id }, sweep.objective.metric);
        main.append(curves.element);
      }
      curves.load();
    } catch (e) {
      status.textContent = e.message;
    }
    if (!left && (!sweep || sweep.status === 'RUNNING')) timer = setTimeout(refresh, 3000);
  };
  refresh();
  return () => { left = true; clearTimeout(timer); };
}

/** Trials sorted by the objective (best first, by objective.mode), trials without a value last, then by number. */
export function sortTrials(trials, mode) {
  const sign = mode === 'max' ? -1 : 1;
  return [...trials].sort((a, b) => {
    const av = a.objective;
    const bv = b.objective;
    if (av === null || av === undefined) return bv === null || bv === undefined ? a.number - b.number : 1;
    if (bv === null || bv === undefined) return -1;
    return sign * (av - bv) || a.number - b.number;
  });
}

function show(sweep, summary, thead, tbody, param) {
  const o = sweep.objective || {};
  const c = sweep.counts || {};
  const goal = o.goal === null || o.goal === undefined ? '' : `, goal ${o.goal}`;
  summary.replaceChildren(el('span', { class: `status status-${sweep.status}`, id: 'sweep-state' }, sweep.status),
    ` · ${sweep.algorithm} · objective: ${o.mode} ${o.metric}${goal} · `
    + `${c.succeeded ?? 0} succeeded, ${c.running ?? 0} running, ${c.queued ?? 0} queued, ${c.failed ?? 0} failed, `
    + `${c.stopped ?? 0} stopped early, ${c.cancelled ?? 0} cancelled of ${sweep.maxTrials} trials`
    + (sweep.reason ? ` · ${sweep.reason}` : ''));
  const keys = [...new Set(sweep.trials.flatMap(t => Object.keys(t.parameters || {})))];
  thead.replaceChildren(el('tr', {}, ['Trial', 'Status', o.metric || 'Objective', ...keys.map(short), 'Stopped by']
    .map(h => el('th', { scope: 'col' }, h))));
  const best = sweep.best?.number;
  tbody.replaceChildren(...sortTrials(sweep.trials, o.mode).map(t => el('tr', { 'data-trial': t.number, class: t.number === best ? 'best' : null },
    el('td', {}, el('a', { href: `#/jobs/${t.jobId}` }, `#${t.number}`), t.number === best ? ' (best)' : ''),
    el('td', { class: `status status-${t.status}` }, t.status),
    el('td', { class: 'num' }, fmt(t.objective)),
    keys.map(k => el('td', {}, shown(t.parameters?.[k]))),
    el('td', {}, t.stoppedBy || '–'))));
  if (!sweep.trials.length) tbody.replaceChildren(el('tr', {}, el('td', { colspan: keys.length + 4, class: 'muted' }, 'No trials yet.')));
  // The picker is filled once (and when new parameters appear), so a choice made survives the polls.
  if (keys.join() !== [...param.options].map(p => p.value).join()) {
    const chosen = param.value;
    param.replaceChildren(...keys.map(k => el('option', { value: k }, short(k))));
    if (keys.includes(chosen)) param.value = chosen;
  }
}
