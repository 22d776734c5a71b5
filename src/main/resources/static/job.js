// One job, live: its event stream feeds the charts; the stream closes itself on the 'end' event.
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { getJson, postJson, imageUrl, apiLink, el, fmt, eta, throughput } from './api.js';
import { openEvents } from './events.js';
import { renderClassifier } from './mnist.js';

export function renderJob(main, id) {
  const head = el('div');
  const stepChart = el('div', { class: 'chart', id: 'loss-chart', 'data-points': 0, role: 'img', 'aria-label': 'train loss per step' });
  const epochChart = el('div', { class: 'chart', id: 'epoch-chart', 'data-points': 0, role: 'img', 'aria-label': 'losses and accuracy per epoch' });
  const extra = el('div');
  main.append(head,
    el('section', { class: 'panel' }, el('h2', {}, 'Loss per step'), stepChart),
    el('section', { class: 'panel', id: 'epoch-panel', hidden: true }, el('h2', {}, 'Per epoch'), epochChart), extra);

  const steps = [[], []];
  const epochs = new Map(); // epoch -> {epoch_train_loss, test_loss, test_accuracy}
  let job;
  let plotStep;
  let plotEpoch;
  let dirty = false;
  let classifier; // set once a classifier job has its first checkpoint
  let checkpoint; // the latest checkpoint event

  // The charts fill their panel: at a phone's width that is narrower than the window.
  const width = () => Math.max(200, Math.min(stepChart.clientWidth || main.clientWidth - 64, 1100));
  const draw = () => {
    dirty = false;
    if (!plotStep && steps[0].length) {
      plotStep = new uPlot({ width: width(), height: 260, scales: { x: { time: false } },
        series: [{ label: 'step' }, { label: 'train_loss', stroke: '#0b57d0', width: 1.5 }] }, steps, stepChart);
    } else if (plotStep) plotStep.setData(steps);
    stepChart.dataset.points = steps[0].length;
    const rows = [...epochs.entries()].sort((a, b) => a[0] - b[0]);
    if (rows.some(([, v]) => v.epoch_train_loss !== undefined || v.test_accuracy !== undefined)) {
      document.getElementById('epoch-panel').hidden = false;
      const data = [rows.map(r => r[0]), ...['epoch_train_loss', 'test_loss', 'test_accuracy'].map(k => rows.map(r => r[1][k] ?? null))];
      if (!plotEpoch) {
        plotEpoch = new uPlot({ width: width(), height: 240, scales: { x: { time: false }, acc: { range: [0, 1] } },
          axes: [{}, { label: 'loss' }, { scale: 'acc', side: 1, label: 'accuracy', grid: { show: false } }],
          series: [{ label: 'epoch' },
            { label: 'train loss', stroke: '#b3261e', width: 2, points: { show: true } },
            { label: 'test loss', stroke: '#b35900', width: 2, points: { show: true } },
            { label: 'test accuracy', stroke: '#1a7f37', width: 2, scale: 'acc', points: { show: true } }] }, data, epochChart);
      } else plotEpoch.setData(data);
      epochChart.dataset.points = rows.length;
    }
  };
  const later = () => { if (!dirty) { dirty = true; requestAnimationFrame(draw); } };
  const resize = () => { plotStep?.setSize({ width: width(), height: 260 }); plotEpoch?.setSize({ width: width(), height: 240 }); };
  window.addEventListener('resize', resize);

  // The header is built once and updated in place, so a status event never takes focus off Cancel or a link.
  const title = el('h1', {}, 'Job');
  const status = el('span', { class: 'status', id: 'job-status' });
  const what = el('span', {});
  const progress = el('progress', { max: 1, value: 0, 'aria-label': 'progress' });
  const info = el('p', { class: 'muted' });
  // What went wrong with Cancel, a link or the stream: a 403 names the scope the key lacks.
  const trouble = el('p', { class: 'error', id: 'job-error', role: 'status' });
  const failed = e => { trouble.textContent = e.message; };
  const cancel = el('button', { id: 'cancel', type: 'button', onclick: async () => {
    trouble.textContent = '';
    try { await postJson(`/api/jobs/${id}/cancel`); } catch (e) { failed(e); }
  } }, 'Cancel');
  head.append(title, el('p', {}, status, what, el('span', { class: 'muted' }, id)), progress, info,
    el('p', { class: 'links' }, cancel,
      apiLink(`/api/jobs/${id}/checkpoints`, 'Checkpoints', failed),
      apiLink(`/api/jobs/${id}/model`, 'Model summary', failed),
      apiLink(`/api/jobs/${id}`, 'Job JSON', failed),
      apiLink(`/api/jobs/${id}/plots/loss.svg`, 'Loss plot (SVG)', failed),
      el('a', { href: '/swagger-ui.html' }, 'API docs')), trouble);
  const showJob = j => {
    job = j;
    title.textContent = j.name || `${j.task} job`;
    status.textContent = j.status;
    status.className = `status status-${j.status}`;
    const recipe = j.spec?.recipe && j.spec.recipe !== 'seed' ? ` (recipe ${j.spec.recipe})` : '';
    what.textContent = ` · ${j.task}${recipe} · `;
    progress.value = j.progress?.fraction ?? 0;
    const speed = throughput(j);
    info.textContent = `epoch ${j.progress?.epoch ?? 0} of ${j.progress?.epochs ?? '?'} ${eta(j)}${speed ? ` · ${speed}` : ''}`
      + ` · loss ${fmt(j.latestMetrics?.train_loss?.value)}`;
    cancel.disabled = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(j.status);
    classify();
  };

  const fit = j => {
    if (j.task !== 'sine-regression') return;
    let img = document.getElementById('fit');
    if (!img) {
      extra.append(el('section', { class: 'panel' }, el('h2', {}, 'Fit: targets, trained and untrained network'),
        img = el('img', { id: 'fit', class: 'plot', alt: 'sine targets as points, the trained model and the untrained network as lines' })));
    }
    // Fetched with the key, shown as a data: URL (an <img src> request could not carry the key);
    // only the newest of overlapping fetches is shown.
    const n = ++fits;
    imageUrl(`/api/jobs/${id}/plots/fit.svg`).then(url => { if (n === fits) img.src = url; }, failed);
  };
  let fits = 0;
  let lastFit = 0;

  getJson(`/api/jobs/${id}`).then(j => { showJob(j); fit(j); }).catch(e => head.replaceChildren(el('p', { class: 'error' }, e.message)));

  // Predictions come from the latest checkpoint, so a classifier can be tried while it still trains.
  const classify = () => {
    if (!job || !checkpoint || job.task === 'sine-regression') return;
    if (!classifier) classifier = renderClassifier(extra, job);
    classifier.checkpoint(checkpoint);
  };
  const close = openEvents(`/api/jobs/${id}/events`, {
    metric: data => {
      const m = JSON.parse(data);
      if (m.name === 'train_loss') { steps[0].push(m.step); steps[1].push(m.value); }
      else if (['epoch_train_loss', 'test_loss', 'test_accuracy'].includes(m.name)) {
        epochs.set(m.epoch, { ...epochs.get(m.epoch), [m.name]: m.value });
      }
      later();
    },
    checkpoint: data => {
      checkpoint = JSON.parse(data);
      classify();
      // A new checkpoint means a new trained curve; at most one refresh a second.
      if (job && Date.now() - lastFit > 1000) { lastFit = Date.now(); fit(job); }
    },
    status: data => showJob(JSON.parse(data)),
    end: data => {
      const j = JSON.parse(data);
      showJob(j);
      fit(j);
      classifier?.ended();
    },
  }, failed);
  return () => { close(); window.removeEventListener('resize', resize); };
}
