import * as Plot from '@observablehq/plot';
import type { OverfittingSection, OverfittingSubject, PboView } from '../../src/model.js';
import { formatInteger, formatNumber, formatPercent } from '../../src/format.js';
import { chartWidth } from '../charts.js';
import { figure, h, numberCell, table } from '../dom.js';
import { pboCell } from '../folds.js';

const OVERFIT = '#e15759';
const GENERALISES = '#4e79a7';

export function renderOverfitting(el: HTMLElement, s: OverfittingSection): void {
  const computed = s.subjects.filter((x) => x.pbo);
  const first = computed[0]?.pbo;
  el.append(
    figure(
      `The Probability of Backtest Overfitting (Bailey, Borwein, López de Prado and Zhu, 2015) of picking the best in sample, by combinatorially symmetric cross-validation over the training window's returns (bars ${formatInteger(s.window.start)}–${formatInteger(s.window.end - 1)}${first ? `, ${first.blocks} blocks of ${formatInteger(first.bars_per_block)} bars, every one of the ${formatInteger(first.splits)} halvings a split` : ''}): per strategy over its trials, over all trials, and per classifier over the ${formatInteger(s.weight_sets)} weight sets of the ensemble grid. PBO is the share of splits where the in-sample winner ranks at or below the median out of sample: near 0 the selection generalises, near 0.5 it is no better than chance. P(loss) is the share of splits where the winner lost money out of sample; slope, Sharpe IS and OOS summarise the performance degradation (the winner's annualised Sharpe in and out of sample across the splits, drawn below). Beside them, the Deflated Sharpe Ratios of the regime winners it is about (best parameters per regime, above): the DSR asks whether one winner survives the number of trials, PBO how often picking the best picks a fluke.`,
      table(
        { 'data-table': 'overfitting' },
        ['', ...['PBO', 'candidates', 'P(loss)', 'slope', 'Sharpe IS', 'Sharpe OOS', 'DSR median', 'DSR min – max (winners)'].map((x) => h('th', { class: 'num' }, x))],
        s.subjects.map((x) =>
          h(
            'tr',
            { 'data-subject': x.key },
            h('th', {}, x.label),
            pboCell(x.pbo?.pbo ?? null),
            numberCell('trials', x.pbo?.trials),
            numberCell('pbo', x.pbo?.probability_of_loss),
            numberCell('slope', x.pbo?.slope),
            numberCell('sharpe', x.pbo?.in_sample_mean),
            numberCell('sharpe', x.pbo?.out_of_sample_mean),
            numberCell('dsr', x.dsr?.median),
            h('td', { class: 'num', title: x.dsr ? `${x.dsr.winners} regime winners` : undefined }, x.dsr ? `${formatNumber(x.dsr.min, 3)} – ${formatNumber(x.dsr.max, 3)} (${x.dsr.winners})` : '—'),
          ),
        ),
      ),
    ),
    h('div', { class: 'grid' }, ...s.subjects.map(subjectBlock)),
  );
}

