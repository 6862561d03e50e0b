import type { RegimesSection, RegimeStatsView } from '../../src/model.js';
import { formatInteger, formatNumber } from '../../src/format.js';
import { figure, h, numberCell, table } from '../dom.js';

export function renderRegimes(el: HTMLElement, s: RegimesSection): void {
  el.append(h('div', { class: 'grid' }, ...s.stats.map(statsBlock)));
}

function statsBlock(r: RegimeStatsView): HTMLElement {
  const key = { 'data-classifier': r.classifier, 'data-split': r.split };
  const summary = table(
    { 'data-table': 'regime-stats', ...key },
    ['regime', ...['bars', 'share', 'runs', 'mean duration', 'median duration'].map((x) => h('th', { class: 'num' }, x))],
    r.names.map((n, i) =>
      h('tr', { 'data-regime': n }, h('th', {}, n), numberCell('bars', r.count[i]), numberCell('share', r.share[i]), numberCell('runs', r.runs[i]), numberCell('duration', r.mean_duration[i]), numberCell('duration', r.median_duration[i])),
    ),
  );
  const rowTotal = r.matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const matrix = table(
    { 'data-table': 'transition-matrix', ...key },
    ['from \\ to', ...r.names.map((n) => h('th', { class: 'num' }, n))],
    r.matrix.map((row, i) =>
      h('tr', { 'data-regime': r.names[i]! }, h('th', {}, r.names[i]!), ...row.map((count, j) => {
        const p = rowTotal[i]! > 0 ? count / rowTotal[i]! : 0;
        return h('td', { class: i === j ? 'num diagonal' : 'num', title: `${formatInteger(count)} of ${formatInteger(rowTotal[i]!)} bars`, 'data-count': count }, formatNumber(p, 3));
      })),
    ),
  );
  return h(
    'div',
    { class: 'regime-stats', ...key },
    h('h3', {}, `${r.classifier} · ${r.split} split`),
    figure(
      `${r.classifier} on the ${r.split} split (${formatInteger(r.bars)} bars${r.unlabelled ? `, ${formatInteger(r.unlabelled)} of them warm-up without a regime` : ''}): each regime's share of the labelled bars and how long it lasts once entered; ${formatInteger(r.transitions)} transitions, median duration of all regimes ${formatNumber(r.all_median_duration, 1)} bars.`,
      summary,
    ),
    figure(`${r.classifier} on the ${r.split} split: probability that the next bar is in each regime given this bar's (hover for the counts).`, matrix),
  );
}
