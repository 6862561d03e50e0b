import type uPlot from 'uplot';
import type { RegimeBands, ValidationSection } from '../../src/model.js';
import { formatInteger } from '../../src/format.js';
import { behindPlot, equityAndDrawdown, redrawCurves } from '../curves.js';
import { choice, figure, h, numberCell, table } from '../dom.js';
import { regimeColor, withAlpha } from '../palette.js';

export const VALIDATION_METRICS = ['sharpe', 'sortino', 'max_drawdown', 'total_return', 'cagr', 'volatility', 'trades', 'exposure'] as const;
export const METRIC_HEADS: Record<string, string> = { max_drawdown: 'max dd', total_return: 'return', volatility: 'vol' };

export function renderValidation(el: HTMLElement, s: ValidationSection): void {
  const span = `the ${s.split} split (${s.first} → ${s.last}, ${formatInteger(s.bars)} bars)`;
  el.append(
    figure(
      `Metrics on ${span}: the adaptive strategy (regimes from ${s.classifier}) against each baseline, and the adaptive strategy driven by every other classifier.`,
      table(
        { 'data-table': 'validation-metrics' },
        ['run', ...VALIDATION_METRICS.map((m) => h('th', { class: 'num' }, METRIC_HEADS[m] ?? m))],
        s.runs.map((r) => h('tr', { 'data-run': r.key }, h('th', {}, r.label), ...VALIDATION_METRICS.map((m) => numberCell(m, r.metrics[m])))),
      ),
    ),
  );
  if (s.equity && s.drawdown) el.append(curves(s));
  else el.append(h('p', { class: 'note' }, 'This workspace has no performance/validation_equity.arrow (validation ran before it was written): rerun with `regimen run <workspace> --from-phase validation` to draw the curves.'));
  el.append(
    figure(
      `Per-regime metrics on ${span}: each run's returns grouped by the regime in which their position was taken (the adaptive runs of other classifiers by their own regimes).`,
      table(
        { 'data-table': 'validation-regimes' },
        ['run', 'regime', ...['bars', ...VALIDATION_METRICS].map((m) => h('th', { class: 'num' }, METRIC_HEADS[m] ?? m))],
        s.runs.flatMap((r) =>
          Object.entries(r.regimes).map(([regime, m]) =>
            h('tr', { 'data-run': r.key, 'data-regime': regime }, h('th', {}, r.label), h('td', {}, regime), numberCell('bars', m.bars), ...VALIDATION_METRICS.map((k) => numberCell(k, m[k]))),
          ),
        ),
      ),
    ),
  );
}

function curves(s: ValidationSection): HTMLElement {
  const eq = s.equity!;
  const shown = s.runs.slice(0, eq.ys.length);
  const state = { bands: s.bands.some((b) => b.classifier === s.classifier) ? s.classifier : (s.bands[0]?.classifier ?? 'none') };
  const legend = h('div', { class: 'band-legend' });
  const bandsFor = () => s.bands.find((b) => b.classifier === state.bands);
  const paintLegend = () => {
    const b = bandsFor();
    legend.replaceChildren(
      ...(b ? b.names.map((n, i) => h('span', { class: 'swatch', 'data-regime': n }, h('i', { style: `background:${withAlpha(regimeColor(n, i), 0.35)}` }), n)) : []),
    );
  };
  const names = { equity: 'equity', drawdown: 'drawdown' };
  paintLegend();
  return equityAndDrawdown({
    ...names,
    scaleInput: 'equity-scale',
    labels: shown.map((r) => r.label),
    x: eq.x.map((t) => t / 1000),
    equityYs: eq.ys,
    drawdownYs: s.drawdown!.ys,
    behind: (u, box) => {
      const b = bandsFor();
      box.dataset.bands = String(b ? paintBands(u, b) : 0);
      box.dataset.bandClassifier = b?.classifier ?? 'none';
    },
    controls: [
      choice('equity-bands', 'regimes behind the curves', [...s.bands.map((b): [string, string] => [b.classifier, b.classifier]), ['none', 'none']], state.bands, (v) => {
        state.bands = v;
        paintLegend();
        redrawCurves(names);
      }),
    ],
    under: legend,
    equityCaption: `Equity of every run on the ${s.split} split, one line each${eq.reduced ? ` (${formatInteger(eq.bars)} bars drawn as ${formatInteger(eq.x.length)} points: each column keeps its first, lowest, highest and last value)` : ''}; coloured bands are the regimes of the classifier chosen above${s.bands.some((b) => b.merged) ? ' (where regimes change faster than a column, the column shows its most frequent regime)' : ''}. Drag to zoom, double-click to reset.`,
    drawdownCaption: 'Drawdown of every run: the fall from its running peak (the lowest point of each line is that run\'s max drawdown).',
  });
}

/** Regime spans as translucent rectangles behind the plot area; returns how many were painted. */
export function paintBands(u: uPlot, b: RegimeBands): number {
  return behindPlot(u, (ctx, { top, height }) => {
    let painted = 0;
    for (let i = 0; i < b.start.length; i++) {
      const l = b.label[i]!;
      if (l < 0) continue;
      const x0 = u.valToPos(b.start[i]! / 1000, 'x', true);
      const x1 = u.valToPos(b.end[i]! / 1000, 'x', true);
      ctx.fillStyle = withAlpha(regimeColor(b.names[l]!, l), 0.18);
      ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
      painted++;
    }
    return painted;
  });
}
