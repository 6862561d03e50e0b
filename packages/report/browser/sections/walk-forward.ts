import type uPlot from 'uplot';
import type { WalkForwardSection } from '../../src/model.js';
import { formatInteger, formatMetric } from '../../src/format.js';
import { behindPlot, equityAndDrawdown } from '../curves.js';
import { foldLinkCell, pboCell, proofFailed, proofText } from '../folds.js';
import { figure, h, numberCell, select, table } from '../dom.js';
import { VALIDATION_METRICS, METRIC_HEADS } from './validation.js';

export function renderWalkForward(el: HTMLElement, s: WalkForwardSection): void {
  let metric = 'sharpe';
  const folds = h('div');
  const draw = () => folds.replaceChildren(foldsTable(s, metric));
  draw();
  el.append(
    figure(
      `Every fold out of sample: the metric chosen above for the adaptive strategy (regimes from ${s.classifier}) and each baseline on the fold's out-of-sample window; the adaptive strategy's cagr on its own in-sample window; the walk-forward efficiency (out-of-sample cagr / in-sample cagr; undefined, —, when the in-sample cagr is ≤ 0); the Probability of Backtest Overfitting of the fold's selections — the mean over regimes and strategies of picking each regime's winner, and over regimes of picking its weights (red above 0.5, what a pick of no skill gives on average); the fold's proofs and its own page. The last row is the folds stitched together, with the mean PBO.`,
      h('div', { class: 'controls' }, select('wf-metric', 'metric', VALIDATION_METRICS.map((m): [string, string] => [m, METRIC_HEADS[m] ?? m]), metric, (v) => ((metric = v), draw()))),
      folds,
    ),
  );
  const span = `${s.stitched.first} → ${s.stitched.last}, ${formatInteger(s.stitched.bars)} bars`;
  if (s.equity && s.drawdown) {
    const eq = s.equity;
    el.append(
      equityAndDrawdown({
        equity: 'wf-equity',
        drawdown: 'wf-drawdown',
        scaleInput: 'wf-scale',
        labels: s.runs.map((r) => r.label),
        x: eq.x.map((t) => t / 1000),
        equityYs: eq.ys,
        drawdownYs: s.drawdown.ys,
        behind: (u, box) => {
          box.dataset.boundaries = String(paintBoundaries(u, s.boundaries));
        },
        equityCaption: `The folds' out-of-sample windows stitched together (${span}): the equity of the adaptive strategy and every baseline, scored as one series: at each bar the position of the fold whose window holds it, so the first bar of a fold earns the return of the previous fold's last position and pays for the switch — every out-of-sample return is counted once${eq.reduced ? `; ${formatInteger(eq.bars)} bars drawn as ${formatInteger(eq.x.length)} points, each column keeping its first, lowest, highest and last value` : ''}. Dashed lines mark where each fold begins. Drag to zoom, double-click to reset.`,
        drawdownCaption: 'Drawdown of the stitched curves: the fall from the running peak (the lowest point of each line is its max drawdown over all folds).',
      }),
    );
  } else {
    el.append(h('p', { class: 'note' }, 'This workspace has no stitched equity file (performance/walk_forward_equity.arrow): rerun the walk-forward\'s validation to draw the curves.'));
  }
  el.append(
    figure(
      `Metrics of the stitched out-of-sample returns (${span}), and the walk-forward efficiency over all folds.`,
      table(
        { 'data-table': 'stitched-metrics' },
        ['run', ...VALIDATION_METRICS.map((m) => h('th', { class: 'num' }, METRIC_HEADS[m] ?? m))],
        s.runs.map((r) => h('tr', { 'data-run': r.key }, h('th', {}, r.label), ...VALIDATION_METRICS.map((m) => numberCell(m, s.stitched.metrics[r.key][m])))),
      ),
      h(
        'p',
        { 'data-efficiency': s.stitched.efficiency === null ? '' : String(s.stitched.efficiency) },
        'Walk-forward efficiency: ',
        h('strong', {}, s.stitched.efficiency === null ? 'undefined (the pooled in-sample cagr is ≤ 0)' : formatMetric('efficiency', s.stitched.efficiency)),
        ` — the stitched out-of-sample cagr of the adaptive strategy over the folds' in-sample cagrs pooled (${formatMetric('cagr', s.stitched.in_sample_cagr)}: the bar-weighted geometric mean, (Π (1 + total return))^(bars per year / Σ returns) − 1). Pardo: near 1, the in-sample edge carried over; near 0 or below, it did not.`,
      ),
    ),
  );
}

function foldsTable(s: WalkForwardSection, metric: string): HTMLElement {
  const m = metric as (typeof VALIDATION_METRICS)[number];
  return table(
    { 'data-table': 'folds', 'data-metric': metric },
    [
      'fold',
      'in sample',
      'out of sample',
      ...s.runs.map((r) => h('th', { class: 'num', 'data-run': r.key }, r.label)),
      h('th', { class: 'num' }, 'cagr in sample'),
      h('th', { class: 'num' }, 'efficiency'),
      h('th', { class: 'num', title: `mean Probability of Backtest Overfitting of the fold's per-regime winners (${s.classifier})` }, 'PBO winners'),
      h('th', { class: 'num', title: `mean Probability of Backtest Overfitting of the fold's regime weights (${s.classifier})` }, 'PBO weights'),
      'proofs',
      'page',
    ],
    [
      ...s.folds.map((f) =>
        h(
          'tr',
          { 'data-fold': f.index },
          h('td', {}, String(f.index)),
          h('td', { class: 'nowrap' }, `${f.in_sample.first} → ${f.in_sample.last}`),
          h('td', { class: 'nowrap' }, `${f.out_of_sample.first} → ${f.out_of_sample.last}`),
          ...s.runs.map((r) => numberCell(m, f.metrics[r.key][m])),
          numberCell('cagr', f.in_sample_adaptive.cagr),
          numberCell('efficiency', f.efficiency),
          pboCell(f.pbo.trials),
          pboCell(f.pbo.weights),
          h('td', { class: proofFailed(f.proofs) ? 'bad' : undefined }, proofText(f.proofs)),
          foldLinkCell(f.index, f.report),
        ),
      ),
      // the folds stitched together, with the mean PBO
      h(
        'tr',
        { 'data-fold': 'all', class: 'mean' },
        h('th', {}, 'all'),
        h('td', { class: 'nowrap' }, '—'),
        h('td', { class: 'nowrap' }, `${s.stitched.first} → ${s.stitched.last}`),
        ...s.runs.map((r) => numberCell(m, s.stitched.metrics[r.key][m])),
        h('td'),
        numberCell('efficiency', s.stitched.efficiency),
        pboCell(s.mean_pbo.trials),
        pboCell(s.mean_pbo.weights),
        h('td'),
        h('td'),
      ),
    ],
  );
}

/** A dashed line where each fold begins, labelled; returns how many were drawn. */
function paintBoundaries(u: uPlot, boundaries: WalkForwardSection['boundaries']): number {
  return behindPlot(u, (ctx, { top, height }) => {
    ctx.strokeStyle = '#57606a';
    ctx.fillStyle = '#57606a';
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1;
    ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
    for (const b of boundaries) {
      const x = Math.round(u.valToPos(b.time / 1000, 'x', true)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.fillText(`fold ${b.index}`, x + 4, top + 12 * devicePixelRatio);
    }
    return boundaries.length;
  });
}
