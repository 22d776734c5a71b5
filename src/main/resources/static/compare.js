// Runs side by side: #/compare?jobs=a,b&metric=train_loss draws one metric of the ticked jobs in one
// chart (GET /api/compare/plot.svg), named by what differs between their specs, with a metric picker.
import { getJson, imageUrl, el, fmt } from './api.js';

export function renderCompare(main, query) {
  const params = new URLSearchParams(query);
  const jobs = params.get('jobs') || '';
  main.append(el('h1', { id: 'compare-h' }, 'Compare runs'));
  const panel = comparison({ jobs }, params.get('metric') || 'train_loss', metric => {
    // The address follows the picker without a new view (replaceState fires no hashchange).
    history.replaceState(null, '', `#/compare?jobs=${jobs}&metric=${encodeURIComponent(metric)}`);
  });
  main.append(panel.element);
  panel.load();
  return () => {};
}

/**
 * A metric picker, the comparison chart and a table of the runs (their names, status, last value),
 * for named jobs ({jobs: 'a,b'}) or a sweep's trials ({sweep: id}). load() fetches again.
 */
export function comparison(what, metric, onPick = () => {}) {
  const picker = el('select', { id: 'compare-metric' }, el('option', { value: metric }, metric));
  const status = el('p', { class: 'error', id: 'compare-status', role: 'status' });
  const chart = el('img', { id: 'compare-chart', class: 'plot', alt: `${metric} of the compared runs` });
  const tbody = el('tbody');
  const table = el('table', { class: 'jobs', id: 'compare-runs' },
    el('thead', {}, el('tr', {}, ['Run', 'Status', `Last value`, 'Points'].map(h => el('th', { scope: 'col' }, h)))), tbody);
  const element = el('section', { class: 'panel', 'aria-labelledby': 'compare-chart-h' },
    el('h2', { id: 'compare-chart-h' }, 'Curves side by side'),
    el('div', { class: 'field' }, el('label', { for: 'compare-metric' }, 'Metric'), picker), status, chart,
    el('div', { class: 'table-scroll', role: 'region', 'aria-label': 'compared runs', tabindex: 0 }, table));
  let metricsShown = false;
  let loads = 0;

  const query = () => {
    const q = new URLSearchParams(what);
    q.set('metric', picker.value);
    return q.toString();
  };
  const load = async () => {
    const n = ++loads;
    status.textContent = '';
    try {
      const c = await getJson(`/api/compare?${query()}`);
      if (n !== loads) return;
      tbody.replaceChildren(...c.series.map(s => el('tr', { 'data-job': s.jobId },
        el('td', {}, el('a', { href: `#/jobs/${s.jobId}` }, s.name)),
        el('td', { class: `status status-${s.status}` }, s.status),
        el('td', { class: 'num' }, fmt(s.points.at(-1)?.value)),
        el('td', { class: 'num' }, s.points.length))));
      chart.alt = `${c.metric} per step of ${c.series.map(s => s.name).join('; ')}`;
      const url = await imageUrl(`/api/compare/plot.svg?${query()}`);
      if (n !== loads) return;
      chart.src = url;
      chart.dataset.runs = c.series.length;
      if (!metricsShown) {
        metricsShown = true;
        await offerMetrics(picker, [...new Set(c.series.map(s => s.task))]);
      }
    } catch (e) {
      if (n === loads) status.textContent = e.message;
    }
  };
  picker.addEventListener('change', () => { onPick(picker.value); load(); });
  return { element, load };
}

/** Every metric the runs' tasks record, from GET /api/tasks; the current choice stays chosen. */
async function offerMetrics(picker, taskNames) {
  const tasks = await getJson('/api/tasks');
  const names = new Set();
  tasks.filter(t => taskNames.includes(t.name)).forEach(t => (t.metrics || []).forEach(m => names.add(m)));
  const current = picker.value;
  names.add(current);
  picker.replaceChildren(...[...names].sort().map(m => el('option', { value: m, selected: m === current }, m)));
  picker.value = current;
}
