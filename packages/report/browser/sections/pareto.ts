import * as Plot from '@observablehq/plot';
import type { ParetoSection } from '../../src/model.js';
import { formatMetric, formatParams } from '../../src/format.js';
import { chartWidth } from '../charts.js';
import { figure, h, numberCell, table } from '../dom.js';
import { runColor } from '../palette.js';

const RULES: Record<string, string> = {
  first_objective: 'the best first objective',
  knee: 'the knee — nearest the ideal point once each objective is scaled to [0, 1] over the front',
  weighted: 'the largest weighted sum of the scaled objectives',
};

/**
 * Per classifier, a small scatter per regime of every strategy's Pareto front over the first two
 * objectives (the picked member ringed), and a table of the picks with all their scores.
 */
export function renderPareto(el: HTMLElement, s: ParetoSection): void {
  const rule = RULES[s.select] ?? s.select;
  el.append(h('p', { class: 'note' }, `Objectives ${s.objectives.join(', ')} (each higher is better); the winner of each regime is ${rule}${s.weights ? ` (weights ${s.weights.join(', ')})` : ''}.`));
  for (const c of s.classifiers) {
    const strategies = [...new Set(c.regimes.flatMap((r) => r.strategies.map((x) => x.strategy)))];
    const color = (name: string) => runColor(strategies.indexOf(name));
    const grid = h('div', { class: 'grid' });
    if (s.objectives.length >= 2) {
      for (const r of c.regimes) {
        const chart = h('div', { class: 'chart', 'data-chart': 'pareto', 'data-classifier': c.classifier, 'data-regime': r.regime });
        grid.append(h('figure', {}, chart, h('figcaption', {}, `${c.classifier} · ${r.regime}: ${r.strategies.map((x) => `${x.strategy} ${x.points.length} on the front of ${x.considered}`).join('; ')}`)));
        queueMicrotask(() => chart.replaceChildren(scatter(s.objectives, r.strategies, color, Math.min(360, chartWidth(grid)))));
      }
    }
    const rows = c.regimes.flatMap((r) =>
      r.strategies.map((x) => {
        const w = x.points.find((p) => p.trial_id === x.winner);
        return h(
          'tr',
          { 'data-classifier': c.classifier, 'data-regime': r.regime, 'data-strategy': x.strategy },
          h('td', {}, r.regime),
          h('td', {}, h('span', { style: `color:${color(x.strategy)}` }, '● '), x.strategy),
          h('td', { class: 'params', title: w?.trial_id }, w ? formatParams(w.params) : 'none ranked (the overall best stands in)'),
          ...s.objectives.map((_, i) => numberCell('score', w?.scores[i])),
          h('td', { class: 'num' }, `${x.points.length} / ${x.considered}`),
        );
      }),
    );
    el.append(
      h('h3', {}, c.classifier),
      grid,
      figure(
        `${c.classifier}: the member of each regime's front picked as the winner, its scores, and the front's size among the trials ranked.`,
        table({ 'data-table': 'pareto', 'data-classifier': c.classifier }, ['regime', 'strategy', 'winner', ...s.objectives.map((o) => h('th', { class: 'num' }, o)), h('th', { class: 'num' }, 'front / ranked')], rows),
      ),
    );
  }
}

type Strategies = ParetoSection['classifiers'][number]['regimes'][number]['strategies'];

function scatter(objectives: string[], strategies: Strategies, color: (s: string) => string, width: number): Element {
  const points = strategies.flatMap((x) =>
    x.points.map((p) => ({ strategy: x.strategy, x: p.scores[0]!, y: p.scores[1]!, winner: p.trial_id === x.winner, title: `${x.strategy}: ${formatParams(p.params)}\n${objectives.map((o, i) => `${o} ${formatMetric('score', p.scores[i])}`).join(', ')}` })),
  );
  return Plot.plot({
    width,
    height: Math.round(width * 0.75),
    marginLeft: 50,
    grid: true,
    x: { label: objectives[0] },
    y: { label: objectives[1] },
    marks: [
      // a front is a staircase: drawn through its points in order of the first objective
      ...strategies.map((x) => Plot.line(points.filter((p) => p.strategy === x.strategy), { x: 'x', y: 'y', stroke: color(x.strategy), strokeOpacity: 0.5, curve: 'step-after' })),
      Plot.dot(points, { x: 'x', y: 'y', fill: (p: { strategy: string }) => color(p.strategy), r: 3, title: 'title' }),
      Plot.dot(points.filter((p) => p.winner), { x: 'x', y: 'y', stroke: (p: { strategy: string }) => color(p.strategy), r: 7, strokeWidth: 2 }),
    ],
  });
}
