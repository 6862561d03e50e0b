import uPlot from 'uplot';
import type { RegimeBands, ValidationSection } from '../../src/model.js';
import { formatInteger, formatNumber, formatPercent } from '../../src/format.js';
import { charts, chartWidth, onResize, registerChart, utc } from '../charts.js';
import { choice, figure, h, numberCell, table } from '../dom.js';
import { regimeColor, runColor, withAlpha } from '../palette.js';

export const VALIDATION_METRICS = ['sharpe', 'sortino', 'max_drawdown', 'total_return', 'cagr', 'volatility', 'trades', 'exposure'] as const;
const HEADS: Record<string, string> = { max_drawdown: 'max dd', total_return: 'return', volatility: 'vol' };

export function renderValidation(el: HTMLElement, s: ValidationSection): void {
  const span = `the ${s.split} split (${s.first} → ${s.last}, ${formatInteger(s.bars)} bars)`;
  el.append(
    figure(
      `Metrics on ${span}: the adaptive strategy (regimes from ${s.classifier}) against each baseline, and the adaptive strategy driven by every other classifier.`,
      table(
        { 'data-table': 'validation-metrics' },
        ['run', ...VALIDATION_METRICS.map((m) => h('th', { class: 'num' }, HEADS[m] ?? m))],
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
        ['run', 'regime', ...['bars', ...VALIDATION_METRICS].map((m) => h('th', { class: 'num' }, HEADS[m] ?? m))],
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
  const dd = s.drawdown!;
  const x = eq.x.map((t) => t / 1000);
  const shown = s.runs.slice(0, eq.ys.length);
  const canLog = eq.ys.every((y) => y.every((v) => v > 0));
  const state = { log: false, bands: s.bands.some((b) => b.classifier === s.classifier) ? s.classifier : (s.bands[0]?.classifier ?? 'none') };
  const equityBox = h('div', { class: 'chart', 'data-chart': 'equity', 'data-series': shown.length });
  const drawdownBox = h('div', { class: 'chart', 'data-chart': 'drawdown', 'data-series': shown.length });
  const legend = h('div', { class: 'band-legend' });
  const bandsFor = () => s.bands.find((b) => b.classifier === state.bands);

  const series = (fmt: (v: number) => string): uPlot.Series[] => [
    { label: 'time', value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 19).replace('T', ' ')) },
    ...shown.map((r, i) => ({ label: r.label, stroke: runColor(i), width: i === 0 ? 2 : 1.25, value: (_u: uPlot, v: number | null) => (v === null ? '—' : fmt(v)) })),
  ];
  const drawBands = (box: HTMLElement) => (u: uPlot) => {
    const b = bandsFor();
    box.dataset.bands = String(b ? paintBands(u, b) : 0);
    box.dataset.bandClassifier = b?.classifier ?? 'none';
  };
  // at rest (no cursor over the chart) the legend shows the last bar: each run's final equity and drawdown
  const last = x.length - 1;
  const restLegend = (u: uPlot) => {
    if (u.cursor.idx === null || u.cursor.idx === undefined) u.setLegend({ idx: last });
  };
  const common = (box: HTMLElement): Partial<uPlot.Options> => ({
    width: chartWidth(equityBox.parentElement ?? document.body),
    cursor: { sync: { key: 'validation' } },
    tzDate: utc,
    hooks: { drawClear: [drawBands(box)], ready: [restLegend], setCursor: [restLegend] },
  });
  const makeEquity = () => {
    equityBox.replaceChildren();
    const u = new uPlot(
      { ...common(equityBox), height: 320, scales: { x: { time: true }, y: { distr: state.log ? 3 : 1 } }, axes: [{}, { label: 'equity (1 at the start)', size: 64 }], series: series((v) => formatNumber(v, 4)) } as uPlot.Options,
      [x, ...eq.ys],
      equityBox,
    );
    registerChart('equity', u);
  };
  const makeDrawdown = () => {
    drawdownBox.replaceChildren();
    const u = new uPlot(
      {
        ...common(drawdownBox),
        height: 200,
        scales: { x: { time: true } },
        axes: [{}, { label: 'drawdown', size: 64, values: (_u: uPlot, ticks: number[]) => ticks.map((v) => formatPercent(v, 0)) }],
        series: series((v) => formatPercent(v)),
      } as uPlot.Options,
      [x, ...dd.ys.map((y) => y.map((v) => -v))],
      drawdownBox,
    );
    registerChart('drawdown', u);
  };
  const paintLegend = () => {
    const b = bandsFor();
    legend.replaceChildren(
      ...(b ? b.names.map((n, i) => h('span', { class: 'swatch', 'data-regime': n }, h('i', { style: `background:${withAlpha(regimeColor(n, i), 0.35)}` }), n)) : []),
    );
  };
  const redrawBands = () => {
    paintLegend();
    for (const n of ['equity', 'drawdown']) charts.get(n)?.redraw(false);
  };

  const controls = h(
    'div',
    { class: 'controls' },
    choice('equity-scale', 'scale', canLog ? [['linear', 'linear'], ['log', 'log']] : [['linear', 'linear']], 'linear', (v) => {
      state.log = v === 'log';
      makeEquity();
    }),
    choice('equity-bands', 'regimes behind the curves', [...s.bands.map((b): [string, string] => [b.classifier, b.classifier]), ['none', 'none']], state.bands, (v) => {
      state.bands = v;
      redrawBands();
    }),
  );
  const wrap = h(
    'div',
    {},
    controls,
    figure(
      `Equity of every run on the ${s.split} split, one line each${eq.reduced ? ` (${formatInteger(eq.bars)} bars drawn as ${formatInteger(eq.x.length)} points: each column keeps its first, lowest, highest and last value)` : ''}; coloured bands are the regimes of the classifier chosen above${s.bands.some((b) => b.merged) ? ' (where regimes change faster than a column, the column shows its most frequent regime)' : ''}. Drag to zoom, double-click to reset.`,
      equityBox,
      legend,
    ),
    figure('Drawdown of every run: the fall from its running peak (the lowest point of each line is that run\'s max drawdown).', drawdownBox),
  );
  // charts measure their container, so they are made once the section is in the page
  queueMicrotask(() => {
    makeEquity();
    makeDrawdown();
    paintLegend();
    onResize(wrap, ['equity', 'drawdown']);
  });
  return wrap;
}

/** Regime spans as translucent rectangles behind the plot area; returns how many were painted. */
function paintBands(u: uPlot, b: RegimeBands): number {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
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
  ctx.restore();
  return painted;
}
