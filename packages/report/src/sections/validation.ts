import { NO_REGIME, otherClassifierRun, regimenError, type ValidationResults } from '@regimen/core';
import type { MetricsView, RegimeBands, ValidationRunView, ValidationSection } from '../model.js';
import { drawdownOf, minMaxColumns } from '../reduce.js';
import { labelRuns } from '../regime-stats.js';
import { labelsOver, type WorkspaceFiles } from '../workspace-files.js';

/**
 * Columns the curves are reduced to (4 points each): about as many as a wide chart has pixels, so
 * the reduction loses nothing the eye could see, and a 1M-bar validation embeds ≤ 4,000 points per curve.
 */
export const CHART_COLUMNS = 1000;

/** Every validation run in the order the page shows them, keyed as validation_equity.arrow names its columns. */
export function validationRuns(v: ValidationResults): ValidationRunView[] {
  const b = v.baselines;
  return [
    // without an ensemble phase the adaptive run weighs each regime's winners equally: the label says so
    { key: 'adaptive', label: v.weights?.source === 'equal_regime_winners' ? 'adaptive (regime winners at equal weight)' : 'adaptive', metrics: v.adaptive.metrics, regimes: v.adaptive.regimes },
    { key: 'best_static', label: `best static (${b.best_static.strategy})`, metrics: b.best_static.metrics, regimes: b.best_static.regimes },
    { key: 'equal_weights', label: 'equal weights', metrics: b.equal_weights.metrics, regimes: b.equal_weights.regimes },
    { key: 'buy_and_hold', label: 'buy and hold', metrics: b.buy_and_hold.metrics, regimes: b.buy_and_hold.regimes },
    ...Object.entries(v.other_classifiers).map(([c, r]) => ({ key: otherClassifierRun(c), label: `adaptive (${c})`, metrics: r.metrics, regimes: r.regimes as Record<string, MetricsView> })),
  ];
}

/** First bar of the validation window in the whole series (validation on `train` or `all` starts at bar 0, as phase 4 runs it). */
export function validationStart(ws: WorkspaceFiles, v: ValidationResults): number {
  return v.split === 'test' ? ws.windows.test.start : 0;
}

export function validationSection(ws: WorkspaceFiles, columns = CHART_COLUMNS): ValidationSection | null {
  const v = ws.validation;
  if (!v) return null;
  let runs = validationRuns(v);
  const start = validationStart(ws, v);
  const driving = ws.classifiers.find((c) => c.name === v.classifier);
  let equity: ValidationSection['equity'] = null;
  let drawdown: ValidationSection['drawdown'] = null;
  const e = ws.equity;
  if (e) {
    if (e.time.length !== v.bars || e.meta.start !== start || e.meta.classifier !== v.classifier) {
      throw regimenError({ code: 'workspace', file: ws.paths.validationEquity, message: `does not match ${ws.paths.validationResults} (${e.time.length} bars from bar ${e.meta.start} for ${e.meta.classifier}; expected ${v.bars} from bar ${start} for ${v.classifier}): rerun validation` });
    }
    // runs with a curve first, in the order of their curves (ys[i] is runs[i]'s)
    const drawn = runs.filter((r) => e.equity[r.key]);
    runs = [...drawn, ...runs.filter((r) => !e.equity[r.key])];
    const curves = drawn.map((r) => e.equity[r.key]!);
    equity = minMaxColumns(e.time, curves, columns);
    drawdown = minMaxColumns(e.time, curves.map(drawdownOf), columns);
  }
  const bands = ws.config.classifiers.flatMap((c) => {
    const l = labelsOver(ws, c.name, start, v.bars);
    return l ? [regimeBands(c.name, l.names, l.labels, l.time, columns)] : [];
  });
  return { kind: 'validation', classifier: v.classifier, split: v.split, bars: v.bars, first: v.first, last: v.last, runs, regimes: driving?.regimes ?? Object.keys(v.adaptive.regimes), equity, drawdown, bands };
}

/**
 * Spans of equal regime over the window, for coloured bands behind the curves. More runs than
 * columns cannot be told apart on screen: then each column takes its most frequent label (ties to
 * the lower label) and equal neighbours merge — the band a reader sees is what the column mostly was.
 */
export function regimeBands(classifier: string, names: string[], labels: Uint8Array, time: Float64Array, columns: number): RegimeBands {
  const n = labels.length;
  const runs = labelRuns(labels);
  const toLabel = (l: number) => (l === NO_REGIME ? -1 : l);
  const spans = (starts: number[], ls: number[]) => ({
    start: starts.map((s) => time[s]!),
    end: starts.map((_, i) => time[i + 1 < starts.length ? starts[i + 1]! : n - 1]!),
    label: ls.map(toLabel),
  });
  if (runs.start.length <= 2 * columns) return { classifier, names, ...spans(runs.start, runs.label), merged: false, runs: runs.start.length };
  const counts = new Int32Array(256);
  const colStart: number[] = [];
  const colLabel: number[] = [];
  for (let c = 0; c < columns; c++) {
    const a = Math.floor((c * n) / columns);
    const b = Math.floor(((c + 1) * n) / columns);
    counts.fill(0);
    for (let t = a; t < b; t++) counts[labels[t]!]!++;
    let best = 0;
    for (let l = 1; l < 256; l++) if (counts[l]! > counts[best]!) best = l;
    if (colLabel.length === 0 || colLabel[colLabel.length - 1] !== best) {
      colStart.push(a);
      colLabel.push(best);
    }
  }
  return { classifier, names, ...spans(colStart, colLabel), merged: true, runs: runs.start.length };
}
