import type { UniverseSection } from '../../src/model.js';
import { formatInteger, formatNumber } from '../../src/format.js';
import { equityAndDrawdown } from '../curves.js';
import { figure, h, numberCell, select, table } from '../dom.js';
import { VALIDATION_METRICS, METRIC_HEADS } from './validation.js';

const PORTFOLIO_METRICS = VALIDATION_METRICS.filter((m) => m !== 'trades' && m !== 'exposure');

export function renderUniverse(el: HTMLElement, s: UniverseSection): void {
  let metric = 'sharpe';
  const series = h('div');
  const draw = () => series.replaceChildren(seriesTable(s, metric));
  draw();
  const stretch = s.method === 'walk_forward' ? 'its folds\' out-of-sample windows stitched together' : 'its test split';
  el.append(
    h('p', {}, `${s.workflow_id}, created ${s.created_at}: ${s.series.length} series, each run as a workflow of its own; the adaptive strategy's regimes come from ${s.classifier}; runs are compared by ${s.objective}.`),
    figure(
      `Every series out of sample (${stretch}): the metric chosen above for the adaptive strategy and each baseline. A cell is green where the adaptive strategy scores higher than that baseline by ${s.objective}, red where lower. Each series' own page has its regimes, winners, weights, trades and proofs.`,
      h('div', { class: 'controls' }, select('universe-metric', 'metric', VALIDATION_METRICS.map((m): [string, string] => [m, METRIC_HEADS[m] ?? m]), metric, (v) => ((metric = v), draw()))),
      series,
    ),
    figure(
      `How often the adaptive strategy beats each baseline across the series by ${s.objective}, with the two-sided exact sign test (ties left out): the p-value of "as likely to win as to lose".`,
      table(
        { 'data-table': 'sign-tests' },
        ['baseline', h('th', { class: 'num' }, 'wins'), h('th', { class: 'num' }, 'losses'), h('th', { class: 'num' }, 'ties'), h('th', { class: 'num' }, 'p-value')],
        s.comparisons.map((c) =>
          h(
            'tr',
            { 'data-baseline': c.baseline },
            h('th', {}, c.label),
            numberCell('trades', c.wins),
            numberCell('trades', c.losses),
            numberCell('trades', c.ties),
            h('td', { class: 'num', 'data-value': c.p_value === null ? '' : String(c.p_value) }, c.p_value === null ? 'no test (all ties)' : formatNumber(c.p_value, 4)),
          ),
        ),
      ),
    ),
  );
  const p = s.portfolio;
  if (!p) {
    el.append(h('p', { class: 'note' }, 'The series share fewer than two out-of-sample bars: there is no equal-weight portfolio to draw.'));
    return;
  }
  const span = `${p.first} → ${p.last}, ${formatInteger(p.bars)} shared bars`;
  if (p.equity && p.drawdown) {
    el.append(
      equityAndDrawdown({
        equity: 'universe-equity',
        drawdown: 'universe-drawdown',
        scaleInput: 'universe-scale',
        labels: s.runs.map((r) => r.label),
        x: p.equity.x.map((t) => t / 1000),
        equityYs: p.equity.ys,
        drawdownYs: p.drawdown.ys,
        equityCaption: `Equal-weight portfolios of the series (${span}): of their adaptive strategies and of each baseline — buy and hold of the same series among them — rebalanced to equal weights at every bar all series share (rebalancing not costed)${p.equity.reduced ? `; ${formatInteger(p.equity.bars)} bars drawn as ${formatInteger(p.equity.x.length)} points, each column keeping its first, lowest, highest and last value` : ''}. Drag to zoom, double-click to reset.`,
        drawdownCaption: 'Drawdown of the portfolios: the fall from the running peak.',
      }),
    );
  }
  el.append(
    figure(
      `Metrics of the equal-weight portfolios' returns (${span}).`,
      table(
        { 'data-table': 'portfolio-metrics' },
        ['portfolio of', ...PORTFOLIO_METRICS.map((m) => h('th', { class: 'num' }, METRIC_HEADS[m] ?? m))],
        s.runs.map((r) => h('tr', { 'data-run': r.key }, h('th', {}, r.label), ...PORTFOLIO_METRICS.map((m) => numberCell(m, p.metrics[r.key][m as keyof (typeof p.metrics)[typeof r.key]])))),
      ),
    ),
  );
}

function seriesTable(s: UniverseSection, metric: string): HTMLElement {
  const m = metric as (typeof VALIDATION_METRICS)[number];
  return table(
    { 'data-table': 'series', 'data-metric': metric },
    ['series', 'out of sample', h('th', { class: 'num' }, 'bars'), ...s.runs.map((r) => h('th', { class: 'num', 'data-run': r.key }, r.label)), 'page'],
    s.series.map((row) =>
      h(
        'tr',
        { 'data-series': row.name },
        h('th', {}, row.name),
        h('td', { class: 'nowrap' }, `${row.first} → ${row.last}`),
        numberCell('bars', row.bars),
        ...s.runs.map((r) => {
          const td = numberCell(m, row.metrics[r.key][m]);
          // colour a baseline's cell by the sign test's own verdict for this series (its score, not the metric shown)
          if (r.key !== 'adaptive') {
            const d = row.scores.adaptive - row.scores[r.key];
            if (d !== 0) td.classList.add(d > 0 ? 'good' : 'bad');
          }
          return td;
        }),
        h('td', { class: 'link' }, row.report ? h('a', { href: row.report, 'data-link': 'series' }, row.name) : '—'),
      ),
    ),
  );
}
