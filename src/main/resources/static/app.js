// Hash routes, so the page needs no server-side routing: #/ lists jobs, #/jobs/{id} shows one.
import { renderList } from './list.js';
import { renderJob } from './job.js';

let leave = () => {};

function route() {
  leave();
  const main = document.getElementById('app');
  main.replaceChildren();
  const m = location.hash.match(/^#\/jobs\/([\w-]+)/);
  leave = m ? renderJob(main, m[1]) : renderList(main);
}

window.addEventListener('hashchange', route);
route();