function subjectBlock(x: OverfittingSubject): HTMLElement {
  const block = h('div', { class: 'overfitting', 'data-subject': x.key });
  const p = x.pbo;
  if (!p) {
    block.append(h('h3', {}, x.label), h('p', { class: 'note' }, 'No PBO: fewer than two candidates, too few bars for two blocks, or no saved signals to take returns from.'));
    return block;
  }
  const logits = h('div', { class: 'chart', 'data-chart': 'logits', 'data-subject': x.key });
  const degradation = h('div', { class: 'chart', 'data-chart': 'degradation', 'data-subject': x.key });
  block.append(
    h('h3', {}, `${x.label}: PBO ${formatNumber(p.pbo, 3)}`),
    figure(
      `${x.label}: how the in-sample winner ranked out of sample in each of the ${formatInteger(p.splits)} splits, as the logit λ of its relative rank among the ${formatInteger(p.trials)} candidates. Left of the line λ = 0 (red) it ranked at or below the median — their share is the PBO, ${formatPercent(p.pbo, 1)}; a pile right of the line says the selection generalises, one centred on it that it is no better than chance.`,
      logits,
    ),
    figure(
      `${x.label}: performance degradation — the in-sample winner's Sharpe in sample (x) against out of sample (y)${p.sample ? `, one dot per split for ${formatInteger(p.sample.length)} evenly spaced of the ${formatInteger(p.splits)}` : ' (this workspace\'s file has no per-split points: it was written before they were kept)'}; the line is the regression over all splits, slope ${formatNumber(p.slope, 3)} (at or below 0: the better a winner looked in sample, the worse it did out of sample — overfitting's signature), ◆ the means; below the dashed line it lost money (probability of loss ${formatPercent(p.probability_of_loss, 1)}).`,
      degradation,
    ),
  );
  queueMicrotask(() => {
    const width = Math.min(560, chartWidth(block));
    logits.append(logitHistogram(p, width));
    degradation.append(degradationChart(p, width));
  });
  return block;
}

function logitHistogram(p: PboView, width: number): Element {
  const bins = p.counts.map((count, i) => {
    const lo = p.edges[i]!;
    const hi = p.edges[i + 1]!;
    return { lo, hi, count, overfit: (lo + hi) / 2 <= 0, title: `λ ${formatNumber(lo, 2)} to ${formatNumber(hi, 2)}: ${count} splits` };
  });
  return Plot.plot({
    width,
    height: 200,
    marginLeft: 50,
    x: { label: 'logit λ of the winner\'s out-of-sample rank', domain: [Math.min(p.edges[0]!, -0.5), Math.max(p.edges.at(-1)!, 0.5)] },
    y: { label: 'splits', grid: true },
    marks: [
      Plot.rectY(bins, { x1: 'lo', x2: 'hi', y: 'count', fill: (d: (typeof bins)[number]) => (d.overfit ? OVERFIT : GENERALISES), title: 'title', className: 'logit-bin', insetLeft: 0.5, insetRight: 0.5 }),
      Plot.ruleY([0]),
      Plot.ruleX([0], { stroke: 'black', strokeWidth: 1.5, className: 'lambda-zero' }),
      Plot.text([0], { x: (d: number) => d, frameAnchor: 'top', text: () => 'λ = 0', dy: -2, dx: 4, textAnchor: 'start' }),
    ],
  });
}

function degradationChart(p: PboView, width: number): Element {
  const points = (p.sample ?? []).map(([x, y]) => ({ x, y, title: `in sample ${formatNumber(x, 3)}, out of sample ${formatNumber(y, 3)}` }));
  const xs = [...points.map((d) => d.x), p.in_sample_mean];
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const pad = hi > lo ? 0 : 0.5;
  const line = [lo - pad, hi + pad].map((x) => ({ x, y: p.intercept + p.slope * x }));
  return Plot.plot({
    width,
    height: 220,
    marginLeft: 50,
    x: { label: 'Sharpe in sample (annualised)' },
    y: { label: 'Sharpe out of sample', grid: true },
    marks: [
      Plot.ruleY([0], { stroke: '#888', strokeDasharray: '4,3' }),
      Plot.dot(points, { x: 'x', y: 'y', r: 2.5, fill: GENERALISES, fillOpacity: 0.55, title: 'title', className: 'split' }),
      Plot.line(line, { x: 'x', y: 'y', stroke: OVERFIT, strokeWidth: 2, className: 'regression' }),
      Plot.dot([{ x: p.in_sample_mean, y: p.out_of_sample_mean }], { x: 'x', y: 'y', symbol: 'diamond', r: 6, fill: 'black', title: () => `means: in sample ${formatNumber(p.in_sample_mean, 3)}, out of sample ${formatNumber(p.out_of_sample_mean, 3)}`, className: 'means' }),
    ],
  });
}
