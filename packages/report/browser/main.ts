import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { Section } from '../src/model.js';
import { readPageData } from './data.js';
import { h } from './dom.js';
import { RENDERERS } from './sections/index.js';

// a frame lets the browser paint; the timeout keeps going in a background tab, where frames pause
const nextFrame = () =>
  new Promise<void>((resolve) => {
    requestAnimationFrame(() => resolve());
    setTimeout(resolve, 100);
  });

/**
 * Draws the sections in reading order, yielding a frame between them so the top of the page shows
 * (and answers) while the rest is drawn. `data-ready` on <html> says every section is drawn.
 */
async function main(): Promise<void> {
  const data = await readPageData();
  document.title = data.title;
  const root = document.getElementById('report')!;
  const nav = h('nav', {}, ...data.sections.map((s) => h('a', { href: `#${s.kind}` }, RENDERERS[s.kind].title)));
  root.replaceChildren(h('header', { class: 'top' }, h('h1', {}, data.title), nav));
  for (const s of data.sections) {
    const el = h('section', { id: s.kind, 'data-section': s.kind }, h('h2', {}, RENDERERS[s.kind].title));
    root.append(el);
    (RENDERERS[s.kind].render as (el: HTMLElement, s: Section) => void)(el, s);
    await nextFrame();
  }
  root.append(h('footer', {}, `Written by ${data.generated_by} from the workspace's files; every number here is in them.`));
  document.documentElement.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  console.error(e);
  document.getElementById('report')?.append(h('p', { class: 'error' }, `The report could not be drawn: ${(e as Error).message}`));
});
