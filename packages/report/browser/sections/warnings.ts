import type { WarningsSection } from '../../src/model.js';
import { figure, h } from '../dom.js';

export function renderWarnings(el: HTMLElement, s: WarningsSection): void {
  el.append(
    figure(
      'Things in this workspace that make its numbers less meaningful than they look; the CLI prints the same list after a run.',
      h('ul', { class: 'warnings' }, ...s.warnings.map((w) => h('li', { 'data-warning': w.code, 'data-subject': w.subject }, h('strong', {}, w.subject), ': ', w.message))),
    ),
  );
}
