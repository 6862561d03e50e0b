import * as Plot from '@observablehq/plot';
import type { FoldPboSection } from '../../src/model.js';
import { formatNumber } from '../../src/format.js';
import { chartWidth } from '../charts.js';
import { foldLinkCell, pboCell } from '../folds.js';
import { figure, h, table } from '../dom.js';
import { RUN_COLORS } from '../palette.js';

export function renderFoldPbo(el: HTMLElement, s: FoldPboSection): void {
  const chart = h('div', { class: 'chart', 'data-chart': 'fold-pbo' });
  el.append(
    figure(
      'The Probability of Backtest Overfitting of each fold (its own trials and weight grid, over its in-sample window) and the mean over the folds: near 0 the in-sample winner stays above the median out of sample, near 0.5 picking the best is no better than chance. Each fold\'s page draws its logit histograms and performance degradation.',
      table(
        { 'data-table': 'fold-pbo' },
        ['fold', ...s.subjects.map((x) => h('th', { class: 'num', 'data-subject': x.key }, x.label)), 'page'],
        [
          ...s.folds.map((f) =>
            h(
              'tr',
              { 'data-fold': f.index },
              h('td', {}, String(f.index)),
              ...f.pbo.map((p, i) => {
                const td = pboCell(p);
                if (f.trials[i] !== null) td.title += ` (${f.trials[i]} candidates)`;
                return td;
              }),
              foldLinkCell(f.index, f.report),
            ),
          ),
          h('tr', { 'data-fold': 'mean', class: 'mean' }, h('th', {}, 'mean'), ...s.mean.map(pboCell), h('td')),
        ],
      ),
    ),
    figure('PBO per fold, one colour per column: each classifier\'s per-regime winners and regime weights (the mean over its regimes and strategies), then the secondary best-overall lines; the dashed line is 0.5, what a pick of no skill gives on average.', chart),
  );
  queueMicrotask(() => {
    const points = s.folds.flatMap((f) => f.pbo.flatMap((p, i) => (p === null ? [] : [{ fold: f.index, pbo: p, subject: s.subjects[i]!.label, title: `fold ${f.index}, ${s.subjects[i]!.label}: PBO ${formatNumber(p, 3)}` }])));
    chart.append(
      Plot.plot({
        width: Math.min(720, chartWidth(el)),
        height: 220,
        marginLeft: 50,
        x: { label: 'fold', type: 'point', domain: s.folds.map((f) => f.index) },
        y: { label: 'PBO', domain: [0, 1], grid: true },
        color: { domain: s.subjects.map((x) => x.label), range: RUN_COLORS, legend: true },
        marks: [
          Plot.ruleY([0.5], { stroke: '#888', strokeDasharray: '4,3' }),
          Plot.line(points, { x: 'fold', y: 'pbo', stroke: 'subject', strokeOpacity: 0.5 }),
          Plot.dot(points, { x: 'fold', y: 'pbo', fill: 'subject', r: 4, title: 'title', className: 'fold-pbo' }),
        ],
      }),
    );
  });
}
