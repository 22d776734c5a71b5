// Classifier jobs: test images with predicted and true labels, the confusion matrix, and a drawing pad.
// Shown from a job's first checkpoint on: predictions always use the latest one, even while it trains.
import { getJson, postJson, el } from './api.js';

/** Renders the panels; the job page then calls checkpoint(c) for each new checkpoint and ended(job) at the end. */
export function renderClassifier(container, job) {
  const grid = el('div', { class: 'digits', id: 'test-grid' });
  const confusion = el('div', { id: 'confusion' }, el('p', { class: 'muted' }, 'Shown when the last epoch ends.'));
  const note = el('p', { id: 'checkpoint-note', 'aria-live': 'polite' });
  const gridNote = el('p', { class: 'muted' }, 'Predicted label first, true label second; wrong ones are marked ✗ in red.');
  container.append(
    el('section', { class: 'panel' }, el('h2', {}, 'Draw'), note, pad(job)),
    el('section', { class: 'panel' }, el('h2', {}, 'Test images'), gridNote, grid),
    el('section', { class: 'panel' }, el('h2', {}, 'Confusion matrix'),
      el('p', { class: 'muted' }, 'Rows: true class. Columns: predicted class.'), confusion));
  // One request for the test images at a time: checkpoints that arrive meanwhile (a finished job's
  // stream replays them all at once) are folded into one refresh after it, so answers never land out of order.
  let shown = 0;
  let latest = 0;
  let busy = false;
  const images = async () => {
    if (busy || shown === latest) return;
    busy = true;
    shown = latest;
    try {
      await testImages(job, grid);
    } catch (e) {
      grid.replaceChildren(el('p', { class: 'error' }, e.message));
    } finally {
      busy = false;
    }
    images();
  };
  return {
    checkpoint(c) {
      if (c.number <= latest) return;
      latest = c.number;
      note.dataset.checkpoint = c.number;
      note.textContent = `Predictions use the job's latest checkpoint: number ${c.number} (epoch ${c.epoch}, step ${c.step}).`;
      images();
    },
    ended() {
      matrix(job, confusion).catch(e => confusion.replaceChildren(el('p', { class: 'muted' }, e.message)));
    },
  };
}

async function testImages(job, grid) {
  const set = await getJson(`/api/jobs/${job.id}/test-images?limit=24`);
  const answer = await postJson(`/api/jobs/${job.id}/predictions`, { instances: set.items.map(i => i.pixels) });
  grid.dataset.checkpoint = answer.checkpoint;
  grid.replaceChildren(...set.items.map((item, n) => {
    const p = answer.predictions[n];
    const right = String(p.label) === String(item.label) || p.label === item.className;
    const canvas = el('canvas', { width: 28, height: 28, 'aria-hidden': 'true' });
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(28, 28);
    item.pixels.flat().forEach((v, k) => { const g = 255 - Math.round(v * 255); img.data.set([g, g, g, 255], k * 4); });
    ctx.putImageData(img, 0, 0);
    return el('figure', { class: right ? 'digit' : 'digit wrong', 'data-true': item.label, 'data-predicted': p.label, style: 'margin:0' },
      canvas, el('figcaption', {}, `${right ? '' : '✗ '}${p.label} / ${item.className}`));
  }));
}

async function matrix(job, box) {
  const ev = await getJson(`/api/jobs/${job.id}/evaluation`);
  const classes = ev.classes || ev.confusion.map((_, i) => String(i));
  box.replaceChildren(el('p', {}, `Accuracy ${(ev.accuracy * 100).toFixed(2)} %`),
    el('div', { style: 'overflow-x:auto' }, el('table', { class: 'confusion' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'true \\ pred'), classes.map(c => el('th', { scope: 'col' }, c)))),
      el('tbody', {}, ev.confusion.map((row, i) => el('tr', {}, el('th', { scope: 'row' }, classes[i]),
        row.map((n, j) => el('td', { class: i === j ? 'diag' : '' }, n))))))));
}

// Dark strokes on white; the server crops, centres and inverts the drawing to look like MNIST.
function pad(job) {
  const canvas = el('canvas', { id: 'pad', width: 280, height: 280, role: 'img', 'aria-label': 'drawing pad: draw a digit with mouse, pen or finger' });
  const ctx = canvas.getContext('2d');
  const clear = () => { ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 280, 280); };
  clear();
  const label = el('div', { class: 'prediction', id: 'drawn-label', 'aria-live': 'polite' }, '–');
  const bars = el('div', { class: 'bars', id: 'bars' });
  const used = el('p', { class: 'muted', id: 'drawn-checkpoint' });
  let drawing = false;
  let inked = false;
  const at = e => { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * 280 / r.width, (e.clientY - r.top) * 280 / r.height]; };
  canvas.addEventListener('pointerdown', e => {
    drawing = true; inked = true; canvas.setPointerCapture?.(e.pointerId);
    const [x, y] = at(e);
    ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 0.1, y + 0.1);
    ctx.strokeStyle = '#000'; ctx.lineWidth = 22; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.stroke();
  });
  canvas.addEventListener('pointermove', e => { if (!drawing) return; const [x, y] = at(e); ctx.lineTo(x, y); ctx.stroke(); });
  const finish = () => { if (drawing) { drawing = false; predict(); } };
  canvas.addEventListener('pointerup', finish);
  canvas.addEventListener('pointerleave', finish);

  const predict = async () => {
    if (!inked) return;
    const b64 = canvas.toDataURL('image/png').split(',')[1];
    try {
      const answer = await postJson(`/api/jobs/${job.id}/predictions`, { instances: [{ b64 }] });
      const p = answer.predictions[0];
      label.textContent = String(p.label);
      label.dataset.label = p.label;
      label.dataset.checkpoint = answer.checkpoint;
      used.textContent = `read with checkpoint ${answer.checkpoint}`;
      const top = p.probabilities.indexOf(Math.max(...p.probabilities));
      bars.replaceChildren(...p.probabilities.map((q, i) => el('div', { class: i === top ? 'bar top' : 'bar', 'data-probability': q },
        el('span', {}, classNames(job)[i]), el('span', { class: 'track' }, el('span', { class: 'fill', style: `width:${(q * 100).toFixed(1)}%` })),
        el('span', {}, `${(q * 100).toFixed(1)}%`))));
    } catch (e) { label.textContent = e.message; }
  };
  const clearButton = el('button', { type: 'button', class: 'secondary', id: 'clear',
    onclick: () => { clear(); inked = false; label.textContent = '–'; delete label.dataset.label; used.textContent = ''; bars.replaceChildren(); } }, 'Clear');
  const predictButton = el('button', { type: 'button', id: 'predict', onclick: predict }, 'Predict');
  return el('div', { class: 'draw' }, el('div', {}, canvas, el('p', {}, predictButton, ' ', clearButton)),
    el('div', {}, el('p', {}, 'Prediction'), label, used, bars));
}

function classNames(job) {
  return job.task === 'fashion-mnist'
    ? ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
    : ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
}
