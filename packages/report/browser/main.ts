import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { Section } from '../src/model.js';
import { readPageData } from './data.js';
import { h } from './dom.js';
import { RENDERERS } from './sections/index.js';

// a macrotask between sections: input is answered and the browser may paint, without waiting for a frame
const yieldToBrowser = () =>
  new Promise<void>((resolve) => {
    const c = new MessageChannel();
    c.port1.onmessage = () => resolve();
    c.port2.postMessage(null);
  });

/**
 * Draws the sections in reading order, yielding to the browser between them so the top of the page
 * shows (and answers) while the rest is drawn. `data-ready` on <html> says every section is drawn.
 */
async function main(): Promise<void> {
  performance.mark('regimen:start');
  const data = await readPageData();
  performance.measure('regimen:data', 'regimen:start');
  document.title = data.title;
  const root = document.getElementById('report')!;
  const nav = h('nav', {}, ...data.sections.map((s) => h('a', { href: `#${s.kind}` }, RENDERERS[s.kind].title)));
  root.replaceChildren(h('header', { class: 'top' }, h('h1', {}, data.title), nav));
  for (const s of data.sections) {
    const el = h('section', { id: s.kind, 'data-section': s.kind }, h('h2', {}, RENDERERS[s.kind].title));
    root.append(el);
    const t0 = performance.now();
    (RENDERERS[s.kind].render as (el: HTMLElement, s: Section) => void)(el, s);
    await Promise.resolve(); // the charts a section queued as microtasks
    // per-section drawing time, for `regimen bench report` and the browser's performance panel
    performance.measure(`regimen:section:${s.kind}`, { start: t0 });
    await yieldToBrowser();
  }
  root.append(h('footer', {}, `Written by ${data.generated_by} from the workspace's files; every number here is in them.`));
  document.documentElement.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  console.error(e);
  document.getElementById('report')?.append(h('p', { class: 'error' }, `The report could not be drawn: ${(e as Error).message}`));
});
