import uPlot from 'uplot';

/**
 * Every uPlot chart of the page by name, on `window.regimenCharts`: the data each chart draws,
 * for a reader's console and for the browser tests that compare it with the workspace's files.
 */
export const charts = new Map<string, uPlot>();
(window as unknown as { regimenCharts: Map<string, uPlot> }).regimenCharts = charts;

export function registerChart(name: string, u: uPlot): uPlot {
  charts.get(name)?.destroy();
  charts.set(name, u);
  return u;
}

/** Width of a chart's container (the page's column); charts follow the window's width. */
export function chartWidth(el: HTMLElement): number {
  return Math.max(320, Math.floor(el.clientWidth || el.parentElement?.clientWidth || 800));
}

/** UTC: bar times are UTC in every file. */
export const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');

export function onResize(el: HTMLElement, names: string[]): void {
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      for (const n of names) charts.get(n)?.setSize({ width: chartWidth(el), height: charts.get(n)!.height });
    });
  });
}
