import * as Plot from '@observablehq/plot';
import type { OverfittingSection, OverfittingSubject, PboView } from '../../src/model.js';
import { formatInteger, formatNumber, formatPercent } from '../../src/format.js';
import { chartWidth } from '../charts.js';
import { figure, h, numberCell, table } from '../dom.js';
import { pboCell } from '../folds.js';

const OVERFIT = '#e15759';
const GENERALISES = '#4e79a7';

export function renderOverfitting(el: HTMLElement, s: OverfittingSection): void {
  const first = s.subjects.find((x) => x.pbo)?.pbo;
  el.append(
    figure(
      `The Probability of Backtest Overfitting (Bailey, Borwein, López de Prado and Zhu, 2015) of each selection this run makes, by combinatorially symmetric cross-validation over the training window (bars ${formatInteger(s.window.start)}–${formatInteger(s.window.end - 1)}${first ? `; ${first.blocks} blocks, every one of the ${formatInteger(first.splits)} halvings a split` : ''}). Each row says what was ranked, by which statistic, over which bars: a strategy's trials in one regime, ranked by the phase-2 objective with its filters on the bars whose position was taken in that regime (the per-regime winner); the weight sets the phase-3 search scored, ranked by its objective on the same bars (the regime's weights); and, as secondary lines, each strategy's trials ranked by Sharpe over the whole window. PBO is the share of splits where the in-sample best ranks below the median out of sample, a split where it lands exactly on the median counting one half: with no skill it is 0.5 on average whatever the number of candidates, near 0 the selection generalises. P(loss) is the share of splits where the winner lost money out of sample; slope, IS and OOS summarise the performance degradation (the winner's statistic in and out of sample across the splits, drawn below). Beside them, the Deflated Sharpe Ratios of the regime winners each is about: the DSR asks whether one winner survives the number of trials, PBO how often picking the best picks a fluke.`,
      table(
        { 'data-table': 'overfitting' },
        ['', ...['ranked', 'by', 'PBO', 'candidates', 'splits used', 'P(loss)', 'slope', 'IS', 'OOS', 'DSR median', 'DSR min – max (winners)'].map((x) => h('th', { class: 'num' }, x))],
        s.subjects.map((x) =>
          h(
            'tr',
            { 'data-subject': x.key, 'data-kind': x.kind },
            h('th', { title: x.bars }, x.label),
            h('td', { title: x.bars }, x.ranked),
            h('td', {}, x.statistic),
            x.pbo ? pboCell(x.pbo.pbo) : h('td', { class: 'num', title: x.reason ?? undefined }, '—'),
            numberCell('trials', x.pbo?.candidates),
            numberCell('trials', x.pbo?.splits_used),
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
    h('div', { class: 'grid' }, ...s.subjects.filter((x) => x.pbo).map(subjectBlock)),
  );
}

function subjectBlock(x: OverfittingSubject): HTMLElement {
  const block = h('div', { class: 'overfitting', 'data-subject': x.key });
  const p = x.pbo!;
  const logits = h('div', { class: 'chart', 'data-chart': 'logits', 'data-subject': x.key });
  const degradation = h('div', { class: 'chart', 'data-chart': 'degradation', 'data-subject': x.key });
  block.append(
    h('h3', {}, `${x.label}: PBO ${formatNumber(p.pbo, 3)}`),
    figure(
      `${x.label}: ${x.ranked}, ranked by ${x.statistic} over ${x.bars}. How the in-sample winner ranked out of sample in each of the ${formatInteger(p.splits_used)} splits used (of ${formatInteger(p.splits)}), as the logit λ of its relative rank (mid-ranks for ties). Left of the line λ = 0 (red) it ranked below the median; ${formatInteger(p.at_median)} splits sat exactly on it and count one half; the PBO is ${formatPercent(p.pbo, 1)}. A pile right of the line says the selection generalises, one centred on it that it is no better than chance.`,
      logits,
    ),
    figure(
      `${x.label}: performance degradation — the in-sample winner's ${x.statistic} in sample (x) against out of sample (y), one dot per split for ${formatInteger(p.sample.length)} evenly spaced of the ${formatInteger(p.splits_used)}; the line is the regression over all of them, slope ${formatNumber(p.slope, 3)} (at or below 0: the better a winner looked in sample, the worse it did out of sample — overfitting's signature), ◆ the means; the probability that the winner lost money out of sample is ${formatPercent(p.probability_of_loss, 1)}.`,
      degradation,
    ),
  );
  queueMicrotask(() => {
    const width = Math.min(560, chartWidth(block));
    logits.append(logitHistogram(p, width));
    degradation.append(degradationChart(p, width, x.statistic));
  });
  return block;
}

function logitHistogram(p: PboView, width: number): Element {
  const bins = p.counts.map((count, i) => {
    const lo = p.edges[i]!;
    const hi = p.edges[i + 1]!;
    return { lo, hi, count, overfit: (lo + hi) / 2 < 0, title: `λ ${formatNumber(lo, 2)} to ${formatNumber(hi, 2)}: ${count} splits` };
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

function degradationChart(p: PboView, width: number, statistic: string): Element {
  const points = p.sample.map(([x, y]) => ({ x, y, title: `in sample ${formatNumber(x, 3)}, out of sample ${formatNumber(y, 3)}` }));
  const xs = [...points.map((d) => d.x), p.in_sample_mean];
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const pad = hi > lo ? 0 : 0.5;
  const line = [lo - pad, hi + pad].map((x) => ({ x, y: p.intercept + p.slope * x }));
  return Plot.plot({
    width,
    height: 220,
    marginLeft: 50,
    x: { label: `${statistic} in sample` },
    y: { label: `${statistic} out of sample`, grid: true },
    marks: [
      Plot.ruleY([0], { stroke: '#888', strokeDasharray: '4,3' }),
      Plot.dot(points, { x: 'x', y: 'y', r: 2.5, fill: GENERALISES, fillOpacity: 0.55, title: 'title', className: 'split' }),
      Plot.line(line, { x: 'x', y: 'y', stroke: OVERFIT, strokeWidth: 2, className: 'regression' }),
      Plot.dot([{ x: p.in_sample_mean, y: p.out_of_sample_mean }], { x: 'x', y: 'y', symbol: 'diamond', r: 6, fill: 'black', title: () => `means: in sample ${formatNumber(p.in_sample_mean, 3)}, out of sample ${formatNumber(p.out_of_sample_mean, 3)}`, className: 'means' }),
    ],
  });
}
