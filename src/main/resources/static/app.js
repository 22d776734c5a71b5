// Hash routes, so the page needs no server-side routing: #/ lists jobs, #/jobs/{id} shows one,
// #/compare?jobs=a,b&metric=… draws ticked jobs in one chart, #/sweeps/{id} shows a sweep.
import { renderList } from './list.js';
import { renderJob } from './job.js';
import { renderCompare } from './compare.js';
import { renderSweep } from './sweep.js';
import { initKeys } from './key.js';

let leave = () => {};

function route() {
  leave();
  const main = document.getElementById('app');
  main.replaceChildren();
  const hash = location.hash;
  let m;
  if ((m = hash.match(/^#\/jobs\/([\w-]+)/))) leave = renderJob(main, m[1]);
  else if ((m = hash.match(/^#\/compare\?(.*)$/))) leave = renderCompare(main, m[1]);
  else if ((m = hash.match(/^#\/sweeps\/([\w.:-]+)/))) leave = renderSweep(main, m[1]);
  else leave = renderList(main);
}

window.addEventListener('hashchange', route);
// A key forgotten, or entered after the dialog was dismissed: the view starts again with it.
initKeys(route);
route();
