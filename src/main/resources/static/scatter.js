// A scatter of one parameter against the objective, drawn here as SVG: a numeric parameter on a linear
// axis (a logarithmic one when it spans two decades or more, as learning rates do), any other
// (a loss name, a list of layer sizes) as one column per value. Each point names its trial.
import { el } from './api.js';

// A namespace name, not an address: nothing is fetched from it.
const NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 320;
const PAD = { left: 70, right: 20, top: 20, bottom: 50 };

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

export function scatter(trials, param, metric) {
  const points = trials.filter(t => t.objective !== null && t.objective !== undefined && t.parameters?.[param] !== undefined);
  if (!points.length) return el('p', { class: 'muted', id: 'scatter-empty' }, 'No trial has an objective value yet.');
  const values = points.map(t => t.parameters[param]);
  const numeric = values.every(v => typeof v === 'number');
  let x;
  let ticks;
  if (numeric) {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const log = lo > 0 && hi / lo >= 100;
    const f = log ? Math.log10 : v => v;
    const [a, b] = lo === hi ? [f(lo) - 1, f(hi) + 1] : [f(lo), f(hi)];
    x = v => PAD.left + 10 + (f(v) - a) / (b - a) * (W - PAD.left - PAD.right - 20);
    let at = [0, 1, 2, 3, 4].map(i => lo + (hi - lo) * i / 4);
    if (log) {
      at = [];
      for (let p = Math.ceil(a); p <= Math.floor(b); p++) at.push(10 ** p);
    }
    ticks = (lo === hi ? [lo] : at).map(v => [x(v), +v.toPrecision(3)]);
  } else {
    const cats = [...new Set(values.map(shown))];
    const step = (W - PAD.left - PAD.right) / cats.length;
    x = v => PAD.left + step * (cats.indexOf(shown(v)) + 0.5);
    ticks = cats.map(c => [x(c), c]);
  }
  const ys = points.map(t => t.objective);
  const ylo = Math.min(...ys);
  const yhi = Math.max(...ys);
  const [c, d] = ylo === yhi ? [ylo - 1, yhi + 1] : [ylo - (yhi - ylo) * 0.05, yhi + (yhi - ylo) * 0.05];
  const y = v => H - PAD.bottom - (v - c) / (d - c) * (H - PAD.top - PAD.bottom);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'scatter', id: 'scatter-svg',
    'aria-label': `${metric} against ${short(param)}, ${points.length} trials`, 'data-points': points.length });
  root.append(svg('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, stroke: '#444' }),
    svg('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, stroke: '#444' }));
  for (const [px, label] of ticks) {
    root.append(svg('text', { x: px, y: H - PAD.bottom + 18, 'text-anchor': 'middle', fill: '#333', 'font-size': 12 }, String(label)));
  }
  for (let i = 0; i <= 4; i++) {
    const v = c + (d - c) * i / 4;
    root.append(svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', fill: '#333', 'font-size': 12 }, String(+v.toPrecision(3))));
  }
  root.append(svg('text', { x: (PAD.left + W - PAD.right) / 2, y: H - 8, 'text-anchor': 'middle', fill: '#222', 'font-size': 13 }, short(param)),
    svg('text', { transform: `translate(16 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)`, 'text-anchor': 'middle', fill: '#222',
      'font-size': 13 }, metric));
  for (const t of points) {
    root.append(svg('circle', { cx: x(t.parameters[param]), cy: y(t.objective), r: 5, fill: '#1f5fa8', 'fill-opacity': 0.8,
      'data-trial': t.number }, svg('title', {}, `trial ${t.number}: ${short(param)}=${shown(t.parameters[param])}, ${metric} ${t.objective}`)));
  }
  return root;
}

/** hyperparameters.learningRate → learningRate */
export function short(path) {
  return path.replace(/^hyperparameters\./, '');
}

export function shown(v) {
  return v === undefined || v === null ? '–' : Array.isArray(v) ? `[${v.join(',')}]` : String(v);
}
