import uPlot from 'uplot';
import { formatNumber, formatPercent } from '../src/format.js';
import { charts, chartWidth, onResize, registerChart, utc } from './charts.js';
import { choice, figure, h } from './dom.js';
import { runColor } from './palette.js';

export interface CurvesOptions {
  /** the charts' names on window.regimenCharts (and their containers' data-chart) */
  equity: string;
  drawdown: string;
  /** the name of the linear/log radio buttons */
  scaleInput: string;
  /** one label per curve, adaptive first */
  labels: string[];
  /** epoch seconds, shared by every curve */
  x: number[];
  equityYs: number[][];
  /** drawdowns as positive fractions (drawn below zero) */
  drawdownYs: number[][];
  equityCaption: string;
  drawdownCaption: string;
  /** painted behind the curves of both charts on every redraw (regime bands, fold boundaries) */
  behind?: (u: uPlot, box: HTMLElement) => void;
  /** more controls after the scale toggle, and something under the equity chart (a legend) */
  controls?: HTMLElement[];
  under?: HTMLElement;
}

/**
 * An equity chart (linear or log) above a drawdown chart, one line per run, cursors in sync, the
 * legend at rest showing each run's last value. Charts measure their container, so they are made
 * once the returned element is in the page.
 */
export function equityAndDrawdown(o: CurvesOptions): HTMLElement {
  const canLog = o.equityYs.every((y) => y.every((v) => v > 0));
  let log = false;
  const equityBox = h('div', { class: 'chart', 'data-chart': o.equity, 'data-series': o.labels.length });
  const drawdownBox = h('div', { class: 'chart', 'data-chart': o.drawdown, 'data-series': o.labels.length });
  const series = (fmt: (v: number) => string): uPlot.Series[] => [
    { label: 'time', value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 19).replace('T', ' ')) },
    ...o.labels.map((label, i) => ({ label, stroke: runColor(i), width: i === 0 ? 2 : 1.25, value: (_u: uPlot, v: number | null) => (v === null ? '—' : fmt(v)) })),
  ];
  // at rest (no cursor over the chart) the legend shows the last bar: each run's final equity and drawdown
  const last = o.x.length - 1;
  const restLegend = (u: uPlot) => {
    if (u.cursor.idx === null || u.cursor.idx === undefined) u.setLegend({ idx: last });
  };
  const common = (box: HTMLElement): Partial<uPlot.Options> => ({
    width: chartWidth(equityBox.parentElement ?? document.body),
    cursor: { sync: { key: o.equity } },
    tzDate: utc,
    hooks: { drawClear: o.behind ? [(u: uPlot) => o.behind!(u, box)] : [], ready: [restLegend], setCursor: [restLegend] },
  });
  const makeEquity = () => {
    equityBox.replaceChildren();
    const u = new uPlot(
      { ...common(equityBox), height: 320, scales: { x: { time: true }, y: { distr: log ? 3 : 1 } }, axes: [{}, { label: 'equity (1 at the start)', size: 64 }], series: series((v) => formatNumber(v, 4)) } as uPlot.Options,
      [o.x, ...o.equityYs],
      equityBox,
    );
    registerChart(o.equity, u);
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
      [o.x, ...o.drawdownYs.map((y) => y.map((v) => -v))],
      drawdownBox,
    );
    registerChart(o.drawdown, u);
  };
  const controls = h(
    'div',
    { class: 'controls' },
    choice(o.scaleInput, 'scale', canLog ? [['linear', 'linear'], ['log', 'log']] : [['linear', 'linear']], 'linear', (v) => {
      log = v === 'log';
      makeEquity();
    }),
    ...(o.controls ?? []),
  );
  const wrap = h('div', {}, controls, figure(o.equityCaption, equityBox, o.under), figure(o.drawdownCaption, drawdownBox));
  queueMicrotask(() => {
    makeEquity();
    makeDrawdown();
    onResize(wrap, [o.equity, o.drawdown]);
  });
  return wrap;
}

/** Redraws both charts (after what `behind` paints has changed). */
export function redrawCurves(o: Pick<CurvesOptions, 'equity' | 'drawdown'>): void {
  for (const n of [o.equity, o.drawdown]) charts.get(n)?.redraw(false);
}

/** Clips drawing to a chart's plot area for `paint`, which returns how many marks it drew. */
export function behindPlot(u: uPlot, paint: (ctx: CanvasRenderingContext2D, box: { left: number; top: number; width: number; height: number }) => number): number {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  const n = paint(ctx, { left, top, width, height });
  ctx.restore();
  return n;
}
