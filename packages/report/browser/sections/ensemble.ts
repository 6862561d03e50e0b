import * as Plot from '@observablehq/plot';
import type { EnsembleClassifierView, EnsembleSection } from '../../src/model.js';
import { formatInteger, formatNumber } from '../../src/format.js';
import { chartWidth } from '../charts.js';
import { figure, h, numberCell, table } from '../dom.js';
import { regimeColor, RUN_COLORS } from '../palette.js';

export function renderEnsemble(el: HTMLElement, s: EnsembleSection): void {
  el.append(h('div', { class: 'grid' }, ...s.classifiers.map((c) => classifierBlock(c, s.objective))));
}

function classifierBlock(c: EnsembleClassifierView, objective: string): HTMLElement {
  const block = h('div', { class: 'ensemble', 'data-classifier': c.classifier });
  const bars = h('div', { class: 'chart', 'data-chart': 'weights', 'data-classifier': c.classifier });
  const conv = h('div', { class: 'chart', 'data-chart': 'convergence', 'data-classifier': c.classifier });
  const converged = c.regimes.filter((r) => r.convergence && r.convergence.length > 0);
  block.append(
    h('h3', {}, c.classifier),
    figure(`${c.classifier}: the ensemble weights of each regime, stacked (each bar sums to the total weight; equal weights stand in where no weight set could be scored).`, bars),
    table(
      { 'data-table': 'weights', 'data-classifier': c.classifier },
      ['regime', ...c.strategies.map((s) => h('th', { class: 'num' }, s)), h('th', { class: 'num' }, `score (${objective})`), 'note'],
      c.regimes.map((r) => h('tr', { 'data-regime': r.regime }, h('th', {}, r.regime), ...r.weights.map((w) => numberCell('weight', w)), numberCell('score', r.score), h('td', { class: 'note' }, r.fallback ?? ''))),
    ),
    converged.length
      ? figure(`${c.classifier}: how each regime's weight search converged — the best ${objective} found after each number of weight sets scored (${formatInteger(c.weight_sets)} in all, in the order the search scored them).`, conv)
      : h('p', { class: 'note' }, 'The order in which weight sets were scored is not recorded in this workspace (an earlier version wrote it): no convergence chart.'),
  );
  queueMicrotask(() => {
    const width = Math.min(560, chartWidth(block));
    const rows = c.regimes.flatMap((r) => c.strategies.map((s, k) => ({ regime: r.regime, strategy: s, weight: r.weights[k]!, title: `${r.regime}: ${s} ${formatNumber(r.weights[k]!, 3)}` })));
    bars.append(
      Plot.plot({
        width,
        height: 260,
        marginLeft: 50,
        x: { label: 'regime', domain: c.regimes.map((r) => r.regime) },
        y: { label: 'weight', grid: true },
        color: { domain: c.strategies, range: RUN_COLORS, legend: true },
        marks: [Plot.barY(rows, { x: 'regime', y: 'weight', fill: 'strategy', title: 'title', className: 'weight' }), Plot.ruleY([0])],
      }),
    );
    if (converged.length) {
      const points = converged.flatMap((r) => r.convergence!.map(([n, score]) => ({ regime: r.regime, n, score })));
      conv.append(
        Plot.plot({
          width,
          height: 240,
          marginLeft: 60,
          x: { label: 'weight sets scored', type: 'linear' },
          y: { label: `best ${objective}`, grid: true },
          color: { domain: c.regimes.map((r) => r.regime), range: c.regimes.map((r, i) => regimeColor(r.regime, i)), legend: true },
          marks: [Plot.line(points, { x: 'n', y: 'score', stroke: 'regime', curve: 'step-after', className: 'convergence' })],
        }),
      );
    }
  });
  return block;
}
