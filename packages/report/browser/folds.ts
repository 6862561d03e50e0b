import { OVERFIT_PBO, type FoldProofs } from '../src/model.js';
import { h, numberCell } from './dom.js';

/** A fold's proofs in one word: a failure named, else ok, else what is missing. */
export function proofText(p: FoldProofs | null): string {
  if (!p) return 'not validated yet';
  if (p.look_ahead === false || p.transitions_verified === false) return `FAILED (${[p.look_ahead === false ? 'look-ahead' : '', p.transitions_verified === false ? 'switching' : ''].filter(Boolean).join(', ')})`;
  return p.look_ahead ? `ok${p.transitions_verified ? '' : ' (switching not verified)'}` : 'look-ahead proof not run';
}

export const proofFailed = (p: FoldProofs | null) => p !== null && (p.look_ahead === false || p.transitions_verified === false);

/** A table cell linking to a fold's own page (relative, so it works from file://), or a dash. */
export function foldLinkCell(index: number, href: string | null): HTMLTableCellElement {
  return h('td', { class: 'link' }, href ? h('a', { href, 'data-link': 'fold' }, `fold ${index}`) : '—');
}

/** A PBO cell, in red above one half (picking the best did worse than chance). */
export function pboCell(p: number | null): HTMLTableCellElement {
  const td = numberCell('pbo', p);
  if (p !== null && p > OVERFIT_PBO) td.classList.add('bad');
  return td;
}
